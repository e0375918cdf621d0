/**
 * The built CLI in odd repositories: no commits, detached HEAD, linked worktree,
 * merge and rebase conflicts, submodules, sparse checkout, index.lock held, odd file
 * names, symlinks, huge sparse files.
 */
import { describe, expect, test } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { appendFileSync, existsSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { openaiKey } from '../helpers/keys.js';
import { cleanEnv, makeTempDir, tempRepos, TempRepo } from '../helpers/repo.js';

const KEY = openaiKey('odd-repos');
const SOURCE = `import openai\nopenai.api_key = '${KEY}'\n`;
const repo = tempRepos();
const committed = (): TempRepo => repo({ committed: true });

describe('odd repositories', () => {
  test('no commits yet: scan finds the key, fix moves it', () => {
    const r = repo();
    r.write('app.py', SOURCE);
    r.git('add', 'app.py');
    expect(r.cli(['scan', '--staged']).status).toBe(1);
    expect(r.cli(['fix', '--yes']).status).toBe(0);
    expect(r.cli(['scan', '--staged']).status).toBe(0);
  });

  test('detached HEAD', () => {
    const r = committed();
    r.git('checkout', '-q', '--detach');
    r.write('app.py', SOURCE);
    r.git('add', 'app.py');
    expect(r.cli(['scan', '--staged']).status).toBe(1);
    expect(r.cli(['fix', '--yes']).status).toBe(0);
    expect(r.cli(['scan', '--staged']).status).toBe(0);
  });

  test('a linked worktree: fix writes its own index and backup', () => {
    const r = committed();
    const wt = join(makeTempDir(), 'wt');
    r.git('worktree', 'add', '-q', wt);
    writeFileSync(join(wt, 'app.py'), SOURCE);
    execFileSync('git', ['add', 'app.py'], { cwd: wt, env: cleanEnv(), stdio: 'pipe' });
    expect(r.cli(['scan', '--staged'], { cwd: wt }).status).toBe(1);
    expect(r.cli(['fix', '--yes'], { cwd: wt }).status).toBe(0);
    expect(r.cli(['scan', '--staged'], { cwd: wt }).status).toBe(0);
    expect(r.git('ls-files')).not.toContain('app.py'); // the main worktree's index is untouched
  });

  test('merge in progress with a conflicted file: scan works, fix skips the conflicted file', () => {
    const r = committed();
    r.write('app.py', 'a = 1\n');
    r.git('add', 'app.py');
    r.commit('base');
    r.git('checkout', '-q', '-b', 'other');
    r.write('app.py', `a = 2\nopenai.api_key = '${KEY}'\n`);
    r.git('commit', '-qam', 'other');
    r.git('checkout', '-q', 'main');
    r.write('app.py', 'a = 3\n');
    r.git('commit', '-qam', 'main');
    expect(() => r.git('merge', '-q', 'other')).toThrow();
    // An unmerged path has no staged content yet: it is scanned once resolved and added.
    const scan = r.cli(['scan', '--staged']);
    expect(scan.status).toBe(0);
    expect(scan.stdout).toContain('1 file not read');
    const fix = r.cli(['fix', '--yes']);
    expect(fix.status).toBe(0);
    expect(fix.stdout + fix.stderr).not.toContain(KEY);
    expect(r.git('ls-files', '-u')).toMatch(/app\.py/); // the conflict is left as it was
    // A staged file listed after the unmerged one is still paired with its own patch.
    r.write('zz.py', SOURCE);
    r.git('add', 'zz.py');
    const json = JSON.parse(r.cli(['scan', '--staged', '--format=json']).stdout) as { findings: { file: string; line: number }[] };
    expect(json.findings.map((f) => [f.file, f.line])).toEqual([['zz.py', 2]]);
    r.git('add', 'app.py'); // resolved, conflict markers and all: now it is staged content
    expect(r.cli(['scan', '--staged']).stdout).toMatch(/app\.py/);
  });

  test('rebase stopped on a conflict: the resolution is scanned and fixed before continuing', () => {
    const r = committed();
    r.write('app.py', 'a = 1\n');
    r.git('add', 'app.py');
    r.commit('base');
    r.git('checkout', '-q', '-b', 'topic');
    r.write('app.py', 'a = 2\n');
    r.git('commit', '-qam', 'topic');
    r.git('checkout', '-q', 'main');
    r.write('app.py', 'a = 3\n');
    r.git('commit', '-qam', 'main');
    r.git('checkout', '-q', 'topic');
    expect(() => r.git('rebase', '-q', 'main')).toThrow();
    r.write('app.py', SOURCE);
    r.git('add', 'app.py');
    expect(r.cli(['scan', '--staged']).status).toBe(1);
    expect(r.cli(['fix', '--yes']).status).toBe(0);
    expect(r.git('show', ':app.py')).not.toContain(KEY);
    execFileSync('git', ['rebase', '--continue'], { cwd: r.root, env: cleanEnv({ GIT_EDITOR: 'true' }), stdio: 'pipe' });
    expect(r.git('log', '-p', 'main..topic')).not.toContain(KEY);
  });

  test('a submodule change is not read as text; the rest of the commit is', () => {
    const sub = committed();
    const r = committed();
    execFileSync('git', ['-c', 'protocol.file.allow=always', 'submodule', '--quiet', 'add', sub.root, 'vendor/lib'], {
      cwd: r.root,
      env: cleanEnv(),
      stdio: 'pipe',
    });
    r.write('app.py', SOURCE);
    r.git('add', 'app.py');
    const json = JSON.parse(r.cli(['scan', '--staged', '--format=json']).stdout) as {
      findings: { file: string }[];
      stats: { skippedFiles: number };
    };
    expect(json.findings.map((f) => f.file)).toEqual(['app.py']);
    expect(json.stats.skippedFiles).toBe(1);
    expect(r.cli(['fix', '--yes']).status).toBe(0);
    expect(r.cli(['scan', '--staged']).status).toBe(0);
  });

  test('sparse checkout: staged keys inside the cone are found and fixed, files outside are not needed', () => {
    const r = committed();
    r.write('inside/keep.txt', 'x\n');
    r.write('outside/other.txt', 'y\n');
    r.git('add', '-A');
    r.commit('dirs');
    r.git('sparse-checkout', 'set', 'inside');
    expect(existsSync(join(r.root, 'outside/other.txt'))).toBe(false);
    r.write('inside/app.py', SOURCE);
    r.git('add', 'inside/app.py');
    expect(r.cli(['scan', '--staged']).status).toBe(1);
    expect(r.cli(['scan', '.']).status).toBe(1);
    expect(r.cli(['fix', '--yes']).status).toBe(0);
    expect(r.git('show', ':inside/app.py')).not.toContain(KEY);
    expect(r.cli(['scan', '--staged']).status).toBe(0);
  });

  test('index.lock held by another process: exit 2, one line, index untouched', () => {
    const r = committed();
    r.write('app.py', SOURCE);
    r.git('add', 'app.py');
    const before = r.git('ls-files', '-s');
    writeFileSync(join(r.root, '.git', 'index.lock'), '');
    const fix = r.cli(['fix', '--yes']);
    expect(fix.status).toBe(2);
    expect(fix.stderr.trim().split('\n')).toHaveLength(1);
    expect(fix.stderr).toMatch(/index\.lock|lock/);
    expect(r.git('ls-files', '-s')).toBe(before);
    expect(readFileSync(join(r.root, 'app.py'), 'utf8')).toBe(SOURCE);
    expect(existsSync(join(r.root, '.env'))).toBe(false);
  });

  test('file names with newlines and non-UTF-8 bytes, non-UTF-8 content', () => {
    const r = committed();
    r.write('dir/new\nline.py', SOURCE);
    r.write(
      Buffer.from([0x6c, 0xe9, 0x2e, 0x70, 0x79]).toString('latin1'),
      Buffer.concat([Buffer.from([0xe9, 0x0a]), Buffer.from(SOURCE)]),
    );
    r.git('add', '.');
    const result = r.cli(['scan', '--staged', '--format=json']);
    expect(result.status).toBe(1);
    const report = JSON.parse(result.stdout) as { findings: { file: string; line: number }[] };
    expect(report.findings.map((f) => f.file)).toContain('dir/new\nline.py');
    expect(report.findings).toHaveLength(2);
    expect(report.findings.every((f) => f.line >= 2)).toBe(true);
  });

  test('symlinks are never followed out of the repository', () => {
    const r = committed();
    const outside = makeTempDir();
    writeFileSync(join(outside, 'secret.py'), SOURCE);
    symlinkSync(join(outside, 'secret.py'), join(r.root, 'link.py'));
    r.git('add', 'link.py');
    expect(r.cli(['scan', '--staged']).status).toBe(0);
    expect(r.cli(['scan', '.']).status).toBe(0);
  });

  test('a 2 GB sparse file is streamed by scan PATH, not skipped: a key at its end is found', () => {
    const r = committed();
    const huge = join(r.root, 'huge.log');
    execFileSync('truncate', ['-s', '2G', huge]);
    appendFileSync(huge, `\n${SOURCE}`);
    const result = r.cli(['scan', '.', '--format', 'json'], {});
    expect(result.status).toBe(1);
    const json = JSON.parse(result.stdout) as { findings: { file: string; line: number }[]; stats: { notRead: unknown[] } };
    expect(json.findings.map((f) => [f.file, f.line])).toEqual([['huge.log', 3]]);
    expect(json.stats.notRead).toEqual([]);
  }, 180_000);

  test('Windows-style paths in the config are normalised', () => {
    const r = committed();
    r.write('fixtures/sub/app.py', SOURCE);
    r.write('.leakguard.json', JSON.stringify({ allowlist: { paths: ['fixtures\\sub\\app.py'] } }));
    r.git('add', 'fixtures');
    expect(r.cli(['scan', '--staged']).status).toBe(0);
  });

  test('Windows-style globs with wildcards are normalised too', () => {
    const r = committed();
    r.write('fixtures/sub/deep/app.py', SOURCE);
    r.write('.leakguard.json', JSON.stringify({ allowlist: { paths: ['fixtures\\sub\\**'] } }));
    r.git('add', 'fixtures');
    expect(r.cli(['scan', '--staged']).status).toBe(0);
  });
});
