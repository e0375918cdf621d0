/**
 * `leakguard fix --unpushed [--dry-run] [--undo]`: rewrites the commits of the
 * current branch that no remote has, so that none holds a key. Exit code: 0 when
 * nothing is left to push with a key, 1 when keys remain (dry run, cannot fix).
 * Refusals are FixError (exit 2, nothing changed).
 */
import {
  checkPreconditions,
  runUnpushedFix,
  undoUnpushedFix,
  unpushedMessages as say,
  type UnpushedResult,
} from '../../fix/unpushed/index.js';
import { requireRepoRoot } from '../../git/repo.js';
import { escapeForDisplay } from '../../report/escape.js';
import { scan } from '../../scan.js';
import { cliMessages } from '../cli-messages.js';
import { emitReport } from '../output.js';

export interface FixUnpushedArgs {
  dryRun?: boolean;
  undo?: boolean;
  force?: boolean;
  config?: string;
}

export async function fixUnpushedCommand(args: FixUnpushedArgs, cwd = process.cwd()): Promise<number> {
  const repoRoot = await requireRepoRoot(cwd, 'leakguard fix --unpushed', { hint: cliMessages.fixNeedsRepo });
  if (args.undo) {
    const undone = await undoUnpushedFix(repoRoot, { force: args.force });
    await emitReport(escapeForDisplay(say.undone(undone.backupRef, undone.branch, undone.tip)) + '\n', undefined, cwd);
    return 0;
  }
  const { branch, tip } = await checkPreconditions(repoRoot);
  const { findings } = await scan({ cwd, source: { kind: 'unpushed' }, configFile: args.config });
  const result = await runUnpushedFix({ repoRoot, branch, tip, findings, dryRun: args.dryRun });
  await emitReport(
    renderUnpushedResult(result)
      .map((line) => escapeForDisplay(line))
      .join('\n') + '\n',
    undefined,
    cwd,
  );
  return result.status === 'fixed' || result.status === 'nothing-to-fix' || result.status === 'nothing-unpushed' ? 0 : 1;
}

/** The human report (no raw secret: results never carry one). */
export function renderUnpushedResult(result: UnpushedResult): string[] {
  switch (result.status) {
    case 'nothing-unpushed':
      return [say.nothingUnpushed(result.branch)];
    case 'nothing-to-fix':
      return [say.nothingToFix];
    case 'cannot-fix':
      return [
        say.cannotFix,
        ...result.cannotRewrite.map((c) => say.cannotFixLine(c.path, c.commit, c.reason)),
        say.cannotFixHint(result.base),
      ];
  }
  const lines = [result.status === 'dry-run' ? say.dryRunHeader(result.commits.length) : say.doneHeader(result.commits.length)];
  for (const commit of result.commits) lines.push(say.commitLine(commit.old, commit.next, commit.subject));
  if (result.kept) lines.push(say.keptCommits(result.kept));
  for (const file of result.files)
    lines.push(file.action === 'remove' ? say.removedLine(file.path) : say.fileLine(file.path, file.envVars));
  if (result.envAdded.length) lines.push(say.envLine(result.envAdded));
  if (result.ignoreAdded.length) lines.push(say.ignoreLine(result.ignoreAdded));
  if (result.backupRef) lines.push('', ...say.backup(result.backupRef), say.pushNow);
  return lines;
}
