import { describe, expect, test } from '@jest/globals';
import { keywordAnchors } from '../../../src/detect/keyword-anchors.js';

const anchors = (regex: string, keywords: string[], flags = '') => {
  const found = keywordAnchors(regex, flags, keywords);
  return found && Object.fromEntries(found);
};

describe('keywordAnchors', () => {
  test.each<[string, string, string[], Record<string, number[]>]>([
    ['a literal prefix inside the named group', '(?<![A-Za-z0-9_])(?<secret>ghp_[A-Za-z0-9]{36})', ['ghp_'], { ghp_: [0] }],
    ['case-insensitive, keywords written in upper case', 'XOXB-[0-9]{10}', ['XOXB-'], { 'xoxb-': [0] }],
    [
      'a name alternation with optional separators',
      '(?:api[_.-]?key|secret)(?<=[a-z]{0,9})\\s*=\\s*(?<secret>\\w{20})',
      ['key', 'secret'],
      { key: [3, 4], secret: [0] },
    ],
    ['a keyword after a fixed-length class', '(?<secret>[0-9]{2}\\.atlasv1)', ['atlasv1'], { atlasv1: [3] }],
    ['the shortest prefix that holds a keyword', 'keykey_(?<secret>[a-z]{8})', ['key'], { key: [0] }],
    ['an optional part before the keyword', '(?:my_)?token=(?<secret>\\w{8,40})', ['token'], { token: [0, 3] }],
  ])('%s', (_, regex, keywords, expected) => {
    expect(anchors(regex, keywords, 'i')).toEqual(expected);
  });

  test.each<[string, string, string[], string]>([
    ['a prefix alternative without a keyword', '(?:api_key|passcode)=(?<secret>\\w{16})', ['key'], 'i'],
    ['an unbounded repetition before any keyword', '[a-z]+_key=(?<secret>\\w{16})', ['key'], ''],
    ['a keyword only in the middle of a long class run', '(?<secret>sk-[A-Za-z0-9]{20}T3BlbkFJ[A-Za-z0-9]{20})', ['t3blbkfj'], ''],
    ['no keywords', '(?<secret>[MNO][A-Za-z0-9]{24})', [], ''],
    ['Unicode case folding (K folds onto k)', 'key=(?<secret>\\w{16})', ['key'], 'iu'],
    ['a class holding non-ASCII characters', '[kκ]ey=(?<secret>\\w{16})', ['key'], ''],
    ['a syntax this parser does not follow', '(?<secret>(?', ['key'], ''],
  ])('none for %s', (_, regex, keywords, flags) => {
    expect(keywordAnchors(regex, flags, keywords)).toBeUndefined();
  });
});
