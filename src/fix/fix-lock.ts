/**
 * One fix at a time per repository: `<git dir>/leakguard/fix.lock`, created
 * exclusively and holding the owner's pid. A second fix (or undo, or clean) waits
 * briefly for it, then fails with a clear error before touching anything. A lock
 * whose owner is no longer running is stale and taken over.
 */
import { promises as fs } from 'node:fs';
import { dirname, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { FixError } from '../errors.js';
import { isAlive, markerPath } from '../git/fix-marker.js';
import { fixMessages } from './messages.js';

export const FIX_LOCK_WAIT_MS = 5_000;

export async function withFixLock<T>(repoRoot: string, run: () => Promise<T>, waitMs = FIX_LOCK_WAIT_MS): Promise<T> {
  const dir = dirname(await markerPath(repoRoot)); // <git dir>/leakguard, found without git in a plain repository
  await fs.mkdir(dir, { recursive: true, mode: 0o700 });
  const lock = join(dir, 'fix.lock');
  await acquire(lock, waitMs);
  try {
    return await run();
  } finally {
    await fs.rm(lock, { force: true });
  }
}

async function acquire(lock: string, waitMs: number): Promise<void> {
  for (let waited = 0; ; waited += 100) {
    try {
      const handle = await fs.open(lock, 'wx', 0o600);
      await handle.writeFile(String(process.pid));
      await handle.close();
      return;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const owner = Number((await fs.readFile(lock, 'utf8').catch(() => '')).trim());
    // Written but not yet filled in by its owner: give it the benefit of the doubt.
    if (owner && !isAlive(owner)) {
      await fs.rm(lock, { force: true });
      continue;
    }
    if (waited >= waitMs) throw new FixError(fixMessages.fixLocked(owner || undefined, lock));
    await sleep(100);
  }
}
