/**
 * `npm run release:check` as the release runs it: the packed tarball's files, an
 * offline install into a fresh project (no install script, no npm warning) and the
 * installed bin. Offline, and with --no-build: a build would replace dist/ under
 * the other test files running at the same time.
 */
import { describe, expect, test } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { cleanEnv, PROJECT_ROOT } from '../helpers/repo.js';

describe('release:check', () => {
  test('passes on this checkout, and leaves package.json as it was', () => {
    const before = readFileSync(path.join(PROJECT_ROOT, 'package.json'), 'utf8');
    const result = spawnSync(process.execPath, ['scripts/release-check.mjs', '--no-build'], {
      cwd: PROJECT_ROOT,
      env: cleanEnv({ npm_config_offline: 'true' }),
      encoding: 'utf8',
      timeout: 170_000,
    });
    expect(result.stderr).toBe('');
    expect(result.stdout).toMatch(/^leakguard release:check: leakguard-\d+\.\d+\.\d+\.tgz is ready \(\d+ files/);
    expect(result.status).toBe(0);
    expect(readFileSync(path.join(PROJECT_ROOT, 'package.json'), 'utf8')).toBe(before);
  }, 180_000);

  test("the repository's package.json keeps `prepare` for clones and git dependencies, and strips it when packing", () => {
    const pkg = JSON.parse(readFileSync(path.join(PROJECT_ROOT, 'package.json'), 'utf8')) as {
      scripts: Record<string, string>;
      dependencies?: object;
    };
    expect(pkg.scripts.prepare).toBe('node scripts/prepare.mjs');
    expect(pkg.scripts.prepack).toBe('node scripts/pack-manifest.mjs strip');
    expect(pkg.scripts.postpack).toBe('node scripts/pack-manifest.mjs restore');
    expect(pkg.dependencies ?? {}).toEqual({});
  });
});
