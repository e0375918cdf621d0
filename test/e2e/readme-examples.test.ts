/**
 * The README's example outputs are real runs: `npm run docs:readme` runs the built
 * CLI in temp repositories (a bare repository as the remote) and rewrites the
 * blocks between `<!-- example:NAME -->` and `<!-- /example -->`. This test runs it
 * with --check, so an output that changes (a rule id, a message) fails here until
 * the README is regenerated.
 */
import { describe, expect, test } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { cleanEnv, PROJECT_ROOT } from '../helpers/repo.js';

const readme = () => readFileSync(path.join(PROJECT_ROOT, 'README.md'), 'utf8');

describe('README examples', () => {
  test('are what the built CLI prints today (npm run docs:readme --check)', () => {
    const result = spawnSync(process.execPath, ['scripts/docs-readme.mjs', '--check'], { cwd: PROJECT_ROOT, env: cleanEnv(), encoding: 'utf8', timeout: 110_000 });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
  }, 120_000);

  test('the three scenarios each have a generated block, and no block shows a key in full', () => {
    const blocks = [...readme().matchAll(/<!-- example:([a-z-]+) -->\n```console\n([\s\S]*?)```\n<!-- \/example -->/g)];
    expect(blocks.map((b) => b[1])).toEqual(['pasted-key', 'no-verify', 'pushed']);
    for (const [, , text] of blocks) {
      expect(text).toContain('[openai-project-api-key]');
      expect(text).toMatch(/secret: sk-pro…\S\S/);
      expect(text).not.toMatch(/sk-proj-[A-Za-z0-9_-]{20,}/);
    }
  });

  test('the README shows no rule id the rules do not have', () => {
    const rules = spawnSync(process.execPath, [path.join(PROJECT_ROOT, 'bin/leakguard.cjs'), 'rules', '--format', 'json'], { cwd: PROJECT_ROOT, env: cleanEnv(), encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
    const ids = new Set((JSON.parse(rules.stdout) as { rules: { id: string }[] }).rules.map((r) => r.id));
    for (const [, id] of readme().matchAll(/\[([a-z0-9]+(?:-[a-z0-9]+)+)\]\s*$/gm)) expect(ids).toContain(id);
  });
});
