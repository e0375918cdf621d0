/**
 * Which code spawns git itself (src/git/run-git.ts) and which goes through simple-git
 * (src/git/git-client.ts), read from the import lines of src/. The spawn runner is
 * for what must not load simple-git or cannot use it: the streaming sources (simple-git
 * buffers a whole output), the hooks' path (simple-git lives in dist/full.cjs), and the
 * history rewrite of `fix --unpushed` (silent plumbing per commit, which simple-git
 * delays). Every other git call goes through simple-git.
 */
import { describe, expect, test } from '@jest/globals';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { PROJECT_ROOT } from '../../helpers/repo.js';

const SRC = path.join(PROJECT_ROOT, 'src');
const RUNNERS = ['runGit', 'gitText', 'streamGit', 'startGit', 'startGitSession', 'runGitUpTo'];

const SPAWN_ALLOWED: Array<[RegExp, string]> = [
  [/^sources\//, 'streaming sources'],
  [/^git\/run-git\.ts$/, 'the runner itself'],
  [/^git\/repo\.ts$/, "the hooks' repository discovery"],
  [/^git\/fix-marker\.ts$/, "the hooks' interrupted-fix check"],
  [/^fix\/unpushed\//, 'the history rewrite'],
];

function tsFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? tsFiles(path.join(dir, e.name)) : e.name.endsWith('.ts') ? [path.join(dir, e.name)] : [],
  );
}

/** src-relative files that import one of run-git's spawning functions. */
function spawningFiles(): string[] {
  const out: string[] = [];
  for (const file of tsFiles(SRC)) {
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(/import\s*\{([^}]*)\}\s*from\s*'[./]*(?:git\/)?run-git\.js'/g)) {
      const names = m[1]!.split(',').map(
        (n) =>
          n
            .trim()
            .replace(/^type\s+/, '')
            .split(/\s+as\s+/)[0],
      );
      if (names.some((n) => RUNNERS.includes(n!))) out.push(path.relative(SRC, file).split(path.sep).join('/'));
    }
  }
  return out.sort();
}

describe('git runners', () => {
  test('the scanner finds the streaming sources (so the check below can fail)', () => {
    expect(spawningFiles()).toEqual(expect.arrayContaining(['sources/history.ts', 'sources/staged.ts', 'git/repo.ts']));
  });

  test("outside the streaming sources, the hooks' path and the history rewrite, git runs through simple-git", () => {
    const outside = spawningFiles().filter((file) => !SPAWN_ALLOWED.some(([allowed]) => allowed.test(file)));
    expect(outside).toEqual([]);
  });
});
