import { installHook } from '../../git/install-hook.js';
import { installMessages } from '../../git/install-messages.js';
import { requireRepoRoot } from '../../git/repo.js';

/** `leakguard install`: 0 when the hook runs leakguard first; a refusal is an InstallError (exit 2). */
export async function installCommand(cwd = process.cwd()): Promise<number> {
  const root = await requireRepoRoot(cwd, 'leakguard install');
  const result = await installHook(root);
  const say = { added: installMessages.added, moved: installMessages.moved, unchanged: installMessages.already }[result.outcome];
  process.stdout.write(`${say(result.kind, result.hookFile)}\n`);
  for (const note of result.notes) process.stderr.write(`leakguard: note: ${note.replace(/\n/g, '\nleakguard: note: ')}\n`);
  return 0;
}
