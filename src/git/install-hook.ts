/**
 * `leakguard install`: puts the scan first in the pre-commit hook (husky's when the
 * project uses husky, else git's own), where no `exit 0` or `exec …` of the existing
 * hook can skip it. It recognises only the exact lines it writes. It refuses, leaving
 * the hook as it was, where it cannot prove its line would run: a symbolic link, a
 * hook in another language, a binary. It never writes to a hooks folder shared by
 * other repositories (a global core.hooksPath): it installs for this repository only.
 */
import { spawnSync } from 'node:child_process';
import { constants, promises as fs } from 'node:fs';
import path from 'node:path';
import { InstallError } from '../errors.js';
import { writeFileAtomic } from '../fs/atomic-write.js';
import { installMessages, type HookName } from './install-messages.js';
import { plumbing, plumbingText } from './git-client.js';
import { shellWord } from './shell-word.js';

/** Husky puts node_modules/.bin on PATH, so no slow `npx` lookup is needed. */
const HUSKY_BLOCK = ['# leakguard: block commits that add secrets', 'leakguard scan --staged || exit $?'];

const GIT_BLOCK = [
  '# leakguard: block commits that add secrets',
  'if [ -x ./node_modules/.bin/leakguard ]; then ./node_modules/.bin/leakguard scan --staged || exit $?',
  'elif command -v leakguard >/dev/null 2>&1; then leakguard scan --staged || exit $?',
  'else echo "leakguard is not installed (npm i -D leakguard); commit blocked. Bypass knowingly: git commit --no-verify" >&2; exit 1',
  'fi',
];

/** What older versions wrote (GIT_BLOCK is unchanged), anywhere in the hook. */
const LEGACY_BLOCKS = [['leakguard scan --staged']];

/**
 * The pre-push scan reads git's ref lines from stdin. Other commands of the same
 * hook read them too (`git lfs pre-push "$@"` pushes nothing without them), so the
 * lines are kept in a temporary file and the rest of the hook reads that file.
 */
const PRE_PUSH_KEEP_INPUT = ['leakguard_refs=$(mktemp) || exit 1', 'cat >"$leakguard_refs"'];
const PRE_PUSH_FAILED = '|| { leakguard_status=$?; rm -f "$leakguard_refs"; exit $leakguard_status; }';
const PRE_PUSH_REST = 'exec <"$leakguard_refs"; rm -f "$leakguard_refs"';
const PRE_PUSH_COMMENT = "# leakguard: block pushes of commits that add secrets (git's ref lines stay on stdin for the commands below)";

const HUSKY_PRE_PUSH_BLOCK = [
  PRE_PUSH_COMMENT,
  ...PRE_PUSH_KEEP_INPUT,
  `leakguard pre-push "$@" <"$leakguard_refs" ${PRE_PUSH_FAILED}`,
  PRE_PUSH_REST,
];

const GIT_PRE_PUSH_BLOCK = [
  PRE_PUSH_COMMENT,
  ...PRE_PUSH_KEEP_INPUT,
  'if [ -x ./node_modules/.bin/leakguard ]; then ./node_modules/.bin/leakguard pre-push "$@" <"$leakguard_refs"',
  'elif command -v leakguard >/dev/null 2>&1; then leakguard pre-push "$@" <"$leakguard_refs"',
  'else echo "leakguard is not installed (npm i -D leakguard); push blocked. Bypass knowingly: git push --no-verify" >&2; false',
  `fi ${PRE_PUSH_FAILED}`,
  PRE_PUSH_REST,
];

/** One hook leakguard adds itself to: its name, the lines for husky and for a plain git hook, and lines it wrote before. */
export interface HookSpec {
  name: HookName;
  husky: readonly string[];
  git: readonly string[];
  legacy: readonly (readonly string[])[];
}

export const PRE_COMMIT: HookSpec = { name: 'pre-commit', husky: HUSKY_BLOCK, git: GIT_BLOCK, legacy: LEGACY_BLOCKS };
export const PRE_PUSH: HookSpec = { name: 'pre-push', husky: HUSKY_PRE_PUSH_BLOCK, git: GIT_PRE_PUSH_BLOCK, legacy: [] };
/** What `leakguard install` sets up, in order. */
export const HOOKS: readonly HookSpec[] = [PRE_COMMIT, PRE_PUSH];

/** Husky v4–v8's first line; husky v9 leaves it as a deprecation notice. */
const HUSKY_PREAMBLE = /^\.\s+"\$\(dirname (?:-- )?"\$0"\)\/_\/husky\.sh"$/;

/** Interpreters that run a shell script from its first line on. */
const SHELLS = new Set(['sh', 'bash', 'dash', 'zsh', 'ksh', 'ash', 'mksh']);

export type HookOutcome = 'added' | 'moved' | 'unchanged';

export interface InstallResult {
  kind: 'husky' | 'git';
  hook: HookName;
  hookFile: string;
  /** 'unchanged' when the hook already ran leakguard first (install is idempotent). */
  outcome: HookOutcome;
  /** Things the user should know, ready to print. */
  notes: string[];
}

/** Adds leakguard to the pre-commit hook: husky's when the project uses husky, else git's own. */
export async function installHook(repoRoot: string): Promise<InstallResult> {
  return (await installHooks(repoRoot, [PRE_COMMIT]))[0]!;
}

/**
 * Adds leakguard to each hook of `hooks` (default: pre-commit and pre-push), husky's
 * when the project uses husky, else git's own. A refusal (InstallError) stops at the
 * hook it concerns; hooks before it in the list are installed.
 */
export async function installHooks(repoRoot: string, hooks: readonly HookSpec[] = HOOKS): Promise<InstallResult[]> {
  if (await usesHusky(repoRoot)) {
    const results: InstallResult[] = [];
    for (const hook of hooks) results.push(await installHuskyHook(repoRoot, hook, results.length === 0));
    return results;
  }
  return installGitHooks(repoRoot, hooks);
}

async function exists(file: string): Promise<boolean> {
  try {
    await fs.access(file, constants.F_OK);
    return true;
  } catch {
    return false;
  }
}

async function usesHusky(repoRoot: string): Promise<boolean> {
  if (await exists(path.join(repoRoot, '.husky'))) return true;
  try {
    const pkg = JSON.parse(await fs.readFile(path.join(repoRoot, 'package.json'), 'utf8')) as Record<
      string,
      Record<string, string> | undefined
    >;
    return Boolean(pkg.devDependencies?.husky ?? pkg.dependencies?.husky);
  } catch {
    return false;
  }
}

/** core.hooksPath as git resolves it for this repository, and the config file it comes from. */
async function hooksPathSetting(repoRoot: string): Promise<{ value: string; origin?: string } | undefined> {
  const { stdout, code } = await plumbing(repoRoot, ['config', '--show-origin', '--get', 'core.hooksPath'], { okCodes: [1] });
  if (code !== 0) return undefined;
  const line = stdout.replace(/\n$/, '');
  const tab = line.indexOf('\t');
  const origin = line.slice(0, tab);
  return { value: line.slice(tab + 1), origin: origin.startsWith('file:') ? origin.slice('file:'.length) : undefined };
}

async function installHuskyHook(repoRoot: string, hook: HookSpec, checkSetUp: boolean): Promise<InstallResult> {
  const hookFile = path.join(repoRoot, '.husky', hook.name);
  // Husky runs its hook files with `sh -e`: they need not be executable.
  const { outcome, notes } = await addToHook(hookFile, hook, hook.husky, false);
  if (checkSetUp && !(await hooksPathSetting(repoRoot))?.value.startsWith('.husky')) notes.push(installMessages.huskyNotSetUp);
  return { kind: 'husky', hook: hook.name, hookFile, outcome, notes };
}

async function installGitHooks(repoRoot: string, hooks: readonly HookSpec[]): Promise<InstallResult[]> {
  // --git-path honours core.hooksPath and linked worktrees.
  const hooksDir = path.resolve(repoRoot, await plumbingText(repoRoot, ['rev-parse', '--git-path', 'hooks']));
  const commonDir = path.resolve(repoRoot, await plumbingText(repoRoot, ['rev-parse', '--git-common-dir']));
  const setting = await hooksPathSetting(repoRoot);
  if (setting && !(await isInside(hooksDir, [repoRoot, commonDir]))) {
    return installForThisRepository(repoRoot, hooks, hooksDir, path.join(commonDir, 'hooks'), setting.origin);
  }
  await fs.mkdir(hooksDir, { recursive: true });
  const results: InstallResult[] = [];
  for (const hook of hooks) {
    const hookFile = path.join(hooksDir, hook.name);
    const { outcome, notes } = await addToHook(hookFile, hook, hook.git, true);
    results.push({ kind: 'git', hook: hook.name, hookFile, outcome, notes });
  }
  return results;
}

/** True when `dir` (symbolic links resolved) is inside one of `roots`. */
async function isInside(dir: string, roots: readonly string[]): Promise<boolean> {
  const real = async (p: string) => fs.realpath(p).catch(() => path.resolve(p));
  const target = await real(dir);
  for (const root of roots) {
    const relative = path.relative(await real(root), target);
    if (!relative.startsWith('..') && !path.isAbsolute(relative)) return true;
  }
  return false;
}

/**
 * core.hooksPath points outside this repository (typically set globally): the folder
 * is shared, so it is left alone. This repository gets its own hooks folder, where
 * each of leakguard's hooks runs the scan and then the shared hook of that name, and
 * every other shared hook is forwarded; core.hooksPath is set in this repository's
 * config to use it.
 */
async function installForThisRepository(
  repoRoot: string,
  hooks: readonly HookSpec[],
  sharedDir: string,
  ownDir: string,
  origin: string | undefined,
): Promise<InstallResult[]> {
  const shared = await executableHooks(sharedDir);
  const own = (await fs.readdir(ownDir).catch(() => [] as string[])).filter((name) => !name.endsWith('.sample'));
  if (own.length) throw new InstallError(installMessages.ownHooksExist(ownDir, own, sharedDir));
  await fs.mkdir(ownDir, { recursive: true });
  const ours = new Set<HookName>(hooks.map((hook) => hook.name));
  const forwarded = shared.filter((name) => !ours.has(name as HookName));
  for (const name of forwarded) {
    await writeHookFile(path.join(ownDir, name), `#!/bin/sh\nexec ${shellWord(path.join(sharedDir, name))} "$@"\n`);
  }
  const results: InstallResult[] = [];
  for (const hook of hooks) {
    const chain = shared.includes(hook.name) ? `exec ${shellWord(path.join(sharedDir, hook.name))} "$@"\n` : '';
    const hookFile = path.join(ownDir, hook.name);
    await writeHookFile(hookFile, `#!/usr/bin/env sh\n${hook.git.join('\n')}\n${chain}`);
    results.push({ kind: 'git', hook: hook.name, hookFile, outcome: 'added', notes: [] });
  }
  await plumbing(repoRoot, ['config', '--local', 'core.hooksPath', ownDir]);
  results[0]?.notes.push(installMessages.perRepository(sharedDir, origin, ownDir, forwarded, [...ours]));
  return results;
}

/** The names of the executable hook files in `dir` (git runs no others). */
async function executableHooks(dir: string): Promise<string[]> {
  const names = await fs.readdir(dir).catch(() => [] as string[]);
  const hooks: string[] = [];
  for (const name of names.sort()) {
    if (name.endsWith('.sample') || name.startsWith('.')) continue;
    const file = path.join(dir, name);
    const stat = await fs.stat(file).catch(() => null);
    if (
      stat?.isFile() &&
      (await fs.access(file, constants.X_OK).then(
        () => true,
        () => false,
      ))
    )
      hooks.push(name);
  }
  return hooks;
}

/**
 * Puts `block` first in the hook (after the shebang and husky's old preamble line),
 * or creates the hook with it. Older leakguard lines elsewhere are removed when the
 * script still parses without them. `gitRunsIt`: git runs the file itself, so it
 * must be executable (one that was not never ran).
 */
async function addToHook(
  hookFile: string,
  hook: HookSpec,
  block: readonly string[],
  gitRunsIt: boolean,
): Promise<{ outcome: HookOutcome; notes: string[] }> {
  const stat = await fs.lstat(hookFile).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return null;
    throw error;
  });
  if (!stat) {
    await fs.mkdir(path.dirname(hookFile), { recursive: true });
    await writeHookFile(hookFile, `#!/usr/bin/env sh\n${block.join('\n')}\n`);
    return { outcome: 'added', notes: [] };
  }
  if (stat.isSymbolicLink()) {
    const target = await fs.readlink(hookFile).catch(() => '?');
    throw new InstallError(installMessages.symlink(hookFile, target, hook.name));
  }
  if (!stat.isFile()) throw new InstallError(installMessages.notAFile(hookFile));
  const bytes = await fs.readFile(hookFile);
  if (bytes.includes(0)) throw new InstallError(installMessages.binary(hookFile, hook.name));

  const lines = bytes.toString('utf8').split('\n');
  if (lines.at(-1) === '') lines.pop();
  const shell = shellOf(lines[0]);
  if (shell === null) throw new InstallError(installMessages.notShell(hookFile, interpreterName(lines[0]!), hook.name));
  const body = lines[0]?.startsWith('#!') ? 1 : 0;

  const notes: string[] = [];
  if (gitRunsIt && !(stat.mode & 0o111)) notes.push(installMessages.madeExecutable(hookFile));
  if (startsWithBlock(lines, body, block)) {
    if (notes.length) await fs.chmod(hookFile, 0o755);
    return { outcome: 'unchanged', notes };
  }

  const ours = [block, hook.git, ...hook.legacy];
  const cleaned = withoutBlocks(lines, body, ours);
  const removed = cleaned.length !== lines.length;
  let next = withBlock(cleaned, body, block);
  if (removed && !parses(shell, next)) {
    next = withBlock(lines, body, block);
    notes.push(installMessages.oldLineKept(firstBlockLine(next, body + block.length, ours) + 1));
  }
  await writeHookFile(hookFile, next.join('\n') + '\n');
  return { outcome: removed ? 'moved' : 'added', notes };
}

async function writeHookFile(file: string, content: string): Promise<void> {
  await writeFileAtomic(file, content, { mode: 0o755 });
  // An existing hook keeps its mode through the write; it must be executable to run.
  await fs.chmod(file, 0o755);
}

/**
 * The shell that runs the hook: from its shebang, or `sh` without one (git runs a
 * hook with no shebang through /bin/sh, and husky v9 runs its files with `sh -e`).
 * null when the first line names another interpreter.
 */
function shellOf(firstLine: string | undefined): string | null {
  if (!firstLine?.startsWith('#!')) return 'sh';
  const name = interpreterName(firstLine);
  return SHELLS.has(name) ? name : null;
}

function interpreterName(shebang: string): string {
  const words = shebang.slice(2).trim().split(/\s+/);
  let i = 0;
  if (path.basename(words[0] ?? '') === 'env') {
    i = 1;
    while (words[i]?.startsWith('-')) i++;
  }
  return path.basename(words[i] ?? '');
}

/** Lines before the first command that cannot skip anything: blank, comments, husky's preamble. */
function isPreamble(line: string): boolean {
  const text = line.trim();
  return text === '' || text.startsWith('#') || HUSKY_PREAMBLE.test(text);
}

function blockAt(lines: readonly string[], at: number, block: readonly string[]): boolean {
  return block.every((line, i) => lines[at + i]?.replace(/\r$/, '') === line);
}

/** True when `block` comes before any command of the hook. */
function startsWithBlock(lines: readonly string[], from: number, block: readonly string[]): boolean {
  for (let i = from; i < lines.length; i++) {
    if (blockAt(lines, i, block)) return true;
    if (!isPreamble(lines[i]!)) return false;
  }
  return false;
}

function firstBlockLine(lines: readonly string[], from: number, blocks: readonly (readonly string[])[]): number {
  for (let i = from; i < lines.length; i++) if (blocks.some((block) => blockAt(lines, i, block))) return i;
  return -1;
}

function withoutBlocks(lines: readonly string[], from: number, blocks: readonly (readonly string[])[]): string[] {
  const kept = lines.slice(0, from);
  for (let i = from; i < lines.length; ) {
    const block = blocks.find((b) => blockAt(lines, i, b));
    if (block) i += block.length;
    else kept.push(lines[i++]!);
  }
  return kept;
}

/** The block inserted after the shebang, or after husky's preamble line when that comes first. */
function withBlock(lines: readonly string[], body: number, block: readonly string[]): string[] {
  let at = body;
  let next = body;
  while (next < lines.length && lines[next]!.trim() === '') next++;
  if (next < lines.length && HUSKY_PREAMBLE.test(lines[next]!.trim())) at = next + 1;
  return [...lines.slice(0, at), ...block, ...lines.slice(at)];
}

/** Whether `shell -n` accepts the script (false when that shell is not installed). */
function parses(shell: string, lines: readonly string[]): boolean {
  const result = spawnSync(shell, ['-n'], { input: lines.join('\n') + '\n', stdio: ['pipe', 'ignore', 'ignore'], timeout: 10_000 });
  return result.status === 0;
}

/** The first line of a hook file `leakguard install` created. */
const CREATED_SHEBANG = '#!/usr/bin/env sh';

export type UninstallOutcome = 'removed' | 'deleted' | 'kept-unparsable';

export interface UninstallResult {
  hook: HookName;
  hookFile: string;
  outcome: UninstallOutcome;
}

/**
 * `leakguard uninstall`: takes out of the pre-commit and pre-push hooks (husky's
 * and git's own) exactly the blocks install writes, and the lines older versions
 * wrote; the rest of each hook stays as it is. A hook file left with nothing but
 * the shebang install writes when it creates one is deleted. A hook that is a
 * symbolic link is not read (install never writes through one), and one whose
 * script would no longer parse without the lines is left as it is and reported.
 */
export async function uninstallHooks(repoRoot: string, hooks: readonly HookSpec[] = HOOKS): Promise<UninstallResult[]> {
  const perRepository = await uninstallPerRepository(repoRoot, hooks);
  if (perRepository) return perRepository;
  const dirs = new Set<string>();
  if (await exists(path.join(repoRoot, '.husky'))) dirs.add(path.join(repoRoot, '.husky'));
  dirs.add(path.resolve(repoRoot, await plumbingText(repoRoot, ['rev-parse', '--git-path', 'hooks'])));
  const results: UninstallResult[] = [];
  for (const dir of dirs) {
    for (const hook of hooks) {
      const hookFile = path.join(dir, hook.name);
      const outcome = await removeFromHook(hookFile, hook);
      if (outcome) results.push({ hook: hook.name, hookFile, outcome });
    }
  }
  return results;
}

/**
 * The undo of installForThisRepository: when this repository's config sets
 * core.hooksPath to its own hooks folder (as install does beside a shared one),
 * the files install wrote there — leakguard's hooks, each chaining the shared one,
 * and the forwarders of the other shared hooks — are deleted when they are exactly
 * as written, and core.hooksPath is unset once the folder holds nothing else, so
 * the shared hooks apply again. undefined when install did not take that path.
 */
async function uninstallPerRepository(repoRoot: string, hooks: readonly HookSpec[]): Promise<UninstallResult[] | undefined> {
  const commonDir = path.resolve(repoRoot, await plumbingText(repoRoot, ['rev-parse', '--git-common-dir']));
  const ownDir = path.join(commonDir, 'hooks');
  const { stdout, code } = await plumbing(repoRoot, ['config', '--local', '--get', 'core.hooksPath'], { okCodes: [1] });
  if (code !== 0 || stdout.replace(/\n$/, '') !== ownDir) return undefined;
  const names = (await fs.readdir(ownDir).catch(() => [] as string[])).filter((name) => !name.endsWith('.sample')).sort();
  const results: UninstallResult[] = [];
  const forward = /^exec \S.* "\$@"$/;
  let kept = 0;
  for (const name of names) {
    const hookFile = path.join(ownDir, name);
    const stat = await fs.lstat(hookFile);
    const lines = stat.isFile() ? (await fs.readFile(hookFile, 'utf8')).split('\n') : [];
    if (lines.at(-1) === '') lines.pop();
    const hook = hooks.find((h) => h.name === name);
    const ours =
      hook &&
      lines[0] === CREATED_SHEBANG &&
      blockAt(lines, 1, hook.git) &&
      (lines.length === 1 + hook.git.length || (lines.length === 2 + hook.git.length && forward.test(lines.at(-1)!)));
    const forwarder = lines.length === 2 && lines[0] === '#!/bin/sh' && forward.test(lines[1]!);
    if (ours || forwarder) {
      await fs.rm(hookFile);
      if (hook) results.push({ hook: hook.name, hookFile, outcome: 'deleted' });
    } else {
      const outcome = hook ? await removeFromHook(hookFile, hook) : undefined;
      if (outcome) results.push({ hook: hook!.name, hookFile, outcome });
      kept++;
    }
  }
  if (kept === 0) await plumbing(repoRoot, ['config', '--local', '--unset', 'core.hooksPath']);
  return results;
}

async function removeFromHook(hookFile: string, hook: HookSpec): Promise<UninstallOutcome | undefined> {
  const stat = await fs.lstat(hookFile).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return null;
    throw error;
  });
  if (!stat?.isFile()) return undefined;
  const ours = [hook.husky, hook.git, ...hook.legacy];
  const bytes = await fs.readFile(hookFile);
  if (bytes.includes(0)) return undefined;
  const lines = bytes.toString('utf8').split('\n');
  if (lines.at(-1) === '') lines.pop();
  const body = lines[0]?.startsWith('#!') ? 1 : 0;
  const cleaned = withoutBlocks(lines, body, ours);
  if (cleaned.length === lines.length) return undefined;
  if (cleaned.length === 1 && cleaned[0] === CREATED_SHEBANG) {
    await fs.rm(hookFile);
    return 'deleted';
  }
  const shell = shellOf(lines[0]);
  if (shell === null || !parses(shell, cleaned)) return 'kept-unparsable';
  await writeFileAtomic(hookFile, cleaned.length ? `${cleaned.join('\n')}\n` : '');
  return 'removed';
}
