import { describe, expect, test } from '@jest/globals';
import { ConfigError } from '../../../src/errors.js';
import { parseConfig } from '../../../src/config/load-config.js';
import { effectiveRules } from '../../../src/config/effective-rules.js';
import { loadBuiltinRules } from '../../../src/rules/load-rules.js';

/**
 * A config error is one line naming the file, the field and the problem. It never
 * quotes the file's content: an allowlist regex, a stopword or a pasted value may be
 * (part of) a secret, and the message lands in CI logs.
 */
const SECRET = ['hunter', '2', 'Correct', 'Horse'].join(''); // a password-like value, assembled at run time

async function errorOf(text: string): Promise<string> {
  try {
    await parseConfig(text, '.leakguard.json');
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
  throw new Error('no error');
}

describe('config errors never echo content', () => {
  test.each([
    ['a bare word where a value belongs', `{"allowlist": {"stopwords": [${SECRET}]}}`],
    ['an unquoted value at the top level', `{"password": ${SECRET}}`],
    ['a missing comma after a secret', `{"allowlist": {"stopwords": ["${SECRET}" "x"]}}`],
    ['text after the object', `{"allowlist": {}} ${SECRET}`],
    ['a truncated file', `{"allowlist": {"stopwords": ["${SECRET}`],
  ])('invalid JSON: %s', async (_name, text) => {
    const message = await errorOf(text);
    expect(message).toMatch(/^\.leakguard\.json: not valid JSON/);
    expect(message).not.toContain(SECRET);
    expect(message).not.toContain(SECRET.slice(0, 6));
  });

  test('the place of a JSON error is given as line and column', async () => {
    expect(await errorOf(`{\n  "allowlist": {"stopwords": ["${SECRET}" "x"]}\n}`)).toMatch(/\(line 2, column \d+\)/);
  });

  test.each([
    ['an allowlist regex', { allowlist: { regexes: [`${SECRET}(`] } }, 'allowlist.regexes[0]', 'Unterminated group'],
    ['a rule regex', { rules: [{ id: 'mine', regex: `(?<secret>${SECRET}[` }] }, 'rules[mine].regex', 'Unterminated character class'],
    [
      'a rule allowValues regex',
      { rules: [{ id: 'mine', regex: '(?<secret>x{9})', allowValues: [`${SECRET})`] }] },
      'rules[mine].allowValues[0]',
      'Unmatched',
    ],
  ])('an invalid regular expression in %s: the field and the reason, not the pattern', async (_name, config, field, reason) => {
    const message = await errorOf(JSON.stringify(config));
    expect(message).toContain(`${field}: invalid regular expression (`);
    expect(message).toContain(reason);
    expect(message).not.toContain(SECRET);
  });

  test('a field name that is not a name (a pasted value) is not quoted', async () => {
    const message = await errorOf(JSON.stringify({ [`${SECRET}=${SECRET}`]: 1 }));
    expect(message).toContain('unknown field');
    expect(message).not.toContain(SECRET);
    expect(await errorOf(JSON.stringify({ allowlists: [] }))).toContain('.leakguard.json: allowlists: unknown field');
  });
});

describe('custom rules are validated like built-in ones, and their errors quote no content', () => {
  test.each([
    [
      'a secret that can be empty (with an uppercase keyword)',
      { id: 'mine', regex: '(?<secret>x?)', keywords: ['ACME'] },
      'rules[mine].regex: its secret group (?<secret>…) can match the empty string',
    ],
    [
      'a verify block (built-in rules only)',
      { id: 'mine', regex: 'a(?<secret>b{20})', verify: { unsupported: 'no' } },
      'rules[mine].verify: unknown field in a custom rule (built-in rules only)',
    ],
    [
      'a keyword some matches lack',
      { id: 'mine', regex: `(?:${SECRET.toLowerCase()}|other)_(?<secret>[a-z]{20})`, keywords: [SECRET.toLowerCase()] },
      'rules[mine].keywords: the regex has a match that holds none of them',
    ],
    [
      'an unknown field whose name is a pasted value',
      { id: 'mine', regex: 'a(?<secret>b{20})', [`${SECRET}=${SECRET}`]: 1 },
      'rules[mine].(a field whose name is not shown): unknown field',
    ],
    [
      'a checksum that is not known',
      { id: 'mine', regex: 'a(?<secret>b{20})', checksum: SECRET },
      'rules[mine].checksum: unknown checksum validator',
    ],
    [
      'a matcher (built-in rules only)',
      { id: 'mine', regex: '(?<secret>-----BEGIN X-----)', matcher: 'pem-block' },
      'rules[mine].matcher: unknown field in a custom rule (built-in rules only)',
    ],
    ['no id', { regex: 'a(?<secret>b{20})' }, 'rules[0].id: is required'],
  ])('%s', async (_name, rule, message) => {
    const text = await errorOf(JSON.stringify({ rules: [rule] }));
    expect(text).toContain(`.leakguard.json: ${message}`);
    expect(text).not.toContain(SECRET);
    expect(text).not.toContain(SECRET.toLowerCase());
  });

  test('keywords of a custom rule may be written in any case (as always): they are lowercased, then checked as those of a built-in rule', async () => {
    const config = await parseConfig(
      JSON.stringify({ rules: [{ id: 'mine', regex: 'acme_(?<secret>[a-z0-9]{24})', flags: 'i', keywords: ['ACME_'] }] }),
      'x',
    );
    expect(config.rules![0]!.keywords).toEqual(['acme_']);
    expect(
      await errorOf(JSON.stringify({ rules: [{ id: 'mine', regex: '(?:acme|token)_(?<secret>[a-z0-9]{24})', keywords: ['ACME_'] }] })),
    ).toContain('rules[mine].keywords: the regex has a match that holds none of them');
  });

  test('a config without rules is read without the rule validator; one with a valid rule passes', async () => {
    expect(await parseConfig(JSON.stringify({ rules: [] }), 'x')).toEqual({ rules: [] });
    expect(
      (
        await parseConfig(
          JSON.stringify({
            rules: [
              { id: 'acme-token', regex: '(?<secret>acme_[A-Za-z0-9]{32})', keywords: ['acme_'], entropy: 3.5, envVar: 'ACME_TOKEN' },
            ],
          }),
          'x',
        )
      ).rules,
    ).toHaveLength(1);
  });
});

describe('custom rules', () => {
  const builtin = loadBuiltinRules();
  const id = builtin[0]!.id;

  test('a custom rule may not take a built-in id: a config error naming it', async () => {
    const config = await parseConfig(
      JSON.stringify({ rules: [{ id, regex: 'x(?<secret>y{20})', revokeUrl: 'https://phish.example' }] }),
      '.leakguard.json',
    );
    expect(() => effectiveRules(builtin, config, 'ci/leakguard.json')).toThrow(ConfigError);
    expect(() => effectiveRules(builtin, config, 'ci/leakguard.json')).toThrow(
      `ci/leakguard.json: rules[${id}].id: "${id}" is the id of a built-in rule`,
    );
  });

  test('nor may two custom rules share an id; disabling a built-in rule and adding one of its own id is fine', async () => {
    const twice = await parseConfig(
      JSON.stringify({
        rules: [
          { id: 'mine', regex: 'a(?<secret>b{20})' },
          { id: 'mine', regex: 'c(?<secret>d{20})' },
        ],
      }),
      'x',
    );
    expect(() => effectiveRules(builtin, twice)).toThrow('.leakguard.json: rules[mine].id: two custom rules have this id');
    const own = await parseConfig(JSON.stringify({ disabledRules: [id], rules: [{ id: 'mine', regex: 'a(?<secret>b{20})' }] }), 'x');
    const rules = effectiveRules(builtin, own);
    expect(rules.map((r) => r.id)).not.toContain(id);
    expect(rules.map((r) => r.id)).toContain('mine');
  });
});
