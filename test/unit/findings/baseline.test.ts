import { describe, expect, test } from '@jest/globals';
import { createHash } from 'node:crypto';
import { ConfigError } from '../../../src/errors.js';
import {
  baselineHashes,
  createBaseline,
  filterBaseline,
  isGuessable,
  parseBaseline,
  serializeBaseline,
  SCRYPT_COST,
} from '../../../src/findings/baseline.js';
import { openaiKey } from '../../helpers/keys.js';
import { fingerprintOf, type Finding } from '../../../src/detect/finding.js';

/**
 * Baselines store scrypt(salt, fingerprint), the salt in the file: a committed
 * baseline holding a weak password's finding costs an attacker a slow hash per
 * guess, not one SHA-256. Format-1 baselines (plain fingerprints) still work.
 */
const PASSWORD = ['pass', 'word', '1'].join(''); // weak on purpose, assembled at run time

function finding(secret: string, file = 'config/db.yml', ruleId = 'generic-password'): Finding {
  return {
    ruleId,
    provider: 'generic',
    description: 'Password',
    file,
    line: 1,
    column: 1,
    endLine: 1,
    endColumn: 1 + secret.length,
    secret,
    fingerprint: fingerprintOf(ruleId, file, secret),
    envVar: 'PASSWORD',
  };
}

describe('recording', () => {
  test('entries are salted scrypt hashes, not the public fingerprints nor any plain SHA-256 of them', async () => {
    const f = finding(PASSWORD);
    const baseline = await createBaseline([f, f]);
    expect(baseline).toMatchObject({
      version: 2,
      hash: { algorithm: 'scrypt', ...SCRYPT_COST },
      fingerprints: [expect.stringMatching(/^[0-9a-f]{32}$/)],
    });
    const text = serializeBaseline(baseline);
    expect(text).not.toContain(f.fingerprint);
    expect(text).not.toContain(createHash('sha256').update(f.fingerprint).digest('hex').slice(0, 32));
    // The old attack: the plain fingerprint of each guess, looked up in the file. Nothing matches now.
    const guesses = ['123456', 'password', PASSWORD, 'qwerty'].map((g) => fingerprintOf('generic-password', 'config/db.yml', g));
    expect(guesses.filter((g) => text.includes(g))).toEqual([]);
  });

  test('the salt is random per baseline, and kept when recording again (no churn in review)', async () => {
    const findings = [finding(PASSWORD), finding('other-value-1')];
    const first = await createBaseline(findings);
    const second = await createBaseline(findings);
    expect(second.hash.salt).not.toBe(first.hash.salt);
    expect(second.fingerprints).not.toEqual(first.fingerprints);
    const again = await createBaseline(findings, first.hash);
    expect(serializeBaseline(again)).toBe(serializeBaseline(first));
  });

  test('each guess costs real time: scrypt is far slower than the SHA-256 it replaces (calibrated in this run)', async () => {
    const params = (await createBaseline([])).hash;
    const guesses = Array.from({ length: 8 }, (_, i) => finding(`guess-${i}`));
    let t = process.hrtime.bigint();
    for (let round = 0; round < 100; round++)
      for (const g of guesses) fingerprintOf('generic-password', 'config/db.yml', `${g.secret}${round}`);
    const sha = Number(process.hrtime.bigint() - t) / 100;
    t = process.hrtime.bigint();
    await baselineHashes(guesses, params);
    const slow = Number(process.hrtime.bigint() - t);
    // Measured ~10,000x on a laptop; 100x leaves room for any machine load.
    expect(slow / sha).toBeGreaterThan(100);
  });
});

test('passwords and short tokens are guessable (scrypt); a provider key is not (salted SHA-256, fast)', async () => {
  expect([PASSWORD, 'Tr0ub4dor&3', ['correct', 'horse', 'battery', 'staple'].join(' '), 'a1b2'.repeat(8)].map(isGuessable)).toEqual([
    true,
    true,
    true,
    true,
  ]);
  const key = openaiKey('baseline-strong');
  expect(isGuessable(key)).toBe(false);
  const params = (await createBaseline([])).hash;
  const strong = finding(key, 'app.py', 'openai-project-api-key');
  const entry = (await baselineHashes([strong], params)).get(strong.fingerprint)!;
  expect(entry).toMatch(/^[0-9a-f]{32}$/);
  expect(entry).not.toBe(strong.fingerprint); // salted: not the public fingerprint
  const other = (await baselineHashes([strong], (await createBaseline([])).hash)).get(strong.fingerprint)!;
  expect(other).not.toBe(entry); // another salt, another entry
});

describe('matching', () => {
  test('a recorded finding is hidden, a new one is not; the same secret elsewhere is new', async () => {
    const known = finding(PASSWORD);
    const key = finding(openaiKey('baseline-match'), 'app.py', 'openai-project-api-key');
    const baseline = parseBaseline(serializeBaseline(await createBaseline([known, key])), 'b.json');
    const fresh = finding('another-password');
    const moved = finding(PASSWORD, 'config/other.yml');
    const freshKey = finding(openaiKey('baseline-fresh'), 'app.py', 'openai-project-api-key');
    expect(await filterBaseline([known, fresh, key, moved, known, freshKey], baseline)).toEqual([fresh, moved, freshKey]);
    expect(await filterBaseline([], baseline)).toEqual([]);
  });

  test('a format-1 baseline (plain fingerprints) still matches, and --debug says to record it again', async () => {
    const known = finding(PASSWORD);
    const old = parseBaseline(JSON.stringify({ version: 1, fingerprints: [known.fingerprint] }), 'old.json');
    const debug: string[] = [];
    expect(await filterBaseline([known, finding('x-y-z-1')], old, (m) => debug.push(m))).toEqual([finding('x-y-z-1')]);
    expect(debug.join('\n')).toMatch(/plain SHA-256 .*record it again with `leakguard baseline`/);
  });

  test.each([
    ['a huge scrypt cost (memory exhaustion)', { N: 2 ** 30 }, 'hash.N'],
    ['N not a power of two', { N: 3000 }, 'hash.N'],
    ['a huge r', { r: 1000 }, 'hash.r'],
    ['no salt', { salt: undefined }, 'hash.salt'],
    ['another algorithm', { algorithm: 'md5' }, 'hash.algorithm'],
  ])('a baseline asking for %s is refused', async (_name, change, field) => {
    const good = await createBaseline([finding(PASSWORD)]);
    const bad = { ...good, hash: { ...good.hash, ...change } };
    expect(() => parseBaseline(JSON.stringify(bad), 'b.json')).toThrow(ConfigError);
    expect(() => parseBaseline(JSON.stringify(bad), 'b.json')).toThrow(`b.json: ${field}:`);
  });

  test('unknown versions and malformed entries are refused', () => {
    expect(() => parseBaseline('{"version": 3, "fingerprints": []}', 'b.json')).toThrow('b.json: version:');
    expect(() =>
      parseBaseline(
        JSON.stringify({
          version: 2,
          hash: { algorithm: 'scrypt', salt: 'AAAAAAAAAAAAAAAAAAAAAA==', N: 16384, r: 8, p: 1 },
          fingerprints: ['xyz'],
        }),
        'b.json',
      ),
    ).toThrow('b.json: fingerprints[0]:');
  });
});
