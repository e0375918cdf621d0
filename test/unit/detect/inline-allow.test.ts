import { describe, expect, test } from '@jest/globals';
import { hasInlineAllow } from '../../../src/detect/allowlist.js';
import { detectText } from '../../../src/detect/detector.js';
import { loadBuiltinRules } from '../../../src/rules/load-rules.js';
import { openaiKey } from '../../helpers/keys.js';

/**
 * `leakguard:allow` (and gitleaks:allow, detect-secrets' pragma) counts only in a
 * comment on the finding's line: not inside a string, a value, a URL or a data
 * file without comments, where it could be planted next to a key.
 */
const key = openaiKey('inline-allow');
/** Lines are written with `{key}` (test titles show no key) and filled in here. */
const fill = (template: string): string => template.replace('{key}', key);

describe('counts in a comment on the line', () => {
  test.each([
    `KEY = "{key}"  # leakguard:allow`,
    `const key = "{key}"; // leakguard:allow (test fixture)`,
    `key: {key} # gitleaks:allow`,
    `KEY = "{key}"  # pragma: allowlist secret`,
    `key = "{key}" /* leakguard:allow */`,
    `<key>{key}</key> <!-- leakguard:allow -->`,
    `SELECT '{key}'; -- leakguard:allow`,
    `msg = "it's a test key: {key}"  # leakguard:allow`,
    `msg = 'a "quoted" \\'key\\' {key}'  # leakguard:allow`,
  ])('%s', (line) => {
    expect(hasInlineAllow(fill(line))).toBe(true);
  });

  test.each([
    '; leakguard:allow -- ini comment on its own line',
    '% leakguard:allow',
    'REM leakguard:allow',
    ' * leakguard:allow (inside a block comment)',
  ])('a whole-line comment: %s', (line) => {
    expect(hasInlineAllow(line)).toBe(true);
  });
});

describe('does not count outside a comment', () => {
  test.each([
    [`KEY = "{key}"; NOTE = "leakguard:allow"`, 'in another string'],
    [`{"key": "{key}", "note": "# leakguard:allow"}`, 'a comment marker inside a JSON string'],
    [`{"key": "{key}", "note": "leakguard:allow"}`, 'JSON has no comments'],
    [`url = "https://example.com/?leakguard:allow={key}"`, 'in a URL'],
    [`KEY={key}leakguard:allow`, 'glued to the value'],
    [`echo '{key} // leakguard:allow'`, 'a comment marker inside a single-quoted string'],
    [`const k = \`{key} // gitleaks:allow\`;`, 'inside a template literal'],
  ])('%s (%s)', (line) => {
    expect(hasInlineAllow(fill(line))).toBe(false);
  });
});

test('the detector reports a key whose allow directive is not in a comment, and drops one that is', () => {
  const rules = loadBuiltinRules();
  const planted = fill('{"key": "{key}", "note": "leakguard:allow"}\n');
  expect(detectText(planted, rules, 'settings.json').map((f) => f.line)).toEqual([1]);
  const commented = fill('KEY = "{key}"  # leakguard:allow\n');
  expect(detectText(commented, rules, 'settings.py')).toEqual([]);
});
