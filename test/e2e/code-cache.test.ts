/**
 * bin/leakguard.cjs keeps V8's code cache of dist/cli.cjs in a private folder under
 * TMPDIR. Each test gets its own TMPDIR, so the caches of the rest of the suite
 * (and of the developer's own hook) are never touched.
 */
import { afterAll, describe, expect, test } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { githubToken } from '../helpers/keys.js';
import { cleanEnv, makeTempDir, PROJECT_ROOT, tempRepos, type TempRepo } from '../helpers/repo.js';

const repo = tempRepos();
const tmpRoots: string[] = [];
afterAll(() => tmpRoots.forEach((d) => rmSync(d, { recursive: true, force: true })));

function tmpDir(): string {
  const dir = makeTempDir('leakguard-tmpdir-');
  tmpRoots.push(dir);
  return dir;
}

const cacheDirIn = (tmp: string) => path.join(tmp, `leakguard-code-cache-${process.getuid!()}`);
/** The cache files in a TMPDIR: one per install of the CLI. */
const cacheFilesIn = (tmp: string) =>
  existsSync(cacheDirIn(tmp))
    ? readdirSync(cacheDirIn(tmp))
        .filter((f) => f.endsWith('.v8'))
        .map((f) => path.join(cacheDirIn(tmp), f))
    : [];
/** The one cache file of this checkout's CLI (its path when none is written yet). */
function cacheFileIn(tmp: string): string {
  const files = cacheFilesIn(tmp);
  expect(files.length).toBeLessThanOrEqual(1);
  return files[0] ?? path.join(cacheDirIn(tmp), 'none.v8');
}

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

  test("two installs used in turn each keep their own cache: neither replaces the other's on every run", () => {
    const tmp = tmpDir();
    const r = withKey();
    // A second install: the hook's files only (bin, dist/cli.cjs, the rules, package.json), in another folder.
    const other = tmpDir();
    for (const file of ['bin/leakguard.cjs', 'dist/cli.cjs', 'dist/rules.json', 'package.json']) {
      mkdirSync(path.dirname(path.join(other, file)), { recursive: true });
      copyFileSync(path.join(PROJECT_ROOT, file), path.join(other, file));
    }
    const otherScan = () =>
      spawnSync(process.execPath, [path.join(other, 'bin', 'leakguard.cjs'), 'scan', '--staged'], {
        cwd: r.root,
        env: cleanEnv({ TMPDIR: tmp }),
        encoding: 'utf8',
      });
    // The copy differs by one byte, as another version would.
    writeFileSync(path.join(other, 'dist', 'cli.cjs'), `${readFileSync(path.join(other, 'dist', 'cli.cjs'), 'utf8')}\n`);
    expect(scanStaged(r, tmp).status).toBe(1);
    expect(otherScan().status).toBe(1);
    const files = cacheFilesIn(tmp);
    expect(files).toHaveLength(2);
    const stamps = () => files.map((f) => [statSync(f).ino, statSync(f).mtimeMs]);
    const before = stamps();
    expect(scanStaged(r, tmp).status).toBe(1);
    expect(otherScan().status).toBe(1);
    expect(stamps()).toEqual(before);
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
