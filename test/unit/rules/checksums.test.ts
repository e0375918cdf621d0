import { describe, expect, test } from '@jest/globals';
import fc from 'fast-check';
import {
  BASE62_ALPHABET,
  CHECKSUMS,
  base62Crc32,
  crc32,
  isKnownChecksum,
  toBase62,
  validateChecksum,
} from '../../../src/rules/checksums.js';
import { createRng, expandTemplate } from '../../support/examples.js';

const rng = () => createRng('checksums-test');
const base62 = fc.string({ unit: fc.constantFrom(...BASE62_ALPHABET.split('')), minLength: 30, maxLength: 30 });

describe('crc32', () => {
  test('matches the standard check value', () => {
    expect(crc32('123456789')).toBe(0xcbf43926);
    expect(crc32('')).toBe(0);
  });
});

describe('base62', () => {
  test('pads to the width with 0', () => {
    expect(toBase62(0, 6)).toBe('000000');
    expect(toBase62(61, 6)).toBe('00000z');
    expect(toBase62(62, 6)).toBe('000010');
    expect(toBase62(0xffffffff, 6)).toHaveLength(6);
  });

  test('matches the checksum of a published GitHub token breakdown', () => {
    // The random part and checksum of the token shown in the base62-token write-up.
    expect(base62Crc32('zQWBuTSOoRi4A9spHcVY5ncnsDkxkJ')).toBe('0mLq17');
  });
});

describe('github-crc32 / npm-crc32', () => {
  test('accepts every generated token and rejects a changed character', () => {
    fc.assert(
      fc.property(base62, fc.nat(29), (body, at) => {
        const token = 'gh' + 'p_' + body + base62Crc32(body);
        expect(validateChecksum('github-crc32', token)).toBe(true);
        expect(validateChecksum('npm-crc32', 'np' + 'm_' + body + base62Crc32(body))).toBe(true);
        const swapped = body[at] === 'a' ? 'b' : 'a';
        const changed = 'gh' + 'p_' + body.slice(0, at) + swapped + body.slice(at + 1) + base62Crc32(body);
        expect(validateChecksum('github-crc32', changed)).toBe(false);
      }),
    );
  });

  test('rejects wrong lengths and alphabets', () => {
    expect(validateChecksum('github-crc32', 'ghp_short')).toBe(false);
    expect(validateChecksum('github-crc32', 'ghp_' + '-'.repeat(36))).toBe(false);
  });

  test('the template tokens produce valid and invalid checksums', () => {
    const r = rng();
    for (let i = 0; i < 50; i++) {
      expect(validateChecksum('github-crc32', expandTemplate('ghp_{{crc32b62:30}}', r))).toBe(true);
      expect(validateChecksum('github-crc32', expandTemplate('ghp_{{crc32b62bad:30}}', r))).toBe(false);
    }
  });
});

describe('structural validators', () => {
  test('basic-auth: base64 of user:password passes; no colon, an empty part or binary fails', () => {
    for (const seed of ['a', 'b', 'c']) {
      expect(validateChecksum('basic-auth', expandTemplate('{{basicauth}}', createRng(seed)))).toBe(true);
    }
    const b64 = (s: string) => Buffer.from(s, 'latin1').toString('base64');
    expect(validateChecksum('basic-auth', b64('nocolonhere'))).toBe(false);
    expect(validateChecksum('basic-auth', b64(':password'))).toBe(false);
    expect(validateChecksum('basic-auth', b64('user:'))).toBe(false);
    expect(validateChecksum('basic-auth', b64('us\u0001er:pass\u00ff'))).toBe(false);
  });

  test('jwt: signed tokens pass; unsigned, alg none and non-JSON headers fail', () => {
    const r = rng();
    for (let i = 0; i < 20; i++) {
      expect(validateChecksum('jwt', expandTemplate('{{jwt}}', r))).toBe(true);
      expect(validateChecksum('jwt', expandTemplate('{{jwtunsigned}}', r))).toBe(false);
      expect(validateChecksum('jwt', expandTemplate('{{jwtnone}}', r))).toBe(false);
      expect(validateChecksum('jwt', expandTemplate('{{jwtbad}}', r))).toBe(false);
    }
    expect(validateChecksum('jwt', 'a.b')).toBe(false);
  });

  test('jwt: a damaged or fake header (no JSON object naming "alg") fails, whatever the payload', () => {
    const r = rng();
    const b64url = (s: string) => Buffer.from(s, 'latin1').toString('base64url');
    const [, payload, signature] = expandTemplate('{{jwt}}', r).split('.');
    const withHeader = (header: string) => `${header}.${payload}.${signature}`;
    // `{"alg":` then bytes that are no JSON: a token edited by hand, not one a library signed.
    expect(validateChecksum('jwt', withHeader(b64url('{"alg":\'\u00d9z","typ":"JWT"}')))).toBe(false);
    expect(validateChecksum('jwt', withHeader(b64url('{"typ":"JWT"}')))).toBe(false);
    expect(validateChecksum('jwt', withHeader(b64url('{"alg":256,"typ":"JWT"}')))).toBe(false);
    expect(validateChecksum('jwt', withHeader(b64url('["alg","HS256"]')))).toBe(false);
    expect(validateChecksum('jwt', withHeader(b64url('{"alg":"HS256","typ":"JWT"}')))).toBe(true);
  });

  test('pypi-macaroon: pypi.org and test.pypi.org macaroons pass, other locations fail', () => {
    const r = rng();
    for (let i = 0; i < 20; i++) {
      expect(validateChecksum('pypi-macaroon', expandTemplate('{{pypi}}', r))).toBe(true);
      expect(validateChecksum('pypi-macaroon', expandTemplate('{{pypitest}}', r))).toBe(true);
      expect(validateChecksum('pypi-macaroon', expandTemplate('{{pypibad}}', r))).toBe(false);
      expect(validateChecksum('pypi-macaroon', expandTemplate('pypi-{{base64url:120}}', r))).toBe(false);
    }
  });

  test('discord-bot-token: the first part must encode a numeric id', () => {
    const r = rng();
    for (let i = 0; i < 20; i++) {
      expect(validateChecksum('discord-bot-token', expandTemplate('{{discordbot}}', r))).toBe(true);
      expect(validateChecksum('discord-bot-token', expandTemplate('{{discordbotbad}}', r))).toBe(false);
    }
  });

  test('sentry-org-token: the payload must be JSON with iat and url', () => {
    const r = rng();
    for (let i = 0; i < 20; i++) {
      expect(validateChecksum('sentry-org-token', expandTemplate('{{sentryorg}}', r))).toBe(true);
      expect(validateChecksum('sentry-org-token', expandTemplate('{{sentryorgbad}}', r))).toBe(false);
    }
  });
});

describe('registry', () => {
  test('knows its validators and nothing else', () => {
    for (const name of Object.keys(CHECKSUMS)) expect(isKnownChecksum(name)).toBe(true);
    expect(isKnownChecksum('nope')).toBe(false);
    expect(isKnownChecksum('toString')).toBe(false);
    expect(validateChecksum('nope', 'anything')).toBe(false);
    expect(validateChecksum('constructor', 'anything')).toBe(false);
  });

  test('validators never throw on arbitrary input', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), (value) => {
        for (const name of Object.keys(CHECKSUMS)) expect(typeof validateChecksum(name, value)).toBe('boolean');
      }),
    );
  });
});
