import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { GitError, InputError } from '../errors.js';
import { gitText } from './run-git.js';

/**
 * The top of the work tree containing `cwd`, or undefined outside a repository.
 * This is the hook's path, so git is asked through the spawn runner, not simple-git:
 * git sets GIT_DIR for the hooks of a linked worktree, where the folder walk steps
 * aside, and loading simple-git there (it lives in dist/full.cjs) costs each commit
 * more CPU than the rest of the hook's start (measured: bench/perf/README.md).
 */
export async function findRepoRoot(cwd: string): Promise<string | undefined> {
  const quick = findRootByWalking(cwd);
  if (quick) return quick;
  try {
    return await gitText(['rev-parse', '--show-toplevel'], { cwd });
  } catch (error) {
    if (error instanceof GitError && error.code !== null) return undefined;
    throw error;
  }
}

/**
 * Saves a git process on the hook's hot path: the nearest folder holding `.git`
 * (a folder, or a file in linked worktrees and submodules). When git's location is
 * overridden through the environment, or nothing is found, git itself is asked.
 */
function findRootByWalking(cwd: string): string | undefined {
  if (process.env.GIT_DIR !== undefined || process.env.GIT_WORK_TREE !== undefined) return undefined;
  let dir = path.resolve(cwd);
  for (;;) {
    const marker = path.join(dir, '.git');
    if (looksLikeGitDir(marker)) return dir;
    try {
      statSync(marker);
      return undefined; // something named .git that is not a repository: let git decide
    } catch {
      const parent = path.dirname(dir);
      if (parent === dir) return undefined;
      dir = parent;
    }
  }
}

/** A `.git` folder with a HEAD, or a `.git` file pointing elsewhere (`gitdir: …`). */
function looksLikeGitDir(marker: string): boolean {
  try {
    if (statSync(marker).isDirectory()) return statSync(path.join(marker, 'HEAD')).isFile();
    return readFileSync(marker, 'utf8').startsWith('gitdir:');
  } catch {
    return false;
  }
}

/**
 * The work tree's top folder; with `bare`, a repository without one (a bare clone,
 * a mirror) is accepted too and its git folder returned, where git commands run as well.
 * `hint` says what to do instead (by default: scan a folder).
 */
export async function requireRepoRoot(
  cwd: string,
  what: string,
  { bare = false, hint = 'scan a folder with `leakguard scan PATH`' } = {},
): Promise<string> {
  const root = (await findRepoRoot(cwd)) ?? (bare ? await findBareRepo(cwd) : undefined);
  if (!root) throw new InputError(`not a git repository: ${what} needs one (${hint})`);
  return root;
}

/** Never on the hook's path (staged changes need a work tree): simple-git asks. */
async function findBareRepo(cwd: string): Promise<string | undefined> {
  const { revParse } = await import('./git-client.js');
  if ((await revParse(cwd, ['--is-bare-repository'])) !== 'true') return undefined;
  return revParse(cwd, ['--absolute-git-dir']);
}
