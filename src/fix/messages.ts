/**
 * Every user-facing string of the fix (core errors, prompt, CLI output) in one
 * place. None of them ever receives a raw secret: callers pass redacted values.
 */
import { shellWord } from '../git/shell-word.js';
import { messages } from '../messages.js';
import type { ItemSkipReason } from './skip-reason.js';

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
  'constant-declaration':
    'the key is a constant (Go const, C# const), which an environment lookup cannot initialise; make it a variable by hand (Go: var, C#: static readonly), then run the fix again',
  'switch-or-annotation-constant':
    'a Java switch case or annotation needs a compile-time constant and System.getenv() is not one; move the key out by hand (compare with .equals() instead of switch, or read the value where the annotation is used)',
  'yaml-no-expansion':
    "this YAML is not expanded from the environment (Kubernetes, Helm and most tools read ${NAME} literally); keep the key in a Secret (e.g. kubectl create secret generic app-keys --from-env-file=.env, then secretKeyRef) or your tool's own secret store, and delete it here by hand",
  'notebook-markdown': 'the key is in a markdown cell of the notebook; delete it by hand',
  'dockerfile-build-time':
    'a Dockerfile cannot read .env at build time; delete the key here and pass it as a BuildKit secret (RUN --mount=type=secret,id=NAME,env=NAME …, then docker build --secret id=NAME,env=NAME .) or at run time (docker run --env-file .env IMAGE)',
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
  rollbackIncomplete: (detail: string, failed: readonly string[], backupDir: string) =>
    `the fix failed (${detail}) and could NOT be fully rolled back: ${failed.join(', ')} still ${failed.length === 1 ? 'holds' : 'hold'} the fix's version. ` +
    `Everything else was restored. Run \`${FIX_COMMAND} --undo\` to finish restoring from ${backupDir} (fix what blocked the write first, e.g. a folder or link now in the file's place).`,
  nothingToUndo: 'there is no fix to undo',
  undoAfterCommit: 'a commit was made after the fix; undoing it now would stage the key again (use --force to undo anyway)',
  undoWouldLoseEdits: (paths: readonly string[]) =>
    `these files changed after the fix: ${paths.join(', ')}; undoing would lose those edits (use --force to undo anyway)`,
  changedDuringFix: (path: string) => `${path} changed while the fix was running`,
  fixLocked: (pid: number | undefined, lock: string) =>
    `another leakguard fix is running in this repository${pid ? ` (pid ${pid})` : ''}; nothing was changed — run it again when that one has finished (if none is running, delete ${lock})`,
  unsafeTarget: (path: string, reason: string, tooLarge = false) =>
    `cannot fix: ${path} is ${reason}; nothing was changed ` +
    (tooLarge
      ? '(move the key by hand)'
      : `(the fix writes only regular files inside the repository: make ${path} one, or move the key by hand)`),
  notRegularInIndex: 'staged as a symbolic link or submodule, not as a file',
  interrupted: (backupDir: string) => messages.interruptedFix(backupDir),

  // Prompt
  promptHeader: (index: number, total: number, file: string, line: number, description: string, secret: string) =>
    `\n[${index}/${total}] ${file}:${line}  ${description}  ${secret}`,
  promptMovesTo: (envVar: string) => `  moves the key to .env as ${envVar}`,
  renamedKey: (preferred: string, chosen: string, dryRun = false, inEnvFile = true) =>
    inEnvFile
      ? `${preferred} is already in .env with a different value, so this key ${dryRun ? 'would be' : 'was'} saved as ${chosen} and the code reads ${chosen}. ` +
        `If it replaces the old key, put it in ${preferred} in .env and use ${preferred} in the code by hand.`
      : `another key of this fix takes ${preferred}, so this key ${dryRun ? 'would be' : 'was'} saved as ${chosen} and the code reads ${chosen}.`,
  promptExistingName: (preferred: string, chosen: string) =>
    `${preferred} is already in .env with a different value. [r]eplace that value (the code keeps reading ${preferred}; the old value is kept only in the fix backup), ` +
    `use the [n]ew name ${chosen}, or [s]kip this key? [r/n/s]: `,
  promptRenameNext: (preferred: string, chosen: string) =>
    `${preferred} is already in .env with a different value; if you fix this key, you choose next: replace that value, or use ${chosen}.`,
  promptExistingNameInvalid: 'Please answer r, n or s.',
  promptOfferPythonDotenv: (file: string, requirements: string, create: boolean) =>
    `Nothing in this project loads .env. Add python-dotenv to ${requirements}${create ? ' (a new file)' : ''} and \`from dotenv import load_dotenv; load_dotenv()\` to ${file}, ` +
    `so \`python3 ${file}\` reads the key from .env (then run \`pip install -r ${requirements}\`)? [y/n]: `,
  promptOfferLoadEnvFile: (file: string) =>
    `Nothing in this project loads .env. Add \`process.loadEnvFile()\` (built into Node ≥ 20.12, no dependency; guarded, so a missing .env is fine) at the top of ${file}, ` +
    `so \`node ${file}\` reads the key from .env? [y/n]: `,
  promptCannotFix: (reason: string) => `  cannot be fixed automatically: ${reason}`,
  promptAlsoStaged: (items: readonly { path: string; change: 'add' | 'unstage' }[]) =>
    `The fix also stages: ${items.map((i) => (i.change === 'unstage' ? `the removal of ${i.path} from the index (kept on disk)` : i.path)).join(', ')}.`,
  promptQuestion: 'Fix this key? [y]es / [n]o / [a]ll / [q]uit: ',
  promptInvalid: 'Please answer y, n, a or q.',
  promptUntrackEnv:
    '.env is tracked by git, so ignoring it has no effect. Untrack it (git rm --cached .env: the commit then removes it from the repository; your copy stays on disk)? [y/n]: ',

  // CLI report
  fixedLine: (file: string, line: number, envVar: string) => `fixed   ${file}:${line} → ${envVar} in .env`,
  wouldFixLine: (file: string, line: number, envVar: string) => `would fix ${file}:${line} → ${envVar} in .env`,
  wouldUnstageLine: (file: string) => `would unstage ${file} (kept on disk, ignored by git)`,
  fixNoTerminal: `No terminal to ask on: run \`${FIX_COMMAND} --yes\` to apply the fix without asking, or \`${FIX_COMMAND} --dry-run\` to see it first.`,
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
  alsoStaged: (items: readonly { path: string; change: 'add' | 'unstage' }[], dryRun: boolean) =>
    `${dryRun ? 'Would also stage' : 'Also staged'}: ${items.map((i) => (i.change === 'unstage' ? `removal of ${i.path} from the index` : i.path)).join(', ')}`,
  allFixed: 'All staged keys moved to .env; the staged files now read them from the environment.',
  backupAt: (dir: string) => `Originals saved in ${dir} (undo with \`${FIX_COMMAND} --undo\`).`,
  whatStaysBehind: (days: number) =>
    `That backup holds the key in plain text: it is deleted after ${days} day${days === 1 ? '' : 's'}, or now with \`${FIX_COMMAND} --clean\`. ` +
    "The key also stays in git's local object store (it was staged) until `git gc --prune=now`.",
  cleaned: (count: number) => (count ? `Deleted ${count} fix backup${count === 1 ? '' : 's'}.` : 'There were no fix backups to delete.'),
  cleanInterrupted: `a fix was interrupted and its backup is needed to restore the files: run \`${FIX_COMMAND} --undo\` first`,
  revokeHeader: 'A key that was ever committed or pushed anywhere must be revoked and replaced:',
  revokeLine: (provider: string, url: string | undefined) => `  ${provider}: ${url ?? 'revoke it in the provider console'}`,
  actionsSecret: (name: string) => `Add the repository secret ${name} (Settings → Secrets and variables → Actions).`,
  undone: (dir: string) => `Restored the files and index entries saved in ${dir}.`,
  dryRunHeader: 'Planned edits (nothing was changed):',

  // After the fix, the program runs: how it gets the key from .env.
  loaderAdded: (file: string, lines: readonly string[], manifest: string, dryRun = false) =>
    `${file}: ${dryRun ? 'would add' : 'added'} \`${lines.join('; ')}\` (${manifest} already has the loader), so the program reads the key from .env`,
  outputsCleared: (file: string, cells: number, dryRun: boolean) =>
    `${file}: ${dryRun ? 'would clear' : 'cleared'} the saved outputs of ${cells} cell${cells === 1 ? '' : 's'} that showed the key (run the notebook again to get them back)`,
  loaderOfferAdded: (file: string, lines: readonly string[], requirements?: string) =>
    `${file}: added \`${lines.join('; ')}\`${requirements ? ` and python-dotenv to ${requirements} (install it: pip install -r ${requirements})` : ''}, so the program reads the key from .env`,
  replacedKey: (name: string) =>
    `${name} in .env held another value: it now holds this key, as you chose (the old value is only in the fix backup).`,
  loaderPresent: (file: string) => `${file}: already loads .env; nothing to add`,
  composeReadsEnv: (file: string) => `${file}: docker compose fills \${NAME} from the .env beside it; nothing to add`,
  nodeEnvFileScript: (file: string, manifest: string) =>
    `${file}: the scripts in ${manifest} run node with --env-file; run it through them`,
  runWithEnv: (file: string) => `${file} reads the key from the environment now, and nothing in this project loads .env. Run it with:`,
  runCommandLine: (command: string) => `    ${command}`,
  manualLoader: (text: string) => `  (${text})`,
} as const;
