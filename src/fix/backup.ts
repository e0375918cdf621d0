/**
 * Originals of everything the fix touches, saved before the first change under
 * `<git dir>/leakguard/backup/<timestamp>/` (dir 0700, files 0600). Used to roll
 * back a failed fix and by `leakguard fix --undo`. File names inside a backup are
 * numbers, so no secret and no user path ever becomes a file name.
 */
import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import { FixError, UnsafeFileError } from '../errors.js';
import { writeFileAtomic } from '../fs/atomic-write.js';
import { READ_LIMITS } from '../fs/bounded-read.js';
import { readWriteTarget } from '../fs/write-target.js';
import {
  blobExists,
  headCommit,
  readIndexEntry,
  removeIndexEntry,
  resolveGitDir,
  setIndexEntry,
  writeBlob,
  type IndexEntry,
} from './git-index.js';
import { fixMessages } from './messages.js';
import { markerPath, type InProgressMarker } from '../git/fix-marker.js';

export interface WorktreeSnapshot {
  existed: boolean;
  /** Permission bits of the original file. */
  mode?: number;
  /** Name of the copy inside the backup directory. */
  copy?: string;
  /** sha256 of what the fix wrote, so undo can tell whether the user edited it since. */
  written?: string;
}

export interface IndexSnapshot {
  entry: { mode: string; sha: string } | null;
  /** Copy of the blob, in case git has pruned the object by the time of an undo. */
  copy?: string;
  /** Blob sha the fix staged (null: the fix removed the entry). */
  written?: string | null;
}

export interface BackupRecord {
  path: string;
  worktree?: WorktreeSnapshot;
  index?: IndexSnapshot;
}

export interface BackupManifest {
  version: 1;
  createdAt: string;
  /** HEAD when the fix ran: undoing after a commit would re-stage the key. */
  head: string | null;
  records: BackupRecord[];
}

const MANIFEST = 'manifest.json';

export interface RestoreFailure {
  path: string;
  part: 'working tree' | 'index';
  reason: string;
}

/** Some originals could not be put back: says exactly which, and where they are. */
export class RestoreError extends FixError {
  constructor(
    readonly failed: readonly RestoreFailure[],
    readonly backupDir: string,
  ) {
    super(
      fixMessages.restoreFailed(
        failed.map((f) => `${f.path} (${f.part}: ${f.reason})`),
        backupDir,
      ),
    );
  }
}
const UNDONE_SUFFIX = '.undone';

export class FixBackup {
  private copies = 0;

  private constructor(
    readonly repoRoot: string,
    readonly dir: string,
    readonly manifest: BackupManifest,
  ) {}

  static async create(repoRoot: string, now = new Date()): Promise<FixBackup> {
    const root = await backupRoot(repoRoot);
    await fs.mkdir(root, { recursive: true, mode: 0o700 });
    const stamp = now.toISOString().replace(/[-:]/g, '').replace('.', '');
    for (let attempt = 0; ; attempt++) {
      const dir = join(root, attempt === 0 ? stamp : `${stamp}-${attempt}`);
      try {
        await fs.mkdir(dir, { mode: 0o700 });
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'EEXIST' && attempt < 100) continue;
        throw error;
      }
      await fs.chmod(dir, 0o700);
      const manifest: BackupManifest = { version: 1, createdAt: now.toISOString(), head: await headCommit(repoRoot), records: [] };
      return new FixBackup(repoRoot, dir, manifest);
    }
  }

  static async load(repoRoot: string, dir: string): Promise<FixBackup> {
    const manifest = JSON.parse(await fs.readFile(join(dir, MANIFEST), 'utf8')) as BackupManifest;
    return new FixBackup(repoRoot, dir, manifest);
  }

  async saveWorktree(path: string, original: Buffer | null): Promise<void> {
    const record = this.record(path);
    if (record.worktree) return;
    if (original === null) {
      record.worktree = { existed: false };
      return;
    }
    const stat = await fs.lstat(join(this.repoRoot, path));
    record.worktree = { existed: true, mode: stat.mode & 0o7777, copy: await this.saveCopy(original) };
  }

  async saveIndex(path: string, entry: IndexEntry | null, blob: Buffer | null): Promise<void> {
    const record = this.record(path);
    if (record.index) return;
    record.index = {
      entry: entry && { mode: entry.mode, sha: entry.sha },
      copy: blob ? await this.saveCopy(blob) : undefined,
    };
  }

  noteWorktreeWritten(path: string, content: Buffer): void {
    this.record(path).worktree!.written = sha256(content);
  }

  noteIndexWritten(path: string, sha: string | null): void {
    this.record(path).index!.written = sha;
  }

  async persist(): Promise<void> {
    await writeFileAtomic(join(this.dir, MANIFEST), Buffer.from(JSON.stringify(this.manifest, null, 2)), { mode: 0o600 });
  }

  /** Paths the user changed after the fix wrote them (undo would lose those edits). */
  async changedSinceFix(): Promise<string[]> {
    const changed: string[] = [];
    for (const record of this.manifest.records) {
      const { worktree, index } = record;
      if (worktree?.written !== undefined) {
        const current = readCurrent(this.repoRoot, record.path);
        if (!current || sha256(current) !== worktree.written) changed.push(record.path);
      }
      if (index && index.written !== undefined) {
        const entry = await readIndexEntry(this.repoRoot, record.path);
        if ((entry?.sha ?? null) !== index.written && !changed.includes(record.path)) changed.push(record.path);
      }
    }
    return changed;
  }

  /**
   * Puts every saved file and index entry back, in reverse order. Keeps going past
   * a failure so as much as possible is restored, then reports what could not be.
   */
  async restore(): Promise<void> {
    const failed: RestoreFailure[] = [];
    const attempt = async (path: string, part: RestoreFailure['part'], restore: () => Promise<void>) => {
      try {
        await restore();
      } catch (error) {
        failed.push({ path, part, reason: error instanceof Error ? error.message : String(error) });
      }
    };
    for (const record of [...this.manifest.records].reverse()) {
      const { path, worktree, index } = record;
      // Each part on its own: a file that cannot be written does not keep its index entry from being restored.
      if (worktree) await attempt(path, 'working tree', () => this.restoreWorktree(path, worktree));
      if (index) await attempt(path, 'index', () => this.restoreIndex(path, index));
    }
    if (failed.length) throw new RestoreError(failed, this.dir);
  }

  /** Written once the originals are saved and before the first change. */
  async beginApply(): Promise<void> {
    const marker: InProgressMarker = { backupDir: this.dir, pid: process.pid, startedAt: new Date().toISOString() };
    await writeFileAtomic(await markerPath(this.repoRoot), Buffer.from(JSON.stringify(marker)), { mode: 0o600 });
  }

  /** The fix finished (or was rolled back cleanly): nothing is half-done any more. */
  async endApply(): Promise<void> {
    await fs.rm(await markerPath(this.repoRoot), { force: true });
  }

  async markUndone(): Promise<void> {
    await fs.rename(this.dir, this.dir + UNDONE_SUFFIX);
  }

  async discard(): Promise<void> {
    await fs.rm(this.dir, { recursive: true, force: true });
  }

  private async restoreWorktree(path: string, snapshot: WorktreeSnapshot): Promise<void> {
    if (snapshot.written === undefined) return; // never written: nothing to put back
    const target = join(this.repoRoot, path);
    if (!snapshot.existed) {
      await fs.rm(target, { force: true });
      return;
    }
    const original = await fs.readFile(join(this.dir, snapshot.copy!));
    // Refuses a link put in since the fix, rather than writing through it.
    await writeFileAtomic(target, original, { mode: snapshot.mode });
  }

  private async restoreIndex(path: string, snapshot: IndexSnapshot): Promise<void> {
    if (snapshot.written === undefined) return; // never changed
    if (!snapshot.entry) {
      await removeIndexEntry(this.repoRoot, path);
      return;
    }
    let sha = snapshot.entry.sha;
    if (!(await blobExists(this.repoRoot, sha)) && snapshot.copy) {
      sha = await writeBlob(this.repoRoot, await fs.readFile(join(this.dir, snapshot.copy)));
    }
    await setIndexEntry(this.repoRoot, path, snapshot.entry.mode, sha);
  }

  private record(path: string): BackupRecord {
    let record = this.manifest.records.find((r) => r.path === path);
    if (!record) {
      record = { path };
      this.manifest.records.push(record);
    }
    return record;
  }

  private async saveCopy(content: Buffer): Promise<string> {
    const name = `${++this.copies}.orig`;
    await writeFileAtomic(join(this.dir, name), content, { mode: 0o600 });
    return name;
  }
}

export async function backupRoot(repoRoot: string): Promise<string> {
  return join(await resolveGitDir(repoRoot), 'leakguard', 'backup');
}

/** The newest backup not undone yet, or null. */
export async function latestBackupDir(repoRoot: string): Promise<string | null> {
  const root = await backupRoot(repoRoot);
  const names = await fs.readdir(root).catch(() => [] as string[]);
  const candidates = names.filter((name) => !name.endsWith(UNDONE_SUFFIX)).sort(compareStamps);
  for (const name of candidates.reverse()) {
    const manifest = await fs.lstat(join(root, name, MANIFEST)).catch(() => null);
    if (manifest?.isFile()) return join(root, name);
  }
  return null;
}

/** Days a backup is kept (it holds the key in plain text). LEAKGUARD_BACKUP_DAYS overrides. */
export const DEFAULT_BACKUP_DAYS = 7;

export function backupRetentionDays(env: NodeJS.ProcessEnv = process.env): number {
  const days = Number(env.LEAKGUARD_BACKUP_DAYS);
  return env.LEAKGUARD_BACKUP_DAYS !== undefined && env.LEAKGUARD_BACKUP_DAYS !== '' && Number.isFinite(days) && days >= 0
    ? days
    : DEFAULT_BACKUP_DAYS;
}

/**
 * Deletes backups older than `days` (by their manifest's creation time, or the
 * folder's when unreadable). `keep` (an interrupted fix's backup) is never deleted.
 * Returns the folders removed.
 */
export async function pruneBackups(repoRoot: string, days: number, options: { keep?: string; now?: Date } = {}): Promise<string[]> {
  const root = await backupRoot(repoRoot);
  const names = await fs.readdir(root).catch(() => [] as string[]);
  const cutoff = (options.now ?? new Date()).getTime() - days * 24 * 3600 * 1000;
  const removed: string[] = [];
  for (const name of names) {
    const dir = join(root, name);
    if (dir === options.keep) continue;
    const created = await backupTime(dir);
    if (created === null || created > cutoff) continue;
    await fs.rm(dir, { recursive: true, force: true });
    removed.push(dir);
  }
  return removed;
}

async function backupTime(dir: string): Promise<number | null> {
  const manifest = await fs
    .readFile(join(dir, MANIFEST), 'utf8')
    .then((t) => JSON.parse(t) as Partial<BackupManifest>)
    .catch(() => null);
  const stamp = manifest?.createdAt ? Date.parse(manifest.createdAt) : NaN;
  if (Number.isFinite(stamp)) return stamp;
  const stat = await fs.lstat(dir).catch(() => null);
  return stat?.isDirectory() ? stat.mtimeMs : null;
}

/** Stamps sort as text, except that "…-10" must come after "…-9". */
function compareStamps(a: string, b: string): number {
  const [stampA, nA = '0'] = a.split('-');
  const [stampB, nB = '0'] = b.split('-');
  return stampA! < stampB! ? -1 : stampA! > stampB! ? 1 : Number(nA) - Number(nB);
}

/**
 * What the working tree holds now, for "changed since the fix": a link, a FIFO or an
 * outsized file in its place counts as changed (null), and is never read.
 */
function readCurrent(repoRoot: string, path: string): Buffer | null {
  try {
    return readWriteTarget(repoRoot, path, READ_LIMITS.source);
  } catch (error) {
    if (error instanceof UnsafeFileError) return null;
    throw error;
  }
}

function sha256(content: Buffer): string {
  return createHash('sha256').update(content).digest('hex');
}

export { clearInterruptedFix, interruptedFix, markerPath, type InProgressMarker } from '../git/fix-marker.js';
