import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { execFileSync, spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { cleanEnv, makeTempDir, PROJECT_ROOT, TempRepo } from '../helpers/repo.js';
import { openaiKey as syntheticOpenAIKey } from '../helpers/keys.js';

/**
 * The product as a user gets it: `npm pack`, installed into a husky project,
 * `leakguard install`, then real `git commit`s through the real hook.
 */
let packDir: string;
let tarball: string;
let project: TempRepo;

function commit(r: TempRepo, message: string) {
  return spawnSync('git', ['commit', '-m', message], { cwd: r.root, env: cleanEnv({ CI: 'true' }), encoding: 'utf8', input: '' });
}

beforeAll(() => {
  packDir = makeTempDir('leakguard-pack-');
  execFileSync('npm', ['pack', '--ignore-scripts', '--pack-destination', packDir], { cwd: PROJECT_ROOT, stdio: 'pipe' });
  tarball = path.join(packDir, readdirSync(packDir).find((f) => f.endsWith('.tgz'))!);
  project = new TempRepo();
  project.write('package.json', JSON.stringify({ name: 'demo', version: '1.0.0', private: true, devDependencies: {} }, null, 2));
  execFileSync('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', '--save-dev', tarball, 'husky@9'], {
    cwd: project.root,
    env: cleanEnv(),
    stdio: 'pipe',
  });
  execFileSync(path.join(project.root, 'node_modules/.bin/husky'), { cwd: project.root, env: cleanEnv(), stdio: 'pipe' });
  project.write('.gitignore', 'node_modules/\n');
}, 180_000);

afterAll(() => {
  project?.remove();
  rmSync(packDir, { recursive: true, force: true });
});

describe('husky project with leakguard installed from the packed tarball', () => {
  test('leakguard install adds the hook once (idempotent)', () => {
    const first = spawnSync(path.join(project.root, 'node_modules/.bin/leakguard'), ['install'], {
      cwd: project.root,
      env: cleanEnv(),
      encoding: 'utf8',
    });
    expect(first.status).toBe(0);
    const second = spawnSync(path.join(project.root, 'node_modules/.bin/leakguard'), ['install'], {
      cwd: project.root,
      env: cleanEnv(),
      encoding: 'utf8',
    });
    expect(second.status).toBe(0);
    const hook = readFileSync(path.join(project.root, '.husky/pre-commit'), 'utf8');
    expect(hook.match(/leakguard scan --staged/g)).toHaveLength(1);
  });

  test('a commit adding the tutorial key is refused, without printing the key', () => {
    const key = syntheticOpenAIKey('hook-tutorial');
    project.git('add', 'package.json', 'package-lock.json', '.gitignore', '.husky/pre-commit');
    project.write('app.py', `import openai\nopenai.api_key = '${key}'\n`);
    project.git('add', 'app.py');
    const before = spawnSync('git', ['rev-list', '--all', '--count'], { cwd: project.root, encoding: 'utf8' }).stdout.trim();
    const result = commit(project, 'add app');
    expect(result.status).not.toBe(0);
    const output = result.stdout + result.stderr;
    expect(output).toContain('app.py');
    expect(output).toContain('OPENAI_API_KEY');
    expect(output).toContain('npx leakguard fix');
    expect(output).not.toContain(key);
    const after = spawnSync('git', ['rev-list', '--all', '--count'], { cwd: project.root, encoding: 'utf8' }).stdout.trim();
    expect(after).toBe(before);
  });

  test('the same commit reading the key from the environment goes through', () => {
    project.write('app.py', 'import os\nimport openai\nopenai.api_key = os.getenv("OPENAI_API_KEY")\n');
    project.git('add', 'app.py');
    const result = commit(project, 'add app');
    expect(result.stderr + result.stdout).toContain('no secrets found');
    expect(result.status).toBe(0);
    expect(project.git('log', '--oneline')).toContain('add app');
  });
});
