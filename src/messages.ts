/** Every user-facing sentence of the CLI, in one place for a consistent tone. */
import type { ScanStats } from './diff/scan-stats.js';
import type { ScanSource } from './diff/sources.js';
import type { Verification } from './verify/types.js';

const SOURCE_LABELS: Record<ScanSource['kind'], string> = {
  staged: 'staged changes',
  range: 'commit range',
  history: 'history',
  paths: 'files',
  stdin: 'standard input',
};

const plural = (n: number, one: string, many = `${one}s`): string => `${n} ${n === 1 ? one : many}`;

export const messages = {
  /** "scanned staged changes: 3 files, 42 added lines" — every run says what it read. */
  scannedSummary(stats: ScanStats, source: ScanSource['kind']): string {
    const addedLinesOnly = source === 'staged' || source === 'range' || source === 'history';
    const parts = [plural(stats.files, 'file'), plural(stats.lines, addedLinesOnly ? 'added line' : 'line')];
    if (stats.commits !== undefined) parts.unshift(plural(stats.commits, 'commit'));
    if (stats.binaryFiles) parts.push(`${plural(stats.binaryFiles, 'binary file')} skipped`);
    if (stats.skippedFiles) parts.push(`${plural(stats.skippedFiles, 'file')} not read (allowlisted, lockfile, link, submodule or unmerged)`);
    return `scanned ${SOURCE_LABELS[source]}: ${parts.join(', ')}`;
  },
  notRead: (file: string, reason: string): string => `not read: ${file}: ${reason}`,
  clean: 'no secrets found',
  found: (n: number): string => `${plural(n, 'secret')} found`,
  baselined: (n: number): string => `${plural(n, 'known finding')} hidden by the baseline`,
  moveTo: (envVar: string): string => `belongs in .env as ${envVar}`,
  revoke: (url: string): string => `revoke and re-create it at ${url}`,
  /** `scan --verify`: what the provider said about one key. */
  verification(v: Verification): string {
    if (v.status === 'live') return `LIVE: ${v.provider} accepts this key — revoke it now`;
    if (v.status === 'revoked') return `revoked: ${v.provider} refused this key${v.reason ? ` (${v.reason})` : ' (clean it up when convenient)'}`;
    return `not verified: ${v.reason ?? 'unknown'}`;
  },
  liveCount: (n: number): string => `${n} LIVE`,
  nextStepsStaged: [
    'The commit is blocked. To move these keys into .env and read them from the environment, run:',
    '    npx leakguard fix',
    'Not a secret? Add a `leakguard:allow` comment on that line, or an allowlist entry in .leakguard.json.',
  ],
  nextStepsOther: [
    'Move each key into .env (or a secrets manager), revoke any key that was ever committed or pushed,',
    'or mark a false alarm with a `leakguard:allow` comment on its line or an allowlist entry in .leakguard.json.',
  ],
  interruptedFix: (backupDir: string): string =>
    `an interrupted fix was found (killed part-way; originals in ${backupDir || 'the backup folder'}): run \`npx leakguard fix --undo\` to restore them, then fix again`,
  errorPrefix: 'leakguard: error:',
  internalError: (message: string): string =>
    `leakguard: internal error: ${message} (please report it; the commit is blocked — bypass knowingly with LEAKGUARD_SKIP=1)`,
  skipped: 'leakguard: LEAKGUARD_SKIP is set — the secret scan was skipped for this run',
} as const;
