import { installHook } from '../../git/install-hook.js';
import { requireRepoRoot } from '../../git/repo.js';
import { escapeForDisplay } from '../../report/escape.js';

export async function installCommand(cwd = process.cwd()): Promise<number> {
  const root = await requireRepoRoot(cwd, 'leakguard install');
  const result = await installHook(root);
  const where = result.kind === 'husky' ? 'husky pre-commit hook' : 'git pre-commit hook';
  const hookFile = escapeForDisplay(result.hookFile);
  process.stdout.write(
    result.changed
      ? `leakguard: added \`leakguard scan --staged\` to the ${where} (${hookFile})\n`
      : `leakguard: the ${where} already runs leakguard (${hookFile})\n`,
  );
  if (result.note) process.stderr.write(`leakguard: note: ${escapeForDisplay(result.note)}\n`);
  return 0;
}
