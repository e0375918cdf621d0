import { afterAll, describe, expect, test } from '@jest/globals';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { cleanEnv, makeTempDir, PROJECT_ROOT, tempRepos, type TempRepo } from '../helpers/repo.js';
import { githubToken, openaiKey } from '../helpers/keys.js';
import { createRng, expandTemplate } from '../support/examples.js';

/**
 * `scan --format html` rendered by a real headless browser (Chromium from the
 * distribution; .ci/run installs it): the numbers on the page match the JSON
 * report, no full secret is anywhere in it, hostile names stay text, and the
 * screenshot of the run is kept in test-artifacts/html-report.png.
 */
const repo = tempRepos();
const CHROMIUM = ['chromium', 'chromium-browser', 'google-chrome'].find((c) => spawnSync('sh', ['-c', `command -v ${c}`]).status === 0);
const ARTIFACTS = path.join(PROJECT_ROOT, 'test-artifacts');
const profiles: string[] = [];
afterAll(() => profiles.forEach((p) => rmSync(p, { recursive: true, force: true })));

interface JsonReport {
  findings: { file: string; provider: string; fingerprint: string; commit?: string; secret: string }[];
}

/** Runs headless Chromium on a local file: the DOM after rendering, and a screenshot when asked. */
function chromium(file: string, screenshot?: string): string {
  if (!CHROMIUM) throw new Error('Chromium is not installed: apt-get install -y chromium (.ci/run does this)');
  const profile = makeTempDir('leakguard-chromium-');
  profiles.push(profile);
  const common = ['--headless', '--disable-gpu', '--no-sandbox', '--no-first-run', '--disable-extensions', `--user-data-dir=${profile}`];
  const url = `file://${file}`;
  if (screenshot) {
    const shot = spawnSync(CHROMIUM, [...common, `--screenshot=${screenshot}`, '--window-size=1280,2000', '--hide-scrollbars', url], {
      encoding: 'utf8',
      timeout: 90_000,
    });
    if (shot.status !== 0) throw new Error(`chromium --screenshot failed: ${shot.stderr}`);
  }
  const dom = spawnSync(CHROMIUM, [...common, '--dump-dom', url], { encoding: 'utf8', timeout: 90_000, maxBuffer: 64 * 1024 * 1024 });
  if (dom.status !== 0) throw new Error(`chromium --dump-dom failed: ${dom.stderr}`);
  return dom.stdout;
}

function commitAs(r: TempRepo, files: Record<string, string>, author: string, date: string, message: string): string {
  for (const [file, content] of Object.entries(files)) r.write(file, content);
  const env = cleanEnv({ GIT_AUTHOR_NAME: author, GIT_AUTHOR_DATE: date, GIT_COMMITTER_DATE: date });
  execFileSync('git', ['add', '-A'], { cwd: r.root, env, stdio: 'pipe' });
  execFileSync('git', ['commit', '-q', '-m', message], { cwd: r.root, env, stdio: 'pipe' });
  return execFileSync('git', ['rev-parse', 'HEAD'], { cwd: r.root, encoding: 'utf8', stdio: 'pipe' }).trim();
}

const HOSTILE_FILE = 'docs/<b>notes</b> & "quotes".md';
/** git itself drops "<" and ">" from names: the author brings "&", quotes and a bidi override. */
const HOSTILE_AUTHOR = 'Eve & "Mallory" \u202eadmin';

/** A history with four providers, a key removed from the tree since, hostile names, and a key in two commits. */
function historyRepo() {
  const r = repo();
  const keys = {
    openai: openaiKey('html-openai'),
    stripe: expandTemplate('sk_live_{{alnum:24}}', createRng('html-stripe')),
    github: githubToken('html-github'),
    anthropic: expandTemplate('sk-ant-api03-{{base64url:93}}AA', createRng('html-anthropic')),
  };
  const first = commitAs(
    r,
    {
      'app.py': `import openai\nopenai.api_key = "${keys.openai}"\n`,
      'config/settings.py': `STRIPE_KEY = "${keys.stripe}"\n`,
    },
    'Ada Lovelace',
    '2024-01-05T10:00:00+01:00',
    'first version',
  );
  commitAs(
    r,
    {
      'tools/deploy.sh': `#!/bin/sh\nexport GITHUB_TOKEN=${keys.github}\n`,
      [HOSTILE_FILE]: `ANTHROPIC_API_KEY=${keys.anthropic}\n`,
    },
    HOSTILE_AUTHOR,
    '2024-02-10T09:30:00+00:00',
    'deploy script',
  );
  commitAs(
    r,
    { 'config/settings.py': 'import os\nSTRIPE_KEY = os.getenv("STRIPE_KEY")\n' },
    'Ada Lovelace',
    '2024-03-01T12:00:00+00:00',
    'stripe key from env',
  );
  commitAs(
    r,
    { 'app.py': `import openai\n\nopenai.api_key = "${keys.openai}"  # v2 client\nprint("v2")\n` },
    'Ada Lovelace',
    '2024-03-15T12:00:00+00:00',
    'v2',
  );
  return { r, keys, first };
}

function attributes(html: string, name: string): string[] {
  return [...html.matchAll(new RegExp(`${name}="([^"]*)"`, 'g'))].map((m) => unescapeHtml(m[1]!));
}

function unescapeHtml(text: string): string {
  return text
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&');
}

describe('scan --format html', () => {
  test('history: the rendered page matches the JSON report, holds no secret, keeps hostile names as text; screenshot kept', () => {
    const { r, keys, first } = historyRepo();
    const json = r.cli(['scan', '--history', '--format', 'json']);
    expect(json.status).toBe(1);
    const report = JSON.parse(json.stdout) as JsonReport;
    const run = r.cli(['scan', '--history', '--format', 'html', '--output', 'report.html']);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(1);
    const file = path.join(r.root, 'report.html');
    const source = readFileSync(file, 'utf8');

    mkdirSync(ARTIFACTS, { recursive: true });
    const screenshot = path.join(ARTIFACTS, 'html-report.png');
    rmSync(screenshot, { force: true });
    const dom = chromium(file, screenshot);
    expect(statSync(screenshot).size).toBeGreaterThan(20_000);
    expect(readFileSync(screenshot).subarray(1, 4).toString('latin1')).toBe('PNG');

    // The numbers: findings, providers and files, as the JSON report counts them.
    expect(dom.match(/<tr class="finding"/g)).toHaveLength(report.findings.length);
    expect(new Set(attributes(dom, 'data-provider'))).toEqual(new Set(report.findings.map((f) => f.provider)));
    expect(new Set(attributes(dom, 'data-file'))).toEqual(new Set(report.findings.map((f) => f.file)));
    const stat = (name: string) => Number(new RegExp(`data-stat="${name}"><span class="num">(\\d+)<`).exec(dom)?.[1]);
    expect(stat('findings')).toBe(report.findings.length);
    expect(stat('providers')).toBe(new Set(report.findings.map((f) => f.provider)).size);
    expect(stat('files')).toBe(new Set(report.findings.map((f) => f.file)).size);
    expect(stat('keys')).toBe(new Set(report.findings.map((f) => f.fingerprint)).size);
    expect(report.findings.length).toBeGreaterThan(stat('keys')); // the OpenAI key is in two commits
    expect(new Set(report.findings.map((f) => f.provider)).size).toBe(4);

    // Still in the tree: the Stripe key was replaced since; the others are at HEAD.
    const providerOf = (file: string) => report.findings.find((f) => f.file === file)!.provider;
    const presentOf = (file: string) => {
      const provider = providerOf(file).replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      const section = new RegExp(`data-provider="${provider}"[\\s\\S]*?</details>`).exec(dom)![0];
      return [...new Set(attributes(section, 'data-present'))];
    };
    expect(presentOf('config/settings.py')).toEqual(['false']);
    expect(presentOf('app.py')).toEqual(['true']);
    expect(presentOf('tools/deploy.sh')).toEqual(['true']);
    expect(presentOf(HOSTILE_FILE)).toEqual(['true']);
    expect(stat('present')).toBe(3);
    expect(stat('removed')).toBe(1);

    // The timeline: oldest first, each key once, with the commit that added it.
    const timeline = /<ol class="timeline">([\s\S]*?)<\/ol>/.exec(dom)![1]!;
    expect(timeline.match(/<li /g)).toHaveLength(4);
    expect(timeline.indexOf(first.slice(0, 12))).toBeGreaterThan(-1);
    expect(timeline.indexOf('2024-01-05')).toBeLessThan(timeline.indexOf('2024-02-10'));

    // No full secret anywhere, in the file or the rendered page; no script, nothing loaded from elsewhere.
    for (const key of Object.values(keys)) {
      expect(source).not.toContain(key);
      expect(dom).not.toContain(key);
      expect(source).not.toContain(key.slice(8, 24));
    }
    expect(dom).not.toMatch(/<script|<img|<link|<iframe|\bsrc=/i);
    expect(source).not.toMatch(
      /url\(|@import|https?:\/\/(?!platform\.openai\.com|dashboard\.stripe\.com|github\.com|console\.anthropic\.com)/,
    );
    expect(source).toContain('Eve &amp; &quot;Mallory&quot; \\u202eadmin');
    expect(source).not.toContain('\u202e');
    expect(dom).toContain('docs/&lt;b&gt;notes&lt;/b&gt; &amp; "quotes".md');
    expect(dom).not.toContain('<b>notes</b>');
  });

  test('a working-tree scan: every key is in the tree, no timeline; a clean scan says so', () => {
    const r = repo({ committed: true });
    const key = openaiKey('html-tree');
    r.write('src/app.py', `KEY = "${key}"\n`);
    const run = r.cli(['scan', '.', '--format', 'html']);
    expect(run.status).toBe(1);
    expect(run.stdout).not.toContain(key);
    expect(run.stdout).not.toContain('<ol class="timeline">');
    expect(attributes(run.stdout, 'data-present')).toEqual(['true']);
    expect(run.stdout).toContain('<h1>1 secret found</h1>');

    const clean = repo({ committed: true });
    const none = clean.cli(['scan', '.', '--format', 'html']);
    expect(none.status).toBe(0);
    expect(none.stdout).toContain('<h1 class="clean">No secrets found</h1>');
    expect(none.stdout).not.toContain('<tr class="finding"');
  });
});
