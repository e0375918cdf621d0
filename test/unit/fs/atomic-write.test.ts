import { afterEach, describe, expect, it } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import {
  chmodSync,
  lstatSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { UnsafeFileError } from '../../../src/errors.js';
import { writeFileAtomic } from '../../../src/fs/atomic-write.js';
import { makeTempDir } from '../../helpers/repo.js';

const posixOnly = process.platform === 'win32' ? it.skip : it;
const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((dir) => rmSync(dir, { recursive: true, force: true })));

function tempDir(): string {
  const dir = makeTempDir('leakguard-fs-');
  dirs.push(dir);
  return dir;
}

const modeOf = (file: string) => statSync(file).mode & 0o777;

describe('writeFileAtomic', () => {
  posixOnly('refuses a link at the target: the linked file and the link stay as they were', async () => {
    const dir = tempDir();
    const outside = join(tempDir(), 'outside');
    writeFileSync(outside, 'original\n');
    chmodSync(outside, 0o644);
    symlinkSync(outside, join(dir, '.env'));

    await expect(writeFileAtomic(join(dir, '.env'), 'KEY=value\n', { mode: 0o600 })).rejects.toMatchObject({ kind: 'symlink' });

    expect(readFileSync(outside, 'utf8')).toBe('original\n');
    expect(modeOf(outside)).toBe(0o644);
    expect(readlinkSync(join(dir, '.env'))).toBe(outside);
    expect(readdirSync(dir)).toEqual(['.env']);
  });

  posixOnly('refuses a FIFO or a directory at the target without opening it', async () => {
    const dir = tempDir();
    expect(spawnSync('mkfifo', [join(dir, 'fifo')]).status).toBe(0);
    mkdirSync(join(dir, 'folder'));
    await expect(writeFileAtomic(join(dir, 'fifo'), 'x')).rejects.toThrow(UnsafeFileError);
    await expect(writeFileAtomic(join(dir, 'folder'), 'x')).rejects.toMatchObject({
      kind: 'not-regular',
      code: expect.stringMatching(/^not a regular file but a directory; not written/),
    });
    expect(lstatSync(join(dir, 'fifo')).isFIFO()).toBe(true);
    expect(readdirSync(dir).sort()).toEqual(['fifo', 'folder']);
  });

  posixOnly('an explicit mode applies to an existing file too (.env ends at 0600)', async () => {
    const file = join(tempDir(), '.env');
    writeFileSync(file, 'A=1\n');
    chmodSync(file, 0o644);
    await writeFileAtomic(file, 'A=1\nB=2\n', { mode: 0o600 });
    expect(readFileSync(file, 'utf8')).toBe('A=1\nB=2\n');
    expect(modeOf(file)).toBe(0o600);
  });

  posixOnly('without a mode, an existing file keeps its own and a new one gets 0644 whatever the umask', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'kept'), 'a');
    chmodSync(join(dir, 'kept'), 0o640);
    const umask = process.umask(0o077);
    try {
      await writeFileAtomic(join(dir, 'kept'), 'b');
      await writeFileAtomic(join(dir, 'new'), 'c');
    } finally {
      process.umask(umask);
    }
    expect(modeOf(join(dir, 'kept'))).toBe(0o640);
    expect(modeOf(join(dir, 'new'))).toBe(0o644);
  });
});
