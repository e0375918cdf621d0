/**
 * The single place where text from outside (file names, author names, rule texts
 * from a config, paths in error messages, source lines in a fix preview) is made
 * safe to print. A file named `a\n::error::x` must not start a new line or a CI
 * workflow command, `\x1b[2J` must not clear the screen, an OSC-8 sequence must not
 * plant a link, and a bidi override must not make text read differently from what
 * it is. Every such character is shown visibly instead:
 *
 * - `\n`, `\r`, `\t` as those two-character escapes;
 * - the other C0 controls, DEL and the C1 controls (U+0080–U+009F) as `\xHH`
 *   (ESC is `\x1b`, CSI `\x9b`);
 * - the bidi embeddings, overrides and isolates (U+202A–U+202E, U+2066–U+2069) and
 *   the line and paragraph separators (U+2028, U+2029) as `\uHHHH`.
 *
 * A backslash is left alone, so ordinary text (Windows paths, regexes) reads as
 * before; the escapes are for display, not a reversible encoding. Machine formats
 * keep exact values: see jsonText.
 */
const UNSAFE = /[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;
const UNSAFE_EXCEPT_LINES = /[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;
/** Outside JSON's own escapes (C0, `"`, `\`): the characters JSON.stringify leaves raw. */
const RAW_IN_JSON = /[\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

const NAMED: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

function visible(char: string): string {
  const code = char.charCodeAt(0);
  return NAMED[char] ?? (code <= 0xff ? `\\x${hex(code, 2)}` : `\\u${hex(code, 4)}`);
}

function hex(code: number, width: number): string {
  return code.toString(16).padStart(width, '0');
}

export interface EscapeOptions {
  /**
   * A block of text whose line breaks and tabs are its own (a diff, a stack trace,
   * a whole report): `\n` and `\t` stay; `\r` and everything else is escaped.
   */
  multiline?: boolean;
}

/** Text from outside, made safe for a terminal or a CI log (see the top of this file). */
export function escapeForDisplay(text: string, options: EscapeOptions = {}): string {
  return text.replace(options.multiline ? UNSAFE_EXCEPT_LINES : UNSAFE, visible);
}

/**
 * JSON text for a report (json, sarif, `rules --format json`). JSON.stringify
 * escapes C0 controls but leaves DEL, C1 controls, bidi overrides and U+2028/9
 * raw; they can only occur inside strings, where `\uHHHH` is the same value. So
 * the output parses back to exactly the same data and holds no raw control character.
 */
export function jsonText(value: unknown, indent = 2): string {
  return JSON.stringify(value, null, indent).replace(RAW_IN_JSON, (char) => `\\u${hex(char.charCodeAt(0), 4)}`);
}

const HTML_ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/**
 * Text from outside for an HTML page (text and attribute values): control
 * characters and bidi overrides made visible (escapeForDisplay), then the five
 * characters HTML gives meaning escaped as entities, so a file named
 * `<script>…` or `" onload="…` stays text.
 */
export function escapeHtml(text: string): string {
  return escapeForDisplay(text).replace(/[&<>"']/g, (char) => HTML_ENTITIES[char]!);
}
