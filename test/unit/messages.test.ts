/**
 * Singular and plural in every summary that counts: called with 1 and with 2, each
 * names one thing in the singular and two in the plural ("1 finding", "1 real key
 * … revoke the real key", "2 findings marked as false alarms").
 */
import { describe, expect, test } from '@jest/globals';
import { messages } from '../../src/messages.js';
import { auditMessages } from '../../src/cli/commands/audit-messages.js';
import { verifyMessages } from '../../src/verify/messages.js';
import { unpushedMessages } from '../../src/fix/unpushed/messages.js';
import { fixMessages } from '../../src/fix/messages.js';
import type { ScanStats } from '../../src/sources/source-stats.js';

const stats = (n: number): ScanStats =>
  ({ files: n, lines: n, commits: n, binaryFiles: n, skippedFiles: n, skippedByReason: { lockfile: n } }) as unknown as ScanStats;

/** Every summary, as a function of the count. */
const SUMMARIES: [string, (n: number) => string][] = [
  ['scanned (history)', (n) => messages.scannedSummary(stats(n), { label: 'history', addedLinesOnly: true })],
  ['scanned (tree)', (n) => messages.scannedSummary(stats(n), { label: 'files', addedLinesOnly: false })],
  ['found', messages.found],
  ['baselined', messages.baselined],
  ['ignored', messages.ignored],
  ['not read', (n) => messages.notReadError(n, 'a.bin', 'EACCES')],
  ['not fully scanned', (n) => messages.incompleteScan(Array.from({ length: n }, (_, i) => `f${i}`))],
  ['audit intro', (n) => auditMessages.intro(n, '.leakguardignore')],
  ['audit summary', (n) => auditMessages.summary(n, n, n, n, '.leakguardignore')],
  ['audit: the same key elsewhere', (n) => auditMessages.alsoAt(['a.py:1'], n)],
  ['--only-verified', verifyMessages.hiddenByOnlyVerified],
  ['fix --unpushed --dry-run', unpushedMessages.dryRunHeader],
  ['fix --unpushed', unpushedMessages.doneHeader],
  ['fix --unpushed, kept commits', unpushedMessages.keptCommits],
  ['fix --clean', fixMessages.cleaned],
];

/** Nouns that end in s in the singular too. */
const SINGULAR_S = new Set(['was', 'is', 'its', 'this', 'unpushed', 'as']);

describe('summaries count in the singular and the plural', () => {
  test.each(SUMMARIES)('%s: "1 …" is singular', (_name, summary) => {
    const text = summary(1);
    for (const [, word] of text.matchAll(/\b1 (?:[a-z-]+ )*?([a-z]+s)\b/g)) expect(SINGULAR_S).toContain(word);
  });

  test('the audit summary of one real key says to revoke the key, not "the keys"', () => {
    expect(auditMessages.summary(1, 0, 0, 0, '.leakguardignore')).toContain('Revoke the real key first');
    expect(auditMessages.summary(2, 0, 0, 0, '.leakguardignore')).toContain('Revoke the real keys first');
  });

  test.each(SUMMARIES)('%s: "2 …" is plural', (_name, summary) => {
    const text = summary(2);
    expect(text).toMatch(/\b2 (?:[a-z-]+ )*?[a-z]+s\b/);
  });
});
