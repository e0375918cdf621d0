/** What a scan read, so that an empty scan is never silent. */
export interface ScanStats {
  files: number;
  lines: number;
  bytes: number;
  binaryFiles: number;
  /** Files not read: allowlisted paths, lockfiles, symlinks, submodules, too large. */
  skippedFiles: number;
  commits?: number;
  durationMs?: number;
  /** Files a user would expect to be read but that were not (too large, unreadable), with the reason. */
  notRead: NotRead[];
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
  return { files: 0, lines: 0, bytes: 0, binaryFiles: 0, skippedFiles: 0, notRead: [] };
}
