/**
 * Custom rules run on a worker thread under a time budget: a slow regex that the
 * static check lets through is stopped, reported, and never blocks the scan.
 *
 * SLOW passes the static check (no nested or leading unbounded repetition) but is
 * polynomial of degree 6: on `x` and 300 a's it would run for hours. The bounds
 * below are wide (tens of seconds against a budget of a fraction of one); they
 * only tell "stopped" from "ran to the end".
 */
import { describe, expect, test } from '@jest/globals';
import { regexSafetyProblem } from '../../../src/regex/regex-safety.js';
import { BudgetedRules } from '../../../src/detect/budgeted-rules.js';
import { createDetector } from '../../../src/detect/detector.js';
import type { Fragment } from '../../../src/sources/fragment.js';
import { contiguousFragment } from '../../../src/sources/fragment.js';
import type { RuleSpec } from '../../../src/rules/rule.js';
import { createRng, expandTemplate } from '../../support/examples.js';

const SLOW = 'x(?<secret>a*a*a*a*a*a*b)';
const SLOW_LINE = `x${'a'.repeat(300)}`;
const BUDGET = { baseMs: 300, perMillionCharsMs: 0 };
/** Far below "hours", far above a few budgets on a loaded machine. */
const WIDE_MS = 30_000;

function customRule(id: string, regex: string, keywords: string[]): RuleSpec {
  return {
    id,
    provider: 'custom',
    description: id,
    envVar: id.toUpperCase(),
    regex,
    keywords,
    fromConfig: true,
    examples: { positive: [], negative: [] },
  };
}

const acmeToken = (seed: string) => expandTemplate('acme_{{lowerdigits:24}}', createRng(seed));

describe('custom rules under a time budget', () => {
  test('the slow regex passes the static check (so only the budget can stop it)', () => {
    expect(regexSafetyProblem(SLOW, '', { scansLines: true })).toBeUndefined();
  });

  test('a rule past its budget is stopped and reported; the other rules of the request still run', () => {
    const runner = new BudgetedRules([{ regex: SLOW }, { regex: '(?<secret>acme_[a-z0-9]{24})' }], BUDGET);
    try {
      const token = acmeToken('budget');
      const started = performance.now();
      const result = runner.run([{ text: `${SLOW_LINE}\n${token}\n`, rules: [0, 1] }]);
      expect(performance.now() - started).toBeLessThan(WIDE_MS);
      expect(result.unfinished).toEqual([{ rule: 0, overBudgetNow: true }]);
      expect(result.matches[0]!.map((m) => [m.rule, m.secret])).toEqual([[1, token]]);
      // Stopped for the rest of the scan: not run again, reported again.
      const again = runner.run([{ text: SLOW_LINE, rules: [0, 1] }]);
      expect(again.unfinished).toEqual([{ rule: 0, overBudgetNow: false }]);
      expect(again.matches).toEqual([[]]);
    } finally {
      runner.close();
    }
  });

  test('the detector reports the fragment as not fully scanned and keeps every other finding', () => {
    const reports: Array<[string, string]> = [];
    const rules = [customRule('acme-slow', SLOW, ['xa']), customRule('acme-token', '(?<secret>acme_[a-z0-9]{24})', ['acme_'])];
    const detector = createDetector(rules, {
      customRuleBudget: BUDGET,
      notFullyScanned: (f: Fragment, reason) => reports.push([f.path, reason]),
    });
    try {
      const token = acmeToken('detector');
      const findings = detector.detect(contiguousFragment('slow.txt', `${SLOW_LINE}\nkey = ${token}\n`, 'stdin'));
      expect(findings.map((f) => [f.ruleId, f.secret, f.line])).toEqual([['acme-token', token, 2]]);
      expect(reports).toEqual([['slow.txt', expect.stringMatching(/custom rule acme-slow ran past its time budget/)]]);
      // The next file with the slow rule's keyword is reported too, without waiting again.
      const started = performance.now();
      detector.detect(contiguousFragment('other.txt', SLOW_LINE, 'stdin'));
      expect(performance.now() - started).toBeLessThan(WIDE_MS);
      expect(reports[1]).toEqual(['other.txt', expect.stringMatching(/custom rule acme-slow did not run/)]);
      // A file without its keyword is not.
      detector.detect(contiguousFragment('plain.txt', 'nothing here\n', 'stdin'));
      expect(reports).toHaveLength(2);
    } finally {
      detector.close();
    }
  });

  test('a custom rule finds what it would find on this thread, in base64 blobs too', () => {
    const regex = '(?<![a-z0-9])(?<secret>acme_[a-z0-9]{24})';
    const token = acmeToken('same');
    const encoded = Buffer.from(`ACME_TOKEN=${acmeToken('blob')}`).toString('base64');
    const text = `a = "${token}"\nb: ${encoded}\n${'filler line\n'.repeat(50)}c = '${acmeToken('third')}'\n`;
    const asCustom = createDetector([customRule('acme', regex, ['acme_'])]);
    const asBuiltin = createDetector([{ ...customRule('acme', regex, ['acme_']), fromConfig: undefined }]);
    try {
      const custom = asCustom.detect(contiguousFragment('a.env', text, 'stdin'));
      const builtin = asBuiltin.detect(contiguousFragment('a.env', text, 'stdin'));
      expect(custom.map((f) => [f.line, f.column, f.secret, f.encoding])).toEqual(
        builtin.map((f) => [f.line, f.column, f.secret, f.encoding]),
      );
      expect(custom).toHaveLength(3);
      expect(custom.filter((f) => f.encoding === 'base64')).toHaveLength(1);
    } finally {
      asCustom.close();
      asBuiltin.close();
    }
  });
});
