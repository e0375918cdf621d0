import { describe, expect, test } from '@jest/globals';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { CLI, cleanEnv, tempRepos, type TempRepo } from '../helpers/repo.js';
import { githubToken, openaiKey } from '../helpers/keys.js';

/**
 * `leakguard audit` on a real pseudo-terminal (util-linux `script`, as in
 * hook-pty.test.ts): each finding is shown with its secret masked, a false alarm
 * goes to .leakguardignore with a note, a real key gets the revoke hint, and the
 * next scan no longer reports the false alarm. Without a terminal: exit 2 at once.
 */
const repo = tempRepos();
const PROMPT = '[q]uit: ';

/** Runs `leakguard audit ARGS` on a pty, typing the next answer each time the prompt appears. */
function auditOnTerminal(
  r: TempRepo,
  answers: string[],
  args: string[] = [],
  env: NodeJS.ProcessEnv = {},
): Promise<{ code: number | null; screen: string }> {
  const command = [process.execPath, CLI, 'audit', ...args].map((w) => `'${w}'`).join(' ');
  return new Promise((resolve, reject) => {
    const child = spawn('script', ['-qefc', command, '/dev/null'], {
      cwd: r.root,
      env: cleanEnv({ TERM: 'dumb', ...env }),
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let screen = '';
    let answered = 0;
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`timed out; screen so far:\n${screen}`));
    }, 30_000);
    child.stdout.on('data', (chunk: Buffer) => {
      screen += chunk.toString('utf8');
      const prompts = screen.split(PROMPT).length - 1;
      while (answered < prompts && answered < answers.length) child.stdin.write(`${answers[answered++]}\n`);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      child.stdin.destroy();
      resolve({ code, screen: screen.replace(/\r\n/g, '\n') });
    });
  });
}

function today(): string[] {
  const now = Date.now();
  // The note's date is taken while the audit runs: either side of midnight (UTC) is right.
  return [new Date(now - 120_000), new Date(now), new Date(now + 120_000)].map((d) => d.toISOString().slice(0, 10));
}

/** Two keys in the working tree, neither committed; the OpenAI one has context lines around it. */
function twoKeys(seed: string): { r: TempRepo; openai: string; github: string } {
  const r = repo({ committed: true });
  const openai = openaiKey(`audit-${seed}`);
  const github = githubToken(`audit-${seed}`);
  r.write('app.py', `import openai\n\n# the client\nopenai.api_key = "${openai}"\nprint(openai.Model.list())\nprint("done")\n`);
  r.write('scripts/deploy.sh', `#!/bin/sh\nexport GITHUB_TOKEN=${github}\n`);
  return { r, openai, github };
}

describe('leakguard audit on a terminal', () => {
  test('false alarm → .leakguardignore with a note; real → the revoke hint; the next scan reports only the real key', async () => {
    const { r, openai, github } = twoKeys('walk');
    const before = JSON.parse(r.cli(['scan', '.', '--format', 'json']).stdout) as { findings: { file: string; fingerprint: string }[] };
    const fingerprint = before.findings.find((f) => f.file === 'app.py')!.fingerprint;
    const { code, screen } = await auditOnTerminal(r, ['f', 'r']);
    expect(code).toBe(0);
    expect(screen).not.toContain(openai);
    expect(screen).not.toContain(github);
    // The card: position, rule, redacted value, masked context with line numbers.
    expect(screen).toContain('[1/2] app.py:4  ');
    expect(screen).toContain('[openai-project-api-key]');
    expect(screen).toMatch(/ {2}secret: sk-pro…\S+\n/);
    expect(screen).toMatch(
      /\n {2}2 \| \n {2}3 \| # the client\n> 4 \| openai\.api_key = "sk-pro…\S+"\n {2}5 \| print\(openai\.Model\.list\(\)\)\n {2}6 \| print\("done"\)\n/,
    );
    expect(screen).toContain('[2/2] scripts/deploy.sh:2  ');
    expect(screen).toContain('Marked as a false alarm in .leakguardignore');
    expect(screen).toContain('revoke and re-create it at https://github.com/settings/tokens');
    expect(screen).toContain('leakguard audit: 1 real key, 1 false alarm (added to .leakguardignore), 0 skipped.');

    const json = JSON.parse(r.cli(['scan', '.', '--format', 'json']).stdout) as {
      findings: { file: string; ruleId: string; fingerprint: string }[];
      stats: { ignored: number };
    };
    expect(json.findings.map((f) => f.file)).toEqual(['scripts/deploy.sh']);
    expect(json.stats.ignored).toBe(1);
    const ignore = readFileSync(path.join(r.root, '.leakguardignore'), 'utf8');
    expect(today().map((d) => `${fingerprint}  # false alarm: openai-project-api-key in app.py:4, ${d}\n`)).toContain(ignore);
  });

  test('skip and quit write nothing; the summary counts what was not reviewed', async () => {
    const { r } = twoKeys('skip');
    const { code, screen } = await auditOnTerminal(r, ['s', 'q']);
    expect(code).toBe(0);
    expect(screen).toContain('Skipped.');
    expect(screen).toContain('leakguard audit: 0 real keys, 0 false alarms, 1 skipped, 1 not reviewed (quit).');
    expect(existsSync(path.join(r.root, '.leakguardignore'))).toBe(false);
  });

  test('an answer it does not know asks again; a false alarm is appended to an existing file, which keeps its lines', async () => {
    const { r } = twoKeys('again');
    r.write('.leakguardignore', `# reviewed\n${'c'.repeat(32)}  # old`);
    const { screen } = await auditOnTerminal(r, ['maybe', 'false alarm', 'quit']);
    expect(screen).toContain('Please answer r (real), f (false alarm), s (skip) or q (quit).');
    const lines = readFileSync(path.join(r.root, '.leakguardignore'), 'utf8').split('\n');
    expect(lines.slice(0, 2)).toEqual(['# reviewed', `${'c'.repeat(32)}  # old`]);
    expect(lines[2]).toMatch(/^[0-9a-f]{32} {2}# false alarm: openai-project-api-key in app\.py:4, \d{4}-\d\d-\d\d$/);
    expect(lines).toHaveLength(4);
  });

  test('--history: the commit and its context from the commit; the key is asked about once for all its commits', async () => {
    const r = repo({ committed: true });
    const key = openaiKey('audit-history');
    r.write('config.py', `KEY = "${key}"\n`);
    r.git('add', '-A');
    const added = r.commit('add key');
    r.write('config.py', `KEY = "${key}"\nDEBUG = True\n`);
    r.git('add', '-A');
    r.commit('debug');
    r.write('config.py', 'KEY = None\n'); // gone from the work tree: the context must come from the commit
    const { code, screen } = await auditOnTerminal(r, ['f'], ['--history']);
    expect(code).toBe(0);
    expect(screen).not.toContain(key);
    expect(screen).toContain('[1/1] config.py:1');
    expect(screen).toContain(`added in commit ${added.slice(0, 12)} by Test Author`);
    expect(screen).toMatch(/> 1 \| KEY = "sk-pro…\S+"\n/);
    expect(r.cli(['scan', '--history']).status).toBe(0);
  });

  test('no findings: says so, exit 0', async () => {
    const r = repo({ committed: true });
    const { code, screen } = await auditOnTerminal(r, []);
    expect(code).toBe(0);
    expect(screen).toContain('leakguard audit: nothing to audit (scanned files:');
  });
});

describe('leakguard audit without a terminal', () => {
  const REFUSAL = 'leakguard: error: leakguard audit asks about each finding on a terminal, and there is none here';

  test('no controlling terminal (setsid), stdin a pipe: exit 2 with the reason, nothing written', () => {
    const { r } = twoKeys('no-tty');
    const run = spawnSync('setsid', ['-w', process.execPath, CLI, 'audit'], {
      cwd: r.root,
      env: cleanEnv(),
      input: 'f\nf\n',
      encoding: 'utf8',
      timeout: 20_000,
    });
    expect(run.status).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(new RegExp(`^${REFUSAL.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(existsSync(path.join(r.root, '.leakguardignore'))).toBe(false);
  });

  test('CI=true never prompts, even on a terminal', async () => {
    const { r } = twoKeys('ci');
    const { code, screen } = await auditOnTerminal(r, ['f'], [], { CI: 'true' });
    expect(code).toBe(2);
    expect(screen).toContain(REFUSAL);
    expect(screen).not.toContain(PROMPT);
  });
});
