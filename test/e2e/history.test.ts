import { describe, expect, test } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { cliSession, findingsOf } from '../helpers/cli-session.js';
import { CLI, cleanEnv, commitMissingBlob } from '../helpers/repo.js';

/** The built CLI in real temporary repositories: --history: every commit of every ref, each key once at the commit that added it. */
const { key, repo, scanJson, commitFile, expectNoRawKeys } = cliSession('ci');

describe('--history', () => {
  test('a key added then deleted is found once, at the commit that added it, with author and date', () => {
    const r = repo();
    commitFile(r, 'README.md', '# demo\n', 'readme');
    const leaked = key('deleted');
    const added = commitFile(r, 'app.py', `import openai\nopenai.api_key = '${leaked}'\n`, 'add key');
    commitFile(r, 'app.py', 'import os\nimport openai\nopenai.api_key = os.getenv("OPENAI_API_KEY")\n', 'remove key');
    commitFile(r, 'other.txt', 'unrelated\n', 'later');

    expect(readFileSync(path.join(r.root, 'app.py'), 'utf8')).not.toContain(leaked);
    expect(scanJson(r, ['.']).findings).toHaveLength(0); // the work tree is clean…
    const { status, findings, stats } = scanJson(r, ['--history']);
    expect(status).toBe(1); // …the history is not
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ file: 'app.py', line: 2, column: 19, commit: added, author: 'Test Author <author@example.com>' });
    expect(findings[0]!.date).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d$/);
    expect(stats.commits).toBe(4);
  });

  test('every ref is scanned, merges do not double-report, and a line new in a merge is found at the merge', () => {
    const r = repo();
    commitFile(r, 'config.py', 'A = 1\nB = 2\nC = 3\n', 'base');
    r.git('checkout', '-q', '-b', 'feature');
    const onFeature = key('feature-merged');
    const featureCommit = commitFile(r, 'config.py', `A = 1\nB = '${onFeature}'\nC = 3\n`, 'feature key');
    r.git('checkout', '-q', 'main');
    commitFile(r, 'main.txt', 'main work\n', 'main work');
    r.git('merge', '-q', '--no-ff', '--no-edit', 'feature');
    // An evil merge: the merge result has a line that neither parent has.
    r.git('checkout', '-q', '-b', 'evil', 'main~1');
    commitFile(r, 'evil.txt', 'one\n', 'evil base');
    r.git('merge', '-q', '--no-ff', '--no-commit', 'feature');
    const inMerge = key('evil-merge');
    r.write('config.py', `A = 1\nB = '${onFeature}'\nD = '${inMerge}'\nC = 3\n`);
    r.git('add', '-A');
    const evilMerge = r.commit('evil merge');
    // An unmerged branch and a tag are part of --history too.
    r.git('checkout', '-q', '-b', 'stray', 'main~1');
    const stray = key('stray');
    const strayCommit = commitFile(r, 'stray.js', `const k = "${stray}";\n`, 'stray key');
    r.git('checkout', '-q', 'main');

    const { findings } = scanJson(r, ['--history']);
    expect(findingsOf(findings).sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line)).toEqual([
      { file: 'config.py', line: 2, commit: featureCommit },
      { file: 'config.py', line: 3, commit: evilMerge },
      { file: 'stray.js', line: 1, commit: strayCommit },
    ]);

    // The same through --range: the merge brings the feature commit in, reported once.
    const range = scanJson(r, ['--range', 'main~1..main']);
    expect(findingsOf(range.findings)).toEqual([{ file: 'config.py', line: 2, commit: featureCommit }]);
  });
});

describe('--history when git fails', () => {
  test('a long history read by two git processes: one fails on a missing object, the scan reports it and exits 2 by itself', () => {
    // 2,400 commits: over SPLIT_MIN_COMMITS, so the history is dealt to two `git log`
    // processes in blocks of 500. The newest commit (first in the first block) adds a
    // blob that is not in the object store, so that process fails at once while the
    // other still has ~1,000 commits to write. Before the fix leakguard printed the
    // error and then never exited: the other git blocked on a full pipe nobody read.
    const r = repo();
    commitFile(r, 'README.md', '# demo\n', 'readme');
    const parent = r.git('rev-parse', 'HEAD').trim();
    let stream = '';
    for (let c = 0; c < 2_400; c++) {
      const body = `value = ${c}\n${`line ${c} of generated code\n`.repeat(40)}`;
      const msg = `change ${c}\n`;
      stream += `commit refs/heads/main\ncommitter T <t@example.com> ${1_600_000_000 + c} +0000\ndata ${msg.length}\n${msg}`;
      if (c === 0) stream += `from ${parent}\n`;
      stream += `M 100644 inline src/file${c % 40}.py\ndata ${Buffer.byteLength(body)}\n${body}\n`;
    }
    const imported = spawnSync('git', ['fast-import', '--quiet'], { cwd: r.root, env: cleanEnv(), input: stream, encoding: 'utf8' });
    expect(imported.status).toBe(0);
    commitMissingBlob(r);

    const started = Date.now();
    const result = spawnSync(process.execPath, [CLI, 'scan', '--history'], {
      cwd: r.root,
      env: cleanEnv(),
      encoding: 'utf8',
      timeout: 40_000,
    });
    expect(result.signal).toBeNull(); // not killed by the timeout: it exited by itself
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/^leakguard: error: git log -p failed: .*unable to read e{40}/m);
    expect(Date.now() - started).toBeLessThan(35_000);
  }, 150_000);
});

expectNoRawKeys();
