import { describe, expect, test } from '@jest/globals';
import fc from 'fast-check';
import { jsoncToJson, syntaxErrorOffset } from '../../../src/config/jsonc.js';
import { parseConfig } from '../../../src/config/load-config.js';
import { ConfigError } from '../../../src/errors.js';

describe('JSON with comments (.leakguard.json as editors write it)', () => {
  test('line and block comments and trailing commas are accepted', async () => {
    const text = [
      '// leakguard settings',
      '{',
      '  /* paths that are never reported */',
      '  "allowlist": { "paths": ["docs/**", ], },  // trailing commas',
      '  "disabledRules": [',
      '    "generic-password", /* inline */',
      '  ],',
      '}',
      '',
    ].join('\n');
    expect(await parseConfig(text, '.leakguard.json')).toEqual({ allowlist: { paths: ['docs/**'] }, disabledRules: ['generic-password'] });
  });

  test('comment markers and commas inside strings are text', () => {
    const text = '{"allowlist": {"regexes": ["^https?://x", "a,]", "/* no */", "q\\\\"], "stopwords": ["\\"//\\""]}}';
    expect(JSON.parse(jsoncToJson(text))).toEqual(JSON.parse(text));
  });

  test('the result keeps every line and column: errors point into the file as written', async () => {
    const text = '{\n  // a comment with "quotes" and , commas\n  /* a\n  block */ "skipLockfiles": true,\n  "verify": tru\n}\n';
    const out = jsoncToJson(text);
    expect(out).toHaveLength(text.length);
    expect(out.split('\n').map((l) => l.length)).toEqual(text.split('\n').map((l) => l.length));
    await expect(parseConfig(text, '.leakguard.json')).rejects.toThrow(ConfigError);
    await expect(parseConfig(text, '.leakguard.json')).rejects.toThrow('.leakguard.json: not valid JSON (line 5, column 16)');
  });

  test('an unterminated block comment is an error at its line', async () => {
    await expect(parseConfig('{\n  "skipLockfiles": true\n  /* never closed\n}\n', 'c.json')).rejects.toThrow(
      /c\.json: not valid JSON \(line 3, column 3\)/,
    );
  });

  test('errors V8 reports without a position get one, and the message quotes nothing', async () => {
    const text = '{\n  "allowlist": {"stopwords": [undefined]}\n}\n';
    await expect(parseConfig(text, 'c.json')).rejects.toThrow(/^c\.json: not valid JSON \(line 2, column 31\)$/);
  });

  test('the syntax checker agrees with JSON.parse on valid and broken JSON', () => {
    const broken = fc
      .tuple(fc.json(), fc.nat(), fc.constantFrom('', 'x', ',', '}', ']', '"', '\n', 'u', '0', ':', '\\'))
      .map(([json, at, insert]) => {
        const cut = at % (json.length + 1);
        return json.slice(0, cut) + insert + json.slice(cut + (insert ? 0 : 1));
      });
    fc.assert(
      fc.property(broken, (text) => {
        let valid = true;
        try {
          JSON.parse(text);
        } catch {
          valid = false;
        }
        const offset = syntaxErrorOffset(text);
        if (valid) expect(offset).toBeUndefined();
        else if (text.trim() !== '') expect(offset).toEqual(expect.any(Number));
      }),
      { numRuns: 2000 },
    );
  });

  test('plain JSON is unchanged (any JSON value)', () => {
    fc.assert(fc.property(fc.json(), (json) => expect(jsoncToJson(json)).toBe(json)));
  });

  test('comments of any text, removed, give the same value', () => {
    const comment = fc.string().filter((s) => !s.includes('*/'));
    fc.assert(
      fc.property(fc.jsonValue(), comment, comment, (value, a, b) => {
        const text = `/*${a}*/${JSON.stringify(value, null, 1)}\n//${b.replace(/[\r\n]/g, '')}\n`;
        expect(JSON.parse(jsoncToJson(text))).toEqual(JSON.parse(JSON.stringify(value)));
      }),
    );
  });
});
