// npm run release:check — checks the package as a user gets it, before a release:
//  1. `npm pack` into a temp folder; the tarball holds what the CLI needs at run
//     time (bin, dist bundles, rules bundle, JSON schema, README, LICENSE) and no
//     source map, sources, tests or scripts;
//  2. the packed package.json has no runtime dependencies (everything is bundled)
//     and no script that needs dev-only tools when installed as a dependency;
//  3. `npm i --offline` of the tarball into a fresh project succeeds without a
//     warning, and the installed bin runs: --version, and a scan of a temp git
//     repository holding a synthetic key exits 1 without printing the key.
// Never reaches the network (--offline). `--no-build` packs the current dist/
// (LEAKGUARD_PACK_NO_BUILD=1 for `prepare`): the tests use it, since a build there would
// replace dist/ under the other tests running at the same time.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadTs, ROOT } from './lib/load-ts.mjs';

const REQUIRED = [
  'package.json',
  'README.md',
  'LICENSE',
  'bin/leakguard.cjs',
  'dist/cli.cjs',
  'dist/full.cjs',
  'dist/index.js',
  'dist/detect-worker.cjs',
  'dist/rules.json',
  'dist/rules-index.json',
  'dist/rules-anchors.json',
  'dist/rules-automaton.bin',
  'dist/rule-validator.cjs',
  'dist/types/index.d.ts',
  'schema/leakguard.schema.json',
];
const FORBIDDEN = [/\.map$/, /^src\//, /^test\//, /^scripts\//, /^bench\//, /^rules\//, /^node_modules\//, /^\.husky\//, /^docs\//];
const INSTALL_SCRIPTS = ['preinstall', 'install', 'postinstall', 'prepare', 'preprepare', 'postprepare'];

const noBuild = process.argv.includes('--no-build');
const problems = [];
const fail = (message) => problems.push(message);
const env = { ...process.env, GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null', NO_COLOR: '1', CI: 'true' };
for (const key of Object.keys(env)) if (key.startsWith('GIT_') && !key.startsWith('GIT_CONFIG')) delete env[key];
// Not the caller's npm cache settings for offline: the tarball has no dependencies to fetch.
const npmEnv = { ...env, npm_config_audit: 'false', npm_config_fund: 'false', npm_config_update_notifier: 'false' };

const work = mkdtempSync(path.join(tmpdir(), 'leakguard-release-'));
try {
  // 1. Pack.
  const packDir = path.join(work, 'pack');
  mkdirSync(packDir);
  const manifestBefore = readFileSync(path.join(ROOT, 'package.json'), 'utf8');
  const packEnv = noBuild ? { ...npmEnv, LEAKGUARD_PACK_NO_BUILD: '1' } : npmEnv;
  const pack = spawnSync('npm', ['pack', '--json', '--pack-destination', packDir], {
    cwd: ROOT,
    env: packEnv,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  if (pack.status !== 0) throw new Error(`npm pack failed:\n${pack.stderr}`);
  if (readFileSync(path.join(ROOT, 'package.json'), 'utf8') !== manifestBefore)
    fail('package.json differs after npm pack (postpack did not restore it)');
  const [info] = JSON.parse(pack.stdout.slice(pack.stdout.indexOf('[')));
  const tarball = path.join(packDir, info.filename);
  const files = info.files.map((f) => f.path).sort();
  for (const file of REQUIRED) if (!files.includes(file)) fail(`the tarball lacks ${file}`);
  const extra = files.filter((file) => FORBIDDEN.some((re) => re.test(file)));
  if (extra.length > 0)
    fail(
      `the tarball holds ${extra.length} file${extra.length === 1 ? '' : 's'} not needed at run time: ${extra.slice(0, 6).join(', ')}${extra.length > 6 ? ', …' : ''}`,
    );

  // 2. The packed package.json.
  const pkg = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
  const deps = Object.keys({ ...pkg.dependencies, ...pkg.optionalDependencies, ...pkg.peerDependencies });
  if (deps.length > 0)
    fail(`runtime dependencies remain (${deps.join(', ')}): the bundles in dist/ hold them; move them to devDependencies`);

  // 3. A clean install of the tarball, offline.
  const project = path.join(work, 'project');
  mkdirSync(project);
  writeFileSync(
    path.join(project, 'package.json'),
    `${JSON.stringify({ name: 'release-check', version: '1.0.0', private: true }, null, 2)}\n`,
  );
  const install = spawnSync('npm', ['i', '--offline', '--no-audit', '--no-fund', '--save-dev', tarball], {
    cwd: project,
    env: npmEnv,
    encoding: 'utf8',
  });
  if (install.status !== 0) {
    fail(`npm i --offline of the tarball failed: ${install.stderr.trim()}`);
  } else {
    const warnings = install.stderr.split('\n').filter((line) => /\b(warn|ERR)/i.test(line));
    if (warnings.length > 0) fail(`npm i of the tarball warned:\n  ${warnings.join('\n  ')}`);
    const installed = path.join(project, 'node_modules', 'leakguard');

    // No script that runs on install (prepare builds with dev-only tools, and npm
    // warns about any install script of a dependency).
    const packed = JSON.parse(readFileSync(path.join(installed, 'package.json'), 'utf8'));
    for (const name of INSTALL_SCRIPTS) {
      if (packed.scripts?.[name])
        fail(`the packed package.json has a "${name}" script, which runs when it is installed: ${packed.scripts[name]}`);
    }

    const version = spawnSync('npx', ['--no', '--', 'leakguard', '--version'], { cwd: project, env: npmEnv, encoding: 'utf8' });
    if (version.status !== 0 || version.stdout.trim() !== pkg.version) {
      fail(
        `npx leakguard --version: exit ${version.status}, printed ${JSON.stringify(version.stdout.trim())} (expected ${pkg.version}) ${version.stderr.trim()}`,
      );
    }

    const { githubToken } = await loadTs("export { githubToken } from './test/helpers/keys.ts';");
    const key = githubToken('release-check');
    const repo = path.join(work, 'repo');
    mkdirSync(repo);
    const git = (...args) => execFileSync('git', args, { cwd: repo, env, stdio: 'pipe' });
    git('init', '-q', '-b', 'main');
    writeFileSync(path.join(repo, 'deploy.sh'), `export GITHUB_TOKEN=${key}\n`);
    git('add', 'deploy.sh');
    const scan = spawnSync(path.join(project, 'node_modules', '.bin', 'leakguard'), ['scan', '--staged'], {
      cwd: repo,
      env,
      encoding: 'utf8',
    });
    if (scan.status !== 1) fail(`the installed bin's scan of a staged key exited ${scan.status}, not 1: ${scan.stderr.trim()}`);
    if (!/deploy\.sh/.test(scan.stdout + scan.stderr)) fail("the installed bin's scan did not name deploy.sh");
    if ((scan.stdout + scan.stderr).includes(key)) fail('the installed bin printed the key in full');
  }

  if (problems.length > 0) {
    console.error(`leakguard release:check: ${problems.length} problem${problems.length === 1 ? '' : 's'} with ${info.filename}:`);
    for (const p of problems) console.error(`  - ${p}`);
    process.exitCode = 1;
  } else {
    console.log(
      `leakguard release:check: ${info.filename} is ready (${files.length} files, ${(info.size / 1024).toFixed(0)} KB packed; installs offline; the bin runs and blocks a key)`,
    );
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}
