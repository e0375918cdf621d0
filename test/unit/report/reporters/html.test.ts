import { describe, expect, test } from '@jest/globals';
import { htmlReporter } from '../../../../src/report/reporters/html.js';
import type { ReportContext } from '../../../../src/report/report-context.js';
import { emptyStats } from '../../../../src/sources/source-stats.js';
import { historySource } from '../../../../src/sources/history.js';
import { describeSource } from '../../../../src/sources/source.js';
import { treeSource } from '../../../../src/sources/tree.js';
import { maskFindings } from '../../../../src/redact.js';
import { findingIn, openaiKey } from '../../../helpers/keys.js';

const context = (extra: Partial<ReportContext> = {}): ReportContext => ({
  stats: { ...emptyStats(), files: 1, lines: 1 },
  source: describeSource(historySource()),
  baselined: 0,
  color: false,
  rules: [],
  toolVersion: '0.0.0-test',
  ...extra,
});

describe('htmlReporter (pure)', () => {
  const key = openaiKey('html-unit');
  const file = `a"><img src=x onerror=alert(1)>.py`;
  const raw = { ...findingIn(file, `K = "${key}"\n`, key), commit: 'c'.repeat(40), author: 'A <b>', date: '2024-01-01T00:00:00+00:00' };

  test('names from outside are text in element content and attribute values', () => {
    const html = htmlReporter(maskFindings([raw], false), context());
    expect(html).not.toContain('<img');
    expect(html).toContain('data-file="a&quot;&gt;&lt;img src=x onerror=alert(1)&gt;.py"');
    expect(html).not.toContain(key);
  });

  test('a revoke URL that is not https is shown as no link (a custom rule could say javascript:)', () => {
    const html = htmlReporter(maskFindings([{ ...raw, revokeUrl: 'javascript:alert(1)' }], false), context());
    expect(html).not.toContain('javascript:');
    expect(html).toContain('Revoke it with its provider and re-create it');
  });

  test('whether a key is still in the tree comes from the context only', () => {
    const [masked] = maskFindings([raw], false);
    expect(htmlReporter([masked!], context())).toContain('data-present="unknown"');
    expect(htmlReporter([masked!], context({ stillPresent: new Map([[raw.fingerprint, false]]) }))).toContain('data-present="false"');
    expect(htmlReporter([masked!], context({ stillPresent: new Map([[raw.fingerprint, true]]) }))).toContain('data-present="true"');
  });

  test('the page declares a policy that allows no script and no remote load', () => {
    const html = htmlReporter([], context({ source: describeSource(treeSource(['.'])) }));
    expect(html).toContain(`content="default-src 'none'; style-src 'unsafe-inline'`);
    expect(html).not.toMatch(/<script|<link|@import|url\(/);
  });
});
