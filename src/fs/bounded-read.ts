/**
 * Reading a file the user controls (config, baseline, .env, .gitignore …) with a
 * size limit, and only when it is a regular file: a link to /dev/zero or a FIFO
 * fed by a secrets manager must fail at once with a clear error, not grow the
 * process to gigabytes or block forever.
 *
 * Synchronous on purpose: the config is read on every hook run, and these files
 * are small (the baseline is the large one, and is read once).
 */
import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';
import { UnsafeFileError } from '../errors.js';
import { fileTypeOf, fsMessages } from './messages.js';

const MB = 2 ** 20;

/** Size limits by kind of file, in bytes. */
export const READ_LIMITS = {
  config: 1 * MB,
  env: 1 * MB,
  gitignore: 1 * MB,
  envExample: 1 * MB,
  /** An entry takes about 40 bytes (32 hex digits, quotes, indent): room for over 6 million findings. */
  baseline: 256 * MB,
  /** `.leakguardignore`: about 80 bytes a line with its note, room for 100,000 entries. */
  ignoreFile: 8 * MB,
  /** The working-tree copy of a source file the fix rewrites (the tree scan reads up to 50 MB). */
  source: 64 * MB,
} as const;

export interface BoundedReadOptions {
  maxBytes: number;
  /** false: a symbolic link as the last path component is refused (O_NOFOLLOW). Default: true. */
  followSymlinks?: boolean;
  /** Name used in errors (default: the path as given). */
  name?: string;
}

/**
 * Reads a regular file of at most `maxBytes`. The type and size are checked with
 * fstat on the opened descriptor (no window between a stat and the open), the open
 * never blocks (O_NONBLOCK: a FIFO without a writer opens at once and is refused),
 * and the read stops at `maxBytes + 1` bytes even when the file grows meanwhile.
 * Throws UnsafeFileError; errors from the system (ENOENT, EACCES …) pass unchanged.
 */
export function readBoundedFile(path: string, options: BoundedReadOptions): Buffer {
  const { maxBytes } = options;
  const name = options.name ?? path;
  const follow = options.followSymlinks !== false;
  // O_NONBLOCK and O_NOFOLLOW do not exist on Windows (there they are undefined, so 0).
  const flags = constants.O_RDONLY | (constants.O_NONBLOCK ?? 0) | (follow ? 0 : (constants.O_NOFOLLOW ?? 0));
  let fd: number;
  try {
    fd = openSync(path, flags);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ELOOP' && !follow) throw new UnsafeFileError(name, 'symlink', fsMessages.symlink);
    // A socket cannot be opened (ENXIO); a directory cannot on some systems (EISDIR).
    if (code === 'ENXIO') throw new UnsafeFileError(name, 'not-regular', fsMessages.notRegular('a socket'));
    if (code === 'EISDIR') throw new UnsafeFileError(name, 'not-regular', fsMessages.notRegular('a directory'));
    throw error;
  }
  try {
    const info = fstatSync(fd);
    if (!info.isFile()) throw new UnsafeFileError(name, 'not-regular', fsMessages.notRegular(fileTypeOf(info)));
    if (info.size > maxBytes) throw new UnsafeFileError(name, 'too-large', fsMessages.tooLarge(maxBytes));
    // One read for the common case; the buffer grows only if the file grew since fstat.
    let buffer = Buffer.allocUnsafe(info.size + 1);
    let length = 0;
    for (;;) {
      if (length === buffer.length) {
        if (length > maxBytes) throw new UnsafeFileError(name, 'too-large', fsMessages.tooLarge(maxBytes));
        const grown = Buffer.allocUnsafe(Math.min(Math.max(length * 2, 64 * 1024), maxBytes + 1));
        buffer.copy(grown, 0, 0, length);
        buffer = grown;
      }
      const read = readSync(fd, buffer, length, buffer.length - length, null);
      if (read === 0) break;
      length += read;
    }
    if (length > maxBytes) throw new UnsafeFileError(name, 'too-large', fsMessages.tooLarge(maxBytes));
    return buffer.subarray(0, length);
  } finally {
    closeSync(fd);
  }
}

/** readBoundedFile, or null when the file does not exist. */
export function readBoundedFileIfExists(path: string, options: BoundedReadOptions): Buffer | null {
  try {
    return readBoundedFile(path, options);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
}

/** readBoundedFile as UTF-8 text. */
export function readBoundedText(path: string, options: BoundedReadOptions): string {
  return readBoundedFile(path, options).toString('utf8');
}
