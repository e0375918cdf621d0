import { GitOutputError } from '../../errors.js';
import { previousLines, readBlob, type BlobReader } from '../blob-reader.js';
import type { Fragment } from '../fragment.js';
import { LockfileCheck, mayBeLockfile, type FolderNames } from '../lockfiles.js';
import type { SourceOptions } from '../source.js';
import { pathSkipReason, type SkipReason, type SourceStats } from '../source-stats.js';
import { streamLines } from './line-stream.js';
import { PatchParser, type FilePatch } from './patch-parser.js';
import { GITLINK_MODE, NO_BLOB, parseRawRecords, SYMLINK_MODE, type RawEntry } from './raw-records.js';

/** What reading one diff needs beyond its bytes. */
export interface DiffContext {
  /** Reads the blobs of files git showed as binary (or with NUL bytes). */
  blobs: BlobReader;
  /** The folders of the source the diff leads to (the index, the commit), for lockfiles. */
  folder: FolderNames;
}

/**
 * Pairs the patches of a `--raw -z -p` diff with its NUL-separated records, so
 * paths come verbatim from the records and quoted header paths are never parsed;
 * each patch's header is checked against its record's path, so a patch git printed
 * without a header (or an extra one) stops the scan instead of shifting every file
 * after it onto the wrong record. Files git shows as binary, or with NUL bytes in
 * their added lines, are read from their blobs (blob-reader.ts).
 */
export async function* diffFragments(
  chunks: AsyncIterable<Buffer>,
  stats: SourceStats,
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
async function* entryFromBlob(entry: RawEntry, stats: SourceStats, origin: Fragment['origin'], blobs: BlobReader): AsyncGenerator<Fragment> {
  const known = entry.status === 'A' || NO_BLOB.test(entry.srcSha) || entry.srcMode === GITLINK_MODE
    ? undefined
    : await previousLines([entry.srcSha], entry.path, blobs);
  yield* readBlob(entry.dstSha, entry.path, stats, origin, blobs, known);
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

function countFiles(entries: readonly RawEntry[], stats: SourceStats, skipReason: (path: string) => string | undefined): void {
  for (const entry of entries) {
    if (entry.status === 'D') continue;
    const reason = entry.status === 'U' ? 'unmerged' : entry.dstMode === GITLINK_MODE ? 'submodule' : entry.dstMode === SYMLINK_MODE ? 'link' : undefined;
    const skipped = reason ?? mapSkip(skipReason(entry.path));
    if (skipped) stats.skipped(skipped);
    else stats.fileRead();
  }
}

function toFragment(patch: FilePatch, entry: RawEntry, stats: SourceStats, origin: Fragment['origin']): Fragment | undefined {
  if (patch.lines.length === 0) return undefined;
  const text = patch.lines.join('\n');
  stats.linesRead(patch.lines.length, text.length + 1);
  return { path: entry.path, text, lineNumbers: patch.lineNumbers, origin };
}
