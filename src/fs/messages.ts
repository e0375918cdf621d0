/** Why a file was not read or written (the `code` of an UnsafeFileError). */
import type { Stats } from 'node:fs';

export const fsMessages = {
  symlink: 'a symbolic link',
  parentSymlink: (dir: string) => `reached through the symbolic link ${dir}`,
  notRegular: (what: string) => `not a regular file but ${what}`,
  tooLarge: (maxBytes: number) => `larger than the ${formatBytes(maxBytes)} limit`,
  /** A write refused because of what is at the target (one of the reasons above). */
  notWritten: (reason: string) => `${reason}; not written (leakguard writes only regular files, never through a link)`,
} as const;

/** "a FIFO", "a directory" … for the file types that are not regular files. */
export function fileTypeOf(info: Stats): string {
  if (info.isFIFO()) return 'a FIFO';
  if (info.isDirectory()) return 'a directory';
  if (info.isCharacterDevice()) return 'a character device';
  if (info.isBlockDevice()) return 'a block device';
  if (info.isSocket()) return 'a socket';
  if (info.isSymbolicLink()) return 'a symbolic link';
  return 'not a file';
}

function formatBytes(bytes: number): string {
  if (bytes >= 2 ** 20 && bytes % 2 ** 20 === 0) return `${bytes / 2 ** 20} MB`;
  if (bytes >= 2 ** 10 && bytes % 2 ** 10 === 0) return `${bytes / 2 ** 10} KB`;
  return `${bytes}-byte`;
}
