/**
 * Named matchers: what a rule's regex finds is only where a match starts, and the
 * matcher (chosen by the rule's `matcher` field) reads the rest in code, in time
 * linear in what it reads. Used where one regex would have to backtrack over
 * thousands of lines (private-key blocks).
 */

/**
 * Extends the rule's match of [start, end) in `text` (the whole fragment, not a
 * window) and returns where the secret ends, or undefined when there is no match.
 */
export type Matcher = (text: string, start: number, end: number) => number | undefined;

/**
 * A PEM / PGP armored block: the regex matches the `-----BEGIN X-----` line; the
 * block runs to the first `-----END X-----` with the same X, over lines that are
 * base64 (`=` padding and the PGP checksum line included), blank, or armor headers
 * (`Proc-Type: 4,ENCRYPTED`, `Version: GnuPG v2`). Lines may be indented and end in
 * real line breaks or in `\n` escapes (keys pasted into JSON or .env files).
 *
 * Linear: the walk stops at the first line that is none of these, and every line
 * holding `-----` (so every other BEGIN line) is one of those, so no two walks read
 * the same line. The body is bounded too (MAX_BLOCK_BODY).
 */
export const pemBlockEnd: Matcher = (text, start, end) => {
  const header = /^-{5}BEGIN ([A-Z0-9][A-Z0-9 ]{0,60})-{5}$/.exec(text.slice(start, end));
  if (!header) return undefined;
  const footer = `-----END ${header[1]}-----`;
  const limit = Math.min(text.length, end + MAX_BLOCK_BODY);
  let base64Chars = 0;
  let pos = end;
  for (;;) {
    if (pos >= limit) return undefined;
    const lineStart = pos + lineBreakAt(text, pos);
    if (lineStart === pos) return undefined;
    let at = lineStart;
    while (at < limit && at - lineStart < MAX_INDENT && (text[at] === ' ' || text[at] === '\t')) at++;
    if (text.startsWith(footer, at)) return base64Chars >= MIN_BASE64_CHARS ? at + footer.length : undefined;
    const line = bodyLineAt(text, at, limit);
    if (line === undefined) return undefined;
    base64Chars += line.base64;
    pos = line.end;
  }
};

export const MATCHERS: Readonly<Record<string, Matcher>> = { 'pem-block': pemBlockEnd };

export function isKnownMatcher(name: string): boolean {
  return Object.hasOwn(MATCHERS, name);
}

/** The longest body (between the BEGIN and END lines) a block may have: far beyond a 16384-bit RSA key or a PGP key with subkeys. */
export const MAX_BLOCK_BODY = 1 << 16;
const MAX_INDENT = 40;
const MAX_LINE = 128;
/** Less than this is a placeholder (`...`, `<your key here>`), not a key: an Ed25519 PKCS#8 key has 64. */
const MIN_BASE64_CHARS = 40;

/** Length of the line break at `pos`: \n, \r\n, or their escapes \\n, \\r\\n; 0 when there is none. */
function lineBreakAt(text: string, pos: number): number {
  const c = text.charCodeAt(pos);
  if (c === 10) return 1;
  if (c === 13) return text.charCodeAt(pos + 1) === 10 ? 2 : 0;
  if (c !== 92) return 0;
  if (text.startsWith('n', pos + 1)) return 2;
  return text.startsWith('r\\n', pos + 1) ? 4 : 0;
}

const BASE64 = new Uint8Array(128);
for (const c of 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=') BASE64[c.charCodeAt(0)] = 1;

/**
 * One body line starting at `at` (after its indent), up to its line break: base64,
 * blank, or an armor header `Name: value` (printable ASCII, no `-----`).
 */
function bodyLineAt(text: string, at: number, limit: number): { end: number; base64: number } | undefined {
  let end = at;
  const stop = Math.min(limit, at + MAX_LINE + 1);
  while (end < stop && BASE64[text.charCodeAt(end)]) end++;
  if (end - at > MAX_LINE) return undefined;
  if (end === limit || lineBreakAt(text, end)) return { end, base64: end - at };
  // Not base64 all the way: an armor header, whose name is letters, digits and dashes.
  let colon = at;
  while (colon < limit && colon - at < 40 && (BASE64[text.charCodeAt(colon)] || text[colon] === '-') && text[colon] !== '=') colon++;
  if (colon === at || text[colon] !== ':' || !/[A-Za-z]/.test(text[at]!)) return undefined;
  let dashes = 0;
  for (end = colon + 1; end < limit && !lineBreakAt(text, end); end++) {
    const c = text.charCodeAt(end);
    if (c < 32 || c > 126 || end - at > MAX_LINE) return undefined;
    dashes = c === 45 ? dashes + 1 : 0;
    if (dashes === 5) return undefined;
  }
  return { end, base64: 0 };
}
