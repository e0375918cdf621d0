import { describe, expect, test } from '@jest/globals';
import { scan } from '../../src/scan.js';
import type { ScanSource } from '../../src/sources/index.js';
import { rmSync } from 'node:fs';
import path from 'node:path';
import { makeTempDir, tempRepos } from '../helpers/repo.js';

const repo = tempRepos();

/** What scan() did with a source's traits, read from its result and callbacks (real git, no mocks). */
async function run(
  cwd: string,
  source: ScanSource,
): Promise<{ asked: number; kind: string; label: string; notices: boolean; commits: boolean }> {
  let asked = 0;
  const result = await scan({ cwd, source, startProgress: () => (asked++, () => undefined) });
  return {
    asked,
    kind: result.source.kind,
    label: result.source.label,
    notices: 'notices' in result.stats,
    commits: 'commits' in result.stats,
  };
}

describe('scan() follows the source contract', () => {
  test('progress is set up only for long scans; commit counts and range notices only where the source has them', async () => {
    const r = repo({ committed: true });
    r.write('a.txt', 'one\n');
    r.git('add', 'a.txt');
    r.commit('second');
    r.write('b.txt', 'staged\n');
    r.git('add', 'b.txt');
    expect(await run(r.root, { kind: 'staged' })).toEqual({
      asked: 0,
      kind: 'staged',
      label: 'staged changes',
      notices: false,
      commits: false,
    });
    expect(await run(r.root, { kind: 'stdin', text: 'x\n' })).toEqual({
      asked: 0,
      kind: 'stdin',
      label: 'standard input',
      notices: false,
      commits: false,
    });
    expect(await run(r.root, { kind: 'paths', paths: ['.'] })).toEqual({
      asked: 1,
      kind: 'paths',
      label: 'files',
      notices: false,
      commits: false,
    });
    expect(await run(r.root, { kind: 'history' })).toEqual({ asked: 1, kind: 'history', label: 'history', notices: false, commits: true });
    expect(await run(r.root, { kind: 'range', range: 'HEAD~1..HEAD' })).toEqual({
      asked: 1,
      kind: 'range',
      label: 'commit range',
      notices: true,
      commits: true,
    });
    expect(await run(r.root, { kind: 'unpushed' })).toEqual({
      asked: 1,
      kind: 'unpushed',
      label: 'unpushed commits',
      notices: false,
      commits: true,
    });
  });

  test('a bare repository (a CI mirror) will do for commits, not for the index', async () => {
    const r = repo({ committed: true });
    const dir = makeTempDir();
    const mirror = path.join(dir, 'mirror.git');
    try {
      r.git('clone', '-q', '--bare', r.root, mirror);
      expect((await scan({ cwd: mirror, source: { kind: 'history' } })).stats.commits).toBe(1);
      await expect(scan({ cwd: mirror, source: { kind: 'staged' } })).rejects.toThrow(/not a git repository: scan --staged needs one/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
