/**
 * Applies a FixPlan: originals saved first, then index entries, then working-tree
 * files (`.env` last), each write atomic. Any failure restores everything touched
 * and throws FixError, so the commit stays blocked with nothing half-done.
 */
import { join } from 'node:path';
import { FixError, UnsafeFileError } from '../errors.js';
import { scrubSecrets } from '../redact.js';
import { writeFileAtomic, type FileWriter } from '../fs/atomic-write.js';
import { readWriteTarget } from '../fs/write-target.js';
import { FixBackup, RestoreError } from './backup.js';
import { readIndexEntry, removeIndexEntry, setIndexEntry, writeBlob } from './git-index.js';
import { fixMessages } from './messages.js';
import type { FixPlan } from './plan-fix.js';

export interface ApplyOptions {
  /** Replaces the atomic writer (tests inject failures here). */
  writeFile?: FileWriter;
}

export interface ApplyResult {
  /** Where the originals were saved; null when the plan changed nothing. */
  backupDir: string | null;
}

export function planChangesSomething(plan: FixPlan): boolean {
  return plan.indexChanges.length > 0 || plan.worktreeChanges.length > 0;
}

export async function applyFix(plan: FixPlan, options: ApplyOptions = {}): Promise<ApplyResult> {
  if (!planChangesSomething(plan)) return { backupDir: null };
  const write = options.writeFile ?? writeFileAtomic;
  const { repoRoot } = plan;
  const backup = await FixBackup.create(repoRoot);
  try {
    for (const change of plan.indexChanges) await backup.saveIndex(change.path, change.previous, change.previousContent);
    for (const change of plan.worktreeChanges) await backup.saveWorktree(change.path, change.previous);
    await backup.persist();
    await backup.beginApply();
  } catch (error) {
    await backup.endApply().catch(() => undefined);
    await backup.discard();
    throw new FixError(fixMessages.planFailed(describe(error, plan)));
  }

  try {
    for (const change of plan.indexChanges) {
      await ensureIndexUnchanged(repoRoot, change.path, change.previous?.sha ?? null);
      // Each change is recorded (and the manifest saved) before it is made, so a fix
      // killed part-way can still be undone from the backup.
      if (change.next === null) {
        backup.noteIndexWritten(change.path, null);
        await backup.persist();
        await removeIndexEntry(repoRoot, change.path);
        continue;
      }
      const sha = 'sha' in change.next ? change.next.sha : await writeBlob(repoRoot, change.next.content);
      backup.noteIndexWritten(change.path, sha);
      await backup.persist();
      await setIndexEntry(repoRoot, change.path, change.next.mode, sha);
    }
    for (const change of plan.worktreeChanges) {
      await ensureWorktreeUnchanged(repoRoot, change.path, change.previous);
      backup.noteWorktreeWritten(change.path, change.content);
      await backup.persist();
      await write(join(repoRoot, change.path), change.content, { mode: change.mode });
    }
    await backup.persist();
    await backup.endApply();
  } catch (error) {
    const detail = describe(error, plan);
    try {
      await backup.restore();
    } catch (restoreError) {
      // Never "rolled back" when it was not: the in-progress marker stays, so
      // `fix --undo` restores from this backup and finishes the job.
      await backup.persist().catch(() => undefined);
      const failed =
        restoreError instanceof RestoreError ? restoreError.failed.map((f) => `${f.path} (${f.part})`) : [describe(restoreError, plan)];
      throw new FixError(scrubSecrets(fixMessages.rollbackIncomplete(detail, failed, backup.dir), plan.secrets));
    }
    await backup.endApply().catch(() => undefined);
    await backup.discard();
    throw new FixError(fixMessages.rolledBack(detail));
  }
  return { backupDir: backup.dir };
}

/**
 * Guards against the user (or another tool) changing a file between planning and
 * writing, including swapping it for a link or a FIFO (refused without opening it).
 */
async function ensureWorktreeUnchanged(repoRoot: string, path: string, previous: Buffer | null): Promise<void> {
  let current: Buffer | null;
  try {
    // Longer than before is changed: no need to read more than one byte past the old size.
    current = readWriteTarget(repoRoot, path, previous?.length ?? 0);
  } catch (error) {
    if (error instanceof UnsafeFileError && error.kind === 'too-large') throw new FixError(fixMessages.changedDuringFix(path));
    throw error;
  }
  const same = current === null || previous === null ? current === previous : current.equals(previous);
  if (!same) throw new FixError(fixMessages.changedDuringFix(path));
}

async function ensureIndexUnchanged(repoRoot: string, path: string, previousSha: string | null): Promise<void> {
  const current = await readIndexEntry(repoRoot, path);
  if ((current?.sha ?? null) !== previousSha) throw new FixError(fixMessages.changedDuringFix(path));
}

function describe(error: unknown, plan: FixPlan): string {
  const message = error instanceof Error ? error.message : String(error);
  return scrubSecrets(message, plan.secrets);
}
