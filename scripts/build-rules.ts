import { writeRuleBundle } from './rule-files.js';

/** Validates rules/*.yaml and writes the runtime bundle; returns the number of rules. */
export async function buildRules(rulesDir: string, outFile: string): Promise<number> {
  return writeRuleBundle(rulesDir, outFile);
}
