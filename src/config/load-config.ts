import { READ_LIMITS, readBoundedText } from '../fs/bounded-read.js';
import path from 'node:path';
import { ConfigError } from '../errors.js';
import { parseJsonc } from './jsonc.js';
import type { RuleSpec } from '../rules/rule.js';
import type { VerifyConfig } from '../rules/verify-spec/types.js';
import { regexSafetyProblem } from '../regex/regex-safety.js';
import { regexSyntaxProblem } from '../regex/regex-syntax.js';
import { closestMatch } from '../text/did-you-mean.js';

export const DEFAULT_CONFIG_FILE = '.leakguard.json';

/** .leakguard.json, as users write it. Unknown fields are refused, not ignored. */
export interface LeakguardConfig {
  /**
   * Extra rules: the fields of a built-in rule, where only id and regex are required
   * (rules/schema.json, `userRule`). Defaults are filled in by effectiveRules.
   */
  rules?: UserRule[];
  /** Ids of rules (built-in or extra) that never run. */
  disabledRules?: string[];
  allowlist?: AllowlistConfig;
  /** Lockfiles are skipped by default. */
  skipLockfiles?: boolean;
  /** Live verification beyond an explicit --verify: `true` is `{ "hook": true }`. */
  verify?: boolean | VerifyConfig;
}

/** A rule as written in .leakguard.json. */
export type UserRule = Partial<RuleSpec> & Pick<RuleSpec, 'id' | 'regex'>;

/** The `allowlist` of .leakguard.json (the detector's AllowlistOptions add skipLockfiles). */
export interface AllowlistConfig {
  /** Picomatch globs of paths never reported. */
  paths?: string[];
  /** Regexes (JavaScript syntax); a secret matching one is not reported. */
  regexes?: string[];
  /** Case-insensitive substrings; a secret containing one is not reported. */
  stopwords?: string[];
}

type Check = (value: unknown, field: string) => void;

/**
 * Reads the config. An explicit file must exist; the default one may be absent.
 * Every problem is a ConfigError naming the file and the field.
 */
export async function loadConfig(file: string | undefined, repoRoot: string | undefined): Promise<LeakguardConfig> {
  const explicit = file !== undefined;
  const resolved = file ?? (repoRoot ? path.join(repoRoot, DEFAULT_CONFIG_FILE) : undefined);
  if (!resolved) return {};
  const text = readConfigFile(resolved, displayName(resolved, repoRoot), explicit);
  return text === undefined ? {} : await parseConfig(text, displayName(resolved, repoRoot));
}

/**
 * The one place a config file is read from disk (range scans read it from git
 * instead). Undefined when an optional file is absent.
 */
export function readConfigFile(file: string, display: string, mustExist: boolean): string | undefined {
  try {
    // Synchronous on purpose: one small file, and fs/promises (with its readline and
    // watcher modules) would be loaded on every hook run just for it.
    return readBoundedText(file, { maxBytes: READ_LIMITS.config });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' && !mustExist) return undefined;
    throw new ConfigError(display, undefined, code === 'ENOENT' ? 'file not found' : `cannot read (${code})`);
  }
}

/** The file as messages name it: relative to the repository root when inside it. */
export function displayName(file: string, repoRoot: string | undefined): string {
  const rel = repoRoot ? path.relative(repoRoot, file) : file;
  return rel && !rel.startsWith('..') ? rel : file;
}

/**
 * Validates a config's text. Error messages name the file, the field and the
 * problem, and never quote the file's content: an allowlist regex or stopword may
 * be (part of) a secret, and the message reaches CI logs.
 */
export async function parseConfig(text: string, file: string): Promise<LeakguardConfig> {
  const json = text.replace(/^\uFEFF/, '');
  let data: unknown;
  try {
    data = parseJsonc(json);
  } catch (error) {
    throw new ConfigError(file, undefined, `not valid JSON${jsonErrorPlace(json, error as Error)}`);
  }
  const fail = (field: string, reason: string): never => {
    throw new ConfigError(file, field, reason);
  };
  if (!isObject(data)) fail('(top level)', 'must be a JSON object');
  const config = data as Record<string, unknown>;
  const known: Record<string, Check> = {
    rules: (v, f) => Array.isArray(v) || fail(f, 'must be an array of rules'),
    disabledRules: (v, f) => checkStringArray(v, f, fail),
    allowlist: (v, f) => checkAllowlist(v, f, fail),
    skipLockfiles: (v, f) => typeof v === 'boolean' || fail(f, 'must be true or false'),
    verify: (v, f) => checkVerify(v, f, fail),
    $schema: (v, f) => typeof v === 'string' || fail(f, 'must be a string'),
  };
  for (const [key, value] of Object.entries(config)) {
    const check = known[key];
    if (!check) fail(fieldName(key), unknownField(key, Object.keys(known)));
    check!(value, key);
  }
  if (Array.isArray(config.rules) && config.rules.length) await checkRules(config.rules, 'rules', fail);
  const allowlist = config.allowlist as LeakguardConfig['allowlist'];
  if (allowlist?.paths) allowlist.paths = allowlist.paths.map(toPosixGlob);
  return config as LeakguardConfig;
}

/**
 * Windows-style separators in globs are normalised; git paths are always POSIX.
 * A glob written with backslashes only (`fixtures\\sub\\**`) is a Windows path:
 * every backslash is a separator. Where forward slashes appear too, a backslash
 * before a glob character stays an escape.
 */
function toPosixGlob(glob: string): string {
  if (!glob.includes('/')) return glob.replace(/\\/g, '/');
  return glob.replace(/\\(?![*?[\]{}()!+@])/g, '/');
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function checkStringArray(value: unknown, field: string, fail: (f: string, r: string) => never): void {
  if (!Array.isArray(value)) fail(field, 'must be an array of strings');
  (value as unknown[]).forEach((item, i) => typeof item === 'string' || fail(`${field}[${i}]`, 'must be a string'));
}

function checkRegexArray(value: unknown, field: string, fail: (f: string, r: string) => never): void {
  checkStringArray(value, field, fail);
  (value as string[]).forEach((source, i) => {
    const invalid = regexSyntaxProblem(source);
    if (invalid) fail(`${field}[${i}]`, invalid);
    const problem = regexSafetyProblem(source);
    if (problem) fail(`${field}[${i}]`, `unsafe regular expression: ${problem}`);
  });
}

/** V8's JSON messages may quote the text (`Unexpected token 'x', "…" is not valid JSON`): only the place is kept. */
function jsonErrorPlace(text: string, error: Error): string {
  const position = /at position (\d+)/.exec(error.message);
  if (!position) return /end of JSON input/.test(error.message) ? ' (it ends too early)' : '';
  const before = text.slice(0, Number(position[1]));
  const line = before.split('\n').length;
  return ` (line ${line}, column ${before.length - before.lastIndexOf('\n')})`;
}

/** A field name as written by the user, quoted in a message only when it looks like a name (not a pasted value). */
function fieldName(name: string): string {
  return /^[A-Za-z_$][\w$.-]{0,63}$/.test(name) ? name : '(a field whose name is not shown)';
}

/** "unknown field; did you mean "paths"? (expected one of: …)": a misspelt field is named with its fix. */
function unknownField(key: string, known: readonly string[]): string {
  const near = closestMatch(key, known);
  return `unknown field${near ? `; did you mean "${near}"?` : ''} (expected one of: ${known.join(', ')})`;
}

function checkVerify(value: unknown, field: string, fail: (f: string, r: string) => never): void {
  if (typeof value === 'boolean') return;
  if (!isObject(value)) fail(field, 'must be true, false or an object { "hook": true, "forkPullRequests": true }');
  for (const [key, item] of Object.entries(value as object)) {
    if (key !== 'hook' && key !== 'forkPullRequests') fail(`${field}.${fieldName(key)}`, unknownField(key, ['hook', 'forkPullRequests']));
    if (typeof item !== 'boolean') fail(`${field}.${key}`, 'must be true or false');
  }
}

function checkAllowlist(value: unknown, field: string, fail: (f: string, r: string) => never): void {
  if (!isObject(value)) fail(field, 'must be an object');
  const known: Record<string, Check> = {
    paths: (v, f) => checkStringArray(v, f, fail),
    regexes: (v, f) => checkRegexArray(v, f, fail),
    stopwords: (v, f) => checkStringArray(v, f, fail),
  };
  for (const [key, item] of Object.entries(value as object)) {
    const check = known[key];
    if (!check) fail(`${field}.${fieldName(key)}`, unknownField(key, Object.keys(known)));
    check!(item, `${field}.${key}`);
  }
}

/**
 * Custom rules are validated like built-in ones (src/rules/validate-rule.ts: the
 * schema's `userRule`, then the same checks beyond it). The validator is loaded
 * only here, when the config has rules: never on a hook run without them.
 */
async function checkRules(rules: unknown[], field: string, fail: (f: string, r: string) => never): Promise<void> {
  // Keywords match case-insensitively; a custom rule may write them in any case (as it
  // always could) and is then checked as the built-in rule with them lowercased would be.
  for (const rule of rules) {
    if (isObject(rule) && Array.isArray(rule.keywords))
      rule.keywords = rule.keywords.map((k: unknown) => (typeof k === 'string' ? k.toLowerCase() : k));
  }
  const { userRulesProblem } = await import('../rules/validate-rule.js');
  const problem = userRulesProblem(rules, fieldName);
  if (!problem) return;
  const rule = rules[problem.index];
  const id = isObject(rule) && typeof rule.id === 'string' ? rule.id : undefined;
  const where = `${field}[${id === undefined ? problem.index : fieldName(id)}]`;
  fail(problem.field ? `${where}.${problem.field}` : where, problem.reason);
}
