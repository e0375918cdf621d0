import { ConfigError } from '../errors.js';
import type { RuleSpec } from '../rules/rule.js';
import { closestMatch } from '../text/did-you-mean.js';
import { DEFAULT_CONFIG_FILE, type LeakguardConfig, type UserRule } from './load-config.js';

/**
 * Built-in rules plus the config's own, minus the disabled ones. A custom rule may
 * not take a built-in rule's id: it would replace that rule (its regex, its revoke
 * page) under the name users trust. To turn a built-in rule off, disable it.
 */
export function effectiveRules(builtin: readonly RuleSpec[], config: LeakguardConfig, configFile = DEFAULT_CONFIG_FILE): RuleSpec[] {
  const custom = (config.rules ?? []).map(withRuleDefaults);
  const builtinIds = new Set(builtin.map((r) => r.id));
  const customIds = new Set<string>();
  const disabled = new Set(config.disabledRules ?? []);
  for (const rule of custom) {
    const field = `rules[${rule.id}].id`;
    if (builtinIds.has(rule.id)) {
      throw new ConfigError(
        configFile,
        field,
        `"${rule.id}" is the id of a built-in rule; give the custom rule its own id (disabledRules turns the built-in one off)`,
      );
    }
    if (customIds.has(rule.id)) throw new ConfigError(configFile, field, 'two custom rules have this id');
    customIds.add(rule.id);
  }
  // A misspelt id would leave the rule running while the user believes it off.
  (config.disabledRules ?? []).forEach((id, i) => {
    if (builtinIds.has(id) || customIds.has(id)) return;
    const suggestion = closestMatch(id, [...builtinIds, ...customIds]);
    const shown = /^[\w.-]{1,80}$/.test(id) ? ` "${id}"` : '';
    throw new ConfigError(
      configFile,
      `disabledRules[${i}]`,
      `no rule has the id${shown}${suggestion ? ` (did you mean "${suggestion}"?)` : ' (`leakguard rules` lists them)'}`,
    );
  });
  return [...builtin, ...custom].filter((r) => !disabled.has(r.id));
}

/** A custom rule, validated by parseConfig, with the defaults rules/schema.json describes. */
function withRuleDefaults(rule: UserRule): RuleSpec {
  return {
    provider: 'custom',
    description: rule.id,
    envVar: rule.id.toUpperCase().replace(/[^A-Z0-9]+/g, '_'),
    ...rule,
    fromConfig: true,
    keywords: (rule.keywords ?? []).map((k) => k.toLowerCase()),
    examples: rule.examples ?? { positive: [], negative: [] },
  };
}
