/**
 * Every user-facing sentence of `leakguard fix --unpushed`, in one place. None of
 * them ever receives a raw secret.
 */
import { shellWord } from '../../git/shell-word.js';

export const UNPUSHED_COMMAND = 'npx leakguard fix --unpushed';
const FILTER_REPO = 'https://github.com/newren/git-filter-repo';

export const unpushedMessages = {
  // Refusals (FixError, exit 2): nothing was changed.
  detached: `HEAD is detached: check out the branch to fix first (\`git switch <branch>\`), then run \`${UNPUSHED_COMMAND}\` again; nothing was changed`,
  inProgress: (operation: string) =>
    `${operation} is in progress: finish or abort it first, then run \`${UNPUSHED_COMMAND}\` again; nothing was changed`,
  dirty: (paths: readonly string[]) =>
    `uncommitted changes in ${paths.slice(0, 5).join(', ')}${paths.length > 5 ? ` and ${paths.length - 5} more` : ''}: commit or stash them first (\`git stash\`), then run \`${UNPUSHED_COMMAND}\` again; nothing was changed`,
  published: (files: readonly string[], refs: readonly string[]) =>
    `the key is already pushed (${files.join(', ')} in ${refs.length ? refs.join(', ') : 'a commit a remote has'}): revoke the key now, then remove it from published history with git filter-repo (${FILTER_REPO}) and a force-push; nothing was changed`,
  merges: (commit: string) =>
    `commit ${commit.slice(0, 12)} is a merge, and merges are not rewritten: rewrite the branch by hand (\`git rebase -i --rebase-merges\`) or revoke the key; nothing was changed`,
  envTracked:
    '`.env` is tracked in the branch, so the key cannot move into it unseen: untrack it first (`git rm --cached .env`, commit), then run the fix again; nothing was changed',
  untrackedInTheWay: (file: string) =>
    `${file} exists in the working tree but is not tracked, and the rewritten branch adds it: move it away first; nothing was changed`,
  changedMeanwhile: 'the branch or the working tree changed while the fix was running; nothing was changed',
  failed: (detail: string) => `the rewrite failed and the branch was left as it was: ${detail}`,

  // Undo
  nothingToUndo: 'there is no `fix --unpushed` backup to restore (refs/leakguard/backup/ is empty)',
  undoOtherBranch: (ref: string, branch: string) =>
    `the last backup (${ref}) is of ${branch.replace(/^refs\/heads\//, '')}: check out that branch first; nothing was changed`,
  undoMoved: (ref: string) =>
    `the branch has moved since the fix (new commits, or another rewrite): undoing would drop them; use --force to restore ${ref} anyway; nothing was changed`,
  undoBlocked: (file: string) =>
    `${file} in the working tree differs from the version the restored branch has: move it away first; nothing was changed`,
  undone: (ref: string, branch: string, tip: string) =>
    `Restored ${branch.replace(/^refs\/heads\//, '')} to ${tip.slice(0, 12)} from ${ref} (the backup ref is removed). .env still holds the key and the restored branch may not ignore it: do not commit it.`,

  // Report
  nothingUnpushed: (branch: string) =>
    `Nothing to rewrite: every commit of ${branch.replace(/^refs\/heads\//, '')} is on a remote. A key that was pushed must be revoked; to remove it from published history, see git filter-repo (${FILTER_REPO}).`,
  nothingToFix: 'No keys in the unpushed commits.',
  noCommits: (branch: string) =>
    `${branch.replace(/^refs\/heads\//, '')} has no commits yet, so there is nothing to rewrite (\`leakguard fix\` moves staged keys)`,
  cannotFix:
    'These keys cannot be moved out automatically, so no commit was rewritten (a rewrite that keeps one copy still publishes the key):',
  cannotFixLine: (file: string, commit: string, reason: string) => `  ${file} in ${commit.slice(0, 12)}: ${reason}`,
  cannotFixHint: (base: string | undefined) =>
    `Fix them by hand: \`git rebase -i ${base ? base.slice(0, 12) : '--root'}\`, edit each commit that adds the key, then push.`,
  dryRunHeader: (count: number) => `Would rewrite ${count} unpushed commit${count === 1 ? '' : 's'} (nothing was changed):`,
  doneHeader: (count: number) => `Rewrote ${count} unpushed commit${count === 1 ? '' : 's'}; none of them holds the key any more:`,
  commitLine: (old: string, next: string | undefined, subject: string) =>
    `  ${old.slice(0, 12)}${next ? ` → ${next.slice(0, 12)}` : ''}  ${subject}`,
  fileLine: (file: string, envVars: readonly string[]) => `  ${file}: the key now reads ${envVars.join(', ')} from the environment`,
  removedLine: (file: string) => `  ${file}: removed from the rewritten commits (kept on disk, now ignored by git)`,
  envLine: (names: readonly string[]) => `  .env: ${names.join(', ')} (mode 0600, not committed)`,
  ignoreLine: (patterns: readonly string[]) => `  .gitignore: ${patterns.join(', ')} added in every rewritten commit`,
  keptCommits: (count: number) =>
    `  (${count} older unpushed commit${count === 1 ? '' : 's'} without the key kept as ${count === 1 ? 'it is' : 'they are'})`,
  backup: (ref: string) => [
    `The old branch is kept as ${ref} (local only; undo with \`${UNPUSHED_COMMAND} --undo\`).`,
    'Until you drop it, the key is still in the local object store. Once you are satisfied:',
    `    git update-ref -d ${shellWord(ref)}`,
    '    git reflog expire --expire=now --all && git gc --prune=now',
  ],
  pushNow: 'Push when ready: `git push`.',
} as const;
