import { loadConfig } from '../../config/load-config.js';
import { findRepoRoot } from '../../git/repo.js';
import { plural } from '../../messages.js';
import { escapeForDisplay, jsonText } from '../../report/escape.js';
import { effectiveRules } from '../../config/effective-rules.js';
import { loadBuiltinRules } from '../../rules/load-rules.js';
import { emitReport } from '../output.js';

export interface RulesArgs {
  format: 'text' | 'json';
  config?: string;
}

/**
 * `leakguard rules`: every rule that would run here, with its keywords, checksum and
 * revoke page. Rules from a config are text from outside: shown escaped.
 */
export async function rulesCommand(args: RulesArgs, cwd = process.cwd()): Promise<number> {
  const config = await loadConfig(args.config, await findRepoRoot(cwd));
  const rules = effectiveRules(loadBuiltinRules(), config).map(({ examples: _examples, ...rule }) => rule);
  if (args.format === 'json') {
    await emitReport(`${jsonText({ version: 1, rules })}\n`, undefined, cwd);
    return 0;
  }
  const providers = new Set(rules.map((r) => r.provider));
  const e = escapeForDisplay;
  const lines = rules.map((r) =>
    [
      `${e(r.id)}  (${e(r.provider)}) ${e(r.description)}`,
      `    keywords: ${e(r.keywords.join(', ')) || '(always runs)'}${r.checksum ? `   checksum: ${e(r.checksum)}` : ''}   env: ${e(r.envVar)}`,
      ...(r.revokeUrl ? [`    revoke: ${e(r.revokeUrl)}`] : []),
    ].join('\n'),
  );
  await emitReport(`${lines.join('\n')}\n${plural(rules.length, 'rule')}, ${plural(providers.size, 'provider')}\n`, undefined, cwd);
  return 0;
}
