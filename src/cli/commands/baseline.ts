import path from 'node:path';
import { createBaseline, DEFAULT_BASELINE_FILE, loadBaseline, serializeBaseline, type ScryptParams } from '../../findings/baseline.js';
import { writeFileAtomic } from '../../fs/atomic-write.js';
import { findRepoRoot } from '../../git/repo.js';
import { plural } from '../../messages.js';
import { escapeForDisplay } from '../../report/escape.js';
import { printNotices, runScan, type SourceArgs } from './scan.js';

export interface BaselineArgs extends SourceArgs {
  output?: string;
  config?: string;
  debug?: boolean;
}

/** `leakguard baseline`: records today's findings as fingerprints so only new ones block. */
export async function baselineCommand(args: BaselineArgs, cwd = process.cwd()): Promise<number> {
  // A baseline of staged changes alone would be useless: without a source flag, record the whole work tree.
  const sourceGiven = args.staged || args.range !== undefined || args.history || args.unpushed || args.stdin || args.paths?.length;
  const paths = sourceGiven ? args.paths : [(await findRepoRoot(cwd)) ?? '.'];
  const { result } = await runScan({ ...args, paths, format: 'json' }, cwd);
  const file = path.resolve(cwd, args.output ?? path.join(result.repoRoot ?? cwd, DEFAULT_BASELINE_FILE));
  await printNotices(result.notices, undefined);
  const baseline = await createBaseline(result.findings, await previousHash(file));
  await writeFileAtomic(file, serializeBaseline(baseline));
  const shown = escapeForDisplay(path.relative(cwd, file) || file);
  process.stderr.write(`leakguard: baseline of ${plural(baseline.fingerprints.length, 'finding')} written to ${shown}\n`);
  return 0;
}

/**
 * The salt and cost of the baseline being replaced, so that recording again changes
 * only the entries that changed (no churn in review). A missing, unreadable or
 * format-1 file gets a new salt.
 */
async function previousHash(file: string): Promise<ScryptParams | undefined> {
  try {
    const previous = await loadBaseline(file);
    return previous.format === 'scrypt' ? previous.params : undefined;
  } catch {
    return undefined;
  }
}
