import { describe, expect, test } from '@jest/globals';
import { VendorNames } from '../../../src/detect/vendor-names.js';
import { loadBuiltinRulesLazy } from '../../../src/rules/load-rules.js';

/** The hook's rules parse on first read: asking which vendor a name belongs to must not parse all of them. */
describe('VendorNames over the lazily parsed built-in rules', () => {
  test('names the vendor and parses only the rules of the vendors asked about', () => {
    const rules = loadBuiltinRulesLazy();
    const parsed = (): number => rules.filter((rule) => Object.hasOwn(rule, 'regex')).length;
    expect(parsed()).toBe(0);
    const names = new VendorNames(rules);
    const text = 'WANDB_API_KEY = "';
    const named = names.namedBefore(text, text.length);
    expect(named?.word).toBe('wandb');
    expect(named?.rules.length).toBeGreaterThan(0);
    expect(named?.rules.every((index) => rules[index]!.id.startsWith('wandb-'))).toBe(true);
    expect(names.namedBefore('colour = "', 'colour = "'.length)).toBeUndefined();
    // Only the rules whose id starts with a word asked about were read (a handful, not 1,000+).
    expect(parsed()).toBeGreaterThan(0);
    expect(parsed()).toBeLessThan(20);
  });
});
