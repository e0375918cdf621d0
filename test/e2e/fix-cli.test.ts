/**
 * `leakguard fix` through the built CLI in real temporary repositories: undo,
 * the lock, messages, cleanup (issue 13 item 5, issue 15 items 3–4).
 */
import { describe, expect, it } from '@jest/globals';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { openaiKey } from '../helpers/keys.js';
import { CLI, cleanEnv, PROJECT_ROOT, tempRepos, type TempRepo } from '../helpers/repo.js';

const newRepo = tempRepos();
const KEY = openaiKey('fix-cli');
const SOURCE = `import openai\nopenai.api_key = '${KEY}'\n`;

function stageApp(repo: TempRepo, content = SOURCE): void {
  repo.write('app.py', content);
  repo.git('add', 'app.py');
}

describe('fix --undo', () => {
  it('runs without a scan: a broken .leakguard.json does not block it', () => {
    const repo = newRepo({ committed: true });
    stageApp(repo);
    const fixed = repo.cli(['fix', '--yes']);
    expect(fixed.status).toBe(0);
    expect(repo.git('show', ':app.py')).not.toContain(KEY);

    repo.write('.leakguard.json', '{ "rules": [ this is not JSON');
    expect(repo.cli(['scan', '--staged']).status).toBe(2); // the config really is broken
    const undone = repo.cli(['fix', '--undo']);

    expect({ status: undone.status, stderr: undone.stderr }).toEqual({ status: 0, stderr: '' });
    expect(repo.git('show', ':app.py')).toBe(SOURCE);
    expect(existsSync(join(repo.root, '.env'))).toBe(false);
  });
});

describe('git plumbing through simple-git', () => {
  it("honours the user's environment as plain git does (EDITOR, PAGER, GIT_SSH_COMMAND, GIT_CONFIG_GLOBAL set)", () => {
    const repo = newRepo({ committed: true });
    stageApp(repo);
    const result = repo.cli(['fix', '--yes'], { env: { EDITOR: 'vi', PAGER: 'less', GIT_SSH_COMMAND: 'ssh', GIT_ASKPASS: '/bin/true' } });
    expect({ status: result.status, stderr: result.stderr }).toEqual({ status: 0, stderr: '' });
    expect(repo.git('show', ':app.py')).not.toContain(KEY);
  });
});

describe('the scan hot path', () => {
  it('never bundles simple-git (the fix loads it from dist/full.cjs only)', () => {
    const hot = readFileSync(join(PROJECT_ROOT, 'dist', 'cli.cjs'), 'utf8');
    const full = readFileSync(join(PROJECT_ROOT, 'dist', 'full.cjs'), 'utf8');
    // A string only simple-git's own code holds: present in the full bundle, so the check can fail.
    const marker = 'plugin:allowEnvironment';
    expect(full).toContain(marker);
    expect(hot).not.toContain(marker);
  });
});

/** Runs the built CLI without waiting, so two can run at once. */
function cliAsync(repo: TempRepo, args: string[]): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, ...args], { cwd: repo.root, env: cleanEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

describe('one fix at a time', () => {
  it('waits for a running fix, then fails cleanly with nothing changed', () => {
    const repo = newRepo({ committed: true });
    stageApp(repo);
    const sleeper = spawn('sleep', ['60']);
    try {
      mkdirSync(join(repo.root, '.git', 'leakguard'), { recursive: true });
      writeFileSync(join(repo.root, '.git', 'leakguard', 'fix.lock'), String(sleeper.pid));
      const staged = repo.git('ls-files', '-s');
      const result = repo.cli(['fix', '--yes']);
      expect(result.status).toBe(2);
      expect(result.stderr).toContain(`another leakguard fix is running in this repository (pid ${sleeper.pid}); nothing was changed`);
      expect(repo.git('ls-files', '-s')).toBe(staged);
      expect(existsSync(join(repo.root, '.env'))).toBe(false);
    } finally {
      sleeper.kill();
    }
  });

  it('takes over the lock of a fix that is no longer running', () => {
    const repo = newRepo({ committed: true });
    stageApp(repo);
    mkdirSync(join(repo.root, '.git', 'leakguard'), { recursive: true });
    writeFileSync(join(repo.root, '.git', 'leakguard', 'fix.lock'), '999999999');
    expect(repo.cli(['fix', '--yes']).status).toBe(0);
    expect(existsSync(join(repo.root, '.git', 'leakguard', 'fix.lock'))).toBe(false);
  });

  it('two concurrent fix --yes runs never undo each other (10 rounds)', async () => {
    for (let round = 0; round < 10; round++) {
      const repo = newRepo({ committed: true });
      const key = openaiKey(`race-${round}`);
      stageApp(repo, `import openai\nopenai.api_key = '${key}'\n`);
      const results = await Promise.all([cliAsync(repo, ['fix', '--yes']), cliAsync(repo, ['fix', '--yes'])]);
      for (const r of results) expect({ round, status: r.status, stderr: r.stderr }).toEqual({ round, status: 0, stderr: '' });
      const fixed = 'import os\nimport openai\nopenai.api_key = os.getenv("OPENAI_API_KEY")\n';
      expect({ round, staged: repo.git('show', ':app.py'), worktree: readFileSync(join(repo.root, 'app.py'), 'utf8') }).toEqual({
        round,
        staged: fixed,
        worktree: fixed,
      });
      expect(readFileSync(join(repo.root, '.env'), 'utf8')).toBe(`OPENAI_API_KEY=${key}\n`);
    }
  });
});
