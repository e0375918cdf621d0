import { describe, expect, test } from '@jest/globals';
import path from 'node:path';
import {
  createDetector,
  MIN_WINDOW_CHARS,
  UNBOUNDED_REACH,
  windowLayout,
  windowsOf,
  type WindowLayout,
} from '../../../src/detect/detector.js';
import { loadRuleFiles } from '../../../scripts/rule-files.js';
import { createRng, expandTemplate } from '../../support/examples.js';
import type { RuleSpec } from '../../../src/rules/rule.js';
import { matchExtent } from '../../../src/regex/regex-ast.js';
import { armoredKey, openaiKey, githubToken } from '../../helpers/keys.js';
import { PROJECT_ROOT } from '../../helpers/repo.js';

const RULES = loadRuleFiles(path.join(PROJECT_ROOT, 'rules'));
const LAYOUT = windowLayout(RULES);

/** A trusted (built-in style) rule whose match is `length` characters long. */
function longRule(id: string, length: number): RuleSpec {
  return {
    id,
    provider: 'test',
    description: id,
    envVar: 'LONG',
    keywords: ['zq_'],
    regex: `(?<secret>zq_[a-z0-9]{${length - 3}})(?![a-z0-9])`,
    examples: { positive: [], negative: [] },
  };
}

/** Filler of ordinary code, `length` characters, ending with a line break when `lines`. */
function filler(length: number, lines: boolean): string {
  const code = lines ? 'var a=b+c;if(a){f(a)}else{g(b)}\n' : 'var a=b+c;if(a){f(a)}else{g(b)} ';
  return code.repeat(Math.ceil(length / code.length)).slice(0, length);
}

/**
 * Text with each key placed to start at its offset (ascending, far enough apart),
 * and what the detector must report: each key once, whole, at its own column.
 */
function placed(
  starts: readonly number[],
  keyAt: (i: number) => string,
  lines: boolean,
): { text: string; expected: Array<[number, string]> } {
  let text = '';
  const expected: Array<[number, string]> = [];
  starts.forEach((start, i) => {
    const prefix = lines ? '\n' : ` t${i} = "`;
    text += filler(start - text.length - prefix.length, lines) + prefix;
    const key = keyAt(i);
    expected.push([text.length, key]);
    text += key + (lines ? '\n' : '"; ');
  });
  return { text, expected };
}

/**
 * Where keys of `keyLength` start, one placement per case: just before, on and just
 * after each edge where ownership passes to the next window, or where a window
 * ends, and straddling it. One key per edge, so the keys of a case never overlap.
 */
function edgeCases(layout: WindowLayout, windows: number, keyLength: number): Array<[string, number[]]> {
  const all = [...windowsOf(windows * layout.size, layout)].slice(0, -1);
  const cases: Array<[string, number[]]> = [];
  for (const [edge, at] of [
    ['ownership edge', (w: { ownTo: number }) => w.ownTo],
    ['window end', (w: { to: number }) => w.to],
  ] as const) {
    for (const [where, shift] of [
      ['just before', -1],
      ['on', 0],
      ['just after', 1],
      ['straddling', -Math.floor(keyLength / 2)],
    ] as const) {
      cases.push([`${where} each ${edge}`, all.map((w) => at(w) + shift)]);
    }
  }
  return cases;
}

describe('window layout', () => {
  test('the overlap is derived from the rules: at least the longest reach of every built-in rule on either side of its secret', () => {
    for (const rule of RULES) {
      const { before, after } = matchExtent(rule.regex, rule.flags ?? '');
      expect({ id: rule.id, before: Math.min(before, UNBOUNDED_REACH) <= LAYOUT.context }).toEqual({ id: rule.id, before: true });
      expect({ id: rule.id, after: Math.min(after, UNBOUNDED_REACH) <= LAYOUT.overlap - LAYOUT.context }).toEqual({
        id: rule.id,
        after: true,
      });
    }
  });

  test('a rule with a longer match makes the overlap (and the windows) grow with it', () => {
    const layout = windowLayout([...RULES, longRule('long-40k', 40_000)]);
    expect(layout.overlap - layout.context).toBeGreaterThanOrEqual(40_000);
    expect(layout.size).toBeGreaterThanOrEqual(4 * layout.overlap);
    // Custom rules run over whole fragments on their own worker: they add nothing.
    expect(windowLayout([...RULES, { ...longRule('custom-90k', 90_000), fromConfig: true }])).toEqual(LAYOUT);
  });

  test('an unbounded rule counts for a bounded reach, so one rule cannot make the windows unbounded', () => {
    const layout = windowLayout([{ ...longRule('unbounded', 10), regex: '(?<secret>zq_[a-z0-9]+)' }]);
    expect(layout.overlap).toBeLessThanOrEqual(2 * UNBOUNDED_REACH);
    expect(layout.size).toBe(MIN_WINDOW_CHARS);
  });

  test.each([0, 1, MIN_WINDOW_CHARS, MIN_WINDOW_CHARS + 1, 3 * MIN_WINDOW_CHARS + 12345])(
    "length %i: every start owned once, with the rules' reach around it",
    (length) => {
      const windows = [...windowsOf(length, LAYOUT)];
      expect(windows[0]!.ownFrom).toBe(0);
      expect(windows.at(-1)!.ownTo).toBe(length);
      for (let i = 0; i < windows.length; i++) {
        const w = windows[i]!;
        expect(w.to - w.from).toBeLessThanOrEqual(LAYOUT.size);
        if (i > 0) expect(w.ownFrom).toBe(windows[i - 1]!.ownTo);
        if (w.to < length) expect(w.to - w.ownTo).toBeGreaterThanOrEqual(LAYOUT.overlap - LAYOUT.context);
        if (w.from > 0) expect(w.ownFrom - w.from).toBeGreaterThanOrEqual(LAYOUT.context);
      }
    },
  );
});

describe('detection on one very long line', () => {
  const detector = createDetector(RULES);

  test.each(edgeCases(LAYOUT, 8, 200))('keys %s are each found once, at their own column', (_case, starts) => {
    const { text, expected } = placed(starts, (i) => (i % 2 ? githubToken(`win-${i}`) : openaiKey(`win-${i}`)), false);
    const findings = detector.detect({ path: 'bundle.min.js', text, lineNumbers: [1], origin: 'stdin' });
    expect(findings.map((f) => [f.column - 1, f.secret])).toEqual(expected);
  });

  const rules40k = [...RULES, longRule('long-40k', 40_000)];
  const detector40k = createDetector(rules40k);
  test.each(edgeCases(windowLayout(rules40k), 5, 40_000))('a rule matching 40,000 characters, %s, is found whole', (_case, starts) => {
    const { text, expected } = placed(starts, (i) => expandTemplate('zq_{{lowerdigits:39997}}', createRng(`long-${i}`)), false);
    const findings = detector40k.detect({ path: 'data.txt', text, lineNumbers: [1], origin: 'stdin' });
    expect(findings.map((f) => [f.column - 1, f.secret.length, f.ruleId])).toEqual(
      expected.map(([at, key]) => [at, key.length, 'long-40k']),
    );
  });
});

describe('private keys are never split by a window', () => {
  const detector = createDetector(RULES);
  const lineStarts = (text: string): number[] => {
    const out = [0];
    for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) out.push(i + 1);
    return out;
  };

  const keys = [
    ['a 20 KB PGP key', 'PGP PRIVATE KEY BLOCK', 20_000, 'private-key-pgp'],
    ['an RSA key', 'RSA PRIVATE KEY', 1_600, 'private-key-pem'],
    ['an OpenSSH key', 'OPENSSH PRIVATE KEY', 2_500, 'private-key-openssh'],
  ] as const;
  const cases = keys.flatMap(([name, label, bodyChars, ruleId]) =>
    edgeCases(LAYOUT, 6, armoredKey(label, bodyChars, 'probe').length).map(
      ([where, starts]) => [name, where, starts, label, bodyChars, ruleId] as const,
    ),
  );

  test.each(cases)('%s starting %s', (_name, _where, starts, label, bodyChars, ruleId) => {
    const { text, expected } = placed(starts, (i) => armoredKey(label, bodyChars, `${label}-${i}`), true);
    const starts0 = lineStarts(text);
    const findings = detector.detect({ path: 'keys.txt', text, lineNumbers: starts0.map((_, i) => i + 1), origin: 'stdin' });
    const at = (f: { line: number; column: number }) => starts0[f.line - 1]! + f.column - 1;
    expect(findings.map((f) => [at(f), f.secret, f.ruleId])).toEqual(expected.map(([offset, key]) => [offset, key, ruleId]));
  });
});
