import { describe, expect, test } from '@jest/globals';
import { chmodSync, rmSync, symlinkSync } from 'node:fs';
import path from 'node:path';
import { stagedFragments, startStagedDiff } from '../../../src/sources/staged.js';
import { GitError } from '../../../src/errors.js';
import { runGitUpTo } from '../../../src/git/run-git.js';
import { emptyStats, type ScanStats } from '../../../src/sources/source-stats.js';
import type { Fragment } from '../../../src/sources/fragment.js';
import { tempRepos, TempRepo } from '../../helpers/repo.js';

const repo = tempRepos();

async function staged(r: TempRepo, skip?: (p: string) => string | undefined): Promise<{ fragments: Fragment[]; stats: ScanStats }> {
  const stats = emptyStats();
  const fragments: Fragment[] = [];
  for await (const f of stagedFragments(r.root, stats, { skipReason: skip })) fragments.push(f);
  return { fragments, stats };
}

const byPath = (fragments: Fragment[]) => Object.fromEntries(fragments.map((f) => [f.path, { text: f.text, lines: f.lineNumbers }]));

describe('stagedFragments (real git)', () => {
  test('first commit: every staged line, with odd file names', async () => {
    const r = repo();
    const names = ['plain.txt', 'with space.txt', 'tab\there.txt', 'quote"d.txt', 'ünïcödé.txt', 'new\nline.txt', 'dir/sub dir/x.txt'];
    names.forEach((n, i) => r.write(n, `first ${i}\nsecond ${i}\n`));
    r.git('add', '-A');
    const { fragments, stats } = await staged(r);
    expect(Object.keys(byPath(fragments)).sort()).toEqual([...names].sort());
    expect(byPath(fragments)['tab\there.txt']).toEqual({ text: 'first 2\nsecond 2', lines: [1, 2] });
    expect(stats).toMatchObject({ files: names.length, lines: names.length * 2, binaryFiles: 0 });
  });

  test('modified, renamed, copied and deleted files', async () => {
    const r = repo();
    const body = Array.from({ length: 30 }, (_, i) => `line ${i} of a reasonably long file body`).join('\n') + '\n';
    r.write('keep.txt', 'a\nb\nc\n');
    r.write('move-me.txt', body);
    r.write('copy-src.txt', body.replace(/line/g, 'row'));
    r.write('gone.txt', 'bye\n');
    r.git('add', '-A');
    r.commit();
    r.write('keep.txt', 'a\nB\nc\nd\n');
    r.git('mv', 'move-me.txt', 'moved.txt');
    r.write('moved.txt', body + 'appended after rename\n');
    r.write('copy-src.txt', body.replace(/line/g, 'row') + 'changed source\n');
    r.write('copy-dst.txt', body.replace(/line/g, 'row'));
    r.git('rm', '-q', 'gone.txt');
    r.git('add', '-A');
    const { fragments } = await staged(r);
    const got = byPath(fragments);
    expect(got['keep.txt']).toEqual({ text: 'B\nd', lines: [2, 4] });
    expect(got['moved.txt']).toEqual({ text: 'appended after rename', lines: [31] });
    expect(got['copy-src.txt']).toEqual({ text: 'changed source', lines: [31] });
    // Copies are not detected (as in history): the new file's lines are all scanned.
    expect(got['copy-dst.txt']?.lines).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
    expect(got['gone.txt']).toBeUndefined();
  });

  test('binary files are counted as such (read for text runs: none here); CRLF and missing final newline kept', async () => {
    const r = repo();
    r.write('image.bin', Buffer.from([0, 1, 2, 3, 0, 255]));
    r.write('crlf.txt', 'one\r\ntwo\r\n');
    r.write('nonl.txt', 'no newline');
    r.git('add', '-A');
    const { fragments, stats } = await staged(r);
    expect(byPath(fragments)['crlf.txt']!.text).toBe('one\r\ntwo\r');
    expect(byPath(fragments)['nonl.txt']!.text).toBe('no newline');
    expect(stats.binaryFiles).toBe(1);
    expect(stats.files).toBe(2);
  });

  test('UTF-16 files (git shows them as binary) are decoded by their BOM; a new file is read whole', async () => {
    const r = repo();
    r.write('notes-le.txt', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('first\r\nsecond é\r\n', 'utf16le')]));
    r.write('notes-be.txt', Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from('only line\n', 'utf16le').swap16()]));
    r.write('image.bin', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 13]));
    r.git('add', '-A');
    const { fragments, stats } = await staged(r);
    expect(byPath(fragments)).toEqual({
      'notes-le.txt': { text: 'first\r\nsecond é\r', lines: [1, 2] },
      'notes-be.txt': { text: 'only line', lines: [1] },
    });
    expect(stats).toMatchObject({ files: 2, binaryFiles: 1, lines: 3 });
  });

  test('partially staged file: only the staged content is read', async () => {
    const r = repo();
    r.write('app.py', 'a = 1\n');
    r.git('add', '-A');
    r.commit();
    r.write('app.py', 'a = 1\nstaged = 2\n');
    r.git('add', 'app.py');
    r.write('app.py', 'a = 1\nstaged = 2\nunstaged = 3\n');
    const { fragments } = await staged(r);
    expect(byPath(fragments)).toEqual({ 'app.py': { text: 'staged = 2', lines: [2] } });
  });

  test('a type change to a symlink is not read as text', async () => {
    const r = repo();
    r.write('f', 'plain\n');
    r.write('g', 'g\n');
    r.git('add', '-A');
    r.commit();
    rmSync(path.join(r.root, 'f'));
    symlinkSync('g', path.join(r.root, 'f'));
    r.git('add', '-A');
    r.write('g', 'g\nmore\n');
    r.git('add', 'g');
    const { fragments, stats } = await staged(r);
    expect(byPath(fragments)).toEqual({ g: { text: 'more', lines: [2] } });
    expect(stats.skippedFiles).toBe(1);
  });

  test('skipped paths are counted, not read', async () => {
    const r = repo();
    r.write('package-lock.json', '{"integrity": "sha512-abc"}\n');
    r.write('src.js', 'x\n');
    r.git('add', '-A');
    const { fragments, stats } = await staged(r, (p) => (p === 'package-lock.json' ? 'lockfile' : undefined));
    expect(fragments.map((f) => f.path)).toEqual(['src.js']);
    expect(stats.skippedFiles).toBe(1);
  });

  test('an empty index yields nothing', async () => {
    const r = repo();
    const { fragments, stats } = await staged(r);
    expect(fragments).toEqual([]);
    expect(stats.files).toBe(0);
  });

  test('executable bit does not matter', async () => {
    const r = repo();
    const f = r.write('run.sh', '#!/bin/sh\necho hi\n');
    chmodSync(f, 0o755);
    r.git('add', '-A');
    const { fragments } = await staged(r);
    expect(byPath(fragments)['run.sh']!.lines).toEqual([1, 2]);
  });
});

describe('the hook path: startStagedDiff reads a small diff in one call, streams a large one', () => {
  const fragmentsOf = async (r: TempRepo, diff?: AsyncIterable<Buffer>) => {
    const fragments: Fragment[] = [];
    for await (const f of stagedFragments(r.root, emptyStats(), {}, diff)) fragments.push(f);
    return fragments;
  };

  test.each([
    ['a small diff (one blocking git call)', 200],
    ['a diff over 128 KB (git is stopped and streamed instead)', 20_000],
  ])('%s: the same fragments as the streamed diff', async (_, lines) => {
    const r = repo();
    r.write('a.txt', Array.from({ length: lines }, (_, i) => `line ${i} of a file that is long enough`).join('\n') + '\n');
    r.write('b.txt', 'one\ntwo\n');
    r.git('add', '-A');
    const streamed = await fragmentsOf(r);
    expect(streamed.map((f) => f.path)).toEqual(['a.txt', 'b.txt']);
    expect(await fragmentsOf(r, startStagedDiff(r.root).chunks)).toEqual(streamed);
  });

  test('runGitUpTo: undefined past the limit; a failing git is a GitError when read', async () => {
    const r = repo({ committed: true });
    expect(runGitUpTo(['cat-file', '-p', 'HEAD'], { cwd: r.root }, 10)).toBeUndefined();
    const small = runGitUpTo(['cat-file', '-p', 'HEAD'], { cwd: r.root }, 1 << 20)!;
    const chunks: Buffer[] = [];
    for await (const chunk of small.chunks) chunks.push(chunk);
    expect(Buffer.concat(chunks).toString()).toMatch(/^tree [0-9a-f]{40}\n/);
    const failing = runGitUpTo(['cat-file', '-p', 'no-such-revision'], { cwd: r.root }, 1 << 20)!;
    await expect(
      (async () => {
        for await (const chunk of failing.chunks) void chunk;
      })(),
    ).rejects.toBeInstanceOf(GitError);
  });
});
