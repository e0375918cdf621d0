import { gitText } from '../git/run-git.js';
import { COMMIT_SOURCE, commitFragments, type HistoryOptions, SPLIT_MIN_COMMITS } from './history.js';
import type { Source } from './source.js';

/** What `git push` of the current branch would publish: the commits of HEAD that no remote-tracking ref contains. */
export const UNPUSHED_REVISIONS = ['HEAD', '--not', '--remotes'] as const;

/**
 * `leakguard scan --unpushed` and the pre-push hook (src/git/pre-push-input.ts gives
 * it the revisions of the refs being pushed): commits not published yet, read as
 * history.ts reads commits. `leakguard fix --unpushed` can rewrite them.
 *
 * Whether the push is long enough for two `git log` processes is asked of git in
 * `start`, before the rules are loaded (git counts on the other core meanwhile), and
 * only up to SPLIT_MIN_COMMITS; the history reader would otherwise count them itself
 * after the rules are loaded, one git process more on the hook's critical path.
 */
export function unpushedSource(revisions: readonly string[] = UNPUSHED_REVISIONS): Source {
  let fewCommits: Promise<boolean | undefined> | undefined;
  return {
    ...COMMIT_SOURCE,
    kind: 'unpushed',
    label: 'unpushed commits',
    fix: 'unpushed',
    start(repoRoot) {
      fewCommits = countsFewerThan(repoRoot!, revisions, SPLIT_MIN_COMMITS);
    },
    // Their findings are reported as a range's (a set of commits, not the whole history).
    fragments: (context) =>
      afterPromise(fewCommits, (few) => {
        const options: HistoryOptions = few ? { ...context, splitMinCommits: Number.POSITIVE_INFINITY } : context;
        return commitFragments(context.repoRoot!, revisions, 'range', options);
      }),
  };
}

/** Whether `git log <revisions>` lists fewer than `limit` commits; undefined if git could not say (the reader then finds out itself). */
async function countsFewerThan(repoRoot: string, revisions: readonly string[], limit: number): Promise<boolean | undefined> {
  try {
    // --max-count: a new branch of a long history is not walked to its root just to compare.
    return Number(await gitText(['rev-list', '--count', `--max-count=${limit}`, ...revisions], { cwd: repoRoot })) < limit;
  } catch {
    return undefined;
  }
}

/**
 * The values of the iterator `make` returns once `ready` settles, with no async step
 * of its own per value (a new branch can hold many commits and fragments).
 */
function afterPromise<R, T>(
  ready: Promise<R> | undefined,
  make: (value: R | undefined) => AsyncIterableIterator<T>,
): AsyncIterableIterator<T> {
  let inner: AsyncIterableIterator<T> | undefined;
  let opening: Promise<AsyncIterableIterator<T>> | undefined;
  const open = (): Promise<AsyncIterableIterator<T>> => (opening ??= Promise.resolve(ready).then((value) => (inner = make(value))));
  return {
    [Symbol.asyncIterator]() {
      return this;
    },
    next() {
      return inner ? inner.next() : open().then((it) => it.next());
    },
    async return(value?: unknown) {
      const it = inner ?? (opening && (await opening));
      return (await it?.return?.(value)) ?? { done: true, value: undefined };
    },
  };
}
