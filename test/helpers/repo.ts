import { afterEach } from '@jest/globals';
import { execFileSync, spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { chmodSync, mkdtempSync, mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const PROJECT_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
/** The built CLI (npm test builds before running jest). */
export const CLI = path.join(PROJECT_ROOT, 'bin', 'leakguard.cjs');

/** Environment for child processes: no user git config, no CI or colour surprises. */
export function cleanEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const key of Object.keys(env)) {
    // The suite itself may run in CI or inside a git hook: children start neutral,
    // and a test that wants CI=true says so.
    if (key.startsWith('GIT_') || ['FORCE_COLOR', 'LEAKGUARD_SKIP', 'LEAKGUARD_NO_PROMPT', 'CI', 'GITHUB_ACTIONS'].includes(key))
      delete env[key];
  }
  return {
    ...env,
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_CONFIG_GLOBAL: '/dev/null',
    GIT_AUTHOR_NAME: 'Test Author',
    GIT_AUTHOR_EMAIL: 'author@example.com',
    GIT_COMMITTER_NAME: 'Test Author',
    GIT_COMMITTER_EMAIL: 'author@example.com',
    NO_COLOR: '1',
    ...extra,
  };
}

export function makeTempDir(prefix = 'leakguard-'): string {
  return mkdtempSync(path.join(tmpdir(), prefix));
}

/** A real git repository in a temp folder. */
export class TempRepo {
  readonly root: string;

  constructor(options: { init?: boolean } = {}) {
    this.root = makeTempDir();
    if (options.init !== false) this.git('init', '-q', '-b', 'main');
  }

  /** git's stderr (hints, advice, a hook's report) is captured, not printed: on failure it is in the thrown error. */
  git(...args: string[]): string {
    return execFileSync('git', args, { cwd: this.root, env: cleanEnv(), encoding: 'utf8', stdio: 'pipe' });
  }

  write(file: string, content: string | Buffer): string {
    const full = path.join(this.root, file);
    mkdirSync(path.dirname(full), { recursive: true });
    writeFileSync(full, content);
    return full;
  }

  commit(message = 'commit'): string {
    this.git('commit', '-q', '--allow-empty', '-m', message);
    return this.git('rev-parse', 'HEAD').trim();
  }

  /** Runs the built CLI in this repository. */
  cli(args: string[], options: { input?: string; env?: NodeJS.ProcessEnv; cwd?: string } = {}): SpawnSyncReturns<string> {
    return runCli(args, { cwd: options.cwd ?? this.root, input: options.input, env: options.env });
  }

  remove(): void {
    rmSync(this.root, { recursive: true, force: true });
  }
}

/**
 * A factory of temp repositories for one test file, each removed after its test.
 * `committed` gives the repository a first commit, so HEAD exists. The suite may
 * itself run inside a git hook: in-process git calls must not see that hook's index.
 */
export function tempRepos(): (options?: { committed?: boolean }) => TempRepo {
  const made: TempRepo[] = [];
  afterEach(() => made.splice(0).forEach((r) => r.remove()));
  return ({ committed = false } = {}) => {
    delete process.env.GIT_INDEX_FILE;
    delete process.env.GIT_DIR;
    const r = new TempRepo();
    made.push(r);
    if (committed) {
      r.write('README.md', 'demo\n');
      r.git('add', 'README.md');
      r.commit('init');
    }
    return r;
  };
}

export function runCli(args: string[], options: { cwd: string; input?: string; env?: NodeJS.ProcessEnv }): SpawnSyncReturns<string> {
  return spawnSync(process.execPath, [CLI, ...args], {
    cwd: options.cwd,
    env: cleanEnv(options.env),
    input: options.input ?? '',
    encoding: 'utf8',
    timeout: 60_000,
    // A SARIF report describes every rule (831 of them: ~1.4 MB), past spawnSync's 1 MB default.
    maxBuffer: 64 * 1024 * 1024,
  });
}

/** Makes `leakguard` resolve to the built CLI in `r`, with the package in node_modules, as after `npm i -D leakguard`. */
export function asInstalledPackage(r: TempRepo): TempRepo {
  r.write('node_modules/.bin/leakguard', `#!/bin/sh\nexec "${process.execPath}" "${CLI}" "$@"\n`);
  chmodSync(path.join(r.root, 'node_modules/.bin/leakguard'), 0o755);
  symlinkSync(PROJECT_ROOT, path.join(r.root, 'node_modules/leakguard'));
  r.write('.git/info/exclude', 'node_modules/\n');
  return r;
}

/** A real `git commit` of what is staged, through whatever hooks are installed, without a terminal. */
export function commitThroughHooks(r: TempRepo, message = 'change'): SpawnSyncReturns<string> {
  return spawnSync('git', ['commit', '-m', message], {
    cwd: r.root,
    env: cleanEnv({ CI: 'true' }),
    input: '',
    encoding: 'utf8',
    timeout: 60_000,
  });
}

/**
 * Adds a commit on top of `parent`, on branch `broken`, whose tree names a blob the object
 * store does not have (as a size-limited mirror lacks some): `git log -p` fails on it with
 * "unable to read <MISSING_BLOB>". Returns the commit.
 */
export function commitMissingBlob(r: TempRepo, parent = 'main'): string {
  const entries = `${r.git('ls-tree', parent).trimEnd()}\n100644 blob ${MISSING_BLOB}\tgone.txt\n`;
  const tree = spawnSync('git', ['mktree', '--missing'], { cwd: r.root, env: cleanEnv(), input: entries, encoding: 'utf8' }).stdout.trim();
  const commit = r.git('commit-tree', tree, '-p', parent, '-m', 'adds a blob that is missing').trim();
  r.git('update-ref', 'refs/heads/broken', commit);
  return commit;
}
export const MISSING_BLOB = 'e'.repeat(40);
