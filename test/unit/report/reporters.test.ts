import { describe, expect, test } from '@jest/globals';
import type { Finding } from '../../../src/detect/finding.js';
import { emptyStats } from '../../../src/sources/source-stats.js';
import { describeSource } from '../../../src/sources/source.js';
import { stagedSource } from '../../../src/sources/staged.js';
import { historySource } from '../../../src/sources/history.js';
import { rangeSource } from '../../../src/sources/range.js';
import type { ReportContext } from '../../../src/report/report-context.js';
import { maskFindings } from '../../../src/redact.js';
import { escapeData, escapeProperty, githubReporter } from '../../../src/report/reporters/github.js';
import { ansiStyles } from '../../../src/report/ansi.js';
import { FORMATS, REPORTERS } from '../../../src/report/reporters/index.js';
import { htmlReporter } from '../../../src/report/reporters/html.js';
import { jsonReporter } from '../../../src/report/reporters/json.js';
import { textReporter } from '../../../src/report/reporters/text.js';
import { FINGERPRINT_KEY, fileUri, sarifReporter } from '../../../src/report/reporters/sarif.js';
import type { RuleSpec } from '../../../src/rules/rule.js';
import { sarifValidator } from '../../helpers/sarif.js';
import { findingIn, openaiKey } from '../../helpers/keys.js';

const RULE: RuleSpec = {
  id: 'openai-project-key',
  provider: 'openai',
  description: 'OpenAI API key',
  regex: 'sk-proj-(?<secret>x)',
  keywords: ['sk-proj-'],
  envVar: 'OPENAI_API_KEY',
  revokeUrl: 'https://platform.openai.com/api-keys',
  confidence: 'high',
  examples: { positive: [], negative: [] },
};

function context(overrides: Partial<ReportContext> = {}): ReportContext {
  return {
    stats: { ...emptyStats(), files: 2, lines: 10 },
    source: describeSource(stagedSource()),
    baselined: 0,
    color: false,
    rules: [RULE],
    toolVersion: '1.2.3',
    ...overrides,
  };
}

const secret = openaiKey('reporters');

function finding(file: string, content = `x = '${secret}'\n`, extra: Partial<Finding> = {}): Finding {
  return { ...findingIn(file, content, secret), ...extra };
}

describe('reporter registry', () => {
  test('every advertised format loads its reporter by name', async () => {
    const loaded = { text: textReporter, json: jsonReporter, sarif: sarifReporter, github: githubReporter, html: htmlReporter };
    expect(Object.keys(REPORTERS).sort()).toEqual([...FORMATS].sort());
    for (const format of FORMATS) expect(await REPORTERS[format]()).toBe(loaded[format]);
  });
});

describe('sarif reporter', () => {
  const validate = sarifValidator();

  test('a valid SARIF 2.1.0 log with rule metadata, encoded URIs and partialFingerprints', () => {
    const findings = maskFindings([finding('dir one/a#b%c.py'), finding('src/app.ts', `\n\n  k: "${secret}"`)], false);
    const log = JSON.parse(sarifReporter(findings, context()));
    expect(validate(log) ? [] : validate.errors).toEqual([]);
    expect(log.version).toBe('2.1.0');
    const run = log.runs[0];
    expect(run.tool.driver).toMatchObject({ name: 'leakguard', version: '1.2.3', semanticVersion: '1.2.3' });
    expect(run.tool.driver.rules).toHaveLength(1);
    expect(run.tool.driver.rules[0]).toMatchObject({
      id: RULE.id,
      shortDescription: { text: 'OpenAI API key' },
      helpUri: RULE.revokeUrl,
      defaultConfiguration: { level: 'error' },
      properties: { 'security-severity': '9.0', precision: 'very-high' },
    });
    expect(run.tool.driver.rules[0].help.text).toContain('OPENAI_API_KEY');
    expect(run.tool.driver.rules[0].help.markdown).toContain(RULE.revokeUrl);
    expect(run.results).toHaveLength(2);
    expect(run.results[0]).toMatchObject({
      ruleId: RULE.id,
      ruleIndex: 0,
      level: 'error',
      locations: [
        {
          physicalLocation: {
            artifactLocation: { uri: 'dir%20one/a%23b%25c.py', uriBaseId: '%SRCROOT%' },
            region: { startLine: 1, startColumn: 6, endLine: 1, endColumn: 6 + secret.length },
          },
        },
      ],
      partialFingerprints: { [FINGERPRINT_KEY]: findings[0]!.fingerprint },
    });
    expect(run.results[1].locations[0].physicalLocation.region).toMatchObject({ startLine: 3, startColumn: 7 });
    expect(JSON.stringify(log)).not.toContain(secret);
  });

  test('commit findings carry their commit; unknown rules are described from the finding; --show-secrets shows it', () => {
    const commit = { commit: 'a'.repeat(40), author: 'Ann <ann@example.com>', date: '2024-05-01T10:00:00+02:00' };
    const custom = finding('b.txt', `${secret}`, {
      ruleId: 'custom-rule',
      description: 'In-house token',
      envVar: 'IN_HOUSE',
      revokeUrl: undefined,
    });
    const log = JSON.parse(
      sarifReporter([{ ...finding('a.txt'), ...commit }, custom], context({ source: describeSource(historySource()) })),
    );
    expect(validate(log) ? [] : validate.errors).toEqual([]);
    expect(log.runs[0].results[0].properties).toEqual(commit);
    expect(log.runs[0].results[0].message.text).toContain('aaaaaaaaaaaa');
    expect(log.runs[0].tool.driver.rules.map((r: { id: string }) => r.id)).toEqual([RULE.id, 'custom-rule']);
    expect(log.runs[0].results[1].ruleIndex).toBe(1);
    expect(JSON.stringify(log)).toContain(secret); // unmasked input: the --show-secrets path
  });

  test('no findings is still a valid log', () => {
    const log = JSON.parse(sarifReporter([], context({ rules: [] })));
    expect(validate(log)).toBe(true);
    expect(log.runs[0].results).toEqual([]);
  });

  test('fileUri encodes each segment, keeps the slashes', () => {
    expect(fileUri('a b/c?d/ü.txt')).toBe('a%20b/c%3Fd/%C3%BC.txt');
  });
});

describe('github reporter', () => {
  test('one ::error per finding with file, line, columns (end inclusive) and a title', () => {
    const findings = maskFindings([finding('src/app.py', `\nKEY = '${secret}'\n`)], false);
    const out = githubReporter(findings, context());
    const lines = out.trimEnd().split('\n');
    expect(lines).toHaveLength(2);
    const end = 8 + secret.length - 1;
    expect(lines[0]).toBe(
      `::error file=src/app.py,line=2,endLine=2,col=8,endColumn=${end},title=leakguard%3A OpenAI API key [openai-project-key]::` +
        `OpenAI API key: ${findings[0]!.secret}%0Abelongs in .env as OPENAI_API_KEY; revoke and re-create it at https://platform.openai.com/api-keys`,
    );
    expect(lines[1]).toMatch(/^leakguard: 1 secret found \(scanned/);
    expect(out).not.toContain(secret);
  });

  test('properties and data are escaped as the Actions toolkit does; no columns across lines', () => {
    expect(escapeData('50% done\r\nnext')).toBe('50%25 done%0D%0Anext');
    expect(escapeProperty('a:b,c%d\ne')).toBe('a%3Ab%2Cc%25d%0Ae');
    const f = { ...finding('we,ird:na%me\n.txt'), endLine: 3, endColumn: 4 };
    const line = githubReporter([f], context()).split('\n')[0]!;
    expect(line.startsWith('::error file=we%2Cird%3Ana%25me%0A.txt,line=1,endLine=3,title=')).toBe(true);
    expect(line).not.toContain('col=');
  });

  test('commit findings name the commit; a clean scan prints only the summary', () => {
    const f = { ...finding('a.txt'), commit: 'b'.repeat(40), author: 'Bo <bo@example.com>', date: '2024-01-01T00:00:00Z' };
    expect(githubReporter([f], context({ source: describeSource(rangeSource('main..HEAD')) }))).toContain(
      'added in commit bbbbbbbbbbbb by Bo <bo@example.com>',
    );
    const clean = githubReporter([], context({ baselined: 2 }));
    expect(clean).not.toContain('::');
    expect(clean).toMatch(/no secrets found/);
    expect(clean).toMatch(/2 known findings hidden by the baseline/);
  });
});

describe('text reporter colours', () => {
  const findings = maskFindings([finding('src/app.py')], false);
  const strip = (text: string) => text.replace(/\x1b\[\d+m/g, '');

  test('without colour: no escape codes; with colour: the same text, styled', () => {
    const plainText = textReporter(findings, context({ color: false }));
    const coloured = textReporter(findings, context({ color: true }));
    expect(plainText).not.toContain('\x1b[');
    expect(coloured).toContain(`\x1b[4msrc/app.py\x1b[24m`);
    expect(coloured).toContain('\x1b[31m✖\x1b[39m');
    expect(strip(coloured)).toBe(plainText);
  });

  test('a style is closed before each line break and opened again after it', () => {
    expect(ansiStyles(true).yellow('one\ntwo')).toBe('\x1b[33mone\x1b[39m\n\x1b[33mtwo\x1b[39m');
    expect(ansiStyles(true).bold('b')).toBe('\x1b[1mb\x1b[22m');
    expect(ansiStyles(false).dim('one\ntwo')).toBe('one\ntwo');
  });
});
