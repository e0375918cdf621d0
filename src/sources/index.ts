import { contiguousFragment, type Fragment } from './fragment.js';
import { historyFragments } from './history.js';
import type { ScanStats } from './source-stats.js';
import { runGitUpTo, startGit, type StartedGit } from '../git/run-git.js';
import { STAGED_DIFF_ARGS, stagedFragments, type SourceOptions } from './staged.js';
import { treeFragments } from './tree.js';

/** What to scan; exactly one per run. */
export type ScanSource =
  | { kind: 'staged' }
  | { kind: 'range'; range: string }
  | { kind: 'history' }
  /** Commits no remote-tracking ref contains; `revisions` (git log arguments) default to UNPUSHED_REVISIONS. */
  | { kind: 'unpushed'; revisions?: string[] }
  | { kind: 'paths'; paths: string[] }
  | { kind: 'stdin'; text: string };

export interface SourceContext extends SourceOptions {
  cwd: string;
  /** Undefined outside a git repository. */
  repoRoot?: string;
  stats: ScanStats;
  /** Progress callback for long scans (done of total, in the source's unit). */
  progress?: (done: number, total: number | undefined, unit: 'commits' | 'files') => void;
  /** The staged diff, already started (see startStagedDiff). */
  stagedDiff?: AsyncIterable<Buffer>;
}

export const STDIN_PATH = '(stdin)';

/** What `git push` of the current branch would publish: the commits of HEAD that no remote-tracking ref contains. */
export const UNPUSHED_REVISIONS = ['HEAD', '--not', '--remotes'] as const;

/** Every source yields the same Fragment stream; the detector never knows where text came from. */
export function fragmentsFor(source: ScanSource, context: SourceContext): AsyncIterable<Fragment> {
  switch (source.kind) {
    case 'staged':
      return stagedFragments(context.repoRoot!, context.stats, context, context.stagedDiff);
    case 'stdin':
      return stdinFragments(source.text, context.stats);
    case 'range':
      return historyFragments(context.repoRoot!, { kind: 'range', range: source.range }, context);
    case 'history':
      return historyFragments(context.repoRoot!, { kind: 'history' }, context);
    case 'unpushed':
      return historyFragments(context.repoRoot!, { kind: 'unpushed', revisions: source.revisions ?? [...UNPUSHED_REVISIONS] }, context);
    case 'paths':
      return treeFragments(source.paths, context);
  }
}

/**
 * Up to this much diff is read in one blocking call; a larger one is streamed. Small,
 * because a larger diff pays for it twice: git is stopped at the limit and run again
 * (git's diff rate: bench/perf/README.md).
 */
const SYNC_DIFF_MAX_BYTES = 128 * 1024;

/**
 * Runs `git diff --cached` for the hook's path. An ordinary commit's diff is read
 * in one blocking call (cheaper than a streamed child); past SYNC_DIFF_MAX_BYTES git
 * is started again, streamed, before the rules and the configuration are loaded,
 * so it works on the other core meanwhile. Read it through fragmentsFor's
 * `stagedDiff`, or stop it.
 */
export function startStagedDiff(repoRoot: string): StartedGit {
  return runGitUpTo(STAGED_DIFF_ARGS, { cwd: repoRoot }, SYNC_DIFF_MAX_BYTES) ?? startGit(STAGED_DIFF_ARGS, { cwd: repoRoot });
}

async function* stdinFragments(text: string, stats: ScanStats): AsyncGenerator<Fragment> {
  stats.files = 1;
  stats.bytes = text.length;
  stats.lines = text.length ? text.split('\n').length : 0;
  if (text.length) yield contiguousFragment(STDIN_PATH, text, 'stdin');
}
