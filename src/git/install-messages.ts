/** Every user-facing sentence of `leakguard install`, in one place. */

/** The line to add by hand where install will not write: the scan, blocking on any non-zero exit. */
export const MANUAL_LINE = 'leakguard scan --staged || exit $?';

export type HookKind = 'husky' | 'git';

const where = (kind: HookKind) => (kind === 'husky' ? 'husky pre-commit hook' : 'git pre-commit hook');

export const installMessages = {
  added: (kind: HookKind, file: string) => `leakguard: added \`leakguard scan --staged\` to the top of the ${where(kind)} (${file})`,
  moved: (kind: HookKind, file: string) =>
    `leakguard: moved \`leakguard scan --staged\` to the top of the ${where(kind)} (${file}), where nothing before it can skip it`,
  already: (kind: HookKind, file: string) => `leakguard: the ${where(kind)} already runs leakguard first (${file})`,

  huskyNotSetUp: 'husky is not set up in this clone yet: run `npx husky` (or `npm install`, if its prepare script runs husky)',
  madeExecutable: (file: string) => `${file} was not executable, so git did not run it; it is now, and its other commands run too`,
  oldLineKept: (line: number) =>
    `an older leakguard line is still at line ${line} (removing it would break the script); the scan now runs first, so it can be deleted by hand`,
  perRepository: (sharedDir: string, origin: string | undefined, ownDir: string, forwarded: readonly string[]) =>
    [
      `core.hooksPath${origin ? ` (set in ${origin})` : ''} points at ${sharedDir}, a folder shared by other repositories; leakguard did not write there.`,
      `This repository now uses its own hooks folder ${ownDir} (core.hooksPath set in this repository's config): its pre-commit runs the scan, then the shared pre-commit` +
        (forwarded.length ? `; its other hooks (${forwarded.join(', ')}) call their shared counterparts` : '') +
        '. Hooks added to the shared folder later do not run here.',
      `To scan in every repository instead, add \`${MANUAL_LINE}\` as the first command of ${sharedDir}/pre-commit yourself.`,
    ].join('\n'),

  // Refusals (InstallError): the hook is left as it was.
  symlink: (file: string, target: string) =>
    `${file} is a symbolic link (to ${target}); leakguard does not write through it. Add \`${MANUAL_LINE}\` as the first command of the hook it points to, or replace the link with a file and run \`leakguard install\` again`,
  notAFile: (file: string) => `${file} exists but is not a regular file; leakguard cannot add itself to it`,
  notShell: (file: string, interpreter: string) =>
    `${file} is a ${interpreter} script, not a shell script, so leakguard cannot prove a line it adds would run. Make the hook run \`leakguard scan --staged\` first and fail the commit when it exits non-zero`,
  binary: (file: string) => `${file} is not a text script; leakguard cannot add itself to it. Make it run \`leakguard scan --staged\` first and fail the commit when it exits non-zero`,
  ownHooksExist: (ownDir: string, names: readonly string[], sharedDir: string) =>
    `core.hooksPath points at ${sharedDir}, shared by other repositories, and leakguard will not write there; installing in this repository's ${ownDir} instead would wake the hooks git ignores there now (${names.join(', ')}). Move them away and run \`leakguard install\` again, or add \`${MANUAL_LINE}\` as the first command of ${sharedDir}/pre-commit yourself`,
} as const;
