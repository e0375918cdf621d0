/**
 * Keys not written out whole (issue 14 item 5): percent-encoded, or split into string
 * literals on one line or over adjacent lines. Reported where they are written, with
 * the whole key as the secret and an `encoding` the fix treats as "not a literal".
 */
import { describe, expect, test } from '@jest/globals';
import path from 'node:path';
import { createDetector } from '../../../src/detect/detector.js';
import { joinedLiterals, percentDecoded } from '../../../src/detect/derived-texts.js';
import { createRng, expandTemplate } from '../../support/examples.js';
import { loadRuleFiles } from '../../../scripts/rule-files.js';
import { githubToken, openaiKey } from '../../helpers/keys.js';
import { PROJECT_ROOT } from '../../helpers/repo.js';

const detector = createDetector(loadRuleFiles(path.join(PROJECT_ROOT, 'rules')));
const scan = (file: string, text: string) =>
  detector.detect({ path: file, text, lineNumbers: text.split('\n').map((_, i) => i + 1), origin: 'stdin' });
const rng = createRng('derived');

describe('keys split into string literals', () => {
  const key = openaiKey('split');
  const [a, b] = [key.slice(0, 40), key.slice(40)];

  test.each([
    ['Python, implicit concatenation over lines', 'src/client.py', `API_KEY = (\n    "${a}"\n    "${b}"\n)\n`, 2],
    ['JavaScript, + at the end of the line', 'src/client.js', `const apiKey =\n  '${a}' +\n  '${b}';\n`, 2],
    ['Java, + on one line', 'Client.java', `String key = "${a}" + "${b}";`, 1],
    ['PHP, the . operator', 'config.php', `$key = '${a}' . '${b}';`, 1],
    ['C#, + at the start of the next line', 'Client.cs', `var key = "${a}"\n    + "${b}";`, 1],
  ])('%s', (_name, file, text, line) => {
    const findings = scan(file, text);
    expect(findings.map((f) => [f.secret, f.encoding, f.line])).toEqual([[key, 'split', line]]);
    expect(findings[0]!.description).toMatch(/split across string literals/);
  });

  test('a split GitHub token under a generic name', () => {
    const token = githubToken('split-gh');
    const text = `token = "${token.slice(0, 10)}" + "${token.slice(10)}"`;
    expect(scan('a.py', text).map((f) => [f.ruleId, f.secret])).toEqual([['github-personal-access-token', token]]);
  });

  test('a key with no vendor rule of its own, split under a name on the line before', () => {
    const value = expandTemplate('xk_{{hex:48}}', rng);
    const text = `const apiKey =\n  '${value.slice(0, 24)}' +\n  '${value.slice(24)}';\nmodule.exports = { apiKey };\n`;
    expect(scan('src/client.js', text).map((f) => [f.ruleId, f.secret, f.encoding])).toEqual([['generic-secret', value, 'split']]);
  });

  test('literals that only sit side by side are not joined: a key in one of them is reported once, as written', () => {
    const whole = openaiKey('whole');
    const findings = scan('a.js', `const k = "${whole}" + "/v1";`);
    expect(findings.map((f) => [f.secret, f.encoding])).toEqual([[whole, undefined]]);
    expect(scan('a.py', 'print("hello" + " " + "world")')).toEqual([]);
    expect(scan('a.py', `args = ["${a}", "${b}"]`)).toEqual([]);
  });

  test('joining keeps a map back to the source', () => {
    const [part] = joinedLiterals(`x = "ab" +\n "cd"`, 10);
    expect(part!.text).toBe('x = "abcd"');
    expect([...part!.origin].slice(4)).toEqual([4, 5, 6, 13, 14, 15, 16]);
  });
});

describe('percent-encoded keys', () => {
  test('an AWS secret key in a query string: found, reported at its encoded span', () => {
    let secret = '';
    while (!/[+/]/.test(secret)) secret = expandTemplate('{{base64:40}}', rng);
    const id = expandTemplate('AKIA{{upperdigits:16}}', rng);
    const encoded = encodeURIComponent(secret);
    const line = `curl -s "https://sts.internal.example.net/assume?aws_access_key_id=${id}&aws_secret_access_key=${encoded}&region=eu-west-1"`;
    const found = scan('assume.sh', line).find((f) => f.encoding === 'url');
    expect(found).toMatchObject({ secret, column: line.indexOf(encoded) + 1, endColumn: line.indexOf(encoded) + encoded.length + 1 });
  });

  test('URL-encoded JSON (%22…%22)', () => {
    const key = openaiKey('urlencoded');
    const line = `GET /callback?state=${encodeURIComponent(JSON.stringify({ api_key: key }))} HTTP/1.1`;
    expect(scan('access.log', line).map((f) => [f.secret, f.encoding])).toEqual([[key, 'url']]);
  });

  test('escapes of bytes that are not printable ASCII are kept; short runs are skipped', () => {
    expect(percentDecoded('a%20b', 10)).toEqual([]);
    const [run] = percentDecoded('q=caf%C3%A9%20au%20lait%3Dyes', 10);
    expect(run!.text).toBe('q=caf%C3%A9 au lait=yes');
  });

  test('a plain URL with escapes and no key is not reported', () => {
    expect(scan('a.md', 'See https://example.com/search?q=api%20key%20rotation%3A%20how%2Dto for details')).toEqual([]);
  });
});
