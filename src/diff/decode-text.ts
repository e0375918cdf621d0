const BINARY_SNIFF_BYTES = 8192;

/**
 * Text of a file, or undefined when it is binary (a NUL byte in its first 8 KB).
 * UTF-16 with a byte-order mark is decoded; a UTF-8 BOM is dropped.
 */
export function decodeText(data: Buffer): string | undefined {
  if (data.length >= 2 && data[0] === 0xff && data[1] === 0xfe) return data.subarray(2).toString('utf16le');
  if (data.length >= 2 && data[0] === 0xfe && data[1] === 0xff) {
    const body = Buffer.from(data.subarray(2, 2 + ((data.length - 2) & ~1)));
    return body.swap16().toString('utf16le');
  }
  const sniff = data.subarray(0, BINARY_SNIFF_BYTES);
  if (sniff.includes(0)) return undefined;
  const start = data.length >= 3 && data[0] === 0xef && data[1] === 0xbb && data[2] === 0xbf ? 3 : 0;
  return data.subarray(start).toString('utf8');
}
