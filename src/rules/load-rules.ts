import { readFileSync } from 'node:fs';
import { RuleError } from '../errors.js';
import type { RuleSpec } from './rule.js';

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
