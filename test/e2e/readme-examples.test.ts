/**
 * The README's example outputs are real runs: `npm run docs:readme` runs the built
 * CLI in temp repositories (a bare repository as the remote) and rewrites the
 * blocks between `<!-- example:NAME -->` and `<!-- /example -->`. This test runs it
 * with --check, so an output that changes (a rule id, a message) fails here until
 * the README is regenerated.
 */
import { describe, expect, test } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { CLI, cleanEnv, PROJECT_ROOT, tempRepos } from '../helpers/repo.js';
import { openaiKey } from '../helpers/keys.js';

const repo = tempRepos();

const readme = () => readFileSync(path.join(PROJECT_ROOT, 'README.md'), 'utf8');

describe('README examples', () => {
  test('are what the built CLI prints today (npm run docs:readme --check)', () => {
    const result = spawnSync(process.execPath, ['scripts/docs-readme.mjs', '--check'], {
      cwd: PROJECT_ROOT,
      env: cleanEnv(),
      encoding: 'utf8',
      timeout: 110_000,
    });
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

  test('"I already pushed" shows something to act on: a scan that finds the pushed key in its commit, with where to revoke it', () => {
    const pushed = /<!-- example:pushed -->\n```console\n([\s\S]*?)```/.exec(readme())?.[1] ?? '';
    const scan = pushed.split(/^\$ /m).find((run) => run.startsWith('npx leakguard scan')) ?? '';
    expect(scan).toMatch(/✖ leakguard: 1 secret found/);
    expect(scan).toMatch(/in commit [0-9a-f]{12} by /);
    expect(scan).toMatch(/revoke and re-create it at https:\/\//);
    // …and rewriting is refused with the same advice, not only "nothing to rewrite".
    expect(pushed).toMatch(/Nothing to rewrite: .* must be revoked/);
  });

  test('layout: what it is, install (saying plainly there is no release yet), the scenarios, CI, configuration, speed, limits; the benchmark tables live in bench/README.md', () => {
    const text = readme();
    const headings = [...text.matchAll(/^## (.+)$/gm)].map((m) => m[1]!);
    const order = [/^Install$/, /^Three scenarios$/, /^CI$/, /^Configuration/, /^Speed$/, /^Limits/].map((re) =>
      headings.findIndex((h) => re.test(h)),
    );
    expect(order.every((i) => i >= 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    expect(text.indexOf('\n## ')).toBeGreaterThan(text.indexOf('**Stops API keys'));
    expect(text).toContain('**leakguard is not published to npm yet.**');
    expect(text).toMatch(/npm i -D \.\/leakguard\/leakguard-[\d.]+\.tgz/);
    expect(text).not.toMatch(/^\|.*\|$/m);
    expect(text).toContain('[bench/README.md](bench/README.md)');
    expect(existsSync(path.join(PROJECT_ROOT, 'bench/README.md'))).toBe(true);
    expect(existsSync(path.join(PROJECT_ROOT, 'LICENSE'))).toBe(true);
  });

  test('the README shows no rule id the rules do not have', () => {
    const rules = spawnSync(process.execPath, [path.join(PROJECT_ROOT, 'bin/leakguard.cjs'), 'rules', '--format', 'json'], {
      cwd: PROJECT_ROOT,
      env: cleanEnv(),
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
    });
    const ids = new Set((JSON.parse(rules.stdout) as { rules: { id: string }[] }).rules.map((r) => r.id));
    for (const [, id] of readme().matchAll(/\[([a-z0-9]+(?:-[a-z0-9]+)+)\]\s*$/gm)) expect(ids).toContain(id);
  });
});

/**
 * The README's CI snippets, run as scripts the way the runners do (bash -e), with the
 * pinned `npx --yes leakguard@VERSION` replaced by the built CLI: one scan writes the
 * SARIF file even when it exits 1, so the upload step has a file.
 */
describe('README CI snippets, run as scripts', () => {
  const version = (JSON.parse(readFileSync(path.join(PROJECT_ROOT, 'package.json'), 'utf8')) as { version: string }).version;
  const pinned = `npx --yes leakguard@${version} `;

  function snippets(): { name: string; script: string; env: (base: string, head: string) => NodeJS.ProcessEnv }[] {
    const text = readme();
    const plain = /\n {8}run: \|\n((?: {10}.*\n)+)/.exec(text)?.[1];
    const gitlab = /\n {2}script:\n((?: {4}- .*\n)+)/.exec(text)?.[1];
    if (!plain || !gitlab) throw new Error('README.md lost its plain-steps or GitLab snippet');
    return [
      { name: 'GitHub Actions plain steps', script: plain.replace(/^ {10}/gm, ''), env: (base, head) => ({ BASE: base, HEAD: head }) },
      {
        name: 'GitLab CI',
        script: gitlab.replace(/^ {4}- /gm, ''),
        env: (base, head) => ({ CI_MERGE_REQUEST_DIFF_BASE_SHA: base, CI_COMMIT_SHA: head }),
      },
    ];
  }

  test('every npx in them pins the version of package.json', () => {
    const calls = [...readme().matchAll(/npx --yes ([^\s`]+)/g)].map((m) => m[1]);
    expect(calls.length).toBeGreaterThan(0);
    for (const call of calls) expect(call).toBe(`leakguard@${version}`);
  });

  test.each(snippets().map((s) => [s.name, s] as const))(
    '%s: exit 1 on a key, and the SARIF file is written',
    (_name, snippet) => {
      expect(snippet.script).toContain(pinned);
      const r = repo({ committed: true });
      const base = r.git('rev-parse', 'HEAD').trim();
      r.write('app.py', `openai.api_key = "${openaiKey('readme-ci')}"\n`);
      r.git('add', 'app.py');
      const head = r.commit('add app');
      const script = snippet.script.replaceAll(pinned, `"${process.execPath}" "${CLI}" `);
      const run = spawnSync('bash', ['-e', '-c', script], {
        cwd: r.root,
        env: cleanEnv(snippet.env(base, head)),
        encoding: 'utf8',
        timeout: 60_000,
      });
      expect(run.status).toBe(1);
      expect(run.stdout).toContain('app.py');
      expect(existsSync(path.join(r.root, 'leakguard.sarif'))).toBe(true);
      const sarif = JSON.parse(readFileSync(path.join(r.root, 'leakguard.sarif'), 'utf8')) as { runs: { results: { ruleId: string }[] }[] };
      expect(sarif.runs[0]!.results.map((x) => x.ruleId)).toEqual(['openai-project-api-key']);
    },
    60_000,
  );
});
