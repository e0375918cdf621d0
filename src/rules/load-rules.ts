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

/**
 * Each built-in rule's keyword anchors (src/detect/keyword-anchors.ts), worked out at
 * build time: an array in rule order, each entry the anchors as [keyword, offsets]
 * pairs, or 0 for none. Read only when a large scan first asks for anchors (parsing
 * the candidate rules' regexes cost a 500-file commit ~35 ms on each thread).
 */
export const RULES_ANCHORS_FILE = 'rules-anchors.json';
export type RulesAnchorsFile = Array<Array<[string, number[]]> | 0>;

/**
 * The keyword prefilter's automaton for the built-in rules' keywords
 * (src/detect/keyword-prefilter.ts, encodeAutomaton()), worked out at build time:
 * building it cost each thread of a large scan ~30 ms.
 */
export const RULES_AUTOMATON_FILE = 'rules-automaton.bin';

/**
 * The same rules for the hook's path (scripts/build-rules.ts): one line of JSON with
 * the ids and where each rule's JSON ends, then the rules' JSON back to back. A run
 * parses only the rules it reads (the prefilter's candidates): parsing all of them
 * cost more than a typical commit's detection.
 */
export const RULES_LAZY_FILE = 'rules-lazy.dat';

export interface RulesLazyHeader {
  ids: string[];
  /** Byte offset, after the header line, where each rule's JSON ends. */
  ends: number[];
}

let cached: RuleSpec[] | undefined;
let lazyCached: RuleSpec[] | undefined;
let cachedDir: string | undefined;
let index: RulesIndexFile | null | undefined;
let anchors: RulesAnchorsFile | null | undefined;
let automaton: Uint8Array | null | undefined;
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

/** What the lazy rules read their JSON from (one list per process: loadBuiltinRulesLazy() caches it). */
interface LazySource {
  bytes: Buffer;
  base: number;
  ends: number[];
}
let lazySource: LazySource | undefined;

/** The fields of a rule other than `id` (RuleSpec's, as the bundle may hold them), each read through the rule's JSON. */
const LAZY_FIELDS = [
  'provider',
  'description',
  'regex',
  'near',
  'flags',
  'keywords',
  'entropy',
  'checksum',
  'matcher',
  'envVar',
  'revokeUrl',
  'confidence',
  'allowPaths',
  'allowValues',
  'verify',
  'examples',
] as const;

/**
 * A built-in rule whose fields are parsed from its JSON the first time one is read;
 * then they become its own properties, as a rule of loadBuiltinRules() has them.
 * `fromConfig` is never set on a built-in rule, and reading it parses nothing.
 * Its place in the file is a private field: no copy or comparison sees it.
 */
class LazyRule {
  readonly #at: number;
  constructor(
    readonly id: string,
    at: number,
  ) {
    this.#at = at;
  }

  get fromConfig(): undefined {
    return undefined;
  }

  /** Parses the rule and makes its fields own properties; returns the one asked for. */
  static read(rule: LazyRule, field: (typeof LAZY_FIELDS)[number]): unknown {
    const { bytes, base, ends } = lazySource!;
    const at = rule.#at;
    const spec = JSON.parse(bytes.toString('utf8', base + (at === 0 ? 0 : ends[at - 1]!), base + ends[at]!)) as RuleSpec;
    spec.examples ??= NO_EXAMPLES;
    for (const key of LAZY_FIELDS) {
      const present = key in spec;
      Object.defineProperty(rule, key, { value: spec[key], writable: true, enumerable: present, configurable: true });
    }
    return spec[field];
  }
}
for (const field of LAZY_FIELDS) {
  Object.defineProperty(LazyRule.prototype, field, {
    get(this: LazyRule) {
      return LazyRule.read(this, field);
    },
    configurable: true,
  });
}

/**
 * The built-in rules as loadBuiltinRules() gives them, each parsed on first read (the
 * hook's path: a scan reads the few rules its text holds keywords of). A rule copied
 * before any field was read (spread, structured clone) holds its id only: hand
 * copies plainRules() of them.
 */
export function loadBuiltinRulesLazy(): RuleSpec[] {
  if (lazyCached) return lazyCached;
  for (const dir of BUNDLE_DIRS) {
    let bytes: Buffer;
    try {
      bytes = readFileSync(new URL(dir + RULES_LAZY_FILE, import.meta.url));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      continue;
    }
    const newline = bytes.indexOf(10);
    const { ids, ends } = JSON.parse(bytes.toString('utf8', 0, newline)) as RulesLazyHeader;
    lazySource = { bytes, base: newline + 1, ends };
    lazyCached = ids.map((id, at) => new LazyRule(id, at) as unknown as RuleSpec);
    cachedDir ??= dir;
    return lazyCached;
  }
  return loadBuiltinRules();
}

/** Rules with every field an own property (lazy rules read in full), for a copy that must hold them all. */
export function plainRules(rules: readonly RuleSpec[]): RuleSpec[] {
  return rules.map((rule) => {
    if (!(rule instanceof LazyRule)) return rule;
    void rule.regex;
    return { ...rule };
  });
}

/**
 * The build-time index of the built-in rules, when `rules` are exactly those rules in
 * their order (the same objects, as a scan without custom or disabled rules has
 * them); undefined for any other list, or when the index is missing or was made from
 * another bundle (the detector then works it out itself).
 */
export function builtinRulesIndex(rules: readonly RuleSpec[]): RulesIndexFile | undefined {
  const builtin = [cached, lazyCached].find((list) => list && rules.length === list.length && rules.every((rule, i) => rule === list[i]));
  if (!builtin) return undefined;
  if (index === undefined) {
    index = null;
    try {
      const read = JSON.parse(readFileSync(new URL(cachedDir + RULES_INDEX_FILE, import.meta.url), 'utf8')) as RulesIndexFile;
      if (read.count === builtin.length && read.ids[0] === builtin[0]?.id && read.ids[1] === builtin[builtin.length - 1]?.id) index = read;
    } catch {
      // no index: the detector builds what it needs
    }
  }
  return index ?? undefined;
}

/**
 * The build-time keyword anchors of the built-in rules (RULES_ANCHORS_FILE), when
 * `rules` are those rules, as builtinRulesIndex() decides; undefined otherwise or
 * when the file is missing or not of this bundle (the detector then works them out).
 */
export function builtinRulesAnchors(rules: readonly RuleSpec[]): RulesAnchorsFile | undefined {
  if (!builtinRulesIndex(rules)) return undefined;
  if (anchors === undefined) {
    anchors = null;
    try {
      const read = JSON.parse(readFileSync(new URL(cachedDir + RULES_ANCHORS_FILE, import.meta.url), 'utf8')) as RulesAnchorsFile;
      if (Array.isArray(read) && read.length === rules.length) anchors = read;
    } catch {
      // no anchors file: the detector works them out
    }
  }
  return anchors ?? undefined;
}

/**
 * The build-time automaton of the built-in rules' keywords (RULES_AUTOMATON_FILE), when
 * `rules` are those rules, as builtinRulesIndex() decides; undefined otherwise or when
 * the file is missing (the prefilter then builds it).
 */
export function builtinRulesAutomaton(rules: readonly RuleSpec[]): Uint8Array | undefined {
  if (!builtinRulesIndex(rules)) return undefined;
  if (automaton === undefined) {
    automaton = null;
    try {
      automaton = readFileSync(new URL(cachedDir + RULES_AUTOMATON_FILE, import.meta.url));
    } catch {
      // no automaton file: the prefilter builds it
    }
  }
  return automaton ?? undefined;
}
