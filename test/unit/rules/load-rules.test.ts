import { describe, expect, test } from '@jest/globals';
import { builtinRulesIndex, loadBuiltinRules, loadBuiltinRulesLazy, plainRules } from '../../../src/rules/load-rules.js';

/** The hook's copy of the rules (dist/rules-lazy.dat) parses each rule on first read; it must read as dist/rules.json does. */
describe('loadBuiltinRulesLazy', () => {
  // First in this file: the rules have not been read yet (the list is cached per module registry).
  test('reading fromConfig parses nothing; copies of rules never read (sent to a worker thread) hold every field', () => {
    const lazy = loadBuiltinRulesLazy();
    expect(lazy.every((rule) => rule.fromConfig === undefined)).toBe(true);
    expect(Object.keys(lazy[0]!)).toEqual(['id']);
    const copies = plainRules(lazy);
    expect(copies).toEqual(loadBuiltinRules());
    expect(structuredClone(copies)).toEqual(loadBuiltinRules());
  });

  test('each rule reads as the bundle has it: every field, the same keys, nothing extra', () => {
    const lazy = loadBuiltinRulesLazy();
    const plain = loadBuiltinRules();
    expect(lazy).not.toBe(plain);
    expect(lazy.map((r) => r.id)).toEqual(plain.map((r) => r.id));
    // Read field by field (a rule parses on its first read), then as a whole.
    lazy.forEach((rule, i) => {
      const expected = plain[i]!;
      expect([rule.id, rule.regex, rule.keywords, rule.near, rule.confidence, rule.examples, rule.fromConfig]).toEqual([
        expected.id,
        expected.regex,
        expected.keywords,
        expected.near,
        expected.confidence,
        expected.examples,
        expected.fromConfig,
      ]);
      expect(Object.keys(rule).sort()).toEqual(Object.keys(expected).sort());
      expect({ ...rule }).toEqual(expected);
      expect(JSON.parse(JSON.stringify(rule))).toEqual(JSON.parse(JSON.stringify(expected)));
    });
  });

  test('the build-time index is given for the lazy list too', () => {
    const lazy = loadBuiltinRulesLazy();
    expect(builtinRulesIndex(lazy)).toBeDefined();
    expect(builtinRulesIndex(lazy)).toBe(builtinRulesIndex(loadBuiltinRules()));
    expect(builtinRulesIndex(lazy.slice(1))).toBeUndefined();
  });
});
