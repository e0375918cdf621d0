/**
 * Thin git plumbing for the fix: index entries and blobs, no business logic.
 * Paths are always literal (no pathspec magic) and relative to the repository root.
 */
import { existsSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { FixError } from '../errors.js';
import { gitText, runGit, splitNul } from '../git/run-git.js';

export interface IndexEntry {
  /** Octal mode as git prints it, e.g. "100644", "100755", "120000". */
  mode: string;
  sha: string;
  /** 0 normally; 1–3 while a merge conflict is unresolved. */
  stage: number;
}

export async function readIndexEntries(repoRoot: string, path: string): Promise<IndexEntry[]> {
  const { stdout } = await runGit(['--literal-pathspecs', 'ls-files', '-s', '-z', '--', path], { cwd: repoRoot });
  const entries: IndexEntry[] = [];
  for (const record of splitNul(stdout)) {
    const tab = record.indexOf('\t');
    if (record.slice(tab + 1) !== path) continue;
    const [mode, sha, stage] = record.slice(0, tab).split(' ') as [string, string, string];
    entries.push({ mode, sha, stage: Number(stage) });
  }
  return entries;
}

/** The stage-0 entry of `path`, or null when the path is not in the index (or conflicted). */
export async function readIndexEntry(repoRoot: string, path: string): Promise<IndexEntry | null> {
  const entries = await readIndexEntries(repoRoot, path);
  return entries.length === 1 && entries[0]!.stage === 0 ? entries[0]! : null;
}

/** The entry of `path` in HEAD, or null (no such path, or no commit yet). */
export async function readHeadEntry(repoRoot: string, path: string): Promise<IndexEntry | null> {
  const head = await headCommit(repoRoot);
  if (!head) return null;
  const { stdout } = await runGit(['--literal-pathspecs', 'ls-tree', '-z', head, '--', path], { cwd: repoRoot });
  for (const record of splitNul(stdout)) {
    const tab = record.indexOf('\t');
    if (record.slice(tab + 1) !== path) continue;
    const [mode, type, sha] = record.slice(0, tab).split(' ') as [string, string, string];
    if (type === 'blob') return { mode, sha, stage: 0 };
  }
  return null;
}

export async function headCommit(repoRoot: string): Promise<string | null> {
  const { stdout, code } = await runGit(['rev-parse', '-q', '--verify', 'HEAD^{commit}'], { cwd: repoRoot, okCodes: [1, 128] });
  return code === 0 ? stdout.toString('utf8').trim() : null;
}

export async function readBlob(repoRoot: string, sha: string): Promise<Buffer> {
  return (await runGit(['cat-file', 'blob', sha], { cwd: repoRoot })).stdout;
}

export async function blobExists(repoRoot: string, sha: string): Promise<boolean> {
  const { code } = await runGit(['cat-file', '-e', `${sha}^{blob}`], { cwd: repoRoot, okCodes: [1, 128] });
  return code === 0;
}

/**
 * Stores content as a blob. The content is already in index form (read from a blob
 * and edited), so clean filters (autocrlf, LFS…) must not run on it a second time.
 */
export async function writeBlob(repoRoot: string, content: Buffer): Promise<string> {
  return gitText(['hash-object', '-w', '--no-filters', '--stdin'], { cwd: repoRoot, input: content });
}

export async function setIndexEntry(repoRoot: string, path: string, mode: string, sha: string): Promise<void> {
  await runGit(['update-index', '--add', '--cacheinfo', `${mode},${sha},${path}`], { cwd: repoRoot });
}

export async function removeIndexEntry(repoRoot: string, path: string): Promise<void> {
  await runGit(['update-index', '--force-remove', '--', path], { cwd: repoRoot });
}

/** Absolute git directory; in a linked worktree this is .git/worktrees/<name>. */
export async function resolveGitDir(repoRoot: string): Promise<string> {
  return resolve(repoRoot, await gitText(['rev-parse', '--git-dir'], { cwd: repoRoot }));
}

/**
 * Waits briefly while another git process holds the index lock, then gives up
 * with a clear error before anything is changed. Inside a commit hook git points
 * GIT_INDEX_FILE at its own lock file; the lock to respect is then that file's.
 */
export async function waitForIndexUnlocked(repoRoot: string, waitMs = 2_000): Promise<void> {
  const index = process.env.GIT_INDEX_FILE ? resolve(repoRoot, process.env.GIT_INDEX_FILE) : resolve(await resolveGitDir(repoRoot), 'index');
  const lock = `${index}.lock`;
  for (let waited = 0; existsSync(lock); waited += 100) {
    if (waited >= waitMs) {
      throw new FixError(`the git index is locked by another git process (${lock}); nothing was changed — retry when it has finished`);
    }
    await sleep(100);
  }
}

/**
 * True inside the hooks of `git commit <paths>` (and `--only`): git then commits a
 * temporary index (`<git dir>/next-index-<pid>.lock`, built from HEAD and the paths)
 * and, separately, writes the same paths into the repository's index. A fix made in
 * the temporary index would reach the commit but not `.git/index`. `git commit -a`
 * and `-i` commit `index.lock`, which becomes `.git/index`: those are fine.
 */
export function commitsTemporaryIndex(env: NodeJS.ProcessEnv = process.env): boolean {
  const file = env.GIT_INDEX_FILE;
  return file !== undefined && /^next-index-\d+\.lock$/.test(basename(file));
}
