import { afterEach, describe, expect, it } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { UnsafeFileError } from '../../../src/errors.js';
import { readWriteTarget, statWriteTarget } from '../../../src/fs/write-target.js';
import { makeTempDir } from '../../helpers/repo.js';

const posixOnly = process.platform === 'win32' ? it.skip : it;
const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((dir) => rmSync(dir, { recursive: true, force: true })));

function tempDir(): string {
  const dir = makeTempDir('leakguard-fs-');
  dirs.push(dir);
  return dir;
}

function refusal(run: () => unknown): { kind: string; code: string; file: string } | 'no error' {
  try {
    run();
  } catch (error) {
    if (error instanceof UnsafeFileError) return { kind: error.kind, code: error.code, file: error.file };
    throw error;
  }
  return 'no error';
}

describe('statWriteTarget', () => {
  it('returns the lstat of a file, null for a missing file or folder', () => {
    const root = tempDir();
    mkdirSync(join(root, 'src'));
    writeFileSync(join(root, 'src', 'app.py'), 'x');
    expect(statWriteTarget(root, 'src/app.py')?.isFile()).toBe(true);
    expect(statWriteTarget(root, 'src/missing.py')).toBeNull();
    expect(statWriteTarget(root, 'gone/app.py')).toBeNull();
    expect(statWriteTarget(root, 'src/app.py/below')).toBeNull();
  });

  posixOnly('refuses a link as the file, naming it', () => {
    const root = tempDir();
    symlinkSync(join(tempDir(), 'outside'), join(root, '.env'));
    expect(refusal(() => statWriteTarget(root, '.env'))).toEqual({ kind: 'symlink', code: 'a symbolic link', file: '.env' });
  });

  posixOnly('refuses a link as any folder on the way, naming the link', () => {
    const root = tempDir();
    const outside = tempDir();
    mkdirSync(join(outside, 'deep'));
    writeFileSync(join(outside, 'deep', 'app.py'), 'x');
    mkdirSync(join(root, 'a'));
    symlinkSync(outside, join(root, 'a', 'b'));
    expect(refusal(() => statWriteTarget(root, 'a/b/deep/app.py'))).toEqual({
      kind: 'parent-symlink',
      code: 'reached through the symbolic link a/b',
      file: 'a/b/deep/app.py',
    });
  });

  posixOnly('a link above the root (a symlinked temp folder, say) is not its business', () => {
    const real = tempDir();
    const alias = join(tempDir(), 'alias');
    symlinkSync(real, alias);
    writeFileSync(join(real, '.env'), 'A=1\n');
    expect(statWriteTarget(alias, '.env')?.isFile()).toBe(true);
  });
});

describe('readWriteTarget', () => {
  it('reads a regular file, null when there is none', () => {
    const root = tempDir();
    writeFileSync(join(root, '.env'), 'A=1\n');
    expect(readWriteTarget(root, '.env', 100)?.toString()).toBe('A=1\n');
    expect(readWriteTarget(root, '.gitignore', 100)).toBeNull();
  });

  posixOnly('refuses a FIFO from its lstat, without opening it (no writer needed)', () => {
    const root = tempDir();
    expect(spawnSync('mkfifo', [join(root, '.env')]).status).toBe(0);
    expect(refusal(() => readWriteTarget(root, '.env', 100))).toEqual({
      kind: 'not-regular',
      code: 'not a regular file but a FIFO',
      file: '.env',
    });
  });

  it('refuses a directory and a file over the limit', () => {
    const root = tempDir();
    mkdirSync(join(root, '.env'));
    writeFileSync(join(root, '.gitignore'), 'x'.repeat(101));
    expect(refusal(() => readWriteTarget(root, '.env', 100))).toMatchObject({ kind: 'not-regular' });
    expect(refusal(() => readWriteTarget(root, '.gitignore', 100))).toEqual({
      kind: 'too-large',
      code: 'larger than the 100-byte limit',
      file: '.gitignore',
    });
  });

  posixOnly('refuses a link to a regular file', () => {
    const root = tempDir();
    writeFileSync(join(root, 'real'), 'A=1\n');
    symlinkSync('real', join(root, '.env'));
    expect(refusal(() => readWriteTarget(root, '.env', 100))).toMatchObject({ kind: 'symlink', file: '.env' });
  });
});
