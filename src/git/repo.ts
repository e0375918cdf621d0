import { GitError, InputError } from '../errors.js';
import { gitText } from './run-git.js';

/** The top of the work tree containing `cwd`, or undefined outside a repository. */
export async function findRepoRoot(cwd: string): Promise<string | undefined> {
  try {
    return await gitText(['rev-parse', '--show-toplevel'], { cwd });
  } catch (error) {
    if (error instanceof GitError && error.code !== null) return undefined;
    throw error;
  }
}

export async function requireRepoRoot(cwd: string, what: string): Promise<string> {
  const root = await findRepoRoot(cwd);
  if (!root) throw new InputError(`not a git repository: ${what} needs one (scan a folder with \`leakguard scan PATH\`)`);
  return root;
}
