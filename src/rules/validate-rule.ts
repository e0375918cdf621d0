import schema from '../../rules/schema.json' with { type: 'json' };
import { withNearCompiled } from './near.js';
import { OTHER, parseRegex, type Node } from '../regex/regex-ast.js';
import { regexSafetyProblem } from '../regex/regex-safety.js';
import { regexSyntaxProblem } from '../regex/regex-syntax.js';
import { CHECKSUMS, isKnownChecksum } from './checksums.js';
import { formatPath, NOT_ALLOWED, schemaProblem, type Schema, type SchemaPath } from './json-schema.js';
import { isKnownMatcher, MATCHERS } from './matchers.js';
import type { RuleSpec } from './rule.js';
import { verifySpecProblem } from './verify-spec/spec-check.js';

/**
 * The one validator of rules, built-in (rules/*.yaml, at build time) and custom
 * (the "rules" of .leakguard.json, at run time): rules/schema.json, then the checks
 * a schema cannot express. The two kinds differ only where the schema says so
 * (definitions `rule` and `userRule`, both over `ruleFields`).
 *
 * The hook loads this module only when a config has custom rules (scripts/build.mjs
 * puts it in the lazily loaded bundle).
 */

/** `rule`: a built-in rule; `userRule`: a custom rule from a config. */
export type RuleKind = 'rule' | 'userRule';

export interface RuleProblem {
  /** Where, inside the rule (or the rule file): property names and indexes. */
  path: SchemaPath;
  reason: string;
}

const SCHEMA = schema as Schema;

/**
 * RuleSpec (src/rules/rule.ts) has exactly the fields of the schema's ruleFields,
 * and `fromConfig`, which the loader sets: adding a field to the schema without
 * adding it to the type (or the reverse) fails the typecheck.
 */
type SchemaFields = keyof typeof schema.definitions.ruleFields.properties;
type TypeFields = Exclude<keyof RuleSpec, 'fromConfig'>;
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
type Assert<T extends true> = T;
export type RuleSpecMatchesSchema = Assert<Same<SchemaFields, TypeFields>>;

/** The first problem of a rule file's data (rules/*.yaml, parsed) against the schema, or undefined. */
export function ruleFileProblem(data: unknown): RuleProblem | undefined {
  return schemaProblem(SCHEMA, SCHEMA, data);
}

/** The first problem of one rule, of either kind, or undefined when it is valid. */
export function ruleProblem(rule: unknown, kind: RuleKind): RuleProblem | undefined {
  const problem = schemaProblem(SCHEMA, { $ref: `#/definitions/${kind}` }, rule);
  // The schema leaves a field out of one kind with `false` (matcher, verify: built-in rules only).
  if (problem?.reason === NOT_ALLOWED)
    return { ...problem, reason: `unknown field in a ${kind === 'userRule' ? 'custom rule (built-in rules only)' : 'built-in rule'}` };
  // "did you mean" names a field of ruleFields: not one this kind leaves out.
  const near = problem && /^unknown field; did you mean "(.+)"\?$/.exec(problem.reason)?.[1];
  if (near && notAllowed(kind).has(near)) return { ...problem, reason: 'unknown field' };
  // A near rule (built-in only) is checked as the regex and keywords it compiles to.
  return problem ?? semanticProblem(withNearCompiled(rule as RuleSpec));
}

/** The fields of ruleFields that a kind leaves out (`"matcher": false` in its allOf). */
function notAllowed(kind: RuleKind): Set<string> {
  const parts = (schema.definitions[kind] as { allOf?: { properties?: Record<string, unknown> }[] }).allOf ?? [];
  return new Set(
    parts.flatMap((part) =>
      Object.entries(part.properties ?? {})
        .filter(([, s]) => s === false)
        .map(([name]) => name),
    ),
  );
}

/**
 * The first problem among custom rules: the index of the rule and the field inside
 * it (`keywords[0]`), whose property names are shown through `name` (a name the
 * user wrote may be a pasted value). Undefined when every rule is valid.
 */
export function userRulesProblem(
  rules: readonly unknown[],
  name?: (key: string) => string,
): { index: number; field: string; reason: string } | undefined {
  for (const [index, rule] of rules.entries()) {
    const problem = ruleProblem(rule, 'userRule');
    if (problem) return { index, field: formatPath(problem.path, name), reason: problem.reason };
  }
  return undefined;
}

/**
 * What the schema cannot say, for a rule the schema accepts: the regex compiles,
 * reads (for the ReDoS check) and cannot backtrack catastrophically; its secret
 * group takes part in every match and is never empty; keywords are lowercase and
 * every match holds one; checksum and matcher exist; allowValues compile and are
 * safe; a verify block sends the key only where it says (src/rules/verify-spec/spec-check.ts);
 * positive examples mark their secret.
 */
export function semanticProblem(rule: RuleSpec): RuleProblem | undefined {
  const at = (path: SchemaPath, reason: string): RuleProblem => ({ path, reason });
  const flags = rule.flags ?? '';
  const syntax = regexSyntaxProblem(rule.regex, `gd${flags}`);
  if (syntax) return at(['regex'], syntax);
  // The rule runs over every staged line: a regex that can backtrack catastrophically would hang the hook.
  const unsafe = regexSafetyProblem(rule.regex, flags, { scansLines: true });
  if (unsafe) return at(['regex'], `unsafe regular expression: ${unsafe}`);
  const ast = parseRegex(rule.regex, flags);
  const secret = secretGroup(ast);
  if (!secret) return at(['regex'], 'needs a named group (?<secret>…)');
  if (minLength(secret) === 0) return at(['regex'], 'its secret group (?<secret>…) can match the empty string');
  if (!takesPart(ast))
    return at(['regex'], 'its secret group (?<secret>…) can be left out of a match (it is optional, or in a negative look-around)');
  for (const [i, keyword] of rule.keywords?.entries() ?? []) {
    if (keyword !== keyword.toLowerCase()) return at(['keywords', i], 'must be lowercase (keywords match case-insensitively)');
  }
  if (rule.keywords?.length && matchWithoutKeyword(ast, rule)) {
    return at(
      ['keywords'],
      'the regex has a match that holds none of them, and the rule runs only on text with a keyword (add a keyword every match holds, or leave keywords empty)',
    );
  }
  if (rule.checksum !== undefined && !isKnownChecksum(rule.checksum)) {
    return at(['checksum'], `unknown checksum validator (known: ${Object.keys(CHECKSUMS).join(', ')})`);
  }
  if (rule.matcher !== undefined && !isKnownMatcher(rule.matcher))
    return at(['matcher'], `unknown matcher (known: ${Object.keys(MATCHERS).join(', ')})`);
  for (const [i, source] of rule.allowValues?.entries() ?? []) {
    const problem = regexSyntaxProblem(source);
    if (problem) return at(['allowValues', i], problem);
    const slow = regexSafetyProblem(source);
    if (slow) return at(['allowValues', i], `unsafe regular expression: ${slow}`);
  }
  if (rule.verify) {
    const problem = verifySpecProblem(rule.verify);
    if (problem) return at(problem.field.split('.'), problem.reason);
  }
  for (const [i, template] of rule.examples?.positive.entries() ?? []) {
    const open = template.indexOf('{{secret}}');
    if (open === -1 || template.indexOf('{{/secret}}', open) === -1) {
      return at(['examples', 'positive', i], 'must mark the secret with {{secret}}…{{/secret}}');
    }
  }
  return undefined;
}

// ---------------------------------------------------------------------------
// The secret group

function secretGroup(node: Node): Node | undefined {
  if (node.kind === 'group' && node.name === 'secret') return node;
  const children = node.kind === 'seq' ? node.items : node.kind === 'alt' ? node.alts : 'body' in node ? [node.body] : [];
  for (const child of children) {
    const found = secretGroup(child);
    if (found) return found;
  }
  return undefined;
}

/** The shortest text the node consumes. */
function minLength(node: Node): number {
  switch (node.kind) {
    case 'seq':
      return node.items.reduce((n, item) => n + minLength(item), 0);
    case 'alt':
      return Math.min(...node.alts.map(minLength));
    case 'group':
      return minLength(node.body);
    case 'quant':
      return node.min * minLength(node.body);
    case 'atom':
      return 1;
    case 'look':
    case 'zero':
      return 0;
  }
}

/** Whether every match of the node passes through the secret group (never inside a negative look-around). */
function takesPart(node: Node): boolean {
  switch (node.kind) {
    case 'group':
      return node.name === 'secret' || takesPart(node.body);
    case 'seq':
      return node.items.some(takesPart);
    case 'alt':
      return node.alts.every(takesPart);
    case 'quant':
      return node.min > 0 && takesPart(node.body);
    case 'look':
      return !node.negative && takesPart(node.body);
    default:
      return false;
  }
}

// ---------------------------------------------------------------------------
// Every match holds a keyword

/** Texts generated per node; longer texts than this are not tried. */
const MAX_TEXTS = 24;
const MAX_TEXT_CHARS = 4096;

/**
 * Whether the regex matches some text that holds none of the keywords (ASCII case
 * folded, as the prefilter folds): the rule would never run on that text. Texts are
 * built from the regex (each class's first character that no keyword uses, every
 * alternative, the fewest repetitions), keyword-free ones first, and each is
 * confirmed with the regex itself. Where no such text is found the rule passes:
 * the check proves a defect, it does not prove its absence.
 */
function matchWithoutKeyword(ast: Node, rule: RuleSpec): boolean {
  const keywords = rule.keywords.map(asciiLower);
  const avoid = new Set(keywords.join(''));
  const hasKeyword = (text: string): boolean => {
    const lower = asciiLower(text);
    return keywords.some((k) => lower.includes(k));
  };
  const texts = textsOf(ast, avoid, hasKeyword);
  if (!texts) return false;
  const regex = new RegExp(rule.regex, [...new Set(`d${rule.flags ?? ''}`)].join(''));
  return texts.some((text) => !hasKeyword(text) && regex.test(text));
}

function asciiLower(text: string): string {
  return text.replace(/[A-Z]/g, (c) => c.toLowerCase());
}

/** Some texts the node matches (undefined when it cannot tell), keyword-free ones first. */
function textsOf(node: Node, avoid: ReadonlySet<string>, hasKeyword: (text: string) => boolean): string[] | undefined {
  const best = (texts: Iterable<string>): string[] => {
    const unique = [...new Set(texts)].filter((t) => t.length <= MAX_TEXT_CHARS);
    const free = unique.filter((t) => !hasKeyword(t));
    return [...free, ...unique.filter((t) => hasKeyword(t))].slice(0, MAX_TEXTS);
  };
  const concat = (heads: string[], tails: string[]): string[] => best(heads.flatMap((h) => tails.map((t) => h + t)));
  switch (node.kind) {
    case 'zero':
    case 'look':
      return [''];
    case 'atom': {
      const chars = charsOf(node.set, avoid);
      return chars.length ? chars : undefined;
    }
    case 'group':
      return textsOf(node.body, avoid, hasKeyword);
    case 'seq': {
      let out = [''];
      for (const item of node.items) {
        const texts = textsOf(item, avoid, hasKeyword);
        if (!texts) return undefined;
        out = concat(out, texts);
        if (out.length === 0) return undefined;
      }
      return out;
    }
    case 'alt': {
      const all: string[] = [];
      for (const alt of node.alts) {
        const texts = textsOf(alt, avoid, hasKeyword);
        if (texts) all.push(...texts);
      }
      return all.length ? best(all) : undefined;
    }
    case 'quant': {
      if (node.min > MAX_TEXT_CHARS) return undefined;
      const body = textsOf(node.body, avoid, hasKeyword);
      if (!body) return node.min === 0 ? [''] : undefined;
      const counts = [node.min, Math.min(node.min + 1, node.max)];
      return best(counts.flatMap((n) => body.map((t) => t.repeat(n))));
    }
  }
}

/** A character of the set no keyword uses, and the set's first printable one. */
function charsOf(set: Uint8Array, avoid: ReadonlySet<string>): string[] {
  const printable: string[] = [];
  for (let c = 0x20; c < 0x7f; c++) if (set[c]) printable.push(String.fromCharCode(c));
  const free = printable.find((c) => !avoid.has(c.toLowerCase()));
  const out = new Set([free, printable[0]].filter((c) => c !== undefined));
  if (out.size === 0) {
    for (let c = 0; c < 0x20 && out.size === 0; c++) if (set[c]) out.add(String.fromCharCode(c));
    if (out.size === 0 && set[OTHER]) out.add('\u00e9');
  }
  return [...out];
}
