// npm run docs:rules — writes docs/rules.md from rules/*.yaml (scripts/rules-docs.ts).
import { build } from 'esbuild';
import { mkdtemp, rm, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const dir = await mkdtemp(path.join(tmpdir(), 'leakguard-docs-'));
try {
  const outfile = path.join(dir, 'docs.mjs');
  await build({
    absWorkingDir: root,
    stdin: {
      contents: "export { loadRuleFiles } from './scripts/rule-files.ts'; export { renderRulesDoc, RULES_DOC } from './scripts/rules-docs.ts';",
      resolveDir: root,
      loader: 'ts',
    },
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    outfile,
    logLevel: 'warning',
    banner: { js: "import { createRequire as __lgCreateRequire } from 'node:module'; const require = __lgCreateRequire(import.meta.url);" },
  });
  const { loadRuleFiles, renderRulesDoc, RULES_DOC } = await import(pathToFileURL(outfile).href);
  const target = path.join(root, RULES_DOC);
  await mkdir(path.dirname(target), { recursive: true });
  await writeFile(target, renderRulesDoc(loadRuleFiles(path.join(root, 'rules'))));
  console.log(`leakguard: wrote ${RULES_DOC}`);
} finally {
  await rm(dir, { recursive: true, force: true });
}
