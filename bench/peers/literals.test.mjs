// Checks of the Go and Python readers the peer benchmark extracts cases with.
// Run: node --test bench/peers/
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { GoEvaluator, Unevaluable, sprintf, tokenizeGo } from './golang.mjs';
import { PyEvaluator, dedent, pyNumber, tokenizePython } from './python.mjs';
import { helperTable } from './sources.mjs';
import { placeholderReason } from './placeholders.mjs';

function goValue(source, name) {
  const tokens = tokenizeGo(source);
  return new GoEvaluator(tokens).lookup(name, Infinity);
}

test('Go: raw and interpreted strings, constants, + and fmt.Sprintf', () => {
  const src = [
    'package p',
    'const (',
    '  keyword = "acme"',
    '  validPattern = `line one',
    'line two`',
    ')',
    'var tmpl = "%s token=\\"%s\\" \\x41\\u00e9"',
    'func TestX(t *testing.T) {',
    '  input := fmt.Sprintf(tmpl, keyword, validPattern) + "!"',
    '}',
  ].join('\n');
  assert.equal(goValue(src, 'input'), 'acme token="line one\nline two" Aé!');
});

test('Go: the nearest definition before a use wins; lists, append and nil', () => {
  const src = [
    'package p',
    'func A() { v := "first"; x := v }',
    'func B() { v := "second"; y := append([]string{v}, []string{"z", strings.Repeat("ab", 2)}...) }',
    'var none []string = nil',
  ].join('\n');
  const ev = new GoEvaluator(tokenizeGo(src));
  assert.equal(ev.lookup('x', Infinity), 'first');
  assert.deepEqual(ev.lookup('y', Infinity), ['second', 'z', 'abab']);
  assert.equal(ev.lookup('none', Infinity), null);
});

test('Go: what cannot be evaluated throws Unevaluable', () => {
  assert.throws(() => goValue('package p\nvar s = secrets.NewSecret("[a-z]{8}")\n', 's'), Unevaluable);
  assert.throws(() => goValue('package p\nvar s = other.Const\n', 's'), Unevaluable);
  assert.throws(() => sprintf('%d %s', ['1']), Unevaluable);
  assert.equal(sprintf('%[2]s-%[1]s %% %q', ['a', 'b']), 'b-a % "b"');
});

test('Python: literals, implicit concatenation, .format, slices, dedent', () => {
  const src = [
    'SECRET = "abc" \'def\'',
    'ROWS = [',
    '    ("key = {}".format(SECRET), True),',
    '    (r"raw\\n{x}".format(x=SECRET[1:3]), False),',
    '    (textwrap.dedent("""',
    '        a',
    '          b',
    '    """)[1:-1], [SECRET]),',
    ']',
  ].join('\n');
  const ev = new PyEvaluator(tokenizePython(src));
  assert.deepEqual(ev.lookup('ROWS'), [
    ['key = abcdef', true],
    ['raw\\nbc', false],
    ['a\n  b', ['abcdef']],
  ]);
  assert.equal(dedent('\n    x\n      y\n'), '\nx\n  y\n');
  assert.throws(() => new PyEvaluator(tokenizePython('X = f"{y}"\n')).lookup('X'), Unevaluable);
});

test('placeholders: runs, alphabet runs, EXAMPLE; real-looking values pass', () => {
  assert.equal(placeholderReason(['tok_' + 'x'.repeat(24)], ''), 'run of one character');
  assert.equal(placeholderReason(['tok_abcdefghij'], ''), 'alphabet run');
  assert.equal(placeholderReason(['AKIA' + 'EXAMPLE'], ''), 'EXAMPLE');
  assert.equal(placeholderReason(['tok_q8Zr2LmX0pVt7wKe3NbYs'], ''), undefined);
  // A's inside a longer key body are not a placeholder.
  assert.equal(placeholderReason(['b3Blbn' + 'A'.repeat(10) + 'Bm9uZQAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2g'], ''), undefined);
});

test('placeholders: runs per part of a key, user:pass only in a key the test names', () => {
  const run = (c, n) => c.repeat(n);
  // A part that is one run (tskey-api-AAAA…-BBBB…), parts that are each one character (0000-0000-0000).
  assert.equal(placeholderReason([`tok-api-${run('A', 12)}-${run('B', 24)}`], ''), 'run of one character');
  assert.equal(placeholderReason([`id=${run('0', 4)}-${run('0', 4)}-${run('0', 4)}`], ''), 'run of one character');
  // One-character parts tell nothing; short runs in a real-looking key do not count.
  assert.equal(placeholderReason(['x-a-q8Zr2LmX0pVt7wKe'], ''), undefined);
  assert.equal(placeholderReason(['tok-api-q8Zr2LmX0pVt-7wKe3NbYs4HcQ1dFg9JuMiAo'], ''), undefined);
  assert.equal(placeholderReason(['ab-cd-ef-gh'], ''), undefined);
  const url = ['https://', 'user', ':', 'pass', '@host.test'].join('');
  assert.equal(placeholderReason([url], url, true), 'user:pass placeholder credentials');
  assert.equal(placeholderReason([url], url), undefined);
  assert.equal(placeholderReason([url.replace('pass', 'q8Zr2LmX0p')], url, true), undefined);
});

test('Python: numbers are numbers, not case text', () => {
  assert.equal(pyNumber('200'), 200);
  assert.equal(pyNumber('1_000'), 1000);
  assert.equal(pyNumber('0x1F'), 31);
  assert.equal(pyNumber('1.5'), 1.5);
  assert.throws(() => pyNumber('2j'), Unevaluable);
  const ev = new PyEvaluator(tokenizePython('ROWS = [(200, True), ("ab" * 2, -3), (1 + 2, False)]\n'));
  assert.deepEqual(ev.lookup('ROWS'), [
    [200, true],
    ['abab', -3],
    [3, false],
  ]);
});

test('detect-secrets: helper and template tables are not (text, label) cases', () => {
  const table = (names, fn) => {
    const tokens = tokenizePython(`@pytest.mark.parametrize(\n    '${names}',\n    [('a', True)],\n)\ndef ${fn}(self):\n    pass\n`);
    const close = tokens.findIndex((t, i) => t.value === ')' && tokens[i + 1]?.value === 'def');
    const start = tokens.findIndex((t) => t.type === 'string');
    return helperTable(tokens, [start, start + 1], close);
  };
  assert.equal(table('payload, should_flag', 'test_analyze_line'), undefined);
  assert.match(table('content, expected_output', 'test_find_account'), /helper/);
  assert.match(table('status_code, validation_result', 'test_verify_credentials'), /helper/);
  assert.match(table('format, should_be_caught', 'test_basic'), /templates/);
});
