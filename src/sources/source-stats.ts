import { LOCKFILE_REASON } from './lockfiles.js';

/** A change, in the scanned range, to what the scan trusts. Names fields and counts, never values. */
export interface Notice {
  kind: 'config' | 'baseline' | 'ignore-file';
  /** POSIX path relative to the repository root. */
  file: string;
  change: 'added' | 'modified' | 'deleted';
  /** Config fields that differ (`allowlist.stopwords`, `rules`), or baseline entry counts. */
  details: string[];
  message: string;
}

/** What a scan read, so that an empty scan is never silent. */
export interface ScanStats {
  files: number;
  lines: number;
  bytes: number;
  binaryFiles: number;
  /** Files not read: allowlisted paths, lockfiles, symlinks, submodules, too large. */
  skippedFiles: number;
  /** The same files by reason (the summary says "3 lockfiles, 2 links", not one lumped number). */
  skippedByReason: Partial<Record<SkipReason, number>>;
  /** Files a user would expect to be read but that were not (too large, unreadable), with the reason. */
  notRead: NotRead[];
  commits?: number;
  /** Findings hidden by the ignore file (.leakguardignore), set once the scan is filtered. */
  ignored?: number;
  durationMs?: number;
  /** What the scanned range changes in the config or baseline the scan trusted (sources with trusted inputs only). */
  notices?: Notice[];
}

/** Why a file was not read, as the summary counts it. */
export type SkipReason = 'allowlisted' | 'lockfile' | 'link' | 'submodule' | 'unmerged' | 'special' | 'unreadable';

/** Counts one skipped file (or `n`) under its reason, and in the total. */
export function countSkipped(stats: ScanStats, reason: SkipReason, n = 1): void {
  if (n <= 0) return;
  stats.skippedFiles += n;
  stats.skippedByReason[reason] = (stats.skippedByReason[reason] ?? 0) + n;
}

/** The reason of a path skipped by a skip check: a lockfile beside its manifest, or the allowlist's paths. */
export function pathSkipReason(reason: string): SkipReason {
  return reason === LOCKFILE_REASON ? 'lockfile' : 'allowlisted';
}

export interface NotRead {
  file: string;
  reason: string;
  /** Read, but some rule did not finish on it (a custom rule past its time budget): the scan is incomplete (exit 2). */
  partly?: boolean;
}

/** Files a rule did not finish on: the scan cannot say they are clean. */
export function partlyScanned(stats: ScanStats): NotRead[] {
  return stats.notRead.filter((n) => n.partly);
}

/**
 * The one place a source counts what it read. Every source reports through these
 * methods, so a file, a line or a byte means the same whatever the source.
 * Its own fields are the ScanStats fields and nothing else.
 */
export class SourceStats implements ScanStats {
  files = 0;
  lines = 0;
  bytes = 0;
  binaryFiles = 0;
  skippedFiles = 0;
  skippedByReason: Partial<Record<SkipReason, number>> = {};
  notRead: NotRead[] = [];
  commits?: number;
  ignored?: number;

  /** A file whose text is read (its lines are counted as they come). */
  fileRead(): void {
    this.files++;
  }

  /** A file counted as read turned out binary: only its text runs are read. */
  readAsBinary(): void {
    this.files--;
    this.binaryFiles++;
  }

  /** Files not read, counted under their reason; `notRead`: one a user expected to be read, and why not. */
  skipped(reason: SkipReason, count = 1, notRead?: NotRead): void {
    countSkipped(this, reason, count);
    if (notRead) this.notRead.push(notRead);
  }

  /** A file a rule did not finish on (a custom rule past its time budget): once per file and reason. */
  partlyRead(file: string, reason: string): void {
    if (!this.notRead.some((n) => n.file === file && n.reason === reason)) this.notRead.push({ file, reason, partly: true });
  }

  /** Lines handed to the detector as a list (a patch's added lines, a blob's new lines); `chars`: their text, newlines included. */
  linesRead(count: number, chars = 0): void {
    this.lines += count;
    this.bytes += chars;
  }

  bytesRead(count: number): void {
    this.bytes += count;
  }

  /** A whole file (or standard input) read as one text of `bytes` bytes. */
  textRead(text: string, bytes: number): void {
    this.files++;
    this.bytes += bytes;
    this.lines += countLines(text);
  }

  /** The source reads commits: "0 commits" is reported even when none was selected. */
  readsCommits(): void {
    this.commits ??= 0;
  }

  commitRead(): void {
    this.commits = (this.commits ?? 0) + 1;
  }

  /** The plain record reported (JSON, SARIF), in a stable field order. */
  snapshot(extra: Pick<ScanStats, 'ignored' | 'durationMs' | 'notices'>): ScanStats {
    const { files, lines, bytes, binaryFiles, skippedFiles, skippedByReason, notRead, commits } = this;
    const stats: ScanStats = {
      files,
      lines,
      bytes,
      binaryFiles,
      skippedFiles,
      skippedByReason: { ...skippedByReason },
      notRead: [...notRead],
    };
    if (commits !== undefined) stats.commits = commits;
    stats.ignored = extra.ignored;
    stats.durationMs = extra.durationMs;
    if (extra.notices) stats.notices = extra.notices;
    return stats;
  }
}

/** Lines as a file holds them: a final "\n" ends the last line rather than starting one ("" has none, "x\n" one). */
export function countLines(text: string): number {
  if (!text.length) return 0;
  let n = text.endsWith('\n') ? 0 : 1;
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) n++;
  return n;
}

/** Counters at zero (for a source read outside `scan`, and for reports built in tests). */
export function emptyStats(): SourceStats {
  return new SourceStats();
}
