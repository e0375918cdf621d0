import { COMMIT_SOURCE, commitFragments } from './history.js';
import type { Source } from './source.js';

/** What `git push` of the current branch would publish: the commits of HEAD that no remote-tracking ref contains. */
export const UNPUSHED_REVISIONS = ['HEAD', '--not', '--remotes'] as const;

/**
 * `leakguard scan --unpushed` and the pre-push hook (src/git/pre-push-input.ts gives
 * it the revisions of the refs being pushed): commits not published yet, read as
 * history.ts reads commits. `leakguard fix --unpushed` can rewrite them.
 */
export function unpushedSource(revisions: readonly string[] = UNPUSHED_REVISIONS): Source {
  return {
    ...COMMIT_SOURCE,
    kind: 'unpushed',
    label: 'unpushed commits',
    fix: 'unpushed',
    // Their findings are reported as a range's (a set of commits, not the whole history).
    fragments: (context) => commitFragments(context.repoRoot!, revisions, 'range', context),
  };
}
