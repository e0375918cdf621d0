/**
 * `leakguard fix [--yes] [--dry-run] [--undo]`: scans the staged changes, moves
 * the keys into .env, prints what happened. Exit code: 0 when nothing is left
 * blocking, 1 when keys remain (skipped, declined, no terminal, dry-run).
 * FixError and other known errors propagate to main (exit code 2).
 */
import { ENV_FILE, fixMessages, runFix, undoLastFix, type FixResult } from '../../fix/index.js';
import { requireRepoRoot } from '../../git/repo.js';
import { escapeForDisplay } from '../../report/escape.js';
import { cliMessages } from '../cli-messages.js';
import { scan } from '../../scan.js';
import { emitReport } from '../output.js';

export interface FixArgs {
  yes?: boolean;
  dryRun?: boolean;
  undo?: boolean;
  /** With --undo: undo even after a commit or later edits. */
  force?: boolean;
  config?: string;
}

export async function fixCommand(args: FixArgs, cwd = process.cwd()): Promise<number> {
  await requireRepoRoot(cwd, 'leakguard fix', { hint: cliMessages.fixNeedsRepo });
  const { findings, repoRoot } = await scan({ cwd, source: { kind: 'staged' }, configFile: args.config });
  const root = repoRoot ?? cwd;
  if (args.undo) {
    const { backupDir } = await undoLastFix(root, { force: args.force });
    await emitReport(escapeForDisplay(fixMessages.undone(backupDir)) + '\n', undefined, cwd);
    return 0;
  }
  const mode = args.dryRun ? 'dry-run' : args.yes ? 'yes' : 'interactive';
  const result = await runFix({ repoRoot: root, findings, mode });
  await emitReport(renderFixResult(result), undefined, cwd);
  return result.clean && mode !== 'dry-run' ? 0 : findings.length ? 1 : 0;
}

/**
 * The human report of a fix (no raw secret: results never carry one). Each line
 * names paths and values from outside and is shown escaped; the dry-run diff is
 * a block whose own line breaks and tabs stay.
 */
export function renderFixResult(result: FixResult): string {
  const shown = renderFixLines(result).map((line) =>
    typeof line === 'string' ? escapeForDisplay(line) : escapeForDisplay(line.block, { multiline: true }),
  );
  return shown.join('\n') + '\n';
}

function renderFixLines(result: FixResult): Array<string | { block: string }> {
  const lines: Array<string | { block: string }> = [];
  if (result.status === 'nothing-to-fix') return [fixMessages.nothingToFix];
  if (result.status === 'blocked-no-terminal') lines.push(fixMessages.blockedNoTerminal);
  if (result.status === 'blocked-partial-commit') lines.push(fixMessages.blockedPartialCommit([...new Set(result.skipped.map((s) => s.file))]));
  if (result.status === 'aborted') lines.push(fixMessages.aborted);
  if (result.status === 'dry-run') lines.push(fixMessages.dryRunHeader, { block: result.diff ?? '' });
  for (const item of result.fixed) {
    if (item.action === 'rewrite') lines.push(fixMessages.fixedLine(item.file, item.line, item.envVar!));
    // .env's own state is said once, below, when it is (or was) tracked.
    if (item.action === 'unstage-dotenv' && !(item.file === ENV_FILE && result.envTracked)) lines.push(fixMessages.unstagedLine(item.file));
  }
  if (result.status !== 'blocked-no-terminal' && result.status !== 'blocked-partial-commit' && result.status !== 'aborted') {
    for (const item of result.skipped) lines.push(fixMessages.skippedLine(item.file, item.line, item.message));
  }
  const envWasStaged = result.fixed.some((item) => item.action === 'unstage-dotenv' && item.file === ENV_FILE);
  if (result.envUntracked) lines.push(fixMessages.envUntracked);
  else if (result.envTracked) lines.push(envWasStaged ? fixMessages.envTrackedUnstaged : fixMessages.envTracked);
  for (const name of result.actionsSecrets) lines.push(fixMessages.actionsSecret(name));
  if (result.backupDir) lines.push(fixMessages.backupAt(result.backupDir));
  if (result.status === 'fixed' || result.status === 'partially-fixed') {
    lines.push(result.clean ? fixMessages.allFixed : fixMessages.stillBlocked);
  }
  if (result.revokeAdvice.length) {
    lines.push('', fixMessages.revokeHeader);
    for (const advice of result.revokeAdvice) lines.push(fixMessages.revokeLine(advice.provider, advice.revokeUrl));
  }
  return lines;
}
