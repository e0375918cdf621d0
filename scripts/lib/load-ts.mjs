// Loads TypeScript modules of this repository into a script (the synthetic key
// generators of test/helpers/keys.ts, for instance) by bundling them with esbuild
// into a temp file (scripts/docs-rules.mjs, scripts/docs-readme.mjs, scripts/release-check.mjs).
import { build } from 'esbuild';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** `contents` is a TypeScript module body (re-exports), resolved from the repository root. */
export async function loadTs(contents) {
  const dir = await mkdtemp(path.join(tmpdir(), 'leakguard-script-'));
  try {
    const outfile = path.join(dir, 'module.mjs');
    await build({
      absWorkingDir: ROOT,
      stdin: { contents, resolveDir: ROOT, loader: 'ts' },
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      outfile,
      logLevel: 'warning',
      banner: {
        js: "import { createRequire as __lgCreateRequire } from 'node:module'; const require = __lgCreateRequire(import.meta.url);",
      },
    });
    return await import(pathToFileURL(outfile).href);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
