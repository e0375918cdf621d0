/**
 * Applies an UnpushedPlan: new blobs, trees and commits are written first (nothing
 * the user sees changes), then the old tip is kept under refs/leakguard/backup/, the
 * index and working tree move to the new tip, and the branch is moved with its old
 * value as a check. `.env` gets the keys last. A failure before the branch moves
 * leaves everything as it was.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { FixError } from '../../errors.js';
import { writeFileAtomic } from '../../fs/atomic-write.js';
import { READ_LIMITS } from '../../fs/bounded-read.js';
import { readWriteTarget, statWriteTarget } from '../../fs/write-target.js';
import {
  deleteRef,
  editTree,
  readCommitObject,
  resolveCommit,
  switchTrees,
  treeOf,
  uncommittedChanges,
  updateRef,
  writeObject,
  ZERO_OID,
} from './git-plumbing.js';
import { unpushedMessages } from './messages.js';
import { ENV_FILE, type UnpushedPlan } from './plan.js';

export const BACKUP_PREFIX = 'refs/leakguard/backup/';
/** Written in the backup ref's reflog: which branch was rewritten, and its new tip. */
export const BACKUP_REFLOG = 'leakguard fix --unpushed:';

export interface ApplyResult {
  newTip: string;
  /** Old commit → new commit, for every rewritten commit. */
  mapping: Map<string, string>;
  backupRef: string;
}

export async function applyUnpushedFix(plan: UnpushedPlan, now = new Date()): Promise<ApplyResult> {
  const { repoRoot } = plan;
  const mapping = new Map<string, string>();
  const blobCache = new Map<Buffer, string>();
  for (const { commit, parents, edits } of plan.commits) {
    const edited = [];
    for (const edit of edits) {
      if (!edit.content) {
        edited.push({ path: edit.path, mode: null, sha: null });
        continue;
      }
      let sha = blobCache.get(edit.content);
      if (!sha) blobCache.set(edit.content, (sha = await writeObject(repoRoot, 'blob', edit.content)));
      edited.push({ path: edit.path, mode: edit.mode, sha });
    }
    const tree = await editTree(repoRoot, plan.gitDir, await treeOf(repoRoot, commit), edited);
    const raw = await readCommitObject(repoRoot, commit);
    const next = await writeObject(
      repoRoot,
      'commit',
      withTreeAndParents(
        raw,
        tree,
        parents.map((p) => mapping.get(p) ?? p),
      ),
    );
    mapping.set(commit, next);
  }
  const newTip = mapping.get(plan.oldTip)!;

  // The user may have committed or edited while the objects were written.
  if ((await resolveCommit(repoRoot, 'HEAD')) !== plan.oldTip || (await uncommittedChanges(repoRoot)).length) {
    throw new FixError(unpushedMessages.changedMeanwhile);
  }
  const backupRef = await createBackup(plan, newTip, now);
  const keep = await readKeptFiles(plan);
  try {
    await switchTrees(repoRoot, plan.oldTip, newTip);
  } catch (error) {
    await deleteRef(repoRoot, backupRef).catch(() => undefined);
    throw new FixError(unpushedMessages.failed(error instanceof Error ? error.message : String(error)));
  }
  try {
    await updateRef(repoRoot, plan.branch, newTip, plan.oldTip, `leakguard fix --unpushed: moved the keys into .env`);
  } catch (error) {
    await switchTrees(repoRoot, newTip, plan.oldTip).catch(() => undefined);
    await restoreKeptFiles(plan, keep).catch(() => undefined);
    await deleteRef(repoRoot, backupRef).catch(() => undefined);
    throw new FixError(unpushedMessages.failed(error instanceof Error ? error.message : String(error)));
  }
  await restoreKeptFiles(plan, keep);
  if (plan.envContent) {
    statWriteTarget(repoRoot, ENV_FILE); // refuses a link at .env before writing
    await writeFileAtomic(path.join(repoRoot, ENV_FILE), plan.envContent, { mode: 0o600 });
  }
  return { newTip, mapping, backupRef };
}

/**
 * The commit object with a new tree and parents; everything else (author,
 * committer, dates, encoding, message) byte for byte. A signature would no longer
 * match the content, so it is dropped.
 */
export function withTreeAndParents(raw: Buffer, tree: string, parents: readonly string[]): Buffer {
  const end = raw.indexOf('\n\n');
  const headerEnd = end === -1 ? raw.length : end;
  const header = raw.subarray(0, headerEnd).toString('latin1').split('\n');
  const out: string[] = [`tree ${tree}`, ...parents.map((p) => `parent ${p}`)];
  let skipping = false;
  for (const line of header) {
    if (line.startsWith(' ') && skipping) continue;
    skipping = false;
    if (line.startsWith('tree ') || line.startsWith('parent ')) continue;
    if (line.startsWith('gpgsig ') || line.startsWith('gpgsig-sha256 ')) {
      skipping = true;
      continue;
    }
    out.push(line);
  }
  return Buffer.concat([Buffer.from(out.join('\n'), 'latin1'), raw.subarray(headerEnd)]);
}

async function createBackup(plan: UnpushedPlan, newTip: string, now: Date): Promise<string> {
  const stamp = now
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z');
  for (let n = 1; ; n++) {
    const ref = `${BACKUP_PREFIX}${stamp}${n > 1 ? `-${n}` : ''}`;
    try {
      // ZERO_OID: only if no backup of that name exists.
      await updateRef(plan.repoRoot, ref, plan.oldTip, ZERO_OID, `${BACKUP_REFLOG} ${plan.branch} ${newTip}`, true);
      return ref;
    } catch (error) {
      if (n >= 20) throw error;
    }
  }
}

/** The .env-style files that leave the commits: read before the checkout removes them, written back after. */
async function readKeptFiles(plan: UnpushedPlan): Promise<Map<string, Buffer>> {
  const kept = new Map<string, Buffer>();
  for (const file of plan.keptOnDisk) {
    const content = readWriteTarget(plan.repoRoot, file, READ_LIMITS.env);
    if (content) kept.set(file, content);
  }
  return kept;
}

async function restoreKeptFiles(plan: UnpushedPlan, kept: Map<string, Buffer>): Promise<void> {
  for (const [file, content] of kept) {
    const full = path.join(plan.repoRoot, file);
    await fs.mkdir(path.dirname(full), { recursive: true });
    statWriteTarget(plan.repoRoot, file);
    await writeFileAtomic(full, content, { mode: 0o600 });
  }
}
