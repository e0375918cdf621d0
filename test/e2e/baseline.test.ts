import { describe, expect, test } from '@jest/globals';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { cliSession, findingsOf } from '../helpers/cli-session.js';

/** The built CLI in real temporary repositories: baselines: recorded findings hidden, new ones still reported. */
const { key, repo, run, scanJson, commitFile, expectNoRawKeys } = cliSession('ci');

describe('baseline', () => {
  test('suppresses recorded findings (even after lines move) and still reports a new one', () => {
    const r = repo();
    const old = key('baseline-old');
    commitFile(r, 'legacy/settings.py', `DEBUG = True\nKEY = '${old}'\n`, 'legacy');

    const written = run(r, ['baseline']);
    expect(written.status).toBe(0);
    const file = path.join(r.root, '.leakguard-baseline.json');
    expect(existsSync(file)).toBe(true);
    const text = readFileSync(file, 'utf8');
    const baseline = JSON.parse(text) as { fingerprints: string[] };
    expect(baseline.fingerprints).toHaveLength(1);
    expect(text).not.toContain(old.slice(8, 30));
    // Deterministic: writing it again changes nothing.
    run(r, ['baseline']);
    expect(readFileSync(file, 'utf8')).toBe(text);

    // Unrelated lines move the old key down; a new key appears elsewhere.
    r.write('legacy/settings.py', `import os\n\n# moved\nDEBUG = True\nKEY = '${old}'\n`);
    const fresh = key('baseline-new');
    r.write('app/new.py', `KEY = '${fresh}'\n`);
    r.git('add', '-A');

    const all = scanJson(r, ['.']);
    expect(all.findings).toHaveLength(2);
    for (const args of [['.'], ['--staged']]) {
      const filtered = scanJson(r, [...args, '--baseline', '.leakguard-baseline.json']);
      expect(filtered.status).toBe(1);
      expect(findingsOf(filtered.findings)).toEqual([{ file: 'app/new.py', line: 1, commit: undefined }]);
    }
    const text2 = run(r, ['scan', '.', '--baseline', '.leakguard-baseline.json']);
    expect(text2.stdout).toMatch(/1 known finding hidden by the baseline/);

    // With the new key recorded too, the scan is clean.
    run(r, ['baseline', '--output', 'b2.json']);
    expect(scanJson(r, ['.', '--baseline', 'b2.json']).status).toBe(0);
  });
});

expectNoRawKeys();
