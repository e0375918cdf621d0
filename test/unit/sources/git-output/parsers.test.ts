import { describe, expect, test } from '@jest/globals';
import { PatchParser, type FilePatch } from '../../../../src/sources/git-output/patch-parser.js';
import { parseRawRecords } from '../../../../src/sources/git-output/raw-records.js';

/** Parses the diff line by line (line()) and in one block (block(), the history's way); both must agree. */
function parsePatch(text: string, flushChars?: number): FilePatch[] {
  const byLine: FilePatch[] = [];
  const lineParser = new PatchParser((p) => byLine.push({ ...p, lines: [...p.lines], lineNumbers: [...p.lineNumbers] }), flushChars);
  for (const line of text.split('\n')) lineParser.line(line);
  lineParser.end();
  const byBlock: FilePatch[] = [];
  const blockParser = new PatchParser((p) => byBlock.push({ ...p, lines: [...p.lines], lineNumbers: [...p.lineNumbers] }), flushChars);
  // The same lines as split("\n"): a final "\n" gives a last, empty line.
  blockParser.block(`${text}\n`, 0, text.length + 1);
  blockParser.end();
  expect(byBlock).toEqual(byLine);
  return byLine;
}

describe('parseRawRecords', () => {
  test('reads plain, renamed and copied records with verbatim paths', () => {
    const text =
      ':000000 100644 0000000 1111111 A\0new file\twith "tab".txt\0' +
      ':100644 100644 2222222 3333333 R087\0old name\0new\nname\0' +
      ':100644 100644 4444444 5555555 C100\0src\0copy\0' +
      '\0diff --git';
    const parsed = parseRawRecords(text);
    expect(parsed.complete).toBe(true);
    expect(parsed.entries.map((e) => [e.status, e.path, e.oldPath])).toEqual([
      ['A', 'new file\twith "tab".txt', undefined],
      ['R', 'new\nname', 'old name'],
      ['C', 'copy', 'src'],
    ]);
    expect(text[parsed.offset]).toBe('\0');
  });

  test('leaves an incomplete record for later', () => {
    const parsed = parseRawRecords(':000000 100644 0000000 1111111 A\0partial-na');
    expect(parsed).toEqual({ entries: [], offset: 0, complete: false });
  });

  test('every field of a record, and short records read as far as they go', () => {
    const sha = (c: string) => c.repeat(40);
    const parsed = parseRawRecords(
      `:100644 100755 ${sha('a')} ${sha('b')} M\0x\0:100644 100644 abc\0y\0:120000  ${sha('c')} ${sha('d')} T\0z\0`,
    );
    expect(parsed.entries).toEqual([
      { status: 'M', srcMode: '100644', dstMode: '100755', srcSha: sha('a'), dstSha: sha('b'), path: 'x' },
      { status: '', srcMode: '100644', dstMode: '100644', srcSha: 'abc', dstSha: '', path: 'y' },
      // Two spaces: an empty field, as a split on " " reads it.
      { status: 'T', srcMode: '120000', dstMode: '', srcSha: sha('c'), dstSha: sha('d'), path: 'z' },
    ]);
  });

  test('empty output is complete with no entries', () => {
    expect(parseRawRecords('')).toEqual({ entries: [], offset: 0, complete: false });
  });
});

describe('PatchParser', () => {
  test('keeps only added lines with their new line numbers', () => {
    const patches = parsePatch(
      [
        'diff --git a/a.txt b/a.txt',
        'index 1..2 100644',
        '--- a/a.txt',
        '+++ b/a.txt',
        '@@ -2 +2 @@ context',
        '-old',
        '+new',
        '@@ -10,0 +11,2 @@',
        '+x',
        '+y',
      ].join('\n'),
    );
    expect(patches).toHaveLength(1);
    expect(patches[0]).toMatchObject({ index: 0, binary: false, lines: ['new', 'x', 'y'], lineNumbers: [2, 11, 12], final: true });
  });

  test('lines that look like headers inside a hunk are content', () => {
    const patches = parsePatch(
      [
        'diff --git a/x b/x',
        '--- a/x',
        '+++ b/x',
        '@@ -1,2 +1,3 @@',
        '--- a/y',
        '-+++ b',
        '+++ b/z',
        '+diff --git a/q b/q',
        '+@@ -1 +1 @@',
      ].join('\n'),
    );
    expect(patches).toHaveLength(1);
    expect(patches[0]!.lines).toEqual(['++ b/z', 'diff --git a/q b/q', '@@ -1 +1 @@']);
  });

  test('keeps CRLF and ignores the no-newline marker', () => {
    const patches = parsePatch(['diff --git a/w b/w', '@@ -0,0 +1,2 @@', '+one\r', '+two', '\\ No newline at end of file'].join('\n'));
    expect(patches[0]!.lines).toEqual(['one\r', 'two']);
  });

  test('a no-newline marker inside a hunk moves no line number', () => {
    // The last line of a file that had no final newline, changed and followed by another.
    const patches = parsePatch(['diff --git a/w b/w', '@@ -3 +3,2 @@', '-c', '\\ No newline at end of file', '+c', '+d'].join('\n'));
    expect(patches[0]!.lines).toEqual(['c', 'd']);
    expect(patches[0]!.lineNumbers).toEqual([3, 4]);
  });

  test('binary files yield no lines', () => {
    const patches = parsePatch(
      [
        'diff --git a/b.bin b/b.bin',
        'new file mode 100644',
        'Binary files /dev/null and b/b.bin differ',
        'diff --git a/t b/t',
        '@@ -0,0 +1 @@',
        '+t',
      ].join('\n'),
    );
    expect(patches.map((p) => [p.index, p.binary, p.lines])).toEqual([
      [0, true, []],
      [1, false, ['t']],
    ]);
  });

  test('deleted files and mode changes produce empty patches, counted in order', () => {
    const patches = parsePatch(
      [
        'diff --git a/d b/d',
        'deleted file mode 100644',
        '@@ -1,2 +0,0 @@',
        '-a',
        '-b',
        'diff --git a/m b/m',
        'old mode 100644',
        'new mode 100755',
        'diff --git a/n b/n',
        '@@ -0,0 +1 @@',
        '+n',
      ].join('\n'),
    );
    expect(patches.map((p) => [p.index, p.lines])).toEqual([
      [0, []],
      [1, []],
      [2, ['n']],
    ]);
  });

  test('large files are emitted in pieces, the last one final', () => {
    const lines = Array.from({ length: 10 }, (_, i) => `+line-${i}-${'x'.repeat(20)}`);
    const patches = parsePatch(['diff --git a/big b/big', '@@ -0,0 +1,10 @@', ...lines].join('\n'), 60);
    expect(patches.length).toBeGreaterThan(2);
    expect(patches.slice(0, -1).every((p) => !p.final)).toBe(true);
    expect(patches.at(-1)!.final).toBe(true);
    expect(patches.flatMap((p) => p.lineNumbers)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
  });

  test('combined diffs of merges keep only lines new in the result', () => {
    const patches = parsePatch(
      [
        'diff --cc f',
        'index 1,2..3',
        '--- a/f',
        '+++ b/f',
        '@@@ -1,1 -1,1 +1,2 @@@',
        '- from-one',
        ' -from-two',
        '++evil',
        '  shared',
        'diff --cc g',
        '@@@ -1 -1 +1 @@@',
        '++g',
      ].join('\n'),
    );
    expect(patches.map((p) => [p.index, p.lines, p.lineNumbers])).toEqual([
      [0, ['evil'], [1]],
      [1, ['g'], [1]],
    ]);
  });

  test('block() reads the lines of a range only, the last one ended by the range', () => {
    const out: FilePatch[] = [];
    const parser = new PatchParser((p) => out.push({ ...p, lines: [...p.lines], lineNumbers: [...p.lineNumbers] }));
    const diff = 'diff --git a/x b/x\n@@ -1,0 +1,3 @@\n+one\n+two\n+three\nAFTER';
    // Up to the end of "+two": the range cuts before its "\n"; "+three" and what follows are not read.
    parser.block(`HEAD\n${diff}`, 5, 5 + diff.indexOf('\n+three'));
    parser.end();
    expect(out.map((p) => [p.lines, p.lineNumbers])).toEqual([
      [
        ['one', 'two'],
        [1, 2],
      ],
    ]);
  });

  test('reset starts counting files again', () => {
    const out: number[] = [];
    const parser = new PatchParser((p) => out.push(p.index));
    for (const l of ['diff --git a/a b/a', '@@ -0,0 +1 @@', '+a']) parser.line(l);
    parser.reset();
    for (const l of ['diff --git a/b b/b', '@@ -0,0 +1 @@', '+b']) parser.line(l);
    parser.end();
    expect(out).toEqual([0, 0]);
  });
});
