// Build:
//   dist/cli.cjs    the CLI's hot path as ONE CommonJS file: `leakguard scan [--staged]`
//                   (the pre-commit hook) loads nothing else — no ESM loader, no yargs.
//   dist/full.cjs   everything else the CLI can need (yargs parser and commands, the
//                   fix, history/tree sources, SARIF/GitHub reports), required at run
//                   time only when the hot path hands over to it.
//   dist/cli.js     a one-line ESM shim that runs dist/cli.cjs (older bin paths).
//   dist/index.js   the ESM library API (package.json "exports"), with its chunks.
//   dist/detect-worker.cjs  the worker thread that shares detection on large scans.
//   dist/rule-validator.cjs the rule validator, loaded only for a config with custom rules.
//   dist/rules.json the rules, prebuilt from rules/*.yaml, so no run parses YAML.
import { build } from 'esbuild';
import { readFile, writeFile, mkdir, rm } from 'node:fs/promises';
import { createHash } from 'node:crypto';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const dist = path.join(root, 'dist');
await rm(dist, { recursive: true, force: true });
await mkdir(dist, { recursive: true });

const common = {
  absWorkingDir: root,
  bundle: true,
  platform: 'node',
  target: 'node20',
  logLevel: 'warning',
};

const esm = {
  ...common,
  format: 'esm',
  sourcemap: 'linked',
  // CommonJS dependencies bundled into ESM still call require() for node builtins.
  banner: { js: "import { createRequire as __lgCreateRequire } from 'node:module'; const require = __lgCreateRequire(import.meta.url);" },
};

// The rules bundle is produced by running the rule-file loader once, bundled for node.
const rulesBuilder = path.join(dist, 'build-rules.mjs');
await build({ ...esm, sourcemap: false, entryPoints: ['scripts/build-rules.ts'], outfile: rulesBuilder });
const { buildRules } = await import(pathToFileURL(rulesBuilder).href);
const count = await buildRules('rules', 'dist/rules.json');
await rm(rulesBuilder);

// ---------------------------------------------------------------------------
// The CommonJS CLI bundles.
// ---------------------------------------------------------------------------

/**
 * What the hot path must not load up front goes to dist/full.cjs, which is
 * required at run time only when first needed:
 *  - every dynamic import() of the hot path's modules (yargs and the other
 *    commands behind `import('./main.js')`, the fix behind `import('./hook-fix.js')`),
 *    except HOT_DYNAMIC: the stub module runs when the import() does;
 *  - STATIC_LAZY: statically imported modules the hook never calls (other sources,
 *    other report formats). Their stubs are functions that forward each call; the
 *    build fails if a stubbed name is missing or not a function in the real module.
 */
// The pre-push hook is a hot path too: its command and the commit source it reads
// stay in cli.cjs (loading full.cjs would cost it more than git log itself).
const HOT_DYNAMIC = [
  { importer: 'src/cli/bin.ts', module: 'src/cli/commands/scan.ts' },
  { importer: 'src/cli/bin.ts', module: 'src/cli/commands/pre-push.ts' },
];
const STATIC_LAZY = [
  { importer: 'src/sources/index.ts', module: 'src/sources/tree.ts', names: ['treeFragments'] },
  { importer: 'src/report/reporters/index.ts', module: 'src/report/reporters/sarif.ts', names: ['sarifReporter'] },
  { importer: 'src/report/reporters/index.ts', module: 'src/report/reporters/github.ts', names: ['githubReporter'] },
  { importer: 'src/report/reporters/index.ts', module: 'src/report/reporters/html.ts', names: ['htmlReporter'] },
  // The rule validator and rules/schema.json, only for a config with custom rules: from
  // a bundle of their own (a few KB), not full.cjs.
  { importer: 'src/config/load-config.ts', module: 'src/rules/validate-rule.ts', names: ['userRulesProblem'], bundle: 'rule-validator.cjs' },
];

const FULL_FILE = 'full.cjs';

/**
 * Error classes are checked with instanceof across the two bundles (an error thrown
 * in full.cjs is reported by cli.cjs), so both bundles share one copy: whichever
 * loads first registers its module, the other uses it.
 */
const SHARED = [{ module: 'src/errors.ts', key: 'leakguard.errors@1' }];

const rel = (file) => path.relative(root, file).split(path.sep).join('/');

/** Resolves a relative specifier of `importer` (a path inside the repository) to its .ts source. */
function sourceOf(importer, specifier) {
  return rel(path.resolve(path.dirname(path.join(root, importer)), specifier.replace(/\.js$/, '.ts')));
}

function sharedPlugin() {
  return {
    name: 'leakguard-shared',
    setup(b) {
      b.onResolve({ filter: /^\.\.?\// }, (args) => {
        if (args.namespace !== 'file' || args.pluginData?.real || !args.importer.startsWith(root)) return undefined;
        const target = sourceOf(rel(args.importer), args.path);
        const shared = SHARED.find((s) => s.module === target);
        return shared ? { path: shared.module, namespace: 'lg-shared', pluginData: shared } : undefined;
      });
      b.onResolve({ filter: /.*/, namespace: 'lg-shared' }, (args) => ({
        path: path.join(root, args.path),
        pluginData: { real: true },
      }));
      b.onLoad({ filter: /.*/, namespace: 'lg-shared' }, (args) => ({
        resolveDir: root,
        loader: 'js',
        contents: `const key = Symbol.for(${JSON.stringify(args.pluginData.key)});\n` +
          `module.exports = globalThis[key] || (globalThis[key] = require(${JSON.stringify(args.pluginData.module)}));\n`,
      }));
    },
  };
}

/** Records every module it sends to full.cjs in `lazyModules`. */
function lazyPlugin(lazyModules) {
  return {
    name: 'leakguard-lazy',
    setup(b) {
      b.onResolve({ filter: /^\.\.?\// }, (args) => {
        if (args.namespace !== 'file' || !args.importer.startsWith(root)) return undefined;
        const importer = rel(args.importer);
        const module = sourceOf(importer, args.path);
        if (args.kind === 'dynamic-import') {
          if (HOT_DYNAMIC.some((h) => h.importer === importer && h.module === module)) return undefined;
          lazyModules.add(module);
          return { path: module, namespace: 'lg-lazy', pluginData: { module } };
        }
        const lazy = STATIC_LAZY.find((l) => l.importer === importer && l.module === module);
        if (!lazy) return undefined;
        if (!lazy.bundle) lazyModules.add(module);
        return { path: `${module}?static`, namespace: 'lg-lazy', pluginData: { module, names: lazy.names, bundle: lazy.bundle } };
      });
      b.onLoad({ filter: /.*/, namespace: 'lg-lazy' }, (args) => {
        const { module, names, bundle } = args.pluginData;
        const load = bundle
          ? `require(__lgDir + ${JSON.stringify(`/${bundle}`)})`
          : `require(__lgDir + ${JSON.stringify(`/${FULL_FILE}`)}).modules[${JSON.stringify(module)}]`;
        if (!names) return { resolveDir: root, loader: 'js', contents: `module.exports = ${load};\n` };
        const lines = [`const load = () => ${load};`];
        for (const name of names) lines.push(`export function ${name}(...args) { return load().${name}.apply(this, args); }`);
        return { resolveDir: root, loader: 'js', contents: lines.join('\n') };
      });
    },
  };
}

const cjs = {
  ...common,
  format: 'cjs',
  sourcemap: false,
  minifyWhitespace: true,
  minifySyntax: true,
  // The sources find dist/rules.json and package.json from import.meta.url.
  define: { 'import.meta.url': '__lgImportMetaUrl' },
  banner: {
    js: [
      '"use strict";',
      'const __lgDir = __dirname;',
      "const __lgImportMetaUrl = require('node:url').pathToFileURL(__filename).href;",
    ].join('\n'),
  },
  metafile: true,
};

const lazyModules = new Set();
const hot = await build({
  ...cjs,
  entryPoints: ['src/cli/bin.ts'],
  outfile: path.join(dist, 'cli.cjs'),
  plugins: [lazyPlugin(lazyModules), sharedPlugin()],
});

const lazyList = [...lazyModules].sort();
const fullEntry = [
  ...lazyList.map((m, i) => `import * as m${i} from './${m}';`),
  `export const modules = { ${lazyList.map((m, i) => `${JSON.stringify(m)}: m${i}`).join(', ')} };`,
].join('\n');
const full = await build({
  ...cjs,
  stdin: { contents: fullEntry, resolveDir: root, sourcefile: 'full-entry.js', loader: 'js' },
  outfile: path.join(dist, FULL_FILE),
  plugins: [sharedPlugin()],
});

// The detection worker of large scans (src/detect/detection-pool.ts), started by path.
await build({ ...cjs, metafile: false, entryPoints: ['src/detect/detect-worker.ts'], outfile: path.join(dist, 'detect-worker.cjs') });

// The lazily loaded modules that have a bundle of their own.
for (const lazy of STATIC_LAZY.filter((l) => l.bundle)) {
  await build({ ...cjs, metafile: false, entryPoints: [lazy.module], outfile: path.join(dist, lazy.bundle) });
}

// Every function stub must forward to a function of the real module.
const requireDist = createRequire(import.meta.url);
const { modules } = requireDist(path.join(dist, FULL_FILE));
for (const lazy of STATIC_LAZY) {
  const real = lazy.bundle ? requireDist(path.join(dist, lazy.bundle)) : modules[lazy.module];
  for (const name of lazy.names) {
    if (typeof real?.[name] !== 'function') {
      throw new Error(`build: ${lazy.module} no longer exports a function ${name} (update STATIC_LAZY in scripts/build.mjs)`);
    }
  }
}

// The hot bundle must not contain what it is meant to leave out.
const hotInputs = Object.keys(hot.metafile.inputs).filter((f) => !f.startsWith('lg-lazy:'));
const leaked = hotInputs.filter((f) => /node_modules\/(yargs|yargs-parser|cliui|y18n|escalade|get-caller-file|string-width)\/|src\/fix\/|src\/verify\/(?!types\.ts)|src\/cli\/main\.ts|src\/diff\/tree-source|reporters\/(sarif|github)/.test(f));
if (leaked.length) throw new Error(`build: the hot path bundle includes ${leaked.join(', ')}`);

// dist/cli.js: kept for callers of the old ESM entry (bin/leakguard.js, action.yml).
await writeFile(
  path.join(dist, 'cli.js'),
  "// The CLI is dist/cli.cjs (CommonJS: no ESM loader on the hook's hot path).\nimport { createRequire } from 'node:module';\ncreateRequire(import.meta.url)('./cli.cjs');\n",
);

// A fingerprint of the CommonJS bundles, for the compile cache of bin/leakguard.cjs.
const hash = createHash('sha256');
for (const file of ['cli.cjs', FULL_FILE]) hash.update(await readFile(path.join(dist, file)));
await writeFile(path.join(dist, 'cli.cjs.sha256'), `${hash.digest('hex')}\n`);

// The library API.
await build({
  ...esm,
  entryPoints: { index: 'src/index.ts' },
  outdir: 'dist',
  splitting: true,
  chunkNames: 'chunk-[hash]',
});

const size = (result) => Object.values(result.metafile.outputs).reduce((n, o) => n + o.bytes, 0);
console.log(`leakguard: built dist/ (${count} rules; cli.cjs ${Math.round(size(hot) / 1024)} KB, ${FULL_FILE} ${Math.round(size(full) / 1024)} KB)`);
