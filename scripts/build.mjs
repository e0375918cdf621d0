// Build: the CLI and library as ESM bundles (one file on the hook's hot path, the
// rest as lazily imported chunks) and the rules as one prebuilt JSON bundle.
import { build } from 'esbuild';
import { mkdir, rm } from 'node:fs/promises';
import { pathToFileURL } from 'node:url';

const dist = new URL('../dist/', import.meta.url);
await rm(dist, { recursive: true, force: true });
await mkdir(dist, { recursive: true });

const common = {
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  sourcemap: 'linked',
  logLevel: 'warning',
  // CommonJS dependencies bundled into ESM still call require() for node builtins.
  banner: { js: "import { createRequire as __lgCreateRequire } from 'node:module'; const require = __lgCreateRequire(import.meta.url);" },
};

// The rules bundle is produced by running the rule-file loader once, bundled for node.
const rulesBuilder = new URL('../dist/build-rules.mjs', import.meta.url);
await build({ ...common, sourcemap: false, entryPoints: ['scripts/build-rules.ts'], outfile: rulesBuilder.pathname });
const { buildRules } = await import(pathToFileURL(rulesBuilder.pathname).href);
const count = await buildRules('rules', 'dist/rules.json');
await rm(rulesBuilder);

await build({
  ...common,
  entryPoints: { cli: 'src/cli/bin.ts', index: 'src/index.ts' },
  outdir: 'dist',
  splitting: true,
  chunkNames: 'chunk-[hash]',
});
console.log(`leakguard: built dist/ (${count} rules)`);
