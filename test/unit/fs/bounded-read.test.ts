import { afterEach, describe, expect, it } from '@jest/globals';
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, rmSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { UnsafeFileError } from '../../../src/errors.js';
import { readBoundedFile, readBoundedFileIfExists, readBoundedText } from '../../../src/fs/bounded-read.js';
import { makeTempDir } from '../../helpers/repo.js';

const posixOnly = process.platform === 'win32' ? it.skip : it;
const linuxOnly = process.platform === 'linux' ? it : it.skip;
const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((dir) => rmSync(dir, { recursive: true, force: true })));

function tempDir(): string {
  const dir = makeTempDir('leakguard-fs-');
  dirs.push(dir);
  return dir;
}

function refusal(read: () => unknown): { kind: string; code: string; file: string } | 'no error' {
  try {
    read();
  } catch (error) {
    if (error instanceof UnsafeFileError) return { kind: error.kind, code: error.code, file: error.file };
    throw error;
  }
  return 'no error';
}

describe('readBoundedFile', () => {
  it('reads a regular file up to exactly the limit, and refuses one byte more', () => {
    const file = join(tempDir(), 'config.json');
    writeFileSync(file, 'x'.repeat(100));
    expect(readBoundedFile(file, { maxBytes: 100 }).toString()).toBe('x'.repeat(100));
    expect(refusal(() => readBoundedFile(file, { maxBytes: 99 }))).toEqual({
      kind: 'too-large',
      code: 'larger than the 99-byte limit',
      file,
    });
  });

  it('reads an empty file', () => {
    const file = join(tempDir(), 'empty');
    writeFileSync(file, '');
    expect(readBoundedFile(file, { maxBytes: 0 }).length).toBe(0);
  });

  it('refuses a 4 GB sparse file from its size, without reading it', () => {
    const file = join(tempDir(), 'huge.json');
    writeFileSync(file, '');
    truncateSync(file, 4 * 2 ** 30);
    expect(refusal(() => readBoundedText(file, { maxBytes: 2 ** 20, name: '.leakguard.json' }))).toEqual({
      kind: 'too-large',
      code: 'larger than the 1 MB limit',
      file: '.leakguard.json',
    });
  });

  linuxOnly('stops at the limit when the file holds more than fstat says (a /proc file reports size 0)', () => {
    expect(refusal(() => readBoundedFile('/proc/self/status', { maxBytes: 16 }))).toMatchObject({ kind: 'too-large' });
    expect(readBoundedText('/proc/self/status', { maxBytes: 2 ** 20 })).toMatch(/^Name:/);
  });

  posixOnly('refuses /dev/zero (a link to it too) at once', () => {
    const link = join(tempDir(), 'baseline.json');
    symlinkSync('/dev/zero', link);
    expect(refusal(() => readBoundedFile('/dev/zero', { maxBytes: 2 ** 28 }))).toMatchObject({
      kind: 'not-regular',
      code: 'not a regular file but a character device',
    });
    expect(refusal(() => readBoundedFile(link, { maxBytes: 2 ** 28 }))).toMatchObject({ kind: 'not-regular' });
  });

  it('refuses a directory', () => {
    expect(refusal(() => readBoundedFile(tempDir(), { maxBytes: 100 }))).toMatchObject({
      kind: 'not-regular',
      code: 'not a regular file but a directory',
    });
  });

  posixOnly('refuses a FIFO without waiting for a writer to open it', async () => {
    const fifo = join(tempDir(), '.env');
    expect(spawnSync('mkfifo', [fifo]).status).toBe(0);
    // A blocking open would wait for a writer: this one comes only after 20 s, so a
    // regression makes the test slow and then fail, never hang.
    const writer = spawn(process.execPath, ['-e', `setTimeout(() => require('node:fs').openSync(${JSON.stringify(fifo)}, 'w'), 20000)`], {
      stdio: 'ignore',
    });
    try {
      expect(refusal(() => readBoundedFile(fifo, { maxBytes: 100 }))).toMatchObject({
        kind: 'not-regular',
        code: 'not a regular file but a FIFO',
      });
      expect(writer.exitCode).toBeNull();
    } finally {
      writer.kill('SIGKILL');
    }
  });

  posixOnly('follows a link to a regular file by default, refuses it with followSymlinks: false', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'target'), 'content');
    symlinkSync(join(dir, 'target'), join(dir, 'link'));
    expect(readBoundedText(join(dir, 'link'), { maxBytes: 100 })).toBe('content');
    expect(refusal(() => readBoundedFile(join(dir, 'link'), { maxBytes: 100, followSymlinks: false, name: '.env' }))).toEqual({
      kind: 'symlink',
      code: 'a symbolic link',
      file: '.env',
    });
  });

  it('passes system errors through unchanged; readBoundedFileIfExists maps a missing file to null', () => {
    const missing = join(tempDir(), 'missing');
    expect(() => readBoundedFile(missing, { maxBytes: 1 })).toThrow(expect.objectContaining({ code: 'ENOENT' }));
    expect(readBoundedFileIfExists(missing, { maxBytes: 1 })).toBeNull();
    const dir = tempDir();
    mkdirSync(join(dir, 'sub'));
    expect(() => readBoundedFileIfExists(join(dir, 'sub'), { maxBytes: 1 })).toThrow(UnsafeFileError);
  });
});
