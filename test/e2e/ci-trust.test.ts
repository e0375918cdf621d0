import { afterEach, describe, expect, test } from '@jest/globals';
import { chmodSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { CLI, cleanEnv, makeTempDir, TempRepo } from '../helpers/repo.js';
import { openaiKey } from '../helpers/keys.js';

/**
 * What a CI scan of a pull request trusts. `scan --range base..head` reads
 * .leakguard.json and the baseline from the base commit, so a pull request cannot
 * allowlist its own key; it reports that the range changes them (stderr in every
 * format, a ::warning annotation with --format github, `stats.notices` in JSON);
 * `--trust-head-config` restores the checked-out files. Real repositories, the built CLI.
 */
const cleanup: Array<() => void> = [];
afterEach(() => cleanup.splice(0).forEach((fn) => fn()));

const keys = new Set<string>();
const outputs: string[] = [];

function key(seed: string): string {
  const k = openaiKey(`ci-trust-${seed}`);
  keys.add(k);
  return k;
}

function repo(): TempRepo {
  const r = new TempRepo();
  cleanup.push(() => r.remove());
  return r;
}

function run(r: TempRepo, args: string[]): SpawnSyncReturns<string> {
  const result = r.cli(args);
  outputs.push(result.stdout, result.stderr);
  return result;
}

function commitFiles(r: TempRepo, files: Record<string, string>, message: string): string {
  for (const [file, content] of Object.entries(files)) r.write(file, content);
  r.git('add', '-A');
  return r.commit(message);
}

interface Notice {
  kind: string;
  file: string;
  change: string;
  details: string[];
  message: string;
}

function scanJson(r: TempRepo, args: string[]) {
  const result = run(r, ['scan', '--format', 'json', ...args]);
  if (result.status === 2) throw new Error(`leakguard failed: ${result.stderr}`);
  const report = JSON.parse(result.stdout) as {
    findings: Array<{ file: string; revokeUrl?: string; fingerprint: string }>;
    stats: { notices?: Notice[] };
  };
  return { status: result.status, findings: report.findings, notices: report.stats.notices, stderr: result.stderr };
}

/** A repository whose main has a config; a "pull request" branch changes it and adds a key. */
function pullRequest(prConfig: object, baseConfig: object = { allowlist: { paths: ['docs/**'] } }) {
  const r = repo();
  const base = commitFiles(r, { '.leakguard.json': JSON.stringify(baseConfig, null, 2), 'README.md': '# demo\n' }, 'base');
  r.git('checkout', '-q', '-b', 'pr');
  const leaked = key(JSON.stringify(prConfig));
  const head = commitFiles(r, { '.leakguard.json': JSON.stringify(prConfig, null, 2), 'src/app.py': `KEY = '${leaked}'\n` }, 'pr');
  return { r, base, head, range: `${base}..${head}` };
}

describe('a pull request cannot loosen the config for its own scan', () => {
  const loosenings: Array<[string, object]> = [
    ['an allowlisted path', { allowlist: { paths: ['docs/**', 'src/**'] } }],
    ['a stopword', { allowlist: { paths: ['docs/**'], stopwords: ['T3BlbkFJ'] } }],
    ['an allowlisted value regex', { allowlist: { paths: ['docs/**'], regexes: ['^sk-proj-'] } }],
    ['a disabled rule', { allowlist: { paths: ['docs/**'] }, disabledRules: ['openai-project-api-key'] }],
    [
      'a rule override (built-in id, phishing revoke page)',
      {
        allowlist: { paths: ['docs/**'] },
        rules: [{ id: 'openai-project-api-key', regex: 'never(?<secret>x{99})', revokeUrl: 'https://phish.example/revoke' }],
      },
    ],
  ];

  test.each(loosenings)('%s: the base config is used, exit 1, and the change is reported in every format', (_name, prConfig) => {
    const { r, range } = pullRequest(prConfig);

    const json = scanJson(r, ['--range', range]);
    expect(json.status).toBe(1);
    expect(json.findings.map((f) => f.file)).toEqual(['src/app.py']);
    expect(json.findings[0]!.revokeUrl).toBe('https://platform.openai.com/api-keys');
    expect(json.notices).toEqual([expect.objectContaining({ kind: 'config', file: '.leakguard.json', change: 'modified' })]);
    expect(json.notices![0]!.details.length).toBeGreaterThan(0);

    const text = run(r, ['scan', '--range', range]);
    expect(text.status).toBe(1);
    expect(text.stderr).toMatch(
      /leakguard: warning: this range changes leakguard's configuration \.leakguard\.json \(.+\): the scan used the version in the base commit [0-9a-f]{12}/,
    );
    expect(text.stderr).toContain('--trust-head-config');

    const github = run(r, ['scan', '--range', range, '--format', 'github']);
    expect(github.status).toBe(1);
    expect(github.stderr).toMatch(
      /^::warning file=\.leakguard\.json,title=leakguard%3A this range changes leakguard's configuration::this range changes/m,
    );
    expect(github.stdout).toMatch(/^::error file=src\/app\.py,/m);

    const sarif = JSON.parse(run(r, ['scan', '--range', range, '--format', 'sarif']).stdout);
    expect(sarif.runs[0].results).toHaveLength(1);
    expect(sarif.runs[0].properties.stats.notices).toHaveLength(1);
  });

  test('--trust-head-config behaves as before: the pull request allowlists its own key', () => {
    const { r, range } = pullRequest({ allowlist: { paths: ['docs/**', 'src/**'] } });
    const trusted = scanJson(r, ['--range', range, '--trust-head-config']);
    expect(trusted.status).toBe(0);
    expect(trusted.stderr).not.toContain('warning');
  });

  test('a custom rule with a built-in id is a config error (exit 2) naming the id, wherever the config is read', () => {
    const { r, range } = pullRequest({
      rules: [{ id: 'openai-project-api-key', regex: 'never(?<secret>x{99})', revokeUrl: 'https://phish.example/revoke' }],
    });
    const trusted = run(r, ['scan', '--range', range, '--trust-head-config']);
    expect(trusted.status).toBe(2);
    expect(trusted.stderr.trim().split('\n')).toHaveLength(1);
    expect(trusted.stderr).toContain('"openai-project-api-key" is the id of a built-in rule');
    const tree = run(r, ['scan', '.']);
    expect(tree.status).toBe(2);
    expect(tree.stderr).toContain('.leakguard.json: rules[openai-project-api-key].id');
  });

  test('a config the pull request adds is not used, and is reported as added', () => {
    const r = repo();
    const base = commitFiles(r, { 'README.md': '# demo\n' }, 'base');
    r.git('checkout', '-q', '-b', 'pr');
    const head = commitFiles(
      r,
      { '.leakguard.json': JSON.stringify({ allowlist: { paths: ['**'] } }), 'app.py': `KEY = '${key('added-config')}'\n` },
      'pr',
    );
    const json = scanJson(r, ['--range', `${base}..${head}`]);
    expect(json.status).toBe(1);
    expect(json.notices).toEqual([
      expect.objectContaining({ kind: 'config', file: '.leakguard.json', change: 'added', details: ['allowlist.paths'] }),
    ]);
    expect(json.stderr).toMatch(
      /this range adds leakguard's configuration \.leakguard\.json \(allowlist\.paths\): the scan did not use it/,
    );
  });

  test('A..B trusts A, A...B trusts the merge base', () => {
    const r = repo();
    commitFiles(r, { 'README.md': '# demo\n' }, 'base');
    r.git('checkout', '-q', '-b', 'pr');
    const pr = commitFiles(r, { 'src/app.py': `KEY = '${key('merge-base')}'\n` }, 'pr key');
    r.git('checkout', '-q', 'main');
    // main moves on and (reviewed) allowlists src/ after the branch forked.
    commitFiles(r, { '.leakguard.json': JSON.stringify({ allowlist: { paths: ['src/**'] } }) }, 'main allowlists src');
    expect(scanJson(r, ['--range', `main..pr`]).status).toBe(0); // main's config
    const symmetric = scanJson(r, ['--range', `main...pr`]); // the fork point's: no config
    expect(symmetric.status).toBe(1);
    expect(symmetric.findings.map((f) => f.file)).toEqual(['src/app.py']);
    expect(pr).toMatch(/^[0-9a-f]{40}$/);
  });

  test('--config inside the repository is read from the base commit; a file outside it, or tracked nowhere in the range, from disk', () => {
    const r = repo();
    const base = commitFiles(
      r,
      { 'ci/leakguard.json': JSON.stringify({ allowlist: { paths: ['docs/**'] } }), 'README.md': '# demo\n' },
      'base',
    );
    r.git('checkout', '-q', '-b', 'pr');
    const head = commitFiles(
      r,
      { 'ci/leakguard.json': JSON.stringify({ allowlist: { paths: ['src/**'] } }), 'src/app.py': `KEY = '${key('explicit')}'\n` },
      'pr',
    );
    const range = `${base}..${head}`;
    const inside = scanJson(r, ['--range', range, '--config', 'ci/leakguard.json']);
    expect(inside.status).toBe(1);
    expect(inside.notices).toEqual([expect.objectContaining({ file: 'ci/leakguard.json', change: 'modified' })]);

    const outsideDir = makeTempDir('leakguard-ci-config-');
    cleanup.push(() => rmSync(outsideDir, { recursive: true, force: true }));
    const outside = path.join(outsideDir, 'leakguard.json');
    writeFileSync(outside, JSON.stringify({ allowlist: { paths: ['src/**'] } }));
    const fromDisk = scanJson(r, ['--range', range, '--config', outside]);
    expect(fromDisk.status).toBe(0);
    expect(fromDisk.notices).toEqual([]);

    // Untracked, put there by the CI job (in neither end of the range): read from disk.
    r.write('ci/untracked.json', JSON.stringify({ allowlist: { paths: ['src/**'] } }));
    expect(scanJson(r, ['--range', range, '--config', 'ci/untracked.json']).status).toBe(0);
    // An untracked default .leakguard.json is not: a range scan never reads it from disk.
    r.write('.leakguard.json', JSON.stringify({ allowlist: { paths: ['src/**'] } }));
    expect(scanJson(r, ['--range', range]).status).toBe(1);
  });
});

describe('a pull request cannot baseline its own key', () => {
  function baselinedRepo() {
    const r = repo();
    const old = key('legacy');
    commitFiles(r, { 'legacy.py': `KEY = '${old}'\n` }, 'legacy key');
    expect(run(r, ['baseline']).status).toBe(0);
    const base = commitFiles(r, {}, 'record the baseline');
    r.git('checkout', '-q', '-b', 'pr');
    return { r, base, old };
  }

  test('the pull request adds its key and re-records the baseline: exit 1 with a notice; --trust-head-config as before', () => {
    const { r, base } = baselinedRepo();
    r.write('src/app.py', `KEY = '${key('pr-baseline')}'\n`);
    expect(run(r, ['baseline']).status).toBe(0);
    const head = commitFiles(r, {}, 'pr: key and baseline');
    const range = `${base}..${head}`;
    const args = ['--range', range, '--baseline', '.leakguard-baseline.json'];

    const json = scanJson(r, args);
    expect(json.status).toBe(1);
    expect(json.findings.map((f) => f.file)).toEqual(['src/app.py']);
    expect(json.notices).toEqual([
      expect.objectContaining({ kind: 'baseline', file: '.leakguard-baseline.json', change: 'modified', details: ['1 entry added'] }),
    ]);
    const github = run(r, ['scan', '--format', 'github', ...args]);
    expect(github.stderr).toMatch(
      /^::warning file=\.leakguard-baseline\.json,title=leakguard%3A this range changes leakguard's baseline::/m,
    );

    expect(scanJson(r, [...args, '--trust-head-config']).status).toBe(0);
  });

  test('a baseline the pull request adds is not used', () => {
    const r = repo();
    const base = commitFiles(r, { 'README.md': '# demo\n' }, 'base');
    r.git('checkout', '-q', '-b', 'pr');
    r.write('app.py', `KEY = '${key('pr-new-baseline')}'\n`);
    expect(run(r, ['baseline']).status).toBe(0);
    const head = commitFiles(r, {}, 'pr');
    const json = scanJson(r, ['--range', `${base}..${head}`, '--baseline', '.leakguard-baseline.json']);
    expect(json.status).toBe(1);
    expect(json.notices).toEqual([expect.objectContaining({ kind: 'baseline', change: 'added' })]);
  });

  test('the base commit baseline still hides the findings it holds', () => {
    const { r, base, old } = baselinedRepo();
    // The pull request adds the recorded key again in the same file (same rule, path and secret).
    const legacy = readFileSync(path.join(r.root, 'legacy.py'), 'utf8');
    const head = commitFiles(r, { 'legacy.py': `${legacy}KEY_AGAIN = '${old}'\n` }, 'pr');
    expect(scanJson(r, ['--range', `${base}..${head}`, '--baseline', '.leakguard-baseline.json']).status).toBe(0);
  });
});

describe('the hook reads the working-tree config', () => {
  test('an untracked .leakguard.json is honoured, and its unstaged edits too', () => {
    const r = repo();
    commitFiles(r, { 'README.md': '# demo\n' }, 'init');
    const hook = r.write('.git/hooks/pre-commit', `#!/bin/sh\nexec "${process.execPath}" "${CLI}" scan --staged\n`);
    chmodSync(hook, 0o755);
    const commit = () =>
      spawnSync('git', ['commit', '-q', '-m', 'try'], { cwd: r.root, env: cleanEnv({ CI: 'true' }), encoding: 'utf8', input: '' });

    r.write('fixtures/sample.py', `KEY = '${key('hook-untracked')}'\n`);
    r.git('add', 'fixtures/sample.py');
    const blocked = commit();
    outputs.push(blocked.stdout, blocked.stderr);
    expect(blocked.status).not.toBe(0);

    r.write('.leakguard.json', JSON.stringify({ allowlist: { paths: ['fixtures/**'] } })); // untracked
    const allowed = commit();
    outputs.push(allowed.stdout, allowed.stderr);
    expect(allowed.status).toBe(0);

    // Staged: a config without the allowlist; working tree: with it. The working tree's wins.
    r.write('.leakguard.json', JSON.stringify({}));
    r.git('add', '.leakguard.json');
    r.write('.leakguard.json', JSON.stringify({ allowlist: { paths: ['fixtures/**'] } }));
    r.write('fixtures/other.py', `KEY = '${key('hook-staged-config')}'\n`);
    r.git('add', 'fixtures/other.py');
    const workingTree = commit();
    outputs.push(workingTree.stdout, workingTree.stderr);
    expect(workingTree.status).toBe(0);
  });
});

// Runs last: nothing printed above held a raw key.
test('no output contained a raw key', () => {
  expect(outputs.length).toBeGreaterThan(20);
  const leaks = outputs.flatMap((output, i) => [...keys].filter((k) => output.includes(k)).map(() => i));
  expect(leaks).toEqual([]);
});
