import { GitOutputError } from '../../errors.js';
import { previousLines, readBlob, type BlobReader } from '../blob-reader.js';
import type { CommitInfo, Fragment } from '../fragment.js';
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
  chunks: AsyncIterable<Buffer> | Iterable<Buffer>,
  stats: SourceStats,
  options: SourceOptions,
  origin: Fragment['origin'],
  context: DiffContext,
): AsyncGenerator<Fragment> {
  const diff = new PairedDiff(stats, options, origin);
  let prepared = false;
  /** Lockfiles need a look at their folder: decided once the records are in, before any patch. */
  const prepare = async (): Promise<void> => {
    prepared = true;
    const lockfiles = diff.lockfileCandidates();
    diff.countFiles(lockfiles.length ? await new LockfileCheck(context.folder).reasons(lockfiles) : undefined);
  };
  for await (const lines of streamLines(chunks, diff.readRecords)) {
    if (!prepared) await prepare();
    for (const line of lines) diff.line(line);
    if (diff.ready.length) yield* diff.ready.splice(0);
  }
  if (!prepared) await prepare();
  diff.end();
  yield* diff.ready.splice(0);
  yield* diff.blobFragments(context.blobs);
}

/**
 * The synchronous core of diffFragments: the records first (`readRecords`), then
 * `countFiles`, then the patch's lines one by one, then `end`. Fragments collect
 * in `ready`; files to read from their blobs are left for `blobFragments`. A caller
 * that holds a whole diff (one commit of a history) runs it without an async step.
 */
export class PairedDiff {
  readonly ready: Fragment[] = [];
  private entries: RawEntry[] | undefined;
  private patchToEntry: number[] = [];
  private skipped: ReadonlyMap<string, string> = new Map();
  private readonly fromBlobs = new Set<RawEntry>();
  private readonly parser: PatchParser;

  constructor(
    private readonly stats: SourceStats,
    private readonly options: SourceOptions,
    private readonly origin: Fragment['origin'],
    /** Set on every fragment (a commit source's commit). */
    private readonly commit?: CommitInfo,
  ) {
    this.parser = new PatchParser((patch) => this.patch(patch));
  }

  /** A `streamLines` prefix: consumes the records and the NUL after them, or returns -1 to see more. */
  readonly readRecords = (text: string, ended: boolean): number => {
    const parsed = parseRawRecords(text);
    if (!parsed.complete && !ended) return -1;
    this.entries = parsed.entries;
    this.patchToEntry = mapPatchesToEntries(parsed.entries);
    // One NUL separates the records from the patches.
    return text[parsed.offset] === '\0' ? parsed.offset + 1 : parsed.offset;
  };

  /** Paths that may be lockfiles beside their manifest: their folders must be looked at (LockfileCheck). */
  lockfileCandidates(): string[] {
    if (!this.entries || this.options.skipLockfiles === false) return [];
    const skipReason = this.options.skipReason;
    const out: string[] = [];
    for (const e of this.entries) if (isReadable(e) && mayBeLockfile(e.path) && !skipReason?.(e.path)) out.push(e.path);
    return out;
  }

  /** Counts the files read and skipped; `skipped` holds the lockfiles found beside their manifest. */
  countFiles(skipped?: ReadonlyMap<string, string>): void {
    if (skipped) this.skipped = skipped;
    if (!this.entries) return;
    const skipReason = this.options.skipReason;
    countFiles(this.entries, this.stats, (path) => skipReason?.(path) ?? this.skipped.get(path));
  }

  line(text: string): void {
    this.parser.line(text);
  }

  /** The lines of `text[from, to)`, as line() one by one (PatchParser.block). */
  lines(text: string, from: number, to: number): void {
    this.parser.block(text, from, to);
  }

  /** The end of the diff: every patch must have had its record. */
  end(): void {
    this.parser.end();
    const { files } = this.parser;
    if (files !== this.patchToEntry.length) {
      const missing = this.entries?.[this.patchToEntry[files] ?? this.patchToEntry[this.patchToEntry.length - 1] ?? -1];
      throw new GitOutputError(missing?.path ?? '(diff)', `git printed ${files} patches for ${this.patchToEntry.length} changed files`);
    }
  }

  /** Whether some file must be read from its blobs (`blobFragments`). */
  get needsBlobs(): boolean {
    return this.fromBlobs.size > 0;
  }

  /** The files git showed as binary or with NUL bytes, read from their blobs (after `end`). */
  async *blobFragments(blobs: BlobReader): AsyncGenerator<Fragment> {
    for (const entry of this.fromBlobs) {
      for await (const fragment of entryFromBlob(entry, this.stats, this.origin, blobs)) {
        yield this.commit ? { ...fragment, commit: this.commit } : fragment;
      }
    }
  }

  private patch(patch: FilePatch): void {
    const entry = this.entries?.[this.patchToEntry[patch.index] ?? -1];
    checkPairing(patch, entry);
    if (!entry || !isReadable(entry) || this.options.skipReason?.(entry.path) || this.skipped.has(entry.path)) return;
    if (patch.binary || patch.nul) {
      this.fromBlobs.add(entry);
      return;
    }
    if (patch.lines.length === 0) return;
    const text = patch.lines.join('\n');
    this.stats.linesRead(patch.lines.length, text.length + 1);
    const fragment: Fragment = { path: entry.path, text, lineNumbers: patch.lineNumbers, origin: this.origin };
    if (this.commit) fragment.commit = this.commit;
    this.ready.push(fragment);
  }
}

/**
 * A file read from its blob: its lines that are not in the previous version (a
 * rename's or copy's source included) are the added ones.
 */
async function* entryFromBlob(
  entry: RawEntry,
  stats: SourceStats,
  origin: Fragment['origin'],
  blobs: BlobReader,
): AsyncGenerator<Fragment> {
  const known =
    entry.status === 'A' || NO_BLOB.test(entry.srcSha) || entry.srcMode === GITLINK_MODE
      ? undefined
      : await previousLines([entry.srcSha], entry.path, blobs);
  yield* readBlob(entry.dstSha, entry.path, stats, origin, blobs, known);
}

/** Fails closed when a patch's `diff --git` header does not name its record's path. */
function checkPairing(patch: FilePatch, entry: RawEntry | undefined): void {
  if (!entry) throw new GitOutputError(headerPath(patch.header), 'git printed a patch with no matching changed file');
  if (isPlainHeader(patch.header, entry.oldPath ?? entry.path, entry.path)) return;
  const expected = `diff --git ${quoteCPath(`a/${entry.oldPath ?? entry.path}`)} ${quoteCPath(`b/${entry.path}`)}`;
  if (patch.header !== expected) {
    throw new GitOutputError(entry.path, `its patch is missing or out of place (git printed "${patch.header}")`);
  }
}

const PLAIN_HEADER = 'diff --git a/';

/**
 * Whether the header is `diff --git a/<old> b/<path>`, compared in place: the usual
 * header, of paths git did not quote (a quoted one starts with `"`), checked without
 * building the expected string for each of a history's file changes.
 */
function isPlainHeader(header: string, oldPath: string, path: string): boolean {
  const bAt = PLAIN_HEADER.length + oldPath.length;
  return (
    header.length === bAt + 3 + path.length &&
    header.startsWith(PLAIN_HEADER) &&
    header.startsWith(oldPath, PLAIN_HEADER.length) &&
    header.startsWith(' b/', bAt) &&
    header.endsWith(path)
  );
}

function headerPath(header: string): string {
  return header.replace(/^diff --git /, '') || '(diff)';
}

const C_QUOTES: Record<string, string> = {
  '\x07': 'a',
  '\b': 'b',
  '\t': 't',
  '\n': 'n',
  '\v': 'v',
  '\f': 'f',
  '\r': 'r',
  '"': '"',
  '\\': '\\',
};

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
    const reason =
      entry.status === 'U'
        ? 'unmerged'
        : entry.dstMode === GITLINK_MODE
          ? 'submodule'
          : entry.dstMode === SYMLINK_MODE
            ? 'link'
            : undefined;
    const skipped = reason ?? mapSkip(skipReason(entry.path));
    if (skipped) stats.skipped(skipped);
    else stats.fileRead();
  }
}
