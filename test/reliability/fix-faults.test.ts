/**
 * Faults during the fix: every failure rolls back everything (index, files, .env,
 * .gitignore), reports one line, exits 2 (CLI) or throws FixError (API), and the
 * commit stays blocked. A fix killed part-way is detected by the next run.
 */
import { describe, expect, test } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { FixError } from '../../src/errors.js';
import { writeFileAtomic, type FileWriter } from '../../src/fs/atomic-write.js';
import { runFix } from '../../src/fix/index.js';
import { openaiKey } from '../helpers/keys.js';
import { cleanEnv, PROJECT_ROOT, tempRepos, TempRepo } from '../helpers/repo.js';
import { scan } from '../../src/scan.js';

const KEY = openaiKey('fix-faults');
const SOURCE = `import openai\nopenai.api_key = '${KEY}'\n`;
const committedRepo = tempRepos();

function tutorialRepo(): TempRepo {
  const repo = committedRepo({ committed: true });
  repo.write('app.py', SOURCE);
  repo.git('add', 'app.py');
  return repo;
}

/** Everything a rollback must restore. */
function snapshot(repo: TempRepo) {
  const read = (f: string) => (existsSync(join(repo.root, f)) ? readFileSync(join(repo.root, f), 'utf8') : null);
  return {
    index: repo.git('ls-files', '-s'),
    app: read('app.py'),
    gitignore: read('.gitignore'),
    envExample: read('.env.example'),
  };
}

async function findings(repo: TempRepo) {
  return (await scan({ cwd: repo.root, source: { kind: 'staged' } })).findings;
}

function failingWriter(match: (path: string) => boolean, make: () => Error): FileWriter {
  return async (path, data, options) => {
    if (match(path)) throw make();
    await writeFileAtomic(path, data, options);
  };
}

function errno(code: string): Error {
  return Object.assign(new Error(`${code}: simulated failure, write`), { code });
}

describe('faults during the fix roll everything back', () => {
  test('.env not writable (a directory): CLI exit 2, one line, nothing changed, commit blocked', () => {
    const repo = tutorialRepo();
    mkdirSync(join(repo.root, '.env'));
    const before = snapshot(repo);
    const result = repo.cli(['fix', '--yes']);
    expect(result.status).toBe(2);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toMatch(/^leakguard: error: /);
    expect(result.stdout + result.stderr).not.toContain(KEY);
    expect(snapshot(repo)).toEqual(before);
    expect(repo.cli(['scan', '--staged']).status).toBe(1);
  });

  test.each([
    ['.env write fails (EACCES)', (p: string) => p.endsWith('/.env'), () => errno('EACCES')],
    ['.gitignore not writable (EROFS)', (p: string) => p.endsWith('/.gitignore'), () => errno('EROFS')],
    ['disk full (ENOSPC) on the source file', (p: string) => p.endsWith('/app.py'), () => errno('ENOSPC')],
    ['disk full (ENOSPC) on .env', (p: string) => p.endsWith('/.env'), () => errno('ENOSPC')],
  ])('%s: FixError, everything restored, still blocked', async (_name, match, make) => {
    const repo = tutorialRepo();
    const before = snapshot(repo);
    const found = await findings(repo);
    const error = await runFix({ repoRoot: repo.root, findings: found, mode: 'yes', writeFile: failingWriter(match, make) }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(FixError);
    const message = (error as Error).message;
    expect(message).toMatch(/rolled back/);
    expect(message).not.toContain('\n');
    expect(message).not.toContain(KEY);
    expect(snapshot(repo)).toEqual(before);
    expect(existsSync(join(repo.root, '.env'))).toBe(false);
    expect((await findings(repo)).length).toBeGreaterThan(0);
    expect(repo.cli(['scan', '--staged']).status).toBe(1);
  });

  test('a file changed by another process between scan and write: rolled back, the other change kept', async () => {
    const repo = tutorialRepo();
    repo.write('.gitignore', 'node_modules/\n');
    const found = await findings(repo);
    let first = true;
    const racing: FileWriter = async (path, data, options) => {
      if (first) {
        first = false;
        // Another process edits .gitignore while the fix is writing app.py.
        writeFileSync(join(repo.root, '.gitignore'), 'node_modules/\ndist/\n');
      }
      await writeFileAtomic(path, data, options);
    };
    const before = { ...snapshot(repo), gitignore: 'node_modules/\ndist/\n' };
    const error = await runFix({ repoRoot: repo.root, findings: found, mode: 'yes', writeFile: racing }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FixError);
    expect((error as Error).message).toMatch(/\.gitignore changed while the fix was running/);
    expect(snapshot(repo)).toEqual(before);
    expect(repo.cli(['scan', '--staged']).status).toBe(1);
  });
});

describe('a fix killed part-way (SIGKILL)', () => {
  test('is detected by the next scan and fix, and --undo restores the originals', () => {
    const repo = tutorialRepo();
    const before = snapshot(repo);
    // A child process runs the library's fix with a writer that kills it after the first file.
    const script = `
      import { scan, runFix } from ${JSON.stringify(join(PROJECT_ROOT, 'dist', 'index.js'))};
      const { findings } = await scan({ cwd: process.cwd(), source: { kind: 'staged' } });
      const { writeFile } = await import('node:fs/promises');
      let writes = 0;
      await runFix({ repoRoot: process.cwd(), findings, mode: 'yes', writeFile: async (path, data) => {
        await writeFile(path, data);
        if (++writes === 1) process.kill(process.pid, 'SIGKILL');
      } });
    `;
    const child = spawnSync(process.execPath, ['--input-type=module', '-e', script], { cwd: repo.root, env: cleanEnv(), encoding: 'utf8' });
    expect(child.signal).toBe('SIGKILL');
    expect(repo.git('ls-files', '-s')).not.toEqual(before.index); // the index was already rewritten

    const scanResult = repo.cli(['scan', '--staged']);
    expect(scanResult.stderr).toMatch(/interrupted fix was found.*npx leakguard fix --undo/);

    const fix = repo.cli(['fix', '--yes']);
    expect(fix.status).toBe(2);
    expect(fix.stderr).toMatch(/interrupted fix was found.*npx leakguard fix --undo/);

    const undo = repo.cli(['fix', '--undo']);
    expect(undo.status).toBe(0);
    expect(snapshot(repo)).toEqual(before);
    const after = repo.cli(['scan', '--staged']);
    expect(after.status).toBe(1);
    expect(after.stderr).not.toMatch(/interrupted/);
    // And a normal fix works again.
    expect(repo.cli(['fix', '--yes']).status).toBe(0);
  });
});
