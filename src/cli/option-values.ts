import type { Options } from 'yargs';
import { UsageError } from '../errors.js';
import { cliMessages } from './cli-messages.js';

/**
 * What yargs accepts without a word but the user cannot have meant, checked on the
 * command line as typed: a switch given a value (`--history=3` is read as false),
 * an option with a value given twice (`--range a --range b` becomes an array no
 * command expects) and an empty value (`--output=` would print on stdout).
 */
export function checkOptionValues(argv: readonly string[], options: Readonly<Record<string, Options>>): void {
  const seen = new Set<string>();
  const end = argv.indexOf('--');
  const words = end === -1 ? argv : argv.slice(0, end);
  words.forEach((word, i) => {
    const match = /^--(no-)?([a-z][a-z0-9-]*)(?:=(.*))?$/s.exec(word);
    const option = match ? options[match[2]!] : undefined;
    if (!match || !option) return;
    const name = match[2]!;
    const inline = match[3];
    if (option.type === 'boolean') {
      if (inline !== undefined && inline !== 'true' && inline !== 'false') throw new UsageError(cliMessages.switchWithValue(name, inline));
      return;
    }
    if (match[1]) return;
    if (seen.has(name)) throw new UsageError(cliMessages.optionTwice(name));
    seen.add(name);
    const value = inline ?? words[i + 1];
    if (value !== undefined && value.trim() === '') throw new UsageError(cliMessages.optionEmpty(name));
  });
}
