import { GitOutputError } from '../errors.js';
import { startGitSession, type GitSession } from '../git/run-git.js';
import { LineReader, sniffEncoding, SNIFF_BYTES, type DecodedLine, type TextEncoding } from './decode-text.js';
import type { Fragment } from './fragment.js';
import { isGoogleServiceAccountP12, p12Line, pkcs12Length } from './pkcs12.js';
import { NO_BLOB } from './git-output/raw-records.js';
import type { SourceStats } from './source-stats.js';

/**
 * Files read from their bytes rather than from git's patch: whatever git showed as
 * "Binary files differ" (attributes, a binary diff driver, NUL bytes,
 * core.bigFileThreshold) or printed with NUL bytes in its lines (UTF-16/32 forced
 * to text). The blob is streamed, decoded by its own bytes (decode-text.ts) and
 * cut into bounded fragments, so a file of any size is read, never skipped.
 */

/** Text per fragment; the detector windows within it (detector.ts, windowsOf). */
export const PIECE_CHARS = 1 << 20;
/**
 * Whole lines repeated at the start of the next piece, so a secret that spans the
 * cut (a private key block) is whole in one of them; findings in the overlap have
 * the same line and column in both, and the scan reports them once.
 */
export const OVERLAP_CHARS = 32 * 1024;
/** Old versions up to this size are read to tell new lines from old ones; a larger one counts as empty (every line reported). */
export const KNOWN_MAX_BYTES = 16 * 1024 * 1024;

export interface BlobTarget {
  path: string;
  origin: Fragment['origin'];
  stats: SourceStats;
  /** Lines of the previous version(s): not new, not scanned. */
  known?: ReadonlySet<string>;
  /** Told the encoding once the first bytes are seen. */
  onEncoding?: (encoding: TextEncoding) => void;
  pieceChars?: number;
}

/**
 * The lines of a byte stream, decoded by its own bytes. A binary file that starts like a
 * PKCS#12 key store is also kept whole (it is small) and, when it is a Google
 * service-account `.p12` (pkcs12.ts), stands for one more line that says so.
 */
export async function* decodedLines(
  chunks: AsyncIterable<Buffer> | Iterable<Buffer>,
  onEncoding?: (encoding: TextEncoding) => void,
): AsyncGenerator<DecodedLine[]> {
  let reader: LineReader | undefined;
  let head: Buffer[] = [];
  let headBytes = 0;
  /** A binary file shaped like PKCS#12: its bytes so far, and how many it announces. */
  let p12: { parts: Buffer[]; bytes: number; length: number } | undefined;
  const start = (): DecodedLine[] => {
    const all = Buffer.concat(head);
    head = [];
    const { encoding, bom } = sniffEncoding(all);
    onEncoding?.(encoding);
    reader = new LineReader(encoding);
    const length = encoding === 'binary' ? pkcs12Length(all) : undefined;
    if (length !== undefined) p12 = { parts: [all], bytes: all.length, length };
    return reader.push(all.subarray(bom));
  };
  for await (const chunk of chunks) {
    if (reader) {
      if (p12) {
        p12.parts.push(chunk);
        p12.bytes += chunk.length;
        if (p12.bytes > p12.length) p12 = undefined;
      }
      const lines = reader.push(chunk);
      if (lines.length) yield lines;
      continue;
    }
    head.push(chunk);
    headBytes += chunk.length;
    if (headBytes >= SNIFF_BYTES) {
      const lines = start();
      if (lines.length) yield lines;
    }
  }
  const first = reader ? [] : start();
  const lines = [...first, ...reader!.end()];
  if (p12 && p12.bytes === p12.length) {
    const file = Buffer.concat(p12.parts);
    if (isGoogleServiceAccountP12(file)) lines.push({ text: p12Line(file), line: 1 });
  }
  if (lines.length) yield lines;
}

/** Every line of a (previous) version, to tell which lines of the new one are new. */
export async function knownLines(chunks: AsyncIterable<Buffer> | Iterable<Buffer>): Promise<Set<string>> {
  const known = new Set<string>();
  for await (const lines of decodedLines(chunks)) for (const { text } of lines) known.add(text);
  return known;
}

/** The new lines of a blob as fragments of at most about `pieceChars`, consecutive pieces overlapping. */
export async function* blobFragments(chunks: AsyncIterable<Buffer> | Iterable<Buffer>, target: BlobTarget): AsyncGenerator<Fragment> {
  const { stats, known } = target;
  const pieceChars = target.pieceChars ?? PIECE_CHARS;
  let lines: string[] = [];
  let numbers: number[] = [];
  let chars = 0;
  /** How many lines at the start of `lines` were already scanned in the previous piece. */
  let carried = 0;
  const counted = async function* (): AsyncGenerator<Buffer> {
    for await (const chunk of chunks) {
      stats.bytesRead(chunk.length);
      yield chunk;
    }
  };
  const piece = (): Fragment => {
    const fragment: Fragment = { path: target.path, text: lines.join('\n'), lineNumbers: numbers, origin: target.origin };
    stats.linesRead(lines.length - carried);
    // Carry the last whole lines (up to OVERLAP_CHARS) into the next piece.
    let keep = 0;
    let keptChars = 0;
    while (keep < lines.length - 1 && keptChars + lines[lines.length - 1 - keep]!.length + 1 <= OVERLAP_CHARS) {
      keptChars += lines[lines.length - 1 - keep]!.length + 1;
      keep++;
    }
    lines = lines.slice(lines.length - keep);
    numbers = numbers.slice(numbers.length - keep);
    chars = keptChars;
    carried = keep;
    return fragment;
  };
  for await (const batch of decodedLines(counted(), target.onEncoding)) {
    for (const { text, line } of batch) {
      if (known?.has(text)) continue;
      lines.push(text);
      numbers.push(line);
      chars += text.length + 1;
      if (chars >= pieceChars) yield piece();
    }
  }
  if (lines.length > carried) yield piece();
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
  stats: SourceStats,
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
      if (encoding === 'binary') stats.readAsBinary();
    },
  });
}

/**
 * One `git cat-file --batch` process answering blob requests in turn, started on
 * the first. A blob's chunks must be read (or abandoned: the rest is then drained)
 * before the next blob is opened.
 */
export class BlobReader {
  private session?: GitSession;
  private buffer: Buffer = Buffer.alloc(0);
  /** Bytes of the open blob (plus its trailing newline) not yet read. */
  private remaining = 0;

  constructor(private readonly repoRoot: string) {}

  /** The blob's size and a stream of its bytes. `file` names it in errors. */
  async open(sha: string, file: string): Promise<{ size: number; chunks: AsyncGenerator<Buffer> }> {
    await this.drain();
    this.session ??= startGitSession(['cat-file', '--batch'], { cwd: this.repoRoot });
    this.session.write(`${sha}\n`);
    const header = await this.readLine(file);
    const match = /^[0-9a-f]+ blob (\d+)$/.exec(header);
    if (!match) throw new GitOutputError(file, `blob ${sha} is not in the repository (${header})`);
    const size = Number(match[1]);
    this.remaining = size + 1;
    return { size, chunks: this.content(file) };
  }

  /** Stops git. */
  close(): void {
    this.session?.stop();
    this.session = undefined;
  }

  private async *content(file: string): AsyncGenerator<Buffer> {
    while (this.remaining > 1) {
      if (this.buffer.length === 0 && !(await this.fill())) throw new GitOutputError(file, 'git cat-file ended early');
      const take = Math.min(this.buffer.length, this.remaining - 1);
      const out = this.buffer.subarray(0, take);
      this.buffer = this.buffer.subarray(take);
      this.remaining -= take;
      yield out;
    }
    await this.drain();
  }

  /** Skips what is left of the open blob and its trailing newline. */
  private async drain(): Promise<void> {
    while (this.remaining > 0) {
      if (this.buffer.length === 0 && !(await this.fill())) return;
      const take = Math.min(this.buffer.length, this.remaining);
      this.buffer = this.buffer.subarray(take);
      this.remaining -= take;
    }
  }

  private async readLine(file: string): Promise<string> {
    for (;;) {
      const nl = this.buffer.indexOf(0x0a);
      if (nl !== -1) {
        const line = this.buffer.subarray(0, nl).toString('utf8');
        this.buffer = this.buffer.subarray(nl + 1);
        return line;
      }
      if (!(await this.fill())) throw new GitOutputError(file, 'git cat-file ended early');
    }
  }

  private async fill(): Promise<boolean> {
    const next = await this.session!.chunks.next();
    if (next.done) return false;
    this.buffer = this.buffer.length ? Buffer.concat([this.buffer, next.value]) : next.value;
    return true;
  }
}
