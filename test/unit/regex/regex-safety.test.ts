/**
 * The static check of user regexes (.leakguard.json rules and allowlist regexes)
 * for catastrophic backtracking, and what the regex parser reports about a match's
 * reach (used to size the detector's windows).
 */
import { describe, expect, test } from '@jest/globals';
import { regexSafetyProblem } from '../../../src/regex/regex-safety.js';
import { matchExtent } from '../../../src/regex/regex-ast.js';
import { TempRepo } from '../../helpers/repo.js';

describe('user regexes in .leakguard.json are checked for catastrophic backtracking', () => {
  test.each([
    '(a+)+',
    '(\\w*)*',
    '(a|a)*',
    '(.*a){3}',
    '(\\d?\\d)+',
    '(\\w*,\\w*)*',
    '(\\w|\\d)+',
    '(a|)+',
    '(x+x+)+y',
    '(a{1,2})+',
    '(?:[a-z]+)*@',
    '((ab)*)+',
    '(?<secret>(?:[A-Z0-9]+-?)+)',
  ])('refused: %s', (source) => {
    expect(regexSafetyProblem(source)).toMatch(/catastrophic backtracking/);
  });

  test.each([
    '(\\.[a-z]+)+',
    '(\\s*,\\s*\\w+)*',
    '([^"]*"[^"]*")*',
    '(?:\\\\.|[^"\\\\])*',
    '^sk-proj-docs',
    '(?:-?\\d)+',
    '^[A-Za-z_$][A-Za-z0-9_$]*(?:\\.[A-Za-z_$][A-Za-z0-9_$]*)+$',
    '(?<secret>acme_[A-Za-z0-9]{32})',
    '[a-z]{2,5}',
    '(?<![a-z])(?<secret>acme_[a-z0-9]{32})(?=["\\s])',
    '(?<名前>acme_[a-z]{8})',
    '(?<\\u0041b>x)',
    '(?i:acme_[a-z]{8})',
  ])('accepted: %s', (source) => {
    expect(regexSafetyProblem(source)).toBeUndefined();
  });

  test.each([
    ['inside a look-ahead', '(?=(a+)+$)acme', 'i'],
    ['inside a negative look-ahead', 'x(?!(\\w*)*!)', ''],
    ['inside a look-behind', 'x(?<=(a|a)*x)', ''],
    ['inside a named group with a non-ASCII name', '(?<名前>(a+)+)', ''],
    ['inside a named group with an escaped name', '(?<\\u0061b>(a+)+)', ''],
    ['as case-insensitive alternatives in a modifier group', '(?i:(?:a|A)+)', ''],
    ['as alternatives that fold together under the u flag (s, ſ)', 'x(?:s|ſ)+', 'iu'],
  ])('refused: catastrophic backtracking %s', (_where, source, flags) => {
    expect(regexSafetyProblem(source, flags)).toMatch(/catastrophic backtracking/);
  });

  test.each([['a class string (v flag)', '(?<secret>[\\q{abc|de}x]{4})', 'v']])(
    'a regex the check cannot read is refused, not passed: %s',
    (_name, source, flags) => {
      expect(() => new RegExp(source, flags)).not.toThrow();
      expect(regexSafetyProblem(source, flags)).toMatch(/cannot be checked.*class string/);
    },
  );

  test('a rule regex that can begin with an unbounded repetition is refused (quadratic on long lines)', () => {
    expect(regexSafetyProblem('(?<secret>[A-Za-z0-9]+)=', '', { scansLines: true })).toMatch(/unbounded repetition/);
    expect(regexSafetyProblem('(?=[a-z]+=)(?<secret>[a-z]{8})', '', { scansLines: true })).toMatch(/unbounded repetition/);
    expect(regexSafetyProblem('(?<=[a-z]+)(?<secret>[a-z]{8})', '', { scansLines: true })).toMatch(/unbounded repetition/);
    expect(regexSafetyProblem('(?<![a-z])(?<secret>[A-Za-z0-9]+)=')).toBeUndefined();
    expect(regexSafetyProblem('(?<![a-z])(?<secret>acme_[A-Za-z0-9]{32})', 'i', { scansLines: true })).toBeUndefined();
  });

  test('the CLI refuses an unsafe rule regex with exit 2, naming the rule', () => {
    const repo = new TempRepo();
    try {
      repo.write('a.txt', 'hello\n');
      repo.git('add', 'a.txt');
      const refused = (rule: object) => {
        repo.write('.leakguard.json', JSON.stringify({ rules: [rule] }));
        return repo.cli(['scan', '--staged']);
      };
      const result = refused({ id: 'acme-token', regex: '(?<secret>acme_(?:[a-z0-9]+)+)', keywords: ['acme_'] });
      expect(result.status).toBe(2);
      expect(result.stderr.trim().split('\n')).toHaveLength(1);
      expect(result.stderr).toMatch(/rules\[acme-token\]\.regex: unsafe regular expression: .*catastrophic backtracking/);

      const lookahead = refused({ id: 'acme-look', regex: 'acme_(?=(a+)+$)(?<secret>[a-z]{8})', keywords: ['acme_'] });
      expect(lookahead.status).toBe(2);
      expect(lookahead.stderr).toMatch(/rules\[acme-look\]\.regex: unsafe regular expression: .*catastrophic backtracking/);

      const named = refused({ id: 'acme-named', regex: 'acme_(?<名前>(a+)+)(?<secret>[a-z]{8})', keywords: ['acme_'] });
      expect(named.status).toBe(2);
      expect(named.stderr).toMatch(/rules\[acme-named\]\.regex: unsafe regular expression/);

      repo.write('.leakguard.json', JSON.stringify({ allowlist: { regexes: ['^(\\w+\\s?)*$'] } }));
      const allow = repo.cli(['scan', '--staged']);
      expect(allow.status).toBe(2);
      expect(allow.stderr).toMatch(/allowlist\.regexes\[0\]: unsafe regular expression/);
    } finally {
      repo.remove();
    }
  });
});

describe('matchExtent: how far a match reaches around its secret', () => {
  test.each<[string, string, string, { before: number; after: number }]>([
    // 1 for \b/^/$ on each side, plus the longest prefix and look-behind before the secret.
    ['a fixed prefix and look-behind', '(?<![a-z])(?:key|tok)\\s{0,3}=\\s{0,3}(?<secret>acme_[a-z]{32})', 'i', { before: 12, after: 49 }],
    ['a look-ahead after the secret', '(?<secret>acme_[a-z]{8})(?=[a-z]{0,20}!)', '', { before: 1, after: 35 }],
    ['the secret inside a look-behind', 'NRAL(?<=(?<secret>[a-f0-9]{36}NRAL))', '', { before: 45, after: 45 }],
    ['an unbounded repetition', '(?<secret>acme_[a-z]+)', '', { before: 1, after: Infinity }],
    ['an unbounded prefix', '[a-z]+=(?<secret>acme_[a-z]{8})', '', { before: Infinity, after: Infinity }],
    ['a bounded alternative', '(?:a{100}|b)(?<secret>x)', '', { before: 101, after: 102 }],
  ])('%s', (_name, source, flags, expected) => {
    expect(matchExtent(source, flags)).toEqual(expected);
  });
});
