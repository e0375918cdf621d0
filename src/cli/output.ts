import { writeSync } from 'node:fs';
import path from 'node:path';
import { isatty } from 'node:tty';
import { writeFileAtomic } from '../fs/atomic-write.js';

export const STDOUT_FD = 1;

/** Where a command's report goes: a file (written atomically) or stdout. `option` names the file's flag in errors. */
export async function emitReport(report: string, outputFile: string | undefined, cwd: string, option = '--output'): Promise<void> {
  if (outputFile) {
    await writeFileAtomic(path.resolve(cwd, outputFile), report).catch(async (error: NodeJS.ErrnoException) => {
      // Loaded only on failure: the hook's path never writes a file.
      const { outputError } = await import('./output-path.js');
      throw outputError(error, option, outputFile, cwd);
    });
    return;
  }
  await writeStdout(report);
}

/**
 * Writes straight to file descriptor 1: setting up process.stdout costs the hook
 * more than one write does (bench/perf/README.md). A non-blocking pipe that is full
 * (EAGAIN) gets the rest through process.stdout, which waits for it. A reader that
 * has gone (`leakguard rules | head -1`: EPIPE) is not an error: the rest of the
 * report is dropped quietly and the command keeps its exit code.
 */
function writeStdout(text: string): Promise<void> {
  const data = Buffer.from(text, 'utf8');
  let written = 0;
  try {
    while (written < data.length) written += writeSync(STDOUT_FD, data, written);
    return Promise.resolve();
  } catch (error) {
    if (isBrokenPipe(error)) return Promise.resolve();
    if ((error as NodeJS.ErrnoException).code !== 'EAGAIN') return Promise.reject(error);
  }
  ignoreBrokenPipe(process.stdout);
  return new Promise<void>((resolve, reject) =>
    process.stdout.write(data.subarray(written), (e) => (e && !isBrokenPipe(e) ? reject(e) : resolve())),
  );
}

function isBrokenPipe(error: unknown): boolean {
  return (error as NodeJS.ErrnoException | undefined)?.code === 'EPIPE';
}

/**
 * A stream whose reader went away emits an 'error' event (EPIPE) that nothing else
 * listens to, which Node turns into a crash with a stack trace. Once per stream.
 */
const guarded = new WeakSet<NodeJS.WriteStream>();

export function ignoreBrokenPipe(stream: NodeJS.WriteStream): void {
  if (guarded.has(stream)) return;
  guarded.add(stream);
  stream.on('error', (error) => {
    if (!isBrokenPipe(error)) throw error;
  });
}

export function useColor(fd: number, outputFile: string | undefined): boolean {
  if (outputFile || process.env.NO_COLOR !== undefined) return false;
  if (process.env.FORCE_COLOR !== undefined && process.env.FORCE_COLOR !== '0') return true;
  return isatty(fd);
}
