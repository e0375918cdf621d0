/**
 * What a new user sees and what stays behind (issue 15 item 3): dry-run wording,
 * no-terminal advice, the revoke reminder only for committed keys, the files that
 * join the commit (.env.example, .dockerignore), and backup retention / --clean.
 */
import { describe, expect, it } from '@jest/globals';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { runFix, streamPromptIO, type PromptIO } from '../../src/fix/index.js';
import { findingIn, openaiKey } from '../helpers/keys.js';
import { tempRepos, type TempRepo } from '../helpers/repo.js';

const newRepo = tempRepos();
const KEY = openaiKey('fix-messages');
const SOURCE = `import openai\nopenai.api_key = '${KEY}'\n`;

function stageApp(repo: TempRepo, content = SOURCE): void {
  repo.write('app.py', content);
  repo.git('add', 'app.py');
}

function scriptedIO(answers: string[]): PromptIO & { output: string } {
  const input = new PassThrough();
  const output = new PassThrough();
  const io = streamPromptIO(input, output) as PromptIO & { output: string };
  io.output = '';
  output.on('data', (chunk: Buffer) => (io.output += chunk.toString()));
  for (const answer of answers) input.write(answer + '\n');
  input.end();
  return io;
}

describe('messages', () => {
  it('--dry-run says "would fix", never "fixed"', () => {
    const repo = newRepo({ committed: true });
    stageApp(repo);
    const result = repo.cli(['fix', '--dry-run']);
    expect(result.stdout).toContain('would fix app.py:2 → OPENAI_API_KEY in .env');
    expect(result.stdout).not.toMatch(/^fixed /m);
    expect(result.stdout).toContain('Would also stage: .gitignore, .env.example');
  });

  it('without a terminal, `leakguard fix` points at --yes and --dry-run, not at itself', () => {
    const repo = newRepo({ committed: true });
    stageApp(repo);
    const result = repo.cli(['fix']);
    expect(result.status).toBe(1);
    expect(result.stdout).toContain('No terminal to ask on: run `npx leakguard fix --yes`');
    expect(result.stdout).toContain('`npx leakguard fix --dry-run`');
    expect(result.stdout).not.toContain('Commit blocked');
  });

  it('no revoke reminder for a key that never reached a commit', () => {
    const repo = newRepo({ committed: true });
    stageApp(repo);
    const result = repo.cli(['fix', '--yes']);
    expect(result.status).toBe(0);
    expect(result.stdout).not.toContain('revoke');
  });

  it('the revoke reminder for a key already committed', () => {
    const repo = newRepo({ committed: true });
    stageApp(repo);
    repo.commit('oops, the key'); // no hook in this repository
    stageApp(repo, SOURCE + `backup_key = '${KEY}'\n`); // the same key added again: a staged finding
    const result = repo.cli(['fix', '--yes']);
    expect(result.stdout).toContain('A key that was ever committed or pushed anywhere must be revoked and replaced:');
    expect(result.stdout).toContain('https://platform.openai.com/api-keys');
  });

  it('no revoke reminder after "Fix aborted"', async () => {
    const repo = newRepo({ committed: true });
    stageApp(repo);
    const io = scriptedIO(['q']);
    const result = await runFix({ repoRoot: repo.root, findings: [findingIn('app.py', SOURCE, KEY)], mode: 'interactive', io });
    expect(result.status).toBe('aborted');
    expect(result.revokeAdvice).toEqual([]);
  });

  it('the prompt shows everything that joins the commit before the first question', async () => {
    const repo = newRepo({ committed: true });
    repo.write('Dockerfile', 'FROM python:3\n');
    repo.git('add', 'Dockerfile');
    repo.commit('docker');
    stageApp(repo);
    const io = scriptedIO(['n']);
    await runFix({ repoRoot: repo.root, findings: [findingIn('app.py', SOURCE, KEY)], mode: 'interactive', io });
    const before = io.output.slice(0, io.output.indexOf('Fix this key?'));
    expect(before).toContain('The fix also stages: .gitignore, .env.example, .dockerignore.');
  });
});

describe('files that join the commit', () => {
  it('creates .env.example with names only when the project has none; adds .env to .dockerignore beside a Dockerfile', () => {
    const repo = newRepo({ committed: true });
    repo.write('Dockerfile', 'FROM python:3\nCOPY . .\n');
    repo.git('add', 'Dockerfile');
    repo.commit('docker');
    stageApp(repo);
    expect(repo.cli(['fix', '--yes']).status).toBe(0);
    expect(repo.git('show', ':.env.example')).toBe('OPENAI_API_KEY=\n');
    expect(repo.git('show', ':.dockerignore')).toBe('.env\n');
    expect(readFileSync(join(repo.root, '.dockerignore'), 'utf8')).toBe('.env\n');
  });

  it('leaves a project with another example file (.env.sample) alone', () => {
    const repo = newRepo({ committed: true });
    repo.write('.env.sample', 'PORT=\n');
    repo.git('add', '.env.sample');
    repo.commit('sample');
    stageApp(repo);
    expect(repo.cli(['fix', '--yes']).status).toBe(0);
    expect(existsSync(join(repo.root, '.env.example'))).toBe(false);
  });
});

describe('what stays behind', () => {
  it('says the key stays in the backup and in git objects, prunes old backups, and --clean deletes them', () => {
    const repo = newRepo({ committed: true });
    const old = join(repo.root, '.git', 'leakguard', 'backup', '20200101T000000000Z');
    mkdirSync(old, { recursive: true });
    writeFileSync(
      join(old, 'manifest.json'),
      JSON.stringify({ version: 1, createdAt: '2020-01-01T00:00:00.000Z', head: null, records: [] }),
    );
    stageApp(repo);

    const fixed = repo.cli(['fix', '--yes']);
    expect(fixed.stdout).toContain(
      'That backup holds the key in plain text: it is deleted after 7 days, or now with `npx leakguard fix --clean`.',
    );
    expect(fixed.stdout).toContain('until `git gc --prune=now`');
    const backups = join(repo.root, '.git', 'leakguard', 'backup');
    expect(existsSync(old)).toBe(false); // older than the 7-day retention
    expect(readdirSync(backups)).toHaveLength(1);

    const cleaned = repo.cli(['fix', '--clean']);
    expect({ status: cleaned.status, stdout: cleaned.stdout }).toEqual({ status: 0, stdout: 'Deleted 1 fix backup.\n' });
    expect(readdirSync(backups)).toHaveLength(0);
  });

  it('LEAKGUARD_BACKUP_DAYS sets the retention', () => {
    const repo = newRepo({ committed: true });
    stageApp(repo);
    expect(repo.cli(['fix', '--yes'], { env: { LEAKGUARD_BACKUP_DAYS: '30' } }).stdout).toContain('deleted after 30 days');
  });
});

describe('notebooks', () => {
  it('rewrites the code cell as Python, keeps the JSON valid, and clears the outputs that showed the key', () => {
    const repo = newRepo({ committed: true });
    const notebook = {
      cells: [
        { cell_type: 'markdown', metadata: {}, source: ['# Demo\n'] },
        {
          cell_type: 'code',
          execution_count: 1,
          metadata: {},
          source: ['import openai\n', `openai.api_key = '${KEY}'\n`, 'print(openai.api_key)'],
          outputs: [{ name: 'stdout', output_type: 'stream', text: [`${KEY}\n`] }],
        },
        {
          cell_type: 'code',
          execution_count: 2,
          metadata: {},
          source: ['print(1 + 1)'],
          outputs: [{ name: 'stdout', output_type: 'stream', text: ['2\n'] }],
        },
      ],
      metadata: { kernelspec: { name: 'python3', display_name: 'Python 3', language: 'python' } },
      nbformat: 4,
      nbformat_minor: 5,
    };
    repo.write('demo.ipynb', JSON.stringify(notebook, null, 1) + '\n');
    repo.git('add', 'demo.ipynb');

    const result = repo.cli(['fix', '--yes']);

    expect({ status: result.status, stderr: result.stderr }).toEqual({ status: 0, stderr: '' });
    expect(result.stdout).toContain('demo.ipynb: cleared the saved outputs of 1 cell that showed the key');
    const staged = repo.git('show', ':demo.ipynb');
    expect(staged).not.toContain(KEY);
    const fixed = JSON.parse(staged) as typeof notebook;
    expect(fixed.cells[1]).toMatchObject({
      source: ['import os\n', 'import openai\n', 'openai.api_key = os.getenv("OPENAI_API_KEY")\n', 'print(openai.api_key)'],
      outputs: [],
      execution_count: null,
    });
    expect(fixed.cells[2]!.outputs).toEqual(notebook.cells[2]!.outputs);
    expect(staged).toBe(JSON.stringify(fixed, null, 1) + '\n'); // the notebook's own indent
    expect(readFileSync(join(repo.root, '.env'), 'utf8')).toBe(`OPENAI_API_KEY=${KEY}\n`);
  });
});

describe('a name already used in .env', () => {
  it('with --yes, says why the new name was chosen and prints both names', () => {
    const repo = newRepo({ committed: true });
    repo.write('.env', `OPENAI_API_KEY=${openaiKey('an-older-key')}\n`);
    stageApp(repo);
    const result = repo.cli(['fix', '--yes']);
    expect(result.stdout).toContain('fixed   app.py:2 → OPENAI_API_KEY_2 in .env');
    expect(result.stdout).toContain(
      'OPENAI_API_KEY is already in .env with a different value, so this key was saved as OPENAI_API_KEY_2 and the code reads OPENAI_API_KEY_2.',
    );
  });

  it('two keys of one fix wanting the same name: no claim that .env already had it', () => {
    const repo = newRepo({ committed: true });
    stageApp(repo, `import openai\nopenai.api_key = '${KEY}'\nbackup_key = '${openaiKey('a-second-key')}'\n`);
    const result = repo.cli(['fix', '--yes']);
    expect(result.status).toBe(0);
    expect(result.stdout).toContain(
      'another key of this fix takes OPENAI_API_KEY, so this key was saved as OPENAI_API_KEY_2 and the code reads OPENAI_API_KEY_2.',
    );
    expect(result.stdout).not.toContain('already in .env');
  });
});
