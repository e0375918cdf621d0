import { describe, expect, test } from '@jest/globals';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { cliSession, findingsOf } from '../helpers/cli-session.js';

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

expectNoRawKeys();
