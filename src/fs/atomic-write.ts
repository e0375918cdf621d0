import { promises as fs, type Stats } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { UnsafeFileError } from '../errors.js';
import { fileTypeOf, fsMessages } from './messages.js';

export interface AtomicWriteOptions {
  /** Mode the file ends with. Default: an existing file keeps its own, a new one gets 0644. */
  mode?: number;
}

/** Signature of the writer, so tests can inject a failing one. */
export type FileWriter = (path: string, data: Buffer | string, options?: AtomicWriteOptions) => Promise<void>;

/**
 * Writes a temp file in the same folder, then renames it over the target, so a
 * crash leaves either the old or the new file, never half of one. Never writes
 * through a symbolic link: a link (or anything but a regular file) at the target
 * is refused with UnsafeFileError before anything is written. The rename would
 * replace a link rather than follow it; the refusal keeps a link the user made from
 * silently becoming a file.
 */
export const writeFileAtomic: FileWriter = async (path, data, options = {}) => {
  const existing = await fs.lstat(path).catch((error: NodeJS.ErrnoException): Stats | null => {
    if (error.code === 'ENOENT') return null;
    throw error;
  });
  if (existing?.isSymbolicLink()) throw new UnsafeFileError(path, 'symlink', fsMessages.notWritten(fsMessages.symlink));
  if (existing && !existing.isFile()) {
    throw new UnsafeFileError(path, 'not-regular', fsMessages.notWritten(fsMessages.notRegular(fileTypeOf(existing))));
  }
  const mode = options.mode ?? (existing ? existing.mode & 0o7777 : 0o644);
  const temp = join(
    dirname(path),
    `.${basename(path)}.leakguard-${process.getBuiltinModule('node:crypto').randomBytes(6).toString('hex')}.tmp`,
  );
  // 'wx' (O_CREAT | O_EXCL) never follows a link at the temp name.
  const handle = await fs.open(temp, 'wx', mode);
  try {
    try {
      await handle.writeFile(data);
      await handle.chmod(mode); // the umask may have narrowed the mode given to open()
      await handle.sync();
    } finally {
      await handle.close();
    }
    await fs.rename(temp, path);
  } catch (error) {
    await fs.rm(temp, { force: true });
    throw error;
  }
};
