import { describe, expect, test } from '@jest/globals';
import {
  automatonTables,
  decodeAutomaton,
  encodeAutomaton,
  KeywordPrefilter,
  prefilterIndex,
} from '../../../src/detect/keyword-prefilter.js';
import { VendorPrefixes } from '../../../src/detect/vendor-prefixes.js';
import { builtinRulesAutomaton, builtinRulesIndex, loadBuiltinRules } from '../../../src/rules/load-rules.js';

describe('KeywordPrefilter', () => {
  const rules = [['sk'], ['task'], ['sk-proj-'], ['ASK', 'mask'], [], ['he', 'she', 'his', 'hers'], ['key'], ['a.b'], ['1//0']];
  const prefilter = new KeywordPrefilter(rules);

  test.each([
    ['', [4]],
    ['nothing here', [4, 5]],
    ['a task', [0, 1, 3, 4]],
    ['SK-PROJ-abc', [0, 2, 4]],
    ['ushers', [4, 5]],
    ['the keY', [4, 5, 6]],
    ['axb a.b', [4, 7]],
    ['token 1//0abc', [4, 8]],
    ['ends with sk', [0, 4]],
  ])('%j → rules %j', (text, expected) => {
    expect(prefilter.candidates(text)).toEqual(expected);
  });

  test('keywords that are suffixes or prefixes of others are all credited (Aho–Corasick outputs)', () => {
    expect(prefilter.candidates('mask')).toEqual([0, 3, 4]);
    expect(prefilter.candidates('hers')).toEqual([4, 5]);
  });

  test('the regex engine finds keywords in any case, past non-ASCII text, and non-ASCII keywords too', () => {
    // ASCII keywords: a case-sensitive regex over the lower-cased text (İ lower-cases to two characters).
    expect(new KeywordPrefilter([['key'], ['sk']]).candidates('İİ Ünïcode API_KEY')).toEqual([0]);
    // A non-ASCII keyword: the regex matches in any case (É is é).
    expect(new KeywordPrefilter([['clé'], ['key']]).candidates('CLÉ_PRIVÉE KEY')).toEqual([0, 1]);
    expect(new KeywordPrefilter([['clé'], ['key']]).candidates('cle')).toEqual([]);
  });

  test('anchored starts: each keyword hit minus its offsets, ascending, from the automaton only', () => {
    const anchorsOf = (rule: number) => (rule === 0 ? new Map([['key', [3, 4]]]) : rule === 2 ? new Map([['untracked', [0]]]) : undefined);
    const automaton = new KeywordPrefilter([['key'], ['key'], ['key']], { regexChars: 0, anchorsOf });
    // "key" starts at 4, 11 and 15 (any case).
    expect(automaton.candidates('api_key apikey KEY')).toEqual([0, 1, 2]);
    expect(automaton.anchoredStarts(0)).toEqual([0, 1, 7, 8, 11, 12]);
    expect(automaton.anchoredStarts(1)).toBeUndefined();
    // A keyword the prefilter does not look for cannot anchor anything.
    expect(automaton.anchoredStarts(2)).toBeUndefined();
    expect(automaton.candidates('no hits')).toEqual([]);
    expect(automaton.anchoredStarts(0)).toEqual([]);
    const regex = new KeywordPrefilter([['key']], { anchorsOf });
    expect(regex.candidates('api_key')).toEqual([0]);
    expect(regex.anchoredStarts(0)).toBeUndefined();
    expect(regex.startsOf(new Map([['key', [0]]]))).toBeUndefined();
  });

  test("starts of other anchors (a rule tail's) over the same hits", () => {
    const automaton = new KeywordPrefilter([['key'], ['key']], { regexChars: 0, anchorsOf: () => new Map([['key', [3, 4]]]) });
    automaton.candidates('api_key apikey KEY');
    expect(automaton.startsOf(new Map([['key', [3, 4]]]))).toEqual(automaton.anchoredStarts(0));
    expect(automaton.startsOf(new Map([['key', [0]]]))).toEqual([4, 11, 15]);
    expect(automaton.startsOf(new Map([['untracked', [0]]]))).toBeUndefined();
  });
});

describe('the prefilter index (prebuilt for the built-in rules)', () => {
  const rules = [['sk'], ['task'], ['sk-proj-'], ['ASK', 'mask'], [], ['he', 'she', 'his', 'hers'], ['key'], ['a.b'], ['1//0']];
  const texts = ['', 'nothing here', 'a task', 'SK-PROJ-abc', 'ushers', 'the keY', 'axb a.b', 'token 1//0abc', 'mask', 'hers'];

  test('a prefilter given an index (with the credited rules) answers as one given the keywords', () => {
    const fromKeywords = new KeywordPrefilter(rules);
    const fromIndex = new KeywordPrefilter(JSON.parse(JSON.stringify(prefilterIndex(rules, { credited: true }))));
    for (const text of texts) expect([text, fromIndex.candidates(text)]).toEqual([text, fromKeywords.candidates(text)]);
  });

  test('dist/rules-index.json is what the detector would work out from dist/rules.json, and is given for that exact list only', () => {
    const builtin = loadBuiltinRules();
    const index = builtinRulesIndex(builtin);
    expect(index?.prefilter).toEqual(
      prefilterIndex(
        builtin.map((r) => r.keywords),
        { credited: true },
      ),
    );
    expect(index?.vendorPrefixes).toEqual(new VendorPrefixes(builtin).table());
    expect(builtinRulesIndex([...builtin])).toBe(index);
    expect(builtinRulesIndex(builtin.slice(1))).toBeUndefined();
    expect(builtinRulesIndex([...builtin.slice(0, -1), { ...builtin[builtin.length - 1]! }])).toBeUndefined();
  });
});

describe('the automaton tables (prebuilt for the built-in rules: dist/rules-automaton.bin)', () => {
  const rules = [['sk'], ['task'], ['sk-proj-'], ['ASK', 'mask'], [], ['he', 'she', 'his', 'hers'], ['key'], ['a.b'], ['1//0'], ['clé']];
  const texts = ['', 'nothing here', 'a task', 'SK-PROJ-abc', 'ushers', 'the keY key', 'axb a.b', 'token 1//0abc', 'mask', 'hers', 'CLÉ'];
  const anchorsOf = (rule: number) => (rule === 6 ? new Map([['key', [0]]]) : undefined);

  test('a prefilter given encoded and decoded tables answers as one that builds them (candidates, batches, anchors)', () => {
    const index = prefilterIndex(rules);
    const bytes = encodeAutomaton(automatonTables(index.keywords));
    // At an odd offset, as a small file read from Node's buffer pool may be.
    const shifted = new Uint8Array(bytes.length + 1).subarray(1);
    shifted.set(bytes);
    const built = new KeywordPrefilter(rules, { regexChars: 0, anchorsOf });
    const given = new KeywordPrefilter(rules, { regexChars: 0, anchorsOf, automaton: () => decodeAutomaton(shifted) });
    for (const text of texts) {
      expect([text, given.candidates(text), given.anchoredStarts(6)]).toEqual([text, built.candidates(text), built.anchoredStarts(6)]);
    }
    expect(given.candidatesOfEach(texts)).toEqual(built.candidatesOfEach(texts));
  });

  test('tables of another keyword list are not used, and bytes that are not tables are refused', () => {
    const other = automatonTables(['zzz']);
    const given = new KeywordPrefilter(rules, { regexChars: 0, automaton: () => other });
    expect(given.candidates('a task')).toEqual([0, 1, 3, 4]);
    expect(decodeAutomaton(new Uint8Array(64))).toBeUndefined();
    const bytes = encodeAutomaton(automatonTables(['key']));
    expect(decodeAutomaton(bytes.subarray(0, bytes.length - 4))).toBeUndefined();
  });

  test('dist/rules-automaton.bin holds the tables of the built-in keywords', () => {
    const builtin = loadBuiltinRules();
    const keywords = (builtinRulesIndex(builtin)!.prefilter as { keywords: string[] }).keywords;
    const bytes = builtinRulesAutomaton(builtin);
    expect(bytes && decodeAutomaton(bytes)).toEqual(automatonTables(keywords));
    expect(builtinRulesAutomaton(builtin.slice(1))).toBeUndefined();
  });
});
