import { constants } from 'node:fs';
import { access, chmod, mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { writeFileAtomic } from '../fs/atomic-write.js';
import { gitText, runGit } from './run-git.js';

export const HOOK_COMMAND = 'leakguard scan --staged';
const MARKER = 'leakguard scan';

export interface InstallResult {
  kind: 'husky' | 'git';
  hookFile: string;
  /** False when the hook already ran leakguard (install is idempotent). */
  changed: boolean;
  /** Set when husky is used but not yet set up in this clone. */
  note?: string;
}

/** Adds leakguard to the pre-commit hook: husky's when the project uses husky, else git's own. */
export async function installHook(repoRoot: string): Promise<InstallResult> {
  return (await usesHusky(repoRoot)) ? installHuskyHook(repoRoot) : installGitHook(repoRoot);
}

async function exists(file: string): Promise<boolean> {
  try {
    await access(file, constants.F_OK);
    return true;
  } catch {
    return false;
  }
}

async function usesHusky(repoRoot: string): Promise<boolean> {
  if (await exists(path.join(repoRoot, '.husky'))) return true;
  try {
    const pkg = JSON.parse(await readFile(path.join(repoRoot, 'package.json'), 'utf8')) as Record<string, Record<string, string> | undefined>;
    return Boolean(pkg.devDependencies?.husky ?? pkg.dependencies?.husky);
  } catch {
    return false;
  }
}

async function hooksPath(repoRoot: string): Promise<string | undefined> {
  const { stdout, code } = await runGit(['config', '--get', 'core.hooksPath'], { cwd: repoRoot, okCodes: [1] });
  return code === 0 ? stdout.toString('utf8').trim() : undefined;
}

async function installHuskyHook(repoRoot: string): Promise<InstallResult> {
  const hookFile = path.join(repoRoot, '.husky', 'pre-commit');
  // Husky's runner puts node_modules/.bin on PATH, so no slow `npx` lookup is needed.
  const changed = await addToHook(hookFile, `${HOOK_COMMAND}\n`);
  let note: string | undefined;
  if (!(await hooksPath(repoRoot))?.startsWith('.husky')) {
    note = 'husky is not set up in this clone yet: run `npx husky` (or `npm install`, if its prepare script runs husky)';
  }
  return { kind: 'husky', hookFile, changed, note };
}

async function installGitHook(repoRoot: string): Promise<InstallResult> {
  // --git-path honours core.hooksPath and linked worktrees.
  const hooksDir = path.resolve(repoRoot, await gitText(['rev-parse', '--git-path', 'hooks'], { cwd: repoRoot }));
  await mkdir(hooksDir, { recursive: true });
  const hookFile = path.join(hooksDir, 'pre-commit');
  const body = [
    '# leakguard: block commits that add secrets',
    'if [ -x ./node_modules/.bin/leakguard ]; then ./node_modules/.bin/leakguard scan --staged || exit $?',
    'elif command -v leakguard >/dev/null 2>&1; then leakguard scan --staged || exit $?',
    'else echo "leakguard is not installed (npm i -D leakguard); commit blocked. Bypass knowingly: git commit --no-verify" >&2; exit 1',
    'fi',
    '',
  ].join('\n');
  const changed = await addToHook(hookFile, body);
  return { kind: 'git', hookFile, changed };
}

/** Creates the hook or appends to it once; keeps it executable. */
async function addToHook(hookFile: string, addition: string): Promise<boolean> {
  let current = '';
  try {
    current = await readFile(hookFile, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  if (current.includes(MARKER)) return false;
  const base = current ? (current.endsWith('\n') ? current : `${current}\n`) : '#!/usr/bin/env sh\n';
  await writeFileAtomic(hookFile, base + addition, { mode: 0o755 });
  // An existing hook keeps its mode through the write; it must be executable to run.
  await chmod(hookFile, 0o755);
  return true;
}
