/**
 * Load: a staged change of 10,000 files and a long history complete with bounded
 * memory. Peak RSS is read inside the CLI process (a preload records
 * process.resourceUsage().maxRSS at exit), so no external tool is needed. The
 * 50,000-commit figure is measured by bench/perf/load.mjs; here a shorter history
 * keeps the suite fast while still being far larger than any buffer.
 */
import { describe, expect, test } from '@jest/globals';
import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { openaiKey } from '../helpers/keys.js';
import { CLI, cleanEnv, makeTempDir, tempRepos, type TempRepo } from '../helpers/repo.js';

const repo = tempRepos();
const MEMORY_BOUND_MB = 300;

/** Runs the CLI and returns its exit code, findings and peak RSS in MB. */
function scanWithRss(r: TempRepo, args: string[]): { status: number | null; files: string[]; rssMb: number } {
  const dir = makeTempDir('leakguard-rss-');
  const preload = path.join(dir, 'rss.cjs');
  const out = path.join(dir, 'rss.txt');
  writeFileSync(
    preload,
    `process.on('exit', () => require('fs').writeFileSync(${JSON.stringify(out)}, String(process.resourceUsage().maxRSS)));\n`,
  );
  const result = spawnSync(process.execPath, ['--require', preload, CLI, ...args, '--format=json'], {
    cwd: r.root,
    env: cleanEnv(),
    encoding: 'utf8',
    maxBuffer: 1 << 26,
    timeout: 120_000,
  });
  const report = JSON.parse(result.stdout) as { findings: { file: string }[] };
  return { status: result.status, files: report.findings.map((f) => f.file), rssMb: Number(readFileSync(out, 'utf8')) / 1024 };
}

describe('load', () => {
  test('10,000 staged files: found, bounded memory', () => {
    const r = repo();
    for (let i = 0; i < 10_000; i++)
      r.write(`pkg${i % 100}/mod${i}.js`, `export const value${i} = ${i};\nexport function f${i}() { return value${i} * 2; }\n`);
    r.write('pkg7/config.js', `export const token = "${openaiKey('load-files')}";\n`);
    r.git('add', '-A');
    const { status, files, rssMb } = scanWithRss(r, ['scan']);
    expect(status).toBe(1);
    expect(files).toEqual(['pkg7/config.js']);
    expect(rssMb).toBeLessThan(MEMORY_BOUND_MB);
  }, 120_000);

  test('a 5,000-commit history: the one key found once, bounded memory', async () => {
    const r = repo({ committed: true });
    const parent = r.git('rev-parse', 'HEAD').trim();
    const importer = spawn('git', ['fast-import', '--quiet'], { cwd: r.root, env: cleanEnv(), stdio: ['pipe', 'ignore', 'pipe'] });
    for (let c = 0; c < 5_000; c++) {
      const body = c === 2_500 ? `key = "${openaiKey('load-history')}"\n` : `value = ${c}\n${'line of code\n'.repeat(1 + (c % 7))}`;
      const msg = `change ${c}\n`;
      let chunk = `commit refs/heads/main\ncommitter T <t@example.com> ${1_600_000_000 + c} +0000\ndata ${msg.length}\n${msg}`;
      if (c === 0) chunk += `from ${parent}\n`;
      chunk += `M 100644 inline src/file${c % 40}.py\ndata ${Buffer.byteLength(body)}\n${body}\n`;
      if (!importer.stdin.write(chunk)) await once(importer.stdin, 'drain');
    }
    importer.stdin.end();
    const [code] = (await once(importer, 'close')) as [number];
    expect(code).toBe(0);
    const { status, files, rssMb } = scanWithRss(r, ['scan', '--history']);
    expect(status).toBe(1);
    expect(files).toEqual([`src/file${2_500 % 40}.py`]);
    expect(rssMb).toBeLessThan(MEMORY_BOUND_MB);
  }, 120_000);
});
