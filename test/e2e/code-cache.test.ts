/**
 * bin/leakguard.cjs keeps V8's code cache of dist/cli.cjs in a private folder under
 * TMPDIR. Each test gets its own TMPDIR, so the caches of the rest of the suite
 * (and of the developer's own hook) are never touched.
 */
import { afterAll, describe, expect, test } from '@jest/globals';
import { chmodSync, existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { githubToken } from '../helpers/keys.js';
import { makeTempDir, tempRepos, type TempRepo } from '../helpers/repo.js';

const repo = tempRepos();
const tmpRoots: string[] = [];
afterAll(() => tmpRoots.forEach((d) => rmSync(d, { recursive: true, force: true })));

function tmpDir(): string {
  const dir = makeTempDir('leakguard-tmpdir-');
  tmpRoots.push(dir);
  return dir;
}

const cacheFileIn = (tmp: string) => path.join(tmp, `leakguard-code-cache-${process.getuid!()}`, 'cli.cjs.v8');

function scanStaged(r: TempRepo, tmp: string, env: NodeJS.ProcessEnv = {}) {
  return r.cli(['scan', '--staged'], { env: { TMPDIR: tmp, ...env } });
}

function withKey(): TempRepo {
  const r = repo();
  r.write('config.js', `module.exports = { token: "${githubToken('code-cache')}" };\n`);
  r.git('add', '-A');
  return r;
}

describe('the code cache of the hook path', () => {
  test('made on the first run, private (0700 folder, 0600 file), then reused as it is', () => {
    const tmp = tmpDir();
    const r = withKey();
    expect(scanStaged(r, tmp).status).toBe(1);
    const file = cacheFileIn(tmp);
    expect(statSync(path.dirname(file)).mode & 0o777).toBe(0o700);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const before = statSync(file);
    expect(scanStaged(r, tmp).status).toBe(1);
    const after = statSync(file);
    expect([after.ino, after.mtimeMs, after.size]).toEqual([before.ino, before.mtimeMs, before.size]);
  });

  test('a first run that finds nothing still caches the code that reports findings', () => {
    const quietTmp = tmpDir();
    expect(scanStaged(repo(), quietTmp).status).toBe(0);
    const busyTmp = tmpDir();
    expect(scanStaged(withKey(), busyTmp).status).toBe(1);
    // Every function is compiled on a cache miss, so what the first run did does not matter.
    expect(statSync(cacheFileIn(quietTmp)).size).toBeGreaterThanOrEqual(statSync(cacheFileIn(busyTmp)).size * 0.98);
  });

  test('a cache made from other source is not used, and is replaced', () => {
    const tmp = tmpDir();
    const r = withKey();
    scanStaged(r, tmp);
    const file = cacheFileIn(tmp);
    const data = readFileSync(file);
    // Same layout and length, one byte of the recorded source changed.
    data[12] ^= 1;
    writeFileSync(file, data, { mode: 0o600 });
    const result = scanStaged(r, tmp);
    expect(result.status).toBe(1);
    expect(result.stdout).toContain('config.js');
    expect(readFileSync(file).equals(data)).toBe(false);
  });

  test('a folder others can write to is never used; LEAKGUARD_NO_CODE_CACHE=1 turns the cache off', () => {
    const open = tmpDir();
    const dir = path.dirname(cacheFileIn(open));
    mkdirSync(dir);
    chmodSync(dir, 0o777);
    const r = withKey();
    expect(scanStaged(r, open).status).toBe(1);
    expect(existsSync(cacheFileIn(open))).toBe(false);
    const off = tmpDir();
    expect(scanStaged(r, off, { LEAKGUARD_NO_CODE_CACHE: '1' }).status).toBe(1);
    expect(existsSync(path.dirname(cacheFileIn(off)))).toBe(false);
  });
});
