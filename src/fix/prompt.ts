/**
 * The interactive decision, asked on the terminal (`/dev/tty`, because inside a git
 * hook stdin is not the keyboard). Without a terminal nothing ever waits: callers
 * get null from openTerminal() and block the commit at once.
 */
import { closeSync, openSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { isatty, ReadStream, WriteStream } from 'node:tty';
import { escapeForDisplay } from '../report/escape.js';
import { redactSecret } from '../redact.js';
import { fixMessages } from './messages.js';
import type { PlanItem } from './plan-fix.js';

/** Terminal I/O, injectable for tests. readLine resolves null at end of input. */
export interface PromptIO {
  write(text: string): void;
  readLine(): Promise<string | null>;
  close?(): void;
}

export type Answer = 'yes' | 'no' | 'all' | 'quit';

export type Decisions = { kind: 'decided'; accepted: Set<PlanItem> } | { kind: 'aborted' };

/** True when the environment says nobody is there to answer (CI, IDE commit buttons…). */
export function isNonInteractiveEnv(env: NodeJS.ProcessEnv): boolean {
  const ci = env.CI?.toLowerCase();
  return (ci !== undefined && ci !== '' && ci !== 'false' && ci !== '0') || env.LEAKGUARD_NO_PROMPT === '1';
}

/** Opens /dev/tty for the prompt, or returns null when there is no usable terminal. */
export function openTerminal(env: NodeJS.ProcessEnv = process.env, device = '/dev/tty'): PromptIO | null {
  if (isNonInteractiveEnv(env)) return null;
  let readFd: number | undefined;
  let writeFd: number | undefined;
  try {
    readFd = openSync(device, 'r');
    writeFd = openSync(device, 'w');
    if (!isatty(readFd)) throw new Error('not a terminal');
  } catch {
    if (readFd !== undefined) closeSync(readFd);
    if (writeFd !== undefined) closeSync(writeFd);
    return null;
  }
  const input = new ReadStream(readFd);
  const output = new WriteStream(writeFd);
  return streamPromptIO(input, output, () => {
    input.destroy();
    output.destroy();
  });
}

/** PromptIO over any pair of streams (the terminal, or pipes in tests). */
export function streamPromptIO(input: NodeJS.ReadableStream, output: NodeJS.WritableStream, close?: () => void): PromptIO {
  const lines = createInterface({ input, terminal: false });
  const queued: string[] = [];
  const waiting: ((line: string | null) => void)[] = [];
  let ended = false;
  lines.on('line', (line) => (waiting.length ? waiting.shift()!(line) : queued.push(line)));
  lines.on('close', () => {
    ended = true;
    while (waiting.length) waiting.shift()!(null);
  });
  return {
    // The print boundary: whatever a caller passes, no raw control character reaches the terminal.
    write: (text) => void output.write(escapeForDisplay(text, { multiline: true })),
    readLine: () =>
      queued.length ? Promise.resolve(queued.shift()!) : ended ? Promise.resolve(null) : new Promise((resolve) => waiting.push(resolve)),
    close: () => {
      lines.close();
      close?.();
    },
  };
}

export async function ask(io: PromptIO, question: string): Promise<Answer> {
  for (;;) {
    io.write(question);
    const line = await io.readLine();
    if (line === null) return 'quit'; // the terminal went away: keep blocking
    const answer = parseAnswer(line);
    if (answer) return answer;
    io.write(fixMessages.promptInvalid + '\n');
  }
}

export async function confirm(io: PromptIO, question: string): Promise<boolean> {
  io.write(question);
  const line = await io.readLine();
  return line !== null && /^\s*y(es)?\s*$/i.test(line);
}

export type ExistingNameChoice = 'replace' | 'new-name' | 'skip' | 'quit';

/** NAME is in .env with another value: replace it, take NAME_2, or leave this key alone. */
export async function chooseExistingName(io: PromptIO, preferred: string, chosen: string): Promise<ExistingNameChoice> {
  for (;;) {
    io.write(fixMessages.promptExistingName(preferred, chosen));
    const line = await io.readLine();
    if (line === null) return 'quit';
    const key = line.trim().toLowerCase();
    if (key === 'r' || key === 'replace') return 'replace';
    if (key === 'n' || key === 'new') return 'new-name';
    if (key === 's' || key === 'skip') return 'skip';
    io.write(fixMessages.promptExistingNameInvalid + '\n');
  }
}

function parseAnswer(line: string): Answer | null {
  const key = line.trim().toLowerCase();
  if (key === 'y' || key === 'yes') return 'yes';
  if (key === 'n' || key === 'no') return 'no';
  if (key === 'a' || key === 'all') return 'all';
  if (key === 'q' || key === 'quit') return 'quit';
  return null;
}

/**
 * Shows each finding (secret redacted) with its planned edit and asks what to do.
 * `previewOf` returns the redacted diff for an item's file.
 */
export async function decideItems(items: readonly PlanItem[], io: PromptIO, previewOf: (item: PlanItem) => string): Promise<Decisions> {
  const accepted = new Set<PlanItem>();
  let acceptAll = false;
  let index = 0;
  for (const item of items) {
    const { finding } = item;
    const [file, description] = [escapeForDisplay(finding.file), escapeForDisplay(finding.description)];
    io.write(fixMessages.promptHeader(++index, items.length, file, finding.line, description, redactSecret(finding.secret)) + '\n');
    if (item.action === 'skip') {
      io.write(fixMessages.promptCannotFix(fixMessages.skipReason(item.reason!, item.where)) + '\n');
      continue;
    }
    if (item.envVar) io.write(fixMessages.promptMovesTo(item.envVar) + '\n');
    io.write(previewOf(item));
    if (acceptAll) {
      accepted.add(item);
      continue;
    }
    const answer = await ask(io, fixMessages.promptQuestion);
    if (answer === 'quit') return { kind: 'aborted' };
    if (answer === 'all') acceptAll = true;
    if (answer !== 'no') accepted.add(item);
  }
  return { kind: 'decided', accepted };
}
