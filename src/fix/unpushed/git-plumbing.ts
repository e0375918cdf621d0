/**
 * The git plumbing the history rewrite needs: small async functions, no business
 * logic. Objects are read and written with cat-file / hash-object; trees are built
 * in a temporary index (GIT_INDEX_FILE) so the user's index is never touched.
 * Runs git through the spawn runner, not simple-git (src/git/git-client.ts): each
 * rewritten commit takes several commands that print nothing (read-tree,
 * update-index, update-ref), and simple-git waits after every silent command.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { gitText, runGit, splitNul } from '../../git/run-git.js';

export const ZERO_OID = '0'.repeat(40);

/** `refs/heads/<name>` of the checked-out branch, or undefined on a detached HEAD. */
export async function currentBranch(repoRoot: string): Promise<string | undefined> {
  const { stdout, code } = await runGit(['symbolic-ref', '-q', 'HEAD'], { cwd: repoRoot, okCodes: [1] });
  const ref = stdout.toString('utf8').trim();
  return code === 0 && ref.startsWith('refs/heads/') ? ref : undefined;
}

export async function resolveCommit(repoRoot: string, rev: string): Promise<string | undefined> {
  const { stdout, code } = await runGit(['rev-parse', '-q', '--verify', '--end-of-options', `${rev}^{commit}`], {
    cwd: repoRoot,
    okCodes: [1, 128],
  });
  return code === 0 ? stdout.toString('utf8').trim() : undefined;
}

const IN_PROGRESS: Array<[string, string]> = [
  ['rebase-merge', 'a rebase'],
  ['rebase-apply', 'a rebase or `git am`'],
  ['MERGE_HEAD', 'a merge'],
  ['CHERRY_PICK_HEAD', 'a cherry-pick'],
  ['REVERT_HEAD', 'a revert'],
  ['BISECT_LOG', 'a bisect'],
];

/** The git operation under way in this work tree (rebase, merge, cherry-pick …), if any. */
export async function operationInProgress(repoRoot: string): Promise<string | undefined> {
  const args = ['rev-parse', ...IN_PROGRESS.flatMap(([name]) => ['--git-path', name])];
  const paths = (await gitText(args, { cwd: repoRoot })).split('\n');
  for (let i = 0; i < IN_PROGRESS.length; i++) {
    const file = path.resolve(repoRoot, paths[i]!);
    if (
      await fs.lstat(file).then(
        () => true,
        () => false,
      )
    )
      return IN_PROGRESS[i]![1];
  }
  return undefined;
}

/** Tracked paths whose index or working-tree content differs from HEAD (untracked files do not count). */
export async function uncommittedChanges(repoRoot: string): Promise<string[]> {
  const { stdout } = await runGit(['status', '--porcelain=v1', '-z', '--untracked-files=no', '--ignore-submodules=none'], {
    cwd: repoRoot,
  });
  return splitNul(stdout)
    .filter((record) => /^[ MADRCTU?!]{2} /.test(record))
    .map((record) => record.slice(3));
}

export interface ListedCommit {
  commit: string;
  parents: string[];
}

/** Commits of `tip` that no remote-tracking ref contains, oldest first (parents before children). */
export async function unpushedCommits(repoRoot: string, tip: string): Promise<ListedCommit[]> {
  const text = await gitText(['rev-list', '--reverse', '--topo-order', '--parents', tip, '--not', '--remotes'], { cwd: repoRoot });
  return text
    .split('\n')
    .filter(Boolean)
    .map((line) => {
      const [commit, ...parents] = line.split(' ');
      return { commit: commit!, parents };
    });
}

/** Remote-tracking refs that contain `commit`. */
export async function remoteRefsContaining(repoRoot: string, commit: string): Promise<string[]> {
  const text = await gitText(['for-each-ref', '--format=%(refname:short)', '--contains', commit, 'refs/remotes/'], { cwd: repoRoot });
  return text.split('\n').filter(Boolean);
}

/** Paths of `commit`'s tree holding one of the fixed strings (git grep -F; the strings go on stdin, never on a command line). */
export async function grepTree(repoRoot: string, commit: string, strings: readonly string[]): Promise<string[]> {
  if (strings.length === 0) return [];
  const { stdout } = await runGit(['grep', '-F', '-l', '-z', '--no-color', '--no-textconv', '-I', '-f', '-', commit, '--'], {
    cwd: repoRoot,
    input: strings.join('\n') + '\n',
    okCodes: [1],
  });
  return splitNul(stdout).map((entry) => entry.slice(commit.length + 1));
}

export interface TreeChange {
  path: string;
  /** Mode and blob of the path in the commit; null when the commit deletes it. */
  mode: string | null;
  sha: string | null;
}

/** What `commit` changes against its parent (or against nothing, for a root commit), file by file, no renames. */
export async function changesOf(repoRoot: string, commit: string, parent: string | undefined): Promise<TreeChange[]> {
  const args = parent
    ? ['diff-tree', '-r', '-z', '--no-renames', '--no-ext-diff', '--ignore-submodules=none', parent, commit]
    : ['diff-tree', '-r', '-z', '--no-renames', '--no-ext-diff', '--ignore-submodules=none', '--root', '--no-commit-id', commit];
  const fields = splitNul((await runGit(args, { cwd: repoRoot })).stdout);
  const changes: TreeChange[] = [];
  for (let i = 0; i + 1 < fields.length; i += 2) {
    const [, newMode, , newSha, status] = fields[i]!.slice(1).split(' ') as [string, string, string, string, string];
    const deleted = status.startsWith('D');
    changes.push({ path: fields[i + 1]!, mode: deleted ? null : newMode, sha: deleted ? null : newSha });
  }
  return changes;
}

/** The entry of `file` in `commit`'s tree, or undefined. */
export async function treeEntry(repoRoot: string, commit: string, file: string): Promise<{ mode: string; sha: string } | undefined> {
  const { stdout } = await runGit(['--literal-pathspecs', 'ls-tree', '-z', commit, '--', file], { cwd: repoRoot });
  for (const record of splitNul(stdout)) {
    const tab = record.indexOf('\t');
    const [mode, type, sha] = record.slice(0, tab).split(' ') as [string, string, string];
    if (record.slice(tab + 1) === file && type === 'blob') return { mode, sha };
  }
  return undefined;
}

/** The contents of several blobs in one `git cat-file --batch`. */
export async function readBlobs(repoRoot: string, shas: readonly string[]): Promise<Map<string, Buffer>> {
  const blobs = new Map<string, Buffer>();
  if (shas.length === 0) return blobs;
  const { stdout } = await runGit(['cat-file', '--batch'], { cwd: repoRoot, input: shas.join('\n') + '\n' });
  let at = 0;
  while (at < stdout.length) {
    const eol = stdout.indexOf(0x0a, at);
    const [sha, type, size] = stdout.subarray(at, eol).toString('utf8').split(' ') as [string, string, string];
    if (type === 'missing') {
      at = eol + 1;
      continue;
    }
    const length = Number(size);
    blobs.set(sha, stdout.subarray(eol + 1, eol + 1 + length));
    at = eol + 1 + length + 1;
  }
  return blobs;
}

export async function readCommitObject(repoRoot: string, commit: string): Promise<Buffer> {
  return (await runGit(['cat-file', 'commit', commit], { cwd: repoRoot })).stdout;
}

/** Stores bytes as an object, exactly as given (no filters: the content is already in repository form). */
export async function writeObject(repoRoot: string, type: 'blob' | 'commit', content: Buffer): Promise<string> {
  return gitText(['hash-object', '-w', '--no-filters', '-t', type, '--stdin'], { cwd: repoRoot, input: content });
}

export interface IndexEdit {
  path: string;
  /** null removes the path. */
  mode: string | null;
  sha: string | null;
}

/** `tree` with the edits applied, built in a temporary index inside the git directory. */
export async function editTree(repoRoot: string, gitDir: string, tree: string, edits: readonly IndexEdit[]): Promise<string> {
  if (edits.length === 0) return tree;
  const indexFile = path.join(gitDir, `leakguard-rewrite-${process.pid}-${Date.now()}.index`);
  const env = { GIT_INDEX_FILE: indexFile };
  try {
    await runGit(['read-tree', tree], { cwd: repoRoot, env });
    const info = edits.map((e) => (e.mode ? `${e.mode} ${e.sha}\t${e.path}` : `0 ${ZERO_OID}\t${e.path}`)).join('\0') + '\0';
    await runGit(['update-index', '-z', '--index-info'], { cwd: repoRoot, env, input: info });
    return await gitText(['write-tree'], { cwd: repoRoot, env });
  } finally {
    await fs.rm(indexFile, { force: true });
  }
}

export async function treeOf(repoRoot: string, commit: string): Promise<string> {
  return gitText(['rev-parse', `${commit}^{tree}`], { cwd: repoRoot });
}

export async function gitDirOf(repoRoot: string): Promise<string> {
  return path.resolve(repoRoot, await gitText(['rev-parse', '--git-dir'], { cwd: repoRoot }));
}

/** Sets `ref` to `next` only if it still holds `previous` (ZERO_OID: only if it does not exist). */
export async function updateRef(
  repoRoot: string,
  ref: string,
  next: string,
  previous: string,
  message: string,
  createReflog = false,
): Promise<void> {
  await runGit(['update-ref', ...(createReflog ? ['--create-reflog'] : []), '-m', message, ref, next, previous], { cwd: repoRoot });
}

export async function deleteRef(repoRoot: string, ref: string, previous?: string): Promise<void> {
  await runGit(['update-ref', '-d', ref, ...(previous ? [previous] : [])], { cwd: repoRoot });
}

/** Moves the index and the working tree from `from`'s tree to `to`'s, as a checkout would (refuses to lose local changes). */
export async function switchTrees(repoRoot: string, from: string, to: string): Promise<void> {
  await runGit(['read-tree', '-m', '-u', from, to], { cwd: repoRoot });
}

export async function refsUnder(repoRoot: string, prefix: string): Promise<string[]> {
  const text = await gitText(['for-each-ref', '--format=%(refname)', prefix], { cwd: repoRoot });
  return text.split('\n').filter(Boolean).sort();
}

/** The message of the newest reflog entry of `ref`, or undefined. */
export async function lastReflogMessage(repoRoot: string, ref: string): Promise<string | undefined> {
  const { stdout, code } = await runGit(['reflog', 'show', '-n1', '--format=%gs', ref, '--'], { cwd: repoRoot, okCodes: [128] });
  return code === 0 ? stdout.toString('utf8').trim() || undefined : undefined;
}

/** Paths `to`'s tree adds against `from`'s, with their blobs. */
export async function addedPaths(repoRoot: string, from: string, to: string): Promise<TreeChange[]> {
  const { stdout } = await runGit(['diff-tree', '-r', '-z', '--no-renames', '--diff-filter=A', from, to], { cwd: repoRoot });
  const fields = splitNul(stdout);
  const added: TreeChange[] = [];
  for (let i = 0; i + 1 < fields.length; i += 2) {
    const [, mode, , sha] = fields[i]!.slice(1).split(' ') as [string, string, string, string];
    added.push({ path: fields[i + 1]!, mode, sha });
  }
  return added;
}

/** The blob id the working-tree file would get (through the repository's clean filters). */
export async function hashWorktreeFile(repoRoot: string, file: string): Promise<string> {
  return gitText(['hash-object', '--', file], { cwd: repoRoot });
}
