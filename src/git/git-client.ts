/**
 * leakguard's short git calls outside the streaming sources, through simple-git:
 * the fix's index and blob plumbing, undo and cleanup, install and uninstall, the
 * audit's blobs, finding a bare repository. The streaming `git diff`/`git log`
 * readers (src/sources/) keep their spawn-based runner (run-git.ts), because
 * simple-git buffers a command's whole output; so does the hooks' path (repository
 * discovery, the interrupted-fix check), which must never load simple-git: it
 * lives in dist/full.cjs, and loading it cost every commit more CPU than the rest
 * of the hook's start (bench/perf/README.md). test/e2e/fix-git.test.ts checks the
 * built hot-path bundle.
 *
 * Same defences as run-git.ts: the SAFE_GIT_CONFIG flags, no terminal prompt,
 * LC_ALL=C, and the caller's own GIT_* variables kept (simple-git strips them
 * unless named: inside a commit hook GIT_INDEX_FILE is the index to edit).
 * Failures become our GitError with git's exit code.
 *
 * simple-git waits 50 ms after a git process that printed nothing, so callers
 * choose flags that make git say something (`update-index --verbose`,
 * `ls-files --error-unmatch`, `cat-file -t`, `check-ignore -v -n`).
 */
import type { SimpleGit } from 'simple-git';
import { GitError } from '../errors.js';
import { SAFE_GIT_CONFIG } from './run-git.js';

export interface PlumbingOptions {
  /** Exit codes that are not failures (e.g. 1 for `check-ignore`). */
  okCodes?: readonly number[];
  /** Written to git's stdin. */
  input?: Buffer | string;
}

export interface PlumbingResult<T> {
  stdout: T;
  code: number;
}

/**
 * simple-git refuses to run when the environment sets things like
 * GIT_CONFIG_GLOBAL, EDITOR or GIT_SSH_COMMAND: a guard for programs that pass
 * untrusted input to git. Here the arguments are fixed plumbing commands with
 * literal paths after `--`, and the environment is the user's own, which plain
 * git (and run-git.ts) honours: the guard is turned off so both behave alike.
 */
const TRUST_CALLER_ENVIRONMENT = Object.fromEntries(
  [
    'Alias',
    'AskPass',
    'CommandBinaries',
    'ConfigEnvCount',
    'ConfigPaths',
    'CredentialHelper',
    'DiffExternal',
    'DiffTextConv',
    'Editor',
    'Exec',
    'Filter',
    'FsMonitor',
    'GitProxy',
    'GpgProgram',
    'HooksPath',
    'Include',
    'MergeDriver',
    'Pack',
    'Pager',
    'ProtocolOverride',
    'SshCommand',
    'Submodule',
    'TemplateDir',
    'UrlRewrite',
  ].map((name) => [`allowUnsafe${name}`, true]),
);

/** `-c` values of SAFE_GIT_CONFIG, as simple-git's `config` option takes them. */
const CONFIG = SAFE_GIT_CONFIG.filter((_, i) => i % 2 === 1);

/** Loaded on first use, so commands that never call git through here do not pay for simple-git. */
let simpleGitModule: Promise<typeof import('simple-git')> | undefined;

async function client(cwd: string, args: readonly string[], options: PlumbingOptions, exit: { code: number }): Promise<SimpleGit> {
  const { simpleGit } = await (simpleGitModule ??= import('simple-git'));
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) if (value !== undefined) env[key] = value;
  Object.assign(env, { GIT_TERMINAL_PROMPT: '0', LC_ALL: 'C' });
  const input = options.input;
  return simpleGit({
    baseDir: cwd,
    config: CONFIG,
    allowEnvironment: Object.keys(env),
    unsafe: TRUST_CALLER_ENVIRONMENT,
    input: input === undefined ? undefined : () => input,
    errors: (error, result) => {
      exit.code = result.exitCode;
      const stderr = Buffer.concat(result.stdErr).toString('utf8');
      if (error instanceof Error && result.exitCode <= 0 && !stderr)
        return new GitError(args, null, error.message, `cannot run git: ${error.message}`);
      if (result.exitCode === 0 || options.okCodes?.includes(result.exitCode)) return undefined;
      return new GitError(args, result.exitCode, stderr);
    },
  }).env(env);
}

/** Runs a plumbing command; stdout as text. */
export async function plumbing(cwd: string, args: readonly string[], options: PlumbingOptions = {}): Promise<PlumbingResult<string>> {
  const exit = { code: 0 };
  const stdout = await (await client(cwd, args, options, exit)).raw([...args]);
  return { stdout, code: exit.code };
}

/** Runs a plumbing command; stdout as text without its trailing newline. */
export async function plumbingText(cwd: string, args: readonly string[], options: PlumbingOptions = {}): Promise<string> {
  return (await plumbing(cwd, args, options)).stdout.replace(/\n$/, '');
}

/** `git cat-file ARGS`, its output byte for byte (any encoding, binary included). */
export async function catFile(cwd: string, args: readonly string[], options: PlumbingOptions = {}): Promise<Buffer> {
  return (await (await client(cwd, ['cat-file', ...args], options, { code: 0 })).binaryCatFile([...args])) as Buffer;
}

/** `git cat-file blob SHA`, byte for byte (any encoding, binary included). */
export async function catBlob(cwd: string, sha: string): Promise<Buffer> {
  return catFile(cwd, ['blob', sha]);
}

/**
 * `git rev-parse ARGS` in `cwd`: its output without the trailing newline, or
 * undefined when git answers with a failure (not a repository). A git that cannot
 * be run at all is a GitError, as with the spawn runner.
 */
export async function revParse(cwd: string, args: readonly string[]): Promise<string | undefined> {
  try {
    return await plumbingText(cwd, ['rev-parse', ...args]);
  } catch (error) {
    if (error instanceof GitError && error.code !== null) return undefined;
    throw error;
  }
}
