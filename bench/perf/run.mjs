#!/usr/bin/env node
// leakguard performance benchmark (issue 6). Builds each scenario in a temp
// repository, times the built CLI against the floor (node, git) and other
// scanners where installed, and prints the target ratios.
//
//   npm run build && node bench/perf/run.mjs [--runs 5] [--only typical,commit,push,large,huge,tree,history,small]
//                                           [--repo PATH]   history of this repository instead of a synthetic one
//                                           [--commits N]   size of the synthetic history (default 3000)
//                                           [--small-commits N]  size of the `small` scenario (default 20000)
//                                           [--keep]        keep the temp repositories
import { spawnSync } from 'node:child_process';
import { existsSync, writeFileSync, chmodSync, mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import {
  CLI,
  cleanEnv,
  diffBytes,
  findTool,
  git,
  gitleaksStdinCommand,
  printRatio,
  printTable,
  removeDir,
  secretlintCommand,
  secretlintConfig,
  stagedFiles,
  stagedFloorCommands,
  timeCommands,
  timeHistory,
  baseRows,
} from './lib.mjs';
import { hugeFile, largeCommit, smallCommitHistory, syntheticHistory, typicalCommit, unpushedCommits, workingTree } from './scenarios.mjs';

const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '5' },
    only: { type: 'string' },
    repo: { type: 'string' },
    commits: { type: 'string', default: '3000' },
    'small-commits': { type: 'string', default: '20000' },
    keep: { type: 'boolean', default: false },
  },
});
const runs = Math.max(1, Number(values.runs));
const only = values.only ? new Set(values.only.split(',')) : undefined;
const wanted = (name) => !only || only.has(name);
if (
  !CLI ||
  (!existsSync(path.join(path.dirname(CLI), '..', 'dist', 'cli.cjs')) && !existsSync(path.join(path.dirname(CLI), '..', 'dist', 'cli.js')))
) {
  console.error('bench: build first (npm run build)');
  process.exit(2);
}

const node = process.execPath;
const env = cleanEnv();
const gitleaks = findTool('gitleaks');
const secretlint = findTool('secretlint');
const cleanup = [];
const verdicts = [];

console.log(`# leakguard performance — ${new Date().toISOString()}`);
console.log(
  `node ${process.version}, ${(await import('node:os')).cpus().length} cores, ${git(process.cwd(), '--version').trim()}; ${runs} runs each (median, after 1 warm-up round)`,
);
console.log(`CLI: ${path.relative(process.cwd(), CLI)}; gitleaks: ${gitleaks ?? 'not found'}; secretlint: ${secretlint ?? 'not found'}`);

/** Other scanners over the staged change, where installed. */
function otherTools(root, files) {
  const commands = [];
  if (gitleaks)
    commands.push(
      gitleaksStdinCommand(gitleaks, 'git diff --cached -U0', {
        name: 'gitleaks stdin (wasm) < git diff --cached',
        cwd: root,
        env,
        rss: false,
      }),
    );
  if (secretlint) {
    const config = secretlintConfig();
    cleanup.push(config.dir);
    commands.push(secretlintCommand(secretlint, config.file, files, { cwd: root, env }));
  }
  return commands;
}

/** One more row for LEAKGUARD_BENCH_BASE_CLI (another build), timed in the same rounds: a before/after comparison. */
function baseCli(row) {
  const base = process.env.LEAKGUARD_BENCH_BASE_CLI;
  if (!base) return [];
  // Its own TMPDIR, so each build keeps its own code cache (bin/leakguard.cjs keeps one
  // cache file, for the build that last wrote it: alternating builds would miss every time).
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'lg-bench-base-'));
  cleanup.push(tmp);
  const r = row(path.resolve(base));
  return [{ ...r, env: { ...r.env, TMPDIR: tmp } }];
}

/** leakguard's row and, with LEAKGUARD_BENCH_BASE_CLI, the same command on the base build beside it, named `<label> (base: <path>)`. */
function withBase(label, row) {
  return [row, ...baseCli((base) => ({ ...row, name: `${label} (base: ${base})`, args: [base, ...row.args.slice(1)] }))];
}

/** `leakguard scan --staged` in `root` (a key is staged: exit 1), with the base build's row. */
function stagedScan(root, env, bytes) {
  const row = { name: 'leakguard scan --staged', cmd: node, args: [CLI, 'scan', '--staged'], cwd: root, env, expect: 1, bytes };
  return withBase('leakguard scan --staged', row);
}

// 1. Typical commit ----------------------------------------------------------
if (wanted('typical')) {
  const root = typicalCommit();
  cleanup.push(root);
  const bytes = diffBytes(root);
  const results = timeCommands(
    [...stagedFloorCommands(root, env), ...stagedScan(root, env, bytes), ...otherTools(root, stagedFiles(root))],
    { runs },
  );
  printTable(`Typical commit: 10 files, 500 added lines, 3 keys (${(bytes / 1024).toFixed(0)} KB of diff)`, results);
  const floor = results[2].median;
  verdicts.push(['typical: scan --staged / (node -e 0 + git diff)', printRatio('leakguard / floor', results[3].median / floor, 1.25)]);
  const others = results.slice(4);
  if (process.env.LEAKGUARD_BENCH_BASE_CLI) console.log(`- base / floor: ${(others.shift().median / floor).toFixed(3)}×`);
  for (const other of others) console.log(`- ${other.name}: ${(other.median / results[3].median).toFixed(1)}× leakguard`);
}

// 1b. git commit with and without the hook ----------------------------------
if (wanted('commit')) {
  const root = typicalCommit({ keys: false });
  cleanup.push(root);
  const hook = path.join(root, '.git', 'hooks', 'pre-commit');
  writeFileSync(hook, `#!/bin/sh\nexec "${node}" "${CLI}" scan --staged\n`);
  chmodSync(hook, 0o755);
  // Each timed commit is undone (untimed) so every round commits the same change.
  const undo = () => git(root, 'reset', '-q', '--soft', 'HEAD~1');
  const results = [];
  for (const [name, extra] of [
    ['git commit --no-verify (no hook)', ['--no-verify']],
    ['git commit (leakguard hook)', []],
  ]) {
    const samples = [];
    for (let i = 0; i < runs + 1; i++) {
      const started = process.hrtime.bigint();
      const r = spawnSync('git', ['commit', '-q', '-m', 'bench', ...extra], { cwd: root, env, stdio: 'ignore' });
      if (r.status !== 0) throw new Error(`git commit ${extra.join(' ')}: exit ${r.status}`);
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      undo();
      if (i > 0) samples.push(ms);
    }
    samples.sort((a, b) => a - b);
    results.push({ name, median: samples[samples.length >> 1], min: samples[0], max: samples[samples.length - 1] });
  }
  printTable('git commit of the typical change (no keys), with and without the hook', results);
  console.log(`- the hook adds ${(results[1].median - results[0].median).toFixed(0)} ms to a commit`);
}

// 1c. git push of 10 commits: the pre-push hook's scan ----------------------
if (wanted('push')) {
  const { root, remote, input, range } = unpushedCommits();
  cleanup.push(root, remote);
  const nodeStep = { cmd: node, args: ['-e', '0'], env };
  const logStep = { cmd: 'git', args: ['log', '-p', range], cwd: root, env };
  const results = timeCommands(
    [
      { name: 'node -e 0', ...nodeStep },
      { name: `git log -p (10 commits)`, ...logStep },
      { name: 'floor: node -e 0 + git log -p', steps: [nodeStep, logStep] },
      ...withBase('leakguard pre-push', {
        name: 'leakguard pre-push (10 commits on stdin)',
        cmd: node,
        args: [CLI, 'pre-push', 'origin', remote],
        cwd: root,
        env,
        input,
      }),
    ],
    { runs },
  );
  printTable('git push of 10 commits (3 files, ~150 added lines each): the pre-push scan', results);
  verdicts.push(['push: pre-push / (node -e 0 + git log -p)', printRatio('leakguard / floor', results[3].median / results[2].median, 1.3)]);
  if (results[4]) console.log(`- base / floor: ${(results[4].median / results[2].median).toFixed(3)}×`);
}

// 2. Large commit ------------------------------------------------------------
if (wanted('large')) {
  const root = largeCommit();
  cleanup.push(root);
  const bytes = diffBytes(root);
  const results = timeCommands(
    [
      { name: 'git diff --cached -U0', cmd: 'git', args: ['diff', '--cached', '-U0'], cwd: root, env, bytes },
      ...stagedScan(root, env, bytes),
      ...otherTools(root, stagedFiles(root)),
    ],
    { runs },
  );
  printTable(`Large commit: 500 files, 90,000 added lines (${(bytes / 1e6).toFixed(1)} MB of diff)`, results);
  if (process.env.LEAKGUARD_BENCH_BASE_CLI) console.log(`- leakguard / base: ${(results[1].median / results[2].median).toFixed(3)}×`);
  verdicts.push(['large: 3 MB staged ≤ 0.3 s', printRatio('leakguard scan --staged', results[1].median, 300, 'ms')]);
}

// 2b. One 50 MB file of 1 MB lines --------------------------------------------
if (wanted('huge')) {
  const { root, bytes } = hugeFile();
  cleanup.push(root);
  const results = timeCommands(
    [
      { name: 'git diff --cached -U0', cmd: 'git', args: ['diff', '--cached', '-U0'], cwd: root, env, bytes },
      { name: 'leakguard scan --staged', cmd: node, args: [CLI, 'scan', '--staged'], cwd: root, env, expect: [0, 1], bytes },
    ],
    { runs },
  );
  printTable('One generated file: 50 MB, 1 MB lines', results);
  verdicts.push(['huge: 50 MB file ≤ 1 s', printRatio('leakguard scan --staged', results[1].median, 1000, 'ms')]);
  console.log(
    `- peak RSS ${(results[1].rssKb / 1024).toFixed(0)} MB for a ${(bytes / 1e6).toFixed(0)} MB file (streamed: must stay well below the file size × 2 bytes/char)`,
  );
}

// 4. Working tree ---------------------------------------------------------------
if (wanted('tree')) {
  const { root, bytes } = workingTree();
  cleanup.push(root);
  const results = timeCommands(
    [
      { name: 'git ls-files', cmd: 'git', args: ['ls-files'], cwd: root, env },
      {
        name: 'cat of every file (git ls-files -z | xargs -0 cat)',
        cmd: 'sh',
        args: ['-c', 'git ls-files -z | xargs -0 cat > /dev/null'],
        cwd: root,
        env,
        bytes,
        rss: false,
      },
      ...withBase('leakguard scan .', {
        name: 'leakguard scan .',
        cmd: node,
        args: [CLI, 'scan', '.'],
        cwd: root,
        env,
        expect: [0, 1],
        bytes,
      }),
    ],
    { runs },
  );
  printTable(`Working tree: 5,000 files, ${(bytes / 1e6).toFixed(0)} MB`, results);
  if (process.env.LEAKGUARD_BENCH_BASE_CLI) console.log(`- leakguard / base: ${(results[2].median / results[3].median).toFixed(3)}×`);
  verdicts.push(['tree: 5,000 files / 40 MB ≤ 1 s', printRatio('leakguard scan .', results[2].median, 1000, 'ms')]);
}

// 3. History -------------------------------------------------------------------
/** scan --history beside `git log -p -U0 --all` read through a pipe: wall, CPU time and peak RSS (lib.mjs timeHistory). */
async function historyScenario(name, root, title) {
  const commits = git(root, 'rev-list', '--all', '--count').trim();
  const { wall, cpu, rssMb } = await timeHistory(root, { runs, env, title: `${title}: ${commits} commits`, extra: baseRows() });
  verdicts.push([`${name}: scan --history / git log -p -U0 --all, wall`, printRatio('wall ratio', wall, 1.0)]);
  verdicts.push([`${name}: scan --history / git log -p -U0 --all, CPU time`, printRatio('CPU ratio', cpu, 1.5)]);
  verdicts.push([`${name}: peak RSS ≤ 200 MB`, printRatio('peak RSS', rssMb, 200, 'MB')]);
}

if (wanted('history')) {
  let root = values.repo ? path.resolve(values.repo) : undefined;
  if (!root) {
    console.log(`\n(generating a synthetic history of ${values.commits} commits…)`);
    root = syntheticHistory({ commits: Number(values.commits) });
    cleanup.push(root);
  }
  await historyScenario('history', root, `History (${root === values.repo ? root : 'synthetic'})`);
}

// 3b. Many small commits (issue 17) ------------------------------------------------
if (wanted('small')) {
  const commits = Number(values['small-commits']);
  console.log(`\n(generating ${commits} small commits with git fast-import…)`);
  const root = smallCommitHistory({ commits });
  cleanup.push(root);
  await historyScenario('small commits', root, 'Many small commits: 1–3 changed lines in 1–2 files each');
}

console.log('\n## Targets\n');
for (const [name, met] of verdicts) console.log(`- ${met ? 'MET    ' : 'NOT MET'} ${name}`);
if (!values.keep) for (const dir of cleanup) removeDir(dir);
else console.log(`\nkept: ${cleanup.join(' ')}`);
