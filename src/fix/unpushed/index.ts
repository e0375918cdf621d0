/**
 * `leakguard fix --unpushed` as the CLI calls it: check → plan → apply, returning
 * data. Never prints, never exits; refusals are FixError (nothing changed).
 */
import type { Finding } from '../../detect/finding.js';
import { gitText } from '../../git/run-git.js';
import { applyUnpushedFix } from './apply.js';
import { planUnpushedFix, type CannotRewrite, type FileOutcome } from './plan.js';

export { checkPreconditions } from './plan.js';
export { undoUnpushedFix, type UndoResult } from './undo.js';
export { unpushedMessages, UNPUSHED_COMMAND } from './messages.js';

export type UnpushedStatus = 'nothing-unpushed' | 'nothing-to-fix' | 'cannot-fix' | 'dry-run' | 'fixed';

export interface RewrittenCommit {
  old: string;
  /** Undefined in a dry run. */
  next?: string;
  subject: string;
}

export interface UnpushedResult {
  status: UnpushedStatus;
  branch: string;
  commits: RewrittenCommit[];
  /** Unpushed commits before the first that holds a key: kept as they are. */
  kept: number;
  files: FileOutcome[];
  cannotRewrite: CannotRewrite[];
  base?: string;
  envAdded: string[];
  ignoreAdded: string[];
  backupRef?: string;
}

export interface UnpushedOptions {
  repoRoot: string;
  branch: string;
  tip: string;
  /** From a scan of the unpushed commits (`{ kind: 'unpushed' }`). */
  findings: readonly Finding[];
  dryRun?: boolean;
}

export async function runUnpushedFix(options: UnpushedOptions): Promise<UnpushedResult> {
  const { repoRoot, branch, tip, findings } = options;
  const plan = await planUnpushedFix(repoRoot, branch, tip, findings);
  const result: UnpushedResult = {
    status: 'nothing-to-fix',
    branch,
    commits: [],
    kept: plan.kept,
    files: plan.files,
    cannotRewrite: plan.cannotRewrite,
    base: plan.base,
    envAdded: plan.envAdded,
    ignoreAdded: plan.ignoreAdded,
  };
  if (plan.cannotRewrite.length) return { ...result, status: 'cannot-fix' };
  if (plan.commits.length === 0) return plan.kept === 0 ? { ...result, status: 'nothing-unpushed' } : result;
  const subjects = await subjectsOf(
    repoRoot,
    plan.commits.map((c) => c.commit),
  );
  if (options.dryRun) {
    return { ...result, status: 'dry-run', commits: plan.commits.map((c) => ({ old: c.commit, subject: subjects.get(c.commit) ?? '' })) };
  }
  const applied = await applyUnpushedFix(plan);
  return {
    ...result,
    status: 'fixed',
    backupRef: applied.backupRef,
    commits: plan.commits.map((c) => ({ old: c.commit, next: applied.mapping.get(c.commit), subject: subjects.get(c.commit) ?? '' })),
  };
}

async function subjectsOf(repoRoot: string, commits: readonly string[]): Promise<Map<string, string>> {
  const text = await gitText(['log', '--no-walk=unsorted', '--stdin', '--format=%H%x1f%s'], {
    cwd: repoRoot,
    input: commits.join('\n') + '\n',
  });
  return new Map(
    text
      .split('\n')
      .filter(Boolean)
      .map((line) => line.split('\x1f') as [string, string]),
  );
}
