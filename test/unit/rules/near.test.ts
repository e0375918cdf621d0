/**
 * The `near` rule kind (issue 14 item 3): a vendor keyword, then within a distance a
 * token of the vendor's shape, written as data and compiled to a regex when the
 * rule files are read.
 */
import { describe, expect, test } from '@jest/globals';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { createDetector } from '../../../src/detect/detector.js';
import { keywordAnchors } from '../../../src/detect/keyword-anchors.js';
import { RuleError } from '../../../src/errors.js';
import { nearRegex, withNearCompiled, type NearSpec } from '../../../src/rules/near.js';
import type { RuleSpec } from '../../../src/rules/rule.js';
import { regexSafetyProblem } from '../../../src/regex/regex-safety.js';
import { parseRuleFile } from '../../../scripts/rule-files.js';
import { createRng, expandTemplate } from '../../support/examples.js';
import { PROJECT_ROOT } from '../../helpers/repo.js';

const rng = createRng('near-rule');
const t = (template: string) => expandTemplate(template, rng);

const acme: NearSpec = { keywords: ['acmeweather'], token: '[a-f0-9]{32}', distance: 40 };

function rule(near: NearSpec, extra: Partial<RuleSpec> = {}): RuleSpec {
  return withNearCompiled({
    id: 'acme-key',
    provider: 'Acme',
    description: 'Acme key',
    envVar: 'ACME_KEY',
    near,
    entropy: 3,
    confidence: 'medium',
    examples: { positive: [], negative: [] },
    ...extra,
  } as RuleSpec);
}

const scan = (r: RuleSpec, text: string) => {
  const detector = createDetector([r]);
  return detector.detect({ path: 'x.txt', text, lineNumbers: text.split('\n').map((_, i) => i + 1), origin: 'stdin' }).map((f) => f.secret);
};

describe('nearRegex', () => {
  const compiled = rule(acme);

  test('a keyword in any case, then the token within the distance: no assignment needed', () => {
    const key = t('{{hex:32}}');
    expect(scan(compiled, `ACMEWEATHER_KEY=${key}`)).toEqual([key]);
    expect(scan(compiled, `[debug] using AcmeWeather token ${key} now`)).toEqual([key]);
    expect(scan(compiled, `acmeweather:\n  key: "${key}"`)).toEqual([key]);
    expect(scan(compiled, `https://api.acmeweather.com/v1/current?access_key=${key}&q=x`)).toEqual([key]);
  });

  test('not past the distance, not before the keyword, not a slice of a longer word', () => {
    const key = t('{{hex:32}}');
    expect(scan(compiled, `acmeweather ${'x'.repeat(41)} ${key}`)).toEqual([]);
    expect(scan(compiled, `${key} acmeweather`)).toEqual([]);
    expect(scan(compiled, `acmeweather = "${key}${t('{{hex:4}}')}"`)).toEqual([]);
    expect(scan(compiled, `acmeweather = "z${key}"`)).toEqual([]);
    expect(scan(compiled, `acmeweather = "${key}_v2"`)).toEqual([]);
  });

  test('the alphabet extends the characters that may not touch the token', () => {
    const withPlus = rule({ ...acme, alphabet: '+/=' });
    const key = t('{{hex:32}}');
    expect(scan(compiled, `acmeweather: ${key}+${t('{{base64:8}}')}`)).toEqual([key]);
    expect(scan(withPlus, `acmeweather: ${key}+${t('{{base64:8}}')}`)).toEqual([]);
  });

  test('entropy and placeholder checks apply to the token', () => {
    expect(scan(compiled, `acmeweather_key=${'0'.repeat(32)}`)).toEqual([]);
    expect(scan(compiled, `acmeweather_key=${'0123456789abcdef'.repeat(2)}`)).toEqual([]);
  });

  test('keywords are escaped and the compiled regex passes the ReDoS check', () => {
    const dotted = nearRegex({ keywords: ['acme.io'], token: '[A-Za-z0-9]{40}' });
    expect(new RegExp(dotted).test(`acmexio ${t('{{alnum:40}}')}`)).toBe(false);
    expect(regexSafetyProblem(compiled.regex, '')).toBeUndefined();
  });

  test('its keywords are the prefilter keywords, and anchor the regex (tried only at keyword hits)', () => {
    expect(compiled.keywords).toEqual(['acmeweather']);
    const anchors = keywordAnchors(compiled.regex, compiled.flags ?? '', compiled.keywords);
    expect(anchors?.get('acmeweather')).toEqual([0]);
  });
});

describe('companions', () => {
  const withId = rule({ ...acme, companions: [{ name: 'app id', regex: '(?<![A-Za-z0-9])[a-f0-9]{8}(?![A-Za-z0-9])', within: 100 }] });

  test('the token is reported only with its companion near it', () => {
    const key = t('{{hex:32}}');
    expect(scan(withId, `ACMEWEATHER_KEY=${key}`)).toEqual([]);
    expect(scan(withId, `ACMEWEATHER_ID=${t('{{hex:8}}')}\nACMEWEATHER_KEY=${key}`)).toEqual([key]);
    expect(scan(withId, `ACMEWEATHER_KEY=${key}\n${'#'.repeat(120)}\nACMEWEATHER_ID=${t('{{hex:8}}')}`)).toEqual([]);
  });
});

describe('rule files with near', () => {
  const base = {
    id: 'acme-key',
    description: 'Acme key',
    near: { keywords: ['acmeweather'], token: '[a-f0-9]{32}' },
    entropy: 3,
    envVar: 'ACME_KEY',
    examples: { positive: ['acmeweather_key={{secret}}{{hex:32}}{{/secret}}'], negative: ['acmeweather_key='] },
  };
  const file = (r: object) => JSON.stringify({ provider: 'Acme', rules: [r] });

  test('a near rule needs no regex and no keywords: both are compiled from it', () => {
    const [parsed] = parseRuleFile(file(base), 'acme.yaml');
    expect(parsed!.regex).toBe(nearRegex(base.near));
    expect(parsed!.keywords).toEqual(['acmeweather']);
  });

  test.each([
    ['both regex and near', { ...base, regex: '(?<secret>x{3})', keywords: ['x'] }],
    ['near without a token', { ...base, near: { keywords: ['acmeweather'] } }],
    ['near with an unknown field', { ...base, near: { ...base.near, color: 'red' } }],
    ['neither regex nor near', { ...base, near: undefined }],
  ])('%s is a RuleError', (_name, r) => {
    expect(() => parseRuleFile(file(r), 'acme.yaml')).toThrow(RuleError);
  });

  test('the built-in near rules report the vendor, its env var and its revoke page', () => {
    const rules = [parseRuleFile(readFileSync(path.join(PROJECT_ROOT, 'rules', 'weatherstack.yaml'), 'utf8'), 'weatherstack.yaml')].flat();
    const key = t('{{lowerdigits:32}}');
    const detector = createDetector(rules);
    const [finding] = detector.detect({
      path: 'app.py',
      text: `requests.get(WEATHERSTACK_URL, params={"weatherstack_key": "${key}"})`,
      lineNumbers: [1],
      origin: 'stdin',
    });
    expect(finding).toMatchObject({
      ruleId: 'weatherstack-api-key',
      provider: 'weatherstack',
      secret: key,
      envVar: 'WEATHERSTACK_ACCESS_KEY',
      revokeUrl: 'https://weatherstack.com/dashboard',
    });
  });
  test('keyword rules are near rules: a key on the line after the vendor name is found, with no label needed; one further away is not', () => {
    const rules = parseRuleFile(readFileSync(path.join(PROJECT_ROOT, 'rules', 'ambee.yaml'), 'utf8'), 'ambee.yaml');
    const detector = createDetector(rules);
    const key = t('{{hex:64}}');
    const scan = (text: string) =>
      detector.detect({ path: 'run.log', text, lineNumbers: text.split('\n').map((_, i) => i + 1), origin: 'stdin' });
    expect(scan(`[INFO] Sending request to the ambee API\n[DEBUG] Using Key=${key}`)).toMatchObject([
      { ruleId: 'ambee-api-key', secret: key, line: 2 },
    ]);
    expect(scan(`<secret>{ambee ${key}}</secret>`)).toMatchObject([{ ruleId: 'ambee-api-key', secret: key }]);
    expect(scan(`[DEBUG] ambee api processing\n[INFO] Sending request to the upstream API now\n[DEBUG] Using Key=${key}`)).toEqual([]);
  });
});
