// Shared helpers of the performance benchmarks: temp repositories, timing, peak RSS,
// synthetic keys (generated at run time: no key-shaped literal is ever written here).
import { spawnSync, execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync, mkdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';

export const PROJECT_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** The built CLI: LEAKGUARD_BENCH_CLI, else bin/leakguard.cjs (CommonJS hot path) when it exists, else the ESM bin. */
export const CLI = process.env.LEAKGUARD_BENCH_CLI ? path.resolve(process.env.LEAKGUARD_BENCH_CLI) : ['leakguard.cjs', 'leakguard.js']
  .map((f) => path.join(PROJECT_ROOT, 'bin', f))
  .find((f) => existsSync(f));

/** No user git config, no colour, no hook surprises. */
export function cleanEnv(extra = {}) {
  const env = { ...process.env };
  for (const key of Object.keys(env)) {
    if (key.startsWith('GIT_') || key === 'FORCE_COLOR' || key === 'LEAKGUARD_SKIP' || key === 'NODE_OPTIONS') delete env[key];
  }
  return {
    ...env,
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_CONFIG_GLOBAL: '/dev/null',
    GIT_AUTHOR_NAME: 'Bench',
    GIT_AUTHOR_EMAIL: 'bench@example.com',
    GIT_COMMITTER_NAME: 'Bench',
    GIT_COMMITTER_EMAIL: 'bench@example.com',
    NO_COLOR: '1',
    ...extra,
  };
}

export function tempDir(prefix) {
  return mkdtempSync(path.join(tmpdir(), `leakguard-bench-${prefix}-`));
}

export function git(cwd, ...args) {
  return execFileSync('git', args, { cwd, env: cleanEnv(), encoding: 'utf8', maxBuffer: 1 << 30 });
}

export function newRepo(prefix) {
  const root = tempDir(prefix);
  git(root, 'init', '-q', '-b', 'main');
  git(root, 'config', 'commit.gpgsign', 'false');
  writeFileSync(path.join(root, 'README.md'), '# bench\n');
  git(root, 'add', '-A');
  git(root, 'commit', '-q', '-m', 'init');
  return root;
}

export function writeFile(root, file, content) {
  const full = path.join(root, file);
  mkdirSync(path.dirname(full), { recursive: true });
  writeFileSync(full, content);
}

export function removeDir(dir) {
  rmSync(dir, { recursive: true, force: true });
}

/**
 * The project's own synthetic-key generator (test/support/examples.ts), bundled on the
 * fly: the same seeded RNG and key templates the tests use, valid checksums
 * included, and no key-shaped literal in this file.
 */
const { outputFiles } = await build({
  entryPoints: [path.join(PROJECT_ROOT, 'test/support/examples.ts')],
  bundle: true,
  platform: 'node',
  format: 'esm',
  write: false,
  logLevel: 'warning',
});
const generator = await import(`data:text/javascript;base64,${Buffer.from(outputFiles[0].text).toString('base64')}`);

export const rng = (seed) => generator.createRng(seed);
export const randomString = generator.randomString;

/** A few synthetic keys of well-known shapes, from the shared templates. */
export function syntheticKeys(seed = 1) {
  const r = rng(seed);
  return [
    { name: 'GITHUB_TOKEN', value: generator.expandTemplate('gh' + 'p_{{crc32b62:30}}', r) },
    { name: 'OPENAI_API_KEY', value: generator.expandTemplate('sk-' + 'proj-{{base64url:74}}T3BlbkFJ{{base64url:74}}', r) },
    { name: 'STRIPE_SECRET_KEY', value: generator.expandTemplate('sk_' + 'live_{{alnum:99}}', r) },
  ];
}

const WORDS = ['value', 'result', 'config', 'handler', 'request', 'response', 'items', 'index', 'count', 'buffer',
  'stream', 'options', 'context', 'payload', 'render', 'update', 'state', 'cache', 'error', 'format'];

/** Ordinary source code: identifiers, strings, numbers; ~60–90 bytes a line. */
export function codeLines(r, count) {
  const out = [];
  for (let i = 0; i < count; i++) {
    const a = WORDS[r.int(WORDS.length)];
    const b = WORDS[r.int(WORDS.length)];
    switch (r.int(4)) {
      case 0: out.push(`export const ${a}${i} = compute${b[0].toUpperCase()}${b.slice(1)}(${r.int(1000)}, "${a} ${b} ${i}");`); break;
      case 1: out.push(`  if (${a}.${b} !== undefined && ${a}.length > ${r.int(100)}) return ${b}(${a}, ${i});`); break;
      case 2: out.push(`  // ${a} ${b}: keep the ${WORDS[r.int(WORDS.length)]} in sync with the ${WORDS[r.int(WORDS.length)]} (${i})`); break;
      default: out.push(`  const ${b}${i} = await fetch${a}({ id: ${r.int(1e6)}, name: '${b}-${i}', retries: ${r.int(5)} });`);
    }
  }
  return out;
}

// ---------------------------------------------------------------------------
// Timing
// ---------------------------------------------------------------------------

/** One run of a command: wall-clock milliseconds and exit status. */
export function runOnce(cmd, args, { cwd, env = cleanEnv(), input } = {}) {
  const started = process.hrtime.bigint();
  const r = spawnSync(cmd, args, { cwd, env, input, stdio: [input === undefined ? 'ignore' : 'pipe', 'ignore', 'pipe'], maxBuffer: 1 << 30 });
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  return { ms, status: r.status, stderr: r.stderr?.toString() ?? '' };
}

/** Peak RSS (KB) of one run, from GNU time. */
export function peakRss(cmd, args, { cwd, env = cleanEnv() } = {}) {
  if (!existsSync('/usr/bin/time')) return undefined;
  const r = spawnSync('/usr/bin/time', ['-f', '%M', cmd, ...args], { cwd, env, stdio: ['ignore', 'ignore', 'pipe'], maxBuffer: 1 << 30 });
  const lines = r.stderr.toString().trim().split('\n');
  const kb = Number(lines[lines.length - 1]);
  return Number.isFinite(kb) ? kb : undefined;
}

export function summarize(samples) {
  const sorted = [...samples].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  const median = sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
  return { median, min: sorted[0], max: sorted[sorted.length - 1], samples: sorted.length };
}

/**
 * Times several commands interleaved (A B C A B C …) so that load on the machine
 * hits all of them alike; the first round is a warm-up (page cache, git's index).
 * `expect` is the exit status a command must have (a wrong one aborts: a benchmark
 * of a failing run is meaningless).
 */
export function timeCommands(commands, { runs = 5, warmup = 1 } = {}) {
  const samples = commands.map(() => []);
  for (let round = 0; round < warmup + runs; round++) {
    commands.forEach((c, i) => {
      const r = c.steps
        ? c.steps.reduce((acc, s) => {
            const one = runOnce(s.cmd, s.args, s);
            checkStatus(s, one);
            return { ms: acc.ms + one.ms };
          }, { ms: 0 })
        : (() => {
            const one = runOnce(c.cmd, c.args, c);
            checkStatus(c, one);
            return one;
          })();
      if (round >= warmup) samples[i].push(r.ms);
    });
  }
  return commands.map((c, i) => {
    const s = summarize(samples[i]);
    const rss = c.rss === false ? undefined : c.steps ? undefined : peakRss(c.cmd, c.args, c);
    return { name: c.name, ...s, rssKb: rss, bytes: c.bytes };
  });
}

function checkStatus(c, r) {
  const ok = c.expect === undefined ? [0] : [].concat(c.expect);
  if (!ok.includes(r.status)) {
    throw new Error(`${c.name ?? c.cmd}: exit ${r.status}, expected ${ok.join(' or ')}\n${r.stderr.slice(0, 2000)}`);
  }
}

export function formatMs(ms) {
  return ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(1)} ms`;
}

export function printTable(title, results) {
  console.log(`\n## ${title}\n`);
  console.log('| command | median | min–max | MB/s | peak RSS |');
  console.log('|---|---:|---:|---:|---:|');
  for (const r of results) {
    const mbs = r.bytes ? (r.bytes / 1e6 / (r.median / 1000)).toFixed(1) : '';
    const rss = r.rssKb ? `${(r.rssKb / 1024).toFixed(0)} MB` : '';
    console.log(`| ${r.name} | ${formatMs(r.median)} | ${formatMs(r.min)}–${formatMs(r.max)} | ${mbs} | ${rss} |`);
  }
}

/** Prints `name: value (target)` and returns whether it is met. */
export function printRatio(label, value, target, unit = '×') {
  const met = value <= target;
  console.log(`- ${label}: ${unit === '×' ? value.toFixed(2) + '×' : formatMs(value)} (target ≤ ${unit === '×' ? target + '×' : formatMs(target)}) ${met ? 'MET' : 'NOT MET'}`);
  return met;
}

// ---------------------------------------------------------------------------
// Other scanners (optional)
// ---------------------------------------------------------------------------

/**
 * Other tools, where installed: on PATH, or in BENCH_TOOLS (default /tmp/bench-tools,
 * a folder outside the repository: `npm install --no-save --prefix /tmp/bench-tools gitleaks secretlint
 * @secretlint/secretlint-rule-preset-recommend`).
 */
export function findTool(name) {
  const dirs = [path.join(process.env.BENCH_TOOLS ?? '/tmp/bench-tools', 'node_modules', '.bin'), ...(process.env.PATH ?? '').split(path.delimiter)];
  for (const dir of dirs) {
    const file = path.join(dir, name);
    if (dir && existsSync(file)) return file;
  }
  return undefined;
}

export function readJson(file) {
  return JSON.parse(readFileSync(file, 'utf8'));
}

export { pathToFileURL };

/** Staged paths that still exist (added, copied, modified, renamed…: deleted files left out). */
export function stagedFiles(root) {
  return git(root, 'diff', '--cached', '--name-only', '-z', '--diff-filter=d').split('\0').filter(Boolean);
}

/** Bytes of the staged change as the scanners see it (`git diff --cached -U0`). */
export function diffBytes(root) {
  return Buffer.byteLength(git(root, 'diff', '--cached', '-U0'));
}

/**
 * gitleaks over the output of a shell command (`producer | gitleaks stdin`): the npm
 * build is WebAssembly and cannot spawn git itself ("pipe: not implemented on js").
 * Peak RSS, where measured, is that of the pipeline's largest process.
 */
export function gitleaksStdinCommand(gitleaks, producer, { name, cwd, env = cleanEnv(), rss } = {}) {
  return {
    name: name ?? `gitleaks stdin (wasm) < ${producer}`,
    cmd: 'sh',
    args: ['-c', `${producer} | "${gitleaks}" stdin --no-banner --log-level error`],
    cwd, env, expect: [0, 1], rss,
  };
}

/**
 * A secretlint config (preset-recommend) in a temp folder outside the scanned
 * repository; the caller removes `dir` when done.
 */
export function secretlintConfig() {
  const dir = tempDir('secretlint');
  const file = path.join(dir, '.secretlintrc.json');
  writeFileSync(file, JSON.stringify({ rules: [{ id: '@secretlint/secretlint-rule-preset-recommend' }] }));
  return { dir, file };
}

/** secretlint over the given files, with a config from secretlintConfig(). */
export function secretlintCommand(secretlint, configFile, files, { name = 'secretlint <staged files>', cwd, env = cleanEnv() } = {}) {
  return { name, cmd: secretlint, args: ['--secretlintrc', configFile, ...files], cwd, env, expect: [0, 1] };
}

/**
 * The floor a staged scan is measured against, as three timed rows: `node -e 0`,
 * `git diff --cached -U0`, and both in sequence (the third row is the floor).
 */
export function stagedFloorCommands(root, env = cleanEnv()) {
  const nodeStep = { cmd: process.execPath, args: ['-e', '0'], env };
  const gitStep = { cmd: 'git', args: ['diff', '--cached', '-U0'], cwd: root, env };
  return [
    { name: 'node -e 0', ...nodeStep },
    { name: 'git diff --cached -U0', ...gitStep },
    { name: 'floor: node -e 0 + git diff --cached -U0', steps: [nodeStep, gitStep], floor: true },
  ];
}
