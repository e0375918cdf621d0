import { describe, expect, test } from '@jest/globals';
import fc from 'fast-check';
import { PassThrough } from 'node:stream';
import type { Finding } from '../../../src/detect/finding.js';
import { emptyStats } from '../../../src/sources/source-stats.js';
import { describeSource } from '../../../src/sources/source.js';
import { historySource } from '../../../src/sources/history.js';
import { decideItems, streamPromptIO } from '../../../src/fix/prompt.js';
import type { PlanItem } from '../../../src/fix/plan-fix.js';
import { escapeForDisplay, jsonText } from '../../../src/report/escape.js';
import type { ReportContext } from '../../../src/report/report-context.js';
import { escapeData, escapeProperty, githubReporter } from '../../../src/report/reporters/github.js';
import { jsonReporter } from '../../../src/report/reporters/json.js';
import { sarifReporter } from '../../../src/report/reporters/sarif.js';
import { textReporter } from '../../../src/report/reporters/text.js';
import { findingIn, openaiKey } from '../../helpers/keys.js';

/** Raw control characters (newline aside), C1 controls, line separators and bidi overrides. */
const RAW_CONTROL = /[\x00-\x09\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]/u;
const HOSTILE = 'a\n::error::x\r\x1b[2J\x1b]8;;https:evil\x07l\x1b]8;;\x07\x00\x7f\x85\x9b\u202e\u2066\u2069\u2028z';

/** Every character the display escape must never let through, one string. */
const ALL_UNSAFE = [
  ...Array.from({ length: 0x20 }, (_, i) => i),
  ...Array.from({ length: 0xa0 - 0x7f }, (_, i) => 0x7f + i),
  0x2028,
  0x2029,
  0x202a,
  0x202b,
  0x202c,
  0x202d,
  0x202e,
  0x2066,
  0x2067,
  0x2068,
  0x2069,
]
  .map((code) => String.fromCharCode(code))
  .join('');

describe('escapeForDisplay', () => {
  test('every control character, C1 control, bidi override and line separator is shown visibly', () => {
    const shown = escapeForDisplay(ALL_UNSAFE);
    expect(shown).not.toMatch(RAW_CONTROL);
    expect(shown).not.toContain('\n');
    expect(escapeForDisplay(HOSTILE)).toBe(
      'a\\n::error::x\\r\\x1b[2J\\x1b]8;;https:evil\\x07l\\x1b]8;;\\x07\\x00\\x7f\\x85\\x9b\\u202e\\u2066\\u2069\\u2028z',
    );
  });

  test('ordinary text, Unicode and backslashes are left as they are', () => {
    const text = 'src/dir one/naïve 日本語 😀 C:\\path\\x1b.txt — ✔';
    expect(escapeForDisplay(text)).toBe(text);
  });

  test('multiline keeps line breaks and tabs only', () => {
    expect(escapeForDisplay('-a\tb\r\n+\x1b[2Jc\u202e\n', { multiline: true })).toBe('-a\tb\\r\n+\\x1b[2Jc\\u202e\n');
    expect(escapeForDisplay(ALL_UNSAFE, { multiline: true }).replace(/[\n\t]/g, '')).not.toMatch(RAW_CONTROL);
  });

  test('property: the result never holds an unsafe character, and safe text is unchanged', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (text) => {
        expect(escapeForDisplay(text)).not.toMatch(RAW_CONTROL);
        expect(escapeForDisplay(text)).not.toContain('\n');
        if (!RAW_CONTROL.test(text) && !text.includes('\n')) expect(escapeForDisplay(text)).toBe(text);
      }),
    );
  });
});

describe('jsonText', () => {
  test('parses back to exactly the same value, with no raw control character in the text', () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.string({ unit: 'binary' }), (value, text) => {
        for (const v of [value, { text, nested: [text, value] }]) {
          const out = jsonText(v);
          expect(out).not.toMatch(RAW_CONTROL);
          expect(JSON.parse(out)).toEqual(JSON.parse(JSON.stringify(v)));
        }
      }),
    );
    expect(jsonText({ s: ALL_UNSAFE })).not.toMatch(RAW_CONTROL);
    expect(JSON.parse(jsonText({ s: ALL_UNSAFE })).s).toBe(ALL_UNSAFE);
  });
});

const secret = openaiKey('escape');

function context(overrides: Partial<ReportContext> = {}): ReportContext {
  return {
    stats: { ...emptyStats(), files: 1, lines: 1 },
    source: describeSource(historySource()),
    baselined: 0,
    color: false,
    rules: [],
    toolVersion: '1.0.0',
    ...overrides,
  };
}

function hostileFinding(): Finding {
  return {
    ...findingIn(`src/${HOSTILE}.js`, `k = '${secret}'\n`, secret),
    description: `OpenAI ${HOSTILE}`,
    commit: 'c'.repeat(40),
    author: `Eve${HOSTILE} <e@example.com>`,
    date: '2024-01-01T00:00:00Z',
  };
}

describe('reporters with hostile text', () => {
  const notRead = [{ file: `big${HOSTILE}.bin`, reason: 'larger than 50 MB' }];

  test('text: no raw control character (colour off), only SGR colours (colour on)', () => {
    const stats = { ...emptyStats(), notRead };
    expect(textReporter([hostileFinding()], context({ stats }))).not.toMatch(RAW_CONTROL);
    const coloured = textReporter([hostileFinding()], context({ stats, color: true }));
    expect(coloured).toContain('\x1b[31m');
    expect(coloured.replace(/\x1b\[\d+m/g, '')).not.toMatch(RAW_CONTROL);
    expect(textReporter([], context({ stats }))).toContain('not read: biga\\n::error::x');
  });

  test('github: one line per finding and per file not read; GitHub escapes for %, CR, LF; no raw control character', () => {
    const out = githubReporter([hostileFinding(), hostileFinding()], context({ stats: { ...emptyStats(), notRead } }));
    expect(out).not.toMatch(RAW_CONTROL);
    const lines = out.trimEnd().split('\n');
    expect(lines.map((l) => l.slice(0, 10))).toEqual(['::error fi', '::error fi', '::warning ', 'leakguard:']);
    expect(lines[0]).toMatch(/^::error file=src\/a%0A%3A%3Aerror%3A%3Ax%0D\\x1b\[2J\\x1b\]8;;https%3Aevil\\x07l/);
    expect(escapeData('50%\x1b\n')).toBe('50%25\\x1b%0A');
    expect(escapeProperty('a:b,\x9b\u202e')).toBe('a%3Ab%2C\\x9b\\u202e');
  });

  test('json and sarif: exact values, no raw control character', () => {
    const f = hostileFinding();
    const json = jsonReporter([f], context());
    expect(json).not.toMatch(RAW_CONTROL);
    expect(JSON.parse(json).findings[0]).toMatchObject({ file: f.file, author: f.author, description: f.description });
    const sarif = sarifReporter([f], context());
    expect(sarif).not.toMatch(RAW_CONTROL);
    expect(JSON.parse(sarif).runs[0].results[0].properties.author).toBe(f.author);
  });
});

describe('fix prompt', () => {
  test('the prompt shows a hostile path, description and preview with visible escapes', async () => {
    const input = new PassThrough();
    const output = new PassThrough();
    let printed = '';
    output.on('data', (chunk: Buffer) => (printed += chunk.toString()));
    const io = streamPromptIO(input, output);
    input.end('n\n');
    const item = { finding: hostileFinding(), action: 'rewrite', envVar: 'OPENAI_API_KEY' } as unknown as PlanItem;
    await decideItems([item], io, () => `--- a/x\n+\x1b]8;;https:evil\x07line\x1b]8;;\x07\t\u202e\n`);
    expect(printed).toContain('src/a\\n::error::x');
    expect(printed).toContain('+\\x1b]8;;https:evil\\x07line\\x1b]8;;\\x07\t\\u202e\n');
    expect(printed.replace(/\t/g, '')).not.toMatch(RAW_CONTROL);
  });
});
