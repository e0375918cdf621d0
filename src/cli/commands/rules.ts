import { loadConfig } from '../../config/load-config.js';
import { findRepoRoot } from '../../git/repo.js';
import { effectiveRules, loadBuiltinRules } from '../../rules/load-rules.js';
import { emitReport } from '../output.js';

export interface RulesArgs {
  format: 'text' | 'json';
  config?: string;
}

/** `leakguard rules`: every rule that would run here, with its keywords, checksum and revoke page. */
export async function rulesCommand(args: RulesArgs, cwd = process.cwd()): Promise<number> {
  const config = await loadConfig(args.config, await findRepoRoot(cwd));
  const rules = effectiveRules(loadBuiltinRules(), config).map(({ examples: _examples, ...rule }) => rule);
  if (args.format === 'json') {
    await emitReport(`${JSON.stringify({ version: 1, rules }, null, 2)}\n`, undefined, cwd);
    return 0;
  }
  const providers = new Set(rules.map((r) => r.provider));
  const lines = rules.map((r) =>
    [
      `${r.id}  (${r.provider}) ${r.description}`,
      `    keywords: ${r.keywords.join(', ') || '(always runs)'}${r.checksum ? `   checksum: ${r.checksum}` : ''}   env: ${r.envVar}`,
      ...(r.revokeUrl ? [`    revoke: ${r.revokeUrl}`] : []),
    ].join('\n'),
  );
  await emitReport(`${lines.join('\n')}\n${rules.length} rules, ${providers.size} providers\n`, undefined, cwd);
  return 0;
}
