import { afterEach, expect, test } from '@jest/globals';
import type { SpawnSyncReturns } from 'node:child_process';
import { rmSync } from 'node:fs';
import { openaiKey } from './keys.js';
import { makeTempDir, runCli, TempRepo } from './repo.js';

/** One finding of `scan --format json`, as the CI tests read it. */
export interface JsonFinding {
  ruleId: string;
  file: string;
  line: number;
  column: number;
  endColumn: number;
  secret: string;
  fingerprint: string;
  commit?: string;
  author?: string;
  date?: string;
}

/** A fingerprint-independent identity for matching findings to keys: the redacted prefix is not enough. */
export function findingsOf(findings: JsonFinding[]) {
  return findings.map((f) => ({ file: f.file, line: f.line, commit: f.commit }));
}

/**
 * The built CLI in real temporary repositories and folders, for one test file: every
 * repository and folder is removed after its test, and every key a test made and every
 * output the CLI printed are kept, so `expectNoRawKeys()` (called last in the file)
 * can sweep the outputs for raw keys.
 */
export function cliSession(keyPrefix: string) {
  const cleanup: Array<() => void> = [];
  afterEach(() => cleanup.splice(0).forEach((fn) => fn()));
  const keys = new Set<string>();
  const outputs: string[] = [];

  function key(seed: string): string {
    const k = openaiKey(`${keyPrefix}-${seed}`);
    keys.add(k);
    return k;
  }

  function repo(): TempRepo {
    const r = new TempRepo();
    cleanup.push(() => r.remove());
    return r;
  }

  function tempDir(): string {
    const dir = makeTempDir('leakguard-ci-');
    cleanup.push(() => rmSync(dir, { recursive: true, force: true }));
    return dir;
  }

  function run(r: TempRepo | string, args: string[], options: { input?: string; reveal?: boolean } = {}): SpawnSyncReturns<string> {
    const result = typeof r === 'string' ? runCli(args, { cwd: r, input: options.input }) : r.cli(args, { input: options.input });
    if (!options.reveal) outputs.push(result.stdout, result.stderr);
    return result;
  }

  function scanJson(r: TempRepo | string, args: string[], options: { input?: string; reveal?: boolean } = {}) {
    const result = run(r, ['scan', '--format', 'json', ...args], options);
    if (result.status === 2) throw new Error(`leakguard failed: ${result.stderr}`);
    const report = JSON.parse(result.stdout) as { findings: JsonFinding[]; stats: Record<string, number> };
    return { status: result.status, findings: report.findings, stats: report.stats, stderr: result.stderr };
  }

  function commitFile(r: TempRepo, file: string, content: string, message = `edit ${file}`): string {
    r.write(file, content);
    r.git('add', '-A');
    return r.commit(message);
  }

  /** Call last in the file (tests in a file run in order): nothing printed above held a raw key. */
  function expectNoRawKeys(): void {
    test('no output contained a raw key unless --show-secrets was given', () => {
      expect(outputs.length).toBeGreaterThan(0);
      expect(keys.size).toBeGreaterThan(0);
      const leaks = outputs.flatMap((output, i) => [...keys].filter((k) => output.includes(k)).map(() => i));
      expect(leaks).toEqual([]);
    });
  }

  return { key, repo, tempDir, run, scanJson, commitFile, expectNoRawKeys };
}
