/**
 * What the build writes and the package declares: every declared file exists, no
 * output nothing reads, runtime packages bundled (so none declared), the hook's
 * path loads only dist/cli.cjs, and git's repository discovery through simple-git
 * sees the user's environment as git itself would.
 */
import { afterAll, describe, expect, test } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { githubToken } from '../helpers/keys.js';
import { CLI, cleanEnv, makeTempDir, PROJECT_ROOT, tempRepos } from '../helpers/repo.js';

const repo = tempRepos();
const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

function tempDir(prefix: string): string {
  const dir = makeTempDir(prefix);
  dirs.push(dir);
  return dir;
}
const pkg = JSON.parse(readFileSync(path.join(PROJECT_ROOT, 'package.json'), 'utf8')) as {
  types?: string;
  exports: Record<string, string | Record<string, string>>;
  dependencies?: Record<string, string>;
  devDependencies: Record<string, string>;
};
const dist = (file: string) => path.join(PROJECT_ROOT, 'dist', file);

describe('the built package', () => {
  test('"types" and the types export name a declaration file the build writes, declaring the API', () => {
    const exported = pkg.exports['.'];
    const types = typeof exported === 'object' ? exported.types : undefined;
    expect(pkg.types).toBeDefined();
    expect(types).toBe(`./${pkg.types}`);
    const file = path.join(PROJECT_ROOT, pkg.types!);
    expect(existsSync(file)).toBe(true);
    expect(readFileSync(file, 'utf8')).toMatch(/export \{ scan,/);
  });

  test('no dead outputs: dist/cli.js and dist/cli.cjs.sha256 are not written', () => {
    expect(existsSync(dist('cli.cjs'))).toBe(true);
    expect(existsSync(dist('cli.js'))).toBe(false);
    expect(existsSync(dist('cli.cjs.sha256'))).toBe(false);
  });

  test('the CommonJS bundles are ASCII, so Node reads cli.cjs into a one-byte string (half the bytes to decode, copy and scan)', () => {
    for (const file of ['cli.cjs', 'full.cjs', 'detect-worker.cjs', 'rule-validator.cjs']) {
      const text = readFileSync(dist(file), 'latin1');
      expect(text.match(/[^\x00-\x7f]/)?.[0] ?? '').toBe('');
    }
  });

  test('what esbuild bundles is a devDependency: the package declares no runtime dependency', () => {
    expect(pkg.dependencies ?? {}).toEqual({});
    for (const bundled of ['yargs', 'picomatch', 'simple-git', 'chalk']) expect(pkg.devDependencies[bundled]).toBeDefined();
  });
});

/** Runs the built CLI with a preload that writes every file Node loads as a module to `log`. */
function traced(
  cwd: string,
  args: string[],
  env: NodeJS.ProcessEnv = {},
  input?: string,
): { status: number | null; loaded: string[]; builtins: string[] } {
  const dir = tempDir('leakguard-trace-');
  const log = path.join(dir, 'loaded.txt');
  const preload = path.join(dir, 'trace.cjs');
  writeFileSync(
    preload,
    `const M = require('node:module'); const fs = require('node:fs'); const load = M._load;
M._load = function (request, parent, isMain) { const f = M._resolveFilename(request, parent, isMain); fs.appendFileSync(${JSON.stringify(log)}, f + '\\n'); return load.apply(this, arguments); };\n`,
  );
  const r = spawnSync(process.execPath, ['--require', preload, CLI, ...args], {
    cwd,
    env: cleanEnv({ LEAKGUARD_NO_CODE_CACHE: '1', ...env }),
    encoding: 'utf8',
    input,
    timeout: 60_000,
    maxBuffer: 64 * 1024 * 1024, // a SARIF report lists every rule
  });
  const lines = existsSync(log) ? readFileSync(log, 'utf8').split('\n').filter(Boolean) : [];
  const loaded = lines.filter((f) => f.startsWith('/'));
  // Node's own modules, as the bundle names them (node:fs) or not (fs).
  const builtins = lines.filter((f) => !f.startsWith('/')).map((f) => f.replace(/^node:/, ''));
  return { status: r.status, loaded, builtins };
}

describe('what each run loads', () => {
  test('the hook (scan --staged) loads dist/cli.cjs only; the SARIF report and a history scan load dist/full.cjs', () => {
    const r = repo({ committed: true });
    r.write('config.js', `module.exports = { token: "${githubToken('package-test')}" };\n`);
    r.git('add', '-A');
    const hook = traced(r.root, ['scan', '--staged']);
    expect(hook.status).toBe(1);
    expect(hook.loaded).toContain(dist('cli.cjs'));
    expect(hook.loaded).not.toContain(dist('full.cjs'));
    const json = traced(r.root, ['scan', '--staged', '--format=json']);
    expect(json.status).toBe(1);
    expect(json.loaded).not.toContain(dist('full.cjs'));
    // git sets GIT_DIR for the hooks of a linked worktree: the walk steps aside, git is asked, still from dist/cli.cjs.
    const worktreeHook = traced(r.root, ['scan', '--staged'], { GIT_DIR: path.join(r.root, '.git') });
    expect(worktreeHook.status).toBe(1);
    expect(worktreeHook.loaded).not.toContain(dist('full.cjs'));
    const sarif = traced(r.root, ['scan', '--staged', '--format', 'sarif']);
    expect(sarif.status).toBe(1);
    expect(sarif.loaded).toContain(dist('full.cjs'));
    r.commit('add config');
    expect(traced(r.root, ['scan', '--history']).loaded).toContain(dist('full.cjs'));
  });

  test("the pre-push hook (pre-push, reading git's ref line) loads dist/cli.cjs only: the unpushed source is in it", () => {
    const r = repo({ committed: true });
    r.write('config.js', `module.exports = { token: "${githubToken('package-push')}" };\n`);
    r.git('add', '-A');
    r.commit('add config');
    const head = r.git('rev-parse', 'HEAD').trim();
    // A new branch (the remote has no sha): every commit no remote has is scanned.
    const push = traced(r.root, ['pre-push', 'origin', 'unused-url'], {}, `refs/heads/main ${head} refs/heads/main ${'0'.repeat(40)}\n`);
    expect(push.status).toBe(1);
    expect(push.loaded).toContain(dist('cli.cjs'));
    expect(push.loaded).not.toContain(dist('full.cjs'));
    // node:crypto costs 3–5 ms to load: the marker's nonce comes from /dev/urandom.
    expect(push.builtins).toContain('child_process');
    expect(push.builtins).not.toContain('crypto');
  });
});

describe('repository discovery', () => {
  test('a bare repository named by GIT_DIR is found (through simple-git), with EDITOR, GIT_SSH_COMMAND and GIT_EXEC_PATH set', () => {
    const r = repo({ committed: true });
    r.write('config.js', `module.exports = { token: "${githubToken('package-bare')}" };\n`);
    r.git('add', '-A');
    r.commit('add config');
    const bare = tempDir('leakguard-bare-');
    r.git('clone', '-q', '--bare', r.root, bare);
    const exec = r.git('--exec-path').trim();
    // Only GIT_DIR says where the repository is.
    const env = { GIT_DIR: bare, EDITOR: 'true', GIT_EDITOR: ':', GIT_SSH_COMMAND: 'ssh', GIT_EXEC_PATH: exec };
    const result = r.cli(['scan', '--history', '--format', 'json'], { cwd: tempDir('leakguard-elsewhere-'), env });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(1);
    expect(JSON.parse(result.stdout).findings.map((f: { file: string }) => f.file)).toEqual(['config.js']);
  });

  test('git gets the environment as it is: GIT_DIR and GIT_WORK_TREE are used, EDITOR and GIT_SSH_COMMAND do not stop it', () => {
    const r = repo({ committed: true });
    r.write('config.js', `module.exports = { token: "${githubToken('package-env')}" };\n`);
    r.git('add', '-A');
    // Outside the work tree, only the environment says where the repository is: the
    // folder walk steps aside and git is asked.
    const elsewhere = tempDir('leakguard-elsewhere-');
    const env = { GIT_DIR: path.join(r.root, '.git'), GIT_WORK_TREE: r.root, EDITOR: 'true', GIT_SSH_COMMAND: 'ssh' };
    const result = r.cli(['scan', '--staged', '--format', 'json'], { cwd: elsewhere, env });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(1);
    expect(JSON.parse(result.stdout).findings.map((f: { file: string }) => f.file)).toEqual(['config.js']);
    const baseline = r.cli(['baseline'], { cwd: elsewhere, env });
    expect(baseline.stderr).toMatch(/baseline of 1 finding written/);
    expect(existsSync(path.join(r.root, '.leakguard-baseline.json'))).toBe(true);
  });

  test('outside any repository, --staged still says it needs one', () => {
    const result = spawnSync(process.execPath, [CLI, 'scan', '--staged'], {
      cwd: tempDir('leakguard-norepo-'),
      env: cleanEnv(),
      encoding: 'utf8',
    });
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/not a git repository/);
  });
});
