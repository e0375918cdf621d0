/**
 * The keyword prefilter's property test (slow project: 500 random cases, half of them after
 * 360 KB of text): the automaton and the regex engine must both agree with a plain substring
 * search. Its example-based tests are in keyword-prefilter.test.ts.
 */
import { describe, expect, test } from '@jest/globals';
import fc from 'fast-check';
import { KeywordPrefilter } from '../../../src/detect/keyword-prefilter.js';

/** The definition the automaton must agree with: a rule is a candidate when one of its keywords occurs, in any case. */
function naiveCandidates(ruleKeywords: readonly (readonly string[])[], text: string): number[] {
  const lower = text.toLowerCase();
  return ruleKeywords.flatMap((keywords, i) => (keywords.length === 0 || keywords.some((k) => lower.includes(k.toLowerCase())) ? [i] : []));
}

const FILLER = 'abAB sk-_.0\n'.repeat(30_000);

describe('KeywordPrefilter', () => {
  test('agrees with a plain substring search on arbitrary text and keywords', () => {
    const alphabet = fc.constantFrom('a', 'b', 'A', 'B', 's', 'K', 'k', '-', '_', '.', 'é', 'É', '\n', '0');
    const word = fc.string({ unit: alphabet, minLength: 1, maxLength: 4 });
    fc.assert(
      fc.property(fc.array(fc.array(word, { maxLength: 3 }), { minLength: 1, maxLength: 8 }), fc.array(fc.string({ unit: alphabet, maxLength: 60 }), { maxLength: 5 }), fc.boolean(), (keywords, texts, warm) => {
        const filter = new KeywordPrefilter(keywords);
        // After a lot of text the automaton completes its table and switches loops: both must agree.
        if (warm) expect(filter.candidates(FILLER)).toEqual(naiveCandidates(keywords, FILLER));
        // Several scans with one filter: the per-scan bookkeeping must not leak between texts.
        for (const text of texts) expect(filter.candidates(text)).toEqual(naiveCandidates(keywords, text));
      }),
      { numRuns: 500, seed: 6 },
    );
  });
});
