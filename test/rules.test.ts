/**
 * Runs every rule's own examples (rules/*.yaml). Adding a rule needs no test code:
 * each positive template, expanded with a few seeds, must produce a finding of that
 * rule reporting exactly the marked secret, and each negative must produce none.
 */
import { describe, expect, test } from '@jest/globals';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { createDetector, type Detector } from '../src/detect/detector.js';
import { contiguousFragment } from '../src/sources/fragment.js';
import { RuleError } from '../src/errors.js';
import { expandRuleExamples } from './support/examples.js';
import { loadRuleFiles, parseRuleFile } from '../scripts/rule-files.js';
import type { RuleSpec } from '../src/rules/rule.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const RULES_DIR = join(ROOT, 'rules');
const SEEDS = ['alpha', 'bravo', 'charlie', 7];

const rules = loadRuleFiles(RULES_DIR);
const all = createDetector(rules);
const single = new Map<string, Detector>(rules.map((r) => [r.id, createDetector([r])]));

function scan(detector: Detector, text: string, path = 'example.py') {
  return detector.detect(contiguousFragment(path, text, 'stdin'));
}

/** What a failing example looks like, with the secret's middle masked. */
function show(text: string): string {
  return text.length > 300 ? `${text.slice(0, 300)}…` : text;
}

describe('rule files', () => {
  test('load, with unique ids', () => {
    expect(rules.length).toBeGreaterThan(0);
    const ids = rules.map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
  });

  test('every rule has a provider, positives and negatives', () => {
    for (const rule of rules) {
      expect({ id: rule.id, provider: rule.provider.length > 0 }).toEqual({ id: rule.id, provider: true });
      expect({ id: rule.id, positives: rule.examples.positive.length > 0 }).toEqual({ id: rule.id, positives: true });
      expect({ id: rule.id, negatives: rule.examples.negative.length > 0 }).toEqual({ id: rule.id, negatives: true });
    }
  });

  test('the rule files and the example generator scan clean', () => {
    const own = [
      ...readdirSync(RULES_DIR).map((name) => join('rules', name)),
      'test/support/examples.ts',
      'src/rules/checksums.ts',
      'scripts/rule-files.ts',
      'test/rules.test.ts',
      'test/unit/rules/checksums.test.ts',
      'test/support/examples.test.ts',
    ];
    for (const path of own) {
      const findings = scan(all, readFileSync(join(ROOT, path), 'utf8'), path);
      expect({ path, findings: findings.map((f) => `${f.ruleId}:${f.line}`) }).toEqual({ path, findings: [] });
    }
  });
});

describe.each(rules.map((rule) => [rule.id, rule] as const))('rule %s', (_id, rule: RuleSpec) => {
  test.each(SEEDS)('positives are found (seed %s)', (seed) => {
    const { positive } = expandRuleExamples(rule, seed);
    for (const { text, secret } of positive) {
      const keywordFound = rule.keywords.length === 0 || rule.keywords.some((k) => text.toLowerCase().includes(k));
      expect({ text: show(text), keywordFound }).toEqual({ text: show(text), keywordFound: true });
      const findings = scan(all, text);
      const mine = findings.filter((f) => f.ruleId === rule.id).map((f) => f.secret);
      const others = findings.filter((f) => f.ruleId !== rule.id).map((f) => f.ruleId);
      expect({ text: show(text), found: mine.includes(secret), others }).toEqual(
        expect.objectContaining({ text: show(text), found: true }),
      );
    }
  });

  test.each(SEEDS)('negatives are not reported (seed %s)', (seed) => {
    const { negative } = expandRuleExamples(rule, seed);
    const detector = single.get(rule.id)!;
    for (const text of negative) {
      const findings = scan(detector, text).map((f) => f.secret);
      expect({ text: show(text), findings }).toEqual({ text: show(text), findings: [] });
    }
  });
});

describe('rule file validation', () => {
  const base = {
    id: 'acme-token',
    description: 'Acme token',
    regex: '(?<secret>acme_[a-z0-9]{32})',
    keywords: ['acme_'],
    envVar: 'ACME_TOKEN',
    examples: { positive: ['t = {{secret}}acme_{{lowerdigits:32}}{{/secret}}'], negative: ['t = acme_'] },
  };
  const file = (rule: object, extra: object = {}) => JSON.stringify({ provider: 'Acme', rules: [rule], ...extra });
  const error = (text: string): RuleError => {
    try {
      parseRuleFile(text, 'acme.yaml');
    } catch (e) {
      return e as RuleError;
    }
    throw new Error('expected a RuleError');
  };

  test('a valid file inherits its provider', () => {
    const [rule] = parseRuleFile(file(base), 'acme.yaml');
    expect(rule!.provider).toBe('Acme');
  });

  test.each([
    ['missing field', { ...base, envVar: undefined }, 'envVar'],
    ['unknown field', { ...base, colour: 'red' }, 'colour'],
    ['bad id', { ...base, id: 'Acme Token' }, 'rules[0].id'],
    ['no secret group', { ...base, regex: 'acme_[a-z0-9]{32}' }, 'regex'],
    ['regex does not compile', { ...base, regex: '(?<secret>acme_[a-z' }, 'regex'],
    ['unknown checksum', { ...base, checksum: 'acme-crc' }, 'checksum'],
    ['uppercase keyword', { ...base, keywords: ['ACME_'] }, 'keywords[0]'],
    ['empty keyword', { ...base, keywords: [''] }, 'keywords[0]'],
    ['unmarked positive', { ...base, examples: { positive: ['acme_{{hex:32}}'], negative: ['x'] } }, 'examples.positive[0]'],
    ['no negatives', { ...base, examples: { positive: base.examples.positive, negative: [] } }, 'negative'],
  ])('%s is a RuleError naming the field', (_name, rule, field) => {
    const e = error(file(rule));
    expect(e).toBeInstanceOf(RuleError);
    expect(e.message).toContain('acme.yaml');
    expect(e.message).toContain(field);
  });

  test('the error names the rule id', () => {
    expect(error(file({ ...base, checksum: 'nope' })).ruleId).toBe('acme-token');
  });

  test('invalid YAML is a RuleError', () => {
    expect(error('provider: [unclosed')).toBeInstanceOf(RuleError);
  });

  test('every rule file parses as YAML with a provider', () => {
    for (const name of readdirSync(RULES_DIR).filter((n) => n.endsWith('.yaml'))) {
      const data = parse(readFileSync(join(RULES_DIR, name), 'utf8')) as { provider?: string };
      expect({ name, provider: typeof data.provider }).toEqual({ name, provider: 'string' });
    }
  });
});
