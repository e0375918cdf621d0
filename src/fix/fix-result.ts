/**
 * What a fix returns: per finding, fixed or skipped (with the reason), plus what
 * the fix did around the keys (.env, .gitignore, untracking). Pure data builders.
 */
import type { Finding } from '../detect/finding.js';
import { fixMessages } from './messages.js';
import type { FixPlan, ItemSkipReason, PlanItem } from './plan-fix.js';
import { actionsSecretName, languageOf } from './rewrite/index.js';
import type { RunAdvice } from './run-advice.js';

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
  /** Per rewritten file: how the program reads the key from .env now. */
  runAdvice: RunAdvice[];
  /** Notebooks whose saved outputs showed a key and were cleared. */
  outputsCleared: FixPlan['outputsCleared'];
  renamed: FixPlan['renamed'];
  /** Names whose old value in .env the user chose to replace. */
  replaced: string[];
  /** What else the fix staged (or unstaged) for the commit. */
  alsoStaged: FixPlan['alsoStaged'];
}

export function statusOf(fixed: number, skipped: number): FixStatus {
  if (skipped === 0) return 'fixed';
  return fixed > 0 ? 'partially-fixed' : 'not-fixed';
}

export function resultOf(status: FixStatus, plan: FixPlan, findings: readonly Finding[], declined: readonly PlanItem[] = []): FixResult {
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
    runAdvice: plan.runAdvice.filter((advice) => fixed.some((f) => f.file === advice.file && f.action === 'rewrite')),
    alsoStaged: plan.alsoStaged,
    outputsCleared: plan.outputsCleared,
    renamed: plan.renamed,
    replaced: plan.replaced,
  };
}

export function emptyResult(status: FixStatus, clean: boolean, findings: readonly Finding[], reason?: ItemSkipReason): FixResult {
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
    runAdvice: [],
    alsoStaged: [],
    outputsCleared: [],
    renamed: [],
    replaced: [],
  };
}

export function blockedResult(findings: readonly Finding[]): FixResult {
  return emptyResult('blocked-no-terminal', false, findings, 'no-terminal');
}

export function locationOf(finding: Finding) {
  return { file: finding.file, line: finding.line, ruleId: finding.ruleId, provider: finding.provider };
}

export function skippedOf(finding: Finding, reason: ItemSkipReason, where?: PlanItem['where']): SkippedItem {
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
