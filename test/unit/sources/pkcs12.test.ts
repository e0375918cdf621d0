import { afterAll, describe, expect, test } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { decodedLines } from '../../../src/sources/blob-reader.js';
import { isGoogleServiceAccountP12, pkcs12Length } from '../../../src/sources/pkcs12.js';
import { scan } from '../../../src/scan.js';
import { makeTempDir, tempRepos } from '../../helpers/repo.js';

/**
 * `.p12` key stores are made here at run time with openssl (an implementation of
 * PKCS#12 independent of ours); none is committed. Without openssl the tests are skipped.
 */
const hasOpenssl = ((): boolean => {
  try {
    execFileSync('openssl', ['version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

const dir = makeTempDir('leakguard-p12-');
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const repo = tempRepos();

let made = 0;
/** A fresh key and certificate exported as PKCS#12 with `password` (Google's own is "notasecret"). */
function p12(password: string, extra: string[] = []): Buffer {
  const n = made++;
  const key = path.join(dir, `k${n}.pem`);
  const cert = path.join(dir, `c${n}.pem`);
  const out = path.join(dir, `k${n}.p12`);
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:P-256',
      '-nodes',
      '-keyout',
      key,
      '-out',
      cert,
      '-subj',
      '/CN=test',
      '-days',
      '1',
    ],
    {
      stdio: 'ignore',
    },
  );
  execFileSync('openssl', ['pkcs12', '-export', '-inkey', key, '-in', cert, '-passout', `pass:${password}`, '-out', out, ...extra], {
    stdio: 'ignore',
  });
  return readFileSync(out);
}

const GOOGLE = ['not', 'a', 'secret'].join('');

(hasOpenssl ? describe : describe.skip)('Google service-account .p12 key stores', () => {
  test("a PKCS#12 file whose MAC verifies with Google's password is one, with a SHA-1 or SHA-256 MAC", () => {
    const sha1 = p12(GOOGLE, ['-macalg', 'sha1']);
    const sha256 = p12(GOOGLE, ['-macalg', 'sha256']);
    expect(pkcs12Length(sha1.subarray(0, 64))).toBe(sha1.length);
    expect(isGoogleServiceAccountP12(sha1)).toBe(true);
    expect(isGoogleServiceAccountP12(sha256)).toBe(true);
  });

  test('another password, no MAC, a cut file, other DER: not one', () => {
    const other = p12('correct horse battery staple');
    expect(pkcs12Length(other.subarray(0, 64))).toBe(other.length);
    expect(isGoogleServiceAccountP12(other)).toBe(false);
    expect(isGoogleServiceAccountP12(p12(GOOGLE, ['-nomac']))).toBe(false);
    const good = p12(GOOGLE);
    expect(isGoogleServiceAccountP12(good.subarray(0, good.length - 1))).toBe(false);
    expect(isGoogleServiceAccountP12(Buffer.concat([good, Buffer.from([0])]))).toBe(false);
    expect(pkcs12Length(Buffer.from('30820100020101', 'hex'))).toBeUndefined();
  });

  test('a binary file read by its bytes stands for one more line when it is such a key store, whatever the chunks', async () => {
    const file = p12(GOOGLE);
    const lines = async (chunks: Buffer[]): Promise<string[]> => {
      const out: string[] = [];
      for await (const batch of decodedLines(chunks)) for (const { text } of batch) out.push(text);
      return out;
    };
    const whole = await lines([file]);
    const cut = await lines([file.subarray(0, 40), file.subarray(40, 41), file.subarray(41)]);
    expect(whole.filter((l) => l.includes('GCP SERVICE ACCOUNT P12'))).toHaveLength(1);
    expect(cut).toEqual(whole);
    expect((await lines([p12('hunter2hunter2')])).some((l) => l.includes('GCP SERVICE ACCOUNT P12'))).toBe(false);
  });

  test('scanning a folder and staged changes reports the .p12 as a Google service-account key', async () => {
    const r = repo({ committed: true });
    r.write('keys/service-account.p12', p12(GOOGLE, ['-macalg', 'sha1']));
    r.write('keys/other.p12', p12('an own password here'));
    const tree = await scan({ cwd: r.root, source: { kind: 'paths', paths: ['.'] } });
    expect(tree.findings.map((f) => [f.ruleId, f.file])).toEqual([['gcp-service-account-p12', 'keys/service-account.p12']]);
    r.git('add', 'keys');
    const staged = await scan({ cwd: r.root, source: { kind: 'staged' } });
    expect(staged.findings.map((f) => [f.ruleId, f.file])).toEqual([['gcp-service-account-p12', 'keys/service-account.p12']]);
  });
});
