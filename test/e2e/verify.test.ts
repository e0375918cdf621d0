/**
 * `scan --verify` through the built CLI, in real repositories, with no network: every
 * run that may verify has HTTPS_PROXY (both spellings) pointing at a closed port on
 * 127.0.0.1 and NO_PROXY empty, so each check ends as `unknown (proxy error)` without
 * a packet leaving loopback (the proxy resolves names, so not even DNS is asked).
 * Covered: the host list on stderr, the JSON/SARIF/GitHub/text forms, --fail-on,
 * --only-verified, the hook and fork-pull-request rules, lazy loading, and that no key
 * appears in anything printed.
 */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import net, { type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { githubToken, openaiKey } from '../helpers/keys.js';
import { cleanEnv, PROJECT_ROOT, tempRepos, type TempRepo } from '../helpers/repo.js';

const repo = tempRepos();
const KEYS = [openaiKey('verify-e2e'), githubToken('verify-e2e')];
const printed: string[] = [];
let closedPort = 0;
let offline: NodeJS.ProcessEnv;

beforeAll(async () => {
  const probe = net.createServer();
  await new Promise<void>((r) => probe.listen(0, '127.0.0.1', () => r()));
  closedPort = (probe.address() as AddressInfo).port;
  await new Promise((r) => probe.close(r));
  const proxy = `http://127.0.0.1:${closedPort}`;
  offline = { HTTPS_PROXY: proxy, https_proxy: proxy, NO_PROXY: '', no_proxy: '', GITHUB_EVENT_NAME: '', GITHUB_EVENT_PATH: '' };
});

afterAll(() => {
  // The all-output sweep: no run printed a key.
  const leaks = KEYS.filter((k) => printed.some((text) => text.includes(k)));
  expect(leaks.map((k) => `${k.slice(0, 6)}… (${k.length} chars)`)).toEqual([]);
});

function withKeys(r: TempRepo): TempRepo {
  r.write('app.py', `import openai\nopenai.api_key = '${KEYS[0]}'\n`);
  r.write('src/gh.js', `const token = "${KEYS[1]}";\n`);
  r.git('add', '-A');
  return r;
}

function run(r: TempRepo, args: string[], env: NodeJS.ProcessEnv = {}) {
  const result = r.cli(args, { env: { ...offline, ...env } });
  printed.push(result.stdout, result.stderr);
  return result;
}

const hostLine = (port: number) =>
  `leakguard: --verify: checking keys with api.github.com, api.openai.com through the proxy http://127.0.0.1:${port} (HTTPS, read-only requests)`;

interface JsonFinding {
  ruleId: string;
  verification?: { status: string; provider: string; checkedAt: string; reason?: string };
}

describe('scan --verify (built CLI, no network)', () => {
  test('JSON: each finding carries its verification; the hosts are named on stderr first', () => {
    const r = withKeys(repo());
    const result = run(r, ['scan', '--staged', '--verify', '--format', 'json']);
    expect(result.status).toBe(1);
    expect(result.stderr.split('\n')[0]).toBe(hostLine(closedPort));
    const findings = (JSON.parse(result.stdout) as { findings: JsonFinding[] }).findings;
    expect(findings).toHaveLength(2);
    for (const f of findings) {
      expect(f.verification).toEqual({
        status: 'unknown',
        provider: expect.any(String),
        checkedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
        reason: 'proxy error (ECONNREFUSED)',
      });
    }
    expect(findings.map((f) => f.verification!.provider).sort()).toEqual(['GitHub', 'OpenAI']);
  });

  test('--fail-on live: unknown keys are reported but do not fail; --fail-on any (the default) fails', () => {
    const r = withKeys(repo());
    const live = run(r, ['scan', '--staged', '--fail-on', 'live']);
    expect(live.status).toBe(0);
    expect(live.stdout).toMatch(/2 secrets found/);
    expect(live.stdout).toMatch(/not verified: proxy error \(ECONNREFUSED\)/);
    expect(live.stderr).toContain(hostLine(closedPort));
    expect(run(r, ['scan', '--staged', '--verify', '--fail-on', 'any']).status).toBe(1);
    expect(run(r, ['scan', '--staged', '--fail-on', 'sometimes']).status).toBe(2);
  });

  test('--only-verified: nothing confirmed live, nothing reported, and stderr says what was hidden', () => {
    const r = withKeys(repo());
    const result = run(r, ['scan', '--staged', '--only-verified', '--format', 'json']);
    expect(result.status).toBe(0);
    expect((JSON.parse(result.stdout) as { findings: unknown[] }).findings).toEqual([]);
    expect(result.stderr).toContain('leakguard: --only-verified: 2 findings not shown (revoked or not confirmed live)');
  });

  test('SARIF: an unconfirmed key is a warning with its verification; without --verify, an error as before', () => {
    const r = withKeys(repo());
    const sarif = (args: string[]) => {
      const result = run(r, ['scan', '--staged', '--format', 'sarif', ...args]);
      return (
        JSON.parse(result.stdout) as {
          runs: Array<{ results: Array<{ level: string; properties?: { verification?: { status: string } } }> }>;
        }
      ).runs[0]!.results;
    };
    const verified = sarif(['--verify']);
    expect(verified.map((x) => x.level)).toEqual(['warning', 'warning']);
    expect(verified.map((x) => x.properties?.verification?.status)).toEqual(['unknown', 'unknown']);
    expect(sarif([]).map((x) => x.level)).toEqual(['error', 'error']);
  });

  test('GitHub annotations: an unconfirmed key is a ::warning', () => {
    const r = withKeys(repo());
    const result = run(r, ['scan', '--staged', '--format', 'github', '--verify']);
    expect(
      result.stdout
        .split('\n')
        .filter((l) => l.startsWith('::'))
        .map((l) => l.split(' ')[0]),
    ).toEqual(['::warning', '::warning']);
  });

  test('no findings: nothing to check, no host is named', () => {
    const r = repo();
    r.write('README.md', 'nothing here\n');
    r.git('add', '-A');
    const result = run(r, ['scan', '--staged', '--verify']);
    expect(result.status).toBe(0);
    expect(result.stderr).not.toMatch(/checking keys/);
  });
});

describe('where --verify may run', () => {
  test('in a git hook without "verify": {"hook": true}: skipped, said on stderr, and every finding counts', () => {
    const r = withKeys(repo());
    const inHook = { GIT_INDEX_FILE: join(r.root, '.git', 'index') };
    const result = run(r, ['scan', '--staged', '--verify', '--fail-on', 'live', '--only-verified', '--format=json'], inHook);
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/--verify skipped: verification in a git hook needs "verify": \{"hook": true\} in \.leakguard\.json/);
    expect(result.stderr).not.toMatch(/checking keys/);
    const findings = (JSON.parse(result.stdout) as { findings: JsonFinding[] }).findings;
    expect(findings).toHaveLength(2);
    expect(findings.every((f) => f.verification === undefined)).toBe(true);
  });

  test('"verify": {"hook": true}: the hook\'s own command (the hot path) verifies; outside a hook it does not', () => {
    const r = withKeys(repo());
    r.write('.leakguard.json', JSON.stringify({ verify: { hook: true } }));
    const inHook = run(r, ['scan', '--staged', '--format=json'], { GIT_INDEX_FILE: join(r.root, '.git', 'index') });
    expect(inHook.status).toBe(1);
    expect(inHook.stderr).toContain(hostLine(closedPort));
    expect((JSON.parse(inHook.stdout) as { findings: JsonFinding[] }).findings.map((f) => f.verification?.status)).toEqual([
      'unknown',
      'unknown',
    ]);
    const outside = run(r, ['scan', '--staged', '--format=json']);
    expect(outside.stderr).not.toMatch(/checking keys/);
    expect((JSON.parse(outside.stdout) as { findings: JsonFinding[] }).findings.every((f) => f.verification === undefined)).toBe(true);
  });

  test('a pull request from a fork needs "forkPullRequests": true; the repository\'s own pull request does not', () => {
    const r = withKeys(repo());
    const event = (head: string) => {
      const file = join(r.root, '..', `${r.root.split('/').pop()}-event-${head.replace('/', '-')}.json`);
      writeFileSync(
        file,
        JSON.stringify({ pull_request: { head: { repo: { full_name: head } }, base: { repo: { full_name: 'owner/repo' } } } }),
      );
      return { GITHUB_EVENT_NAME: 'pull_request', GITHUB_EVENT_PATH: file };
    };
    const fork = run(r, ['scan', '--staged', '--verify'], event('someone/repo'));
    expect(fork.stderr).toMatch(
      /--verify skipped: verification on a pull request from a fork needs "verify": \{"forkPullRequests": true\}/,
    );
    expect(fork.stderr).not.toMatch(/checking keys/);
    const own = run(r, ['scan', '--staged', '--verify'], event('owner/repo'));
    expect(own.stderr).toContain(hostLine(closedPort));
    r.write('.leakguard.json', JSON.stringify({ verify: { forkPullRequests: true } }));
    expect(run(r, ['scan', '--staged', '--verify'], event('someone/repo')).stderr).toContain(hostLine(closedPort));
  });

  test('a bad "verify" config value is a config error (exit 2)', () => {
    const r = withKeys(repo());
    r.write('.leakguard.json', JSON.stringify({ verify: { hooks: true } }));
    const result = run(r, ['scan', '--staged', '--verify']);
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/\.leakguard\.json: verify\.hooks: unknown field/);
  });
});

describe('the hot path does not load verification unless asked', () => {
  test('without dist/full.cjs, a staged scan still runs (with "verify" configured, outside a hook); a verifying one cannot', () => {
    const copy = mkdtempSync(join(tmpdir(), 'leakguard-hot-'));
    try {
      for (const part of ['bin', 'dist', 'package.json']) cpSync(join(PROJECT_ROOT, part), join(copy, part), { recursive: true });
      rmSync(join(copy, 'dist', 'full.cjs'));
      const r = withKeys(repo());
      r.write('.leakguard.json', JSON.stringify({ verify: { hook: true } }));
      const cli = (args: string[], env: NodeJS.ProcessEnv = {}) => {
        const result = spawnSync(process.execPath, [join(copy, 'bin', 'leakguard.cjs'), ...args], {
          cwd: r.root,
          env: cleanEnv({ ...offline, LEAKGUARD_NO_CODE_CACHE: '1', ...env }),
          encoding: 'utf8',
          maxBuffer: 64 * 1024 * 1024,
        });
        printed.push(result.stdout, result.stderr);
        return result;
      };
      const plain = cli(['scan', '--staged', '--format=json']);
      expect(plain.status).toBe(1);
      expect((JSON.parse(plain.stdout) as { findings: unknown[] }).findings).toHaveLength(2);
      // The same command inside a hook verifies, which needs the lazily loaded code.
      const hook = cli(['scan', '--staged', '--format=json'], { GIT_INDEX_FILE: join(r.root, '.git', 'index') });
      expect(hook.status).toBe(2);
    } finally {
      rmSync(copy, { recursive: true, force: true });
    }
  });
});
