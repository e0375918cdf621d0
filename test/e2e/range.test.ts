import { describe, expect, test } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { cliSession, findingsOf } from '../helpers/cli-session.js';
import { cleanEnv } from '../helpers/repo.js';

/** The built CLI in real temporary repositories: --range: the commits of a range (A..B, A...B), and a shallow clone. */
const { key, repo, tempDir, run, scanJson, commitFile, expectNoRawKeys } = cliSession('ci');

describe('--range', () => {
  test('main..feature finds only the branch key, A...B too; a bad range is a usage error', () => {
    const r = repo();
    const onMain = key('on-main');
    commitFile(r, 'settings.py', `KEY = '${onMain}'\n`, 'main key');
    r.git('checkout', '-q', '-b', 'feature');
    commitFile(r, 'notes.md', 'nothing secret\n', 'notes');
    const onBranch = key('on-branch');
    const branchCommit = commitFile(r, 'src/client.ts', `export const key = "${onBranch}";\n`, 'branch key');
    r.git('checkout', '-q', 'main');
    const later = key('main-later');
    commitFile(r, 'later.py', `KEY = '${later}'\n`, 'main moves on');

    const { status, findings, stats } = scanJson(r, ['--range', 'main..feature']);
    expect(status).toBe(1);
    expect(findingsOf(findings)).toEqual([{ file: 'src/client.ts', line: 1, commit: branchCommit }]);
    expect(stats.commits).toBe(2);
    // git's own meaning of A...B: the commits on either side since they forked.
    const symmetric = scanJson(r, ['--range', 'main...feature']);
    expect(symmetric.findings.map((f) => f.file).sort()).toEqual(['later.py', 'src/client.ts']);

    expect(scanJson(r, ['--range', 'feature..feature']).status).toBe(0);
    const bad = run(r, ['scan', '--range', 'main..no-such-branch']);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/unknown revision no-such-branch/);
    expect(run(r, ['scan', '--range', '--output=x..main']).status).toBe(2);
  });

  test('a shallow clone whose base is missing exits 2 with the advice to fetch more history', () => {
    const r = repo();
    const base = commitFile(r, 'a.txt', 'one\n', 'one');
    commitFile(r, 'a.txt', 'two\n', 'two');
    commitFile(r, 'b.txt', 'three\n', 'three');
    const dir = tempDir();
    execFileSync('git', ['clone', '-q', '--depth', '1', `file://${r.root}`, 'clone'], { cwd: dir, env: cleanEnv(), stdio: 'pipe' });
    const clone = path.join(dir, 'clone');
    const result = run(clone, ['scan', '--range', `${base}..HEAD`]);
    expect(result.status).toBe(2);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toContain('shallow');
    expect(result.stderr).toContain('fetch-depth: 0');
    expect(run(clone, ['scan', '--range', 'HEAD~1..HEAD']).stderr).toContain('fetch-depth: 0');
  });
});

expectNoRawKeys();
