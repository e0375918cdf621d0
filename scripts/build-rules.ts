import { readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { prefilterIndex } from '../src/detect/keyword-prefilter.js';
import { VendorPrefixes } from '../src/detect/vendor-prefixes.js';
import { RULES_INDEX_FILE, type RulesIndexFile } from '../src/rules/load-rules.js';
import type { RuleSpec } from '../src/rules/rule.js';
import { writeRuleBundle } from './rule-files.js';

/**
 * Validates rules/*.yaml and writes the runtime bundle, and beside it what the detector
 * derives from those rules on every run (dist/rules-index.json: the keyword
 * prefilter's index and the vendor prefixes), worked out here once from the bundle as it is read at run time.
 * Returns the number of rules.
 */
export async function buildRules(rulesDir: string, outFile: string): Promise<number> {
  const count = await writeRuleBundle(rulesDir, outFile);
  const rules = JSON.parse(await readFile(outFile, 'utf8')) as RuleSpec[];
  const index: RulesIndexFile = {
    count: rules.length,
    ids: [rules[0]?.id ?? '', rules[rules.length - 1]?.id ?? ''],
    prefilter: prefilterIndex(
      rules.map((r) => r.keywords),
      { credited: true },
    ),
    vendorPrefixes: new VendorPrefixes(rules).table(),
  };
  await writeFile(join(dirname(outFile), RULES_INDEX_FILE), `${JSON.stringify(index)}\n`);
  return count;
}
