/**
 * `leakguard fix [--yes] [--dry-run] [--undo]`: scans the staged changes, moves
 * the keys into .env, prints what happened. Exit code: 0 when nothing is left
 * blocking, 1 when keys remain (skipped, declined, no terminal, dry-run).
 * FixError and other known errors propagate to main (exit code 2).
 */
import { backupRetentionDays } from '../../fix/backup.js';
import { cleanFixBackups, ENV_FILE, fixMessages, runFix, undoLastFix, type FixResult } from '../../fix/index.js';
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
  /** Delete every fix backup now. */
  clean?: boolean;
  config?: string;
}

export async function fixCommand(args: FixArgs, cwd = process.cwd()): Promise<number> {
  if (args.clean) {
    const { removed } = await cleanFixBackups(await requireRepoRoot(cwd, 'leakguard fix --clean'));
    await emitReport(fixMessages.cleaned(removed) + '\n', undefined, cwd);
    return 0;
  }
  await requireRepoRoot(cwd, 'leakguard fix', { hint: cliMessages.fixNeedsRepo });
  if (args.undo) {
    // Before and without a scan: a broken config or rule file must never block an undo.
    const { backupDir } = await undoLastFix(await requireRepoRoot(cwd, 'leakguard fix --undo'), { force: args.force });
    await emitReport(escapeForDisplay(fixMessages.undone(backupDir)) + '\n', undefined, cwd);
    return 0;
  }
  const { findings, repoRoot } = await scan({ cwd, source: { kind: 'staged' }, configFile: args.config });
  const root = repoRoot ?? cwd;
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
  // `leakguard fix` itself has no terminal: point at --yes / --dry-run, not at itself.
  if (result.status === 'blocked-no-terminal') lines.push(fixMessages.fixNoTerminal);
  if (result.status === 'blocked-partial-commit')
    lines.push(fixMessages.blockedPartialCommit([...new Set(result.skipped.map((s) => s.file))]));
  if (result.status === 'aborted') lines.push(fixMessages.aborted);
  if (result.status === 'dry-run') lines.push(fixMessages.dryRunHeader, { block: result.diff ?? '' });
  const dryRun = result.status === 'dry-run';
  for (const item of result.fixed) {
    if (item.action === 'rewrite')
      lines.push((dryRun ? fixMessages.wouldFixLine : fixMessages.fixedLine)(item.file, item.line, item.envVar!));
    // .env's own state is said once, below, when it is (or was) tracked.
    if (item.action === 'unstage-dotenv' && !(item.file === ENV_FILE && result.envTracked))
      lines.push((dryRun ? fixMessages.wouldUnstageLine : fixMessages.unstagedLine)(item.file));
  }
  if (result.status !== 'blocked-no-terminal' && result.status !== 'blocked-partial-commit' && result.status !== 'aborted') {
    for (const item of result.skipped) lines.push(fixMessages.skippedLine(item.file, item.line, item.message));
  }
  const envWasStaged = result.fixed.some((item) => item.action === 'unstage-dotenv' && item.file === ENV_FILE);
  // .env-style files leaving the index have their own line (one clear message each).
  const alsoStaged = result.alsoStaged.filter((item) => item.change === 'add');
  if (alsoStaged.length && result.fixed.length) lines.push(fixMessages.alsoStaged(alsoStaged, dryRun));
  if (result.envUntracked) lines.push(fixMessages.envUntracked);
  else if (result.envTracked) lines.push(envWasStaged ? fixMessages.envTrackedUnstaged : fixMessages.envTracked);
  for (const name of result.actionsSecrets) lines.push(fixMessages.actionsSecret(name));
  for (const { preferred, chosen, inEnvFile } of result.renamed) lines.push(fixMessages.renamedKey(preferred, chosen, dryRun, inEnvFile));
  for (const name of result.replaced) lines.push(fixMessages.replacedKey(name));
  for (const { path, cells } of result.outputsCleared) lines.push(fixMessages.outputsCleared(path, cells, dryRun));
  lines.push(...runAdviceLines(result));
  if (result.backupDir) lines.push(fixMessages.backupAt(result.backupDir), fixMessages.whatStaysBehind(backupRetentionDays()));
  if (result.status === 'fixed' || result.status === 'partially-fixed') {
    lines.push(result.clean ? fixMessages.allFixed : fixMessages.stillBlocked);
  }
  if (result.revokeAdvice.length) {
    lines.push('', fixMessages.revokeHeader);
    for (const advice of result.revokeAdvice) lines.push(fixMessages.revokeLine(advice.provider, advice.revokeUrl));
  }
  return lines;
}

/** How each rewritten program gets its key from .env now (issue 15 item 1). */
function runAdviceLines(result: FixResult): string[] {
  const lines: string[] = [];
  const dryRun = result.status === 'dry-run';
  for (const advice of result.runAdvice) {
    if (advice.offerAccepted && advice.addedLines)
      lines.push(
        fixMessages.loaderOfferAdded(
          advice.file,
          advice.addedLines,
          advice.offer?.kind === 'python-dotenv' ? advice.offer.requirements : undefined,
        ),
      );
    else if (advice.addedLines) lines.push(fixMessages.loaderAdded(advice.file, advice.addedLines, advice.loader!.manifest, dryRun));
    else if (advice.loader?.id === 'compose') lines.push(fixMessages.composeReadsEnv(advice.file));
    else if (advice.loader?.id === 'node-env-file') lines.push(fixMessages.nodeEnvFileScript(advice.file, advice.loader.manifest));
    else if (advice.alreadyLoads) lines.push(fixMessages.loaderPresent(advice.file));
    else if (advice.command) {
      lines.push(fixMessages.runWithEnv(advice.file), fixMessages.runCommandLine(advice.command));
      if (advice.manual) lines.push(fixMessages.manualLoader(advice.manual));
    }
  }
  return lines;
}
