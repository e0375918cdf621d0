import { LOCKFILE_REASON } from './lockfiles.js';

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
  commits?: number;
  /** Findings hidden by the ignore file (.leakguardignore), set once the scan is filtered. */
  ignored?: number;
  durationMs?: number;
  /** Files a user would expect to be read but that were not (too large, unreadable), with the reason. */
  notRead: NotRead[];
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

export function emptyStats(): ScanStats {
  return { files: 0, lines: 0, bytes: 0, binaryFiles: 0, skippedFiles: 0, skippedByReason: {}, notRead: [] };
}
