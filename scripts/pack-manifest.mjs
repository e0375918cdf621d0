// prepack/postpack: the packed package.json has no `prepare` script.
// `prepare` builds dist/ and sets up husky in a clone (and in a git dependency's
// clone, where npm runs it before packing); in an installed tarball there is nothing
// to build, and npm warns about every dependency that has an install script.
// `strip` saves package.json beside itself and removes the script; `restore` puts
// the saved file back (also run by `strip` first, should an earlier pack have failed
// half-way).
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const manifest = path.join(root, 'package.json');
const saved = path.join(root, '.package.json.prepack');

function restore() {
  if (existsSync(saved)) renameSync(saved, manifest);
}

const mode = process.argv[2];
if (mode === 'restore') {
  restore();
} else if (mode === 'strip') {
  restore();
  const text = readFileSync(manifest, 'utf8');
  const pkg = JSON.parse(text);
  writeFileSync(saved, text);
  delete pkg.scripts.prepare;
  for (const name of Object.keys(pkg.scripts)) if (/^(pre|post)?(pack|prepare)$/.test(name)) delete pkg.scripts[name];
  writeFileSync(manifest, `${JSON.stringify(pkg, null, 2)}\n`);
} else {
  console.error('usage: node scripts/pack-manifest.mjs strip|restore');
  process.exitCode = 2;
}
