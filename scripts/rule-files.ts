/**
 * Reads the built-in rules (rules/*.yaml), validates them with the runtime rule
 * validator (rules/schema.json and the checks beyond it, the same as for custom
 * rules), and writes the runtime bundle (dist/rules.json). Runs at build and test
 * time; the hook loads the bundle.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { parse } from 'yaml';
import { RuleError } from '../src/errors.js';
import { formatPath } from '../src/rules/json-schema.js';
import { withNearCompiled } from '../src/rules/near.js';
import type { RuleSpec } from '../src/rules/rule.js';
import { ruleFileProblem, semanticProblem, type RuleProblem } from '../src/rules/validate-rule.js';

/** Rule files of a directory: *.yaml / *.yml, sorted by name. */
export function listRuleFiles(rulesDir: string): string[] {
  return readdirSync(rulesDir)
    .filter((name) => /\.ya?ml$/.test(name))
    .sort()
    .map((name) => join(rulesDir, name));
}

/** The id of the rule a file-level problem is in ("rules[3]…"), or "(file)". */
function ruleIdAt(data: unknown, problem: RuleProblem): string {
  const [top, index] = problem.path;
  if (top !== 'rules' || typeof index !== 'number') return '(file)';
  const rule = (data as { rules: unknown[] }).rules[index];
  const id = rule && typeof rule === 'object' ? (rule as { id?: unknown }).id : undefined;
  return typeof id === 'string' ? id : `#${index}`;
}

/**
 * Parses and validates one rule file; `provider` is filled in from the file. The
 * validation is the runtime one (src/rules/validate-rule.ts): rules/schema.json and
 * the checks beyond it, exactly as for a custom rule of .leakguard.json.
 */
export function parseRuleFile(text: string, file: string): RuleSpec[] {
  let data: unknown;
  try {
    data = parse(text, { prettyErrors: true });
  } catch (error) {
    throw new RuleError('(file)', '(yaml)', (error as Error).message.split('\n')[0] ?? 'invalid YAML', file);
  }
  const problem = ruleFileProblem(data);
  if (problem) throw new RuleError(ruleIdAt(data, problem), formatPath(problem.path) || '(file)', problem.reason, file);
  const { provider, rules } = data as { provider: string; rules: Array<Omit<RuleSpec, 'provider'> & { provider?: string }> };
  return rules.map((rule) => {
    // The schema checked the rule as written (regex and keywords, or near); the checks
    // beyond it read the regex a near rule compiles to.
    const spec: RuleSpec = withNearCompiled({ ...rule, provider: rule.provider ?? provider });
    const semantic = semanticProblem(spec);
    if (semantic) throw new RuleError(spec.id, formatPath(semantic.path), semantic.reason, file);
    return spec;
  });
}

/** Every rule of `rulesDir`, validated, ids unique across files. */
export function loadRuleFiles(rulesDir: string): RuleSpec[] {
  const seen = new Map<string, string>();
  const all: RuleSpec[] = [];
  for (const path of listRuleFiles(rulesDir)) {
    const file = basename(path);
    for (const rule of parseRuleFile(readFileSync(path, 'utf8'), file)) {
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
