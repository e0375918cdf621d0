#!/usr/bin/env node
// Runs the quality benchmark: bundles bench/quality/run.ts with esbuild (Node 20 runs
// no TypeScript by itself) into the git-ignored bench/out/, then runs it with the
// arguments given here. Usage: node bench/quality/run.mjs [--files N] [--seed S] [--details]
import { build } from 'esbuild';
import { mkdir } from 'node:fs/promises';
import { fileURLToPath, pathToFileURL } from 'node:url';
import path from 'node:path';

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
const outfile = path.join(repoRoot, 'bench', 'out', 'quality-run.mjs');
await mkdir(path.dirname(outfile), { recursive: true });
await build({
  entryPoints: [path.join(repoRoot, 'bench', 'quality', 'run.ts')],
  outfile,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  logLevel: 'warning',
  banner: { js: "import { createRequire as __benchRequire } from 'node:module'; const require = __benchRequire(import.meta.url);" },
});
process.env.LEAKGUARD_REPO_ROOT = repoRoot;
const { main } = await import(pathToFileURL(outfile).href);
process.exitCode = await main(process.argv.slice(2));
