import { LeakguardError } from '../errors.js';
import { messages } from '../messages.js';

/** Every failure ends here: one line on stderr, exit code 2, never a stack trace (unless LEAKGUARD_DEBUG). */
export function reportError(error: unknown): number {
  if (error instanceof LeakguardError) {
    process.stderr.write(`${messages.errorPrefix} ${firstLine(error.message)}\n`);
    return error.exitCode;
  }
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(`${messages.internalError(firstLine(message))}\n`);
  if (process.env.LEAKGUARD_DEBUG) process.stderr.write(`${(error as Error)?.stack ?? ''}\n`);
  return 2;
}

function firstLine(text: string): string {
  return text.split('\n').find((l) => l.trim()) ?? text;
}
