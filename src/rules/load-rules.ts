import { readFileSync } from 'node:fs';
import { RuleError } from '../errors.js';
import type { LeakguardConfig } from '../config/load-config.js';
import type { RuleSpec } from './rule.js';
import { isKnownChecksum } from './checksums.js';

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

/** Built-in rules plus the config's own, minus the disabled ones. */
export function effectiveRules(builtin: readonly RuleSpec[], config: LeakguardConfig): RuleSpec[] {
  const custom = (config.rules ?? []).map(withRuleDefaults);
  const customIds = new Set(custom.map((r) => r.id));
  const disabled = new Set(config.disabledRules ?? []);
  for (const rule of custom) {
    if (rule.checksum && !isKnownChecksum(rule.checksum)) {
      throw new RuleError(rule.id, 'checksum', `unknown checksum validator "${rule.checksum}"`);
    }
  }
  // A custom rule with a built-in id replaces the built-in one.
  return [...builtin.filter((r) => !customIds.has(r.id)), ...custom].filter((r) => !disabled.has(r.id));
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
