/**
 * `leakguard fix` on a real pseudo-terminal (util-linux `script`), for the two
 * questions issue 15 adds after "Fix this key?":
 *  - the name is already in .env with another value: replace it, take NAME_2, or skip;
 *  - nothing in the project loads .env: add the loader (python-dotenv in
 *    requirements.txt, or Node's process.loadEnvFile()) — only on a yes.
 * An accepted loader is checked end to end: the fixed program, run the plain way
 * (`python3 app.py`, `node app.js`), gets the same key (SHA-256 compared, never printed).
 */
import { describe, expect, test } from '@jest/globals';
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { openaiKey } from '../helpers/keys.js';
import { CLI, cleanEnv, tempRepos, type TempRepo } from '../helpers/repo.js';

const newRepo = tempRepos();
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
const KEY = openaiKey('fix-pty');
const OLD_KEY = openaiKey('fix-pty-older');
const PY_APP = `import hashlib\nimport os\napi_key = '${KEY}'\nprint(hashlib.sha256(api_key.encode()).hexdigest())\n`;
const JS_APP = `const { createHash } = require('node:crypto');\nconst apiKey = '${KEY}';\nconsole.log(createHash('sha256').update(apiKey).digest('hex'));\n`;
const HAS_DOTENV = spawnSync('python3', ['-c', 'import dotenv']).status === 0;

/**
 * Runs `leakguard fix` on a pty. Each [prompt, answer] is typed once `prompt`
 * appears on the screen after the previous answer; a prompt that never comes
 * fails the test with the screen so far.
 */
function fixOnTerminal(r: TempRepo, answers: ReadonlyArray<readonly [string, string]>): Promise<{ code: number | null; screen: string }> {
  const command = `"${process.execPath}" "${CLI}" fix`;
  return new Promise((resolve, reject) => {
    const child = spawn('script', ['-qefc', command, '/dev/null'], {
      cwd: r.root,
      env: cleanEnv({ TERM: 'dumb' }),
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let screen = '';
    let from = 0;
    let next = 0;
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`timed out waiting for ${JSON.stringify(answers[next]?.[0])}; screen so far:\n${screen}`));
    }, 30_000);
    child.stdout.on('data', (chunk: Buffer) => {
      screen += chunk.toString('utf8');
      while (next < answers.length) {
        const [prompt, answer] = answers[next]!;
        const at = screen.indexOf(prompt, from);
        if (at < 0) break;
        from = at + prompt.length;
        next++;
        child.stdin.write(`${answer}\n`);
      }
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      child.stdin.destroy();
      if (next < answers.length) reject(new Error(`never asked ${JSON.stringify(answers[next]![0])}; screen:\n${screen}`));
      else resolve({ code, screen });
    });
  });
}

/** Runs a command in the repository with no key in the environment. */
function run(r: TempRepo, command: string) {
  const env = cleanEnv();
  delete env.OPENAI_API_KEY;
  const result = spawnSync('sh', ['-c', command], { cwd: r.root, env, encoding: 'utf8', timeout: 30_000 });
  return { status: result.status, stdout: result.stdout.trim(), stderr: result.stderr };
}

const FIX_Q = '[q]uit: ';
const NAME_Q = '[r/n/s]: ';
const OFFER_Q = '? [y/n]: ';

function repoWithOldKey(): TempRepo {
  const r = newRepo({ committed: true });
  r.write('.env', `DEBUG=1\nOPENAI_API_KEY=${OLD_KEY}\nPORT=3000\n`);
  r.write('app.py', PY_APP);
  r.git('add', 'app.py');
  return r;
}
const envOf = (r: TempRepo) => readFileSync(path.join(r.root, '.env'), 'utf8');

describe('a name already in .env with a different value', () => {
  test('the prompt asks; [r]eplace keeps the SDK name in the code and overwrites the old value in place', async () => {
    const r = repoWithOldKey();
    const { code, screen } = await fixOnTerminal(r, [
      [FIX_Q, 'y'],
      [NAME_Q, 'r'],
      [OFFER_Q, 'n'],
    ]);
    expect(screen).toContain('OPENAI_API_KEY is already in .env with a different value. [r]eplace that value');
    expect(screen).toContain('use the [n]ew name OPENAI_API_KEY_2');
    // The preview announces the question instead of sending the user to do it by hand.
    expect(screen).toContain('OPENAI_API_KEY is already in .env with a different value; if you fix this key, you choose next');
    expect(screen).not.toContain('by hand');
    expect(screen).toContain('OPENAI_API_KEY in .env held another value: it now holds this key');
    expect(screen).not.toContain(KEY);
    expect(screen).not.toContain(OLD_KEY);
    expect(code).toBe(0);
    expect(envOf(r)).toBe(`DEBUG=1\nOPENAI_API_KEY=${KEY}\nPORT=3000\n`);
    expect(r.git('show', ':app.py')).toContain('api_key = os.getenv("OPENAI_API_KEY")\n');
    // The old value is not lost before the user says so: the backup has it, and undo restores it.
    expect(r.cli(['fix', '--undo']).status).toBe(0);
    expect(envOf(r)).toBe(`DEBUG=1\nOPENAI_API_KEY=${OLD_KEY}\nPORT=3000\n`);
  });

  test('[n]ew name: the key is saved as OPENAI_API_KEY_2, the old value kept', async () => {
    const r = repoWithOldKey();
    const { code } = await fixOnTerminal(r, [
      [FIX_Q, 'y'],
      [NAME_Q, 'n'],
      [OFFER_Q, 'n'],
    ]);
    expect(code).toBe(0);
    expect(envOf(r)).toBe(`DEBUG=1\nOPENAI_API_KEY=${OLD_KEY}\nPORT=3000\nOPENAI_API_KEY_2=${KEY}\n`);
    expect(r.git('show', ':app.py')).toContain('os.getenv("OPENAI_API_KEY_2")');
  });

  test('[s]kip: nothing changes and the commit stays blocked', async () => {
    const r = repoWithOldKey();
    const before = envOf(r);
    const { code, screen } = await fixOnTerminal(r, [
      [FIX_Q, 'y'],
      [NAME_Q, 's'],
    ]);
    expect(code).toBe(1);
    expect(screen).not.toContain(OFFER_Q);
    expect(envOf(r)).toBe(before);
    expect(r.git('show', ':app.py')).toBe(PY_APP);
    expect(r.git('status', '--porcelain', '--untracked-files=no')).toBe('A  app.py\n');
  });
});

describe('no .env loader in the project: the fix offers one', () => {
  (HAS_DOTENV ? test : test.skip)(
    `Python, yes: python-dotenv joins requirements.txt, load_dotenv() joins app.py, and \`python3 app.py\` gets the same key${HAS_DOTENV ? '' : ' [skipped: python3 cannot import dotenv]'}`,
    async () => {
      const r = newRepo({ committed: true });
      r.write('requirements.txt', 'requests==2.31.0\n');
      r.git('add', 'requirements.txt');
      r.commit('deps');
      r.write('app.py', PY_APP);
      r.git('add', 'app.py');
      const before = run(r, 'python3 app.py');
      expect(before.stdout).toBe(sha256(KEY));
      const { code, screen } = await fixOnTerminal(r, [
        [FIX_Q, 'y'],
        [OFFER_Q, 'y'],
      ]);
      expect(screen).toContain('Add python-dotenv to requirements.txt and `from dotenv import load_dotenv; load_dotenv()` to app.py');
      expect(screen).toContain('app.py: added `from dotenv import load_dotenv; load_dotenv()` and python-dotenv to requirements.txt');
      expect(screen).not.toContain('Run it with:');
      expect(code).toBe(0);
      expect(r.git('show', ':requirements.txt')).toBe('requests==2.31.0\npython-dotenv\n');
      r.git('commit', '-q', '-m', 'app');
      expect(r.git('log', '-p')).not.toContain(KEY);
      const after = run(r, 'python3 app.py');
      expect({ status: after.status, stderr: after.stderr }).toEqual({ status: 0, stderr: '' });
      expect(after.stdout).toBe(before.stdout);
    },
  );

  test('Python, no: no dependency is added, and the output says how to run it with .env', async () => {
    const r = newRepo({ committed: true });
    r.write('app.py', PY_APP);
    r.git('add', 'app.py');
    const { code, screen } = await fixOnTerminal(r, [
      [FIX_Q, 'y'],
      [OFFER_Q, 'n'],
    ]);
    expect(screen).toContain('Add python-dotenv to requirements.txt (a new file)');
    expect(code).toBe(0);
    expect(existsSync(path.join(r.root, 'requirements.txt'))).toBe(false);
    expect(r.git('show', ':app.py')).not.toContain('dotenv');
    expect(screen).toContain('app.py reads the key from the environment now, and nothing in this project loads .env. Run it with:');
    const command = screen
      .split(/\r?\n/)
      .find((line) => line.includes('set -a; . ./.env; set +a;'))!
      .trim();
    expect(run(r, command).stdout).toBe(sha256(KEY));
  });

  test('Node, yes: process.loadEnvFile() joins app.js (no dependency), and `node app.js` gets the same key', async () => {
    const r = newRepo({ committed: true });
    r.write('app.js', JS_APP);
    r.git('add', 'app.js');
    const before = run(r, `"${process.execPath}" app.js`);
    expect(before.stdout).toBe(sha256(KEY));
    const { code, screen } = await fixOnTerminal(r, [
      [FIX_Q, 'y'],
      [OFFER_Q, 'y'],
    ]);
    expect(screen).toContain('Add `process.loadEnvFile()`');
    expect(code).toBe(0);
    const app = r.git('show', ':app.js');
    expect(app.split('\n')[0]).toBe('try { process.loadEnvFile(); } catch { /* no .env, or Node < 20.12 */ }');
    expect(r.git('ls-files')).not.toContain('package.json');
    const after = run(r, `"${process.execPath}" app.js`);
    expect({ status: after.status, stderr: after.stderr }).toEqual({ status: 0, stderr: '' });
    expect(after.stdout).toBe(before.stdout);
  });
});
