/**
 * A literal assigned to, or compared with, a credential-named key (issue 14, detection
 * breadth: detect-secrets' keyword plugin): found whatever its entropy, in the syntaxes of
 * many languages, while code, references and placeholders stay quiet. Values are expanded
 * from templates at run time; the symbols in them are what a person types into a password.
 */
import { describe, expect, test } from '@jest/globals';
import path from 'node:path';
import { createDetector } from '../../../src/detect/detector.js';
import { createRng, expandTemplate } from '../../support/examples.js';
import { loadRuleFiles } from '../../../scripts/rule-files.js';
import { PROJECT_ROOT } from '../../helpers/repo.js';

const rules = loadRuleFiles(path.join(PROJECT_ROOT, 'rules'));
const detector = createDetector(rules);
const scan = (text: string, file: string) =>
  detector.detect({ path: file, text, lineNumbers: text.split('\n').map((_, i) => i + 1), origin: 'stdin' });
const rng = createRng('keyword-assignments');
/** A symbol-heavy value: brackets, `$`, `>` and braces that do not form a template reference. */
const symbolic = () =>
  expandTemplate('{{lower:1}}{', rng) + expandTemplate('{h}{{lower:1}})p${{{lower:1}}]{{lower:5}}([{{digits:3}}>-_$#{{lower:6}}}', rng);
/** A short value of punctuation around one letter. */
const punctuated = () => expandTemplate('{{upper:1}},.:-@*?!', rng);

describe('credential-named keys with literal values are found', () => {
  const cases: Array<[string, (v: string) => string]> = [
    ['app.conf', (v) => `apikey = "${v}"`],
    ['app.go', (v) => `apikey := "${v}"`],
    ['app.go', (v) => `aws_secret_access_key := \`${v}\``],
    ['app.js', (v) => `if (api_key != "${v}") {`],
    ['app.js', (v) => `if (db_pass !== "${v}") {`],
    ['app.js', (v) => `if ("${v}" == my_super_password) {`],
    ['app.cls', (v) => `if ("${v}" === private_key) {`],
    ['app.m', (v) => `password = @"${v}";`],
    ['app.m', (v) => `my_password_secure = @"${v}";`],
    ['app.c', (v) => `char secrete[25] = "${v}";`],
    ['app.m', (v) => `secrete[] = "${v}";`],
    ['app.cls', (v) => `password "${v}";`],
    ['app.rb', (v) => `password => "${v}"`],
    ['app.py', (v) => `connect(service_key='${v}')`],
    ['app.conf', (v) => `db_pass: ${v},`],
    ['app.conf', (v) => `private_key: ${v}"`],
    ['app.go', (v) => `passwd := ${v}`],
    ['settings.ini', (v) => `secrete = ${v}`],
  ];
  test.each(cases.map(([file, line]) => ({ file, line, shape: line('VALUE') })))('$file: $shape', ({ file, line }) => {
    for (const value of [symbolic(), punctuated()]) {
      const text = line(value);
      const found = scan(text, file).map((f) => f.secret);
      expect({ text, found }).toEqual({ text, found: [value] });
    }
  });
});

describe('what is not a literal credential stays quiet', () => {
  const value = symbolic();
  test.each([
    ['empty values', 'app.conf', ['api_key = ""', "secret: ''", 'password => ""']],
    ['no letter or digit in the value', 'app.conf', ['password = ,.:-@*?!', 'password = ",.:-@*?!"']],
    ['a template reference', 'app.conf', ['password: ${link}', 'password[] = ${link}', 'api_key = "{{ .Values.apiKey }}"']],
    ['a name that is not a credential', 'app.conf', [`some_key = "${value}"`, `secret_name = "${value}"`]],
    ['a made-up value', 'app.go', ['api_key := "somefakekey1!"']],
    ['mismatched quotes', 'app.conf', [`private_key "${value}';`]],
    ['a single-quoted character literal in C-family code', 'app.m', [`api_key = '${value}';`, `db_pass[] = '${value}';`]],
    ['an unquoted expression in code', 'app.m', [`passwd = ${value};`, 'password = getPassword(ctx)', 'secret := key[:32]']],
    ['a dotted name with a non-null assertion', 'env.ts', ['  openaiApiKey: process.env.OPENAI_API_KEY!,']],
    ['an interpolated string', 'app.php', [`"secret_key" => "${expandTemplate('{{alnum:12}}#{{digits:3}}', rng)}$utE"`]],
    ['a translation', 'de.json', ['"password": "Passwort:"']],
  ])('%s', (_what, file, lines) => {
    for (const text of lines) expect({ text, found: scan(text, file).map((f) => f.ruleId) }).toEqual({ text, found: [] });
  });
});
