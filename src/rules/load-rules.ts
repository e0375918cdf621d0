import { readFileSync } from 'node:fs';
import { RuleError } from '../errors.js';
import type { RuleSpec } from './rule.js';

/**
 * The built-in rules, prebuilt from rules/*.yaml into one JSON bundle at build time
 * (scripts/build.mjs), so the hot path parses no YAML. The bundle sits next to the
 * bundled CLI in dist/; from the TypeScript sources it is found in ../../dist.
 */
const BUNDLE_DIRS = ['./', '../../dist/'];
const BUNDLE_FILE = 'rules.json';
/** What the detector derives from the built-in rules, worked out at build time (scripts/build-rules.ts). */
export const RULES_INDEX_FILE = 'rules-index.json';

export interface RulesIndexFile {
  /** The bundle it was made from: its rule count, first and last id. */
  count: number;
  ids: [string, string];
  /** The keyword prefilter's index (src/detect/keyword-prefilter.ts, PrefilterIndex). */
  prefilter: unknown;
  /** The vendor prefixes of the rules (src/detect/vendor-prefixes.ts, VendorPrefixTable). */
  vendorPrefixes: unknown;
}

let cached: RuleSpec[] | undefined;
let cachedDir: string | undefined;
let index: RulesIndexFile | null | undefined;
const NO_EXAMPLES = Object.freeze({ positive: [], negative: [] }) as RuleSpec['examples'];

export function loadBuiltinRules(): RuleSpec[] {
  if (cached) return cached;
  for (const dir of BUNDLE_DIRS) {
    try {
      const rules = JSON.parse(readFileSync(new URL(dir + BUNDLE_FILE, import.meta.url), 'utf8')) as RuleSpec[];
      // The bundle leaves examples out (tests read them from rules/*.yaml); fresh objects, so set in place.
      for (const rule of rules) rule.examples ??= NO_EXAMPLES;
      cached = rules;
      cachedDir = dir;
      return cached;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
  }
  throw new RuleError('(built-in)', 'bundle', 'rules bundle dist/rules.json is missing: run `npm run build`');
}

/**
 * The build-time index of the built-in rules, when `rules` are exactly those rules in
 * their order (the same objects, as a scan without custom or disabled rules has
 * them); undefined for any other list, or when the index is missing or was made from
 * another bundle (the detector then works it out itself).
 */
export function builtinRulesIndex(rules: readonly RuleSpec[]): RulesIndexFile | undefined {
  if (!cached || rules.length !== cached.length || rules.some((rule, i) => rule !== cached![i])) return undefined;
  if (index === undefined) {
    index = null;
    try {
      const read = JSON.parse(readFileSync(new URL(cachedDir + RULES_INDEX_FILE, import.meta.url), 'utf8')) as RulesIndexFile;
      if (read.count === cached.length && read.ids[0] === cached[0]?.id && read.ids[1] === cached[cached.length - 1]?.id) index = read;
    } catch {
      // no index: the detector builds what it needs
    }
  }
  return index ?? undefined;
}
