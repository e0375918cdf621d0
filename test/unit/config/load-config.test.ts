import { describe, expect, test } from '@jest/globals';
import { ConfigError } from '../../../src/errors.js';
import { parseConfig } from '../../../src/config/load-config.js';
import { effectiveRules, loadBuiltinRules } from '../../../src/rules/load-rules.js';

/**
 * A config error is one line naming the file, the field and the problem. It never
 * quotes the file's content: an allowlist regex, a stopword or a pasted value may be
 * (part of) a secret, and the message lands in CI logs.
 */
const SECRET = ['hunter', '2', 'Correct', 'Horse'].join(''); // a password-like value, assembled at run time

function errorOf(text: string): string {
  try {
    parseConfig(text, '.leakguard.json');
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
  ])('invalid JSON: %s', (_name, text) => {
    const message = errorOf(text);
    expect(message).toMatch(/^\.leakguard\.json: not valid JSON/);
    expect(message).not.toContain(SECRET);
    expect(message).not.toContain(SECRET.slice(0, 6));
  });

  test('the place of a JSON error is given as line and column', () => {
    expect(errorOf(`{\n  "allowlist": {"stopwords": ["${SECRET}" "x"]}\n}`)).toMatch(/\(line 2, column \d+\)/);
  });

  test.each([
    ['an allowlist regex', { allowlist: { regexes: [`${SECRET}(`] } }, 'allowlist.regexes[0]', 'Unterminated group'],
    ['a rule regex', { rules: [{ id: 'mine', regex: `(?<secret>${SECRET}[` }] }, 'rules[mine].regex', 'Unterminated character class'],
    ['a rule allowValues regex', { rules: [{ id: 'mine', regex: '(?<secret>x{9})', allowValues: [`${SECRET})`] }] }, 'rules[mine].allowValues[0]', 'Unmatched'],
  ])('an invalid regular expression in %s: the field and the reason, not the pattern', (_name, config, field, reason) => {
    const message = errorOf(JSON.stringify(config));
    expect(message).toContain(`${field}: invalid regular expression (`);
    expect(message).toContain(reason);
    expect(message).not.toContain(SECRET);
  });

  test('a field name that is not a name (a pasted value) is not quoted', () => {
    const message = errorOf(JSON.stringify({ [`${SECRET}=${SECRET}`]: 1 }));
    expect(message).toContain('unknown field');
    expect(message).not.toContain(SECRET);
    expect(errorOf(JSON.stringify({ allowlists: [] }))).toContain('.leakguard.json: allowlists: unknown field');
  });
});

describe('custom rules', () => {
  const builtin = loadBuiltinRules();
  const id = builtin[0]!.id;

  test('a custom rule may not take a built-in id: a config error naming it', () => {
    const config = parseConfig(JSON.stringify({ rules: [{ id, regex: 'x(?<secret>y{20})', revokeUrl: 'https://phish.example' }] }), '.leakguard.json');
    expect(() => effectiveRules(builtin, config, 'ci/leakguard.json')).toThrow(ConfigError);
    expect(() => effectiveRules(builtin, config, 'ci/leakguard.json')).toThrow(`ci/leakguard.json: rules[${id}].id: "${id}" is the id of a built-in rule`);
  });

  test('nor may two custom rules share an id; disabling a built-in rule and adding one of its own id is fine', () => {
    const twice = parseConfig(JSON.stringify({ rules: [{ id: 'mine', regex: 'a(?<secret>b{20})' }, { id: 'mine', regex: 'c(?<secret>d{20})' }] }), 'x');
    expect(() => effectiveRules(builtin, twice)).toThrow('.leakguard.json: rules[mine].id: two custom rules have this id');
    const own = parseConfig(JSON.stringify({ disabledRules: [id], rules: [{ id: 'mine', regex: 'a(?<secret>b{20})' }] }), 'x');
    const rules = effectiveRules(builtin, own);
    expect(rules.map((r) => r.id)).not.toContain(id);
    expect(rules.map((r) => r.id)).toContain('mine');
  });
});
