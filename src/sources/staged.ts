import { DIFF_OUTPUT_FLAGS, runGitUpTo, startGit, streamGit, type StartedGit } from '../git/run-git.js';
import { BlobReader } from './blob-reader.js';
import type { Fragment } from './fragment.js';
import { diffFragments } from './git-output/paired-diff.js';
import { indexFolder } from './lockfiles.js';
import type { Source, SourceOptions } from './source.js';
import type { SourceStats } from './source-stats.js';

/** `leakguard scan --staged` (the pre-commit hook): the added lines of the index against HEAD. */
export function stagedSource(): Source {
  let diff: StartedGit | undefined;
  return {
    kind: 'staged',
    label: 'staged changes',
    addedLinesOnly: true,
    fix: 'staged',
    // The index needs a work tree: a bare repository has none.
    needsRepo: { bare: false },
    detectInWorker: true,
    commitOrdered: false,
    reportsProgress: false,
    start(repoRoot) {
      diff = startStagedDiff(repoRoot!);
    },
    fragments(context) {
      return stagedFragments(context.repoRoot!, context.stats, context, diff?.chunks);
    },
    close() {
      diff?.stop();
    },
  };
}

/** The diff of the index against HEAD (or the empty tree before the first commit). */
export const STAGED_DIFF_ARGS = [
  'diff',
  '--cached',
  '--raw',
  '-z',
  '-p',
  '-U0',
  ...DIFF_OUTPUT_FLAGS,
  // Renames, not copies (as for history): copy detection costs git a third more on
  // large changes, and a copy's lines are then scanned as the new file they are.
  '--find-renames',
] as const;

/**
 * Up to this much diff is read in one blocking call; a larger one is streamed. Small,
 * because a larger diff pays for it twice: git is stopped at the limit and run again
 * (the cost at this size: bench/perf/README.md, "Timings behind design choices").
 */
const SYNC_DIFF_MAX_BYTES = 128 * 1024;

/**
 * Runs `git diff --cached` for the hook's path. An ordinary commit's diff is read
 * in one blocking call (cheaper than a streamed child); past SYNC_DIFF_MAX_BYTES git
 * is started again, streamed, before the rules and the configuration are loaded,
 * so it works on the other core meanwhile. Read it through stagedFragments' `diff`, or stop it.
 */
export function startStagedDiff(repoRoot: string): StartedGit {
  return runGitUpTo(STAGED_DIFF_ARGS, { cwd: repoRoot }, SYNC_DIFF_MAX_BYTES) ?? startGit(STAGED_DIFF_ARGS, { cwd: repoRoot });
}

/**
 * Yields the added lines of every staged file. Only the index is read, never the
 * working tree. `diff`: the output of `git STAGED_DIFF_ARGS`, when the caller started it early.
 */
export async function* stagedFragments(
  repoRoot: string,
  stats: SourceStats,
  options: SourceOptions = {},
  diff: AsyncIterable<Buffer> = streamGit(STAGED_DIFF_ARGS, { cwd: repoRoot }),
): AsyncGenerator<Fragment> {
  const blobs = new BlobReader(repoRoot);
  try {
    yield* diffFragments(diff, stats, options, 'staged', { blobs, folder: indexFolder(repoRoot) });
  } finally {
    blobs.close();
  }
}
