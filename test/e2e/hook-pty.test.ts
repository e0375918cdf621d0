import { describe, expect, test } from '@jest/globals';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
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

/**
 * Runs `git commit` (or `command`) on a pty; `answer` is typed once the prompt is on
 * screen, and `n` to the offer to add a .env loader that may follow.
 */
function commitOnTerminal(
  r: TempRepo,
  answer: string,
  command = 'git commit -m "add app"',
): Promise<{ code: number | null; screen: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('script', ['-qefc', command, '/dev/null'], {
      cwd: r.root,
      env: cleanEnv({ TERM: 'dumb' }),
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let screen = '';
    let answered = false;
    let answeredAt = 0;
    let offerDeclined = false;
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`timed out; screen so far:\n${screen}`));
    }, 30_000);
    child.stdout.on('data', (chunk: Buffer) => {
      screen += chunk.toString('utf8');
      if (!answered && screen.includes('[q]uit:')) {
        answered = true;
        answeredAt = screen.length;
        child.stdin.write(`${answer}\n`);
      }
      // The project has no .env loader: the fix offers one; these tests decline it.
      if (answered && !offerDeclined && screen.slice(answeredAt).includes('? [y/n]: ')) {
        offerDeclined = true;
        child.stdin.write('n\n');
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
    expect(r.git('show', '--name-only', '--format=', 'HEAD').trim().split('\n').sort()).toEqual(['.env.example', '.gitignore', 'app.py']);
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
  test('stdin closed, no controlling terminal: blocks at once (no wait for input), prints the command', () => {
    const r = hookedRepo();
    r.write('app.py', `openai.api_key = '${openaiKey('no-tty')}'\n`);
    r.git('add', 'app.py');
    // Calibration on this machine, in this run: the same scan without git commit around it.
    const calibrationStarted = Date.now();
    spawnSync('setsid', ['-w', process.execPath, CLI, 'scan', '--staged'], {
      cwd: r.root,
      env: cleanEnv(),
      input: '',
      encoding: 'utf8',
      timeout: 20_000,
    });
    const calibration = Date.now() - calibrationStarted;
    const started = Date.now();
    // setsid: no controlling terminal, so /dev/tty cannot be opened (as in IDE commit buttons).
    const result = spawnSync('setsid', ['-w', 'git', 'commit', '-m', 'x'], {
      cwd: r.root,
      env: cleanEnv(),
      input: '',
      encoding: 'utf8',
      timeout: 20_000,
    });
    const elapsed = Date.now() - started;
    expect(result.status).not.toBe(0);
    expect(result.stdout + result.stderr).toContain('npx leakguard fix');
    // A hook waiting for input would run into the 20 s timeout; a blocked commit costs the scan plus git.
    expect(elapsed).toBeLessThan(3 * calibration + 1_000);
  });

  test('CI=true never prompts even when a terminal exists', async () => {
    const r = hookedRepo();
    r.write('app.py', `openai.api_key = '${openaiKey('ci-tty')}'\n`);
    r.git('add', 'app.py');
    const child = spawnSync('script', ['-qefc', 'git commit -m x', '/dev/null'], {
      cwd: r.root,
      env: cleanEnv({ CI: 'true' }),
      input: '',
      encoding: 'utf8',
      timeout: 20_000,
    });
    expect(child.status).not.toBe(0);
    expect(child.stdout).not.toContain('Fix this key?');
    expect(child.stdout).toContain('npx leakguard fix');
  });
});

/**
 * `git commit <paths>`, `-a` and `-i` make git commit an index other than .git/index
 * (a temporary `next-index-*.lock`, or `index.lock`); the in-hook fix must be right there.
 */
describe('pre-commit hook in the other commit modes', () => {
  const FIXED_APP = 'import os\nopenai.api_key = os.getenv("OPENAI_API_KEY")\n';

  function repoWithApp(): TempRepo {
    const r = hookedRepo();
    r.write('app.py', 'print("hello")\n');
    r.git('add', 'app.py');
    r.commit('init');
    return r;
  }

  test('git commit <path>: the fix is refused before any prompt, with the commands to run; nothing changes', async () => {
    const r = repoWithApp();
    const key = openaiKey('pty-only');
    r.write('app.py', `openai.api_key = '${key}'\n`);
    const head = r.git('rev-parse', 'HEAD');
    const { code, screen } = await commitOnTerminal(r, 'y', 'git commit -m "add app" app.py');
    expect(screen).not.toContain('Fix this key?');
    expect(screen).toContain('git commit <paths>');
    expect(screen).toContain('git add -- app.py');
    expect(screen).not.toContain(key);
    expect(code).not.toBe(0);
    expect(r.git('rev-parse', 'HEAD')).toBe(head);
    // Neither index was touched: app.py is still only modified in the working tree.
    expect(r.git('status', '--porcelain', '--untracked-files=all')).toBe(' M app.py\n');
    expect(readFileSync(path.join(r.root, 'app.py'), 'utf8')).toContain(key);
    expect(existsSync(path.join(r.root, '.env'))).toBe(false);

    // The commands it names work: stage, commit without paths, accept the fix.
    r.git('add', '--', 'app.py');
    const retry = await commitOnTerminal(r, 'y');
    expect(retry.code).toBe(0);
    expect(r.git('show', 'HEAD:app.py')).toBe(FIXED_APP);
    expect(r.git('status', '--porcelain', '--untracked-files=all')).toBe('');
  });

  test('git commit <path> without a terminal names the same commands, not a bare `leakguard fix`', () => {
    const r = repoWithApp();
    r.write('app.py', `openai.api_key = '${openaiKey('only-no-tty')}'\n`);
    const result = spawnSync('setsid', ['-w', 'git', 'commit', '-m', 'x', 'app.py'], {
      cwd: r.root,
      env: cleanEnv(),
      input: '',
      encoding: 'utf8',
      timeout: 20_000,
    });
    expect(result.status).not.toBe(0);
    expect(result.stderr).toContain('git add -- app.py');
    expect(r.git('status', '--porcelain', '--untracked-files=all')).toBe(' M app.py\n');
  });

  test.each([
    ['git commit -a', 'git commit -a -m "add app"'],
    ['git commit -i <path>', 'git commit -i -m "add app" app.py'],
  ])('%s: y → the commit and .git/index both hold the fixed file', async (_name, command) => {
    const r = repoWithApp();
    const key = openaiKey(`pty-${command}`);
    r.write('app.py', `openai.api_key = '${key}'\n`);
    const { code, screen } = await commitOnTerminal(r, 'y', command);
    expect(screen).toContain('Fix this key?');
    expect(code).toBe(0);
    expect(r.git('show', 'HEAD:app.py')).toBe(FIXED_APP);
    expect(r.git('show', ':app.py')).toBe(FIXED_APP);
    expect(r.git('show', '--name-only', '--format=', 'HEAD').trim().split('\n').sort()).toEqual(['.env.example', '.gitignore', 'app.py']);
    // Nothing staged or modified is left behind (.env is ignored).
    expect(r.git('status', '--porcelain', '--untracked-files=all')).toBe('');
    expect(r.git('log', '-p')).not.toContain(key);
  });

  test('git commit -a: n → blocked; .git/index and the files are as before', async () => {
    const r = repoWithApp();
    const key = openaiKey('pty-all-no');
    r.write('app.py', `openai.api_key = '${key}'\n`);
    const head = r.git('rev-parse', 'HEAD');
    const { code } = await commitOnTerminal(r, 'n', 'git commit -a -m "add app"');
    expect(code).not.toBe(0);
    expect(r.git('rev-parse', 'HEAD')).toBe(head);
    expect(r.git('status', '--porcelain', '--untracked-files=all')).toBe(' M app.py\n');
    expect(readFileSync(path.join(r.root, 'app.py'), 'utf8')).toContain(key);
  });
});
