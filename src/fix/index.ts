/**
 * The fix phase as the CLI calls it: plan → (ask) → apply, returning data. Never
 * prints, never exits; known failures are thrown as FixError.
 */
import type { Finding } from '../detect/finding.js';
import { FixError } from '../errors.js';
import { escapeForDisplay } from '../report/escape.js';
import { scrubSecrets } from '../redact.js';
import { applyFix } from './apply-fix.js';
import type { FileWriter } from '../fs/atomic-write.js';
import { clearInterruptedFix, FixBackup, interruptedFix, latestBackupDir } from './backup.js';
import { actionsSecretName, languageOf } from './env-lookup.js';
import { commitsTemporaryIndex, headCommit, waitForIndexUnlocked } from './git-index.js';
import { fixMessages } from './messages.js';
import { planFix, type FixPlan, type ItemSkipReason, type PlanItem } from './plan-fix.js';
import { confirm, decideItems, openTerminal, type PromptIO } from './prompt.js';
import { decodeText } from './text-codec.js';
import { unifiedDiff } from './unified-diff.js';

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

export type FixStatus =
  | 'nothing-to-fix'
  | 'fixed'
  | 'partially-fixed'
  | 'not-fixed'
  | 'blocked-no-terminal'
  | 'blocked-partial-commit'
  | 'aborted'
  | 'dry-run';

export interface FixedItem {
  file: string;
  line: number;
  ruleId: string;
  provider: string;
  action: 'rewrite' | 'unstage-dotenv' | 'already-fixed';
  envVar?: string;
}

export interface SkippedItem {
  file: string;
  line: number;
  ruleId: string;
  provider: string;
  reason: ItemSkipReason;
  /** Ready to print. */
  message: string;
}

export interface RevokeAdvice {
  provider: string;
  revokeUrl?: string;
  ruleIds: string[];
}

export interface FixResult {
  status: FixStatus;
  /** In dry-run: what would be fixed. */
  fixed: FixedItem[];
  skipped: SkippedItem[];
  /** True when no finding is left unfixed (the staged changes should now re-scan clean). */
  clean: boolean;
  revokeAdvice: RevokeAdvice[];
  /** Dry-run: the planned edits as a unified diff, secrets redacted. */
  diff?: string;
  backupDir?: string | null;
  envAdded: string[];
  ignoreAdded: string[];
  envTracked: boolean;
  envUntracked: boolean;
  /** Workflow files now read these repository secrets, which the user must create. */
  actionsSecrets: string[];
}

export async function runFix(options: RunFixOptions): Promise<FixResult> {
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
  if (mode === 'yes') {
    const plan = await planFix(repoRoot, findings, { untrackEnv: options.untrackEnv ?? true });
    return applyAndReport(plan, findings, options);
  }

  const ownsTerminal = options.io === undefined;
  const io = ownsTerminal ? openTerminal(options.env ?? process.env) : options.io;
  if (!io) return blockedResult(findings);
  try {
    return await runInteractive(io, options);
  } finally {
    if (ownsTerminal) io.close?.();
  }
}

async function runInteractive(io: PromptIO, options: RunFixOptions): Promise<FixResult> {
  const { repoRoot, findings } = options;
  const draft = await planFix(repoRoot, findings);
  const decisions = await decideItems(draft.items, io, (item) => previewOf(draft, item));
  if (decisions.kind === 'aborted') return emptyResult('aborted', false, findings, 'aborted');
  const accepted = draft.items.filter((item) => decisions.accepted.has(item)).map((item) => item.finding);
  const declined = draft.items.filter((item) => item.action !== 'skip' && !decisions.accepted.has(item));
  if (accepted.length === 0) return resultOf('not-fixed', draft, findings, declined);

  const untrackEnv = options.untrackEnv ?? (draft.envTracked ? await confirm(io, fixMessages.promptUntrackEnv) : false);
  const plan = await planFix(repoRoot, accepted, { untrackEnv });
  const result = await applyAndReport(plan, accepted, options);
  // Declined findings still block the commit.
  const declinedSkips = declined.map((item) => skippedOf(item.finding, 'declined'));
  const unfixable = resultOf('not-fixed', draft, findings).skipped;
  const skipped = [...result.skipped, ...unfixable, ...declinedSkips];
  return { ...result, skipped, clean: skipped.length === 0, status: statusOf(result.fixed.length, skipped.length), revokeAdvice: revokeAdviceOf(findings) };
}

async function applyAndReport(plan: FixPlan, findings: readonly Finding[], options: RunFixOptions): Promise<FixResult> {
  // Nothing is touched while another git process holds the index.
  await waitForIndexUnlocked(options.repoRoot);
  const { backupDir } = await applyFix(plan, { writeFile: options.writeFile });
  const result = resultOf('fixed', plan, findings);
  return { ...result, status: statusOf(result.fixed.length, result.skipped.length), backupDir };
}

function statusOf(fixed: number, skipped: number): FixStatus {
  if (skipped === 0) return 'fixed';
  return fixed > 0 ? 'partially-fixed' : 'not-fixed';
}

function resultOf(status: FixStatus, plan: FixPlan, findings: readonly Finding[], declined: readonly PlanItem[] = []): FixResult {
  const declinedSet = new Set(declined);
  const fixed: FixedItem[] = [];
  const skipped: SkippedItem[] = [];
  for (const item of plan.items) {
    if (declinedSet.has(item)) skipped.push(skippedOf(item.finding, 'declined'));
    // The key is no longer staged (an earlier fix, or the user removed it): nothing left to do.
    else if (item.reason === 'not-found' && item.where === 'staged') fixed.push({ ...locationOf(item.finding), action: 'already-fixed' });
    else if (item.action === 'skip') skipped.push(skippedOf(item.finding, item.reason!, item.where));
    else fixed.push({ ...locationOf(item.finding), action: item.action, envVar: item.envVar });
  }
  const actionsSecrets = [
    ...new Set(fixed.filter((f) => f.envVar && languageOf(f.file) === 'github-actions').map((f) => actionsSecretName(f.envVar!))),
  ];
  return {
    status,
    fixed,
    skipped,
    clean: skipped.length === 0,
    revokeAdvice: revokeAdviceOf(findings),
    envAdded: plan.envAdded,
    ignoreAdded: plan.ignoreAdded,
    envTracked: plan.envTracked,
    envUntracked: plan.envUntracked,
    actionsSecrets,
  };
}

function emptyResult(status: FixStatus, clean: boolean, findings: readonly Finding[], reason?: ItemSkipReason): FixResult {
  return {
    status,
    fixed: [],
    skipped: reason ? findings.map((f) => skippedOf(f, reason)) : [],
    clean,
    revokeAdvice: revokeAdviceOf(findings),
    envAdded: [],
    ignoreAdded: [],
    envTracked: false,
    envUntracked: false,
    actionsSecrets: [],
  };
}

function blockedResult(findings: readonly Finding[]): FixResult {
  return emptyResult('blocked-no-terminal', false, findings, 'no-terminal');
}

function locationOf(finding: Finding) {
  return { file: finding.file, line: finding.line, ruleId: finding.ruleId, provider: finding.provider };
}

function skippedOf(finding: Finding, reason: ItemSkipReason, where?: PlanItem['where']): SkippedItem {
  return { ...locationOf(finding), reason, message: fixMessages.skipReason(reason, where) };
}

/** One entry per provider: every key found must be revoked if it was ever committed or pushed. */
export function revokeAdviceOf(findings: readonly Finding[]): RevokeAdvice[] {
  const byProvider = new Map<string, RevokeAdvice>();
  for (const finding of findings) {
    const advice = byProvider.get(finding.provider) ?? { provider: finding.provider, revokeUrl: finding.revokeUrl, ruleIds: [] };
    advice.revokeUrl ??= finding.revokeUrl;
    if (!advice.ruleIds.includes(finding.ruleId)) advice.ruleIds.push(finding.ruleId);
    byProvider.set(finding.provider, advice);
  }
  return [...byProvider.values()];
}

/**
 * The planned edits as a unified diff, secrets redacted: the staged version of
 * each file, then the working tree where it differs (partially staged files).
 */
export function renderPlanDiff(plan: FixPlan): string {
  const parts: string[] = [];
  for (const change of plan.indexChanges) {
    const before = change.previousContent ? decodeText(change.previousContent).text : '';
    if (change.next === null || 'sha' in change.next) {
      parts.push(`unstage ${change.path}\n`);
      continue;
    }
    parts.push(unifiedDiff(before, decodeText(change.next.content).text, labels(change.path, 'index')));
  }
  for (const change of plan.worktreeChanges) {
    const before = change.previous ? decodeText(change.previous).text : '';
    const after = decodeText(change.content).text;
    const staged = plan.indexChanges.find((c) => c.path === change.path);
    const sameAsStaged =
      staged?.previousContent && staged.next && 'content' in staged.next &&
      change.previous?.equals(staged.previousContent) && change.content.equals(staged.next.content);
    if (!sameAsStaged) parts.push(unifiedDiff(before, after, labels(change.path, 'working tree')));
  }
  return scrubSecrets(parts.join(''), plan.secrets);
}

function labels(path: string, where: 'index' | 'working tree') {
  // Shown to people only: a path's line breaks and ESC sequences are escaped (src/report/escape.ts).
  const shown = escapeForDisplay(path);
  return { oldLabel: `a/${shown} (${where})`, newLabel: `b/${shown} (${where})` };
}

/** The redacted staged diff of the item's file, shown in the prompt. */
function previewOf(plan: FixPlan, item: PlanItem): string {
  const change = plan.indexChanges.find((c) => c.path === item.finding.file);
  if (!change || !change.next || !('content' in change.next)) return '';
  const before = change.previousContent ? decodeText(change.previousContent).text : '';
  const diff = unifiedDiff(before, decodeText(change.next.content).text, { ...labels(change.path, 'index'), context: 1 });
  return scrubSecrets(diff, plan.secrets);
}

export interface UndoOptions {
  /** Undo even after a commit, or when files changed since the fix. */
  force?: boolean;
}

/** Restores the files and index entries saved by the last fix. Returns the backup used. */
export async function undoLastFix(repoRoot: string, options: UndoOptions = {}): Promise<{ backupDir: string }> {
  const interrupted = await interruptedFix(repoRoot);
  const dir = interrupted?.backupDir || (await latestBackupDir(repoRoot));
  if (!dir) throw new FixError(fixMessages.nothingToUndo);
  const backup = await FixBackup.load(repoRoot, dir);
  // A killed fix recorded each change before making it: the files it did not reach
  // yet differ from what it meant to write, which is expected, not a later edit.
  if (!options.force && !interrupted) {
    if ((await headCommit(repoRoot)) !== backup.manifest.head) throw new FixError(fixMessages.undoAfterCommit);
    const changed = await backup.changedSinceFix();
    if (changed.length) throw new FixError(fixMessages.undoWouldLoseEdits(changed));
  }
  await backup.restore();
  await backup.markUndone();
  await clearInterruptedFix(repoRoot);
  return { backupDir: dir };
}

export { ENV_FILE, planFix, type FixPlan, type PlanItem, type ItemSkipReason } from './plan-fix.js';
export { applyFix } from './apply-fix.js';
export { interruptedFix } from './backup.js';
export { openTerminal, streamPromptIO, type PromptIO } from './prompt.js';
export { fixMessages, FIX_COMMAND } from './messages.js';
