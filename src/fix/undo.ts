/**
 * `leakguard fix --undo`: puts back what the last fix saved. Needs no scan and no
 * configuration, so a broken `.leakguard.json` never blocks an undo.
 */
import { FixError } from '../errors.js';
import { clearInterruptedFix, FixBackup, interruptedFix, latestBackupDir, pruneBackups } from './backup.js';
import { withFixLock } from './fix-lock.js';
import { headCommit } from './git-index.js';
import { fixMessages } from './messages.js';

export interface UndoOptions {
  /** Undo even after a commit, or when files changed since the fix. */
  force?: boolean;
}

/** Restores the files and index entries saved by the last fix. Returns the backup used. */
export async function undoLastFix(repoRoot: string, options: UndoOptions = {}): Promise<{ backupDir: string }> {
  return withFixLock(repoRoot, () => undoUnlocked(repoRoot, options));
}

async function undoUnlocked(repoRoot: string, options: UndoOptions): Promise<{ backupDir: string }> {
  const interrupted = await interruptedFix(repoRoot);
  const dir = interrupted?.backupDir || (await latestBackupDir(repoRoot));
  if (!dir) throw new FixError(fixMessages.nothingToUndo);
  const backup = await FixBackup.load(repoRoot, dir);
  // A killed fix recorded each change before making it: the files it did not reach
  // yet differ from what it meant to write, which is expected, not a later edit.
  if (!options.force && !interrupted) {
    if ((await headCommit(repoRoot)) !== backup.manifest.head) throw new FixError(fixMessages.undoAfterCommit);
    const changed = await backup.changedSinceFix();
    if (changed.length) throw new FixError(fixMessages.undoWouldLoseEdits(changed));
  }
  await backup.restore();
  await backup.markUndone();
  await clearInterruptedFix(repoRoot);
  return { backupDir: dir };
}

/**
 * `leakguard fix --clean`: deletes every backup now (they hold keys in plain text).
 * Refused while a killed fix waits for its undo, which needs its backup.
 */
export async function cleanFixBackups(repoRoot: string): Promise<{ removed: number }> {
  return withFixLock(repoRoot, async () => {
    const interrupted = await interruptedFix(repoRoot);
    if (interrupted) throw new FixError(fixMessages.cleanInterrupted);
    const removed = await pruneBackups(repoRoot, -1);
    return { removed: removed.length };
  });
}
