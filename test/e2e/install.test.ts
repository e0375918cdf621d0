/**
 * `leakguard install` onto hooks that already exist, a hook that is a symbolic link,
 * and a global core.hooksPath shared by every repository. Each case ends with real
 * `git commit`s through the installed hook: a key must be blocked, clean work must pass.
 */
import { describe, expect, test } from '@jest/globals';
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { CLI, cleanEnv, makeTempDir, PROJECT_ROOT, tempRepos, TempRepo } from '../helpers/repo.js';
import { openaiKey } from '../helpers/keys.js';

const repo = tempRepos();

/** The five lines older versions of `leakguard install` appended to a plain git hook. */
const OLD_GIT_BLOCK = [
  '# leakguard: block commits that add secrets',
  'if [ -x ./node_modules/.bin/leakguard ]; then ./node_modules/.bin/leakguard scan --staged || exit $?',
  'elif command -v leakguard >/dev/null 2>&1; then leakguard scan --staged || exit $?',
  'else echo "leakguard is not installed (npm i -D leakguard); commit blocked. Bypass knowingly: git commit --no-verify" >&2; exit 1',
  'fi',
  '',
].join('\n');

/** A repository where `leakguard` resolves to the built CLI, as after `npm i -D leakguard`. */
function projectRepo(): TempRepo {
  const r = repo({ committed: true });
  r.write('node_modules/.bin/leakguard', `#!/bin/sh\nexec "${process.execPath}" "${CLI}" "$@"\n`);
  chmodSync(path.join(r.root, 'node_modules/.bin/leakguard'), 0o755);
  r.write('.git/info/exclude', 'node_modules/\n');
  return r;
}

function writeHook(file: string, content: string): void {
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, content);
  chmodSync(file, 0o755);
}

function install(r: TempRepo, env: NodeJS.ProcessEnv = {}) {
  return r.cli(['install'], { env });
}

/** `git commit` through the installed hooks, with no terminal (CI=true): the outcome only. */
function commit(r: TempRepo, env: NodeJS.ProcessEnv = {}) {
  return spawnSync('git', ['commit', '-m', 'change'], {
    cwd: r.root,
    env: cleanEnv({ CI: 'true', ...env }),
    input: '',
    encoding: 'utf8',
    timeout: 60_000,
  });
}

/** Stages a key, checks that the commit is refused, then stages clean content and checks that it goes through. */
function expectKeyBlockedAndCleanPasses(r: TempRepo, env: NodeJS.ProcessEnv = {}) {
  const head = r.git('rev-parse', 'HEAD');
  r.write('app.py', `openai.api_key = '${openaiKey(r.root)}'\n`);
  r.git('add', 'app.py');
  const blocked = commit(r, env);
  expect(blocked.stdout + blocked.stderr).toContain('OPENAI_API_KEY');
  expect(blocked.status).not.toBe(0);
  expect(r.git('rev-parse', 'HEAD')).toBe(head);

  r.write('app.py', 'import os\nopenai.api_key = os.getenv("OPENAI_API_KEY")\n');
  r.git('add', 'app.py');
  const passed = commit(r, env);
  expect(passed.stderr + passed.stdout).toContain('no secrets found');
  expect(passed.status).toBe(0);
}

const hookOf = (r: TempRepo) => path.join(r.root, '.git/hooks/pre-commit');
const read = (file: string) => readFileSync(file, 'utf8');

describe('leakguard install onto an existing plain git hook', () => {
  test('a hook ending in `exit 0`: the scan goes first, after the shebang, and runs', () => {
    const r = projectRepo();
    writeHook(hookOf(r), '#!/bin/sh\necho "checked"\nexit 0\n');
    const result = install(r);
    expect(result.status).toBe(0);
    const hook = read(hookOf(r));
    expect(hook.startsWith('#!/bin/sh\n# leakguard')).toBe(true);
    expect(hook.endsWith('echo "checked"\nexit 0\n')).toBe(true);
    expectKeyBlockedAndCleanPasses(r);
  });

  test('a hook that hands over with `exec …`: the scan runs before it', () => {
    const r = projectRepo();
    writeHook(hookOf(r), '#!/usr/bin/env bash\nset -u\nexec true "$@"\n');
    expect(install(r).status).toBe(0);
    expect(read(hookOf(r)).indexOf('leakguard scan --staged')).toBeLessThan(read(hookOf(r)).indexOf('exec true'));
    expectKeyBlockedAndCleanPasses(r);
  });

  test('"leakguard scan" in a comment is not an installation', () => {
    const r = projectRepo();
    writeHook(hookOf(r), '#!/bin/sh\n# TODO: run leakguard scan --staged here\nexit 0\n');
    const result = install(r);
    expect(result.stdout).not.toContain('already');
    expectKeyBlockedAndCleanPasses(r);
  });

  test('idempotent: a second install changes nothing and says so', () => {
    const r = projectRepo();
    writeHook(hookOf(r), '#!/bin/sh\necho "checked"\n');
    expect(install(r).status).toBe(0);
    const once = read(hookOf(r));
    const second = install(r);
    expect(second.status).toBe(0);
    expect(second.stdout).toContain('already');
    expect(read(hookOf(r))).toBe(once);
    expect(once.match(/# leakguard: block commits/g)).toHaveLength(1);
  });

  test('an older install appended after `exit 0` is moved to the top, once', () => {
    const r = projectRepo();
    writeHook(hookOf(r), `#!/bin/sh\necho "checked"\nexit 0\n${OLD_GIT_BLOCK}`);
    const result = install(r);
    expect(result.status).toBe(0);
    expect(result.stdout).not.toContain('already');
    const hook = read(hookOf(r));
    expect(hook.match(/# leakguard: block commits/g)).toHaveLength(1);
    expect(hook.endsWith('exit 0\n')).toBe(true);
    expectKeyBlockedAndCleanPasses(r);
  });

  test('a hook written in another language is refused, naming it; nothing is changed', () => {
    const r = projectRepo();
    const python = '#!/usr/bin/env python3\nimport sys\nsys.exit(0)\n';
    writeHook(hookOf(r), python);
    const result = install(r);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain(hookOf(r));
    expect(result.stderr).toContain('python3');
    expect(result.stderr).toContain('leakguard scan --staged');
    expect(read(hookOf(r))).toBe(python);
  });

  test('a hook that is a symbolic link is refused, naming it; the target is not written', () => {
    const r = projectRepo();
    const target = path.join(makeTempDir('leakguard-hook-target-'), 'pre-commit');
    writeHook(target, '#!/bin/sh\nexit 0\n');
    mkdirSync(path.dirname(hookOf(r)), { recursive: true });
    symlinkSync(target, hookOf(r));
    const result = install(r);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain(hookOf(r));
    expect(result.stderr).toContain('symbolic link');
    expect(read(target)).toBe('#!/bin/sh\nexit 0\n');
    expect(lstatSync(hookOf(r)).isSymbolicLink()).toBe(true);
  });
});

describe('a global core.hooksPath shared by every repository', () => {
  /** A shared hooks folder as a global git config names it, with a pre-commit and a commit-msg that leave traces. */
  function sharedHooks() {
    const dir = makeTempDir('leakguard-shared-hooks-');
    const traces = makeTempDir('leakguard-traces-');
    writeHook(path.join(dir, 'pre-commit'), `#!/bin/sh\necho ran >> "${traces}/pre-commit"\n`);
    writeHook(path.join(dir, 'commit-msg'), `#!/bin/sh\necho "$1" >> "${traces}/commit-msg"\n`);
    const config = path.join(makeTempDir('leakguard-gitconfig-'), 'gitconfig');
    writeFileSync(config, `[core]\n\thooksPath = ${dir}\n`);
    const snapshot = () =>
      readdirSync(dir)
        .sort()
        .map((name) => `${name}:${read(path.join(dir, name))}`)
        .join('\n');
    return { dir, traces, env: { GIT_CONFIG_GLOBAL: config }, snapshot };
  }

  test('plain git: installed for this repository only; the shared folder is untouched and its hooks still run', () => {
    const shared = sharedHooks();
    const before = shared.snapshot();
    const r = projectRepo();
    const result = install(r, shared.env);
    expect(result.status).toBe(0);
    expect(shared.snapshot()).toBe(before);
    expect(result.stdout + result.stderr).toContain(shared.dir);
    expectKeyBlockedAndCleanPasses(r, shared.env);
    // The shared hooks ran for the clean commit (and the shared pre-commit only after the scan passed).
    expect(read(path.join(shared.traces, 'pre-commit'))).toBe('ran\n');
    expect(existsSync(path.join(shared.traces, 'commit-msg'))).toBe(true);
    // Other repositories are not affected.
    const other = projectRepo();
    expect(
      spawnSync('git', ['rev-parse', '--git-path', 'hooks'], {
        cwd: other.root,
        env: cleanEnv(shared.env),
        encoding: 'utf8',
      }).stdout.trim(),
    ).toBe(shared.dir);
  });

  test('husky: installed in .husky/pre-commit; the shared folder is untouched', () => {
    const shared = sharedHooks();
    const before = shared.snapshot();
    const r = projectRepo();
    r.write('package.json', JSON.stringify({ name: 'demo', private: true, devDependencies: { husky: '^9' } }));
    execFileSync(process.execPath, [path.join(PROJECT_ROOT, 'node_modules/husky/bin.js')], {
      cwd: r.root,
      env: cleanEnv(shared.env),
      stdio: 'pipe',
    });
    writeHook(path.join(r.root, '.husky/pre-commit'), 'echo "lint"\nexit 0\n');
    const result = install(r, shared.env);
    expect(result.status).toBe(0);
    expect(shared.snapshot()).toBe(before);
    const hook = read(path.join(r.root, '.husky/pre-commit'));
    expect(hook.match(/leakguard scan --staged/g)).toHaveLength(1);
    expect(hook.endsWith('echo "lint"\nexit 0\n')).toBe(true);
    expectKeyBlockedAndCleanPasses(r, shared.env);
  });
});

describe('leakguard install: more hook shapes', () => {
  test('a plain hook with no shebang (git runs it with sh): the scan goes on line 1 and runs', () => {
    const r = projectRepo();
    writeHook(hookOf(r), 'echo "checked"\nexit 0\n');
    expect(install(r).status).toBe(0);
    expect(read(hookOf(r)).startsWith('# leakguard: block commits')).toBe(true);
    expectKeyBlockedAndCleanPasses(r);
  });

  test('an older line that cannot be removed without breaking the script stays, with a note; the scan still runs first', () => {
    const r = projectRepo();
    writeHook(hookOf(r), '#!/bin/sh\nif true; then\nleakguard scan --staged\nfi\nexit 0\n');
    const result = install(r);
    expect(result.status).toBe(0);
    expect(result.stderr).toContain('older leakguard line is still at line');
    const hook = read(hookOf(r));
    expect(spawnSync('sh', ['-n', hookOf(r)]).status).toBe(0);
    expect(hook.endsWith('if true; then\nleakguard scan --staged\nfi\nexit 0\n')).toBe(true);
    expectKeyBlockedAndCleanPasses(r);
  });

  test('husky: an older install appended after `exit 0` is moved to the top, in .husky/pre-commit', () => {
    const r = projectRepo();
    r.write('package.json', JSON.stringify({ name: 'demo', private: true, devDependencies: { husky: '^9' } }));
    execFileSync(process.execPath, [path.join(PROJECT_ROOT, 'node_modules/husky/bin.js')], { cwd: r.root, env: cleanEnv(), stdio: 'pipe' });
    writeHook(path.join(r.root, '.husky/pre-commit'), 'echo "lint"\nexit 0\nleakguard scan --staged\n');
    const result = install(r);
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('moved');
    const hook = read(path.join(r.root, '.husky/pre-commit'));
    expect(hook.match(/leakguard scan --staged/g)).toHaveLength(1);
    expect(hook.endsWith('echo "lint"\nexit 0\n')).toBe(true);
    expectKeyBlockedAndCleanPasses(r);
  });

  test('shared core.hooksPath, and this repository has hooks git ignores now: refused, nothing written', () => {
    const r = projectRepo();
    const sharedDir = makeTempDir('leakguard-shared-hooks-');
    const config = path.join(makeTempDir('leakguard-gitconfig-'), 'gitconfig');
    writeFileSync(config, `[core]\n\thooksPath = ${sharedDir}\n`);
    writeHook(hookOf(r), '#!/bin/sh\necho "old, ignored"\n');
    const result = install(r, { GIT_CONFIG_GLOBAL: config });
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('pre-commit');
    expect(result.stderr).toContain(sharedDir);
    expect(readdirSync(sharedDir)).toEqual([]);
    expect(read(hookOf(r))).toBe('#!/bin/sh\necho "old, ignored"\n');
    expect(spawnSync('git', ['config', '--local', '--get', 'core.hooksPath'], { cwd: r.root, env: cleanEnv() }).status).toBe(1);
  });
});
