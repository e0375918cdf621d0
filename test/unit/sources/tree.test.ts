/**
 * The tree source's reads: a tracked path that is no longer a regular file is
 * skipped by its type (never opened, never followed), a deleted one is not an error,
 * and text and binary files are read whole.
 */
import { describe, expect, test } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { rmSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { emptyStats } from '../../../src/sources/source-stats.js';
import { treeFragments } from '../../../src/sources/tree.js';
import { makeTempDir, tempRepos } from '../../helpers/repo.js';

const repo = tempRepos();
const posixOnly = process.platform === 'win32' ? test.skip : test;

async function read(root: string): Promise<{ fragments: Array<[string, string]>; stats: ReturnType<typeof emptyStats> }> {
  const stats = emptyStats();
  const fragments: Array<[string, string]> = [];
  for await (const f of treeFragments(['.'], { cwd: root, repoRoot: root, stats })) fragments.push([f.path, f.text] as [string, string]);
  return { fragments, stats };
}

describe('tree source reads', () => {
  posixOnly('tracked files turned into a link, a FIFO or nothing are skipped by type, never opened or followed', async () => {
    const r = repo();
    const outside = path.join(makeTempDir('leakguard-outside-'), 'secret.txt');
    writeFileSync(outside, 'outside text\n');
    r.write('a.txt', 'alpha\n');
    r.write('link.txt', 'was a file\n');
    r.write('fifo.txt', 'was a file\n');
    r.write('gone.txt', 'was a file\n');
    r.write('bin.dat', Buffer.concat([Buffer.from('printable-run-here'), Buffer.alloc(16), Buffer.from('another-run-here')]));
    r.git('add', '-A');
    unlinkSync(path.join(r.root, 'link.txt'));
    symlinkSync(outside, path.join(r.root, 'link.txt'));
    unlinkSync(path.join(r.root, 'fifo.txt'));
    // A FIFO without a writer: opening it would block the scan for ever.
    expect(spawnSync('mkfifo', [path.join(r.root, 'fifo.txt')]).status).toBe(0);
    unlinkSync(path.join(r.root, 'gone.txt'));

    const { fragments, stats } = await read(r.root);
    rmSync(path.dirname(outside), { recursive: true, force: true });
    expect(fragments.filter(([p]) => p !== 'bin.dat')).toEqual([['a.txt', 'alpha']]);
    // A binary file: its printable runs, one a line.
    expect(fragments.filter(([p]) => p === 'bin.dat').map(([, t]) => t)).toEqual(['printable-run-here\nanother-run-here']);
    expect(stats).toMatchObject({ files: 1, binaryFiles: 1, skippedFiles: 2, skippedByReason: { link: 1, special: 1 }, notRead: [] });
  });
});
