/**
 * Text a key hides in without being written out whole (issue 14 item 5):
 *
 * - percent-encoding: `aws_secret_access_key=wJal%2F…%2B…`, `%7B%22api_key%22%3A%22…%22%7D`;
 * - a key split into string literals joined by `+` (JS, Java, C#, Python), `.` (PHP),
 *   `..` (Lua), `&` (VB) or by nothing (Python and C implicit concatenation), on one
 *   line or over adjacent lines: `"sk-proj-" + "…"`.
 *
 * Each is rewritten into the text it stands for, with a map from every character of
 * that text back to the source, so a key found there is reported where it is written.
 */
export type DerivedEncoding = 'url' | 'split';

export interface DerivedText {
  encoding: DerivedEncoding;
  /** The rewritten text. */
  text: string;
  /** For each character of `text` (and one past its end), its offset in the source. */
  origin: Int32Array;
  /**
   * Offsets of `text` where a rewritten part begins (a decoded escape, a literal after
   * the first): a key found in `text` counts only when it spans one (for escapes: or
   * touches one), otherwise the source, scanned as it is, holds the same key.
   */
  seams: readonly number[];
}

/** A percent escape; the run of URL characters around it is found by scanning out from it. */
const ESCAPE = /%[0-9A-Fa-f]{2}/g;
/** What ends a run of URL characters. */
const RUN_END = /[\s"'`<>\\]/;
/** The rest of a run of URL characters, from a given offset (greedy over one class: linear). */
const RUN_REST = /[^\s"'`<>\\]*/y;
const MAX_RUN = 4096;

/**
 * Percent-encoded runs of the text, decoded (escapes of non-ASCII bytes are kept as they are).
 *
 * Linear in the text: each escape is found by a plain search, its run is extended left
 * (never past the previous run) and right once, and the search resumes after the run.
 * (A single regex for "a run holding an escape" retried the whole run from every start
 * in it: quadratic on a long run of `%` with no escape.)
 */
export function percentDecoded(source: string, max: number): DerivedText[] {
  if (!source.includes('%')) return [];
  const out: DerivedText[] = [];
  let previousEnd = 0;
  ESCAPE.lastIndex = 0;
  for (let m = ESCAPE.exec(source); m && out.length < max; m = ESCAPE.exec(source)) {
    let start = m.index;
    while (start > previousEnd && !RUN_END.test(source[start - 1]!)) start--;
    RUN_REST.lastIndex = m.index;
    RUN_REST.exec(source);
    const end = RUN_REST.lastIndex;
    previousEnd = end;
    ESCAPE.lastIndex = end;
    if (end - start > MAX_RUN || end - start < 16) continue;
    out.push(decodedRun(source, start, end));
  }
  return out;
}

function decodedRun(source: string, from: number, to: number): DerivedText {
  let text = '';
  const origin: number[] = [];
  const seams: number[] = [];
  for (let i = from; i < to; ) {
    const code = source[i] === '%' && i + 3 <= to ? parseHexByte(source, i + 1) : -1;
    origin.push(i);
    if (code >= 0x20 && code < 0x7f) {
      seams.push(text.length);
      text += String.fromCharCode(code);
      i += 3;
    } else {
      text += source[i];
      i++;
    }
  }
  origin.push(to);
  return { encoding: 'url', text, origin: Int32Array.from(origin), seams };
}

function parseHexByte(text: string, at: number): number {
  if (at + 2 > text.length) return -1;
  const value = Number.parseInt(text.slice(at, at + 2), 16);
  return /^[0-9A-Fa-f]{2}$/.test(text.slice(at, at + 2)) ? value : -1;
}

/**
 * Two or more string literals joined by an operator or by nothing, each on its own
 * line at most: `"a" + "b"`, `'a' .\n 'b'`, `("a"\n "b")`. Literals hold no escape
 * and no line break; template literals no `${`.
 */
const LITERAL = String.raw`(?:"[^"\\\n]{1,200}"|'[^'\\\n]{1,200}'|` + '`[^`\\\\\\n$]{1,200}`)';
const JOIN = String.raw`[ \t]{0,8}(?:\+|\.\.?|&)?[ \t]{0,8}(?:\r?\n[ \t]{0,40}(?:\+|\.\.?|&)?[ \t]{0,8})?`;
const CHAIN = new RegExp(`${LITERAL}(?:${JOIN}${LITERAL}){1,20}`, 'g');
const ONE_LITERAL = new RegExp(LITERAL, 'g');
/** Characters before a chain kept as context (the name it is assigned to). */
const CONTEXT = 60;

/** Joined string-literal chains of the text, each with the text before it on its line (or the line before) as context. */
export function joinedLiterals(source: string, max: number): DerivedText[] {
  const out: DerivedText[] = [];
  CHAIN.lastIndex = 0;
  for (let m = CHAIN.exec(source); m && out.length < max; m = CHAIN.exec(source)) {
    const chain = m[0];
    const from = contextStart(source, m.index);
    let text = source.slice(from, m.index);
    const origin: number[] = [];
    for (let i = from; i < m.index; i++) origin.push(i);
    const seams: number[] = [];
    let quote = '';
    ONE_LITERAL.lastIndex = 0;
    for (let part = ONE_LITERAL.exec(chain); part; part = ONE_LITERAL.exec(chain)) {
      const at = m.index + part.index;
      if (!quote) {
        quote = part[0][0]!;
        origin.push(at);
        text += quote;
      } else {
        seams.push(text.length);
      }
      for (let i = 1; i < part[0].length - 1; i++) {
        origin.push(at + i);
        text += part[0][i];
      }
    }
    const end = m.index + chain.length;
    origin.push(end - 1);
    text += quote;
    origin.push(end);
    out.push({ encoding: 'split', text, origin: Int32Array.from(origin), seams });
  }
  return out;
}

/**
 * Where the context before a chain at `at` begins: the start of its line, or of the
 * line before when the chain opens its line (`=` or `(` ended the line before: the
 * name is there), and never more than CONTEXT characters back. Scans only those
 * characters, so a long line with many chains stays linear.
 */
function contextStart(source: string, at: number): number {
  const floor = Math.max(0, at - CONTEXT);
  let from = at;
  let crossed = false;
  let blank = true;
  while (from > floor) {
    const code = source.charCodeAt(from - 1);
    if (code === 10 /* \n */) {
      if (crossed || !blank) break;
      crossed = true;
    } else if (!crossed && code !== 32 && code !== 9 && code !== 40 /* ( */) {
      blank = false;
    }
    from--;
  }
  return from;
}

/** Whether [start, end) of a derived text spans one of its seams (is not also in the source as written). */
export function spansSeam(derived: DerivedText, start: number, end: number): boolean {
  // A decoded escape in the key, or just around it (`%22sk-…%22`: the quotes that delimit it), changes
  // what the rules see; a literal boundary only matters inside the key.
  return derived.encoding === 'url'
    ? derived.seams.some((seam) => seam >= start - 1 && seam <= end)
    : derived.seams.some((seam) => seam > start && seam < end);
}
