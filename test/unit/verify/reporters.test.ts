/** How each report shows a verified finding: LIVE stands out, levels follow the status, SARIF stays valid. */
import { describe, expect, test } from '@jest/globals';
import type { Finding } from '../../../src/detect/finding.js';
import { emptyStats } from '../../../src/sources/source-stats.js';
import { historySource } from '../../../src/sources/history.js';
import { describeSource } from '../../../src/sources/source.js';
import type { ReportContext } from '../../../src/report/report-context.js';
import { maskFindings } from '../../../src/redact.js';
import { githubReporter } from '../../../src/report/reporters/github.js';
import { jsonReporter } from '../../../src/report/reporters/json.js';
import { sarifReporter } from '../../../src/report/reporters/sarif.js';
import { textReporter } from '../../../src/report/reporters/text.js';
import type { Verification } from '../../../src/rules/verify-spec/types.js';
import { findingIn, openaiKey } from '../../helpers/keys.js';
import { sarifValidator } from '../../helpers/sarif.js';

const context = (overrides: Partial<ReportContext> = {}): ReportContext => ({
  stats: { ...emptyStats(), files: 1, lines: 3 },
  source: describeSource(historySource()),
  baselined: 0,
  color: false,
  rules: [],
  toolVersion: '0.0.0',
  ...overrides,
});

const checkedAt = '2026-01-02T03:04:05.000Z';
const VERIFICATIONS: Verification[] = [
  { status: 'live', provider: 'OpenAI', checkedAt },
  { status: 'revoked', provider: 'OpenAI', checkedAt },
  { status: 'unknown', provider: 'OpenAI', checkedAt, reason: 'no answer within 3 s' },
];

function findings(): Finding[] {
  return VERIFICATIONS.map((verification, i) => {
    const key = openaiKey(`report-${i}`);
    return { ...findingIn(`f${i}.py`, `k = '${key}'\n`, key), verification };
  });
}

describe('verified findings in every format', () => {
  test('text: LIVE on the finding line and in the summary; revoked and unknown say so', () => {
    const out = textReporter(maskFindings(findings(), false), context());
    expect(out.split('\n')[0]).toMatch(/3 secrets found, 1 LIVE \(/);
    expect(out).toMatch(/^ {2}1:6 {2}LIVE OpenAI API key/m);
    expect(out).toContain('LIVE: OpenAI accepts this key — revoke it now');
    expect(out).toContain('revoked: OpenAI refused this key (clean it up when convenient)');
    expect(out).toContain('not verified: no answer within 3 s');
    // Only the live one carries the tag.
    expect(out.match(/^ {2}\d+:\d+ {2}LIVE /gm)).toHaveLength(1);
    // With colour, LIVE is bold red.
    expect(textReporter(maskFindings(findings(), false), context({ color: true }))).toContain('\x1b[1m\x1b[31mLIVE\x1b[39m\x1b[22m');
  });

  test('JSON: verification {status, provider, checkedAt} (+ reason for unknown)', () => {
    const report = JSON.parse(jsonReporter(maskFindings(findings(), false), context())) as { findings: Finding[] };
    expect(report.findings.map((f) => f.verification)).toEqual(VERIFICATIONS);
  });

  test('SARIF: error for live, note for revoked, warning for unknown; a valid log', () => {
    const log = JSON.parse(sarifReporter(maskFindings(findings(), false), context()));
    const validate = sarifValidator();
    expect(validate(log) ? [] : validate.errors).toEqual([]);
    const results = log.runs[0].results as Array<{ level: string; properties: { verification: Verification }; message: { text: string } }>;
    expect(results.map((r) => r.level)).toEqual(['error', 'note', 'warning']);
    expect(results.map((r) => r.properties.verification.status)).toEqual(['live', 'revoked', 'unknown']);
    expect(results[0]!.message.text).toMatch(/LIVE: OpenAI accepts this key/);
  });

  test('GitHub: ::error for live, ::notice for revoked, ::warning for unknown', () => {
    const out = githubReporter(maskFindings(findings(), false), context());
    expect(
      out
        .split('\n')
        .filter((l) => l.startsWith('::'))
        .map((l) => l.split(' ')[0]),
    ).toEqual(['::error', '::notice', '::warning']);
  });

  test('no key in any format', () => {
    const keys = findings().map((f) => f.secret);
    for (const reporter of [textReporter, jsonReporter, sarifReporter, githubReporter]) {
      const out = reporter(maskFindings(findings(), false), context());
      expect(keys.filter((k) => out.includes(k))).toEqual([]);
    }
  });
});
