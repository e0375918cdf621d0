import { createReadStream, type Dirent, lstatSync } from 'node:fs';
import { readdir, realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import { InputError, UnsafeFileError } from '../errors.js';
import { readBoundedFile } from '../fs/bounded-read.js';
import { runGit, splitNul } from '../git/run-git.js';
import { blobFragments } from './blob-reader.js';
import { decodeText, sniffEncoding } from './decode-text.js';
import { contiguousFragment, type Fragment } from './fragment.js';
import { diskFolder, LockfileCheck, mayBeLockfile } from './lockfiles.js';
import type { ProgressCallback, Source, SourceOptions } from './source.js';
import { pathSkipReason, type SkipReason, type SourceStats } from './source-stats.js';

/** `leakguard scan PATH...`. */
export function treeSource(paths: readonly string[]): Source {
  return {
    kind: 'paths',
    label: 'files',
    addedLinesOnly: false,
    needsRepo: false,
    // A worker made it slower, both with the old parallel reads and with the synchronous
    // reads (bench/perf/README.md, "Timings behind design choices").
    detectInWorker: false,
    commitOrdered: false,
    reportsProgress: true,
    fragments: (context) => treeFragments(paths, context),
    close() {},
  };
}

/**
 * `leakguard scan PATH...`: whole files. Inside a repository, the tracked and
 * untracked-not-ignored files under PATH, named relative to the repository root;
 * outside one (or for a PATH outside the current repository), a plain directory
 * walk named relative to PATH that skips `.git`, `node_modules` and symlinks.
 * Files are read one after another, synchronously, and yielded in a stable
 * order. Binary files are read for their text runs, UTF-16/32 decoded, and files
 * over `maxFileBytes` streamed in bounded pieces: nothing is skipped for its content.
 */
export interface TreeOptions extends SourceOptions {
  cwd: string;
  repoRoot?: string;
  stats: SourceStats;
  progress?: ProgressCallback;
  /** Larger files are streamed in pieces instead of read whole (default 50 MB). */
  maxFileBytes?: number;
}

export const MAX_FILE_BYTES = 50 * 1024 * 1024;
const SKIPPED_DIRECTORIES = new Set(['.git', 'node_modules']);
const PROGRESS_INTERVAL_MS = 100;

export const treeMessages = {
  missing: (p: string): string => `cannot read ${p}: no such file or directory`,
  unreadable: (p: string, code: string | undefined): string => `cannot read ${p} (${code ?? 'error'})`,
  unreadableFile: (code: string | undefined): string => `cannot be read (${code ?? 'error'})`,
} as const;

interface TreeFile {
  /** POSIX path reported in findings. */
  name: string;
  absolute: string;
}

export async function* treeFragments(paths: readonly string[], options: TreeOptions): AsyncGenerator<Fragment> {
  const { stats } = options;
  const files = await listFiles(paths, options);
  const total = files.length;
  const maxBytes = options.maxFileBytes ?? MAX_FILE_BYTES;

  let lastProgress = 0;
  const report = (done: number, force: boolean): void => {
    if (!options.progress) return;
    const now = Date.now();
    if (!force && now - lastProgress < PROGRESS_INTERVAL_MS) return;
    lastProgress = now;
    options.progress(done, total, 'files');
  };

  for (let done = 1; done <= total; done++) {
    const result = readTreeFile(files[done - 1]!, maxBytes);
    if (result.kind === 'bytes') {
      stats.fileRead();
      yield* blobFragments(result.chunks(), {
        path: result.file.name,
        origin: 'tree',
        stats,
        onEncoding: (encoding) => {
          if (encoding === 'binary') stats.readAsBinary();
        },
      });
    } else {
      const fragment = account(result, stats);
      if (fragment) yield fragment;
    }
    report(done, false);
  }
  report(total, true);
}

type ReadResult =
  | { kind: 'text'; file: TreeFile; text: string; bytes: number }
  /** Read by its bytes (binary, or too large to hold): streamed through blobFragments. */
  | { kind: 'bytes'; file: TreeFile; chunks: () => AsyncIterable<Buffer> | Iterable<Buffer> }
  | { kind: 'skipped'; file: TreeFile; skip: SkipReason; reason?: string }
  | { kind: 'gone'; file: TreeFile };

function account(result: Exclude<ReadResult, { kind: 'bytes' }>, stats: SourceStats): Fragment | undefined {
  switch (result.kind) {
    case 'skipped':
      stats.skipped(result.skip, 1, result.reason ? { file: result.file.name, reason: result.reason } : undefined);
      return undefined;
    case 'gone':
      return undefined;
    case 'text': {
      stats.textRead(result.text, result.bytes);
      const text = result.text.endsWith('\n') ? result.text.slice(0, -1) : result.text;
      return text.length ? contiguousFragment(result.file.name, text, 'tree') : undefined;
    }
  }
}

/**
 * Never throws: a file that vanished or cannot be read is skipped, not fatal.
 * Synchronous: a file of the page cache costs a few microseconds of system calls,
 * less than the promises of an asynchronous read (bench/perf/README.md, "Timings
 * behind design choices"). lstat first, so that a device or FIFO is never opened;
 * then readBoundedFile opens with O_NOFOLLOW and O_NONBLOCK and checks the type
 * again on the descriptor, so a file swapped for a link or a FIFO meanwhile is not followed.
 */
function readTreeFile(file: TreeFile, maxBytes: number): ReadResult {
  try {
    const info = lstatSync(file.absolute);
    // A tracked folder is a submodule's (gitlink); a FIFO, socket or device is no text.
    if (!info.isFile())
      return { kind: 'skipped', file, skip: info.isSymbolicLink() ? 'link' : info.isDirectory() ? 'submodule' : 'special' };
    if (info.size > maxBytes) return { kind: 'bytes', file, chunks: () => readStream(file) };
    const data = readBoundedFile(file.absolute, { maxBytes, followSymlinks: false, name: file.name });
    if (sniffEncoding(data).encoding === 'binary') return { kind: 'bytes', file, chunks: () => [data] };
    return { kind: 'text', file, text: decodeText(data)!, bytes: data.length };
  } catch (error) {
    if (error instanceof UnsafeFileError) {
      // Changed since the lstat: grown past the limit (streamed), or swapped for a link or a special file.
      if (error.kind === 'too-large') return { kind: 'bytes', file, chunks: () => readStream(file) };
      return { kind: 'skipped', file, skip: error.kind === 'not-regular' ? 'special' : 'link' };
    }
    const code = (error as NodeJS.ErrnoException).code;
    // Tracked but deleted from the work tree: nothing to scan there.
    if (code === 'ENOENT') return { kind: 'gone', file };
    return { kind: 'skipped', file, skip: 'unreadable', reason: treeMessages.unreadableFile(code) };
  }
}

/** A large file, chunk by chunk; an error while streaming is a file not read, which fails the scan. */
async function* readStream(file: TreeFile): AsyncGenerator<Buffer> {
  try {
    for await (const chunk of createReadStream(file.absolute, { highWaterMark: 1 << 20 })) yield chunk as Buffer;
  } catch (error) {
    throw new InputError(treeMessages.unreadable(file.name, (error as NodeJS.ErrnoException).code));
  }
}

/** Every file to read, deduplicated, in a stable order; skipped paths are counted here. */
async function listFiles(paths: readonly string[], options: TreeOptions): Promise<TreeFile[]> {
  const files = new Map<string, TreeFile>();
  const repoRoot = options.repoRoot ? await realpath(options.repoRoot) : undefined;
  for (const given of paths) {
    const absolute = path.resolve(options.cwd, given);
    let real: string;
    try {
      real = await realpath(absolute);
      await stat(real);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      throw new InputError(code === 'ENOENT' ? treeMessages.missing(given) : treeMessages.unreadable(given, code));
    }
    const inRepo = repoRoot !== undefined && isInside(repoRoot, real);
    const listed = inRepo ? await gitFiles(repoRoot, real) : await walkFiles(real);
    // Lockfiles are skipped only beside their manifest, on disk, in the folder names are relative to.
    const base = inRepo ? repoRoot : (await stat(real)).isDirectory() ? real : path.dirname(real);
    const lockfiles = options.skipLockfiles !== false ? new LockfileCheck(diskFolder(base)) : undefined;
    for (const file of listed) {
      if (files.has(file.name)) continue;
      const reason =
        options.skipReason?.(file.name) ?? (lockfiles && mayBeLockfile(file.name) ? await lockfiles.reason(file.name) : undefined);
      if (reason) {
        options.stats.skipped(pathSkipReason(reason));
        continue;
      }
      files.set(file.name, file);
    }
  }
  return [...files.values()];
}

function isInside(root: string, target: string): boolean {
  const relative = path.relative(root, target);
  return relative === '' || (!relative.startsWith('..') && !path.isAbsolute(relative));
}

/** Tracked and untracked-not-ignored files under `target`, named relative to the repository root. */
async function gitFiles(repoRoot: string, target: string): Promise<TreeFile[]> {
  const pathspec = path.relative(repoRoot, target).split(path.sep).join('/') || '.';
  const { stdout } = await runGit(
    ['--literal-pathspecs', 'ls-files', '-z', '--cached', '--others', '--exclude-standard', '--full-name', '--', pathspec],
    { cwd: repoRoot },
  );
  // git's names are normalised (no `.`, `..` or empty parts): on POSIX a concatenation is
  // the path.join, without its ~5 µs a name (25 ms on 5,000 files).
  const prefix = repoRoot.endsWith(path.sep) ? repoRoot : repoRoot + path.sep;
  const absolute =
    path.sep === '/' ? (name: string): string => prefix + name : (name: string): string => path.join(repoRoot, ...name.split('/'));
  return splitNul(stdout).map((name) => ({ name, absolute: absolute(name) }));
}

/** A plain walk of `target` (a folder or one file), named relative to it. Symlinks are never followed. */
async function walkFiles(target: string): Promise<TreeFile[]> {
  const info = await stat(target);
  if (!info.isDirectory()) return [{ name: path.basename(target), absolute: target }];
  const files: TreeFile[] = [];
  const visit = async (relative: string): Promise<void> => {
    let entries: Dirent[];
    try {
      entries = await readdir(relative ? path.join(target, relative) : target, { withFileTypes: true });
    } catch {
      return; // an unreadable folder: nothing in it can be listed
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of entries) {
      const name = relative ? `${relative}/${entry.name}` : entry.name;
      if (entry.isDirectory()) {
        if (!SKIPPED_DIRECTORIES.has(entry.name)) await visit(name);
      } else if (entry.isFile() || entry.isSymbolicLink()) {
        // Symlinks are listed so that reading them (with lstat) counts them as skipped.
        if (entry.name !== '.git') files.push({ name, absolute: path.join(target, ...name.split('/')) });
      }
    }
  };
  await visit('');
  return files;
}
