/**
 * Thin git plumbing for the fix: index entries and blobs, no business logic.
 * Paths are always literal (no pathspec magic) and relative to the repository root.
 * Runs git through the simple-git wrapper (src/git/git-client.ts).
 */
import { existsSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { FixError } from '../errors.js';
import { catBlob, catFile, plumbing, plumbingText } from '../git/git-client.js';
import { splitNul } from '../git/run-git.js';

export interface IndexEntry {
  /** Octal mode as git prints it, e.g. "100644", "100755", "120000". */
  mode: string;
  sha: string;
  /** 0 normally; 1–3 while a merge conflict is unresolved. */
  stage: number;
}

export async function readIndexEntries(repoRoot: string, path: string): Promise<IndexEntry[]> {
  // --error-unmatch: git says something even when the path is not in the index (see git-client.ts).
  const { stdout } = await plumbing(repoRoot, ['--literal-pathspecs', 'ls-files', '-s', '-z', '--error-unmatch', '--', path], {
    okCodes: [1],
  });
  const entries: IndexEntry[] = [];
  for (const record of splitNul(stdout)) {
    const tab = record.indexOf('\t');
    if (record.slice(tab + 1) !== path) continue;
    const [mode, sha, stage] = record.slice(0, tab).split(' ') as [string, string, string];
    entries.push({ mode, sha, stage: Number(stage) });
  }
  return entries;
}

/** Every path in the index. */
export async function listIndexPaths(repoRoot: string): Promise<string[]> {
  const { stdout } = await plumbing(repoRoot, ['ls-files', '-z']);
  return [...new Set(splitNul(stdout))];
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
  const { stdout } = await plumbing(repoRoot, ['--literal-pathspecs', 'ls-tree', '-z', head, '--', path]);
  for (const record of splitNul(stdout)) {
    const tab = record.indexOf('\t');
    if (record.slice(tab + 1) !== path) continue;
    const [mode, type, sha] = record.slice(0, tab).split(' ') as [string, string, string];
    if (type === 'blob') return { mode, sha, stage: 0 };
  }
  return null;
}

export async function headCommit(repoRoot: string): Promise<string | null> {
  const { stdout, code } = await plumbing(repoRoot, ['rev-parse', '--verify', 'HEAD^{commit}'], { okCodes: [1, 128] });
  return code === 0 ? stdout.trim() : null;
}

export async function readBlob(repoRoot: string, sha: string): Promise<Buffer> {
  return catBlob(repoRoot, sha);
}

export async function blobExists(repoRoot: string, sha: string): Promise<boolean> {
  const { stdout, code } = await plumbing(repoRoot, ['cat-file', '-t', sha], { okCodes: [1, 128] });
  return code === 0 && stdout.trim() === 'blob';
}

/**
 * Stores content as a blob. The content is already in index form (read from a blob
 * and edited), so clean filters (autocrlf, LFS…) must not run on it a second time.
 */
export async function writeBlob(repoRoot: string, content: Buffer): Promise<string> {
  return plumbingText(repoRoot, ['hash-object', '-w', '--no-filters', '--stdin'], { input: content });
}

export async function setIndexEntry(repoRoot: string, path: string, mode: string, sha: string): Promise<void> {
  await plumbing(repoRoot, ['update-index', '--verbose', '--add', '--cacheinfo', `${mode},${sha},${path}`]);
}

export async function removeIndexEntry(repoRoot: string, path: string): Promise<void> {
  await plumbing(repoRoot, ['update-index', '--verbose', '--force-remove', '--', path]);
}

/** Absolute git directory; in a linked worktree this is .git/worktrees/<name>. */
export async function resolveGitDir(repoRoot: string): Promise<string> {
  return resolve(repoRoot, await plumbingText(repoRoot, ['rev-parse', '--git-dir']));
}

/**
 * Waits briefly while another git process holds the index lock, then gives up
 * with a clear error before anything is changed. Inside a commit hook git points
 * GIT_INDEX_FILE at its own lock file; the lock to respect is then that file's.
 */
export async function waitForIndexUnlocked(repoRoot: string, waitMs = 2_000): Promise<void> {
  const index = process.env.GIT_INDEX_FILE
    ? resolve(repoRoot, process.env.GIT_INDEX_FILE)
    : resolve(await resolveGitDir(repoRoot), 'index');
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

/** How many commits per file are searched for a key (newest first). */
const HISTORY_SEARCH_LIMIT = 1_000;

/**
 * The secrets that already reached a commit (any ref, or HEAD): each file's
 * versions along the history that touched it are read in one `cat-file --batch`
 * and searched in memory, so no secret is ever passed on a command line.
 */
export async function committedSecrets(repoRoot: string, secretsByFile: ReadonlyMap<string, readonly string[]>): Promise<Set<string>> {
  const found = new Set<string>();
  if (!(await headCommit(repoRoot)) && !(await anyRef(repoRoot))) return found;
  for (const [path, secrets] of secretsByFile) {
    const log = await plumbing(
      repoRoot,
      ['--literal-pathspecs', 'log', '--all', 'HEAD', `--max-count=${HISTORY_SEARCH_LIMIT}`, '--format=%H', '--', path],
      { okCodes: [128] },
    );
    const commits = log.stdout.split('\n').filter(Boolean);
    if (commits.length === 0) continue;
    const input = commits.map((commit) => `${commit}:${path}\n`).join('');
    const text = (await catFile(repoRoot, ['--batch'], { input })).toString('latin1'); // byte for byte: a key is ASCII either way
    for (const secret of secrets) if (text.includes(secret)) found.add(secret);
  }
  return found;
}

async function anyRef(repoRoot: string): Promise<boolean> {
  const { stdout } = await plumbing(repoRoot, ['for-each-ref', '--count=1', '--format=%(refname)']);
  return stdout.length > 0;
}
