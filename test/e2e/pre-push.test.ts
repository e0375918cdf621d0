/**
 * The pre-push guard: `leakguard install` adds a pre-push hook, and a real
 * `git push` to a bare remote goes through it. `scan --unpushed` runs the same scan by hand.
 */
import { describe, expect, test } from '@jest/globals';
import { readFileSync, writeFileSync, chmodSync } from 'node:fs';
import path from 'node:path';
import { openaiKey } from '../helpers/keys.js';
import { reposWithRemote, type RepoWithRemote } from '../helpers/remote.js';

const repo = reposWithRemote();
const KEY = openaiKey('pre-push');

/** A pushed first commit, leakguard on PATH as after `npm i -D leakguard`, and the hooks installed. */
function installed(): RepoWithRemote {
  const r = repo();
  r.linkCli();
  r.write('README.md', 'demo\n');
  r.commitAll('init');
  expect(r.push(['-q', 'origin', 'main']).status).toBe(0);
  const install = r.cli(['install']);
  expect(install.status).toBe(0);
  expect(install.stdout).toContain('added `leakguard pre-push` to the top of the git pre-push hook');
  return r;
}

function addKey(r: RepoWithRemote): string {
  r.write('app.py', `import openai\nopenai.api_key = '${KEY}'\n`);
  return r.commitAll('add the client');
}

describe('the pre-push hook', () => {
  test('a pushed key is blocked, naming fix --unpushed; after the fix the push goes through', () => {
    const r = installed();
    const remoteBefore = r.remoteRef('main');
    r.write('notes.txt', 'clean\n');
    r.commitAll('clean');
    addKey(r);
    const blocked = r.push(['origin', 'main']);
    expect(blocked.status).not.toBe(0);
    expect(blocked.stdout + blocked.stderr).toContain('openai-project-api-key');
    expect(blocked.stdout + blocked.stderr).toContain('npx leakguard fix --unpushed');
    expect(blocked.stdout + blocked.stderr).toContain('scanned unpushed commits: 2 commits');
    expect(blocked.stdout + blocked.stderr).not.toContain(KEY);
    expect(r.remoteRef('main')).toBe(remoteBefore);

    expect(r.cli(['fix', '--unpushed']).status).toBe(0);
    const pushed = r.push(['origin', 'main']);
    expect(pushed.stdout + pushed.stderr).toContain('no secrets found');
    expect(pushed.status).toBe(0);
    expect(r.remoteRef('main')).toBe(r.git('rev-parse', 'main').trim());
  });

  test('a clean push passes and scans only the new commits', () => {
    const r = installed();
    addKey(r);
    // The key is removed again before the push: only added lines of the pushed commits count, so this is still blocked.
    r.write('app.py', 'import os\n');
    r.commitAll('remove the key');
    expect(r.push(['origin', 'main']).status).not.toBe(0);
    r.git('reset', '-q', '--hard', 'origin/main');
    r.write('notes.txt', 'clean\n');
    r.commitAll('clean');
    const pushed = r.push(['origin', 'main']);
    expect(pushed.status).toBe(0);
    expect(pushed.stdout + pushed.stderr).toContain('scanned unpushed commits: 1 commit,');
  });

  test('a new branch: the commits no remote has are scanned (a key is blocked, clean passes)', () => {
    const r = installed();
    r.git('checkout', '-q', '-b', 'feature');
    r.write('notes.txt', 'clean\n');
    r.commitAll('clean');
    const clean = r.push(['origin', 'feature']);
    expect(clean.stdout + clean.stderr).toContain('scanned unpushed commits: 1 commit,');
    expect(clean.status).toBe(0);
    r.git('checkout', '-q', '-b', 'feature-2');
    addKey(r);
    const blocked = r.push(['origin', 'feature-2']);
    expect(blocked.status).not.toBe(0);
    expect(blocked.stdout + blocked.stderr).toContain('scanned unpushed commits: 1 commit,');
    expect(r.remoteRef('feature-2')).toBeUndefined();
  });

  test('deleting a branch scans nothing and passes, even when the branch held a key locally', () => {
    const r = installed();
    r.git('checkout', '-q', '-b', 'feature');
    r.write('notes.txt', 'clean\n');
    r.commitAll('clean');
    expect(r.push(['-q', 'origin', 'feature']).status).toBe(0);
    addKey(r);
    const deleted = r.push(['origin', '--delete', 'feature']);
    expect(deleted.status).toBe(0);
    expect(deleted.stdout + deleted.stderr).not.toContain('scanned');
    expect(r.remoteRef('feature')).toBeUndefined();
  });

  test('LEAKGUARD_SKIP=1 skips the scan visibly and the push goes through', () => {
    const r = installed();
    addKey(r);
    const skipped = r.push(['origin', 'main'], { LEAKGUARD_SKIP: '1' });
    expect(skipped.status).toBe(0);
    expect(skipped.stderr).toContain('LEAKGUARD_SKIP is set — the secret scan was skipped');
    expect(r.remoteRef('main')).toBe(r.git('rev-parse', 'main').trim());
  });

  test("the rest of an existing pre-push hook still reads git's ref lines (git lfs pre-push needs them)", () => {
    const r = repo();
    r.linkCli();
    r.write('README.md', 'demo\n');
    r.commitAll('init');
    const hook = path.join(r.root, '.git', 'hooks', 'pre-push');
    const seen = path.join(r.root, '.git', 'seen-by-hook');
    writeFileSync(hook, `#!/bin/sh\ncat > "${seen}"\n`);
    chmodSync(hook, 0o755);
    expect(r.cli(['install']).status).toBe(0);
    expect(r.push(['-q', 'origin', 'main']).status).toBe(0);
    const head = r.git('rev-parse', 'HEAD').trim();
    expect(readFileSync(seen, 'utf8')).toBe(`refs/heads/main ${head} refs/heads/main ${'0'.repeat(40)}\n`);
  });

  test('husky: install adds .husky/pre-push, and it blocks a key', () => {
    const r = repo();
    r.linkCli();
    r.write('README.md', 'demo\n');
    r.write('.husky/pre-commit', 'echo existing\n');
    r.commitAll('init');
    r.git('config', 'core.hooksPath', '.husky');
    expect(r.push(['-q', 'origin', 'main']).status).toBe(0);
    const install = r.cli(['install']);
    expect(install.stdout).toContain('added `leakguard pre-push` to the top of the husky pre-push hook');
    // Husky's own runner puts node_modules/.bin on PATH; this test's hooks folder is husky's, run by git directly.
    const env = { PATH: `${path.join(r.root, 'node_modules', '.bin')}:${process.env.PATH}` };
    addKey(r);
    expect(r.push(['origin', 'main'], env).status).not.toBe(0);
    r.git('reset', '-q', '--hard', 'origin/main');
    r.write('notes.txt', 'clean\n');
    r.commitAll('clean');
    expect(r.push(['origin', 'main'], env).status).toBe(0);
  });
});

describe('leakguard scan --unpushed', () => {
  test('scans the commits of HEAD no remote-tracking ref contains, in every format', () => {
    const r = repo();
    r.write('README.md', 'demo\n');
    r.commitAll('init');
    expect(r.push(['-q', 'origin', 'main']).status).toBe(0);
    expect(r.cli(['scan', '--unpushed']).status).toBe(0);
    const keyed = addKey(r);
    const text = r.cli(['scan', '--unpushed']);
    expect(text.status).toBe(1);
    expect(text.stdout).toContain('scanned unpushed commits: 1 commit');
    expect(text.stdout).toContain('npx leakguard fix --unpushed');
    const json = JSON.parse(r.cli(['scan', '--unpushed', '--format', 'json']).stdout) as { findings: Array<{ commit: string }> };
    expect(json.findings.map((f) => f.commit)).toEqual([keyed]);
    expect(r.cli(['scan', '--unpushed', '--format', 'sarif']).status).toBe(1);
    expect(r.cli(['scan', '--unpushed', '--history']).status).toBe(2);
  });
});
