// npm's `prepare` in a source checkout: build dist/ and set up the git hooks (husky).
// The packed package.json has no `prepare` (scripts/pack-manifest.mjs), so an
// installed tarball runs nothing. In a checkout without the devDependencies
// (esbuild), e.g. `npm i --omit=dev`, it says so and builds nothing.
// LEAKGUARD_PACK_NO_BUILD=1 (release:check --no-build) packs the dist/ that exists.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const require = createRequire(path.join(root, 'package.json'));
const has = (name) => {
  try {
    require.resolve(`${name}/package.json`);
    return true;
  } catch {
    return false;
  }
};

if (process.env.LEAKGUARD_PACK_NO_BUILD === '1') {
  // keep dist/ as it is
} else if (!existsSync(path.join(root, 'src')) || !has('esbuild') || !has('typescript')) {
  console.error('leakguard prepare: no sources or no esbuild (devDependencies not installed): dist/ not built');
} else {
  execFileSync(process.execPath, [path.join(root, 'scripts/build.mjs')], { cwd: root, stdio: 'inherit' });
  execFileSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', 'tsconfig.types.json'], { cwd: root, stdio: 'inherit' });
  // husky only inside this repository's own git checkout (not in a git dependency's clone).
  if (existsSync(path.join(root, '.git')) && has('husky')) {
    try {
      execFileSync(process.execPath, [require.resolve('husky/bin.js')], { cwd: root, stdio: 'inherit' });
    } catch {
      // husky refuses outside a work tree (e.g. a git dependency's clone): nothing to set up
    }
  }
}
