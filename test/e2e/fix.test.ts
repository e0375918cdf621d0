/**
 * The fix against real temporary git repositories (git is never mocked). Findings
 * are built directly; the CLI/hook/pty tests live with the CLI.
 */
import { describe, expect, it } from '@jest/globals';
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { FixError } from '../../src/errors.js';
import type { FileWriter } from '../../src/fs/atomic-write.js';
import { writeFileAtomic } from '../../src/fs/atomic-write.js';
import { runFix, streamPromptIO, undoLastFix, type PromptIO } from '../../src/fix/index.js';
import { findingIn, openaiKey } from '../helpers/keys.js';
import { tempRepos, TempRepo } from '../helpers/repo.js';

const newRepo = tempRepos();

const KEY = openaiKey('e2e-fix');
const TUTORIAL = `import openai\nopenai.api_key = '${KEY}'\n`;
const FIXED = 'import os\nimport openai\nopenai.api_key = os.getenv("OPENAI_API_KEY")\n';

function stagedFile(repo: TempRepo, path: string, content: string) {
  repo.write(path, content);
  repo.git('add', '--', path);
  return findingIn(path, content, KEY);
}

function read(repo: TempRepo, path: string): string {
  return readFileSync(join(repo.root, path), 'utf8');
}

/** Everything the fix could touch: index entries plus the working-tree files named. */
function snapshot(repo: TempRepo, paths: string[]): string {
  const files = paths.map((p) => `${p}:${existsSync(join(repo.root, p)) ? read(repo, p) : '<none>'}`);
  return [repo.git('ls-files', '-s'), ...files].join('\n');
}

/** Answers the prompt with the given lines, recording what it printed. */
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

describe('leakguard fix (tutorial case)', () => {
  it.each([
    ['straight quotes', TUTORIAL],
    ['typographic quotes', `import openai\nopenai.api_key = \u2018${KEY}\u2019\n`],
  ])('moves the key into .env, rewrites app.py and ignores .env (%s)', async (_, source) => {
    const repo = newRepo();
    const finding = stagedFile(repo, 'app.py', source);

    const result = await runFix({ repoRoot: repo.root, findings: [finding], mode: 'yes' });

    expect(result).toMatchObject({ status: 'fixed', clean: true, envAdded: ['OPENAI_API_KEY'], ignoreAdded: ['.env'] });
    expect(result.fixed).toEqual([expect.objectContaining({ file: 'app.py', envVar: 'OPENAI_API_KEY', action: 'rewrite' })]);
    // The key never reached a commit: nothing to revoke (issue 15 item 3).
    expect(result.revokeAdvice).toEqual([]);
    expect(repo.git('show', ':app.py')).toBe(FIXED);
    expect(read(repo, 'app.py')).toBe(FIXED);
    expect(read(repo, '.env')).toBe(`OPENAI_API_KEY=${KEY}\n`);
    expect(statSync(join(repo.root, '.env')).mode & 0o777).toBe(0o600);
    expect(repo.git('check-ignore', '--no-index', '.env').trim()).toBe('.env');
    expect(repo.git('show', ':.gitignore')).toBe('.env\n');
    expect(repo.git('ls-files')).toBe('.env.example\n.gitignore\napp.py\n');
    expect(repo.git('show', ':.env.example')).toBe('OPENAI_API_KEY=\n');

    repo.git('commit', '-q', '-m', 'first');
    const log = repo.git('log', '-p');
    expect(log).not.toContain(KEY);
    expect(repo.git('status', '--porcelain')).toBe('');
  });

  it('backs up the originals privately, with no secret in any file name', async () => {
    const repo = newRepo();
    const result = await runFix({ repoRoot: repo.root, findings: [stagedFile(repo, 'app.py', TUTORIAL)], mode: 'yes' });
    const dir = result.backupDir!;
    expect(dir.startsWith(join(repo.root, '.git', 'leakguard', 'backup'))).toBe(true);
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    for (const name of readdirSync(dir)) {
      expect(name).not.toContain(KEY.slice(0, 12));
      expect(statSync(join(dir, name)).mode & 0o777).toBe(0o600);
    }
  });
});

describe('index safety', () => {
  it('keeps the unstaged hunk of a partially staged file unstaged and unchanged', async () => {
    const repo = newRepo();
    repo.write('app.py', 'import openai\n\n\ndef main():\n    pass\n');
    repo.git('add', 'app.py');
    repo.commit('base');
    const staged = `import openai\nopenai.api_key = '${KEY}'\n\ndef main():\n    pass\n`;
    const finding = stagedFile(repo, 'app.py', staged);
    repo.write('app.py', staged + '\n\nprint("work in progress")\n');

    const result = await runFix({ repoRoot: repo.root, findings: [finding], mode: 'yes' });

    expect(result.status).toBe('fixed');
    const fixedStaged = 'import os\nimport openai\nopenai.api_key = os.getenv("OPENAI_API_KEY")\n\ndef main():\n    pass\n';
    expect(repo.git('show', ':app.py')).toBe(fixedStaged);
    expect(read(repo, 'app.py')).toBe(fixedStaged + '\n\nprint("work in progress")\n');
    const changedLines = repo
      .git('diff', '--', 'app.py')
      .split('\n')
      .filter((l) => /^[+-][^+-]/.test(l));
    expect(changedLines).toEqual(['+print("work in progress")']);
  });

  it('keeps the file mode of an executable script in the index and on disk', async () => {
    const repo = newRepo();
    const path = 'deploy.sh';
    repo.write(path, `#!/bin/sh\nexport OPENAI_API_KEY='${KEY}'\n`);
    chmodSync(join(repo.root, path), 0o755);
    repo.git('add', path);
    const finding = findingIn(path, read(repo, path), KEY);

    await runFix({ repoRoot: repo.root, findings: [finding], mode: 'yes' });

    expect(repo.git('ls-files', '-s', path)).toMatch(/^100755 /);
    expect(statSync(join(repo.root, path)).mode & 0o777).toBe(0o755);
    expect(repo.git('show', `:${path}`)).toBe('#!/bin/sh\nexport OPENAI_API_KEY="${OPENAI_API_KEY}"\n');
  });

  it('keeps CRLF and a BOM in both copies', async () => {
    const repo = newRepo();
    const source = `\uFEFFimport openai\r\nopenai.api_key = '${KEY}'\r\n`;
    const finding = stagedFile(repo, 'app.py', source);
    await runFix({ repoRoot: repo.root, findings: [finding], mode: 'yes' });
    const expected = '\uFEFFimport os\r\nimport openai\r\nopenai.api_key = os.getenv("OPENAI_API_KEY")\r\n';
    expect(read(repo, 'app.py')).toBe(expected);
    expect(repo.git('show', ':app.py')).toBe(expected);
  });
});

describe('.gitignore, .env and .env.example', () => {
  it('respects an existing .env* pattern and extends .env.example in both copies', async () => {
    const repo = newRepo();
    repo.write('.gitignore', 'node_modules\r\n.env*\r\n!.env.example\r\n');
    repo.write('.env.example', 'PORT=3000');
    repo.git('add', '.gitignore', '.env.example');
    repo.commit('base');
    const finding = stagedFile(repo, 'app.py', TUTORIAL);

    const result = await runFix({ repoRoot: repo.root, findings: [finding], mode: 'yes' });

    expect(result.ignoreAdded).toEqual([]);
    expect(read(repo, '.gitignore')).toBe('node_modules\r\n.env*\r\n!.env.example\r\n');
    expect(read(repo, '.env.example')).toBe('PORT=3000\nOPENAI_API_KEY=\n');
    expect(repo.git('show', ':.env.example')).toBe('PORT=3000\nOPENAI_API_KEY=\n');
  });

  it('adds a second name for a different key and reuses the name for the same key', async () => {
    const repo = newRepo();
    const other = openaiKey('other-project');
    repo.write('.env', `# mine\r\nOPENAI_API_KEY=${other}\r\n`);
    const finding = stagedFile(repo, 'app.py', TUTORIAL);

    await runFix({ repoRoot: repo.root, findings: [finding], mode: 'yes' });

    expect(read(repo, '.env')).toBe(`# mine\r\nOPENAI_API_KEY=${other}\r\nOPENAI_API_KEY_2=${KEY}\r\n`);
    expect(read(repo, 'app.py')).toContain('os.getenv("OPENAI_API_KEY_2")');
  });

  it('unstages a staged .env-style file, keeps it on disk and ignores it', async () => {
    const repo = newRepo();
    const content = `OPENAI_API_KEY=${KEY}\n`;
    const finding = stagedFile(repo, 'config/.env.local', content);

    const result = await runFix({ repoRoot: repo.root, findings: [finding], mode: 'yes' });

    expect(result.fixed).toEqual([expect.objectContaining({ action: 'unstage-dotenv' })]);
    expect(repo.git('ls-files')).toBe('.gitignore\n');
    expect(read(repo, 'config/.env.local')).toBe(content);
    expect(repo.git('check-ignore', '--no-index', 'config/.env.local').trim()).toBe('config/.env.local');
    expect(existsSync(join(repo.root, '.env'))).toBe(false);
  });

  it('untracks a tracked .env with consent', async () => {
    const repo = newRepo();
    repo.write('.env', 'PORT=1\n');
    repo.git('add', '.env');
    repo.commit('oops');
    const finding = stagedFile(repo, 'app.py', TUTORIAL);

    const result = await runFix({ repoRoot: repo.root, findings: [finding], mode: 'yes', untrackEnv: true });

    expect(result).toMatchObject({ envTracked: true, envUntracked: true });
    expect(repo.git('ls-files', '.env')).toBe('');
    expect(read(repo, '.env')).toBe(`PORT=1\nOPENAI_API_KEY=${KEY}\n`);
  });

  it('leaves a file it cannot rewrite untouched and keeps blocking', async () => {
    const repo = newRepo();
    const content = `{"openai": "${KEY}"}\n`;
    const finding = stagedFile(repo, 'config.json', content);
    const before = snapshot(repo, ['config.json', '.env', '.gitignore']);

    const result = await runFix({ repoRoot: repo.root, findings: [finding], mode: 'yes' });

    expect(result).toMatchObject({ status: 'not-fixed', clean: false, backupDir: null });
    expect(result.skipped).toEqual([expect.objectContaining({ file: 'config.json', reason: 'json' })]);
    expect(snapshot(repo, ['config.json', '.env', '.gitignore'])).toBe(before);
  });
});

describe('rollback, undo and idempotence', () => {
  it('rolls back every file and index entry when a write fails', async () => {
    const repo = newRepo();
    const finding = stagedFile(repo, 'app.py', TUTORIAL);
    const before = snapshot(repo, ['app.py', '.env', '.gitignore']);
    const failOnEnv: FileWriter = async (path, data, options) => {
      if (path.endsWith('/.env')) throw new Error('disk full');
      await writeFileAtomic(path, data, options);
    };

    await expect(runFix({ repoRoot: repo.root, findings: [finding], mode: 'yes', writeFile: failOnEnv })).rejects.toThrow(FixError);

    expect(snapshot(repo, ['app.py', '.env', '.gitignore'])).toBe(before);
    expect(repo.git('show', ':app.py')).toBe(TUTORIAL);
    await expect(undoLastFix(repo.root)).rejects.toThrow('there is no fix to undo');
  });

  it('changes nothing when .env cannot be read (a directory named .env)', async () => {
    const repo = newRepo();
    const finding = stagedFile(repo, 'app.py', TUTORIAL);
    mkdirSync(join(repo.root, '.env'));
    const before = snapshot(repo, ['app.py', '.gitignore']);

    const error = await runFix({ repoRoot: repo.root, findings: [finding], mode: 'yes' }).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(FixError);
    expect((error as Error).message).not.toContain(KEY);
    expect(snapshot(repo, ['app.py', '.gitignore'])).toBe(before);
  });

  it('undo restores the staged and working-tree originals and removes created files', async () => {
    const repo = newRepo();
    const finding = stagedFile(repo, 'app.py', TUTORIAL);
    const before = snapshot(repo, ['app.py', '.env', '.gitignore']);
    await runFix({ repoRoot: repo.root, findings: [finding], mode: 'yes' });

    await undoLastFix(repo.root);

    expect(snapshot(repo, ['app.py', '.env', '.gitignore'])).toBe(before);
    await expect(undoLastFix(repo.root)).rejects.toThrow(FixError);
  });

  it('undo refuses to overwrite edits made after the fix', async () => {
    const repo = newRepo();
    await runFix({ repoRoot: repo.root, findings: [stagedFile(repo, 'app.py', TUTORIAL)], mode: 'yes' });
    repo.write('app.py', FIXED + 'print(1)\n');
    await expect(undoLastFix(repo.root)).rejects.toThrow(/changed after the fix/);
  });

  it('running the fix twice changes nothing the second time', async () => {
    const repo = newRepo();
    const finding = stagedFile(repo, 'app.py', TUTORIAL);
    await runFix({ repoRoot: repo.root, findings: [finding], mode: 'yes' });
    const after = snapshot(repo, ['app.py', '.env', '.gitignore']);

    const second = await runFix({ repoRoot: repo.root, findings: [finding], mode: 'yes' });

    expect(second).toMatchObject({ clean: true, backupDir: null });
    expect(snapshot(repo, ['app.py', '.env', '.gitignore'])).toBe(after);
  });
});

describe('modes', () => {
  it('dry-run returns a redacted diff and changes nothing', async () => {
    const repo = newRepo();
    const finding = stagedFile(repo, 'app.py', TUTORIAL);
    const before = snapshot(repo, ['app.py', '.env', '.gitignore']);

    const result = await runFix({ repoRoot: repo.root, findings: [finding], mode: 'dry-run' });

    expect(result.status).toBe('dry-run');
    expect(result.diff).toContain('+openai.api_key = os.getenv("OPENAI_API_KEY")');
    expect(result.diff).toContain('+import os');
    expect(result.diff).toContain('+.env');
    expect(result.diff).not.toContain(KEY);
    expect(snapshot(repo, ['app.py', '.env', '.gitignore'])).toBe(before);
  });

  it('without a terminal it blocks at once', async () => {
    const repo = newRepo();
    const finding = stagedFile(repo, 'app.py', TUTORIAL);
    const started = Date.now();
    const result = await runFix({ repoRoot: repo.root, findings: [finding], mode: 'interactive', env: { CI: 'true' } });
    expect(Date.now() - started).toBeLessThan(1000);
    expect(result).toMatchObject({ status: 'blocked-no-terminal', clean: false });
    expect(repo.git('show', ':app.py')).toBe(TUTORIAL);
  });

  it('asks per finding: y fixes, with the secret redacted in the prompt', async () => {
    const repo = newRepo();
    const io = scriptedIO(['maybe', 'y']);
    const result = await runFix({ repoRoot: repo.root, findings: [stagedFile(repo, 'app.py', TUTORIAL)], mode: 'interactive', io });
    expect(result.status).toBe('fixed');
    expect(io.output).toContain('Please answer y, n, a or q.');
    expect(io.output).toContain('+openai.api_key = os.getenv("OPENAI_API_KEY")');
    expect(io.output).not.toContain(KEY);
    expect(read(repo, 'app.py')).toBe(FIXED);
  });

  it.each([
    ['n', 'not-fixed', 'declined'],
    ['q', 'aborted', 'aborted'],
  ])('answer %s keeps blocking and changes nothing', async (answer, status, reason) => {
    const repo = newRepo();
    const finding = stagedFile(repo, 'app.py', TUTORIAL);
    const result = await runFix({ repoRoot: repo.root, findings: [finding], mode: 'interactive', io: scriptedIO([answer]) });
    expect(result).toMatchObject({ status, clean: false });
    expect(result.skipped[0]!.reason).toBe(reason);
    expect(read(repo, 'app.py')).toBe(TUTORIAL);
    expect(existsSync(join(repo.root, '.env'))).toBe(false);
  });

  it('a fixes all remaining findings', async () => {
    const repo = newRepo();
    const second = openaiKey('second');
    const findings = [stagedFile(repo, 'app.py', TUTORIAL)];
    const js = `const key = "${second}";\n`;
    repo.write('web.js', js);
    repo.git('add', 'web.js');
    findings.push(findingIn('web.js', js, second));
    const result = await runFix({ repoRoot: repo.root, findings, mode: 'interactive', io: scriptedIO(['a']) });
    expect(result.status).toBe('fixed');
    expect(read(repo, 'web.js')).toBe('const key = process.env.OPENAI_API_KEY_2;\n');
    expect(read(repo, '.env')).toBe(`OPENAI_API_KEY=${KEY}\nOPENAI_API_KEY_2=${second}\n`);
  });
});

describe('with the real detector', () => {
  it('the staged changes re-scan clean after the fix', async () => {
    const { scan } = await import('../../src/scan.js');
    const repo = newRepo();
    repo.write('app.py', TUTORIAL);
    repo.git('add', 'app.py');
    const before = await scan({ cwd: repo.root, source: { kind: 'staged' } });
    expect(before.findings.map((f) => f.envVar)).toEqual(['OPENAI_API_KEY']);

    const result = await runFix({ repoRoot: before.repoRoot!, findings: before.findings, mode: 'yes' });

    expect(result.status).toBe('fixed');
    expect(read(repo, 'app.py')).toBe(FIXED);
    const after = await scan({ cwd: repo.root, source: { kind: 'staged' } });
    expect(after.findings).toEqual([]);
  });
});

describe('keys the fix cannot rewrite', () => {
  it('a base64-encoded key: file untouched, commit still blocked, the reason given', () => {
    const repo = newRepo();
    const source = `export OPENAI_API_KEY=$(echo ${Buffer.from(KEY).toString('base64')} | base64 -d)\n`;
    repo.write('restore.sh', source);
    repo.git('add', 'restore.sh');
    const fix = repo.cli(['fix', '--yes']);
    expect(fix.status).toBe(1);
    expect(fix.stdout).toContain('base64-encoded');
    expect(fix.stdout + fix.stderr).not.toContain(KEY);
    expect(read(repo, 'restore.sh')).toBe(source);
    expect(repo.git('show', ':restore.sh')).toBe(source);
    expect(existsSync(join(repo.root, '.env'))).toBe(false);
    expect(repo.cli(['scan', '--staged']).status).toBe(1);
  });
});

/**
 * `leakguard fix --yes` on a repository whose .env is committed: it untracks .env,
 * so the next commit deletes .env from the repository. That is said once, plainly.
 */
describe('fix --yes with a tracked .env (built CLI)', () => {
  /** The lines about .env's state in git (not the "moved to .env" ones). */
  const envLines = (stdout: string) => stdout.split('\n').filter((line) => /\.env\b/.test(line) && /track|git rm|unstag|remov/.test(line));

  function repoWithTrackedEnv(): TempRepo {
    const repo = newRepo();
    repo.write('.env', 'PORT=1\n');
    repo.git('add', '.env');
    repo.commit('oops');
    return repo;
  }

  it('a key in a staged source file: .env leaves the index, and one line says the commit removes it from the repository', () => {
    const repo = repoWithTrackedEnv();
    repo.write('app.py', TUTORIAL);
    repo.git('add', 'app.py');
    const fix = repo.cli(['fix', '--yes']);
    expect(fix.status).toBe(0);
    expect(repo.git('ls-files', '.env')).toBe('');
    expect(repo.git('status', '--porcelain', '.env')).toBe('D  .env\n');
    const lines = envLines(fix.stdout);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain('git rm --cached .env');
    expect(lines[0]).toContain('removes .env from the repository');
    expect(lines[0]).toContain('stays on disk');
    expect(read(repo, '.env')).toBe(`PORT=1\nOPENAI_API_KEY=${KEY}\n`);
  });

  it('the key staged in .env itself: .env is really untracked (not only reset), with one line saying so', () => {
    const repo = repoWithTrackedEnv();
    repo.write('.env', `PORT=1\nOPENAI_API_KEY=${KEY}\n`);
    repo.git('add', '.env');
    const fix = repo.cli(['fix', '--yes']);
    expect(fix.status).toBe(0);
    expect(repo.git('ls-files', '.env')).toBe('');
    const lines = envLines(fix.stdout);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain('removes .env from the repository');
    expect(fix.stdout).not.toContain(KEY);
    expect(read(repo, '.env')).toBe(`PORT=1\nOPENAI_API_KEY=${KEY}\n`);
    expect(repo.cli(['scan', '--staged']).status).toBe(0);
  });

  it('a new .env staged with a key: unstaged, one line, and no claim that it was tracked', () => {
    const repo = newRepo();
    repo.write('.env', `OPENAI_API_KEY=${KEY}\n`);
    repo.git('add', '.env');
    const fix = repo.cli(['fix', '--yes']);
    expect(fix.status).toBe(0);
    expect(repo.git('ls-files', '.env')).toBe('');
    const lines = envLines(fix.stdout);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain('unstaged .env');
    expect(lines[0]).not.toContain('tracked');
  });
});
