/**
 * A custom rule whose regex passes the static check but backtracks for hours on a
 * short line: the built CLI stops it after its time budget, still reports what
 * the other rules found, names the file that was not fully scanned, and exits 2.
 */
import { describe, expect, test } from '@jest/globals';
import { createRng, expandTemplate } from '../support/examples.js';
import { tempRepos } from '../helpers/repo.js';

const repo = tempRepos();
/** Polynomial of degree 6: passes the static check, runs for hours on `x` and 300 a's. Every match holds its keyword. */
const SLOW_RULE = { id: 'acme-slow', regex: 'xa(?<secret>a*a*a*a*a*a*b)', keywords: ['xa'] };
const TOKEN_RULE = { id: 'acme-token', regex: '(?<secret>acme_[a-z0-9]{24})', keywords: ['acme_'] };
/** The default budget is 2 s per rule and fragment: far below this. */
const WIDE_MS = 45_000;

describe('custom rules run under a time budget', () => {
  test('scan --staged: the slow rule is stopped, the file named, exit 2; other findings still reported', () => {
    const r = repo();
    r.write('.leakguard.json', JSON.stringify({ rules: [SLOW_RULE, TOKEN_RULE] }));
    r.write('slow.txt', `x${'a'.repeat(300)}\n`);
    const token = expandTemplate('acme_{{lowerdigits:24}}', createRng('e2e-budget'));
    r.write('app.py', `TOKEN = "${token}"\n`);
    r.git('add', '.');
    const started = Date.now();
    const result = r.cli(['scan', '--staged']);
    expect(Date.now() - started).toBeLessThan(WIDE_MS);
    expect(result.status).toBe(2);
    expect(result.stdout).toMatch(/not fully scanned: slow\.txt: custom rule acme-slow ran past its time budget/);
    expect(result.stdout).toMatch(/app\.py\n\s+1:\d+\s+acme-token/);
    expect(result.stderr).toMatch(/^leakguard: error: 1 file was not fully scanned \(slow\.txt\)/);

    const json = r.cli(['scan', '--staged', '--format', 'json']);
    expect(json.status).toBe(2);
    const report = JSON.parse(json.stdout) as {
      findings: Array<{ ruleId: string }>;
      stats: { notRead: Array<{ file: string; partly?: boolean }> };
    };
    expect(report.findings.map((f) => f.ruleId)).toEqual(['acme-token']);
    expect(report.stats.notRead).toEqual([{ file: 'slow.txt', reason: expect.stringMatching(/acme-slow/), partly: true }]);
  });

  test('scan PATH: every file the stopped rule would have run on is named', () => {
    const r = repo();
    r.write('.leakguard.json', JSON.stringify({ rules: [SLOW_RULE] }));
    r.write('a.txt', `x${'a'.repeat(300)}\n`);
    r.write('b.txt', `x${'a'.repeat(300)}\n`);
    r.write('c.txt', 'nothing to see\n');
    const result = r.cli(['scan', '.']);
    expect(result.status).toBe(2);
    expect(result.stdout).toMatch(/not fully scanned: a\.txt: custom rule acme-slow ran past its time budget/);
    expect(result.stdout).toMatch(/not fully scanned: b\.txt: custom rule acme-slow did not run/);
    expect(result.stdout).not.toMatch(/c\.txt/);
    expect(result.stderr).toMatch(/2 files were not fully scanned \(a\.txt, b\.txt\)/);
  });

  test('a fast custom rule changes nothing: exit 1 with its finding, nothing reported unread', () => {
    const r = repo();
    r.write('.leakguard.json', JSON.stringify({ rules: [TOKEN_RULE] }));
    r.write('app.py', `TOKEN = "${expandTemplate('acme_{{lowerdigits:24}}', createRng('fast'))}"\n`);
    r.git('add', '.');
    const result = r.cli(['scan', '--staged']);
    expect(result.status).toBe(1);
    expect(result.stdout).not.toMatch(/not fully scanned/);
    expect(result.stderr).toBe('');
  });
});
