import { installHooks } from '../../git/install-hook.js';
import { installMessages } from '../../git/install-messages.js';
import { requireRepoRoot } from '../../git/repo.js';
import { escapeForDisplay } from '../../report/escape.js';
import { cliMessages } from '../cli-messages.js';

/** `leakguard install`: 0 when the pre-commit and pre-push hooks run leakguard first; a refusal is an InstallError (exit 2). */
export async function installCommand(cwd = process.cwd()): Promise<number> {
  const root = await requireRepoRoot(cwd, 'leakguard install', { hint: cliMessages.installNeedsRepo });
  for (const result of await installHooks(root)) {
    const say = { added: installMessages.added, moved: installMessages.moved, unchanged: installMessages.already }[result.outcome];
    process.stdout.write(`${escapeForDisplay(say(result.kind, result.hookFile, result.hook))}\n`);
    for (const note of result.notes) {
      for (const line of note.split('\n')) process.stderr.write(`leakguard: note: ${escapeForDisplay(line)}\n`);
    }
  }
  return 0;
}
