/**
 * Every user-facing string of the fix (core errors, prompt, CLI output) in one
 * place. None of them ever receives a raw secret: callers pass redacted values.
 */
import { shellWord } from '../git/shell-word.js';
import { messages } from '../messages.js';
import type { ItemSkipReason } from './plan-fix.js';

export const FIX_COMMAND = 'npx leakguard fix';

const SKIP_REASONS: Record<ItemSkipReason, string> = {
  'unknown-language': 'no known way to read the environment in this kind of file; move the key out by hand',
  json: 'JSON cannot read environment variables; load the value from the environment in the code that reads this file',
  'in-comment': 'the key is in a comment; delete it by hand',
  'inside-longer-string': 'the key is part of a longer string; build the string from the environment variable by hand',
  'multiline-string': 'the key is inside a multi-line string or docstring; move it out by hand',
  'bytes-literal': 'the key is a bytes literal; use os.getenvb() or encode the value by hand',
  'not-a-string-literal': 'the key is not inside a string literal; move it out by hand',
  'not-found': 'the key is no longer in the staged file',
  'not-staged': 'the file is not in the index',
  encoded: 'the key is base64-encoded here; remove the encoded value by hand and load the key from the environment',
  conflicted: 'the file has unresolved merge conflicts',
  symlink: 'the staged file is a symbolic link',
  submodule: 'the path is a submodule',
  'binary-file': 'the file is binary',
  declined: 'skipped at your request',
  'no-terminal': `no terminal to ask on; run \`${FIX_COMMAND}\` (or \`${FIX_COMMAND} --yes\`)`,
  'partial-commit': 'not fixed inside `git commit <paths>`; stage the file and commit without paths',
  aborted: 'the fix was aborted',
};

export const fixMessages = {
  skipReason: (reason: ItemSkipReason, where?: 'staged' | 'working-tree') =>
    where === 'working-tree' ? `working-tree copy: ${SKIP_REASONS[reason]}` : SKIP_REASONS[reason],
  planFailed: (detail: string) => `cannot plan the fix: ${detail}`,
  rolledBack: (detail: string) => `the fix failed and every change was rolled back: ${detail}`,
  restoreFailed: (paths: readonly string[], backupDir: string) =>
    `could not restore ${paths.join(', ')}; the originals are in ${backupDir}`,
  nothingToUndo: 'there is no fix to undo',
  undoAfterCommit: 'a commit was made after the fix; undoing it now would stage the key again (use --force to undo anyway)',
  undoWouldLoseEdits: (paths: readonly string[]) =>
    `these files changed after the fix: ${paths.join(', ')}; undoing would lose those edits (use --force to undo anyway)`,
  changedDuringFix: (path: string) => `${path} changed while the fix was running`,
  unsafeTarget: (path: string, reason: string, tooLarge = false) =>
    `cannot fix: ${path} is ${reason}; nothing was changed ` +
    (tooLarge ? '(move the key by hand)' : `(the fix writes only regular files inside the repository: make ${path} one, or move the key by hand)`),
  notRegularInIndex: 'staged as a symbolic link or submodule, not as a file',
  interrupted: (backupDir: string) => messages.interruptedFix(backupDir),

  // Prompt
  promptHeader: (index: number, total: number, file: string, line: number, description: string, secret: string) =>
    `\n[${index}/${total}] ${file}:${line}  ${description}  ${secret}`,
  promptMovesTo: (envVar: string) => `  moves the key to .env as ${envVar}`,
  promptCannotFix: (reason: string) => `  cannot be fixed automatically: ${reason}`,
  promptQuestion: 'Fix this key? [y]es / [n]o / [a]ll / [q]uit: ',
  promptInvalid: 'Please answer y, n, a or q.',
  promptUntrackEnv:
    '.env is tracked by git, so ignoring it has no effect. Untrack it (git rm --cached .env: the commit then removes it from the repository; your copy stays on disk)? [y/n]: ',

  // CLI report
  fixedLine: (file: string, line: number, envVar: string) => `fixed   ${file}:${line} → ${envVar} in .env`,
  unstagedLine: (file: string) => `unstaged ${file} (kept on disk, now ignored by git)`,
  skippedLine: (file: string, line: number, reason: string) => `skipped ${file}:${line}: ${reason}`,
  blockedNoTerminal: `Commit blocked: keys found and no terminal to ask on. Run \`${FIX_COMMAND}\` to move them into .env.`,
  aborted: 'Fix aborted; nothing was changed and the commit stays blocked.',
  blockedPartialCommit: (files: readonly string[]) =>
    [
      'Commit blocked: `git commit <paths>` commits a temporary index, and a fix made there would leave the key staged in .git/index.',
      `Stage the files, then commit without paths to be offered the fix: \`git add -- ${files.map(shellWord).join(' ')}\`, then \`git commit\``,
      `(or, once they are staged, run \`${FIX_COMMAND}\`).`,
    ].join('\n'),
  nothingToFix: 'No staged keys to fix.',
  envTracked: '.env is tracked by git: run `git rm --cached .env` so the keys in it are not committed.',
  /** .env was staged with a key and is still tracked: its staged change was undone. */
  envTrackedUnstaged:
    'unstaged the changes to .env (kept on disk), but .env is still tracked by git, so ignoring it has no effect: run `git rm --cached .env` so the keys in it are not committed.',
  envUntracked:
    '.env was tracked by git: it is now staged for removal (git rm --cached .env), so the commit removes .env from the repository, and from other clones when they pull it; your copy stays on disk, ignored.',
  stillBlocked: 'Some keys were not fixed; the commit stays blocked until they are removed.',
  allFixed: 'All staged keys moved to .env; the staged files now read them from the environment.',
  backupAt: (dir: string) => `Originals saved in ${dir} (undo with \`${FIX_COMMAND} --undo\`).`,
  revokeHeader: 'A key that was ever committed or pushed anywhere must be revoked and replaced:',
  revokeLine: (provider: string, url: string | undefined) => `  ${provider}: ${url ?? 'revoke it in the provider console'}`,
  actionsSecret: (name: string) => `Add the repository secret ${name} (Settings → Secrets and variables → Actions).`,
  undone: (dir: string) => `Restored the files and index entries saved in ${dir}.`,
  dryRunHeader: 'Planned edits (nothing was changed):',
} as const;
