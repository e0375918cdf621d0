import path from 'node:path';
import { writeFileAtomic } from '../fs/atomic-write.js';

/** Where a command's report goes: a file (written atomically) or stdout. */
export async function emitReport(report: string, outputFile: string | undefined, cwd: string): Promise<void> {
  if (outputFile) {
    await writeFileAtomic(path.resolve(cwd, outputFile), report);
    return;
  }
  await new Promise<void>((resolve, reject) => process.stdout.write(report, (e) => (e ? reject(e) : resolve())));
}

export function useColor(stream: NodeJS.WriteStream, outputFile: string | undefined): boolean {
  if (outputFile || process.env.NO_COLOR !== undefined) return false;
  if (process.env.FORCE_COLOR !== undefined && process.env.FORCE_COLOR !== '0') return true;
  return Boolean(stream.isTTY);
}
