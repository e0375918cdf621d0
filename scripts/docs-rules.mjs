// npm run docs:rules — writes docs/rules.md from rules/*.yaml (scripts/rules-docs.ts).
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { loadTs, ROOT } from './lib/load-ts.mjs';

const { loadRuleFiles, renderRulesDoc, RULES_DOC } = await loadTs(
  "export { loadRuleFiles } from './scripts/rule-files.ts'; export { renderRulesDoc, RULES_DOC } from './scripts/rules-docs.ts';",
);
const target = path.join(ROOT, RULES_DOC);
await mkdir(path.dirname(target), { recursive: true });
await writeFile(target, renderRulesDoc(loadRuleFiles(path.join(ROOT, 'rules'))));
console.log(`leakguard: wrote ${RULES_DOC}`);
