/**
 * Every speed-up of the detector must leave its findings unchanged. The engine as
 * the CLI runs it (keyword prefilter, regexes compiled on first use) is compared
 * with the plain engine (every rule's regex on every fragment) on every rule's
 * expanded examples, all rules at once, and on the quality benchmark's corpus;
 * so is the engine of large text (the prefilter's automaton from the first
 * character, rules with keyword anchors tried only at keyword hits, and the
 * others' lead anchors from the first character).
 */
import { describe, expect, test } from '@jest/globals';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateCorpus } from '../../bench/quality/generate-corpus.js';
import { createDetector } from '../../src/detect/detector.js';
import type { Finding } from '../../src/detect/finding.js';
import { contiguousFragment } from '../../src/sources/fragment.js';
import { expandRuleExamples } from '../support/examples.js';
import { loadRuleFiles } from '../../scripts/rule-files.js';
import { builtinRulesIndex, loadBuiltinRules } from '../../src/rules/load-rules.js';
import type { RuleSpec } from '../../src/rules/rule.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const rules = loadRuleFiles(join(ROOT, 'rules'));
const SEEDS = ['alpha', 'bravo', 'charlie', 7, 'prefilter'];

const key = (f: Finding) => `${f.ruleId}@${f.file}:${f.line}:${f.column}-${f.endLine}:${f.endColumn}:${f.fingerprint}`;

/**
 * `engineRules`: the rules the prefiltered engines run; the built-in bundle (dist/rules.json)
 * takes the prefilter index and vendor prefixes worked out at build time (dist/rules-index.json).
 */
function compare(texts: ReadonlyArray<{ path: string; text: string }>, engineRules: readonly RuleSpec[] = rules): number {
  // Fresh detectors per comparison: first-use compilation is part of what is compared.
  const prefiltered = createDetector(engineRules);
  const anchored = createDetector(engineRules, { prefilterRegexChars: 0, leadAnchorChars: 0 });
  const plain = createDetector(rules, { noPrefilter: true });
  let findings = 0;
  for (const { path, text } of texts) {
    const fragment = contiguousFragment(path, text, 'stdin');
    const slow = plain.detect(fragment).map(key);
    const shown = text.length > 300 ? `${text.slice(0, 300)}…` : text;
    for (const [engine, detector] of [
      ['prefiltered', prefiltered],
      ['anchored', anchored],
    ] as const) {
      expect({ engine, path, text: shown, findings: detector.detect(fragment).map(key) }).toEqual({
        engine,
        path,
        text: shown,
        findings: slow,
      });
    }
    findings += slow.length;
  }
  return findings;
}

describe('prefiltered engine = plain engine', () => {
  test.each(SEEDS.map((s) => [s]))('on every rule example (seed %s)', (seed) => {
    const texts: Array<{ path: string; text: string }> = [];
    for (const rule of rules) {
      const { positive, negative } = expandRuleExamples(rule, seed);
      positive.forEach((p, i) => texts.push({ path: `examples/${rule.id}/positive${i}.py`, text: p.text }));
      negative.forEach((n, i) => texts.push({ path: `examples/${rule.id}/negative${i}.py`, text: n }));
    }
    const found = compare(texts);
    // The examples are meant to be found: a broken comparison (both engines finding
    // nothing) must not pass.
    expect(found).toBeGreaterThanOrEqual(rules.length);
  });

  test('on all examples of all rules in one fragment (keywords of one rule next to another rule)', () => {
    const all: string[] = [];
    for (const rule of rules) {
      const { positive, negative } = expandRuleExamples(rule, 'together');
      all.push(...positive.map((p) => p.text), ...negative);
    }
    expect(compare([{ path: 'all.txt', text: all.join('\n') }])).toBeGreaterThanOrEqual(rules.length);
  });

  test('the built-in bundle, with its build-time index, on every rule example and the quality corpus', () => {
    const builtin = loadBuiltinRules();
    expect(builtinRulesIndex(builtin)).toBeDefined();
    expect(builtin.map((r) => r.id)).toEqual(rules.map((r) => r.id));
    const texts: Array<{ path: string; text: string }> = [];
    for (const rule of rules) {
      const { positive, negative } = expandRuleExamples(rule, 'bundle');
      positive.forEach((p, i) => texts.push({ path: `examples/${rule.id}/positive${i}.py`, text: p.text }));
      negative.forEach((n, i) => texts.push({ path: `examples/${rule.id}/negative${i}.py`, text: n }));
    }
    texts.push(...generateCorpus({ files: 100 }).files.map((f) => ({ path: f.file, text: f.data.toString('utf8') })));
    expect(compare(texts, builtin)).toBeGreaterThanOrEqual(rules.length);
  });

  test('on the quality corpus', () => {
    const corpus = generateCorpus({ files: 300 });
    const texts = corpus.files.map((f) => ({ path: f.file, text: f.data.toString('utf8') }));
    expect(compare(texts)).toBeGreaterThan(0);
  });

  test('with keywords in another case than the rule wrote them', () => {
    const texts: Array<{ path: string; text: string }> = [];
    for (const rule of rules) {
      const { positive } = expandRuleExamples(rule, 'case');
      for (const p of positive) {
        let text = p.text;
        for (const k of rule.keywords) text = text.split(k).join(k.toUpperCase());
        texts.push({ path: `upper/${rule.id}.txt`, text });
      }
    }
    compare(texts);
  });
});
