// Build:
//   dist/cli.cjs    the CLI's hot path as ONE CommonJS file: `leakguard scan [--staged]`
//                   (the pre-commit hook) loads nothing else — no ESM loader, no yargs.
//   dist/full.cjs   everything else the CLI can need (yargs parser and commands, the
//                   fix, key verification, the tree source, SARIF/GitHub/HTML reports), required at run
//                   time only when the hot path hands over to it.
//   dist/index.js   the ESM library API (package.json "exports"), with its chunks,
//                   and its type declarations under dist/types/ (package.json "types").
//   dist/detect-worker.cjs  the worker thread that shares detection on large scans.
//   dist/rule-validator.cjs the rule validator, loaded only for a config with custom rules.
//   dist/rules.json the rules, prebuilt from rules/*.yaml, so no run parses YAML.
import { build } from 'esbuild';
import { mkdir, readFile, rm } from 'node:fs/promises';
import path from 'node:path';
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
 * What the hook may need is loaded in the source through `() => import(...)` (the
 * commands behind `import('./main.js')`, the fix behind `import('./hook-fix.js')`,
 * the report formats in src/report/reporters/index.ts, the tree source
 * in src/sources/index.ts). The build only decides which file each one lands in:
 * a dynamic import() of a module in HOT_DYNAMIC stays in dist/cli.cjs (the modules
 * the hook itself runs); every other one goes to dist/full.cjs, required at run time
 * when that import() runs. The source's import graph is what loads; nothing is
 * rewritten into stubs.
 */
// The pre-push hook is a hot path too: its command and the commit source it reads
// stay in cli.cjs (loading full.cjs would cost it more than git log itself).
const HOT_DYNAMIC = [
  { importer: 'src/cli/bin.ts', module: 'src/cli/commands/scan.ts' },
  { importer: 'src/cli/bin.ts', module: 'src/cli/commands/pre-push.ts' },
  { importer: 'src/sources/index.ts', module: 'src/sources/unpushed.ts' },
  { importer: 'src/report/reporters/index.ts', module: 'src/report/reporters/text.ts' },
  { importer: 'src/report/reporters/index.ts', module: 'src/report/reporters/json.ts' },
];

// Lazily loaded modules with a bundle of their own, for what a hook run may need
// without the rest of full.cjs: the rule validator and rules/schema.json, only for
// a config with custom rules.
const OWN_BUNDLE = [{ importer: 'src/config/load-config.ts', module: 'src/rules/validate-rule.ts', bundle: 'rule-validator.cjs' }];

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
        contents:
          `const key = Symbol.for(${JSON.stringify(args.pluginData.key)});\n` +
          `module.exports = globalThis[key] || (globalThis[key] = require(${JSON.stringify(args.pluginData.module)}));\n`,
      }));
    },
  };
}

/**
 * Sends each dynamic import() of the hot bundle that is not in HOT_DYNAMIC to
 * full.cjs (recording the module in `lazyModules`): the import() then requires
 * full.cjs and takes that module's exports from it.
 */
function lazyPlugin(lazyModules) {
  return {
    name: 'leakguard-lazy',
    setup(b) {
      b.onResolve({ filter: /^\.\.?\// }, (args) => {
        if (args.kind !== 'dynamic-import' || args.namespace !== 'file' || !args.importer.startsWith(root)) return undefined;
        const importer = rel(args.importer);
        const module = sourceOf(importer, args.path);
        if (HOT_DYNAMIC.some((h) => h.importer === importer && h.module === module)) return undefined;
        const own = OWN_BUNDLE.find((o) => o.importer === importer && o.module === module);
        if (own) return { path: module, namespace: 'lg-lazy', pluginData: { module, bundle: own.bundle } };
        lazyModules.add(module);
        return { path: module, namespace: 'lg-lazy', pluginData: { module } };
      });
      b.onLoad({ filter: /.*/, namespace: 'lg-lazy' }, (args) => {
        const { module, bundle } = args.pluginData;
        const load = bundle
          ? `require(__lgDir + ${JSON.stringify(`/${bundle}`)})`
          : `require(__lgDir + ${JSON.stringify(`/${FULL_FILE}`)}).modules[${JSON.stringify(module)}]`;
        return { resolveDir: root, loader: 'js', contents: `module.exports = ${load};\n` };
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

for (const own of OWN_BUNDLE) {
  await build({ ...cjs, metafile: false, entryPoints: [own.module], outfile: path.join(dist, own.bundle), plugins: [sharedPlugin()] });
}

// The detection worker of large scans (src/detect/detection-pool.ts), started by path.
await build({ ...cjs, metafile: false, entryPoints: ['src/detect/detect-worker.ts'], outfile: path.join(dist, 'detect-worker.cjs') });

/**
 * The CommonJS bundles must be ASCII. esbuild escapes strings, but not regular
 * expression literals or tagged templates: one typographic quote in a regex made
 * Node decode the whole of cli.cjs into a two-byte string on every run, twice the
 * bytes to decode, copy and scan (bin/leakguard.cjs: ~2-4 ms of each hook run,
 * measured in-process, 25 runs). Write such characters as \uXXXX escapes.
 */
async function requireAscii(file) {
  const text = await readFile(file, 'latin1');
  const at = text.search(/[^\x00-\x7f]/);
  if (at !== -1) {
    throw new Error(
      `build: ${path.basename(file)} holds a non-ASCII character near "${text.slice(Math.max(0, at - 40), at)}": write it as a \\uXXXX escape in the source`,
    );
  }
}
for (const file of ['cli.cjs', FULL_FILE, 'detect-worker.cjs', ...OWN_BUNDLE.map((o) => o.bundle)])
  await requireAscii(path.join(dist, file));

// The hot bundle must not contain what it is meant to leave out: the argument parser
// (yargs), simple-git, the fix, key verification, the tree source, the SARIF, GitHub and HTML reports.
const HOT_EXCLUDED =
  /src\/rules\/(validate-rule|json-schema)\.ts|node_modules\/(yargs|yargs-parser|cliui|y18n|escalade|get-caller-file|string-width|simple-git|@simple-git|@kwsites|debug|ms)\/|src\/fix\/|src\/verify\/(?!types\.ts)|src\/cli\/main\.ts|src\/sources\/(tree|range)\.ts|src\/findings\/range-base|reporters\/(sarif|github|html)/;
const hotInputs = Object.keys(hot.metafile.inputs).filter((f) => !f.startsWith('lg-lazy:'));
const leaked = hotInputs.filter((f) => HOT_EXCLUDED.test(f));
if (leaked.length) throw new Error(`build: the hot path bundle includes ${leaked.join(', ')}`);

// The library API.
await build({
  ...esm,
  entryPoints: { index: 'src/index.ts' },
  outdir: 'dist',
  splitting: true,
  chunkNames: 'chunk-[hash]',
});
// Its type declarations (package.json "types") are written by `npm run build:types`
// (tsc -p tsconfig.types.json): run by `npm test`, `prepare` and so `npm pack`, not by
// every build, since tsc takes several times as long as the bundles.

const size = (result) => Object.values(result.metafile.outputs).reduce((n, o) => n + o.bytes, 0);
console.log(
  `leakguard: built dist/ (${count} rules; cli.cjs ${Math.round(size(hot) / 1024)} KB, ${FULL_FILE} ${Math.round(size(full) / 1024)} KB)`,
);
