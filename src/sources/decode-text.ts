import { StringDecoder } from 'node:string_decoder';

/**
 * What a file's bytes are, decided from the bytes alone (never from git attributes
 * or git's "Binary files differ"): UTF-8 (the default, BOM dropped), UTF-16 and
 * UTF-32 with or without a byte-order mark, or binary, of which only the printable
 * runs are read (as `strings` does).
 */
export type TextEncoding = 'utf8' | 'utf16le' | 'utf16be' | 'utf32le' | 'utf32be' | 'binary';

export interface Sniffed {
  encoding: TextEncoding;
  /** Bytes of byte-order mark to drop. */
  bom: number;
}

/** How much of a file decides its encoding. */
export const SNIFF_BYTES = 8192;
/** Printable runs shorter than this are not read in binary files (`strings` uses 4; keys are longer). */
export const MIN_RUN_CHARS = 8;
/** Characters a piece of a very long line shares with the next piece. */
const LONG_LINE_OVERLAP = 32 * 1024;

export function sniffEncoding(head: Buffer): Sniffed {
  const b = head;
  if (b.length >= 4 && b[0] === 0xff && b[1] === 0xfe && b[2] === 0 && b[3] === 0) return { encoding: 'utf32le', bom: 4 };
  if (b.length >= 4 && b[0] === 0 && b[1] === 0 && b[2] === 0xfe && b[3] === 0xff) return { encoding: 'utf32be', bom: 4 };
  if (b.length >= 2 && b[0] === 0xff && b[1] === 0xfe) return { encoding: 'utf16le', bom: 2 };
  if (b.length >= 2 && b[0] === 0xfe && b[1] === 0xff) return { encoding: 'utf16be', bom: 2 };
  if (b.length >= 3 && b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf) return { encoding: 'utf8', bom: 3 };
  const sniff = b.subarray(0, SNIFF_BYTES);
  if (!sniff.includes(0)) return { encoding: 'utf8', bom: 0 };
  return { encoding: unmarkedWide(sniff), bom: 0 };
}

/**
 * UTF-16 or UTF-32 without a byte-order mark, told from binary by where the NUL
 * bytes fall: text that is mostly ASCII (as code and configuration are) has a NUL
 * in the high bytes of nearly every code unit and almost nowhere else.
 */
function unmarkedWide(b: Buffer): TextEncoding {
  const zeros = [0, 0, 0, 0];
  const units4 = Math.floor(b.length / 4);
  for (let i = 0; i < units4 * 4; i++) if (b[i] === 0) zeros[i & 3]!++;
  // A few bytes say nothing: a file that short is read as binary (it holds no key either way).
  if (units4 >= 4) {
    const mostly = (n: number): boolean => n >= units4 * 0.9;
    const rarely = (n: number): boolean => n <= units4 * 0.1;
    if (mostly(zeros[1]!) && mostly(zeros[2]!) && mostly(zeros[3]!) && rarely(zeros[0]!) && validUtf32(b, true)) return 'utf32le';
    if (mostly(zeros[0]!) && mostly(zeros[1]!) && mostly(zeros[2]!) && rarely(zeros[3]!) && validUtf32(b, false)) return 'utf32be';
  }
  const units2 = Math.floor(b.length / 2);
  let even = 0;
  let odd = 0;
  for (let i = 0; i < units2 * 2; i += 2) {
    if (b[i] === 0) even++;
    if (b[i + 1] === 0) odd++;
  }
  if (units2 >= 4 && odd >= units2 * 0.7 && even <= units2 * 0.05) return 'utf16le';
  if (units2 >= 4 && even >= units2 * 0.7 && odd <= units2 * 0.05) return 'utf16be';
  return 'binary';
}

function validUtf32(b: Buffer, le: boolean): boolean {
  for (let i = 0; i + 4 <= b.length; i += 4) if ((le ? b.readUInt32LE(i) : b.readUInt32BE(i)) > 0x10ffff) return false;
  return true;
}

/**
 * Text of a whole file, or undefined when it is binary. UTF-16 and UTF-32 (with or
 * without a byte-order mark) are decoded; a UTF-8 BOM is dropped.
 */
export function decodeText(data: Buffer): string | undefined {
  const { encoding, bom } = sniffEncoding(data);
  if (encoding === 'binary') return undefined;
  const decoder = new LineDecoder(encoding);
  return decoder.decode(data.subarray(bom)) + decoder.decode(undefined);
}

/** One line of decoded text and its 1-based line number in the file. */
export interface DecodedLine {
  text: string;
  line: number;
}

/**
 * Decodes a byte stream in any TextEncoding into lines, chunk by chunk, holding
 * only an unfinished line between chunks. In a binary file the lines are the
 * printable ASCII runs of at least MIN_RUN_CHARS, each numbered by the newlines
 * before it. A line longer than `maxLineChars` is handed out in overlapping pieces
 * (same line number), so memory stays bounded.
 */
export class LineReader {
  private readonly decoder: LineDecoder;
  private partial: string[] = [];
  private partialChars = 0;
  private line = 1;
  /** Binary files: a run that reached the end of the last chunk, and its line (0: none). */
  private carry = '';
  private runLine = 0;

  constructor(
    readonly encoding: TextEncoding,
    private readonly maxLineChars = 16 << 20,
  ) {
    this.decoder = new LineDecoder(encoding);
  }

  push(chunk: Buffer): DecodedLine[] {
    if (this.encoding === 'binary') return this.runs(chunk);
    return this.split(this.decoder.decode(chunk));
  }

  end(): DecodedLine[] {
    if (this.encoding === 'binary') {
      const out: DecodedLine[] = [];
      this.endRun(out);
      return out;
    }
    const out = this.split(this.decoder.decode(undefined));
    if (this.partialChars > 0 || this.partial.length) out.push({ text: this.partial.join(''), line: this.line });
    this.partial = [];
    this.partialChars = 0;
    return out;
  }

  private split(text: string): DecodedLine[] {
    const out: DecodedLine[] = [];
    let start = 0;
    for (let nl = text.indexOf('\n'); nl !== -1; nl = text.indexOf('\n', start)) {
      this.partial.push(text.slice(start, nl));
      out.push({ text: this.partial.join(''), line: this.line++ });
      this.partial = [];
      this.partialChars = 0;
      start = nl + 1;
    }
    if (start < text.length) {
      this.partial.push(text.slice(start));
      this.partialChars += text.length - start;
      if (this.partialChars >= this.maxLineChars) {
        // A line of many megabytes: handed out in pieces that overlap, so a key at a cut is whole in one.
        const text = this.partial.join('');
        out.push({ text, line: this.line });
        this.partial = [text.slice(-LONG_LINE_OVERLAP)];
        this.partialChars = this.partial[0]!.length;
      }
    }
    return out;
  }

  /**
   * Printable runs of a binary chunk. The chunk is read as latin1 (one character a
   * byte) and searched with one regex, so long stretches of zeros or noise cost
   * native speed; a run that reaches the end of the chunk is carried to the next.
   */
  private runs(chunk: Buffer): DecodedLine[] {
    const out: DecodedLine[] = [];
    // Zero-filled stretches (sparse files, disk images, padding) are skipped at memcmp speed.
    if (chunk.length <= ZEROS.length && chunk.equals(ZEROS.subarray(0, chunk.length))) {
      this.endRun(out);
      return out;
    }
    const text = this.carry + chunk.toString('latin1');
    const carriedLine = this.runLine;
    // The printable tail may go on in the next chunk: it is carried, not matched here.
    let tail = text.length;
    while (tail > 0 && isPrintable(text.charCodeAt(tail - 1))) tail--;
    if (text.length - tail >= this.maxLineChars) tail = text.length;
    PRINTABLE_RUN.lastIndex = 0;
    let counted = 0;
    let line = this.line;
    let match: RegExpExecArray | null;
    while ((match = PRINTABLE_RUN.exec(text)) !== null && match.index < tail) {
      for (let nl = text.indexOf('\n', counted); nl !== -1 && nl < match.index; nl = text.indexOf('\n', nl + 1)) line++;
      out.push({ text: match[0], line: match.index === 0 && carriedLine > 0 ? carriedLine : line });
      counted = match.index + match[0].length;
    }
    for (let nl = text.indexOf('\n', counted); nl !== -1 && nl < tail; nl = text.indexOf('\n', nl + 1)) line++;
    this.line = line;
    this.carry = text.slice(tail);
    this.runLine = this.carry.length ? (tail === 0 && carriedLine > 0 ? carriedLine : line) : 0;
    return out;
  }

  private endRun(out: DecodedLine[]): void {
    if (this.carry.length >= MIN_RUN_CHARS) out.push({ text: this.carry, line: this.runLine || this.line });
    this.carry = '';
    this.runLine = 0;
  }
}

const ZEROS = Buffer.alloc(1 << 20);

/** Printable ASCII and tab: what `strings` reads in a binary file. */
const PRINTABLE_RUN = new RegExp(`[\\t\\x20-\\x7e]{${MIN_RUN_CHARS},}`, 'g');

function isPrintable(c: number): boolean {
  return (c >= 0x20 && c < 0x7f) || c === 0x09;
}

/** Bytes → string for one text encoding, across chunk boundaries. */
class LineDecoder {
  private readonly utf?: StringDecoder;
  private carry: Buffer = Buffer.alloc(0);

  constructor(private readonly encoding: TextEncoding) {
    if (encoding === 'utf8' || encoding === 'binary') this.utf = new StringDecoder('utf8');
    else if (encoding === 'utf16le' || encoding === 'utf16be') this.utf = new StringDecoder('utf16le');
  }

  /** Decodes a chunk; `undefined` ends the stream. */
  decode(chunk: Buffer | undefined): string {
    switch (this.encoding) {
      case 'utf8':
      case 'binary':
      case 'utf16le':
        return chunk ? this.utf!.write(chunk) : this.utf!.end();
      case 'utf16be': {
        const bytes = this.take(chunk, 2);
        const text = bytes.length ? this.utf!.write(Buffer.from(bytes).swap16()) : '';
        return chunk ? text : text + this.utf!.end() + (this.carry.length ? '\ufffd' : '');
      }
      case 'utf32le':
      case 'utf32be': {
        const bytes = this.take(chunk, 4);
        let text = '';
        for (let i = 0; i + 4 <= bytes.length; i += 4) {
          const cp = this.encoding === 'utf32le' ? bytes.readUInt32LE(i) : bytes.readUInt32BE(i);
          text += cp <= 0x10ffff && (cp < 0xd800 || cp > 0xdfff) ? String.fromCodePoint(cp) : '\ufffd';
        }
        return chunk || !this.carry.length ? text : `${text}\ufffd`;
      }
    }
  }

  /** The whole units of carry + chunk; the rest is carried to the next call (at the end: dropped, and marked). */
  private take(chunk: Buffer | undefined, unit: number): Buffer {
    const all = chunk ? (this.carry.length ? Buffer.concat([this.carry, chunk]) : chunk) : this.carry;
    const whole = all.length - (all.length % unit);
    this.carry = Buffer.from(all.subarray(whole));
    return all.subarray(0, whole);
  }
}
