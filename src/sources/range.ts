import { GitError, InputError, UsageError } from '../errors.js';
import { gitText, runGit } from '../git/run-git.js';
import { COMMIT_SOURCE, commitFragments } from './history.js';
import type { Source } from './source.js';

/**
 * `leakguard scan --range A..B | A...B`: the commits of a pull request or a push,
 * read as history.ts reads commits. Its config and baseline are its base commit's
 * (src/findings/range-base.ts): a range must not be able to loosen them for its own scan.
 */
export function rangeSource(range: string): Source {
  return {
    ...COMMIT_SOURCE,
    kind: 'range',
    label: 'commit range',
    trustsBaseOf: range,
    async *fragments(context) {
      const revisions = await rangeRevisions(context.repoRoot!, range);
      yield* commitFragments(context.repoRoot!, revisions, 'range', context);
    },
  };
}

export const rangeMessages = {
  badRange: (range: string): string => `--range expects A..B or A...B, got "${range}"`,
  shallow: (range: string, rev: string): string =>
    `--range ${range}: ${rev} is not in this shallow clone; fetch more history ` +
    '(actions/checkout: `fetch-depth: 0`; GitLab: `GIT_DEPTH: 0`; locally: `git fetch --unshallow`)',
  unknownRevision: (range: string, rev: string): string => `--range ${range}: unknown revision ${rev} (not a commit in this repository)`,
} as const;

/** Checks a `--range` and returns it as `git log` revision arguments. */
export async function rangeRevisions(repoRoot: string, range: string): Promise<string[]> {
  const parsed = parseRange(range);
  const shallow = async (): Promise<boolean> => (await gitText(['rev-parse', '--is-shallow-repository'], { cwd: repoRoot })) === 'true';
  for (const rev of parsed.endpoints) {
    if (!(await isCommit(repoRoot, rev))) {
      throw new InputError((await shallow()) ? rangeMessages.shallow(range, rev) : rangeMessages.unknownRevision(range, rev));
    }
  }
  // In a shallow clone both ends may exist while the history joining them does not:
  // git would then walk down to the cut and scan commits that are not in the range.
  if (parsed.endpoints.length === 2 && (await shallow())) {
    const base = await runGit(['merge-base', parsed.endpoints[0]!, parsed.endpoints[1]!], { cwd: repoRoot, okCodes: [1] }).catch(() => ({
      code: 1,
    }));
    if (base.code !== 0) throw new InputError(rangeMessages.shallow(range, `the merge base of ${parsed.endpoints.join(' and ')}`));
  }
  return ['--end-of-options', range];
}

export interface ParsedRange {
  /** The commits named by the range (one for a single revision, two for A..B / A...B). */
  endpoints: string[];
  symmetric: boolean;
}

/** `A..B`, `A...B` (either side may be empty, meaning HEAD) or a single revision. */
export function parseRange(range: string): ParsedRange {
  const trimmed = range.trim();
  if (!trimmed || /\s/.test(trimmed)) throw new UsageError(rangeMessages.badRange(range));
  const match = /^(.*?)(\.\.\.?)(.*)$/.exec(trimmed);
  const endpoints = match ? [match[1] || 'HEAD', match[3] || 'HEAD'] : [trimmed];
  if (endpoints.some((rev) => rev.startsWith('-') || rev.startsWith('.') || rev.includes('..')))
    throw new UsageError(rangeMessages.badRange(range));
  return { endpoints, symmetric: match?.[2] === '...' };
}

async function isCommit(repoRoot: string, rev: string): Promise<boolean> {
  try {
    const { code } = await runGit(['rev-parse', '--verify', '--quiet', `${rev}^{commit}`], { cwd: repoRoot, okCodes: [1, 128] });
    return code === 0;
  } catch (error) {
    if (error instanceof GitError) return false;
    throw error;
  }
}
