/** Every user-facing sentence of `leakguard install`, in one place. */

export type HookName = 'pre-commit' | 'pre-push';

/** The line to add by hand where install will not write: the scan, blocking on any non-zero exit. */
export const MANUAL_LINE = 'leakguard scan --staged || exit $?';

const MANUAL_LINES: Record<HookName, string> = { 'pre-commit': MANUAL_LINE, 'pre-push': 'leakguard pre-push "$@" || exit $?' };
const COMMANDS: Record<HookName, string> = { 'pre-commit': 'leakguard scan --staged', 'pre-push': 'leakguard pre-push' };
const BLOCKS: Record<HookName, string> = { 'pre-commit': 'commit', 'pre-push': 'push' };

export type HookKind = 'husky' | 'git';

const where = (kind: HookKind, hook: HookName) => `${kind === 'husky' ? 'husky' : 'git'} ${hook} hook`;

export const installMessages = {
  added: (kind: HookKind, file: string, hook: HookName = 'pre-commit') =>
    `leakguard: added \`${COMMANDS[hook]}\` to the top of the ${where(kind, hook)} (${file})`,
  moved: (kind: HookKind, file: string, hook: HookName = 'pre-commit') =>
    `leakguard: moved \`${COMMANDS[hook]}\` to the top of the ${where(kind, hook)} (${file}), where nothing before it can skip it`,
  already: (kind: HookKind, file: string, hook: HookName = 'pre-commit') =>
    `leakguard: the ${where(kind, hook)} already runs leakguard first (${file})`,

  huskyNotSetUp: 'husky is not set up in this clone yet: run `npx husky` (or `npm install`, if its prepare script runs husky)',
  madeExecutable: (file: string) => `${file} was not executable, so git did not run it; it is now, and its other commands run too`,
  oldLineKept: (line: number) =>
    `an older leakguard line is still at line ${line} (removing it would break the script); the scan now runs first, so it can be deleted by hand`,
  perRepository: (
    sharedDir: string,
    origin: string | undefined,
    ownDir: string,
    forwarded: readonly string[],
    hooks: readonly HookName[] = ['pre-commit'],
  ) =>
    [
      `core.hooksPath${origin ? ` (set in ${origin})` : ''} points at ${sharedDir}, a folder shared by other repositories; leakguard did not write there.`,
      `This repository now uses its own hooks folder ${ownDir} (core.hooksPath set in this repository's config): its ${hooks.join(' and ')} run the scan, then the shared hook of the same name` +
        (forwarded.length ? `; its other hooks (${forwarded.join(', ')}) call their shared counterparts` : '') +
        '. Hooks added to the shared folder later do not run here.',
      `To scan in every repository instead, add ${hooks.map((hook) => `\`${MANUAL_LINES[hook]}\` as the first command of ${sharedDir}/${hook}`).join(', and ')} yourself.`,
    ].join('\n'),

  // Refusals (InstallError): the hook is left as it was.
  symlink: (file: string, target: string, hook: HookName = 'pre-commit') =>
    `${file} is a symbolic link (to ${target}); leakguard does not write through it. Add \`${MANUAL_LINES[hook]}\` as the first command of the hook it points to, or replace the link with a file and run \`leakguard install\` again`,
  notAFile: (file: string) => `${file} exists but is not a regular file; leakguard cannot add itself to it`,
  notShell: (file: string, interpreter: string, hook: HookName = 'pre-commit') =>
    `${file} is a ${interpreter} script, not a shell script, so leakguard cannot prove a line it adds would run. Make the hook run \`${COMMANDS[hook]}\` first and fail the ${BLOCKS[hook]} when it exits non-zero`,
  binary: (file: string, hook: HookName = 'pre-commit') =>
    `${file} is not a text script; leakguard cannot add itself to it. Make it run \`${COMMANDS[hook]}\` first and fail the ${BLOCKS[hook]} when it exits non-zero`,
  ownHooksExist: (ownDir: string, names: readonly string[], sharedDir: string) =>
    `core.hooksPath points at ${sharedDir}, shared by other repositories, and leakguard will not write there; installing in this repository's ${ownDir} instead would wake the hooks git ignores there now (${names.join(', ')}). Move them away and run \`leakguard install\` again, or add \`${MANUAL_LINE}\` as the first command of ${sharedDir}/pre-commit yourself`,
} as const;
