import { afterEach, describe, expect, test } from '@jest/globals';
import { mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ConfigError } from '../../../src/errors.js';
import { appendToIgnoreFile, ignoreLine, parseIgnoreFile } from '../../../src/findings/ignore-file.js';

const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));
function tempFile(content?: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'leakguard-ignore-'));
  dirs.push(dir);
  const file = path.join(dir, '.leakguardignore');
  if (content !== undefined) writeFileSync(file, content);
  return file;
}

const A = 'a'.repeat(32);
const B = 'b'.repeat(32);

describe('parseIgnoreFile', () => {
  test('fingerprints, notes, comments, blank lines, a BOM and CRLF', () => {
    expect([...parseIgnoreFile(`\uFEFF# c\r\n\r\n${A}  # note\r\n ${B}\r\n${A}\r\n`, 'f')]).toEqual([A, B]);
  });

  test('upper-case hex is not a fingerprint (the report writes lower case)', () => {
    expect(() => parseIgnoreFile(A.toUpperCase(), 'f')).toThrow(
      new ConfigError(
        'f',
        'line 1',
        'expected a fingerprint (32 hexadecimal digits, as in the JSON report), optionally followed by "# a note"',
      ),
    );
  });
});

describe('appendToIgnoreFile', () => {
  test('creates the file', async () => {
    const file = tempFile();
    await appendToIgnoreFile(file, [ignoreLine(A, 'false alarm')], '.leakguardignore');
    expect(readFileSync(file, 'utf8')).toBe(`${A}  # false alarm\n`);
  });

  test('keeps the existing text byte for byte, ends its last line first, and uses its CRLF', async () => {
    const file = tempFile(`# reviewed\r\n${A}`);
    await appendToIgnoreFile(file, [ignoreLine(B, 'x')], '.leakguardignore');
    expect(readFileSync(file, 'utf8')).toBe(`# reviewed\r\n${A}\r\n${B}  # x\r\n`);
  });

  test('a note cannot start a new line', () => {
    expect(ignoreLine(A, 'one\ntwo\r\nthree')).toBe(`${A}  # one two three`);
  });

  test('a file that does not parse is not added to', async () => {
    const file = tempFile('junk\n');
    await expect(appendToIgnoreFile(file, [A], '.leakguardignore')).rejects.toThrow('.leakguardignore: line 1');
    expect(readFileSync(file, 'utf8')).toBe('junk\n');
  });

  test('never writes through a symbolic link', async () => {
    const target = tempFile(`${A}\n`);
    const link = path.join(path.dirname(target), 'link');
    symlinkSync(target, link);
    await expect(appendToIgnoreFile(link, [B], 'link')).rejects.toThrow(/symbolic link/);
    expect(readFileSync(target, 'utf8')).toBe(`${A}\n`);
  });
});
