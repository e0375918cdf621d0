/**
 * A working repository with a bare "remote" in a temp folder, for the unpushed-commit
 * and pre-push tests. Git is real; nothing is mocked.
 */
import { afterEach } from '@jest/globals';
import { execFileSync, spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { chmodSync, rmSync } from 'node:fs';
import path from 'node:path';
import { CLI, cleanEnv, makeTempDir, TempRepo } from './repo.js';

export class RepoWithRemote extends TempRepo {
  readonly remote: string;

  constructor() {
    super();
    this.remote = makeTempDir('leakguard-remote-');
    execFileSync('git', ['init', '-q', '--bare', '-b', 'main', this.remote], { env: cleanEnv(), stdio: 'pipe' });
    this.git('remote', 'add', 'origin', this.remote);
    this.git('config', 'commit.gpgsign', 'false');
  }

  /** Commits every change in the work tree, without any hook. */
  commitAll(message: string, env: NodeJS.ProcessEnv = {}): string {
    execFileSync('git', ['add', '-A'], { cwd: this.root, env: cleanEnv(), stdio: 'pipe' });
    execFileSync('git', ['commit', '-q', '--no-verify', '--allow-empty', '-m', message], {
      cwd: this.root,
      env: cleanEnv(env),
      stdio: 'pipe',
    });
    return this.git('rev-parse', 'HEAD').trim();
  }

  /** `git push` through whatever hooks are installed, with no terminal. */
  push(args: string[], env: NodeJS.ProcessEnv = {}): SpawnSyncReturns<string> {
    return spawnSync('git', ['push', ...args], {
      cwd: this.root,
      env: cleanEnv({ CI: 'true', ...env }),
      input: '',
      encoding: 'utf8',
      timeout: 60_000,
    });
  }

  remoteRef(ref: string): string | undefined {
    const r = spawnSync('git', ['rev-parse', '-q', '--verify', ref], { cwd: this.remote, env: cleanEnv(), encoding: 'utf8' });
    return r.status === 0 ? r.stdout.trim() : undefined;
  }

  /** `leakguard` resolves to the built CLI, as after `npm i -D leakguard`. */
  linkCli(): void {
    this.write('node_modules/.bin/leakguard', `#!/bin/sh\nexec "${process.execPath}" "${CLI}" "$@"\n`);
    chmodSync(path.join(this.root, 'node_modules/.bin/leakguard'), 0o755);
    this.write('.git/info/exclude', 'node_modules/\n');
  }

  override remove(): void {
    super.remove();
    rmSync(this.remote, { recursive: true, force: true });
  }
}

export function reposWithRemote(): () => RepoWithRemote {
  const made: RepoWithRemote[] = [];
  afterEach(() => made.splice(0).forEach((r) => r.remove()));
  return () => {
    delete process.env.GIT_INDEX_FILE;
    delete process.env.GIT_DIR;
    const r = new RepoWithRemote();
    made.push(r);
    return r;
  };
}
