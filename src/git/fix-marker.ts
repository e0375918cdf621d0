/**
 * The marker a fix keeps in the git directory while it writes
 * (`<git dir>/leakguard/fix-in-progress.json`). It outlives the fix only when the
 * fix was killed part-way; then the next `fix` refuses and every staged scan warns,
 * until `leakguard fix --undo` restores the backup. Kept out of src/fix so the
 * hook's hot path can check it without loading the fix.
 */
import { promises as fs, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { gitText } from './run-git.js';

export interface InProgressMarker {
  backupDir: string;
  pid: number;
  startedAt: string;
}

const MARKER = join('leakguard', 'fix-in-progress.json');

async function gitDir(repoRoot: string): Promise<string> {
  // A plain repository needs no git call (the hook's hot path); worktrees and submodules do.
  const dotGit = join(repoRoot, '.git');
  // Synchronous: every hook run checks this, and fs/promises costs start-up time.
  if (statSync(dotGit, { throwIfNoEntry: false })?.isDirectory()) return dotGit;
  return resolve(repoRoot, await gitText(['rev-parse', '--git-dir'], { cwd: repoRoot }));
}

export async function markerPath(repoRoot: string): Promise<string> {
  return join(await gitDir(repoRoot), MARKER);
}

/** The marker of a fix killed part-way, or null. A fix still running in another process is not "interrupted". */
export async function interruptedFix(repoRoot: string): Promise<InProgressMarker | null> {
  let text: string;
  try {
    text = readFileSync(await markerPath(repoRoot), 'utf8');
  } catch {
    return null;
  }
  let marker: InProgressMarker;
  try {
    marker = JSON.parse(text) as InProgressMarker;
  } catch {
    return { backupDir: '', pid: 0, startedAt: '' };
  }
  if (marker.pid && marker.pid !== process.pid && isAlive(marker.pid)) return null;
  return marker;
}

/** Forgets an interrupted fix (after its backup was restored). */
export async function clearInterruptedFix(repoRoot: string): Promise<void> {
  await fs.rm(await markerPath(repoRoot), { force: true });
}

/** True while a process with this pid runs (EPERM: it runs, as another user). */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
