import type { SkipReason } from './rewrite/index.js';

/**
 * Why the fix leaves a finding as it is. Its own module so the plan (plan-fix.ts)
 * and the words for each reason (messages.ts) both import it without importing each other.
 */
export type ItemSkipReason =
  | SkipReason
  | 'not-staged'
  | 'encoded'
  | 'conflicted'
  | 'symlink'
  | 'submodule'
  | 'binary-file'
  | 'declined'
  | 'no-terminal'
  | 'partial-commit'
  | 'aborted';
