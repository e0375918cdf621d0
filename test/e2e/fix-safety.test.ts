/**
 * Files the fix writes and files every command reads, when they are not what they
 * seem (issue 12, items 4 and 6): links out of the repository, FIFOs, /dev/zero.
 * The built CLI runs in real temporary git repositories, always under a kill
 * timeout, so a regression that blocks or grows without bound fails instead of hanging.
 */
import { describe, expect, it } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import {
  chmodSync,
  existsSync,
  lstatSync,
  mkdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { FixError } from '../../src/errors.js';
import { writeFileAtomic, type FileWriter } from '../../src/fs/atomic-write.js';
import { runFix } from '../../src/fix/index.js';
import { findingIn, openaiKey } from '../helpers/keys.js';
import { CLI, cleanEnv, makeTempDir, tempRepos, type TempRepo } from '../helpers/repo.js';

const newRepo = tempRepos();
const KEY = openaiKey('fix-safety');
const SOURCE = `import openai\nopenai.api_key = '${KEY}'\n`;
const posixOnly = process.platform === 'win32' ? it.skip : it;

interface Run {
  status: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** Peak resident memory of the CLI process, in KB. */
  maxRssKb: number;
}

/**
 * Runs the built CLI with a hard kill timeout and an address-space cap (so a
 * regression dies instead of taking the machine's memory), reporting its peak RSS.
 */
function run(repo: TempRepo, args: string[]): Run {
  const preload = join(repo.root, '.git', 'rss-probe.cjs');
  writeFileSync(preload, "process.on('exit', () => require('node:fs').writeSync(2, `\\nmaxrss=${process.resourceUsage().maxRSS}\\n`));\n");
  const result = spawnSync(
    'sh',
    ['-c', 'ulimit -v 4000000 2>/dev/null; exec "$@"', 'sh', process.execPath, '--require', preload, CLI, ...args],
    {
      cwd: repo.root,
      env: cleanEnv({ LEAKGUARD_NO_CODE_CACHE: '1' }),
      input: '',
      encoding: 'utf8',
      timeout: 30_000,
      killSignal: 'SIGKILL',
    },
  );
  const rss = /\nmaxrss=(\d+)\n/.exec(result.stderr ?? '');
  return {
    status: result.status,
    signal: result.signal,
    stdout: result.stdout ?? '',
    stderr: (result.stderr ?? '').replace(/\nmaxrss=\d+\n/, ''),
    maxRssKb: rss ? Number(rss[1]) : Infinity,
  };
}

/** The error line, with the exit code, so a failure shows what the CLI said. */
function outcome(result: Run) {
  return { status: result.status, signal: result.signal, stderr: result.stderr.trim() };
}

/** A repository with app.py staged, holding a key. */
function repoWithStagedKey(): TempRepo {
  const repo = newRepo({ committed: true });
  repo.write('app.py', SOURCE);
  repo.git('add', 'app.py');
  return repo;
}

/** Everything the fix could have changed inside the repository. */
function state(repo: TempRepo, paths: string[]): string {
  const files = paths.map((p) => {
    const full = join(repo.root, p);
    if (!existsSync(full) && !isLink(full)) return `${p}: <none>`;
    return isLink(full) ? `${p}: link` : `${p}: ${lstatSync(full).isFile() ? readFileSync(full, 'utf8') : 'not a file'}`;
  });
  return [repo.git('ls-files', '-s'), repo.git('show', ':app.py'), ...files].join('\n');
}

function isLink(path: string): boolean {
  try {
    return lstatSync(path).isSymbolicLink();
  } catch {
    return false;
  }
}

/** A file outside the repository, and a link to it at `name` inside. */
function linkOutside(repo: TempRepo, name: string, content: string): string {
  const outside = join(makeTempDir(), 'target');
  writeFileSync(outside, content);
  chmodSync(outside, 0o644);
  symlinkSync(outside, join(repo.root, name));
  return outside;
}

describe('fix never writes through a symbolic link', () => {
  it.each(['.env', '.gitignore', '.env.example'])('refuses a %s that links outside the repository, and writes nothing', (name) => {
    const repo = repoWithStagedKey();
    const original = name === '.gitignore' ? 'node_modules\n' : 'EXISTING=1\n';
    const outside = linkOutside(repo, name, original);
    const paths = ['app.py', '.env', '.gitignore', '.env.example'];
    const before = state(repo, paths);

    const result = run(repo, ['fix', '--yes']);

    expect(outcome(result)).toEqual({ status: 2, signal: null, stderr: expect.stringContaining(`cannot fix: ${name} is a symbolic link`) });
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(readFileSync(outside, 'utf8')).toBe(original);
    expect(statSync(outside).mode & 0o777).toBe(0o644);
    expect(state(repo, paths)).toBe(before);
    expect(existsSync(join(repo.root, '.git', 'leakguard', 'backup'))).toBe(false);
  });

  posixOnly('refuses a .gitignore staged as a link (appending would change where the link points)', () => {
    const repo = repoWithStagedKey();
    symlinkSync('ignore-rules', join(repo.root, '.gitignore'));
    repo.git('add', '.gitignore');
    rmSync(join(repo.root, '.gitignore'));
    repo.write('.gitignore', 'node_modules\n');
    const staged = repo.git('ls-files', '-s');

    const result = run(repo, ['fix', '--yes']);

    expect(outcome(result)).toEqual({
      status: 2,
      signal: null,
      stderr: expect.stringContaining('cannot fix: .gitignore is staged as a symbolic link'),
    });
    expect(repo.git('ls-files', '-s')).toBe(staged);
    expect(readFileSync(join(repo.root, '.gitignore'), 'utf8')).toBe('node_modules\n');
  });

  it('refuses a source file whose working-tree copy links outside the repository', () => {
    const repo = repoWithStagedKey();
    const outside = join(makeTempDir(), 'app.py');
    renameSync(join(repo.root, 'app.py'), outside);
    symlinkSync(outside, join(repo.root, 'app.py'));
    const before = state(repo, ['.env', '.gitignore']);

    const result = run(repo, ['fix', '--yes']);

    expect(outcome(result)).toEqual({ status: 2, signal: null, stderr: expect.stringContaining('cannot fix: app.py is a symbolic link') });
    expect(readFileSync(outside, 'utf8')).toBe(SOURCE);
    expect(state(repo, ['.env', '.gitignore'])).toBe(before);
  });

  it('refuses a source file whose folder was replaced by a link leading outside the repository', () => {
    const repo = newRepo({ committed: true });
    repo.write('src/app.py', SOURCE);
    repo.git('add', 'src/app.py');
    const outsideDir = join(makeTempDir(), 'src');
    renameSync(join(repo.root, 'src'), outsideDir);
    symlinkSync(outsideDir, join(repo.root, 'src'));
    const staged = repo.git('ls-files', '-s');

    const result = run(repo, ['fix', '--yes']);

    expect(outcome(result)).toEqual({
      status: 2,
      signal: null,
      stderr: expect.stringContaining('cannot fix: src/app.py is reached through the symbolic link src'),
    });
    expect(readFileSync(join(outsideDir, 'app.py'), 'utf8')).toBe(SOURCE);
    expect(repo.git('ls-files', '-s')).toBe(staged);
    expect(existsSync(join(repo.root, '.env'))).toBe(false);
  });
});

describe('a link swapped in while the fix is writing', () => {
  it('is refused before .env is written, and everything is rolled back', async () => {
    const repo = repoWithStagedKey();
    repo.write('.env', 'EXISTING=1\n');
    const outside = join(makeTempDir(), 'target');
    // Same content as .env, so only the link check (not the content check) can notice.
    writeFileSync(outside, 'EXISTING=1\n');
    let swapped = false;
    const racing: FileWriter = async (path, data, options) => {
      if (!swapped) {
        swapped = true;
        rmSync(join(repo.root, '.env'));
        symlinkSync(outside, join(repo.root, '.env'));
      }
      await writeFileAtomic(path, data, options);
    };
    const staged = repo.git('ls-files', '-s');

    const error = await runFix({ repoRoot: repo.root, findings: [findingIn('app.py', SOURCE, KEY)], mode: 'yes', writeFile: racing }).catch(
      (e: unknown) => e,
    );

    expect(error).toBeInstanceOf(FixError);
    expect((error as Error).message).toMatch(/rolled back: \.env: a symbolic link/);
    expect(readFileSync(outside, 'utf8')).toBe('EXISTING=1\n');
    expect(repo.git('ls-files', '-s')).toBe(staged);
    expect(readFileSync(join(repo.root, 'app.py'), 'utf8')).toBe(SOURCE);
  });
});

describe('fix refuses a .env that is not a regular file', () => {
  posixOnly('a FIFO (as a secrets manager would feed it) is refused at once, never opened', () => {
    const repo = repoWithStagedKey();
    spawnSync('mkfifo', [join(repo.root, '.env')]);
    expect(lstatSync(join(repo.root, '.env')).isFIFO()).toBe(true);
    const before = state(repo, ['.gitignore']);

    const result = run(repo, ['fix', '--yes']);

    expect(outcome(result)).toEqual({
      status: 2,
      signal: null,
      stderr: expect.stringContaining('cannot fix: .env is not a regular file but a FIFO'),
    });
    expect(state(repo, ['.gitignore'])).toBe(before);
    expect(lstatSync(join(repo.root, '.env')).isFIFO()).toBe(true);
  });

  it('a directory is refused', () => {
    const repo = repoWithStagedKey();
    mkdirSync(join(repo.root, '.env'));
    const result = run(repo, ['fix', '--yes']);
    expect(outcome(result)).toEqual({
      status: 2,
      signal: null,
      stderr: expect.stringContaining('cannot fix: .env is not a regular file but a directory'),
    });
    expect(repo.git('show', ':app.py')).toBe(SOURCE);
  });
});

describe('.env mode', () => {
  it('an existing .env at 0644 ends at 0600, its content kept', () => {
    const repo = repoWithStagedKey();
    repo.write('.env', 'EXISTING=1\n');
    chmodSync(join(repo.root, '.env'), 0o644);

    const result = run(repo, ['fix', '--yes']);

    expect(outcome(result)).toEqual({ status: 0, signal: null, stderr: '' });
    expect(readFileSync(join(repo.root, '.env'), 'utf8')).toBe(`EXISTING=1\nOPENAI_API_KEY=${KEY}\n`);
    expect(statSync(join(repo.root, '.env')).mode & 0o777).toBe(0o600);
  });

  it('undo puts the original mode back', () => {
    const repo = repoWithStagedKey();
    repo.write('.env', 'EXISTING=1\n');
    chmodSync(join(repo.root, '.env'), 0o644);
    expect(run(repo, ['fix', '--yes']).status).toBe(0);

    const undo = run(repo, ['fix', '--undo']);

    expect(outcome(undo)).toEqual({ status: 0, signal: null, stderr: '' });
    expect(readFileSync(join(repo.root, '.env'), 'utf8')).toBe('EXISTING=1\n');
    expect(statSync(join(repo.root, '.env')).mode & 0o777).toBe(0o644);
  });
});

describe('inputs of unbounded size', () => {
  // The same scan with an ordinary config is the calibration for memory.
  function calibrate(repo: TempRepo): number {
    repo.write('.leakguard.json', '{}\n');
    const normal = run(repo, ['scan', '--staged']);
    expect(normal.status).toBe(1);
    return normal.maxRssKb;
  }

  posixOnly('.leakguard.json linked to /dev/zero: exit 2 with a clear message, memory bounded', () => {
    const repo = repoWithStagedKey();
    const baselineRss = calibrate(repo);
    const config = join(repo.root, '.leakguard.json');
    rmSync(config);
    symlinkSync('/dev/zero', config);

    const result = run(repo, ['scan', '--staged']);

    expect(outcome(result)).toEqual({
      status: 2,
      signal: null,
      stderr: 'leakguard: error: .leakguard.json: cannot read (not a regular file but a character device)',
    });
    expect(result.maxRssKb).toBeLessThan(baselineRss + 256 * 1024);
  });

  posixOnly('a baseline linked to /dev/zero: exit 2 with a clear message, memory bounded', () => {
    const repo = repoWithStagedKey();
    const baselineRss = calibrate(repo);
    symlinkSync('/dev/zero', join(repo.root, 'baseline.json'));

    const result = run(repo, ['scan', '--staged', '--baseline', 'baseline.json']);

    expect(outcome(result)).toEqual({
      status: 2,
      signal: null,
      stderr: expect.stringMatching(
        /^leakguard: error: \S*baseline\.json: cannot read baseline \(not a regular file but a character device\)$/,
      ),
    });
    expect(result.maxRssKb).toBeLessThan(baselineRss + 256 * 1024);
  });

  it('a config over 1 MB is refused before it is read', () => {
    const repo = repoWithStagedKey();
    repo.write('.leakguard.json', `{"disabledRules": [${'"x", '.repeat(300_000)}"x"]}\n`);
    const result = run(repo, ['scan', '--staged']);
    expect(outcome(result)).toEqual({
      status: 2,
      signal: null,
      stderr: 'leakguard: error: .leakguard.json: cannot read (larger than the 1 MB limit)',
    });
  });

  it('a .env over 1 MB stops the fix with nothing written', () => {
    const repo = repoWithStagedKey();
    repo.write('.env', `PADDING=${'x'.repeat(2 ** 20)}\n`);
    const before = state(repo, ['.gitignore']);
    const result = run(repo, ['fix', '--yes']);
    expect(outcome(result)).toEqual({
      status: 2,
      signal: null,
      stderr: expect.stringContaining('cannot fix: .env is larger than the 1 MB limit'),
    });
    expect(state(repo, ['.gitignore'])).toBe(before);
  });
});

describe('other commands write through the same atomic writer', () => {
  it.each([
    ['scan --output', ['scan', '--staged', '--format=json', '--output', 'report.json'], 'report.json'],
    ['baseline --output', ['baseline', '--output', 'report.json'], 'report.json'],
  ])('%s refuses a link at the output path, leaving its target alone', (_, args, name) => {
    const repo = repoWithStagedKey();
    const outside = linkOutside(repo, name, 'original\n');
    const result = run(repo, args);
    expect(outcome(result)).toEqual({
      status: 2,
      signal: null,
      stderr: expect.stringMatching(/^leakguard: error: \S*report\.json: a symbolic link; not written \(.*\)$/),
    });
    expect(readFileSync(outside, 'utf8')).toBe('original\n');
  });
});
