/**
 * Files inside a repository that a command is about to replace (the fix's `.env`,
 * `.gitignore`, `.env.example`, source files): never reached through a symbolic
 * link, and, where they exist, regular files. Checked with lstat, so nothing is
 * opened (a FIFO is never opened here) and no link is followed.
 */
import { lstatSync, type Stats } from 'node:fs';
import { join } from 'node:path';
import { UnsafeFileError } from '../errors.js';
import { readBoundedFile } from './bounded-read.js';
import { fileTypeOf, fsMessages } from './messages.js';

/**
 * lstat of `root/relPath` (relPath uses `/`, as git paths do), or null when it does
 * not exist. Throws UnsafeFileError when the file or any folder between root and it
 * is a symbolic link: git never tracks a path through a link, so a link there was
 * put in after staging, and may lead anywhere.
 */
export function statWriteTarget(root: string, relPath: string): Stats | null {
  const parts = relPath.split('/').filter((part) => part !== '' && part !== '.');
  let current = root;
  for (let i = 0; i < parts.length; i++) {
    current = join(current, parts[i]!);
    let info: Stats;
    try {
      info = lstatSync(current);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' || code === 'ENOTDIR') return null;
      throw error;
    }
    const last = i === parts.length - 1;
    if (info.isSymbolicLink()) {
      if (last) throw new UnsafeFileError(relPath, 'symlink', fsMessages.symlink);
      throw new UnsafeFileError(relPath, 'parent-symlink', fsMessages.parentSymlink(parts.slice(0, i + 1).join('/')));
    }
    if (last) return info;
  }
  return null;
}

/**
 * Reads a file the caller will replace: no link on the way (statWriteTarget), a
 * regular file if it exists, at most `maxBytes`. Null when it does not exist.
 */
export function readWriteTarget(root: string, relPath: string, maxBytes: number): Buffer | null {
  const info = statWriteTarget(root, relPath);
  if (!info) return null;
  if (!info.isFile()) throw new UnsafeFileError(relPath, 'not-regular', fsMessages.notRegular(fileTypeOf(info)));
  try {
    // O_NOFOLLOW and fstat again: the file may have been swapped since the lstat.
    return readBoundedFile(join(root, relPath), { maxBytes, followSymlinks: false, name: relPath });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
}
