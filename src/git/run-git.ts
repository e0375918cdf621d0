import { spawn, spawnSync } from 'node:child_process';
import { GitError } from '../errors.js';

/**
 * Configuration pinned on every git call, so that the user's (or a pull request's)
 * git configuration cannot change the output we parse. Each entry is an option git
 * documents as changing what diff, log or ls-files print:
 * - paths: `core.quotePath` (octal-quoted names), `diff.noprefix`,
 *   `diff.mnemonicPrefix`, `diff.srcPrefix`/`diff.dstPrefix` (git 2.45+; older
 *   gits ignore unknown keys), `diff.relative` (paths relative to the current folder);
 * - what is shown: `diff.submodule` (log/diff print a submodule with no
 *   `diff --git` header), `diff.ignoreSubmodules`, `diff.suppressBlankEmpty` (an empty
 *   context line loses its marker), `diff.interHunkContext` and `diff.context`
 *   (context lines under -U0), `diff.renames` (copies);
 * - colour: `color.ui`, `color.diff` (escape codes in the patch),
 *   `diff.colorMoved`, `diff.wsErrorHighlight`;
 * - log: `log.showSignature` (gpg output inside the stream), `log.showRoot`,
 *   `log.abbrevCommit`, `log.decorate`, `i18n.logOutputEncoding`
 *   (authors re-encoded away from UTF-8);
 * - `core.pager`.
 * Not here because a flag on every diff/log call covers them (DIFF_OUTPUT_FLAGS):
 * `diff.external` (--no-ext-diff), textconv drivers (--no-textconv),
 * `submodule.<name>.ignore` (--ignore-submodules=none overrides it), `core.abbrev` (--no-abbrev),
 * `diff.orderFile` (-O/dev/null; order does not matter anyway: patches are
 * paired with records by path), `format.pretty` (--format), `diff.algorithm`
 * and `diff.indentHeuristic` (they change hunk shapes, never which lines are added).
 * Attributes (`-diff`, `binary`, `diff.<driver>.binary`) and `core.bigFileThreshold`
 * make git print "Binary files differ": the sources then read the blob themselves.
 * `status.submoduleSummary` and `core.hooksPath` change nothing we run.
 */
export const SAFE_GIT_CONFIG = [
  '-c',
  'core.quotePath=false',
  '-c',
  'core.pager=cat',
  '-c',
  'color.ui=false',
  '-c',
  'color.diff=false',
  '-c',
  'diff.noprefix=false',
  '-c',
  'diff.mnemonicPrefix=false',
  '-c',
  'diff.srcPrefix=a/',
  '-c',
  'diff.dstPrefix=b/',
  '-c',
  'diff.relative=false',
  '-c',
  'diff.submodule=short',
  '-c',
  'diff.ignoreSubmodules=none',
  '-c',
  'diff.suppressBlankEmpty=false',
  '-c',
  'diff.interHunkContext=0',
  '-c',
  'diff.context=0',
  '-c',
  'diff.renames=true',
  '-c',
  'diff.colorMoved=no',
  '-c',
  'diff.wsErrorHighlight=none',
  '-c',
  'log.showSignature=false',
  '-c',
  'log.showRoot=true',
  '-c',
  'log.abbrevCommit=false',
  '-c',
  'log.decorate=no',
  '-c',
  'i18n.logOutputEncoding=UTF-8',
] as const;

/**
 * Flags for every `git diff` and `git log -p` leakguard runs, after SAFE_GIT_CONFIG:
 * the command-line forms of the same pins (they win over any configuration) and the
 * ones that exist only as flags.
 */
export const DIFF_OUTPUT_FLAGS = [
  '--no-ext-diff',
  '--no-textconv',
  '--no-color',
  '--ignore-submodules=none',
  '--submodule=short',
  '--src-prefix=a/',
  '--dst-prefix=b/',
  '--no-relative',
  '--no-abbrev',
  '--encoding=UTF-8',
  '-O/dev/null',
] as const;

export interface GitRunOptions {
  cwd: string;
  /** Written to git's stdin, then closed. */
  input?: string | Buffer;
  /** Exit codes that are not failures (e.g. 1 for `check-ignore`). */
  okCodes?: number[];
  env?: NodeJS.ProcessEnv;
  /** Kills a streamed git process when aborted (a scan that stops early on an error elsewhere). */
  signal?: AbortSignal;
}

export interface GitResult {
  stdout: Buffer;
  stderr: string;
  code: number;
}

/** Runs git to completion, collecting stdout as bytes. For small outputs only. */
export function runGit(args: readonly string[], options: GitRunOptions): Promise<GitResult> {
  return new Promise((resolve, reject) => {
    const child = spawn('git', [...SAFE_GIT_CONFIG, ...args], {
      cwd: options.cwd,
      env: gitEnv(options),
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => err.push(chunk));
    child.on('error', (e) => reject(cannotRun(args, e)));
    child.on('close', (code) => {
      const stderr = Buffer.concat(err).toString('utf8');
      const failure = exitFailure(args, code, stderr, options);
      if (failure) reject(failure);
      else resolve({ stdout: Buffer.concat(out), stderr, code: code ?? -1 });
    });
    child.stdin.on('error', () => undefined); // git may exit before reading all input
    child.stdin.end(options.input ?? '');
  });
}

/** Runs git and returns stdout as text with the trailing newline removed. */
export async function gitText(args: readonly string[], options: GitRunOptions): Promise<string> {
  const { stdout } = await runGit(args, options);
  return stdout.toString('utf8').replace(/\n$/, '');
}

/**
 * Streams git's stdout chunk by chunk, so large outputs (history, huge diffs)
 * are never held in memory whole. Throws GitError after the stream ends if git failed.
 * git starts on the first read.
 */
export async function* streamGit(args: readonly string[], options: GitRunOptions): AsyncGenerator<Buffer> {
  const git = startGit(args, options);
  try {
    yield* git.chunks;
  } finally {
    git.stop();
  }
}

export interface StartedGit {
  /** git's stdout; throws GitError after the last chunk if git failed. */
  chunks: AsyncGenerator<Buffer>;
  /** Kills git if it is still running (a scan that failed before reading it). */
  stop(): void;
}

/**
 * Starts git now, so it runs while the caller prepares to read its output (the
 * hook loads its rules while `git diff` works on the other core). The caller
 * must read `chunks` to the end or call `stop()`.
 */
export function startGit(args: readonly string[], options: GitRunOptions): StartedGit {
  const git = spawnStreaming(args, options, options.input === undefined ? 'ignore' : 'pipe');
  if (options.input !== undefined) git.child.stdin!.end(options.input);
  return {
    chunks: git.chunks,
    stop: () => {
      if (git.running()) git.child.kill();
    },
  };
}

export interface GitSession {
  /** Writes to git's stdin (kept open until stop()). */
  write(text: string): void;
  /** git's stdout; throws GitError after the last chunk if git failed. */
  chunks: AsyncIterator<Buffer>;
  /** Closes git's stdin (git then exits) and kills it if it still runs. */
  stop(): void;
}

/** Starts a git process that answers requests on its stdin (`cat-file --batch`). */
export function startGitSession(args: readonly string[], options: GitRunOptions): GitSession {
  const git = spawnStreaming(args, options, 'pipe');
  return {
    write: (text) => void git.child.stdin!.write(text),
    chunks: git.chunks,
    stop: () => {
      git.child.stdin!.end();
      if (git.running()) git.child.kill();
    },
  };
}

/**
 * The one place a streamed git process is spawned: stderr is kept for the error,
 * stdout is read as chunks, and after the last chunk a spawn failure or a bad exit
 * code is thrown as a GitError.
 */
function spawnStreaming(args: readonly string[], options: GitRunOptions, stdin: 'pipe' | 'ignore') {
  const child = spawn('git', [...SAFE_GIT_CONFIG, ...args], {
    cwd: options.cwd,
    env: gitEnv(options),
    stdio: [stdin, 'pipe', 'pipe'],
    signal: options.signal,
  });
  const err: Buffer[] = [];
  child.stderr!.on('data', (chunk: Buffer) => err.push(chunk));
  child.stdin?.on('error', () => undefined);
  let spawnError: Error | undefined;
  let running = true;
  const closed = new Promise<number | null>((resolve) => {
    child.on('error', (e) => {
      spawnError = e;
      running = false;
      resolve(null);
    });
    child.on('close', (code) => {
      running = false;
      resolve(code);
    });
  });
  async function* read(): AsyncGenerator<Buffer> {
    for await (const chunk of child.stdout!) yield chunk as Buffer;
    const code = await closed;
    if (spawnError) throw cannotRun(args, spawnError);
    const failure = exitFailure(args, code, Buffer.concat(err).toString('utf8'), options);
    if (failure) throw failure;
  }
  return { child, chunks: read(), running: () => running };
}

/**
 * Runs git to completion in one blocking call when its output is at most
 * `maxBytes`: for a small output that costs the hook less than a child with
 * streamed pipes (bench/perf/README.md). Returns
 * undefined when the output is larger (git is stopped at the limit): stream it then.
 */
export function runGitUpTo(args: readonly string[], options: GitRunOptions, maxBytes: number): StartedGit | undefined {
  const result = runGitHead(args, options, maxBytes);
  return result.complete ? result.git : undefined;
}

/**
 * runGitUpTo, and when git's output is larger than `maxBytes` (git is then stopped),
 * the start of that output (`head`: `maxBytes` or a little more), for a caller that
 * can go on from there instead of running git again from the start.
 */
export function runGitHead(
  args: readonly string[],
  options: GitRunOptions,
  maxBytes: number,
): { complete: true; git: StartedGit } | { complete: false; head: Buffer } {
  const result = spawnSync('git', [...SAFE_GIT_CONFIG, ...args], {
    cwd: options.cwd,
    env: gitEnv(options),
    input: options.input,
    stdio: [options.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
    maxBuffer: maxBytes,
  });
  const error = result.error as NodeJS.ErrnoException | undefined;
  if (error?.code === 'ENOBUFS') return { complete: false, head: result.stdout ?? Buffer.alloc(0) };
  async function* read(): AsyncGenerator<Buffer> {
    if (error) throw cannotRun(args, error);
    if (result.stdout.length) yield result.stdout;
    const failure = exitFailure(args, result.status, result.stderr.toString('utf8'), options);
    if (failure) throw failure;
  }
  return { complete: true, git: { chunks: read(), stop: () => undefined } };
}

function cannotRun(args: readonly string[], error: Error): GitError {
  return new GitError(args, null, error.message, `cannot run git: ${error.message}`);
}

/** The error for git's exit code (null: killed by a signal), or undefined when the code is a success. */
function exitFailure(args: readonly string[], code: number | null, stderr: string, options: GitRunOptions): GitError | undefined {
  const exit = code ?? -1;
  return exit === 0 || (options.okCodes ?? []).includes(exit) ? undefined : new GitError(args, code, stderr);
}

function gitEnv(options: GitRunOptions): NodeJS.ProcessEnv {
  return { ...process.env, ...options.env, GIT_TERMINAL_PROMPT: '0', LC_ALL: 'C' };
}

/** Splits NUL-terminated git output (`-z`) into fields; a trailing empty field is dropped. */
export function splitNul(output: Buffer | string): string[] {
  const text = typeof output === 'string' ? output : output.toString('utf8');
  const fields = text.split('\0');
  if (fields.length && fields[fields.length - 1] === '') fields.pop();
  return fields;
}
