/**
 * Honest rollbacks (issue 15 item 4): a rollback that could not restore something
 * says exactly what, never "rolled back", and `fix --undo` finishes the job.
 */
import { describe, expect, it } from '@jest/globals';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic, type FileWriter } from '../../src/fs/atomic-write.js';
import { runFix, undoLastFix } from '../../src/fix/index.js';
import { findingIn, openaiKey } from '../helpers/keys.js';
import { tempRepos } from '../helpers/repo.js';

const newRepo = tempRepos();
const KEY = openaiKey('fix-rollback');
const SOURCE = `import openai\nopenai.api_key = '${KEY}'\n`;

describe('a rollback that cannot restore everything', () => {
  it('names what it could not restore, never claims "rolled back", and fix --undo finishes', async () => {
    const repo = newRepo({ committed: true });
    repo.write('app.py', SOURCE);
    repo.git('add', 'app.py');
    const finding = findingIn('app.py', SOURCE, KEY);
    // The .env write fails (disk full), and by then a folder stands where app.py was,
    // so the rollback cannot put the working-tree app.py back.
    const failing: FileWriter = async (path, data, options) => {
      if (path.endsWith('/.env')) {
        rmSync(join(repo.root, 'app.py'));
        mkdirSync(join(repo.root, 'app.py', 'blocker'), { recursive: true });
        writeFileSync(join(repo.root, 'app.py', 'blocker', 'x'), 'x');
        throw new Error('disk full');
      }
      await writeFileAtomic(path, data, options);
    };

    const error = (await runFix({ repoRoot: repo.root, findings: [finding], mode: 'yes', writeFile: failing }).catch(
      (e: unknown) => e,
    )) as Error;

    expect(error.message).not.toContain('every change was rolled back');
    expect(error.message).toContain('could NOT be fully rolled back: app.py (working tree) still holds');
    expect(error.message).toContain('npx leakguard fix --undo');
    expect(error.message).not.toContain(KEY);
    expect(repo.git('show', ':app.py')).toBe(SOURCE); // the index entry was restored all the same

    // In-process, as the fix above was: its in-progress marker names this (live) process.
    rmSync(join(repo.root, 'app.py'), { recursive: true });
    await undoLastFix(repo.root);
    expect(readFileSync(join(repo.root, 'app.py'), 'utf8')).toBe(SOURCE);
    expect(repo.git('status', '--porcelain')).toBe('A  app.py\n');
  });
});
