import { installHook } from '../../git/install-hook.js';
import { requireRepoRoot } from '../../git/repo.js';

export async function installCommand(cwd = process.cwd()): Promise<number> {
  const root = await requireRepoRoot(cwd, 'leakguard install');
  const result = await installHook(root);
  const where = result.kind === 'husky' ? 'husky pre-commit hook' : 'git pre-commit hook';
  process.stdout.write(
    result.changed
      ? `leakguard: added \`leakguard scan --staged\` to the ${where} (${result.hookFile})\n`
      : `leakguard: the ${where} already runs leakguard (${result.hookFile})\n`,
  );
  if (result.note) process.stderr.write(`leakguard: note: ${result.note}\n`);
  return 0;
}
