import { describe, expect, test } from '@jest/globals';
import { tmpdir } from 'node:os';
import { blobFragments, BlobReader, OVERLAP_CHARS } from '../../../src/sources/blob-reader.js';
import { decodeText, LineReader, sniffEncoding, type TextEncoding } from '../../../src/sources/decode-text.js';
import { emptyStats } from '../../../src/sources/source-stats.js';
import { diffFragments, quoteCPath } from '../../../src/sources/git-output/paired-diff.js';
import { GitOutputError } from '../../../src/errors.js';
import { hasManifest, lockfileManifests } from '../../../src/sources/lockfiles.js';
import type { Fragment } from '../../../src/sources/fragment.js';

const TEXT = 'first line\nsecond = "value é"\r\n\nlast without newline';

function utf32(text: string, bigEndian: boolean): Buffer {
  const units = [...text].map((ch) => {
    const b = Buffer.alloc(4);
    if (bigEndian) b.writeUInt32BE(ch.codePointAt(0)!);
    else b.writeUInt32LE(ch.codePointAt(0)!);
    return b;
  });
  return Buffer.concat(units);
}

const ENCODED: Array<[string, Buffer, TextEncoding]> = [
  ['UTF-8', Buffer.from(TEXT), 'utf8'],
  ['UTF-8 with a BOM', Buffer.from(`\ufeff${TEXT}`), 'utf8'],
  ['UTF-16LE', Buffer.from(TEXT, 'utf16le'), 'utf16le'],
  ['UTF-16LE with a BOM', Buffer.from(`\ufeff${TEXT}`, 'utf16le'), 'utf16le'],
  ['UTF-16BE', Buffer.from(TEXT, 'utf16le').swap16(), 'utf16be'],
  ['UTF-16BE with a BOM', Buffer.from(`\ufeff${TEXT}`, 'utf16le').swap16(), 'utf16be'],
  ['UTF-32LE', utf32(TEXT, false), 'utf32le'],
  ['UTF-32LE with a BOM', utf32(`\ufeff${TEXT}`, false), 'utf32le'],
  ['UTF-32BE', utf32(TEXT, true), 'utf32be'],
  ['UTF-32BE with a BOM', utf32(`\ufeff${TEXT}`, true), 'utf32be'],
];

/** Feeds `bytes` to a LineReader cut at `cut` (every split point is tried by the caller). */
function readLines(bytes: Buffer, encoding: TextEncoding, cuts: number[]): Array<[string, number]> {
  const reader = new LineReader(encoding);
  const out: Array<[string, number]> = [];
  let from = 0;
  for (const cut of [...cuts, bytes.length]) {
    for (const l of reader.push(bytes.subarray(from, cut))) out.push([l.text, l.line]);
    from = cut;
  }
  for (const l of reader.end()) out.push([l.text, l.line]);
  return out;
}

describe('decoding by the bytes alone', () => {
  test.each(ENCODED)('%s is recognised and decoded', (_name, bytes, encoding) => {
    expect(sniffEncoding(bytes).encoding).toBe(encoding);
    expect(decodeText(bytes)).toBe(TEXT);
  });

  test.each(ENCODED)('%s decodes the same whatever the chunk boundaries', (_name, bytes, encoding) => {
    const { bom } = sniffEncoding(bytes);
    const body = bytes.subarray(bom);
    const whole = readLines(body, encoding, []);
    expect(whole).toEqual(TEXT.split('\n').map((t, i) => [t, i + 1]));
    for (let cut = 1; cut < body.length; cut++) expect(readLines(body, encoding, [cut])).toEqual(whole);
  });

  test('binary: NUL bytes that are not UTF-16/32 text; tiny inputs are binary', () => {
    expect(sniffEncoding(Buffer.from([0, 1, 2, 10, 65, 66, 67, 68, 69, 70, 71, 72])).encoding).toBe('binary');
    expect(sniffEncoding(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d])).encoding).toBe('binary');
    expect(decodeText(Buffer.from([65, 0, 66]))).toBeUndefined();
  });

  test('binary files yield printable runs of 8+ characters with the line they are on, across any cut', () => {
    const bytes = Buffer.concat([
      Buffer.from([0, 1, 2]),
      Buffer.from('short\0'),
      Buffer.from('\nrun one is here\0\xff'),
      Buffer.from('\n\nx\ttabbed run\n'),
      Buffer.from([0, 0, 0]),
      Buffer.from('at the end'),
    ]);
    const expected: Array<[string, number]> = [
      ['run one is here', 2],
      ['x\ttabbed run', 4],
      ['at the end', 5],
    ];
    expect(readLines(bytes, 'binary', [])).toEqual(expected);
    for (let cut = 1; cut < bytes.length; cut++) expect(readLines(bytes, 'binary', [cut])).toEqual(expected);
    expect(
      readLines(
        bytes,
        'binary',
        Array.from({ length: bytes.length - 1 }, (_, i) => i + 1),
      ),
    ).toEqual(expected);
  });

  test('zero-filled chunks end a run and count no lines', () => {
    const reader = new LineReader('binary');
    const out = [
      ...reader.push(Buffer.from('printable')),
      ...reader.push(Buffer.alloc(4096)),
      ...reader.push(Buffer.from('\nsecond run')),
      ...reader.end(),
    ];
    expect(out).toEqual([
      { text: 'printable', line: 1 },
      { text: 'second run', line: 2 },
    ]);
  });
});

describe('blobFragments', () => {
  async function collect(chunks: Buffer[], options: { known?: Set<string>; pieceChars?: number } = {}): Promise<Fragment[]> {
    const out: Fragment[] = [];
    for await (const f of blobFragments(chunks, { path: 'f', origin: 'staged', stats: emptyStats(), ...options })) out.push(f);
    return out;
  }

  test('lines of the previous version are not new', async () => {
    const [fragment] = await collect([Buffer.from('a\nb\nc\n', 'utf16le')], { known: new Set(['b']) });
    expect(fragment).toMatchObject({ text: 'a\nc', lineNumbers: [1, 3] });
  });

  test('a long file comes in bounded pieces that overlap by whole lines, so nothing at a cut is lost', async () => {
    const lines = Array.from({ length: 5000 }, (_, i) => `line ${i} ${'x'.repeat(40)}`);
    const fragments = await collect([Buffer.from(lines.join('\n'))], { pieceChars: 50_000 });
    expect(fragments.length).toBeGreaterThan(3);
    for (const f of fragments) expect(f.text.length).toBeLessThan(50_000 + OVERLAP_CHARS + 100);
    const seen = new Map<number, string>();
    for (const f of fragments) f.text.split('\n').forEach((t, i) => seen.set(f.lineNumbers[i]!, t));
    expect([...seen.keys()].sort((a, b) => a - b)).toEqual(lines.map((_, i) => i + 1));
    for (let i = 1; i < fragments.length; i++) {
      // Each piece starts with lines the previous one ended with.
      expect(fragments[i]!.lineNumbers[0]!).toBeLessThan(fragments[i - 1]!.lineNumbers.at(-1)!);
    }
  });
});

describe('pairing patches with records', () => {
  const records = (...paths: string[]): string => paths.map((p) => `:000000 100644 ${'0'.repeat(40)} ${'1'.repeat(40)} A\0${p}\0`).join('');
  const patch = (header: string, line: string): string =>
    `${header}\nnew file mode 100644\n--- /dev/null\n+++ b/x\n@@ -0,0 +1 @@\n+${line}\n`;
  const context = { blobs: new BlobReader(tmpdir()), folder: async () => [] };

  async function read(diff: string): Promise<Fragment[]> {
    const out: Fragment[] = [];
    const chunks = (async function* () {
      yield Buffer.from(diff);
    })();
    for await (const f of diffFragments(chunks, emptyStats(), {}, 'staged', context)) out.push(f);
    return out;
  }

  test('paths from the records; the header checked against them, quoted paths included', async () => {
    const odd = 'dir "q"/cl\u00e9\tx.py';
    const out = await read(
      `${records('a.py', odd)}\0${patch('diff --git a/a.py b/a.py', 'one')}${patch(`diff --git ${quoteCPath(`a/${odd}`)} ${quoteCPath(`b/${odd}`)}`, 'two')}`,
    );
    expect(out.map((f) => [f.path, f.text])).toEqual([
      ['a.py', 'one'],
      [odd, 'two'],
    ]);
    expect(quoteCPath(`a/${odd}`)).toBe('"a/dir \\"q\\"/cl\u00e9\\tx.py"');
  });

  test('a patch with no header (a submodule printed as a log) fails closed, naming the file', async () => {
    const diff = `${records('sub', 'z.py')}\0Submodule sub 0000000...1234567 (new submodule)\n${patch('diff --git a/z.py b/z.py', 'key')}`;
    await expect(read(diff)).rejects.toThrow(GitOutputError);
    await expect(read(diff)).rejects.toThrow(/sub|z\.py/);
  });

  test('a header naming another path than its record fails closed, whatever the lengths', async () => {
    for (const header of [
      'diff --git a/b.py b/b.py',
      'diff --git a/a.py b/a.pyx',
      'diff --git a/a.py b/xa.py',
      'diff --git a/a.py  b/a.py',
    ]) {
      await expect(read(`${records('a.py')}\0${patch(header, 'one')}`)).rejects.toThrow(/a\.py.*out of place/);
    }
    // Two files in the wrong order.
    const swapped = `${records('a.py', 'b.py')}\0${patch('diff --git a/b.py b/b.py', 'two')}${patch('diff --git a/a.py b/a.py', 'one')}`;
    await expect(read(swapped)).rejects.toThrow(GitOutputError);
  });

  test('fewer patches than records fails closed', async () => {
    await expect(read(`${records('a.py', 'b.py')}\0${patch('diff --git a/a.py b/a.py', 'one')}`)).rejects.toThrow(/b\.py.*1 patches for 2/);
  });
});

describe('lockfile manifests', () => {
  test('a lockfile name maps to its manifests; other names to none', () => {
    expect(lockfileManifests('web/package-lock.json')).toEqual(['package.json']);
    expect(lockfileManifests('src/package.json')).toBeUndefined();
    expect(lockfileManifests('constructor')).toBeUndefined();
    expect(hasManifest(lockfileManifests('packages.lock.json')!, ['App.csproj'])).toBe(true);
    expect(hasManifest(['package.json'], ['package.json.bak'])).toBe(false);
  });
});
