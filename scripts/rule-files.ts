/**
 * Reads the built-in rules (rules/*.yaml), validates them against rules/schema.json
 * and a few checks a schema cannot express, and writes the runtime bundle
 * (dist/rules.json). Runs at build and test time; the hook loads the bundle.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import { parse } from 'yaml';
import { RuleError } from '../src/errors.js';
import { isKnownChecksum } from '../src/rules/checksums.js';
import { isKnownMatcher } from '../src/rules/matchers.js';
import { withNearCompiled } from '../src/rules/near.js';
import type { RuleSpec } from '../src/rules/rule.js';
import { verifySpecProblem } from '../src/verify/spec-check.js';

export const SCHEMA_FILE = 'schema.json';

/** Rule files of a directory: *.yaml / *.yml, sorted by name. */
export function listRuleFiles(rulesDir: string): string[] {
  return readdirSync(rulesDir)
    .filter((name) => /\.ya?ml$/.test(name))
    .sort()
    .map((name) => join(rulesDir, name));
}

const validators = new Map<string, ValidateFunction>();

function schemaValidator(rulesDir: string): ValidateFunction {
  const schemaPath = join(rulesDir, SCHEMA_FILE);
  let validate = validators.get(schemaPath);
  if (!validate) {
    const schema = JSON.parse(readFileSync(schemaPath, 'utf8')) as object;
    validate = new Ajv({ allErrors: true, strict: false }).compile(schema);
    validators.set(schemaPath, validate);
  }
  return validate;
}

/** "rules[3].keywords[0]" from an ajv instance path such as "/rules/3/keywords/0". */
function fieldOf(error: ErrorObject): string {
  const parts = error.instancePath.split('/').slice(1);
  let out = '';
  for (const part of parts) out += /^\d+$/.test(part) ? `[${part}]` : out ? `.${part}` : part;
  if (error.keyword === 'required') out += `${out ? '.' : ''}${String(error.params.missingProperty)}`;
  if (error.keyword === 'additionalProperties') out += `${out ? '.' : ''}${String(error.params.additionalProperty)}`;
  return out || '(file)';
}

function ruleIdAt(data: unknown, error: ErrorObject): string {
  const match = /^\/rules\/(\d+)/.exec(error.instancePath);
  if (!match || !data || typeof data !== 'object') return '(file)';
  const rule = (data as { rules?: unknown[] }).rules?.[Number(match[1])];
  const id = rule && typeof rule === 'object' ? (rule as { id?: unknown }).id : undefined;
  return typeof id === 'string' ? id : `#${match[1]}`;
}

/**
 * Checks a schema cannot express: the regex compiles with the engine's flags and has
 * a `secret` group, the checksum exists, keywords are lowercase, examples mark their
 * secret. Exported for user-supplied rules too (they may have no examples).
 */
export function checkRuleSemantics(rule: RuleSpec, file?: string): void {
  const fail = (field: string, reason: string): never => {
    throw new RuleError(rule.id, field, reason, file);
  };
  let regex: RegExp;
  try {
    regex = new RegExp(rule.regex, [...new Set(`gd${rule.flags ?? ''}`)].join(''));
  } catch (error) {
    return fail('regex', `does not compile: ${(error as Error).message}`);
  }
  if (!/\(\?<secret>/.test(rule.regex)) fail('regex', 'has no named group (?<secret>…)');
  if (regex.test('')) fail('regex', 'matches the empty string');
  if (rule.checksum !== undefined && !isKnownChecksum(rule.checksum)) fail('checksum', `unknown validator "${rule.checksum}"`);
  if (rule.matcher !== undefined && !isKnownMatcher(rule.matcher)) fail('matcher', `unknown matcher "${rule.matcher}"`);
  rule.keywords.forEach((keyword, i) => {
    if (typeof keyword !== 'string' || keyword.length === 0) fail(`keywords[${i}]`, 'must be a non-empty string');
    if (keyword !== keyword.toLowerCase()) fail(`keywords[${i}]`, `"${keyword}" must be lowercase`);
  });
  for (const [i, value] of (rule.allowValues ?? []).entries()) {
    try {
      new RegExp(value);
    } catch (error) {
      fail(`allowValues[${i}]`, `does not compile: ${(error as Error).message}`);
    }
  }
  if (rule.verify) {
    const problem = verifySpecProblem(rule.verify);
    if (problem) fail(problem.field, problem.reason);
  }
  rule.examples?.positive?.forEach((template, i) => {
    const open = template.indexOf('{{secret}}');
    if (open === -1 || template.indexOf('{{/secret}}', open) === -1) {
      fail(`examples.positive[${i}]`, 'must mark the secret with {{secret}}…{{/secret}}');
    }
  });
}

/** Parses and validates one rule file; `provider` is filled in from the file. */
export function parseRuleFile(text: string, file: string, validate: ValidateFunction): RuleSpec[] {
  let data: unknown;
  try {
    data = parse(text, { prettyErrors: true });
  } catch (error) {
    throw new RuleError('(file)', '(yaml)', (error as Error).message.split('\n')[0] ?? 'invalid YAML', file);
  }
  if (!validate(data)) {
    const error = validate.errors![0]!;
    throw new RuleError(ruleIdAt(data, error), fieldOf(error), error.message ?? 'invalid', file);
  }
  const { provider, rules } = data as { provider: string; rules: Array<Omit<RuleSpec, 'provider'> & { provider?: string }> };
  return rules.map((rule) => {
    const spec: RuleSpec = withNearCompiled({ ...rule, provider: rule.provider ?? provider });
    checkRuleSemantics(spec, file);
    return spec;
  });
}

/** Every rule of `rulesDir`, validated, ids unique across files. */
export function loadRuleFiles(rulesDir: string): RuleSpec[] {
  const validate = schemaValidator(rulesDir);
  const seen = new Map<string, string>();
  const all: RuleSpec[] = [];
  for (const path of listRuleFiles(rulesDir)) {
    const file = basename(path);
    for (const rule of parseRuleFile(readFileSync(path, 'utf8'), file, validate)) {
      const other = seen.get(rule.id);
      if (other) throw new RuleError(rule.id, 'id', `duplicate id (also in ${other})`, file);
      seen.set(rule.id, file);
      all.push(rule);
    }
  }
  return all;
}

/** The runtime form of a rule: everything but the examples. */
export function toRuntimeRule(rule: RuleSpec): Omit<RuleSpec, 'examples'> {
  const { examples: _examples, ...runtime } = rule;
  return runtime;
}

/** Validates rules/*.yaml and writes them as one JSON array (without examples); returns the count. */
export async function writeRuleBundle(rulesDir: string, outFile: string): Promise<number> {
  const rules = loadRuleFiles(rulesDir);
  await mkdir(dirname(outFile), { recursive: true });
  await writeFile(outFile, `${JSON.stringify(rules.map(toRuntimeRule))}\n`);
  return rules.length;
}
