/**
 * Base64 blobs that may hide a key (Docker `auth` fields, `echo … | base64 -d`,
 * Kubernetes secrets): maximal runs of 24–4,096 base64 characters (standard or
 * URL alphabet), with at most two `=` of padding, between characters that cannot
 * continue a run: the matches of BLOB_REGEX. The regex is native code at once,
 * which wins on a commit's few kilobytes; past REGEX_CHARS of text a skipping
 * scan (below) takes over, faster once optimised (bench/perf/README.md).
 */
export interface Base64Blob {
  start: number;
  end: number;
  /** What the blob encodes: printable ASCII text (a key, `user:token`, JSON…). */
  decoded: string;
}

const BLOB_REGEX = /(?<![A-Za-z0-9+/=_-])[A-Za-z0-9+/_-]{24,4096}={0,2}(?![A-Za-z0-9+/=_-])/g;
const REGEX_CHARS = 256 * 1024;
const MIN_RUN = 24;
const MAX_RUN = 4096;

/** 1 for characters of a run, 2 for `=`, 0 for everything else (indexed by UTF-16 code unit). */
const RUN = 1;
const PAD = 2;
const KIND = new Uint8Array(0x10000);
for (const ch of 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/_-') KIND[ch.charCodeAt(0)] = RUN;
KIND[0x3d] = PAD;

/**
 * First characters of a 4-character group that can encode printable text: the
 * group's first byte is 0x20–0x7E (top six bits 8–31: `I`–`Z`, `a`–`f`) or a tab,
 * newline or carriage return (`C`, `D`). Anything else cannot decode to text, so
 * most long identifiers are dismissed without decoding.
 */
const TEXT_GROUP_START = new Uint8Array(128);
for (const ch of 'CDIJKLMNOPQRSTUVWXYZabcdef') TEXT_GROUP_START[ch.charCodeAt(0)] = 1;

/** Finds blobs, choosing the engine by how much text it has seen (one per detector). */
export class Base64BlobFinder {
  private regexChars = REGEX_CHARS;

  /** Blobs of the text that decode to printable text, at most `max` of them. */
  find(text: string, max: number): Base64Blob[] {
    if (this.regexChars <= 0) return base64Blobs(text, max);
    this.regexChars -= text.length;
    const blobs: Base64Blob[] = [];
    BLOB_REGEX.lastIndex = 0;
    for (let match = BLOB_REGEX.exec(text); match && blobs.length < max; match = BLOB_REGEX.exec(text)) {
      const decoded = decodePrintable(match[0]);
      if (decoded !== undefined) blobs.push({ start: match.index, end: match.index + match[0].length, decoded });
    }
    return blobs;
  }
}

/**
 * The skipping scan: blobs of the text that decode to printable text, at most `max`.
 *
 * Every pass over the text reads each character, so this one skips: a run of at
 * least MIN_RUN characters must cover the character MIN_RUN - 1 ahead, so only
 * that one is looked at; when it cannot be part of a run, none starts before it.
 * In source code runs are short, and most characters are never read.
 */
export function base64Blobs(text: string, max: number): Base64Blob[] {
  const blobs: Base64Blob[] = [];
  const n = text.length;
  // Invariant: i is 0 or follows a character that is not part of a run.
  let i = 0;
  while (i + MIN_RUN <= n && blobs.length < max) {
    const probe = i + MIN_RUN - 1;
    if (KIND[text.charCodeAt(probe)] !== RUN) {
      i = probe + 1;
      continue;
    }
    let start = probe;
    while (start > i && KIND[text.charCodeAt(start - 1)] === RUN) start--;
    let end = probe + 1;
    while (end < n && KIND[text.charCodeAt(end)] === RUN) end++;
    const run = end - start;
    let padded = end;
    while (padded < n && KIND[text.charCodeAt(padded)] === PAD) padded++;
    i = end + 1;
    if (run < MIN_RUN || run > MAX_RUN || padded - end > 2) continue;
    // `=` glued to the run on either side: part of something longer, not a blob.
    if (start > 0 && KIND[text.charCodeAt(start - 1)] === PAD) continue;
    if (padded < n && KIND[text.charCodeAt(padded)] !== 0) continue;
    if (!mayEncodeText(text, start, end)) continue;
    const decoded = decodePrintable(text.slice(start, padded));
    if (decoded !== undefined) blobs.push({ start, end: padded, decoded });
  }
  return blobs;
}

/** A trailing lone character decodes to no byte, so only groups of two or more are checked. */
function mayEncodeText(text: string, from: number, to: number): boolean {
  for (let i = from; i + 1 < to; i += 4) if (TEXT_GROUP_START[text.charCodeAt(i)] !== 1) return false;
  return true;
}

function decodePrintable(blob: string): string | undefined {
  const bytes = Buffer.from(blob, 'base64');
  if (bytes.length < 16) return undefined;
  for (const byte of bytes) if ((byte < 0x20 || byte > 0x7e) && byte !== 0x0a && byte !== 0x0d && byte !== 0x09) return undefined;
  return bytes.toString('latin1');
}
