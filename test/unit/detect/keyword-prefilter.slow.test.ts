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
      fc.property(
        fc.array(fc.array(word, { maxLength: 3 }), { minLength: 1, maxLength: 8 }),
        fc.array(fc.string({ unit: alphabet, maxLength: 60 }), { maxLength: 5 }),
        fc.boolean(),
        (keywords, texts, warm) => {
          const filter = new KeywordPrefilter(keywords);
          // After a lot of text the automaton completes its table and switches loops: both must agree.
          if (warm) expect(filter.candidates(FILLER)).toEqual(naiveCandidates(keywords, FILLER));
          // Several scans with one filter: the per-scan bookkeeping must not leak between texts.
          for (const text of texts) expect(filter.candidates(text)).toEqual(naiveCandidates(keywords, text));
        },
      ),
      { numRuns: 500, seed: 6 },
    );
  });
});

describe('KeywordPrefilter.candidatesOfEach (batched keyword pass)', () => {
  test('candidatesOfEach: one pass over many texts gives each text the candidates and anchored starts of its own pass', () => {
    const alphabet = fc.constantFrom('a', 'b', 'A', 'B', 's', 'K', 'k', '-', '_', '.', 'é', '\n', '0');
    const word = fc.string({ unit: alphabet, minLength: 1, maxLength: 4 });
    fc.assert(
      fc.property(
        fc.array(fc.array(word, { maxLength: 3 }), { minLength: 1, maxLength: 8 }),
        fc.array(fc.string({ unit: alphabet, maxLength: 60 }), { maxLength: 6 }),
        (keywords, texts) => {
          // Every rule anchored at each of its keywords, 0 and 2 characters before it.
          const anchorsOf = (rule: number) => new Map(keywords[rule]!.map((k) => [k.toLowerCase(), [0, 2]] as [string, number[]]));
          const batched = new KeywordPrefilter(keywords, { regexChars: 0, anchorsOf });
          const single = new KeywordPrefilter(keywords, { regexChars: 0, anchorsOf });
          const entries = batched.candidatesOfEach(texts);
          // A keyword holding the separator ("\n") would join texts: no batch then.
          if (keywords.flat().some((k) => k.includes('\n'))) {
            expect(entries).toBeUndefined();
            return;
          }
          expect(entries).toHaveLength(texts.length);
          texts.forEach((text, i) => {
            const rules = single.candidates(text);
            expect(entries![i]!.rules).toEqual(rules);
            batched.select(entries![i]!);
            for (const rule of keywords.keys()) expect(batched.anchoredStarts(rule)).toEqual(single.anchoredStarts(rule));
          });
        },
      ),
      { numRuns: 500, seed: 17 },
    );
    // While the regex engine scans (short scans), there is no batch: each text is asked for alone.
    expect(new KeywordPrefilter([['key']]).candidatesOfEach(['a key', 'none'])).toBeUndefined();
  });
});
