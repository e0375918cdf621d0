import { describe, expect, test } from '@jest/globals';
import { spawn, spawnSync } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { CLI, cleanEnv, tempRepos, TempRepo } from '../helpers/repo.js';
import { openaiKey } from '../helpers/keys.js';

/**
 * The interactive fix inside a real `git commit`, driven through a real
 * pseudo-terminal (util-linux `script`), and the same hook with no terminal.
 */
const repo = tempRepos();

function hookedRepo(): TempRepo {
  const r = repo();
  r.write('.git/hooks/pre-commit', `#!/bin/sh\nexec "${process.execPath}" "${CLI}" scan --staged\n`);
  spawnSync('chmod', ['+x', path.join(r.root, '.git/hooks/pre-commit')]);
  return r;
}

/** Runs `git commit` on a pty; `answer` is typed once the prompt is on screen. */
function commitOnTerminal(r: TempRepo, answer: string): Promise<{ code: number | null; screen: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('script', ['-qefc', 'git commit -m "add app"', '/dev/null'], {
      cwd: r.root,
      env: cleanEnv({ TERM: 'dumb' }),
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let screen = '';
    let answered = false;
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`timed out; screen so far:\n${screen}`));
    }, 30_000);
    child.stdout.on('data', (chunk: Buffer) => {
      screen += chunk.toString('utf8');
      if (!answered && screen.includes('[q]uit:')) {
        answered = true;
        child.stdin.write(`${answer}\n`);
      }
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      child.stdin.destroy();
      resolve({ code, screen });
    });
  });
}

describe('pre-commit hook with a terminal', () => {
  test('prompt → y → the commit is made with the rewritten file and no key', async () => {
    const r = hookedRepo();
    const key = openaiKey('pty-yes');
    r.write('app.py', `import openai\nopenai.api_key = '${key}'\n`);
    r.git('add', 'app.py');
    const { code, screen } = await commitOnTerminal(r, 'y');
    expect(screen).toContain('Fix this key?');
    expect(screen).not.toContain(key);
    expect(code).toBe(0);
    expect(r.git('show', 'HEAD:app.py')).toBe('import os\nimport openai\nopenai.api_key = os.getenv("OPENAI_API_KEY")\n');
    expect(r.git('show', '--name-only', '--format=', 'HEAD').trim().split('\n').sort()).toEqual(['.gitignore', 'app.py']);
    expect(r.git('log', '-p')).not.toContain(key);
    expect(readFileSync(path.join(r.root, '.env'), 'utf8')).toContain(`OPENAI_API_KEY=${key}`);
    expect(statSync(path.join(r.root, '.env')).mode & 0o777).toBe(0o600);
  });

  test('prompt → n keeps the commit blocked and changes nothing', async () => {
    const r = hookedRepo();
    const key = openaiKey('pty-no');
    r.write('app.py', `openai.api_key = '${key}'\n`);
    r.git('add', 'app.py');
    const { code } = await commitOnTerminal(r, 'n');
    expect(code).not.toBe(0);
    expect(spawnSync('git', ['rev-parse', '--verify', 'HEAD'], { cwd: r.root }).status).not.toBe(0);
    expect(r.git('show', ':app.py')).toContain(key);
  });
});

describe('pre-commit hook without a terminal', () => {
  test('stdin closed, no controlling terminal: blocks within a second, prints the command', () => {
    const r = hookedRepo();
    r.write('app.py', `openai.api_key = '${openaiKey('no-tty')}'\n`);
    r.git('add', 'app.py');
    const started = Date.now();
    // setsid: no controlling terminal, so /dev/tty cannot be opened (as in IDE commit buttons).
    const result = spawnSync('setsid', ['-w', 'git', 'commit', '-m', 'x'], { cwd: r.root, env: cleanEnv(), input: '', encoding: 'utf8', timeout: 20_000 });
    const elapsed = Date.now() - started;
    expect(result.status).not.toBe(0);
    expect(result.stdout + result.stderr).toContain('npx leakguard fix');
    expect(elapsed).toBeLessThan(1_000);
  });

  test('CI=true never prompts even when a terminal exists', async () => {
    const r = hookedRepo();
    r.write('app.py', `openai.api_key = '${openaiKey('ci-tty')}'\n`);
    r.git('add', 'app.py');
    const child = spawnSync('script', ['-qefc', 'git commit -m x', '/dev/null'], { cwd: r.root, env: cleanEnv({ CI: 'true' }), input: '', encoding: 'utf8', timeout: 20_000 });
    expect(child.status).not.toBe(0);
    expect(child.stdout).not.toContain('Fix this key?');
    expect(child.stdout).toContain('npx leakguard fix');
  });
});
