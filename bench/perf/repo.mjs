#!/usr/bin/env node
// leakguard performance on a real repository (issue 6, target 5). Builds the
// scenarios from any repository given as an argument — a work tree or a bare
// mirror, never modified: everything happens in a temp clone sharing its objects —
// times the built CLI against the floor (node, git) and the other scanners where
// installed, and prints the ratios.
//
//   npm run build && node bench/perf/repo.mjs <path-to-repo> [--runs 5] [--only typical,large,tree,history]
//        [--history-runs N]   runs of the history scenario (default: --runs; a large history takes minutes a run)
//        [--all-refs]         clone every ref of the source (pull-request refs of a mirror…), not only branches and tags
//        [--commit SHA]       the typical commit instead of the newest matching one on HEAD
//        [--large-files 500]  files the large range must touch
//        [--large-mb 0]       and MB of `git diff -U0` it must have (0: no minimum)
//        [--keep]             keep the temp clone
import { spawnSync } from 'node:child_process';
import { existsSync, lstatSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import {
  replaceMissingBlobs,
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
  tempDir,
  timeCommands,
  HISTORY_FLOOR_ARGS,
  timeHistory,
  baseRows,
} from './lib.mjs';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    runs: { type: 'string', default: '5' },
    'history-runs': { type: 'string' },
    only: { type: 'string' },
    'all-refs': { type: 'boolean', default: false },
    commit: { type: 'string' },
    'large-files': { type: 'string', default: '500' },
    'large-mb': { type: 'string', default: '0' },
    keep: { type: 'boolean', default: false },
    // Other scanners to time where installed (default: all); `--tools none` times leakguard only.
    tools: { type: 'string' },
    // Snapshots may lack some large blobs: stand an empty blob in for each (git replace), so git log can run.
    'replace-missing': { type: 'boolean', default: false },
  },
});
const SCENARIOS = ['typical', 'large', 'tree', 'history'];
const usage =
  'usage: node bench/perf/repo.mjs <path-to-repo> [--runs 5] [--history-runs N] [--only typical,large,tree,history] [--all-refs] [--commit SHA] [--large-files 500] [--large-mb 0] [--tools gitleaks,secretlint,git-secrets,detect-secrets|none] [--replace-missing] [--keep]';
if (positionals.length !== 1) {
  console.error(usage);
  process.exit(2);
}
const source = path.resolve(positionals[0]);
const runs = Math.max(1, Number(values.runs) || 1);
const historyRuns = Math.max(1, Number(values['history-runs'] ?? runs) || 1);
const largeFiles = Math.max(1, Number(values['large-files']) || 500);
const largeBytes = Math.max(0, Number(values['large-mb']) || 0) * 1e6;
const only = values.only ? new Set(values.only.split(',')) : undefined;
for (const name of only ?? []) {
  if (!SCENARIOS.includes(name)) {
    console.error(`bench: unknown scenario "${name}" (${SCENARIOS.join(', ')})\n${usage}`);
    process.exit(2);
  }
}
const wanted = (name) => !only || only.has(name);
if (
  !CLI ||
  (!existsSync(path.join(path.dirname(CLI), '..', 'dist', 'cli.cjs')) && !existsSync(path.join(path.dirname(CLI), '..', 'dist', 'cli.js')))
) {
  console.error('bench: build first (npm run build)');
  process.exit(2);
}
const isRepo = spawnSync('git', ['-C', source, 'rev-parse', '--git-dir'], { env: cleanEnv(), stdio: 'ignore' });
if (isRepo.status !== 0) {
  console.error(`bench: not a git repository: ${source}`);
  process.exit(2);
}

const node = process.execPath;
const env = cleanEnv();
const toolWanted = (name) => !values.tools || values.tools.split(',').includes(name);
const tool = (name, binary = name) => (toolWanted(name) ? findTool(binary) : undefined);
const tools = {
  gitleaks: tool('gitleaks'),
  secretlint: tool('secretlint'),
  gitSecrets: tool('git-secrets'),
  // Yelp's detect-secrets (Python): `detect-secrets scan` for a tree, `detect-secrets-hook FILE…` for staged files.
  detectSecrets: tool('detect-secrets'),
  detectSecretsHook: tool('detect-secrets', 'detect-secrets-hook'),
};
const verdicts = [];
const findingCounts = [];

// ---------------------------------------------------------------------------
// The temp clone
// ---------------------------------------------------------------------------

const tmp = tempDir('repo');
const root = path.join(tmp, 'clone');
let secretlintRc;
const cleanup = () => {
  if (values.keep) return;
  removeDir(tmp);
  if (secretlintRc) removeDir(secretlintRc.dir);
};
process.on('SIGINT', () => {
  cleanup();
  process.exit(130);
});

function cloneSource() {
  // --shared: the clone borrows the source's objects (alternates) and never writes to it.
  if (values['all-refs']) {
    // Every ref of the source, under its own name (a mirror's refs/pull/* included), then made a work tree.
    git(tmp, 'clone', '-q', '--mirror', '--shared', source, path.join(root, '.git'));
    git(root, 'config', 'core.bare', 'false');
  } else {
    // Branches (as refs/remotes/origin/*) and tags: what an ordinary clone has.
    git(tmp, 'clone', '-q', '--no-checkout', '--shared', source, root);
  }
  git(root, 'config', 'gc.auto', '0');
  git(root, 'config', 'commit.gpgsign', 'false');
  git(root, 'config', 'advice.detachedHead', 'false');
  if (values['replace-missing']) {
    const replaced = replaceMissingBlobs(root);
    if (replaced) console.log(`(replaced ${replaced} objects missing from the snapshot by the empty blob)`);
  }
}

/** A clean checkout of `rev`, detached. */
function checkout(rev) {
  git(root, 'checkout', '-q', '-f', '--detach', rev);
  git(root, 'clean', '-q', '-f', '-d', '-x');
}

/** Stages the change `from..to` on top of `from`: HEAD = from, index and work tree = to. */
function stageChange(from, to) {
  checkout(to);
  git(root, 'reset', '-q', '--soft', from);
}

const short = (sha) => sha.slice(0, 12);
const subject = (rev) => git(root, 'log', '-1', '--format=%s', rev).trim();
const mb = (bytes) => `${(bytes / 1e6).toFixed(bytes < 1e6 ? 2 : 1)} MB`;

/**
 * The newest non-merge commit on HEAD with 5–15 changed files, 300–800 added lines
 * and no binary file (deterministic: `git log` order).
 */
function pickTypicalCommit(head) {
  const batch = 500;
  for (let skip = 0; skip < 20000; skip += batch) {
    const out = git(root, 'log', '--no-merges', '--numstat', '--format=%x01%H', `--skip=${skip}`, '-n', String(batch), head);
    const commits = out.split('\x01').slice(1);
    for (const block of commits) {
      const [sha, ...lines] = block.split('\n');
      const stats = lines.filter(Boolean).map((l) => l.split('\t'));
      if (stats.length < 5 || stats.length > 15 || stats.some(([a]) => a === '-')) continue;
      const added = stats.reduce((n, [a]) => n + Number(a), 0);
      if (added >= 300 && added <= 800 && git(root, 'rev-list', '--parents', '-n', '1', sha).trim().split(' ').length === 2) {
        return { sha, files: stats.length, added };
      }
    }
    if (commits.length < batch) break;
  }
  throw new Error('no commit on HEAD with 5–15 files and 300–800 added lines: pass --commit SHA');
}

/**
 * The shortest first-parent range HEAD~N..HEAD whose cumulative diff touches at
 * least `minFiles` files and has at least `minBytes` of `git diff -U0` (doubling,
 * then bisection on N).
 */
function pickLargeRange(head, minFiles, minBytes) {
  const depth = Number(git(root, 'rev-list', '--first-parent', '--count', head).trim()) - 1;
  const touched = (n) => git(root, 'diff', '--no-renames', '--name-only', '-z', `${head}~${n}`, head).split('\0').filter(Boolean).length;
  const big = (n) => touched(n) >= minFiles && (!minBytes || Buffer.byteLength(git(root, 'diff', '-U0', `${head}~${n}`, head)) >= minBytes);
  let hi = Math.min(depth, 1);
  while (hi < depth && !big(hi)) hi = Math.min(depth, hi * 2);
  let lo = Math.floor(hi / 2);
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (big(mid)) hi = mid;
    else lo = mid;
  }
  return { from: git(root, 'rev-parse', `${head}~${hi}`).trim(), n: hi, files: touched(hi) };
}

/** Regular files of the checkout, as tracked (symlinks and submodules left out), and their bytes. */
function trackedFiles() {
  const files = git(root, 'ls-files', '-z').split('\0').filter(Boolean);
  const regular = [];
  let bytes = 0;
  for (const f of files) {
    const st = lstatSync(path.join(root, f), { throwIfNoEntry: false });
    if (st?.isFile()) {
      regular.push(f);
      bytes += st.size;
    }
  }
  return { files: regular, bytes };
}

// ---------------------------------------------------------------------------
// leakguard's findings (one untimed JSON run per scenario)
// ---------------------------------------------------------------------------

function reportFindings(scenario, scanArgs) {
  const r = spawnSync(node, [CLI, 'scan', ...scanArgs, '--format', 'json'], { cwd: root, env, maxBuffer: 1 << 30 });
  if (r.status !== 0 && r.status !== 1) {
    console.log(`- leakguard ${scanArgs.join(' ')} --format json: exit ${r.status}: ${r.stderr.toString().slice(0, 500)}`);
    findingCounts.push([scenario, `error (exit ${r.status})`]);
    return;
  }
  const { findings } = JSON.parse(r.stdout.toString());
  findingCounts.push([scenario, findings.length]);
  console.log(`- leakguard findings: ${findings.length}${findings.length ? ' (rule: count — files; values not shown)' : ''}`);
  const byRule = new Map();
  for (const f of findings) {
    const entry = byRule.get(f.ruleId) ?? { count: 0, files: new Set() };
    entry.count++;
    entry.files.add(f.file);
    byRule.set(f.ruleId, entry);
  }
  for (const [rule, { count, files }] of [...byRule].sort((a, b) => b[1].count - a[1].count)) {
    const list = [...files];
    console.log(`  - ${rule}: ${count} — ${list.slice(0, 5).join(', ')}${list.length > 5 ? `, … (${list.length} files)` : ''}`);
  }
}

/** `X× leakguard` for every other scanner of a table. */
function printOthers(results, leakguard) {
  for (const other of results.filter((r) => r.other)) {
    console.log(`- ${other.name}: ${(other.median / leakguard.median).toFixed(1)}× leakguard`);
  }
}

const other = (command) => ({ ...command, other: true });

/** The other scanners over the staged change, where installed. */
function stagedOthers() {
  const commands = [];
  const files = stagedFiles(root);
  if (tools.gitleaks) commands.push(other(gitleaksStdinCommand(tools.gitleaks, 'git diff --cached -U0', { cwd: root, env })));
  if (tools.secretlint) {
    secretlintRc ??= secretlintConfig();
    commands.push(other(secretlintCommand(tools.secretlint, secretlintRc.file, files, { cwd: root, env })));
  }
  if (tools.gitSecrets) {
    // What its pre-commit hook runs: git grep --cached over the staged files.
    commands.push(
      other({
        name: 'git secrets --pre_commit_hook (staged files)',
        cmd: 'git',
        args: ['secrets', '--pre_commit_hook'],
        cwd: root,
        env,
        expect: [0, 1],
      }),
    );
  }
  if (tools.detectSecretsHook) {
    commands.push(
      other({ name: 'detect-secrets-hook <staged files>', cmd: tools.detectSecretsHook, args: files, cwd: root, env, expect: [0, 1] }),
    );
  }
  return commands;
}

/**
 * timeCommands, with each row tagged as the command's (leakguard, floor or another
 * scanner); the other scanners get the scenario's bytes too (MB/s of the same input).
 */
function time(commands, opts) {
  const bytes = commands.find((c) => c.leakguard)?.bytes;
  return timeCommands(
    commands.map((c) => (c.other && c.bytes === undefined ? { ...c, bytes } : c)),
    opts,
  ).map((r, i) => ({ ...r, leakguard: commands[i].leakguard, floor: commands[i].floor, other: commands[i].other }));
}

// ---------------------------------------------------------------------------
// Run
// ---------------------------------------------------------------------------

try {
  console.log(`# leakguard performance on a real repository — ${new Date().toISOString()}`);
  console.log(
    `node ${process.version}, ${os.cpus().length} cores, ${git(process.cwd(), '--version').trim()}; ${runs} runs each (history: ${historyRuns}), median after 1 warm-up round`,
  );
  console.log(`CLI: ${path.relative(process.cwd(), CLI)}`);
  const shown = (name, found) => found ?? (toolWanted(name) ? 'not installed' : 'not timed (--tools)');
  console.log(
    `other scanners: gitleaks ${shown('gitleaks', tools.gitleaks)}; secretlint ${shown('secretlint', tools.secretlint)}; ` +
      `git-secrets ${shown('git-secrets', tools.gitSecrets)}; detect-secrets ${shown('detect-secrets', tools.detectSecrets)}`,
  );

  cloneSource();
  const head = git(root, 'rev-parse', 'HEAD').trim();
  const commits = git(root, 'rev-list', '--all', '--count').trim();
  const onHead = git(root, 'rev-list', '--count', head).trim();
  console.log(`source: ${source}`);
  console.log(
    `temp clone: ${root} (${values['all-refs'] ? 'every ref' : 'branches and tags'}): ${commits} commits in all, ${onHead} on HEAD ${short(head)} "${subject(head)}"`,
  );
  if (tools.gitSecrets) git(root, 'secrets', '--register-aws');

  // 1. Typical commit: a real one, staged on its parent ------------------------
  if (wanted('typical')) {
    const picked = values.commit
      ? (() => {
          const sha = git(root, 'rev-parse', '--verify', `${values.commit}^{commit}`).trim();
          const stats = git(root, 'diff', '--numstat', `${sha}^`, sha)
            .trim()
            .split('\n')
            .filter(Boolean)
            .map((l) => l.split('\t'));
          return { sha, files: stats.length, added: stats.reduce((n, [a]) => n + (Number(a) || 0), 0) };
        })()
      : pickTypicalCommit(head);
    stageChange(`${picked.sha}^`, picked.sha);
    console.log(
      `\n(typical: commit ${short(picked.sha)} "${subject(picked.sha)}": ${picked.files} files, +${picked.added} lines, staged on its parent)`,
    );
    const bytes = diffBytes(root);
    const results = time(
      [
        ...stagedFloorCommands(root, env),
        {
          name: 'leakguard scan --staged',
          cmd: node,
          args: [CLI, 'scan', '--staged'],
          cwd: root,
          env,
          expect: [0, 1],
          bytes,
          leakguard: true,
        },
        ...stagedOthers(),
      ],
      { runs },
    );
    printTable(`Typical commit ${short(picked.sha)}: ${picked.files} files, +${picked.added} lines (${mb(bytes)} of diff)`, results);
    const leakguard = results.find((r) => r.leakguard);
    verdicts.push([
      'typical: scan --staged / (node -e 0 + git diff)',
      printRatio('leakguard / floor', leakguard.median / results.find((r) => r.floor).median, 1.3),
    ]);
    printOthers(results, leakguard);
    reportFindings('typical', ['--staged']);
  }

  // 2. Large change: a range of real commits ------------------------------------
  if (wanted('large')) {
    const range = pickLargeRange(head, largeFiles, largeBytes);
    stageChange(range.from, head);
    const bytes = diffBytes(root);
    console.log(
      `\n(large: ${short(range.from)}..${short(head)} = HEAD~${range.n}..HEAD, ${range.files} files touched, staged on HEAD~${range.n})`,
    );
    const results = time(
      [
        { name: 'git diff --cached -U0', cmd: 'git', args: ['diff', '--cached', '-U0'], cwd: root, env, bytes },
        {
          name: 'leakguard scan --staged',
          cmd: node,
          args: [CLI, 'scan', '--staged'],
          cwd: root,
          env,
          expect: [0, 1],
          bytes,
          leakguard: true,
        },
        ...stagedOthers(),
      ],
      { runs },
    );
    printTable(`Large change HEAD~${range.n}..HEAD: ${range.files} files (${mb(bytes)} of diff)`, results);
    const leakguard = results.find((r) => r.leakguard);
    verdicts.push([
      `large: ${range.files} files / ${mb(bytes)} staged ≤ 0.3 s`,
      printRatio('leakguard scan --staged', leakguard.median, 300, 'ms'),
    ]);
    console.log(
      `- leakguard: ${(bytes / 1e6 / (leakguard.median / 1000)).toFixed(1)} MB/s of diff, ${(leakguard.median / results[0].median).toFixed(2)}× git diff --cached -U0 (information: git's own share of a real, packed repository)`,
    );
    printOthers(results, leakguard);
    reportFindings('large', ['--staged']);
  }

  // 3. Working tree: HEAD checked out ----------------------------------------------
  if (wanted('tree')) {
    checkout(head);
    const { files, bytes } = trackedFiles();
    const others = [];
    if (tools.gitleaks)
      others.push(
        other({
          name: 'gitleaks dir . (wasm)',
          cmd: tools.gitleaks,
          args: ['dir', '.', '--no-banner', '--log-level', 'error'],
          cwd: root,
          env,
          expect: [0, 1],
        }),
      );
    if (tools.secretlint) {
      secretlintRc ??= secretlintConfig();
      others.push(
        other(secretlintCommand(tools.secretlint, secretlintRc.file, files, { name: 'secretlint <tracked files>', cwd: root, env })),
      );
    }
    if (tools.gitSecrets)
      others.push(
        other({ name: 'git secrets --scan (tracked files)', cmd: 'git', args: ['secrets', '--scan'], cwd: root, env, expect: [0, 1] }),
      );
    if (tools.detectSecrets)
      others.push(other({ name: 'detect-secrets scan', cmd: tools.detectSecrets, args: ['scan'], cwd: root, env, expect: [0] }));
    const results = time(
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
        { name: 'leakguard scan .', cmd: node, args: [CLI, 'scan', '.'], cwd: root, env, expect: [0, 1], bytes, leakguard: true },
        ...others,
      ],
      { runs },
    );
    printTable(`Working tree at HEAD: ${files.length} files, ${mb(bytes)}`, results);
    const leakguard = results.find((r) => r.leakguard);
    // Information only: the 1 s target is for 5,000 files / 40 MB, and repositories differ in size.
    printRatio(`leakguard scan . (${files.length} files, ${mb(bytes)}; information only)`, leakguard.median, 1000, 'ms');
    verdicts.push([
      `tree: ${files.length} files / ${mb(bytes)} — ${(leakguard.median / 1000).toFixed(2)} s (information only; the ≤ 1 s target is for 5,000 files / 40 MB)`,
      null,
    ]);
    printOthers(results, leakguard);
    reportFindings('tree', ['.']);
  }

  // 4. History ---------------------------------------------------------------------
  if (wanted('history')) {
    checkout(head);
    const logCommand = `git ${HISTORY_FLOOR_ARGS.join(' ')}`;
    const extra = [...baseRows()];
    if (tools.gitleaks)
      extra.push({
        ...gitleaksStdinCommand(tools.gitleaks, logCommand, { name: `gitleaks stdin (wasm) < ${logCommand}` }),
        expect: [0, 1],
      });
    if (tools.gitSecrets)
      extra.push({ name: 'git secrets --scan-history', cmd: 'git', args: ['secrets', '--scan-history'], expect: [0, 1] });
    const { wall, cpu, rssMb } = await timeHistory(root, { runs: historyRuns, env, title: `History: ${commits} commits`, extra });
    verdicts.push([`history (${commits} commits): scan --history / ${logCommand}, wall`, printRatio('wall ratio', wall, 1.0)]);
    verdicts.push([`history (${commits} commits): CPU time ratio`, printRatio('CPU ratio', cpu, 1.5)]);
    verdicts.push([`history (${commits} commits): peak RSS ≤ 200 MB`, printRatio('peak RSS', rssMb, 200, 'MB')]);
    reportFindings('history', ['--history']);
  }

  console.log('\n## Targets\n');
  for (const [name, met] of verdicts) console.log(`- ${met === null ? 'INFO   ' : met ? 'MET    ' : 'NOT MET'} ${name}`);
  console.log('\n## leakguard findings\n');
  for (const [scenario, count] of findingCounts) console.log(`- ${scenario}: ${count}`);
} finally {
  if (values.keep) console.log(`\nkept: ${root}${secretlintRc ? ` ${secretlintRc.dir}` : ''}`);
  cleanup();
}
