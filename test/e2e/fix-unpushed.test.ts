/**
 * `leakguard fix --unpushed`: keys committed (with --no-verify) but not pushed are
 * taken out of every unpushed commit. Real repositories with a bare remote.
 */
import { describe, expect, test } from '@jest/globals';
import { statSync, existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { openaiKey } from '../helpers/keys.js';
import { reposWithRemote, type RepoWithRemote } from '../helpers/remote.js';

const repo = reposWithRemote();
const KEY = openaiKey('unpushed');
const DATES = { GIT_AUTHOR_DATE: '2024-02-03T04:05:06+02:00', GIT_COMMITTER_DATE: '2024-02-04T05:06:07-03:00' };

/** init (pushed) → clean (unpushed) → key (adds app.py with the key) → later (touches another file). */
function scenario(): { r: RepoWithRemote; pushed: string; clean: string; keyed: string; later: string } {
  const r = repo();
  r.write('README.md', 'demo\n');
  const pushed = r.commitAll('init');
  expect(r.push(['-q', 'origin', 'main']).status).toBe(0);
  r.write('notes.txt', 'notes\n');
  const clean = r.commitAll('clean work');
  r.write('app.py', `import openai\nopenai.api_key = '${KEY}'\n`);
  const keyed = r.commitAll('add the client', {
    GIT_AUTHOR_NAME: 'Ada',
    GIT_AUTHOR_EMAIL: 'ada@example.com',
    GIT_COMMITTER_NAME: 'Bob',
    GIT_COMMITTER_EMAIL: 'bob@example.com',
    ...DATES,
  });
  r.write('notes.txt', 'notes\nmore notes\n');
  const later = r.commitAll('more notes\n\nwith a body\n');
  return { r, pushed, clean, keyed, later };
}

/** Everything the refs (not the backup) reach, as patches: where a key would show. */
function visibleHistory(r: RepoWithRemote): string {
  return r.git('log', '-p', '--branches', '--remotes', '--tags', '--format=%H %an %ae %ad %cn %ce %cd%n%B');
}

function refs(r: RepoWithRemote): string {
  return r.git('for-each-ref', '--format=%(refname) %(objectname)');
}

describe('leakguard fix --unpushed', () => {
  test('rewrites the unpushed commits: no trace of the key in any ref, authors, dates and messages kept', () => {
    const { r, pushed, clean, keyed, later } = scenario();
    const meta = (c: string) => r.git('show', '-s', '--format=%an|%ae|%aD|%cn|%ce|%cD|%B', c);
    expect(visibleHistory(r)).toContain(KEY);
    const fixed = r.cli(['fix', '--unpushed']);
    expect(fixed.stderr).toBe('');
    expect(fixed.status).toBe(0);
    expect(fixed.stdout).toContain('Rewrote 2 unpushed commits');
    expect(fixed.stdout).not.toContain(KEY);

    const log = r.git('log', '--format=%H', 'main').trim().split('\n');
    expect(log).toHaveLength(4);
    // Commits before the first with the key keep their ids.
    expect(log.slice(2)).toEqual([clean, pushed]);
    expect(log[1]).not.toBe(keyed);
    expect(log[0]).not.toBe(later);
    expect(meta(log[1]!)).toBe(meta(keyed));
    expect(meta(log[0]!)).toBe(meta(later));

    expect(visibleHistory(r)).not.toContain(KEY);
    expect(r.git('show', 'main:app.py')).toBe('import os\nimport openai\nopenai.api_key = os.getenv("OPENAI_API_KEY")\n');
    expect(r.git('show', `${log[1]}:.gitignore`)).toBe('.env\n');
    expect(r.git('show', 'main:notes.txt')).toBe('notes\nmore notes\n');

    // Working tree and index follow the branch; the key is in .env, 0600, ignored.
    expect(r.git('status', '--porcelain')).toBe('');
    expect(readFileSync(path.join(r.root, 'app.py'), 'utf8')).toContain('os.getenv("OPENAI_API_KEY")');
    expect(readFileSync(path.join(r.root, '.env'), 'utf8')).toBe(`OPENAI_API_KEY=${KEY}\n`);
    expect(statSync(path.join(r.root, '.env')).mode & 0o777).toBe(0o600);

    // The old tip is kept, local only, and the output says how to drop it.
    const backup = r.git('for-each-ref', '--format=%(refname) %(objectname)', 'refs/leakguard/backup/').trim().split(' ');
    expect(backup[1]).toBe(later);
    expect(fixed.stdout).toContain(`git update-ref -d ${backup[0]}`);
    expect(fixed.stdout).toContain('git reflog expire --expire=now --all && git gc --prune=now');

    // And the push now goes through a scan clean.
    expect(r.cli(['scan', '--unpushed']).status).toBe(0);
  });

  test('--undo restores the old tip exactly, with index and working tree', () => {
    const { r, later } = scenario();
    expect(r.cli(['fix', '--unpushed']).status).toBe(0);
    const undone = r.cli(['fix', '--unpushed', '--undo']);
    expect(undone.stderr).toBe('');
    expect(undone.status).toBe(0);
    expect(r.git('rev-parse', 'main').trim()).toBe(later);
    expect(r.git('status', '--porcelain', '--untracked-files=no')).toBe('');
    expect(readFileSync(path.join(r.root, 'app.py'), 'utf8')).toContain(KEY);
    expect(r.git('for-each-ref', 'refs/leakguard/')).toBe('');
    // Nothing left to undo.
    expect(r.cli(['fix', '--unpushed', '--undo']).status).toBe(2);
  });

  test('--dry-run lists the commits and changes nothing', () => {
    const { r, keyed, later } = scenario();
    const refsBefore = refs(r);
    const index = readFileSync(path.join(r.root, '.git', 'index'));
    const dry = r.cli(['fix', '--unpushed', '--dry-run']);
    expect(dry.status).toBe(1);
    expect(dry.stdout).toContain('Would rewrite 2 unpushed commits (nothing was changed)');
    expect(dry.stdout).toContain(keyed.slice(0, 12));
    expect(dry.stdout).toContain(later.slice(0, 12));
    expect(dry.stdout).not.toContain(KEY);
    expect(refs(r)).toBe(refsBefore);
    expect(readFileSync(path.join(r.root, '.git', 'index')).equals(index)).toBe(true);
    expect(r.git('status', '--porcelain')).toBe('');
    expect(existsSync(path.join(r.root, '.env'))).toBe(false);
  });

  test('a key already pushed is refused: revoke it; nothing changed', () => {
    const r = repo();
    r.write('app.py', `import openai\nopenai.api_key = '${KEY}'\n`);
    r.commitAll('add the client');
    expect(r.push(['-q', 'origin', 'main']).status).toBe(0);
    // The unpushed commit touches the key's line: the scan finds it there.
    r.write('app.py', `import openai\nopenai.api_key = '${KEY}'  # prod\n`);
    const tip = r.commitAll('comment');
    const refsBefore = refs(r);
    const refused = r.cli(['fix', '--unpushed']);
    expect(refused.status).toBe(2);
    expect(refused.stderr).toMatch(/already pushed .*app\.py in origin\/main.*revoke the key.*git filter-repo/);
    expect(refused.stderr).not.toContain(KEY);
    expect(refs(r)).toBe(refsBefore);
    expect(r.git('rev-parse', 'HEAD').trim()).toBe(tip);
  });

  test('refuses a dirty work tree, a detached HEAD and a merge among the commits to rewrite', () => {
    const { r, later } = scenario();
    r.write('notes.txt', 'edited\n');
    expect(r.cli(['fix', '--unpushed']).stderr).toMatch(/uncommitted changes in notes\.txt/);
    r.git('checkout', '-q', '--', 'notes.txt');

    r.git('checkout', '-q', '--detach');
    expect(r.cli(['fix', '--unpushed']).stderr).toMatch(/HEAD is detached/);
    r.git('checkout', '-q', 'main');

    r.git('checkout', '-q', '-b', 'side', 'HEAD~1');
    r.write('side.txt', 'side\n');
    r.commitAll('side');
    r.git('checkout', '-q', 'main');
    r.git('merge', '-q', '--no-edit', '--no-ff', 'side');
    const merged = r.cli(['fix', '--unpushed']);
    expect(merged.status).toBe(2);
    expect(merged.stderr).toMatch(/is a merge/);
    expect(r.git('rev-parse', 'HEAD~1').trim()).toBe(later);
  });

  test('refuses while a rebase is stopped (clean work tree, so only the operation check can catch it), and after it works', () => {
    const { r, later } = scenario();
    r.git('-c', 'sequence.editor=sed -i 1s/^pick/edit/', 'rebase', '-q', '-i', 'HEAD~2');
    const refsBefore = refs(r);
    const refused = r.cli(['fix', '--unpushed']);
    expect(refused.status).toBe(2);
    expect(refused.stderr.trim()).toBe(
      'leakguard: error: a rebase is in progress: finish or abort it first, then run `npx leakguard fix --unpushed` again; nothing was changed',
    );
    expect(refs(r)).toBe(refsBefore);
    r.git('rebase', '--continue');
    expect(r.git('rev-parse', 'main').trim()).toBe(later);
    expect(r.cli(['fix', '--unpushed']).status).toBe(0);
    // --undo names the rebase too.
    r.git('-c', 'sequence.editor=sed -i 1s/^pick/edit/', 'rebase', '-q', '-i', 'HEAD~2');
    expect(r.cli(['fix', '--unpushed', '--undo']).stderr).toMatch(/a rebase is in progress/);
  });
});
