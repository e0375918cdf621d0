import { InstallError } from '../../errors.js';
import { uninstallHooks } from '../../git/install-hook.js';
import { requireRepoRoot } from '../../git/repo.js';
import { escapeForDisplay } from '../../report/escape.js';
import { cliMessages } from '../cli-messages.js';

/**
 * `leakguard uninstall`: removes what `leakguard install` added to the hooks. 0 when
 * no hook runs leakguard any more; a hook whose script would break without the
 * lines is left as it is, an InstallError (exit 2) naming it.
 */
export async function uninstallCommand(cwd = process.cwd()): Promise<number> {
  const root = await requireRepoRoot(cwd, 'leakguard uninstall', { hint: cliMessages.uninstallNeedsRepo });
  const results = await uninstallHooks(root);
  if (!results.length) process.stdout.write(`${cliMessages.uninstallNothing}\n`);
  for (const r of results) {
    const file = escapeForDisplay(r.hookFile);
    if (r.outcome === 'removed') process.stdout.write(`${cliMessages.uninstallRemoved(r.hook, file)}\n`);
    if (r.outcome === 'deleted') process.stdout.write(`${cliMessages.uninstallDeleted(r.hook, file)}\n`);
  }
  const kept = results.find((r) => r.outcome === 'kept-unparsable');
  if (kept) throw new InstallError(cliMessages.uninstallUnparsable(escapeForDisplay(kept.hookFile)));
  return 0;
}
