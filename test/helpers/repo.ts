import { afterEach } from '@jest/globals';
import { execFileSync, spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const PROJECT_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
/** The built CLI (npm test builds before running jest). */
export const CLI = path.join(PROJECT_ROOT, 'bin', 'leakguard.cjs');

/** Environment for child processes: no user git config, no CI or colour surprises. */
export function cleanEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const key of Object.keys(env)) {
    // The suite itself may run in CI or inside a git hook: children start neutral,
    // and a test that wants CI=true says so.
    if (key.startsWith('GIT_') || ['FORCE_COLOR', 'LEAKGUARD_SKIP', 'LEAKGUARD_NO_PROMPT', 'CI', 'GITHUB_ACTIONS'].includes(key))
      delete env[key];
  }
  return {
    ...env,
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_CONFIG_GLOBAL: '/dev/null',
    GIT_AUTHOR_NAME: 'Test Author',
    GIT_AUTHOR_EMAIL: 'author@example.com',
    GIT_COMMITTER_NAME: 'Test Author',
    GIT_COMMITTER_EMAIL: 'author@example.com',
    NO_COLOR: '1',
    ...extra,
  };
}

export function makeTempDir(prefix = 'leakguard-'): string {
  return mkdtempSync(path.join(tmpdir(), prefix));
}

/** A real git repository in a temp folder. */
export class TempRepo {
  readonly root: string;

  constructor(options: { init?: boolean } = {}) {
    this.root = makeTempDir();
    if (options.init !== false) this.git('init', '-q', '-b', 'main');
  }

  /** git's stderr (hints, advice, a hook's report) is captured, not printed: on failure it is in the thrown error. */
  git(...args: string[]): string {
    return execFileSync('git', args, { cwd: this.root, env: cleanEnv(), encoding: 'utf8', stdio: 'pipe' });
  }

  write(file: string, content: string | Buffer): string {
    const full = path.join(this.root, file);
    mkdirSync(path.dirname(full), { recursive: true });
    writeFileSync(full, content);
    return full;
  }

  commit(message = 'commit'): string {
    this.git('commit', '-q', '--allow-empty', '-m', message);
    return this.git('rev-parse', 'HEAD').trim();
  }

  /** Runs the built CLI in this repository. */
  cli(args: string[], options: { input?: string; env?: NodeJS.ProcessEnv; cwd?: string } = {}): SpawnSyncReturns<string> {
    return runCli(args, { cwd: options.cwd ?? this.root, input: options.input, env: options.env });
  }

  remove(): void {
    rmSync(this.root, { recursive: true, force: true });
  }
}

/**
 * A factory of temp repositories for one test file, each removed after its test.
 * `committed` gives the repository a first commit, so HEAD exists. The suite may
 * itself run inside a git hook: in-process git calls must not see that hook's index.
 */
export function tempRepos(): (options?: { committed?: boolean }) => TempRepo {
  const made: TempRepo[] = [];
  afterEach(() => made.splice(0).forEach((r) => r.remove()));
  return ({ committed = false } = {}) => {
    delete process.env.GIT_INDEX_FILE;
    delete process.env.GIT_DIR;
    const r = new TempRepo();
    made.push(r);
    if (committed) {
      r.write('README.md', 'demo\n');
      r.git('add', 'README.md');
      r.commit('init');
    }
    return r;
  };
}

export function runCli(args: string[], options: { cwd: string; input?: string; env?: NodeJS.ProcessEnv }): SpawnSyncReturns<string> {
  return spawnSync(process.execPath, [CLI, ...args], {
    cwd: options.cwd,
    env: cleanEnv(options.env),
    input: options.input ?? '',
    encoding: 'utf8',
    timeout: 60_000,
    // A SARIF report describes every rule (831 of them: ~1.4 MB), past spawnSync's 1 MB default.
    maxBuffer: 64 * 1024 * 1024,
  });
}
