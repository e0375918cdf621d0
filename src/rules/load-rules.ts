import { readFileSync } from 'node:fs';
import { ConfigError, RuleError } from '../errors.js';
import { DEFAULT_CONFIG_FILE, type LeakguardConfig } from '../config/load-config.js';
import type { RuleSpec } from './rule.js';
import { isKnownChecksum } from './checksums.js';
import { closestMatch } from '../text/did-you-mean.js';

/**
 * The built-in rules, prebuilt from rules/*.yaml into one JSON bundle at build time
 * (scripts/build.mjs), so the hot path parses no YAML. The bundle sits next to the
 * bundled CLI in dist/; from the TypeScript sources it is found in ../../dist.
 */
const BUNDLE_LOCATIONS = ['./rules.json', '../../dist/rules.json'];

let cached: RuleSpec[] | undefined;
const NO_EXAMPLES = Object.freeze({ positive: [], negative: [] }) as RuleSpec['examples'];

export function loadBuiltinRules(): RuleSpec[] {
  if (cached) return cached;
  for (const location of BUNDLE_LOCATIONS) {
    try {
      const rules = JSON.parse(readFileSync(new URL(location, import.meta.url), 'utf8')) as RuleSpec[];
      // The bundle leaves examples out (tests read them from rules/*.yaml); fresh objects, so set in place.
      for (const rule of rules) rule.examples ??= NO_EXAMPLES;
      cached = rules;
      return cached;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
  }
  throw new RuleError('(built-in)', 'bundle', 'rules bundle dist/rules.json is missing: run `npm run build`');
}

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
      throw new ConfigError(configFile, field, `"${rule.id}" is the id of a built-in rule; give the custom rule its own id (disabledRules turns the built-in one off)`);
    }
    if (customIds.has(rule.id)) throw new ConfigError(configFile, field, 'two custom rules have this id');
    customIds.add(rule.id);
    if (rule.checksum && !isKnownChecksum(rule.checksum)) {
      const name = /^[A-Za-z][\w-]{0,40}$/.test(rule.checksum) ? ` "${rule.checksum}"` : '';
      throw new RuleError(rule.id, 'checksum', `unknown checksum validator${name}`, configFile);
    }
  }
  // A misspelt id would leave the rule running while the user believes it off.
  (config.disabledRules ?? []).forEach((id, i) => {
    if (builtinIds.has(id) || customIds.has(id)) return;
    const suggestion = closestMatch(id, [...builtinIds, ...customIds]);
    const shown = /^[\w.-]{1,80}$/.test(id) ? ` "${id}"` : '';
    throw new ConfigError(configFile, `disabledRules[${i}]`, `no rule has the id${shown}${suggestion ? ` (did you mean "${suggestion}"?)` : ' (`leakguard rules` lists them)'}`);
  });
  return [...builtin, ...custom].filter((r) => !disabled.has(r.id));
}

function withRuleDefaults(rule: Partial<RuleSpec> & Pick<RuleSpec, 'id' | 'regex'>): RuleSpec {
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
