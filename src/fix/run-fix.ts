/**
 * The fix phase as the CLI calls it: plan → (ask) → apply, returning data. Never
 * prints, never exits; known failures are thrown as FixError.
 */
import type { Finding } from '../detect/finding.js';
import { FixError } from '../errors.js';
import type { FileWriter } from '../fs/atomic-write.js';
import { applyFix } from './apply-fix.js';
import { withFixLock } from './fix-lock.js';
import { backupRetentionDays, interruptedFix, pruneBackups } from './backup.js';
import { blockedResult, emptyResult, resultOf, revokeAdviceOf, skippedOf, statusOf, type FixResult } from './fix-result.js';
import { commitsTemporaryIndex, committedSecrets, waitForIndexUnlocked } from './git-index.js';
import { fixMessages } from './messages.js';
import { planFix, type FixPlan } from './plan-fix.js';
import { renderPlanDiff, previewOf } from './preview.js';
import { chooseExistingName, confirm, decideItems, openTerminal, type PromptIO } from './prompt.js';

export type FixMode = 'interactive' | 'yes' | 'dry-run';

export interface RunFixOptions {
  repoRoot: string;
  /** Findings in staged files (positions in the staged version). */
  findings: readonly Finding[];
  mode: FixMode;
  /** Interactive mode: where to ask. Default: /dev/tty; null means no terminal. */
  io?: PromptIO | null;
  env?: NodeJS.ProcessEnv;
  /** Consent to `git rm --cached .env` when .env is tracked. Default: asked; true with --yes. */
  untrackEnv?: boolean;
  /** Replaces the atomic file writer (tests). */
  writeFile?: FileWriter;
}

export async function runFix(options: RunFixOptions): Promise<FixResult> {
  const result = await fixOrBlock(options);
  // Revoking is needed only for keys that reached a commit (and so maybe a push);
  // nothing is said after a block or an abort, where no key went anywhere.
  if (['blocked-no-terminal', 'blocked-partial-commit', 'nothing-to-fix', 'aborted'].includes(result.status))
    return { ...result, revokeAdvice: [] };
  const byFile = new Map<string, string[]>();
  for (const f of options.findings) byFile.set(f.file, [...(byFile.get(f.file) ?? []), f.secret]);
  const committed = await committedSecrets(options.repoRoot, byFile);
  return { ...result, revokeAdvice: revokeAdviceOf(options.findings.filter((f) => committed.has(f.secret))) };
}

async function fixOrBlock(options: RunFixOptions): Promise<FixResult> {
  const { repoRoot, findings, mode } = options;
  // Never layer a fix over one that was killed part-way: restore first.
  const interrupted = await interruptedFix(repoRoot);
  if (interrupted) throw new FixError(fixMessages.interrupted(interrupted.backupDir));
  if (findings.length === 0) return emptyResult('nothing-to-fix', true, findings);
  // `git commit <paths>`: the index being committed is not the one the user keeps.
  if (mode !== 'dry-run' && commitsTemporaryIndex(options.env ?? process.env)) {
    return emptyResult('blocked-partial-commit', false, findings, 'partial-commit');
  }

  if (mode === 'dry-run') {
    const plan = await planFix(repoRoot, findings, { untrackEnv: options.untrackEnv ?? false });
    return { ...resultOf('dry-run', plan, findings), diff: renderPlanDiff(plan) };
  }
  // One fix at a time: two concurrent fixes would plan on the same index and undo each other.
  if (mode === 'yes') {
    return withFixLock(repoRoot, async () => {
      const plan = await planFix(repoRoot, findings, { untrackEnv: options.untrackEnv ?? true });
      return applyAndReport(plan, findings, options);
    });
  }
  // Without a terminal nothing waits, not even for the lock.
  const ownsTerminal = options.io === undefined;
  const io = ownsTerminal ? openTerminal(options.env ?? process.env) : options.io;
  if (!io) return blockedResult(findings);
  try {
    return await withFixLock(repoRoot, () => runInteractive(io, options));
  } finally {
    if (ownsTerminal) io.close?.();
  }
}

async function runInteractive(io: PromptIO, options: RunFixOptions): Promise<FixResult> {
  const { repoRoot, findings } = options;
  const draft = await planFix(repoRoot, findings);
  // Everything that joins the commit is shown before the first question.
  if (draft.alsoStaged.length && draft.items.some((item) => item.action !== 'skip'))
    io.write(fixMessages.promptAlsoStaged(draft.alsoStaged) + '\n');
  const decisions = await decideItems(draft.items, io, (item) => previewOf(draft, item));
  if (decisions.kind === 'aborted') return emptyResult('aborted', false, findings, 'aborted');
  let acceptedItems = draft.items.filter((item) => decisions.accepted.has(item));
  const declined = draft.items.filter((item) => item.action !== 'skip' && !decisions.accepted.has(item));
  // NAME already in .env with another value: the user decides (replace it, NAME_2, or skip the key).
  const replaceNames = new Set<string>();
  for (const { preferred, chosen, inEnvFile } of draft.renamed) {
    if (!inEnvFile) continue; // taken by another key of this fix: NAME_2 is the only sensible choice
    const items = acceptedItems.filter((item) => item.envVar === chosen);
    if (items.length === 0) continue;
    const choice = await chooseExistingName(io, preferred, chosen);
    if (choice === 'quit') return emptyResult('aborted', false, findings, 'aborted');
    if (choice === 'replace') replaceNames.add(preferred);
    if (choice === 'skip') {
      declined.push(...items);
      acceptedItems = acceptedItems.filter((item) => !items.includes(item));
    }
  }
  const accepted = acceptedItems.map((item) => item.finding);
  if (accepted.length === 0) return resultOf('not-fixed', draft, findings, declined);
  // No loader in the project: offer to add one (never a dependency without a yes).
  const addLoaderTo = new Set<string>();
  for (const advice of draft.runAdvice) {
    if (!advice.offer || !accepted.some((f) => f.file === advice.file)) continue;
    const question =
      advice.offer.kind === 'python-dotenv'
        ? fixMessages.promptOfferPythonDotenv(advice.file, advice.offer.requirements, advice.offer.createRequirements)
        : fixMessages.promptOfferLoadEnvFile(advice.file);
    if (await confirm(io, question)) addLoaderTo.add(advice.file);
  }

  const untrackEnv = options.untrackEnv ?? (draft.envTracked ? await confirm(io, fixMessages.promptUntrackEnv) : false);
  const plan = await planFix(repoRoot, accepted, { untrackEnv, replaceNames, addLoaderTo });
  const result = await applyAndReport(plan, accepted, options);
  // Declined findings still block the commit.
  const declinedSkips = declined.map((item) => skippedOf(item.finding, 'declined'));
  const unfixable = resultOf('not-fixed', draft, findings).skipped;
  const skipped = [...result.skipped, ...unfixable, ...declinedSkips];
  return {
    ...result,
    skipped,
    clean: skipped.length === 0,
    status: statusOf(result.fixed.length, skipped.length),
    revokeAdvice: revokeAdviceOf(findings),
  };
}

async function applyAndReport(plan: FixPlan, findings: readonly Finding[], options: RunFixOptions): Promise<FixResult> {
  // Nothing is touched while another git process holds the index.
  await waitForIndexUnlocked(options.repoRoot);
  // Backups hold keys in plain text: the old ones go before a new one is made.
  await pruneBackups(options.repoRoot, backupRetentionDays(options.env ?? process.env));
  const { backupDir } = await applyFix(plan, { writeFile: options.writeFile });
  const result = resultOf('fixed', plan, findings);
  return { ...result, status: statusOf(result.fixed.length, result.skipped.length), backupDir };
}
