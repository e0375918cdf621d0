import { describe, expect, test } from '@jest/globals';
import { commitFragments, historyFragments, historySource, splitPays, startCommitLog } from '../../../src/sources/history.js';
import { parseRange } from '../../../src/sources/range.js';
import { CommitSplitter } from '../../../src/sources/git-output/commit-splitter.js';
import { unquotePath } from '../../../src/sources/git-output/combined-diff.js';
import { emptyStats } from '../../../src/sources/source-stats.js';
import { decodeText } from '../../../src/sources/decode-text.js';
import { treeFragments } from '../../../src/sources/tree.js';
import type { Fragment } from '../../../src/sources/fragment.js';
import { execFileSync, spawnSync } from 'node:child_process';
import { cleanEnv, commitMissingBlob, tempRepos, type TempRepo } from '../../helpers/repo.js';

const repo = tempRepos();

async function* chunked(data: Buffer, size: number): AsyncGenerator<Buffer> {
  for (let i = 0; i < data.length; i += size) yield data.subarray(i, i + size);
}

async function split(data: Buffer, size: number, marker: Buffer): Promise<Array<{ header: string; body: string }>> {
  const splitter = new CommitSplitter(chunked(data, size)[Symbol.asyncIterator](), marker);
  const out: Array<{ header: string; body: string }> = [];
  for (let header = await splitter.nextHeader(); header !== undefined; header = await splitter.nextHeader()) {
    const parts: Buffer[] = [];
    for await (const chunk of splitter.body()) parts.push(chunk);
    out.push({ header, body: Buffer.concat(parts).toString('utf8') });
  }
  return out;
}

/** As history.ts reads: whole commits while they fit in `hold` bytes, the rest streamed. */
async function takeOrStream(data: Buffer, size: number, marker: Buffer, hold: number): Promise<Array<{ header: string; body: string }>> {
  const splitter = new CommitSplitter(chunked(data, size)[Symbol.asyncIterator](), marker);
  const out: Array<{ header: string; body: string }> = [];
  for (;;) {
    for (let whole = splitter.takeCommit(); whole; whole = splitter.takeCommit())
      out.push({ header: whole.header, body: whole.body.toString('utf8') });
    if (await splitter.more(hold)) continue;
    const header = await splitter.nextHeader();
    if (header === undefined) return out;
    const parts: Buffer[] = [];
    for await (const chunk of splitter.body()) parts.push(chunk);
    out.push({ header, body: Buffer.concat(parts).toString('utf8') });
  }
}

describe('CommitSplitter', () => {
  test('cuts commits at the marker whatever the chunk boundaries', async () => {
    const marker = Buffer.from('\x01lg:1234\x02');
    const stream = Buffer.from(
      `\x01lg:1234\x02aaa\x02p1\0\n:100644 100644 x y M\0f.txt\0\0diff --git a/f b/f\n+ü line\n` +
        `\x01lg:1234\x02bbb\x02\0` + // an empty commit
        `\x01lg:1234\x02ccc\x02p1 p2\0\0::m m m s s s MM\0g\0\0diff --cc g\n`,
    );
    const expected = [
      { header: 'aaa\x02p1', body: ':100644 100644 x y M\0f.txt\0\0diff --git a/f b/f\n+ü line\n' },
      { header: 'bbb\x02', body: '' },
      { header: 'ccc\x02p1 p2', body: '::m m m s s s MM\0g\0\0diff --cc g\n' },
    ];
    for (const size of [1, 2, 3, 5, 7, 11, 64, 4096]) expect(await split(stream, size, marker)).toEqual(expected);
    // Whole commits taken without an async step, and those larger than the hold limit streamed, mixed.
    for (const size of [1, 3, 7, 64, 4096]) {
      for (const hold of [1, 16, 40, 1 << 20]) expect(await takeOrStream(stream, size, marker, hold)).toEqual(expected);
    }
  });

  test('a commit spread over many chunks is joined once, not chunk by chunk', async () => {
    // Joining each chunk as it came copied a large commit's bytes once per chunk (quadratic).
    const marker = Buffer.from('\x01lg:1234\x02');
    const body = `diff --git a/f b/f\n${'+line\n'.repeat(200)}`;
    const stream = Buffer.from(`\x01lg:1234\x02aaa\x02\0${body}\x01lg:1234\x02bbb\x02\0`);
    for (const size of [1, 5, 7, 64]) {
      const splitter = new CommitSplitter(chunked(stream, size)[Symbol.asyncIterator](), marker);
      // One call reads on to the chunk holding the first marker, one more to the next commit's.
      expect(await splitter.more(1 << 20)).toBe(true);
      expect(splitter.takeCommit()).toBeUndefined();
      expect(await splitter.more(1 << 20)).toBe(true);
      expect(splitter.takeCommit()).toEqual({ header: 'aaa\x02', body: Buffer.from(body) });
    }
  });
});

describe('parseRange', () => {
  test('two dots, three dots, open ends and single revisions', () => {
    expect(parseRange('main..feature')).toEqual({ endpoints: ['main', 'feature'], symmetric: false });
    expect(parseRange('a1b2...HEAD~3')).toEqual({ endpoints: ['a1b2', 'HEAD~3'], symmetric: true });
    expect(parseRange('origin/main..')).toEqual({ endpoints: ['origin/main', 'HEAD'], symmetric: false });
    expect(parseRange('v1.2.3')).toEqual({ endpoints: ['v1.2.3'], symmetric: false });
  });

  test('options and junk are refused', () => {
    for (const bad of ['', ' ', '--all', 'a..--output=x', 'a b..c', 'a....b']) expect(() => parseRange(bad)).toThrow(/--range expects/);
  });
});

describe('unquotePath', () => {
  test("reverses git's C quoting", () => {
    expect(unquotePath('plain name.txt')).toBe('plain name.txt');
    expect(unquotePath('"q\\"t.txt"')).toBe('q"t.txt');
    expect(unquotePath('"tab\\there\\\\x"')).toBe('tab\there\\x');
    expect(unquotePath('"\\303\\274ber.txt"')).toBe('über.txt');
    expect(unquotePath('"new\\nline"')).toBe('new\nline');
  });
});

async function history(r: TempRepo, splitMinCommits?: number, streams?: 1 | 2): Promise<Fragment[]> {
  const out: Fragment[] = [];
  for await (const f of historyFragments(r.root, { kind: 'history' }, { stats: emptyStats(), splitMinCommits, streams })) out.push(f);
  return out;
}

describe('splitPays', () => {
  test('two git processes only on a machine of two cores or more with half a core idle', () => {
    expect(splitPays(2, 0.2)).toBe(true);
    expect(splitPays(8, 4)).toBe(true);
    // The load average counts the scan's own recent runs: up to 1.5 on two cores still splits.
    expect(splitPays(2, 1)).toBe(true);
    // Other processes keep the cores busy: one git process.
    expect(splitPays(2, 1.6)).toBe(false);
    expect(splitPays(2, 9.7)).toBe(false);
    expect(splitPays(1, 0)).toBe(false);
  });
});

/** 40 commits over 7 files, with a side branch merged by an evil merge (a line in neither parent). */
function branchyHistory(): TempRepo {
  const r = repo();
  for (let i = 0; i < 40; i++) {
    r.write(`f${i % 7}.txt`, `${'x\n'.repeat(i % 5)}line ${i}\n`);
    r.git('add', '-A');
    r.commit(`c${i}`);
    if (i === 20) {
      r.git('checkout', '-q', '-b', 'side');
      r.write('side.txt', 'on the side\n');
      r.git('add', '-A');
      r.commit('side');
      r.git('checkout', '-q', 'main');
      r.git('merge', '-q', '--no-commit', 'side');
      // An evil merge: a line in neither parent, so the merge has a combined diff to scan.
      r.write('side.txt', 'on the side\nadded by the merge\n');
      r.git('add', '-A');
      r.commit('merge side');
    }
  }
  return r;
}

const fragmentKey = (f: Fragment) => `${f.commit?.commit}\0${f.path}\0${f.lineNumbers.join(',')}\0${f.text}`;

describe('historyFragments (real git)', () => {
  test('split across two git processes: every fragment exactly once, as in one stream', async () => {
    const r = branchyHistory();
    const key = fragmentKey;
    const single = (await history(r, Number.POSITIVE_INFINITY)).map(key);
    const split = (await history(r, 1)).map(key);
    expect(split).toHaveLength(single.length);
    expect(single.some((k) => k.endsWith('\0added by the merge'))).toBe(true);
    expect(new Set(split).size).toBe(split.length);
    expect([...split].sort()).toEqual([...single].sort());
    // The same commit lists read by one git process (a busy machine: splitPays): the same fragments.
    const oneProcess = (await history(r, 1, 1)).map(key);
    expect([...oneProcess].sort()).toEqual([...split].sort());
  });

  test('a walk run early (the pre-push hook) reads up to its limit or byte bound; past it, the rest follows: every fragment exactly once', async () => {
    const r = branchyHistory();
    const revisions = ['HEAD'];
    const read = async (options: { limit?: number; bytes?: number; splitMinCommits?: number }): Promise<string[]> => {
      const out: string[] = [];
      const first = options.limit === undefined ? undefined : startCommitLog(r.root, revisions, options.limit, options.bytes);
      const stats = emptyStats();
      for await (const f of commitFragments(r.root, revisions, 'range', { stats, first, splitMinCommits: options.splitMinCommits })) {
        out.push(fragmentKey(f));
      }
      return out;
    };
    const single = await read({ splitMinCommits: Number.POSITIVE_INFINITY });
    expect(single.some((k) => k.endsWith('\0added by the merge'))).toBe(true);
    // 42 commits on HEAD: limits below, at and above that count; the blocking read stopped
    // before the first commit ends, or inside a later one; the rest by one walk or by commit lists.
    const cut = startCommitLog(r.root, revisions, 2_000, 3_000);
    expect(cut.limit).toBeGreaterThan(0);
    expect(cut.limit).toBeLessThan(42);
    const cases = [{ limit: 7 }, { limit: 42 }, { limit: 2_000 }, { limit: 2_000, bytes: 1 }, { limit: 2_000, bytes: 3_000 }];
    for (const c of cases) {
      for (const splitMinCommits of [Number.POSITIVE_INFINITY, 1]) {
        const got = await read({ ...c, splitMinCommits });
        expect(new Set(got).size).toBe(got.length);
        expect([...got].sort()).toEqual([...single].sort());
      }
    }
  });

  test('historySource: fragmentBatches gives the fragments of fragments(), in the same order', async () => {
    const r = repo();
    for (let i = 0; i < 12; i++) {
      r.write(`f${i % 3}.txt`, `${'y\n'.repeat(i % 4)}line ${i}\n`);
      r.write(`g${i % 2}.txt`, `other ${i}\n`);
      r.git('add', '-A');
      r.commit(`c${i}`);
    }
    const key = (f: Fragment) => `${f.commit?.commit}\0${f.path}\0${f.lineNumbers.join(',')}\0${f.text}`;
    const source = historySource();
    const context = { cwd: r.root, repoRoot: r.root, stats: emptyStats() };
    const one: string[] = [];
    for await (const f of source.fragments(context)) one.push(key(f));
    const batched: string[] = [];
    let batches = 0;
    for await (const batch of source.fragmentBatches!({ ...context, stats: emptyStats() })) {
      batches++;
      for (const f of batch) batched.push(key(f));
    }
    expect(one.length).toBeGreaterThanOrEqual(24);
    expect(batched).toEqual(one);
    // Whole commits come as batches, not one fragment at a time.
    expect(batches).toBeLessThan(one.length);
    expect(source.bulk).toBe(true);
  });

  test('split across two git processes: when one fails (a missing object) the scan rejects and no git is left running', async () => {
    const r = repo({ committed: true });
    const parent = r.git('rev-parse', 'HEAD').trim();
    let stream = '';
    for (let c = 0; c < 40; c++) {
      // ~32 KB a commit: the other process has far more than a pipe's 64 KB still to write.
      const body = `line ${c} of generated code\n`.repeat(1_200);
      stream += `commit refs/heads/main\ncommitter T <t@example.com> ${1_600_000_000 + c} +0000\ndata 7\nchange\n`;
      if (c === 0) stream += `from ${parent}\n`;
      stream += `M 100644 inline src/file${c}.txt\ndata ${Buffer.byteLength(body)}\n${body}\n`;
    }
    expect(spawnSync('git', ['fast-import', '--quiet'], { cwd: r.root, env: cleanEnv(), input: stream }).status).toBe(0);
    // The newest commit, first in the first process's list, adds a blob the store does not have.
    commitMissingBlob(r);

    await expect(history(r, 1)).rejects.toThrow(/unable to read e{40}/);
    // Before the fix the other `git log` stayed blocked on its full pipe, and kept the process alive.
    const gitChildren = async () =>
      execFileSync('ps', ['-o', 'comm=', '--ppid', String(process.pid)], { encoding: 'utf8' })
        .split('\n')
        .filter((name) => name.trim() === 'git').length;
    for (let i = 0; i < 50 && (await gitChildren()) > 0; i++) await new Promise((resolve) => setTimeout(resolve, 100));
    expect(await gitChildren()).toBe(0);
  });

  test('split on for a one-commit history: no empty git process (it would fall back to HEAD)', async () => {
    const r = repo();
    r.write('only.txt', 'one line\n');
    r.git('add', '-A');
    r.commit('only');
    const fragments = await history(r, 1);
    expect(fragments.map((f) => f.path)).toEqual(['only.txt']);
  });

  test('odd file names, renames and binaries across commits', async () => {
    const r = repo();
    const body = Array.from({ length: 20 }, (_, i) => `row ${i} of a file long enough for rename detection`).join('\n') + '\n';
    r.write('tab\there.txt', 'one\n');
    r.write('move me.txt', body);
    r.write('blob.bin', Buffer.from([0, 1, 2, 3, 10, 65]));
    r.git('add', '-A');
    const first = r.commit('first');
    r.git('mv', 'move me.txt', 'moved "here".txt');
    r.write('tab\there.txt', 'one\ntwo\n');
    r.git('add', '-A');
    const second = r.commit('second');
    const got = (await history(r)).map((f) => ({ path: f.path, text: f.text, lines: f.lineNumbers, commit: f.commit?.commit }));
    expect(got).toEqual([
      { path: 'tab\there.txt', text: 'two', lines: [2], commit: second },
      { path: 'move me.txt', text: body.trimEnd(), lines: Array.from({ length: 20 }, (_, i) => i + 1), commit: first },
      { path: 'tab\there.txt', text: 'one', lines: [1], commit: first },
    ]);
  });

  test('merges: only lines new in the merge result, with their line numbers', async () => {
    const r = repo();
    r.write('f.txt', 'a\nb\nc\n');
    r.git('add', '-A');
    r.commit('base');
    r.git('checkout', '-q', '-b', 'side');
    r.write('f.txt', 'a\nside\nc\n');
    r.write('quote"d.txt', 'from side\n');
    r.git('add', '-A');
    r.commit('side');
    r.git('checkout', '-q', 'main');
    r.write('f.txt', 'a\nmain\nc\n');
    r.git('add', '-A');
    r.commit('main');
    try {
      r.git('merge', '-q', 'side');
    } catch {
      // the conflict is the point
    }
    r.write('f.txt', 'a\nmain\nside\nresolution\nc\n');
    r.write('quote"d.txt', 'from side\nadded in merge\n');
    r.git('add', '-A');
    const merge = r.commit('merge');
    // One walk, and split streams (merges then run in their own `git log`, without rename detection).
    for (const splitMin of [Number.POSITIVE_INFINITY, 1]) {
      const fromMerge = (await history(r, splitMin)).filter((f) => f.commit?.commit === merge);
      expect(fromMerge.map((f) => ({ path: f.path, text: f.text, lines: f.lineNumbers }))).toEqual([
        { path: 'f.txt', text: 'resolution', lines: [4] },
        { path: 'quote"d.txt', text: 'added in merge', lines: [2] },
      ]);
    }
  });
});

describe('tree source', () => {
  test('decodeText: UTF-16 with a BOM, UTF-8 BOM dropped, NUL means binary', () => {
    expect(decodeText(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('hé\r\n', 'utf16le')]))).toBe('hé\r\n');
    expect(decodeText(Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from('hé', 'utf16le').swap16()]))).toBe('hé');
    expect(decodeText(Buffer.from('\ufeffx = 1\n'))).toBe('x = 1\n');
    expect(decodeText(Buffer.from([65, 0, 66]))).toBeUndefined();
  });

  test('large files are streamed, not skipped; progress is reported in files', async () => {
    const r = repo();
    r.write('small.txt', 'a\nb\n');
    r.write('big.txt', 'x'.repeat(2000));
    r.write('sub/c.txt', 'c\r\nd\r\n');
    const stats = emptyStats();
    const calls: Array<[number, number | undefined, string]> = [];
    const out: Fragment[] = [];
    for await (const f of treeFragments(['.'], {
      cwd: r.root,
      repoRoot: r.root,
      stats,
      maxFileBytes: 1000,
      progress: (...a) => calls.push(a),
    }))
      out.push(f);
    expect(out.map((f) => [f.path, f.text, f.lineNumbers])).toEqual([
      ['big.txt', 'x'.repeat(2000), [1]],
      ['small.txt', 'a\nb', [1, 2]],
      ['sub/c.txt', 'c\r\nd\r', [1, 2]],
    ]);
    expect(stats).toMatchObject({ files: 3, skippedFiles: 0, lines: 5, notRead: [] });
    expect(calls[calls.length - 1]).toEqual([3, 3, 'files']);
  });
});
