import { GitOutputError } from '../errors.js';
import { DIFF_OUTPUT_FLAGS, streamGit } from '../git/run-git.js';
import { BlobReader, blobFragments, KNOWN_MAX_BYTES, knownLines } from './blob-reader.js';
import type { Fragment } from './fragment.js';
import { streamLines } from './git-output/line-stream.js';
import { indexFolder, LockfileCheck, mayBeLockfile, type FolderNames } from './lockfiles.js';
import { PatchParser, type FilePatch } from './git-output/patch-parser.js';
import { parseRawRecords, type RawEntry } from './git-output/raw-records.js';
import { countSkipped, pathSkipReason, type ScanStats, type SkipReason } from './source-stats.js';

/** The diff of the index against HEAD (or the empty tree before the first commit). */
export const STAGED_DIFF_ARGS = [
  'diff', '--cached', '--raw', '-z', '-p', '-U0', ...DIFF_OUTPUT_FLAGS,
  // Renames, not copies (as for history): copy detection costs git a third more on
  // large changes, and a copy's lines are then scanned as the new file they are.
  '--find-renames',
] as const;

const GITLINK_MODE = '160000';
const SYMLINK_MODE = '120000';
const NO_BLOB = /^0+$/;

export interface SourceOptions {
  /** Why a path is not read at all (allowlisted), or undefined. */
  skipReason?: (path: string) => string | undefined;
  /** Skip lockfiles that sit beside their manifest (default true; `skipLockfiles` in .leakguard.json). */
  skipLockfiles?: boolean;
}

/** What reading one diff needs beyond its bytes. */
export interface DiffContext {
  /** Reads the blobs of files git showed as binary (or with NUL bytes). */
  blobs: BlobReader;
  /** The folders of the source the diff leads to (the index, the commit), for lockfiles. */
  folder: FolderNames;
}

/**
 * Yields the added lines of every staged file. Only the index is read, never the
 * working tree. `diff`: the output of `git STAGED_DIFF_ARGS`, when the caller started it early.
 */
export async function* stagedFragments(
  repoRoot: string,
  stats: ScanStats,
  options: SourceOptions = {},
  diff: AsyncIterable<Buffer> = streamGit(STAGED_DIFF_ARGS, { cwd: repoRoot }),
): AsyncGenerator<Fragment> {
  const blobs = new BlobReader(repoRoot);
  try {
    yield* diffFragments(diff, stats, options, 'staged', { blobs, folder: indexFolder(repoRoot) });
  } finally {
    blobs.close();
  }
}

/**
 * Pairs the patches of a `--raw -z -p` diff with its NUL-separated records, so
 * paths come verbatim from the records and quoted header paths are never parsed;
 * each patch's header is checked against its record's path, so a patch git printed
 * without a header (or an extra one) stops the scan instead of shifting every file
 * after it onto the wrong record. Files git shows as binary, or with NUL bytes in
 * their added lines, are read from their blobs (blob-source.ts).
 */
export async function* diffFragments(
  chunks: AsyncIterable<Buffer>,
  stats: ScanStats,
  options: SourceOptions,
  origin: Fragment['origin'],
  context: DiffContext,
): AsyncGenerator<Fragment> {
  let entries: RawEntry[] | undefined;
  let patchToEntry: number[] = [];
  let skipped = new Map<string, string>();
  let prepared = false;
  const ready: Fragment[] = [];
  const fromBlobs = new Set<RawEntry>();
  const readRecords = (text: string, ended: boolean): number => {
    const parsed = parseRawRecords(text);
    if (!parsed.complete && !ended) return -1;
    entries = parsed.entries;
    patchToEntry = mapPatchesToEntries(entries);
    // One NUL separates the records from the patches.
    return text[parsed.offset] === '\0' ? parsed.offset + 1 : parsed.offset;
  };
  /** Lockfiles need a look at their folder: decided once the records are in, before any patch. */
  const prepare = async (): Promise<void> => {
    prepared = true;
    if (!entries) return;
    if (options.skipLockfiles !== false) {
      const lockfiles = entries.filter((e) => isReadable(e) && mayBeLockfile(e.path) && !options.skipReason?.(e.path)).map((e) => e.path);
      if (lockfiles.length) skipped = await new LockfileCheck(context.folder).reasons(lockfiles);
    }
    countFiles(entries, stats, (path) => options.skipReason?.(path) ?? skipped.get(path));
  };
  const parser = new PatchParser((patch) => {
    const entry = entries?.[patchToEntry[patch.index] ?? -1];
    checkPairing(patch, entry);
    if (!entry || !isReadable(entry) || options.skipReason?.(entry.path) || skipped.has(entry.path)) return;
    if (patch.binary || patch.nul) {
      fromBlobs.add(entry);
      return;
    }
    const fragment = toFragment(patch, entry, stats, origin);
    if (fragment) ready.push(fragment);
  });
  for await (const lines of streamLines(chunks, readRecords)) {
    if (!prepared) await prepare();
    for (const line of lines) parser.line(line);
    if (ready.length) yield* ready.splice(0);
  }
  if (!prepared) await prepare();
  parser.end();
  if (parser.files !== patchToEntry.length) {
    const missing = entries?.[patchToEntry[parser.files] ?? patchToEntry[patchToEntry.length - 1] ?? -1];
    throw new GitOutputError(missing?.path ?? '(diff)', `git printed ${parser.files} patches for ${patchToEntry.length} changed files`);
  }
  yield* ready.splice(0);
  for (const entry of fromBlobs) yield* entryFromBlob(entry, stats, origin, context.blobs);
}

/**
 * A file read from its blob: its lines that are not in the previous version (a
 * rename's or copy's source included) are the added ones.
 */
async function* entryFromBlob(entry: RawEntry, stats: ScanStats, origin: Fragment['origin'], blobs: BlobReader): AsyncGenerator<Fragment> {
  const known = entry.status === 'A' || NO_BLOB.test(entry.srcSha) || entry.srcMode === GITLINK_MODE
    ? undefined
    : await previousLines([entry.srcSha], entry.path, blobs);
  yield* readBlob(entry.dstSha, entry.path, stats, origin, blobs, known);
}

/** The lines of earlier versions of a file (undefined when one is too large to hold: every line is then new). */
export async function previousLines(shas: readonly string[], file: string, blobs: BlobReader): Promise<Set<string> | undefined> {
  const known = new Set<string>();
  for (const sha of shas) {
    if (NO_BLOB.test(sha)) continue;
    const blob = await blobs.open(sha, file);
    if (blob.size > KNOWN_MAX_BYTES) {
      await blob.chunks.return(undefined);
      return undefined;
    }
    for (const line of await knownLines(blob.chunks)) known.add(line);
  }
  return known;
}

/** Streams one blob's new lines as fragments; a binary blob is counted as such (its text runs are read). */
export async function* readBlob(
  sha: string,
  file: string,
  stats: ScanStats,
  origin: Fragment['origin'],
  blobs: BlobReader,
  known: ReadonlySet<string> | undefined,
): AsyncGenerator<Fragment> {
  const blob = await blobs.open(sha, file);
  yield* blobFragments(blob.chunks, {
    path: file,
    origin,
    stats,
    known,
    onEncoding: (encoding) => {
      if (encoding !== 'binary') return;
      stats.files--;
      stats.binaryFiles++;
    },
  });
}

/** Fails closed when a patch's `diff --git` header does not name its record's path. */
function checkPairing(patch: FilePatch, entry: RawEntry | undefined): void {
  if (!entry) throw new GitOutputError(headerPath(patch.header), 'git printed a patch with no matching changed file');
  const expected = `diff --git ${quoteCPath(`a/${entry.oldPath ?? entry.path}`)} ${quoteCPath(`b/${entry.path}`)}`;
  if (patch.header !== expected) {
    throw new GitOutputError(entry.path, `its patch is missing or out of place (git printed "${patch.header}")`);
  }
}

function headerPath(header: string): string {
  return header.replace(/^diff --git /, '') || '(diff)';
}

const C_QUOTES: Record<string, string> = { '\x07': 'a', '\b': 'b', '\t': 't', '\n': 'n', '\v': 'v', '\f': 'f', '\r': 'r', '"': '"', '\\': '\\' };

/** A path as git prints it in a header with core.quotePath=false: C-quoted only when it holds `"`, `\\` or a control character. */
export function quoteCPath(path: string): string {
  if (!/["\\\x00-\x1f\x7f]/.test(path)) return path;
  let out = '"';
  for (const ch of path) {
    const named = C_QUOTES[ch];
    if (named) out += `\\${named}`;
    else if (ch < ' ' || ch === '\x7f') out += `\\${ch.charCodeAt(0).toString(8).padStart(3, '0')}`;
    else out += ch;
  }
  return `${out}"`;
}

/**
 * Patches and records do not pair one to one: a type change (file ↔ symlink) is
 * printed as two patches (a deletion, then an addition), and an unmerged path as a
 * "* Unmerged path" line with no patch at all.
 */
function mapPatchesToEntries(entries: readonly RawEntry[]): number[] {
  const map: number[] = [];
  entries.forEach((entry, i) => {
    if (entry.status === 'U') return;
    map.push(i);
    if (entry.status === 'T') map.push(i);
  });
  return map;
}

/** Deleted and unmerged paths have no staged content; links and submodules are not text. */
function isReadable(entry: RawEntry): boolean {
  return entry.status !== 'D' && entry.status !== 'U' && entry.dstMode !== GITLINK_MODE && entry.dstMode !== SYMLINK_MODE;
}

function mapSkip(reason: string | undefined): SkipReason | undefined {
  return reason === undefined ? undefined : pathSkipReason(reason);
}

function countFiles(entries: readonly RawEntry[], stats: ScanStats, skipReason: (path: string) => string | undefined): void {
  for (const entry of entries) {
    if (entry.status === 'D') continue;
    const reason = entry.status === 'U' ? 'unmerged' : entry.dstMode === GITLINK_MODE ? 'submodule' : entry.dstMode === SYMLINK_MODE ? 'link' : undefined;
    const skipped = reason ?? mapSkip(skipReason(entry.path));
    if (skipped) countSkipped(stats, skipped);
    else stats.files++;
  }
}

function toFragment(patch: FilePatch, entry: RawEntry, stats: ScanStats, origin: Fragment['origin']): Fragment | undefined {
  if (patch.lines.length === 0) return undefined;
  const text = patch.lines.join('\n');
  stats.lines += patch.lines.length;
  stats.bytes += text.length + 1;
  return { path: entry.path, text, lineNumbers: patch.lineNumbers, origin };
}
