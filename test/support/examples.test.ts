import { describe, expect, test } from '@jest/globals';
import fc from 'fast-check';
import { shannonEntropy } from '../../src/detect/entropy.js';
import { placeholderReason } from '../../src/detect/placeholders.js';
import { ALPHABETS, createRng, expandExample, expandRuleExamples, expandTemplate, marksSecret, randomString } from './examples.js';

describe('createRng', () => {
  test('is deterministic per seed and differs between seeds', () => {
    const a = createRng('seed');
    const b = createRng('seed');
    const c = createRng('other');
    const xs = Array.from({ length: 8 }, () => a.next());
    expect(Array.from({ length: 8 }, () => b.next())).toEqual(xs);
    expect(Array.from({ length: 8 }, () => c.next())).not.toEqual(xs);
    expect(createRng(42).next()).toBe(createRng('42').next());
  });

  test('stays in range', () => {
    const r = createRng(1);
    for (let i = 0; i < 2000; i++) {
      const x = r.next();
      expect(x >= 0 && x < 1).toBe(true);
      const n = r.int(7);
      expect(Number.isInteger(n) && n >= 0 && n < 7).toBe(true);
    }
  });
});

describe('alphabet tokens', () => {
  test.each(Object.entries(ALPHABETS))('{{%s:N}} uses only its alphabet', (name, alphabet) => {
    const value = expandTemplate(`{{${name}:64}}`, createRng(name));
    expect(value).toHaveLength(64);
    for (const ch of value) expect(alphabet).toContain(ch);
  });

  test('values look random: high entropy and never a placeholder', () => {
    fc.assert(
      fc.property(fc.string(), fc.constantFrom('alnum', 'hex', 'base64', 'base64url', 'upperdigits'), (seed, name) => {
        const value = expandTemplate(`{{${name}:40}}`, createRng(seed));
        const floor = name === 'hex' ? 3.0 : 4.0;
        expect(shannonEntropy(value)).toBeGreaterThanOrEqual(floor);
        expect(placeholderReason(value)).toBeUndefined();
      }),
    );
  });

  test('long runs are exact length', () => {
    expect(randomString(createRng(3), ALPHABETS.alnum!, 500)).toHaveLength(500);
  });
});

describe('structured tokens', () => {
  test('literal text and unknown-looking ${{ }} expressions are kept', () => {
    expect(expandTemplate('token: ${{ secrets.GITHUB_TOKEN }}', createRng(1))).toBe('token: ${{ secrets.GITHUB_TOKEN }}');
    expect(expandTemplate('a{{empty}}b{{dashes}}', createRng(1))).toBe('ab-----');
    expect(expandTemplate('{{repeat:X:5}}', createRng(1))).toBe('XXXXX');
    expect(expandTemplate('{{seq:5}}', createRng(1))).toBe('ABCDE');
  });

  test('unknown tokens and missing lengths are errors', () => {
    expect(() => expandTemplate('{{nope:3}}', createRng(1))).toThrow(/unknown template token/);
    expect(() => expandTemplate('{{hex}}', createRng(1))).toThrow(/length/);
  });

  test.each(['RSA', 'EC', 'DSA', 'PKCS8', 'ENCRYPTED', 'OPENSSH', 'PGP'])('{{pem:%s}} is a whole block', (kind) => {
    const block = expandTemplate(`{{pem:${kind}}}`, createRng(kind));
    const lines = block.split('\n');
    expect(lines[0]).toMatch(/^-{5}BEGIN [A-Z ]+-{5}$/);
    expect(lines.at(-1)).toMatch(/^-{5}END [A-Z ]+-{5}$/);
    expect(lines.length).toBeGreaterThan(3);
    const escaped = expandTemplate(`{{pem:${kind}:escaped}}`, createRng(kind));
    expect(escaped).not.toContain('\n');
    expect(escaped).toContain('\\n');
    expect(expandTemplate(`{{pem:${kind}:crlf}}`, createRng(kind))).toContain('\r\n');
  });

  test('{{jwt}} has three base64url parts with JSON header and payload', () => {
    const token = expandTemplate('{{jwt}}', createRng('jwt'));
    const [header, payload, signature] = token.split('.');
    expect(JSON.parse(Buffer.from(header!, 'base64url').toString()).alg).toMatch(/^(HS|RS|ES)/);
    expect(typeof JSON.parse(Buffer.from(payload!, 'base64url').toString()).iat).toBe('number');
    expect(signature!.length).toBeGreaterThan(20);
    expect(expandTemplate('{{jwtunsigned}}', createRng('jwt')).endsWith('.')).toBe(true);
  });

  test('{{uuid}} and {{ulid}}', () => {
    expect(expandTemplate('{{uuid}}', createRng(1))).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(expandTemplate('{{ulid}}', createRng(1))).toMatch(/^[0-9A-HJKMNP-TV-Z]{26}$/);
  });
});

describe('secret markers', () => {
  test('the marked part is returned and the markers vanish', () => {
    const { text, secret } = expandExample('key = "{{secret}}ab_{{hex:8}}{{/secret}}";', createRng(5));
    expect(secret).toMatch(/^ab_[0-9a-f]{8}$/);
    expect(text).toBe(`key = "${secret}";`);
    expect(marksSecret('{{secret}}x{{/secret}}')).toBe(true);
    expect(marksSecret('x')).toBe(false);
  });

  test('unbalanced markers are errors', () => {
    expect(() => expandExample('{{secret}}x', createRng(1))).toThrow();
    expect(() => expandExample('x{{/secret}}', createRng(1))).toThrow();
    expect(() => expandExample('{{secret}}a{{/secret}}{{secret}}b{{/secret}}', createRng(1))).toThrow();
  });

  test('expandRuleExamples is reproducible per rule and seed', () => {
    const rule = {
      id: 'acme-token',
      examples: { positive: ['t={{secret}}acme_{{alnum:20}}{{/secret}}'], negative: ['t=acme_{{lower:3}}'] },
    };
    const a = expandRuleExamples(rule, 1);
    expect(expandRuleExamples(rule, 1)).toEqual(a);
    expect(expandRuleExamples(rule, 2)).not.toEqual(a);
    expect(expandRuleExamples({ ...rule, id: 'other' }, 1)).not.toEqual(a);
    expect(a.positive[0]!.text).toBe(`t=${a.positive[0]!.secret}`);
    expect(() => expandRuleExamples({ ...rule, examples: { positive: ['acme_{{alnum:20}}'], negative: [] } }, 1)).toThrow(/mark/);
  });
});
