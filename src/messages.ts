/** Every user-facing sentence of the CLI, in one place for a consistent tone. */
import type { SourceDescription } from './sources/source.js';
import type { NotRead, ScanStats, SkipReason } from './sources/source-stats.js';
import type { Verification } from './rules/verify-spec/types.js';

/** The files a range scan trusts from its base commit, as messages name them. */
const RANGE_FILE_KINDS = { config: 'configuration', baseline: 'baseline', 'ignore-file': 'ignore file' } as const;

export const plural = (n: number, one: string, many = `${one}s`): string => `${n} ${n === 1 ? one : many}`;

/** How the summary names each reason a file was not read, in the order it lists them. */
const SKIP_LABELS: Record<SkipReason, string> = {
  allowlisted: 'allowlisted path',
  lockfile: 'lockfile',
  link: 'link',
  submodule: 'submodule',
  unmerged: 'unmerged path',
  special: 'special file',
  unreadable: 'unreadable file',
};

/** "3 lockfiles, 2 links, 1 submodule": each reason counted on its own. */
function skippedBreakdown(stats: ScanStats): string {
  const byReason = stats.skippedByReason ?? {};
  const parts = (Object.keys(SKIP_LABELS) as SkipReason[]).filter((r) => byReason[r]).map((r) => plural(byReason[r]!, SKIP_LABELS[r]));
  const other = stats.skippedFiles - Object.values(byReason).reduce((sum, n) => sum + (n ?? 0), 0);
  if (other > 0) parts.push(`${other} other`);
  return parts.join(', ');
}

export const messages = {
  /** "scanned staged changes: 3 files, 42 added lines" — every run says what it read. */
  scannedSummary(stats: ScanStats, source: Pick<SourceDescription, 'label' | 'addedLinesOnly'>): string {
    const parts = [plural(stats.files, 'file'), plural(stats.lines, source.addedLinesOnly ? 'added line' : 'line')];
    if (stats.commits !== undefined) parts.unshift(plural(stats.commits, 'commit'));
    if (stats.binaryFiles) parts.push(`${plural(stats.binaryFiles, 'binary file')} read for text`);
    if (stats.skippedFiles) parts.push(`${plural(stats.skippedFiles, 'file')} not read (${skippedBreakdown(stats)})`);
    return `scanned ${source.label}: ${parts.join(', ')}`;
  },
  notRead: (file: string, reason: string): string => `not read: ${file}: ${reason}`,
  notReadError: (n: number, file: string, reason: string): string =>
    `${n === 1 ? file : `${plural(n, 'file')} (first: ${file})`} could not be read (${reason}), so the scan is incomplete`,
  notFullyScanned: (file: string, reason: string): string => `not fully scanned: ${file}: ${reason}`,
  /** The report line of a file not read, or read only in part. */
  unread: (n: NotRead): string => (n.partly ? messages.notFullyScanned(n.file, n.reason) : messages.notRead(n.file, n.reason)),
  customRuleOverBudget: (id: string): string =>
    `custom rule ${id} ran past its time budget and was stopped (a slow regex in .leakguard.json); it is not run again in this scan`,
  customRuleStopped: (id: string): string => `custom rule ${id} did not run (stopped earlier in this scan, past its time budget)`,
  incompleteScan: (files: readonly string[]): string =>
    `${plural(files.length, 'file was', 'files were')} not fully scanned (${files.slice(0, 3).join(', ')}${files.length > 3 ? ', …' : ''}): fix or remove the slow custom rule in .leakguard.json`,
  clean: 'no secrets found',
  /** A bare `leakguard scan` with nothing staged must not read as "this repository is clean". */
  nothingStaged: [
    'leakguard: nothing is staged (no added lines to scan), so nothing was checked.',
    '  To scan the files of this repository: leakguard scan .',
    '  To scan its whole history:            leakguard scan --history',
  ],
  found: (n: number): string => `${plural(n, 'secret')} found`,
  baselined: (n: number): string => `${plural(n, 'known finding')} hidden by the baseline`,
  ignored: (n: number): string =>
    `${plural(n, 'finding marked as a false alarm', 'findings marked as false alarms')} hidden by the ignore file (.leakguardignore)`,
  moveTo: (envVar: string): string => `belongs in .env as ${envVar}`,
  /** A range that changes what the scan trusts (its config or baseline): the reviewer must see it. */
  rangeChanges: (
    notice: { kind: 'config' | 'baseline' | 'ignore-file'; file: string; change: 'added' | 'modified' | 'deleted'; details: string[] },
    base: string | undefined,
  ): string => {
    const what = `leakguard's ${RANGE_FILE_KINDS[notice.kind]} ${notice.file}`;
    const details = notice.details.length ? ` (${notice.details.join(', ')})` : '';
    const at = base ? `the base commit ${base.slice(0, 12)}` : 'no base commit (the two ends share no history)';
    const used =
      notice.change === 'added'
        ? `the scan did not use it (${at} has none)`
        : base
          ? `the scan used the version in ${at}`
          : `the scan did not use it (${at})`;
    return (
      `this range ${notice.change === 'added' ? 'adds' : notice.change === 'deleted' ? 'deletes' : 'changes'} ${what}${details}: ${used}. ` +
      'Review the change: it takes effect once merged (or scan with --trust-head-config)'
    );
  },
  rangeChangesTitle: (kind: 'config' | 'baseline' | 'ignore-file'): string =>
    `leakguard: this range changes leakguard's ${RANGE_FILE_KINDS[kind]}`,
  revoke: (url: string): string => `revoke and re-create it at ${url}`,
  /** `scan --verify`: what the provider said about one key. */
  verification(v: Verification): string {
    if (v.status === 'live') return `LIVE: ${v.provider} accepts this key — revoke it now`;
    if (v.status === 'revoked')
      return `revoked: ${v.provider} refused this key${v.reason ? ` (${v.reason})` : ' (clean it up when convenient)'}`;
    return `not verified: ${v.reason ?? 'unknown'}`;
  },
  liveCount: (n: number): string => `${n} LIVE`,
  /** After findings, what to do: by the way `leakguard fix` takes them out of the source (SourceDescription.fix). */
  nextSteps: (fix: SourceDescription['fix']): readonly string[] =>
    fix === 'staged' ? messages.nextStepsStaged : fix === 'unpushed' ? messages.nextStepsUnpushed : messages.nextStepsOther,
  /** After findings in the staged changes (`leakguard fix` moves them into .env). */
  nextStepsStaged: [
    'The commit is blocked. To move these keys into .env and read them from the environment, run:',
    '    npx leakguard fix',
    'Not a secret? Add a `leakguard:allow` comment on that line, or an allowlist entry in .leakguard.json.',
  ],
  /** After findings in commits not pushed yet (`leakguard fix --unpushed` rewrites them). */
  nextStepsUnpushed: [
    'These commits are not pushed yet. To rewrite them so that none holds the key (moved into .env), run:',
    '    npx leakguard fix --unpushed          (preview first with --dry-run; undo with --undo)',
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
