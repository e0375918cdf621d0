/**
 * The pem-block matcher: a private-key rule's regex finds the BEGIN line, the
 * matcher reads on to the END line with the same label. Keys are synthetic,
 * built at run time (test/helpers/keys.ts).
 */
import { describe, expect, test } from '@jest/globals';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createDetector } from '../../../src/detect/detector.js';
import { contiguousFragment } from '../../../src/sources/fragment.js';
import { isKnownMatcher, pemBlockEnd } from '../../../src/rules/matchers.js';
import { loadRuleFiles } from '../../../scripts/rule-files.js';
import { armoredKey } from '../../helpers/keys.js';
import { PROJECT_ROOT, runCli } from '../../helpers/repo.js';

const RULES = loadRuleFiles(path.join(PROJECT_ROOT, 'rules'));
const detector = createDetector(RULES);
const DASHES = '-'.repeat(5);

function found(text: string): Array<[string, string]> {
  return detector.detect(contiguousFragment('keys.txt', text, 'stdin')).map((f) => [f.ruleId, f.secret]);
}

/** The block end for a BEGIN line at the start of `text`. */
function blockEnd(text: string): number | undefined {
  return pemBlockEnd(text, 0, text.indexOf(DASHES, 5) + 5);
}

describe('pem-block', () => {
  test('is the matcher of the armored private-key rules', () => {
    expect(isKnownMatcher('pem-block')).toBe(true);
    const armored = RULES.filter((r) => r.matcher === 'pem-block').map((r) => r.id);
    expect(armored).toEqual(['private-key-pem', 'private-key-openssh', 'private-key-pgp']);
  });

  test.each([
    ['RSA', 'RSA PRIVATE KEY', 'private-key-pem', '\n'],
    ['PKCS#8', 'PRIVATE KEY', 'private-key-pem', '\n'],
    ['PKCS#8 with CRLF', 'PRIVATE KEY', 'private-key-pem', '\r\n'],
    ['PKCS#8 with \\n escapes', 'PRIVATE KEY', 'private-key-pem', '\\n'],
    ['PKCS#8 with \\r\\n escapes', 'PRIVATE KEY', 'private-key-pem', '\\r\\n'],
    ['OpenSSH', 'OPENSSH PRIVATE KEY', 'private-key-openssh', '\n'],
    ['PGP with armor headers and a checksum line', 'PGP PRIVATE KEY BLOCK', 'private-key-pgp', '\n'],
  ])('finds a whole %s key', (_name, label, ruleId, eol) => {
    const key = armoredKey(label, 1_200, label, eol);
    expect(found(`config = "${key}"\n`)).toEqual([[ruleId, key]]);
  });

  test('finds an encrypted PEM key with Proc-Type and DEK-Info headers, indented in YAML', () => {
    const key = armoredKey('RSA PRIVATE KEY', 1_200, 'enc');
    const [begin, ...rest] = key.split('\n');
    const withHeaders = [begin, 'Proc-Type: 4,ENCRYPTED', 'DEK-Info: AES-128-CBC,0123456789ABCDEF0123456789ABCDEF', '', ...rest];
    const yaml = `tls:\n  key: |\n${withHeaders.map((l) => `    ${l}`).join('\n')}\n`;
    expect(found(yaml)).toEqual([['private-key-pem', withHeaders.join('\n    ')]]);
  });

  test('finds an Ed25519 PKCS#8 key, whose body is one line', () => {
    const key = armoredKey('PRIVATE KEY', 64, 'ed25519');
    expect(key.split('\n')).toHaveLength(3);
    expect(found(key)).toEqual([['private-key-pem', key]]);
  });

  test('a 60 KB body is one block; past the bound (64 KB) it is not read', () => {
    const big = armoredKey('PGP PRIVATE KEY BLOCK', 60_000, 'big');
    expect(blockEnd(big)).toBe(big.length);
    const huge = armoredKey('PGP PRIVATE KEY BLOCK', 70_000, 'huge');
    expect(blockEnd(huge)).toBeUndefined();
  });

  test.each([
    ['an END line with another label', (k: string) => k.replace(/END RSA PRIVATE KEY/, 'END EC PRIVATE KEY')],
    ['no END line', (k: string) => k.slice(0, k.lastIndexOf('\n'))],
    ['a placeholder body', () => `${DASHES}BEGIN RSA PRIVATE KEY${DASHES}\n...\n${DASHES}END RSA PRIVATE KEY${DASHES}`],
    [
      'an angle-bracket placeholder',
      () => `${DASHES}BEGIN RSA PRIVATE KEY${DASHES}\n<your key here>\n${DASHES}END RSA PRIVATE KEY${DASHES}`,
    ],
    [
      'too little base64 to be a key',
      () => `${DASHES}BEGIN RSA PRIVATE KEY${DASHES}\nMIIEpAIBAAKCAQEA\n${DASHES}END RSA PRIVATE KEY${DASHES}`,
    ],
    ['a BEGIN line not followed by a line break', (k: string) => k.replace('\n', ' ')],
    ['another BEGIN line inside the body', (k: string) => k.replace('\n', `\n${DASHES}BEGIN RSA PRIVATE KEY${DASHES}\n`)],
    ['a line holding ----- inside the body', (k: string) => k.replace('\n', '\nComment: a-----b\n')],
  ])('no block for %s', (_name, edit) => {
    const text = edit(armoredKey('RSA PRIVATE KEY', 1_200, 'neg'));
    expect(blockEnd(text)).toBeUndefined();
  });

  test('a BEGIN line inside a body ends that walk; its own block is found', () => {
    const key = armoredKey('RSA PRIVATE KEY', 1_200, 'second');
    const text = `${DASHES}BEGIN RSA PRIVATE KEY${DASHES}\nMIIEpAIBAAKCAQEA\n${key}\n`;
    expect(found(text)).toEqual([['private-key-pem', key]]);
  });

  test('an error message quoting a key redacts the whole block, not only its BEGIN line (built CLI)', () => {
    const key = armoredKey('RSA PRIVATE KEY', 256, 'error', '\\n');
    const body = key.split('\\n')[1]!;
    const result = runCli(['scan', `--range=x ${key}`], { cwd: tmpdir() });
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/--range expects/);
    expect(result.stderr).not.toContain(body.slice(0, 16));
    expect(result.stderr).not.toContain('END RSA');
  });
});
