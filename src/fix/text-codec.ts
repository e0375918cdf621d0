/**
 * Files are edited as text but must be written back byte for byte where nothing
 * changed: BOMs, CRLF and non-UTF-8 encodings survive the round trip.
 */
export type TextEncodingName = 'utf8' | 'utf16le' | 'utf16be' | 'latin1';

export interface DecodedText {
  text: string;
  encoding: TextEncodingName;
}

export function decodeText(bytes: Buffer): DecodedText {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return { text: bytes.toString('utf16le'), encoding: 'utf16le' };
  if (bytes[0] === 0xfe && bytes[1] === 0xff) {
    return { text: Buffer.from(bytes).swap16().toString('utf16le'), encoding: 'utf16be' };
  }
  const utf8 = bytes.toString('utf8');
  // Invalid UTF-8 would be replaced by U+FFFD and corrupted on write; latin1 maps every
  // byte to one character, so such files come back unchanged except for our edits.
  if (Buffer.from(utf8, 'utf8').equals(bytes)) return { text: utf8, encoding: 'utf8' };
  return { text: bytes.toString('latin1'), encoding: 'latin1' };
}

export function encodeText(text: string, encoding: TextEncodingName): Buffer {
  if (encoding === 'utf16be') return Buffer.from(text, 'utf16le').swap16();
  return Buffer.from(text, encoding);
}

/** The line ending a file already uses, so inserted lines match it. */
export function lineEndingOf(text: string): '\r\n' | '\n' {
  const lf = text.indexOf('\n');
  return lf > 0 && text[lf - 1] === '\r' ? '\r\n' : '\n';
}
