/**
 * The all-output sweep: the CLI runs in every mode over synthetic keys; every byte
 * it printed, and every file it wrote outside the intended `.env`, must be free of
 * the keys unless `--show-secrets` was asked for. Backups are 0600 inside .git,
 * their names carry no key, and no temp file is left behind.
 */
import { afterAll, beforeEach, describe, expect, test } from '@jest/globals';
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { githubToken, openaiKey } from '../helpers/keys.js';
import { TempRepo } from '../helpers/repo.js';

const KEYS = [openaiKey('sweep-1'), githubToken('sweep-2'), openaiKey('sweep-3')];
const printed: { mode: string; text: string }[] = [];
const repos: TempRepo[] = [];
afterAll(() => repos.forEach((r) => r.remove()));
beforeEach(() => {
  printed.length = 0;
});

function repoWithKeys(): TempRepo {
  const repo = new TempRepo();
  repos.push(repo);
  repo.write('README.md', 'demo\n');
  repo.git('add', 'README.md');
  repo.commit('init');
  repo.write('app.py', `import openai\nopenai.api_key = '${KEYS[0]}'\n`);
  repo.write('src/gh.js', `const token = "${KEYS[1]}";\nconst other = "${KEYS[2]}";\n`);
  repo.git('add', '.');
  return repo;
}

function run(repo: TempRepo, mode: string, args: string[], options: { input?: string; env?: NodeJS.ProcessEnv } = {}) {
  const result = repo.cli(args, options);
  printed.push({ mode, text: `${result.stdout}\n${result.stderr}` });
  return result;
}

function leaked(text: string): string[] {
  return KEYS.filter((k) => text.includes(k)).map((k) => `${k.slice(0, 6)}… (${k.length} chars)`);
}

function walk(dir: string, out: string[] = []): string[] {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = join(dir, entry.name);
    if (entry.isDirectory()) walk(full, out);
    else out.push(full);
  }
  return out;
}

describe('no output and no written file exposes a key', () => {
  test('scan in every format and source, errors and --debug', () => {
    const repo = repoWithKeys();
    for (const format of ['text', 'json', 'sarif', 'github']) {
      expect(run(repo, `scan --format ${format}`, ['scan', '--staged', `--format=${format}`]).status).toBe(1);
    }
    expect(run(repo, 'scan --debug', ['scan', '--staged', '--debug']).status).toBe(1);
    expect(run(repo, 'scan PATH', ['scan', '.']).status).toBe(1);
    expect(run(repo, 'scan --stdin', ['scan', '--stdin'], { input: `key = "${KEYS[0]}"\n` }).status).toBe(1);
    expect(run(repo, 'scan --output', ['scan', '--staged', '--format=json', '--output', 'report.json']).status).toBe(1);
    printed.push({ mode: 'report file', text: readFileSync(join(repo.root, 'report.json'), 'utf8') });
    // Errors: a bad config and a bad flag whose values hold a key.
    repo.write('.leakguard.json', JSON.stringify({ allowlist: { regexes: [`(${KEYS[0]}`] } }));
    expect(run(repo, 'config error', ['scan', '--staged']).status).toBe(2);
    repo.write('.leakguard.json', JSON.stringify({ [KEYS[1]]: true }));
    expect(run(repo, 'unknown config field', ['scan', '--staged']).status).toBe(2);
    expect(run(repo, 'bad range', ['scan', '--range', `${KEYS[2]} x`]).status).toBe(2);
    repo.write('.leakguard.json', '{}');
    // Debug stack traces of internal errors go through the same path.
    expect(run(repo, 'debug env', ['scan', '--staged', '--debug'], { env: { LEAKGUARD_DEBUG: '1' } }).status).toBe(1);

    const leaks = printed.flatMap((p) => leaked(p.text).map((k) => `${p.mode}: ${k}`));
    expect(leaks).toEqual([]);
  });

  test('--debug logs say why candidates were dropped without the raw value', () => {
    const repo = repoWithKeys();
    // A key-shaped value the placeholder check drops, next to a real one.
    repo.write('conf.py', `api_key = "${KEYS[0].slice(0, 40)}example"\n`);
    repo.git('add', 'conf.py');
    const result = run(repo, 'debug', ['scan', '--staged', '--debug']);
    expect(result.stderr).toMatch(/leakguard: debug: /);
    expect(leaked(result.stderr)).toEqual([]);
    expect(result.stderr).not.toContain(KEYS[0].slice(0, 40));
  });

  test('fix --dry-run and fix --yes: output, backups, temp files', () => {
    const repo = repoWithKeys();
    const dry = run(repo, 'fix --dry-run', ['fix', '--dry-run']);
    expect(dry.stdout).toMatch(/Planned edits/);
    const yes = run(repo, 'fix --yes', ['fix', '--yes']);
    expect(yes.status).toBe(0);
    expect(run(repo, 'rescan', ['scan', '--staged']).status).toBe(0);
    expect(leaked(printed.map((p) => p.text).join('\n'))).toEqual([]);

    const files = walk(repo.root);
    const gitDir = join(repo.root, '.git');
    const backups = files.filter((f) => f.startsWith(join(gitDir, 'leakguard')));
    expect(backups.length).toBeGreaterThan(0);
    for (const file of backups) {
      expect(leaked(relative(repo.root, file))).toEqual([]);
      expect(statSync(file).mode & 0o777).toBe(0o600);
    }
    // Temp files of the atomic writer are gone.
    expect(files.filter((f) => /\.leakguard-[0-9a-f]+\.tmp$/.test(f))).toEqual([]);
    // Outside .git, only .env holds the keys; it is 0600.
    const outside = files.filter((f) => !f.startsWith(gitDir + '/') && !f.endsWith('/.env'));
    for (const file of outside)
      expect({ file: relative(repo.root, file), leaks: leaked(readFileSync(file, 'latin1')) }).toEqual({
        file: relative(repo.root, file),
        leaks: [],
      });
    expect(statSync(join(repo.root, '.env')).mode & 0o777).toBe(0o600);
    // Names of the files in the backups never carry a key, whatever they are.
    for (const file of walk(gitDir)) expect(leaked(file)).toEqual([]);
  });

  test('--show-secrets is the one way to print a key', () => {
    const repo = repoWithKeys();
    const shown = repo.cli(['scan', '--staged', '--show-secrets', '--format=json']);
    expect(shown.status).toBe(1);
    expect(leaked(shown.stdout).length).toBe(KEYS.length);
  });
});

describe('fail closed', () => {
  test('an internal error in the hook blocks the commit (exit 2) and says why', () => {
    const repo = repoWithKeys();
    // A corrupt index makes git fail under the scan.
    writeFileSync(join(repo.root, '.git', 'index'), 'not an index');
    const result = repo.cli(['scan', '--staged']);
    expect(result.status).toBe(2);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toMatch(/^leakguard: /);
  });

  test('a failing hook blocks the commit; LEAKGUARD_SKIP=1 bypasses it visibly', () => {
    const repo = repoWithKeys();
    expect(repo.cli(['install']).status).toBe(0);
    const blocked = repo.cli(['scan', '--staged']);
    expect(blocked.status).toBe(1);
    const skipped = repo.cli(['scan', '--staged'], { env: { LEAKGUARD_SKIP: '1' } });
    expect(skipped.status).toBe(0);
    expect(skipped.stderr).toMatch(/LEAKGUARD_SKIP is set — the secret scan was skipped/);
    expect(leaked(skipped.stdout + skipped.stderr)).toEqual([]);
  });
});
