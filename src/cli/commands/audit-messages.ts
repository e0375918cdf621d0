/**
 * Every user-facing string of `leakguard audit`. None of them receives a raw
 * secret: callers pass redacted values and masked source lines.
 */
import { messages, plural } from '../../messages.js';

export const auditMessages = {
  noTerminal:
    'leakguard audit asks about each finding on a terminal, and there is none here (CI, a pipe, an IDE button): ' +
    'run it in a terminal, or add the fingerprints of false alarms (from `leakguard scan --format json`) to .leakguardignore by hand',
  noStdin: 'leakguard audit reads findings from files or commits, not from standard input',
  nothing: (summary: string): string => `leakguard audit: nothing to audit (${summary})`,
  intro: (n: number, file: string): string =>
    `leakguard audit: ${plural(n, 'finding')} to review. False alarms are added to ${file}; nothing else is changed.`,
  header: (i: number, n: number, file: string, line: number, description: string, ruleId: string): string =>
    `\n[${i}/${n}] ${file}:${line}  ${description} [${ruleId}]`,
  secret: (redacted: string): string => `  secret: ${redacted}`,
  commit: (commit: string, author: string | undefined, date: string | undefined): string =>
    `  added in commit ${commit.slice(0, 12)}${author ? ` by ${author}` : ''}${date ? ` on ${date}` : ''}`,
  alsoAt: (places: readonly string[], more: number): string =>
    `  the same key is also at ${places.join(', ')}${more ? ` and ${plural(more, 'other place')}` : ''}`,
  noContext: '  (the source text is not available to show)',
  question: 'Is this a real key? [r]eal / [f]alse alarm / [s]kip / [q]uit: ',
  invalid: 'Please answer r (real), f (false alarm), s (skip) or q (quit).',
  real: (envVar: string, revokeUrl: string | undefined, committed: boolean): string[] => [
    `  Real key${committed ? ', and it was committed: treat it as leaked;' : ':'} ${revokeUrl ? messages.revoke(revokeUrl) : 'revoke it with its provider and re-create it'}.`,
    `  Then the new key ${messages.moveTo(envVar)} and is read from the environment (\`npx leakguard fix\` does this for staged changes${committed ? '; `npx leakguard fix --unpushed` takes it out of commits not pushed yet' : ''}).`,
  ],
  falseAlarm: (file: string): string => `  Marked as a false alarm in ${file}.`,
  skipped: '  Skipped.',
  note: (ruleId: string, file: string, line: number, date: string): string => `false alarm: ${ruleId} in ${file}:${line}, ${date}`,
  summary: (real: number, falseAlarms: number, skipped: number, left: number, file: string): string => {
    const parts = [
      plural(real, 'real key'),
      `${plural(falseAlarms, 'false alarm')}${falseAlarms ? ` (added to ${file})` : ''}`,
      `${skipped} skipped`,
    ];
    if (left) parts.push(`${left} not reviewed (quit)`);
    return `\nleakguard audit: ${parts.join(', ')}.${real ? ` Revoke the real ${real === 1 ? 'key' : 'keys'} first: a key that reached a commit is leaked.` : ''}\n`;
  },
} as const;
