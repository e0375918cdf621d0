import { promises as fs } from 'node:fs';
import { basename, dirname, join } from 'node:path';

export interface AtomicWriteOptions {
  /** Mode for a file that does not exist yet (an existing file keeps its own). */
  mode?: number;
}

/** Signature of the writer, so tests can inject a failing one. */
export type FileWriter = (path: string, data: Buffer | string, options?: AtomicWriteOptions) => Promise<void>;

/**
 * Writes a temp file in the same folder, then renames it over the target, so a
 * crash leaves either the old or the new file, never half of one. A symlink is
 * followed so the link itself survives.
 */
export const writeFileAtomic: FileWriter = async (path, data, options = {}) => {
  const target = await fs.realpath(path).catch(() => path);
  const existingMode = await fs
    .stat(target)
    .then((s) => s.mode & 0o7777)
    .catch(() => undefined);
  const mode = existingMode ?? options.mode ?? 0o644;
  const temp = join(dirname(target), `.${basename(target)}.leakguard-${process.getBuiltinModule('node:crypto').randomBytes(6).toString('hex')}.tmp`);
  const handle = await fs.open(temp, 'wx', mode);
  try {
    try {
      await handle.writeFile(data);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await fs.chmod(temp, mode); // the umask may have narrowed the mode given to open()
    await fs.rename(temp, target);
  } catch (error) {
    await fs.rm(temp, { force: true });
    throw error;
  }
};

/** Reads a file, or null when it does not exist. */
export async function readFileIfExists(path: string): Promise<Buffer | null> {
  try {
    return await fs.readFile(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
}
