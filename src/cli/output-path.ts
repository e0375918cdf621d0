import { statSync } from 'node:fs';
import path from 'node:path';
import { UsageError } from '../errors.js';
import { cliMessages } from './cli-messages.js';

/**
 * An output file whose folder is missing (or not a folder) is the user's mistake,
 * said before a long scan runs rather than after it, as a usage error.
 */
export function checkOutputPath(outputFile: string | undefined, option: string, cwd = process.cwd()): void {
  if (outputFile === undefined) return;
  const folder = path.dirname(path.resolve(cwd, outputFile));
  try {
    if (!statSync(folder).isDirectory()) throw Object.assign(new Error('not a folder'), { code: 'ENOTDIR' });
  } catch (error) {
    throw outputError(error as NodeJS.ErrnoException, option, outputFile, cwd);
  }
}

/** The error of a failed write to a file the user named: theirs to fix (exit 2, one line). */
export function outputError(error: NodeJS.ErrnoException, option: string, outputFile: string, cwd: string): Error {
  const folder = path.dirname(path.resolve(cwd, outputFile));
  if (error.code === 'ENOENT' || error.code === 'ENOTDIR')
    return new UsageError(cliMessages.outputFolderMissing(option, outputFile, path.relative(cwd, folder) || folder));
  if (typeof error.code === 'string' && /^E[A-Z]+$/.test(error.code))
    return new UsageError(cliMessages.outputNotWritable(option, outputFile, error.code));
  return error;
}
