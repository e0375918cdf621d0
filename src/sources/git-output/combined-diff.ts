import { GitOutputError } from '../../errors.js';
import { previousLines, readBlob } from '../blob-reader.js';
import type { Fragment } from '../fragment.js';
import { LockfileCheck, mayBeLockfile } from '../lockfiles.js';
import type { SourceOptions } from '../source.js';
import type { SourceStats } from '../source-stats.js';
import { streamLines } from './line-stream.js';
import type { DiffContext } from './paired-diff.js';
import { PatchParser, type FilePatch } from './patch-parser.js';
import { GITLINK_MODE, SYMLINK_MODE } from './raw-records.js';

interface CombinedFile {
  path: string;
  mode?: string;
  counted: boolean;
  /** Read from its blobs (binary, or NUL bytes in its lines). */
  fromBlob?: boolean;
}

/** A merge's `--raw` record: the file's blob in each parent and in the result. */
interface CombinedRecord {
  parents: string[];
  result: string;
}

/**
 * The dense combined diff (`--cc`) of a merge. Files are named by their
 * `diff --cc <path>` headers (the `--raw` records of a merge do not pair one to one
 * with its patches), and only lines marked added against every parent are kept:
 * a line added against some parents only is rewritten as context, so line numbers
 * stay right while lines brought in from a parent are not reported twice. A file git
 * shows as binary is read from its blobs: the result's lines found in no parent.
 */
export async function* combinedFragments(
  chunks: AsyncIterable<Buffer> | Iterable<Buffer>,
  stats: SourceStats,
  options: SourceOptions,
  origin: Fragment['origin'],
  context: DiffContext,
): AsyncGenerator<Fragment> {
  const diff = new CombinedDiff(stats, options, origin);
  const lockfiles = options.skipLockfiles !== false ? new LockfileCheck(context.folder) : undefined;
  const records = new Map<string, CombinedRecord>();
  const readRecords = (text: string, ended: boolean): number => parseCombinedRecords(text, ended, records);
  for await (const lines of streamLines(chunks, readRecords)) {
    if (lockfiles) {
      for (const line of lines) {
        if (!line.startsWith('diff --cc ') && !line.startsWith('diff --combined ')) continue;
        const file = combinedHeaderPath(line);
        if (!mayBeLockfile(file) || options.skipReason?.(file)) continue;
        const reason = await lockfiles.reason(file);
        if (reason) diff.lockfileSkips.set(file, reason);
      }
    }
    diff.lines(lines);
    if (diff.ready.length) yield* diff.ready.splice(0);
  }
  diff.end();
  yield* diff.ready.splice(0);
  for (const file of diff.files) {
    if (!file.fromBlob || !diff.readable(file)) continue;
    const record = records.get(file.path);
    if (!record) throw new GitOutputError(file.path, 'a merge shows it as binary but lists no blob for it');
    const known = await previousLines(record.parents, file.path, context.blobs);
    yield* readBlob(record.result, file.path, stats, origin, context.blobs, known);
  }
  stats.skipped('lockfile', diff.lockfileSkips.size);
}

/**
 * The synchronous core of combinedFragments: lines in, fragments out (`ready`). Kept
 * out of the async generator: V8 optimizes a generator with its per-line loop
 * inlined as one large function (express' history: ~0.5 s of compile-thread time
 * for combinedFragments alone), and this loop on its own costs a fraction of that.
 */
class CombinedDiff {
  readonly files: CombinedFile[] = [];
  readonly ready: Fragment[] = [];
  readonly lockfileSkips = new Map<string, string>();
  private readonly parser: PatchParser;
  private parents = 0;

  constructor(
    private readonly stats: SourceStats,
    private readonly options: SourceOptions,
    private readonly origin: Fragment['origin'],
  ) {
    this.parser = new PatchParser((patch) => this.patch(patch));
  }

  readable(file: CombinedFile | undefined): file is CombinedFile {
    return (
      file !== undefined &&
      file.mode !== GITLINK_MODE &&
      file.mode !== SYMLINK_MODE &&
      !this.options.skipReason?.(file.path) &&
      !this.lockfileSkips.has(file.path)
    );
  }

  lines(lines: readonly string[]): void {
    const { files, parser } = this;
    let parents = this.parents;
    for (let line of lines) {
      if (parents > 0) {
        if (/^[ +-]/.test(line)) line = onlyNewInResult(line, parents);
        else if (!line.startsWith('\\')) parents = 0;
      }
      if (parents === 0) {
        if (line.startsWith('diff --cc ') || line.startsWith('diff --combined ')) {
          files.push({ path: combinedHeaderPath(line), counted: false });
        } else if (line.startsWith('@@@')) {
          parents = /^@+/.exec(line)![0].length - 1;
        } else {
          const mode = /^(?:new file mode |mode (?:\S+\.\.)?)(\d{6})$/.exec(line);
          if (mode && files.length) files[files.length - 1]!.mode = mode[1];
        }
      }
      parser.line(line);
    }
    this.parents = parents;
  }

  end(): void {
    this.parser.end();
  }

  private patch(patch: FilePatch): void {
    const file = this.files[patch.index];
    if (!this.readable(file)) return;
    if (!file.counted) {
      file.counted = true;
      this.stats.fileRead();
    }
    if (patch.binary || patch.nul) file.fromBlob = true;
    if (file.fromBlob || patch.lines.length === 0) return;
    const text = patch.lines.join('\n');
    this.stats.linesRead(patch.lines.length, text.length + 1);
    this.ready.push({ path: file.path, text, lineNumbers: patch.lineNumbers, origin: this.origin });
  }
}

function combinedHeaderPath(line: string): string {
  return unquotePath(line.slice(line.indexOf(' ', 5) + 1));
}

/**
 * Combined `--raw -z` records come first, ended by an empty record (two NULs in a
 * row): `::<mode>… <sha>… <status>\0<path>\0`, one mode and sha per parent, then the result's.
 */
function parseCombinedRecords(text: string, ended: boolean, into: Map<string, CombinedRecord>): number {
  if (text.startsWith('diff ')) return 0;
  const end = text.indexOf('\0\0');
  if (end === -1) return ended ? text.length : -1;
  const fields = text.slice(0, end).split('\0');
  for (let i = 0; i + 1 < fields.length; i += 2) {
    const meta = fields[i]!;
    const colons = /^:+/.exec(meta)?.[0].length ?? 0;
    const parts = meta.slice(colons).split(' ');
    // colons modes (parents + result), then as many shas, then the status.
    const shas = parts.slice(colons + 1, 2 * (colons + 1));
    if (shas.length === colons + 1) into.set(fields[i + 1]!, { parents: shas.slice(0, -1), result: shas[colons]! });
  }
  return end + 2;
}

/** Keeps a combined-diff line as added only when every parent column says "+". */
function onlyNewInResult(line: string, parents: number): string {
  const marks = line.slice(0, parents);
  if (marks.includes('-') || !marks.includes(' ')) return line;
  return ' '.repeat(parents) + line.slice(parents);
}

const C_ESCAPES: Record<string, number> = { a: 7, b: 8, t: 9, n: 10, v: 11, f: 12, r: 13, '"': 34, '\\': 92 };

/** Reverses git's C-style quoting of a path (used when it holds quotes, backslashes or control characters). */
export function unquotePath(text: string): string {
  if (text.length < 2 || !text.startsWith('"') || !text.endsWith('"')) return text;
  const pieces = text.slice(1, -1).split(/(\\[0-7]{3}|\\.)/);
  const bytes = pieces.map((piece) => {
    if (!piece.startsWith('\\') || piece.length < 2) return Buffer.from(piece, 'utf8');
    const code = piece.length === 4 ? parseInt(piece.slice(1), 8) : (C_ESCAPES[piece[1]!] ?? piece.charCodeAt(1));
    return Buffer.from([code]);
  });
  return Buffer.concat(bytes).toString('utf8');
}
