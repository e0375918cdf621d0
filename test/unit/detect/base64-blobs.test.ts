import { describe, expect, test } from '@jest/globals';
import fc from 'fast-check';
import { Base64BlobFinder, base64Blobs } from '../../../src/detect/base64-blobs.js';

/** The definition: the blob regex, keeping matches that decode to printable text. */
const BLOB = /(?<![A-Za-z0-9+/=_-])[A-Za-z0-9+/_-]{24,4096}={0,2}(?![A-Za-z0-9+/=_-])/g;
function reference(text: string): Array<{ start: number; end: number; decoded: string }> {
  return [...text.matchAll(BLOB)].flatMap((m) => {
    const bytes = Buffer.from(m[0], 'base64');
    const printable = bytes.length >= 16 && bytes.every((b) => (b >= 0x20 && b <= 0x7e) || b === 0x0a || b === 0x0d || b === 0x09);
    return printable ? [{ start: m.index, end: m.index + m[0].length, decoded: bytes.toString('latin1') }] : [];
  });
}

const b64 = (text: string) => Buffer.from(text).toString('base64');

describe('base64Blobs', () => {
  test('finds blobs that encode text, with their spans', () => {
    const blob = b64('deploy:some-token-value-123');
    const text = `auth: "${blob}", other`;
    expect(base64Blobs(text, 10)).toEqual([{ start: 7, end: 7 + blob.length, decoded: 'deploy:some-token-value-123' }]);
  });

  test.each([
    ['run glued to more base64 after =', `${b64('a sentence long enough here')}=x`],
    ['three = of padding', `${b64('a sentence long enough here!')}=== `],
    ['too short', b64('short text')],
    ['binary data', Buffer.from(Array.from({ length: 40 }, (_, i) => (i * 37) % 256)).toString('base64')],
    ['a long identifier', 'thisIsAVeryLongIdentifierName_with_more_words'],
  ])('nothing for %s', (_, text) => {
    expect(base64Blobs(text, 10)).toEqual([]);
  });

  test('stops at the limit', () => {
    const text = Array.from({ length: 5 }, (_, i) => b64(`line ${i} of some printable text`)).join(' ');
    expect(base64Blobs(text, 3)).toHaveLength(3);
  });

  test('agrees with the blob regex on arbitrary text', () => {
    const pieces = fc.oneof(
      fc.string({ unit: fc.constantFrom('A', 'z', '0', '+', '/', '-', '_', '=', ' ', '"', 'é', '\n'), maxLength: 40 }),
      fc.string({ unit: fc.constantFrom(...'abcdefghij :=-_.,"\n'), minLength: 12, maxLength: 60 }).map(b64),
      fc.string({ unit: fc.constantFrom(...'xyz :/'), minLength: 16, maxLength: 40 }).map((s) => b64(s).replace(/=+$/, '')),
    );
    fc.assert(
      fc.property(fc.array(pieces, { maxLength: 8 }), (parts) => {
        const text = parts.join('');
        expect(base64Blobs(text, 1_000)).toEqual(reference(text));
      }),
      { numRuns: 2_000, seed: 64 },
    );
  });

  test('the finder answers the same before and after it switches from the regex to the skipping scan', () => {
    const text = `x = "${b64('user:some-token-value-1234')}"; y = '${b64('another printable value here')}'`;
    const finder = new Base64BlobFinder();
    const before = finder.find(text, 10);
    expect(before).toHaveLength(2);
    finder.find('a'.repeat(300_000), 10);
    expect(finder.find(text, 10)).toEqual(before);
  });
});
