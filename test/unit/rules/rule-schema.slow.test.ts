/**
 * One description of a rule (rules/schema.json) and one validator for built-in and
 * custom rules (src/rules/validate-rule.ts): ajv, the reference implementation of
 * JSON Schema, agrees with the runtime validator; RuleSpec has exactly the schema's
 * fields; and the checks beyond the schema give a built-in and a custom rule of the
 * same form the same verdict.
 */
import { describe, expect, test } from '@jest/globals';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Ajv, type ValidateFunction } from 'ajv';
import ts from 'typescript';
import { parse } from 'yaml';
import { listRuleFiles } from '../../../scripts/rule-files.js';
import { CHECKSUMS } from '../../../src/rules/checksums.js';
import { schemaProblem } from '../../../src/rules/json-schema.js';
import { ruleFileProblem, ruleProblem, type RuleKind } from '../../../src/rules/validate-rule.js';
import { PROJECT_ROOT } from '../../helpers/repo.js';

const SCHEMA = JSON.parse(readFileSync(path.join(PROJECT_ROOT, 'rules', 'schema.json'), 'utf8')) as {
  $id: string;
  definitions: { ruleFields: { properties: Record<string, unknown> } };
};
const ajv = new Ajv({ allErrors: true, strict: false });
const ajvFile = ajv.compile(SCHEMA);
const ajvKind = (kind: RuleKind): ValidateFunction => ajv.getSchema(`${SCHEMA.$id}#/definitions/${kind}`)!;
const FILES = listRuleFiles(path.join(PROJECT_ROOT, 'rules')).map((file) => ({
  name: path.basename(file),
  data: parse(readFileSync(file, 'utf8')) as { provider: string; rules: Array<Record<string, unknown>> },
}));

/** A built-in rule and the custom rule of the same form (no examples: they are optional there). */
const BUILTIN = {
  id: 'acme-token',
  description: 'Acme token',
  regex: '(?<![a-z0-9])(?<secret>acme_[a-z0-9]{32})',
  keywords: ['acme_'],
  envVar: 'ACME_TOKEN',
  examples: { positive: ['t = {{secret}}acme_{{lowerdigits:32}}{{/secret}}'], negative: ['t = acme_'] },
};
const { examples: _examples, ...CUSTOM } = BUILTIN;

/** Each field broken in the ways the schema refuses, and a few it accepts. */
const VARIANTS: Array<[string, Record<string, unknown>]> = [
  ['valid', {}],
  ['id not a string', { id: 7 }],
  ['empty id', { id: '' }],
  ['id not kebab-case', { id: 'Acme Token' }],
  ['unknown field', { colour: 'red' }],
  ['regex not a string', { regex: ['(?<secret>x{9})'] }],
  ['flags outside imsu', { flags: 'y' }],
  ['flags i', { flags: 'i' }],
  ['keywords not an array', { keywords: 'acme_' }],
  ['an empty keyword', { keywords: [''] }],
  ['a repeated keyword', { keywords: ['acme_', 'acme_'] }],
  ['entropy too high', { entropy: 9 }],
  ['entropy negative', { entropy: -1 }],
  ['entropy a string', { entropy: '3' }],
  ['confidence unknown', { confidence: 'certain' }],
  ['confidence low', { confidence: 'low' }],
  ['matcher unknown', { matcher: 'der-block' }],
  ['matcher pem-block', { matcher: 'pem-block' }],
  ['envVar not an identifier', { envVar: 'ACME TOKEN' }],
  ['revokeUrl over http', { revokeUrl: 'http://acme.example' }],
  ['allowPaths of numbers', { allowPaths: [1] }],
  ['examples without negatives', { examples: { positive: ['{{secret}}x{{/secret}}'] } }],
  ['examples with an unknown field', { examples: { positive: ['x'], negative: ['y'], maybe: [] } }],
  ['examples empty', { examples: { positive: [], negative: [] } }],
  [
    'verify: a request',
    {
      verify: {
        method: 'GET',
        url: 'https://api.acme.example/v1/me',
        headers: { Authorization: 'Bearer {{secret}}' },
        live: [200],
        revoked: [401],
      },
    },
  ],
  ['verify: a named verifier', { verify: { verifier: 'aws-sts' } }],
  ['verify: why none', { verify: { unsupported: 'no safe endpoint' } }],
  ['verify: of no form', { verify: { method: 'GET' } }],
  ['verify: of two forms', { verify: { verifier: 'aws-sts', unsupported: 'x' } }],
  ['verify: a request over http', { verify: { method: 'GET', url: 'http://api.acme.example/', live: [200], revoked: [401] } }],
  ['verify: a status out of range', { verify: { method: 'GET', url: 'https://api.acme.example/', live: [700], revoked: [401] } }],
  ['no description', { description: undefined }],
  ['no envVar', { envVar: undefined }],
  ['no keywords', { keywords: undefined }],
  ['no regex', { regex: undefined }],
];

function withChanges(rule: Record<string, unknown>, changes: Record<string, unknown>): Record<string, unknown> {
  const out = { ...rule, ...changes };
  for (const [key, value] of Object.entries(changes)) if (value === undefined) delete out[key];
  return out;
}

describe('ajv and the runtime validator read rules/schema.json alike', () => {
  test('every rule file: valid for both', () => {
    for (const { name, data } of FILES) {
      expect({ name, ajv: ajvFile(data), runtime: ruleFileProblem(data) }).toEqual({ name, ajv: true, runtime: undefined });
    }
  });

  test.each(VARIANTS)('%s: the same verdict, as a built-in and as a custom rule', (_name, changes) => {
    for (const [kind, base] of [
      ['rule', BUILTIN],
      ['userRule', CUSTOM],
    ] as const) {
      const rule = withChanges(base, changes);
      const runtime = schemaProblem(SCHEMA, { $ref: `#/definitions/${kind}` }, rule);
      expect({ kind, valid: runtime === undefined }).toEqual({ kind, valid: ajvKind(kind)(rule) });
    }
  });

  test('a keyword the runtime validator does not interpret is an error, never a pass', () => {
    expect(() => schemaProblem(true, { type: 'string', format: 'uri' }, 'x')).toThrow(/keyword "format" is not supported/);
  });
});

describe('RuleSpec has exactly the fields of the schema', () => {
  test("the interface in src/rules/rule.ts lists the schema's ruleFields, and fromConfig (set by the loader)", () => {
    const file = path.join(PROJECT_ROOT, 'src', 'rules', 'rule.ts');
    const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.ES2022);
    const spec = source.statements.find((s): s is ts.InterfaceDeclaration => ts.isInterfaceDeclaration(s) && s.name.text === 'RuleSpec')!;
    const fields = spec.members.map((m) => (m.name as ts.Identifier).text).filter((name) => name !== 'fromConfig');
    expect(fields.sort()).toEqual(Object.keys(SCHEMA.definitions.ruleFields.properties).sort());
  });
});

describe('the editor schema of .leakguard.json (schema/leakguard.schema.json) is checked against rules/schema.json', () => {
  // Published for editors, so it stands alone; its rule must stay the schema's userRule.
  const editor = JSON.parse(readFileSync(path.join(PROJECT_ROOT, 'schema', 'leakguard.schema.json'), 'utf8')) as {
    definitions: { rule: { required: string[]; properties: Record<string, { enum?: string[] }> } };
  };
  const userRule = (SCHEMA.definitions as unknown as { userRule: { allOf: [unknown, { properties: Record<string, unknown> }] } }).userRule;

  test('a custom rule has the same fields: ruleFields less those userRule refuses', () => {
    const refused = Object.entries(userRule.allOf[1].properties)
      .filter(([, schema]) => schema === false)
      .map(([name]) => name);
    expect(refused.sort()).toEqual(['matcher', 'near', 'verify']);
    const fields = Object.keys(SCHEMA.definitions.ruleFields.properties).filter((name) => !refused.includes(name));
    expect(Object.keys(editor.definitions.rule.properties).sort()).toEqual(fields.sort());
    const userRequired = (userRule.allOf[1] as unknown as { required: string[] }).required;
    expect(editor.definitions.rule.required.sort()).toEqual(
      [...(SCHEMA.definitions.ruleFields as unknown as { required: string[] }).required, ...userRequired].sort(),
    );
  });

  test('its checksum names are the known validators', () => {
    expect([...editor.definitions.rule.properties.checksum!.enum!].sort()).toEqual(Object.keys(CHECKSUMS).sort());
  });
});

describe('built-in and custom rules: where they differ, the schema says so', () => {
  test('a custom rule needs only an id and a regex; a built-in one its description, keywords, envVar and examples', () => {
    expect(ruleProblem({ id: 'mine', regex: 'mine_(?<secret>[a-z0-9]{24})' }, 'userRule')).toBeUndefined();
    expect(ruleProblem({ id: 'mine', regex: 'mine_(?<secret>[a-z0-9]{24})', keywords: ['mine_'] }, 'rule')).toEqual({
      path: ['description'],
      reason: 'is required',
    });
    const { keywords: _keywords, ...withoutKeywords } = BUILTIN;
    expect(ruleProblem(withoutKeywords, 'rule')?.reason).toMatch(/fits none of its 2 forms \(regex, keywords; or near\)/);
  });

  test('a custom id is any name; a built-in one is kebab-case', () => {
    expect(ruleProblem({ ...CUSTOM, id: 'Acme Token' }, 'userRule')).toBeUndefined();
    expect(ruleProblem({ ...BUILTIN, id: 'Acme Token' }, 'rule')?.path).toEqual(['id']);
  });

  test('a matcher is for built-in rules only (custom rules run, regex only, on a worker)', () => {
    const begin = { regex: '(?<secret>-----BEGIN ACME KEY-----)', keywords: ['-----begin'] };
    expect(ruleProblem({ ...BUILTIN, ...begin, matcher: 'pem-block' }, 'rule')).toBeUndefined();
    expect(ruleProblem({ ...CUSTOM, ...begin, matcher: 'pem-block' }, 'userRule')).toEqual({
      path: ['matcher'],
      reason: 'unknown field in a custom rule (built-in rules only)',
    });
  });

  test('a verify block is for built-in rules only (a config does not choose where keys are sent)', () => {
    const verify = {
      method: 'GET',
      url: 'https://api.acme.example/v1/me',
      headers: { Authorization: 'Bearer {{secret}}' },
      live: [200],
      revoked: [401],
    };
    expect(ruleProblem({ ...BUILTIN, verify }, 'rule')).toBeUndefined();
    expect(ruleProblem({ ...CUSTOM, verify }, 'userRule')).toEqual({
      path: ['verify'],
      reason: 'unknown field in a custom rule (built-in rules only)',
    });
  });

  test('a verify block: the schema problem of the form meant, then the checks beyond it (src/rules/verify-spec/spec-check.ts)', () => {
    const verify = {
      method: 'GET',
      url: 'https://api.acme.example/v1/me',
      headers: { Authorization: 'Bearer {{secret}}' },
      live: [200],
      revoked: [401],
    };
    expect(ruleProblem({ ...BUILTIN, verify: { ...verify, url: 'https://{{secret}}.acme.example/' } }, 'rule')?.path).toEqual([
      'verify',
      'url',
    ]);
    expect(ruleProblem({ ...BUILTIN, verify: { method: 'GET' } }, 'rule')?.reason).toMatch(
      /fits none of its 3 forms \(method, url, live, revoked; or verifier; or unsupported\)/,
    );
    expect(ruleProblem({ ...BUILTIN, verify: { ...verify, revoked: [200] } }, 'rule')).toEqual({
      path: ['verify', 'revoked'],
      reason: 'status 200 is both live and revoked',
    });
    expect(
      ruleProblem({ ...BUILTIN, verify: { verifier: 'aws-sts', companion: { rules: ['aws-access-key-id'], name: 'key id' } } }, 'rule'),
    ).toBeUndefined();
  });
});

describe('the checks beyond the schema: one verdict for both kinds', () => {
  test.each([
    ['a secret that can be empty', { regex: '(?<secret>x?)', keywords: [] }, ['regex'], /secret group .* empty string/],
    ['a secret that can be empty, with an uppercase keyword', { regex: '(?<secret>x?)', keywords: ['ACME'] }, ['regex'], /empty string/],
    ['an optional secret group', { regex: 'acme_(?<secret>[a-z0-9]{32})?' }, ['regex'], /left out of a match/],
    ['a secret in a negative look-ahead', { regex: 'acme_(?!(?<secret>[a-z0-9]{32}))[a-z]{4}' }, ['regex'], /left out of a match/],
    ['no secret group', { regex: 'acme_[a-z0-9]{32}' }, ['regex'], /needs a named group/],
    [
      'a regex that does not compile',
      { regex: '(?<secret>acme_[a-z' },
      ['regex'],
      /invalid regular expression \(Unterminated character class\)/,
    ],
    ['catastrophic backtracking', { regex: 'acme_(?<secret>(a+)+b)' }, ['regex'], /unsafe regular expression/],
    ['an uppercase keyword', { keywords: ['ACME_'] }, ['keywords', 0], /must be lowercase/],
    [
      'a match that holds no keyword (an alternative)',
      { regex: '(?:acme|token)_(?<secret>[a-z0-9]{32})', keywords: ['acme_'] },
      ['keywords'],
      /holds none of them/,
    ],
    [
      'a match that holds no keyword (a class wider than the keywords)',
      { regex: '(?<secret>ac[a-z]e_[a-z0-9]{32})', keywords: ['acme_', 'acxe_'] },
      ['keywords'],
      /holds none of them/,
    ],
    [
      'a match that holds no keyword (an optional keyword)',
      { regex: 'x(?<secret>a*a*a*b)', keywords: ['xa'] },
      ['keywords'],
      /holds none of them/,
    ],
    ['an unknown checksum', { checksum: 'acme-crc' }, ['checksum'], /unknown checksum validator \(known: .*github/],
    ['an unsafe allowValues regex', { allowValues: ['^(a|a)*$'] }, ['allowValues', 0], /unsafe regular expression/],
    ['an allowValues regex that does not compile', { allowValues: ['(x'] }, ['allowValues', 0], /invalid regular expression/],
  ])('%s', (_name, changes, field, reason) => {
    for (const [kind, base] of [
      ['rule', BUILTIN],
      ['userRule', CUSTOM],
    ] as const) {
      const problem = ruleProblem({ ...base, ...changes }, kind);
      expect({ kind, path: problem?.path }).toEqual({ kind, path: field });
      expect(problem!.reason).toMatch(reason);
    }
  });

  test.each([
    ['a keyword in every match, case-insensitively', { regex: '(?<secret>ACME_[A-Z0-9]{32})', flags: 'i', keywords: ['acme_'] }],
    ['a keyword in a look-behind before the match', { regex: '(?<=acme_key=)(?<secret>[a-z0-9]{32})', keywords: ['acme_key'] }],
    ['every alternative holds a keyword', { regex: '(?:acme|acne)_(?<secret>[a-z0-9]{32})', keywords: ['acme_', 'acne_'] }],
    ['no keywords: the rule always runs', { regex: 'never(?<secret>x{99})', keywords: [] }],
    ['a secret in a positive look-behind', { regex: '_ACME(?<=(?<secret>[a-f0-9]{32})_ACME)', keywords: ['_acme'] }],
  ])('accepted: %s', (_name, changes) => {
    expect(ruleProblem({ ...BUILTIN, ...changes }, 'rule')).toBeUndefined();
    expect(ruleProblem({ ...CUSTOM, ...changes }, 'userRule')).toBeUndefined();
  });

  test('every built-in rule passes (the build checks it too)', () => {
    for (const { data } of FILES) {
      for (const rule of data.rules)
        expect({ id: rule.id, problem: ruleProblem({ ...rule, provider: data.provider }, 'rule') }).toEqual({
          id: rule.id,
          problem: undefined,
        });
    }
  });
});

describe('the hook does not load the validator', () => {
  test('dist/cli.cjs (the hot path bundle) leaves it and the schema out: dist/rule-validator.cjs has them, for a config with rules', () => {
    const dist = (file: string): string => readFileSync(path.join(PROJECT_ROOT, 'dist', file), 'utf8');
    const marker = 'can match the empty string';
    expect(dist('cli.cjs')).not.toContain(marker);
    expect(dist('cli.cjs')).not.toContain('ruleFields');
    expect(dist('cli.cjs')).toContain('/rule-validator.cjs');
    expect(dist('rule-validator.cjs')).toContain(marker);
    expect(dist('rule-validator.cjs')).toContain('ruleFields');
  });
});
