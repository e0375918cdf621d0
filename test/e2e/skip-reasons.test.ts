import { describe, expect, test } from '@jest/globals';
import { symlinkSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { tempRepos, type TempRepo } from '../helpers/repo.js';

/**
 * The summary counts each reason a file was not read on its own ("3 lockfiles,
 * 2 links, 1 submodule"), with singular and plural right, in the text report and
 * as `stats.skippedByReason` in JSON. Real repositories, the built CLI.
 */
const repo = tempRepos();

/** 3 lockfiles beside their manifest, 2 symbolic links, 1 submodule (a gitlink), 1 allowlisted path, 1 ordinary file. */
function mixedRepo(): TempRepo {
  const r = repo({ committed: true });
  r.write('package.json', '{}\n');
  r.write('package-lock.json', '{}\n');
  r.write('yarn.lock', '# yarn\n');
  r.write('web/package.json', '{}\n');
  r.write('web/pnpm-lock.yaml', 'lockfileVersion: 9\n');
  r.write('src/app.py', 'print("hello")\n');
  r.write('fixtures/sample.txt', 'sample\n');
  r.write('.leakguard.json', JSON.stringify({ allowlist: { paths: ['fixtures/**'] } }));
  symlinkSync('src/app.py', path.join(r.root, 'link-one'));
  symlinkSync('package.json', path.join(r.root, 'link-two'));
  r.git('add', '-A');
  // A submodule as git records it: a gitlink entry (mode 160000) and its folder in the work tree.
  const head = r.git('rev-parse', 'HEAD').trim();
  r.git('update-index', '--add', '--cacheinfo', `160000,${head},vendor/lib`);
  mkdirSync(path.join(r.root, 'vendor/lib'), { recursive: true });
  return r;
}

const EXPECTED = '7 files not read (1 allowlisted path, 3 lockfiles, 2 links, 1 submodule)';

describe('skipped files are counted by reason', () => {
  test.each([
    ['staged changes', ['--staged']],
    ['the working tree', ['.']],
  ])('%s: text summary and JSON stats', (_name, source) => {
    const r = mixedRepo();
    const text = r.cli(['scan', ...source]);
    expect(text.stderr).toBe('');
    expect(text.status).toBe(0);
    expect(text.stdout).toContain(EXPECTED);
    expect(text.stdout).not.toContain('allowlisted, lockfile, link, submodule or unmerged');

    const json = r.cli(['scan', ...source, '--format', 'json']);
    const stats = (JSON.parse(json.stdout) as { stats: { skippedFiles: number; skippedByReason: Record<string, number> } }).stats;
    expect(stats.skippedFiles).toBe(7);
    expect(stats.skippedByReason).toEqual({ allowlisted: 1, lockfile: 3, link: 2, submodule: 1 });
  });

  test('one of a kind is singular', () => {
    const r = repo({ committed: true });
    r.write('package.json', '{}\n');
    r.write('package-lock.json', '{}\n');
    symlinkSync('package.json', path.join(r.root, 'link'));
    r.git('add', '-A');
    expect(r.cli(['scan', '--staged']).stdout).toContain('2 files not read (1 lockfile, 1 link)');
  });

  test('history: lockfiles are counted as lockfiles', () => {
    const r = repo({ committed: true });
    r.write('package.json', '{}\n');
    r.write('package-lock.json', '{}\n');
    r.write('yarn.lock', '# yarn\n');
    r.git('add', '-A');
    r.commit('deps');
    expect(r.cli(['scan', '--history']).stdout).toContain('2 files not read (2 lockfiles)');
  });
});
