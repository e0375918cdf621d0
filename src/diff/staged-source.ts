import { runGit, streamGit } from '../git/run-git.js';
import { contiguousFragment, type Fragment } from './fragment.js';
import { streamLines } from './line-stream.js';
import { PatchParser, type FilePatch } from './patch-parser.js';
import { parseRawRecords, type RawEntry } from './raw-records.js';
import type { ScanStats } from './scan-stats.js';
import { decodeText } from './decode-text.js';

/** The diff of the index against HEAD (or the empty tree before the first commit). */
export const STAGED_DIFF_ARGS = [
  'diff', '--cached', '--raw', '-z', '-p', '-U0', '--no-ext-diff', '--no-textconv', '--no-color',
  // Renames, not copies (as for history): copy detection costs git a third more on
  // large changes, and a copy's lines are then scanned as the new file they are.
  '--find-renames', '--ignore-submodules=none',
] as const;

const GITLINK_MODE = '160000';
const SYMLINK_MODE = '120000';

export interface SourceOptions {
  /** Why a path is not read at all (allowlisted, lockfile), or undefined. */
  skipReason?: (path: string) => string | undefined;
  /** Receives the records of files the diff showed as binary. */
  binaries?: RawEntry[];
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
  const binaries: RawEntry[] = [];
  yield* diffFragments(diff, stats, { ...options, binaries }, 'staged');
  yield* utf16Fragments(repoRoot, binaries, stats);
}

/** UTF-16 files above this size are left as binary (text files that large are rare). */
const UTF16_MAX_BYTES = 8 * 1024 * 1024;

/**
 * git diffs UTF-16 files as binary (they are full of NUL bytes). A staged file
 * that starts with a UTF-16 byte-order mark is decoded and scanned whole: its
 * diff cannot be read, so every line counts as added.
 */
async function* utf16Fragments(repoRoot: string, binaries: readonly RawEntry[], stats: ScanStats): AsyncGenerator<Fragment> {
  if (binaries.length === 0) return;
  const { stdout } = await runGit(['cat-file', '--batch-check'], { cwd: repoRoot, input: `${binaries.map((e) => e.dstSha).join('\n')}\n` });
  const sizes = stdout.toString('utf8').split('\n').map((line) => Number(line.split(' ')[2]));
  for (const [i, entry] of binaries.entries()) {
    if (!(sizes[i]! <= UTF16_MAX_BYTES)) continue;
    const blob = (await runGit(['cat-file', 'blob', entry.dstSha], { cwd: repoRoot })).stdout;
    const isUtf16 = (blob[0] === 0xff && blob[1] === 0xfe) || (blob[0] === 0xfe && blob[1] === 0xff);
    const text = isUtf16 ? decodeText(blob)?.replace(/\n$/, '') : undefined;
    if (text === undefined) continue;
    stats.binaryFiles--;
    stats.files++;
    stats.bytes += blob.length;
    const fragment = contiguousFragment(entry.path, text, 'staged');
    stats.lines += fragment.lineNumbers.length;
    yield fragment;
  }
}

/**
 * Pairs the patches of a `--raw -z -p` diff with its NUL-separated records, so
 * paths come verbatim from the records and quoted header paths are never parsed.
 */
export async function* diffFragments(
  chunks: AsyncIterable<Buffer>,
  stats: ScanStats,
  options: SourceOptions,
  origin: Fragment['origin'],
): AsyncGenerator<Fragment> {
  let entries: RawEntry[] = [];
  let patchToEntry: number[] = [];
  const ready: Fragment[] = [];
  const readRecords = (text: string, ended: boolean): number => {
    const parsed = parseRawRecords(text);
    if (!parsed.complete && !ended) return -1;
    entries = parsed.entries;
    patchToEntry = mapPatchesToEntries(entries);
    countFiles(entries, stats, options);
    // One NUL separates the records from the patches.
    return text[parsed.offset] === '\0' ? parsed.offset + 1 : parsed.offset;
  };
  const parser = new PatchParser((patch) => {
    const fragment = toFragment(patch, entries[patchToEntry[patch.index] ?? -1], stats, options, origin);
    if (fragment) ready.push(fragment);
  });
  for await (const lines of streamLines(chunks, readRecords)) {
    for (const line of lines) parser.line(line);
    if (ready.length) yield* ready.splice(0);
  }
  parser.end();
  yield* ready.splice(0);
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

function countFiles(entries: readonly RawEntry[], stats: ScanStats, options: SourceOptions): void {
  for (const entry of entries) {
    if (entry.status === 'D') continue;
    if (!isReadable(entry) || options.skipReason?.(entry.path)) stats.skippedFiles++;
    else stats.files++;
  }
}

function toFragment(
  patch: FilePatch,
  entry: RawEntry | undefined,
  stats: ScanStats,
  options: SourceOptions,
  origin: Fragment['origin'],
): Fragment | undefined {
  if (!entry || !isReadable(entry) || options.skipReason?.(entry.path)) return undefined;
  if (patch.binary) {
    // Counted as a file when the records were read; it turns out to be binary.
    stats.files--;
    stats.binaryFiles++;
    options.binaries?.push(entry);
    return undefined;
  }
  if (patch.lines.length === 0) return undefined;
  const text = patch.lines.join('\n');
  stats.lines += patch.lines.length;
  stats.bytes += text.length + 1;
  return { path: entry.path, text, lineNumbers: patch.lineNumbers, origin };
}
