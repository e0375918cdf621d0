/**
 * `fix --unpushed --undo`: puts the branch back on the newest backup ref, the index
 * and working tree with it, and removes that backup ref. Refuses (nothing changed)
 * on another branch, a dirty tree, or a branch that moved since the fix (unless forced).
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { FixError } from '../../errors.js';
import {
  addedPaths,
  currentBranch,
  deleteRef,
  hashWorktreeFile,
  lastReflogMessage,
  operationInProgress,
  refsUnder,
  resolveCommit,
  switchTrees,
  uncommittedChanges,
  updateRef,
} from './git-plumbing.js';
import { BACKUP_PREFIX, BACKUP_REFLOG } from './apply.js';
import { unpushedMessages } from './messages.js';

export interface UndoResult {
  backupRef: string;
  branch: string;
  tip: string;
}

export async function undoUnpushedFix(repoRoot: string, options: { force?: boolean } = {}): Promise<UndoResult> {
  const backupRef = (await refsUnder(repoRoot, BACKUP_PREFIX)).at(-1);
  if (!backupRef) throw new FixError(unpushedMessages.nothingToUndo);
  const tip = (await resolveCommit(repoRoot, backupRef))!;
  const recorded = (await lastReflogMessage(repoRoot, backupRef))?.slice(BACKUP_REFLOG.length).trim().split(' ');
  // Before the branch check: a stopped rebase detaches HEAD, and the rebase is what to name.
  const operation = await operationInProgress(repoRoot);
  if (operation) throw new FixError(unpushedMessages.inProgress(operation));
  const branch = await currentBranch(repoRoot);
  if (!branch) throw new FixError(unpushedMessages.detached);
  if (recorded?.[0] && recorded[0] !== branch) throw new FixError(unpushedMessages.undoOtherBranch(backupRef, recorded[0]));
  const dirty = await uncommittedChanges(repoRoot);
  if (dirty.length) throw new FixError(unpushedMessages.dirty(dirty));
  const head = (await resolveCommit(repoRoot, 'HEAD'))!;
  if (recorded?.[1] !== head && !options.force) throw new FixError(unpushedMessages.undoMoved(backupRef));

  // Files the backup has and the rewrite removed (a committed .env) are on disk, untracked:
  // the same content makes way for the checkout; anything else is not overwritten.
  for (const added of await addedPaths(repoRoot, head, tip)) {
    const file = path.join(repoRoot, added.path);
    const stat = await fs.lstat(file).catch(() => null);
    if (!stat) continue;
    if (!stat.isFile() || (await hashWorktreeFile(repoRoot, added.path)) !== added.sha)
      throw new FixError(unpushedMessages.undoBlocked(added.path));
    await fs.rm(file);
  }
  await switchTrees(repoRoot, head, tip);
  await updateRef(repoRoot, branch, tip, head, `leakguard fix --unpushed --undo: restored ${backupRef}`);
  await deleteRef(repoRoot, backupRef, tip);
  return { backupRef, branch, tip };
}
