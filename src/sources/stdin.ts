import { readFileSync } from 'node:fs';
import { InputError } from '../errors.js';
import { contiguousFragment } from './fragment.js';
import type { Source } from './source.js';

export const STDIN_PATH = '(stdin)';

export const stdinMessages = {
  unreadable: (code: string | undefined): string => `cannot read standard input (${code})`,
} as const;

/** `leakguard scan --stdin`: one text, named STDIN_PATH. `text` undefined: standard input, read now. */
export function stdinSource(text?: string): Source {
  const input = text ?? readStdin();
  return {
    kind: 'stdin',
    label: 'standard input',
    addedLinesOnly: false,
    needsRepo: false,
    // One fragment: nothing to share with a worker.
    detectInWorker: false,
    commitOrdered: false,
    reportsProgress: false,
    async *fragments({ stats }) {
      stats.textRead(input, Buffer.byteLength(input));
      if (input.length) yield contiguousFragment(STDIN_PATH, input, 'stdin');
    },
    close() {},
  };
}

/** All of standard input as text (also the pre-push hook's ref lines). */
export function readStdin(): string {
  try {
    return readFileSync(0, 'utf8');
  } catch (error) {
    throw new InputError(stdinMessages.unreadable((error as NodeJS.ErrnoException).code));
  }
}
