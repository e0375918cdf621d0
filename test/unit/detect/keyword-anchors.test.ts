import { describe, expect, test } from '@jest/globals';
import { keywordAnchors, leadAnchor, leadAnchoredStarts } from '../../../src/detect/keyword-anchors.js';
import { builtinRulesAnchors, loadBuiltinRules } from '../../../src/rules/load-rules.js';

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
    [
      'alternatives whose rest past a keyword is too broad to list',
      '(?:getenv|GetEnv[A-Za-z]{0,20}|env[a-z]*|config)\\((?<secret>\\w{8})',
      ['env', 'config'],
      { env: [0, 3], config: [0] },
    ],
  ])('%s', (_, regex, keywords, expected) => {
    expect(anchors(regex, keywords, 'i')).toEqual(expected);
  });

  test.each<[string, string, string[], string]>([
    ['a prefix alternative without a keyword', '(?:api_key|passcode)=(?<secret>\\w{16})', ['key'], 'i'],
    ['an unbounded repetition before any keyword', '[a-z]+_key=(?<secret>\\w{16})', ['key'], ''],
    ['an alternative without a keyword before its broad rest', '(?:env|[a-z]{0,20}_key)=(?<secret>\\w{16})', ['env', 'key'], 'i'],
    ['a keyword only in the middle of a long class run', '(?<secret>sk-[A-Za-z0-9]{20}T3BlbkFJ[A-Za-z0-9]{20})', ['t3blbkfj'], ''],
    ['no keywords', '(?<secret>[MNO][A-Za-z0-9]{24})', [], ''],
    ['Unicode case folding (K folds onto k)', 'key=(?<secret>\\w{16})', ['key'], 'iu'],
    ['a class holding non-ASCII characters', '[kκ]ey=(?<secret>\\w{16})', ['key'], ''],
    ['a syntax this parser does not follow', '(?<secret>(?', ['key'], ''],
  ])('none for %s', (_, regex, keywords, flags) => {
    expect(keywordAnchors(regex, flags, keywords)).toBeUndefined();
  });
});

test('the build-time anchors of the built-in rules (dist/rules-anchors.json) are those worked out at run time', () => {
  const rules = loadBuiltinRules();
  const prebuilt = builtinRulesAnchors(rules);
  expect(prebuilt).toHaveLength(rules.length);
  rules.forEach((rule, i) => {
    const entry = prebuilt![i];
    const runtime = keywordAnchors(rule.regex, rule.flags ?? '', rule.keywords);
    expect({ id: rule.id, anchors: entry === 0 ? undefined : Object.fromEntries(entry!) }).toEqual({
      id: rule.id,
      anchors: runtime && Object.fromEntries(runtime),
    });
  });
});

describe('leadAnchor', () => {
  const ENV_DEFAULT =
    '(?<![A-Za-z0-9_])(?:[A-Za-z_][A-Za-z0-9_]{0,20}\\.)?(?:getenv|env|config)\\([ \\t]{0,5}["\'](?<secret>[a-z0-9]{8,20})["\']';

  test('drops a look-behind and an optional qualifier before a name alternation', () => {
    const lead = leadAnchor(ENV_DEFAULT, 'i');
    expect(lead && { tail: lead.tail.source, flags: lead.tail.flags, maxLead: lead.maxLead }).toEqual({
      tail: '(?:getenv|env|config)\\([ \\t]{0,5}["\'](?<secret>[a-z0-9]{8,20})["\']',
      flags: 'gi',
      maxLead: 22,
    });
  });

  test.each<[string, string, string]>([
    ['nothing to drop', 'token=(?<secret>\\w{16})', ''],
    ['a tail that starts with a broad class', '(?<![a-z])(?<secret>[A-Za-z0-9]{32})', ''],
    ['an unbounded lead', '[a-z]*token=(?<secret>\\w{16})', ''],
    ['a top-level alternation', '(?<![a-z])ab|cd', ''],
    ['a back-reference', '(?<q>["\'])?key=(?<secret>\\w{16})\\k<q>', ''],
    ['v-flag classes', '(?<![a-z])key=(?<secret>\\w{16})', 'v'],
  ])('none for %s', (_, regex, flags) => {
    expect(leadAnchor(regex, flags)).toBeUndefined();
  });

  test('the starts hold every match start of the whole regex, in order', () => {
    const lead = leadAnchor(ENV_DEFAULT, 'i')!;
    const text = 'x = os.getenv("abcdefgh12") + settings.CONFIG( \'zz9yy8xx7\') + env("short")';
    const whole = [...text.matchAll(new RegExp(ENV_DEFAULT, 'gi'))].map((m) => m.index);
    const starts = leadAnchoredStarts(lead, text);
    expect(whole).toHaveLength(2);
    for (const start of whole) expect(starts).toContain(start);
    expect(starts).toEqual([...starts].sort((a, b) => a - b));
    expect(new Set(starts).size).toBe(starts.length);
  });

  test("the tail's keyword anchors: tried at the keyword hits, the tail gives the starts its scan gives", () => {
    const lead = leadAnchor(ENV_DEFAULT, 'i', ['env', 'config'])!;
    expect(lead.tailAnchors && Object.fromEntries(lead.tailAnchors)).toEqual({ env: [0, 3], config: [0] });
    expect(leadAnchor(ENV_DEFAULT, 'i')!.tailAnchors).toBeUndefined();
    const text = 'x = os.getenv("abcdefgh12") + settings.CONFIG( \'zz9yy8xx7\') + env("short") + getenv(name)';
    // Where a prefilter finds the keywords, less their offsets (a superset of the tail's starts).
    const hits: number[] = [];
    for (const [keyword, offsets] of lead.tailAnchors!) {
      for (let at = text.toLowerCase().indexOf(keyword); at !== -1; at = text.toLowerCase().indexOf(keyword, at + 1)) {
        for (const o of offsets) hits.push(at - o);
      }
    }
    const tailStarts = [...new Set(hits)].sort((a, b) => a - b);
    expect(leadAnchoredStarts(lead, text, tailStarts)).toEqual(leadAnchoredStarts(lead, text));
    expect(leadAnchoredStarts(lead, text, tailStarts).length).toBeGreaterThan(0);
  });
});
