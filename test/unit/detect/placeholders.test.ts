import { createHmac } from 'node:crypto';
import { describe, expect, test } from '@jest/globals';
import { placeholderReason } from '../../../src/detect/placeholders.js';
import { createRng, expandTemplate } from '../../support/examples.js';

const rng = createRng('placeholders');

describe('placeholderReason', () => {
  test.each([
    ['sk-...', 'marker'],
    ['sk-proj-…', 'marker'],
    // Key-shaped placeholders are assembled here so no key-shaped literal is committed.
    ['sk-ant-api03-' + 'X'.repeat(36), 'marker'],
    ['<OPENAI_API_KEY>', 'marker'],
    ['${OPENAI_API_KEY}', 'marker'],
    ['your-api-key-here', 'word'],
    ['AKIAIOSFODNN7EXAMPLE', 'marker'],
    ['0000000000:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA', 'repeated'],
    ['sk-proj-' + 'abcdefghijklmnopqrstuvwx', 'sequential'],
    ['PASSWORD', 'slot name'],
    ['DB_PASSWORD', 'slot name'],
    ['api_key', 'slot name'],
    ['cachepass', 'slot name'],
    ['42password', 'marker'],
    ['_aj_hash_with_indifferent_access', 'identifier'],
    ['active_storage/disk', 'identifier'],
    ['active_record_encryption.', 'identifier'],
    ['credential: #{key}', 'marker'],
  ])('%s is a placeholder (%s)', (value) => {
    expect(placeholderReason(value)).toBeDefined();
  });

  // The placeholder-word regex runs only when one of its words occurs: each of its
  // alternatives, in any case, must still be recognised.
  test.each([
    'Your_Secret_Key9',
    'MY-API-TOKEN-1',
    'xPlaceHolder7x',
    'ChangeMe2024',
    'change-me_1',
    'REDACTED99',
    'replace_me_42',
    'ReplaceMe1',
    'Insert-Your-Key1',
    'insertToken7',
    'dummy1234',
    'a-FAKE-1',
    'not_a_real_1',
    'TODO-42',
  ])('%s: placeholder word', (value) => {
    expect(placeholderReason(value)).toBe('placeholder word');
  });

  test('real-looking passwords are not slot names', () => {
    const values = ['Passw0rd_2024', 'Tr0ub4dor&3', 'tokenizer9', 'hunter2']; // leakguard:allow (test values)
    for (const value of values) expect(placeholderReason(value)).toBeUndefined();
  });

  test('published sample values are recognised by hash, never stored as literals', () => {
    const jwt = [
      'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9',
      'eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ',
      'SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c',
    ].join('.');
    expect(placeholderReason(jwt)).toBe('published sample value');
  });

  test("an HMAC JWT signed with one of jwt.io's default keys is a sample, whatever its claims; another key makes it real", () => {
    const b64 = (value: object): string => Buffer.from(JSON.stringify(value)).toString('base64url');
    const mint = (alg: string, hash: string, key: string): string => {
      const signed = `${b64({ alg, typ: 'JWT' })}.${b64({ sub: expandTemplate('{{base64url:12}}', rng), exp: 4102444800 })}`;
      return `${signed}.${createHmac(hash, key).update(signed).digest('base64url')}`;
    };
    const published = ['a-string-secret-at-least-256-bits-long', 'your-256-bit-secret', 'your-384-bit-secret', 'your-512-bit-secret']; // leakguard:allow (jwt.io's published default keys)
    for (const [alg, hash] of [
      ['HS256', 'sha256'],
      ['HS384', 'sha384'],
      ['HS512', 'sha512'],
    ] as const) {
      for (const key of published) expect(placeholderReason(mint(alg, hash, key))).toBe('published sample value');
      expect(placeholderReason(mint(alg, hash, expandTemplate('{{base64url:32}}', rng)))).toBeUndefined();
    }
  });

  test('two counts interleaved (a1b2c3…, 1A2b3C…) are typed by hand, also after a key-like prefix or split by dashes', () => {
    const letters = 'abcdefghijklmnopqrstuvwxyz';
    for (let i = 0; i < 50; i++) {
      const from = rng.int(14);
      const digit = rng.int(10);
      let counted = '';
      for (let k = 0; k < 12; k++) {
        const letter = letters[from + k]!;
        const pair = [k % 2 ? letter.toUpperCase() : letter, String((digit + k) % 10)];
        counted += (i % 2 ? pair.reverse() : pair).join('');
      }
      const dashed = `${counted.slice(0, 8)}-${counted.slice(8, 12)}-${counted.slice(12)}`;
      const key = expandTemplate(`{{base64url:${4 + (i % 8)}}}`, rng);
      expect(placeholderReason(`${key}_${counted}`)).toBe('two counts interleaved (a1b2c3…)');
      expect(placeholderReason(dashed)).toBe('two counts interleaved (a1b2c3…)');
    }
  });

  test('the alphabet in alternating case is still the alphabet', () => {
    for (let i = 0; i < 20; i++) {
      const from = rng.int(18);
      const run = [...'abcdefghijklmnopqrstuvwxyz'.slice(from, from + 8)].map((c, k) => ((k + i) % 2 ? c.toUpperCase() : c)).join('');
      expect(placeholderReason(run + expandTemplate('{{base64url:40}}', rng))).toBe('sequential characters');
    }
  });

  test('three runs of four of one character (AAAABBBBCCCC) are typed, in a value of up to 128 characters', () => {
    for (let i = 0; i < 20; i++) {
      const runs = ['A', 'B', 'C'].map((c) => c.repeat(4 + (i % 2)));
      const value = `${expandTemplate('{{base64url:20}}', rng)}.${runs[0]}.${expandTemplate('{{alnum:10}}', rng)}.${runs[1]}${runs[2]}`;
      expect(placeholderReason(value)).toBe('runs of one character (AAAABBBB…)');
    }
    // Base64 of binary repeats A for zero bytes: a long value may hold such runs.
    const binary =
      expandTemplate('{{base64:60}}', rng) +
      'AAAA' +
      expandTemplate('{{base64:30}}', rng) +
      'AAAAB' +
      expandTemplate('{{base64:30}}', rng) +
      'AAAAC';
    expect(placeholderReason(binary)).toBeUndefined();
  });

  test('random keys are not placeholders', () => {
    for (let i = 0; i < 200; i++) {
      expect(placeholderReason(expandTemplate('sk-proj-{{base64url:74}}T3BlbkFJ{{base64url:74}}', rng))).toBeUndefined();
      for (const template of ['{{alnum:40}}', '{{hex:64}}', '{{base64:88}}', '{{base64url:200}}', '{{lower:32}}', '{{digits:20}}']) {
        expect(placeholderReason(expandTemplate(template, rng))).toBeUndefined();
      }
    }
  });

  test('long values tolerate short runs (DER bodies, escaped PEM), but not long ones', () => {
    const body = expandTemplate('{{base64:60}}', rng) + 'AAAAAAAAA' + expandTemplate('{{base64:60}}', rng);
    expect(placeholderReason(body)).toBeUndefined();
    expect(placeholderReason('sk-proj-' + 'A'.repeat(150))).toBe('repeated characters');
  });
});

describe('template references', () => {
  test.each([
    'pre-${ENV}-post',
    '{{ .Values.password }}',
    '${{ secrets.DEPLOY }}',
    '$(cat /run/key)',
    '%(pw)s',
    '${UNCLOSED',
    'sk-svc-{{',
    'a-#{key}-b',
    '<db-pass>',
    'k-${fn(a[0])}',
  ])('%s is a reference, not a value', (value) => {
    expect(placeholderReason(value)).toMatch(/marker/);
  });

  // A password may hold `${`, `{{`, `<` or `>` among other symbols: without a reference that
  // opens, holds an expression (balanced brackets) and closes, it is not a template.
  test.each(['q{{h}o)p${e]n(b[7>-_$#w}}', 'Zx9>kd2!w', 'ab<3{{c', 'k${x]y}9'])('%s is not a template', (value) => {
    expect(placeholderReason(value)).toBeUndefined();
  });
});
