import { readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { keywordAnchors } from '../src/detect/keyword-anchors.js';
import { automatonTables, encodeAutomaton, prefilterIndex } from '../src/detect/keyword-prefilter.js';
import { VendorPrefixes } from '../src/detect/vendor-prefixes.js';
import {
  RULES_ANCHORS_FILE,
  RULES_AUTOMATON_FILE,
  RULES_INDEX_FILE,
  RULES_LAZY_FILE,
  type RulesAnchorsFile,
  type RulesIndexFile,
  type RulesLazyHeader,
} from '../src/rules/load-rules.js';
import type { RuleSpec } from '../src/rules/rule.js';
import { writeRuleBundle } from './rule-files.js';

/**
 * Validates rules/*.yaml and writes the runtime bundle, and beside it what the detector
 * derives from those rules on every run, and the rules again as the hook reads them (dist/rules-lazy.dat) (dist/rules-index.json: the keyword
 * prefilter's index and the vendor prefixes), worked out here once from the bundle as it is read at run time.
 * Returns the number of rules.
 */
export async function buildRules(rulesDir: string, outFile: string): Promise<number> {
  const count = await writeRuleBundle(rulesDir, outFile);
  const rules = JSON.parse(await readFile(outFile, 'utf8')) as RuleSpec[];
  const prefilter = prefilterIndex(
    rules.map((r) => r.keywords),
    { credited: true },
  );
  const index: RulesIndexFile = {
    count: rules.length,
    ids: [rules[0]?.id ?? '', rules[rules.length - 1]?.id ?? ''],
    prefilter,
    vendorPrefixes: new VendorPrefixes(rules).table(),
  };
  await writeFile(join(dirname(outFile), RULES_INDEX_FILE), `${JSON.stringify(index)}\n`);
  // Read on a large scan only, apart from the index the hook reads (load-rules.ts, builtinRulesAnchors).
  const anchors: RulesAnchorsFile = rules.map((r) => {
    const found = keywordAnchors(r.regex, r.flags ?? '', r.keywords);
    return found ? [...found].map(([keyword, offsets]): [string, number[]] => [keyword, [...offsets]]) : 0;
  });
  await writeFile(join(dirname(outFile), RULES_ANCHORS_FILE), `${JSON.stringify(anchors)}\n`);
  // The prefilter's automaton, read instead of built on each thread of a large scan (load-rules.ts, builtinRulesAutomaton).
  await writeFile(join(dirname(outFile), RULES_AUTOMATON_FILE), encodeAutomaton(automatonTables(prefilter.keywords)));
  // The hook's copy (load-rules.ts, loadBuiltinRulesLazy): ids and offsets, then each rule's JSON.
  const bodies = rules.map((rule) => Buffer.from(JSON.stringify(rule)));
  let end = 0;
  const header: RulesLazyHeader = { ids: rules.map((r) => r.id), ends: bodies.map((b) => (end += b.length)) };
  await writeFile(join(dirname(outFile), RULES_LAZY_FILE), Buffer.concat([Buffer.from(`${JSON.stringify(header)}\n`), ...bodies]));
  return count;
}
