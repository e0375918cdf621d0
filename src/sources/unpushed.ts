import { COMMIT_SOURCE, commitFragments, SPLIT_MIN_COMMITS, startCommitLog, type StartedLog } from './history.js';
import type { Source } from './source.js';

/** What `git push` of the current branch would publish: the commits of HEAD that no remote-tracking ref contains. */
export const UNPUSHED_REVISIONS = ['HEAD', '--not', '--remotes'] as const;

/**
 * `leakguard scan --unpushed` and the pre-push hook (src/git/pre-push-input.ts gives
 * it the revisions of the refs being pushed): commits not published yet, read as
 * history.ts reads commits. `leakguard fix --unpushed` can rewrite them.
 *
 * The `git log` walk runs in `start` (history.ts startCommitLog: an ordinary push's
 * output is read there in one blocking call, a longer one streamed); it walks at most
 * SPLIT_MIN_COMMITS commits, and only a push that long asks git for the rest (by
 * commit lists, as a history is read). No commit count comes first: a `rev-list
 * --count` before the walk was a git process more on the hook's path.
 */
export function unpushedSource(revisions: readonly string[] = UNPUSHED_REVISIONS): Source {
  let first: StartedLog | undefined;
  return {
    ...COMMIT_SOURCE,
    kind: 'unpushed',
    label: 'unpushed commits',
    fix: 'unpushed',
    start(repoRoot) {
      first = startCommitLog(repoRoot!, revisions, SPLIT_MIN_COMMITS);
    },
    // Their findings are reported as a range's (a set of commits, not the whole history).
    fragments: (context) => commitFragments(context.repoRoot!, revisions, 'range', { ...context, first }),
    close() {
      first?.git.stop();
    },
  };
}
