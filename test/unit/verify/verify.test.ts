/**
 * The verification runner with an in-process transport (nothing leaves the process):
 * one request per distinct key, bounded concurrency, time-outs, the host list before
 * the first request, answers shared with findings of the same key, and no key in any
 * reason. Also: the checks of a rule's verify block, SigV4, the fork / hook policy.
 */
import { describe, expect, test } from '@jest/globals';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Finding } from '../../../src/detect/finding.js';
import { parseConfig } from '../../../src/config/load-config.js';
import { ConfigError, RuleError } from '../../../src/errors.js';
import { createRng, expandTemplate } from '../../support/examples.js';
import { parseRuleFile } from '../../../scripts/rule-files.js';
import type { RuleSpec } from '../../../src/rules/rule.js';
import { failingFindings, verifyForCli } from '../../../src/verify/cli-verify.js';
import { isForkPullRequest, verificationBlocked } from '../../../src/verify/policy.js';
import { bypassed, parseProxy } from '../../../src/verify/proxy.js';
import { signV4 } from '../../../src/verify/sigv4.js';
import { verifySpecProblem } from '../../../src/rules/verify-spec/spec-check.js';
import { TransportError, type OutgoingRequest, type Transport } from '../../../src/verify/transport.js';
import type { HttpVerifySpec, VerifySpec } from '../../../src/rules/verify-spec/types.js';
import { verifyFindings } from '../../../src/verify/verify.js';

const key = (seed: string): string => expandTemplate('tok_{{alnum:40}}', createRng(seed));

const SPEC: HttpVerifySpec = {
  method: 'GET',
  url: 'https://api.example-provider.com/v1/me',
  headers: { Authorization: 'Bearer {{secret}}' },
  live: [200],
  revoked: [401],
};

function rule(id: string, verify?: VerifySpec): RuleSpec {
  return {
    id,
    provider: id,
    description: id,
    regex: '(?<secret>x)',
    keywords: [],
    envVar: 'X',
    verify,
    examples: { positive: [], negative: [] },
  };
}

function finding(ruleId: string, secret: string, extra: Partial<Finding> = {}): Finding {
  return {
    ruleId,
    provider: ruleId,
    description: ruleId,
    file: 'a.py',
    line: 1,
    column: 1,
    endLine: 1,
    endColumn: 2,
    secret,
    fingerprint: `${ruleId}-${secret.slice(-4)}`,
    envVar: 'X',
    ...extra,
  };
}

function recorder(answer: (request: OutgoingRequest) => Promise<{ status: number; body?: string }> | { status: number; body?: string }) {
  const requests: OutgoingRequest[] = [];
  const transport: Transport = async (request) => {
    requests.push(request);
    const a = await answer(request);
    return { status: a.status, body: a.body ?? '' };
  };
  return { requests, transport };
}

describe('verifyFindings', () => {
  test('each distinct key is sent once, however many findings, files and commits hold it', async () => {
    const [a, b] = [key('a'), key('b')];
    const findings = [
      finding('p', a),
      finding('p', a, { file: 'b.py', line: 9 }),
      finding('p', a, { commit: 'c1' }),
      finding('p', b),
      finding('p', b, { commit: 'c2' }),
    ];
    const { requests, transport } = recorder((r) => ({ status: r.headers.authorization === `Bearer ${a}` ? 200 : 401 }));
    const verified = await verifyFindings(findings, [rule('p', SPEC)], { transport });
    expect(requests).toHaveLength(2);
    expect(verified.map((f) => f.verification?.status)).toEqual(['live', 'live', 'live', 'revoked', 'revoked']);
  });

  test('an AWS key pair found as two findings is one request', async () => {
    const id = expandTemplate('AKIA{{base32:16}}', createRng('id'));
    const secret = expandTemplate('{{base64:40}}', createRng('secret'));
    const rules = [
      rule('aws-access-key-id', { verifier: 'aws-sts', companion: { rules: ['aws-secret-access-key'], name: 'secret' } }),
      rule('aws-secret-access-key', { verifier: 'aws-sts', companion: { rules: ['aws-access-key-id'], name: 'id' } }),
    ];
    const { requests, transport } = recorder(() => ({ status: 200, body: '<GetCallerIdentityResult/>' }));
    const verified = await verifyFindings(
      [finding('aws-access-key-id', id), finding('aws-secret-access-key', secret, { line: 2 })],
      rules,
      { transport },
    );
    expect(requests).toHaveLength(1);
    expect(verified.map((f) => f.verification?.status)).toEqual(['live', 'live']);
  });

  test('at most `concurrency` requests are under way at once', async () => {
    let active = 0;
    let most = 0;
    const transport: Transport = async () => {
      active++;
      most = Math.max(most, active);
      await new Promise((r) => setTimeout(r, 5));
      active--;
      return { status: 200, body: '' };
    };
    const findings = Array.from({ length: 30 }, (_, i) => finding('p', key(`k${i}`)));
    await verifyFindings(findings, [rule('p', SPEC)], { transport, concurrency: 8 });
    expect(most).toBe(8);
    most = 0;
    await verifyFindings(findings, [rule('p', SPEC)], { transport, concurrency: 3 });
    expect(most).toBe(3);
  });

  test('a provider that never answers: unknown after the time-out, and the transport is told to stop', async () => {
    let aborted = false;
    const transport: Transport = (_request, signal) =>
      new Promise(() => {
        signal.addEventListener('abort', () => (aborted = true));
      });
    const [verified] = await verifyFindings([finding('p', key('slow'))], [rule('p', SPEC)], { transport, timeoutMs: 50 });
    expect(verified!.verification).toMatchObject({ status: 'unknown', reason: 'no answer within 0.05 s' });
    expect(aborted).toBe(true);
  });

  test('the default time-out is 3 s and the default concurrency 8', async () => {
    const { DEFAULT_TIMEOUT_MS, DEFAULT_CONCURRENCY } = await import('../../../src/verify/verify.js');
    expect([DEFAULT_TIMEOUT_MS, DEFAULT_CONCURRENCY]).toEqual([3000, 8]);
  });

  test('the hosts are handed over before the first request; none when nothing is sent', async () => {
    const events: string[] = [];
    const transport: Transport = async (request) => {
      events.push(`request ${request.url.hostname}`);
      return { status: 200, body: '' };
    };
    const other: HttpVerifySpec = { ...SPEC, url: 'https://auth.other-provider.net/check' };
    await verifyFindings([finding('p', key('1')), finding('q', key('2'))], [rule('p', SPEC), rule('q', other)], {
      transport,
      onPlan: (hosts) => events.push(`plan ${hosts.join(',')}`),
    });
    expect(events[0]).toBe('plan api.example-provider.com,auth.other-provider.net');
    expect(events.slice(1).sort()).toEqual(['request api.example-provider.com', 'request auth.other-provider.net']);
    events.length = 0;
    await verifyFindings([finding('x', key('3'))], [rule('x', { unsupported: 'no endpoint' })], {
      transport,
      onPlan: () => events.push('plan'),
    });
    expect(events).toEqual([]);
  });

  test('a finding of a rule without a check takes the answer given for the same key', async () => {
    const secret = key('shared');
    const { transport } = recorder(() => ({ status: 200 }));
    const verified = await verifyFindings(
      [finding('generic-secret', secret), finding('p', secret, { line: 2 }), finding('generic-secret', key('alone'))],
      [rule('p', SPEC), rule('generic-secret')],
      { transport },
    );
    expect(verified.map((f) => [f.verification?.status, f.verification?.provider])).toEqual([
      ['live', 'p'],
      ['live', 'p'],
      ['unknown', 'generic-secret'],
    ]);
    expect(verified[2]!.verification?.reason).toBe('no live check for this rule');
  });

  test('network failures become a reason without any text from the network stack', async () => {
    const secret = key('err');
    const cases: [unknown, string][] = [
      [new TransportError('network', 'ECONNRESET'), 'network error (ECONNRESET)'],
      [new TransportError('proxy', '407'), 'proxy error (407)'],
      [new TransportError('tls', 'CERT_HAS_EXPIRED'), 'TLS error (CERT_HAS_EXPIRED)'],
      [new Error(`getaddrinfo ENOTFOUND https://x/${secret}`), 'request failed'],
    ];
    for (const [error, reason] of cases) {
      const transport: Transport = async () => {
        throw error;
      };
      const [verified] = await verifyFindings([finding('p', secret)], [rule('p', SPEC)], { transport });
      expect(verified!.verification).toMatchObject({ status: 'unknown', reason });
      expect(JSON.stringify(verified!.verification)).not.toContain(secret);
    }
  });

  test('a value with spaces or control characters is never sent', async () => {
    const { requests, transport } = recorder(() => ({ status: 200 }));
    const [verified] = await verifyFindings([finding('p', 'abc def\r\nX-Evil: 1')], [rule('p', SPEC)], { transport });
    expect(requests).toEqual([]);
    expect(verified!.verification?.reason).toMatch(/not sent/);
  });

  test('a URL template field is percent-encoded and cannot change the host or path', async () => {
    const { requests, transport } = recorder(() => ({ status: 200 }));
    const spec: HttpVerifySpec = { ...SPEC, url: 'https://api.example-provider.com/check?key={{secret}}', headers: {} };
    await verifyFindings([finding('p', 'a/../b?c=d&e#f@evil.com')], [rule('p', spec)], { transport });
    expect(requests[0]!.url.hostname).toBe('api.example-provider.com');
    expect(requests[0]!.url.pathname).toBe('/check');
    expect(requests[0]!.url.search).toBe('?key=a%2F..%2Fb%3Fc%3Dd%26e%23f%40evil.com');
  });
});

describe("a rule's verify block is checked", () => {
  const problem = (spec: object) => verifySpecProblem(spec as VerifySpec)?.reason;
  test('the URL is https with a fixed host: no http, no key in the host, no port, no user info', () => {
    expect(problem(SPEC)).toBeUndefined();
    expect(problem({ ...SPEC, url: 'http://api.example-provider.com/v1/me' })).toMatch(/https/);
    expect(problem({ ...SPEC, url: 'https://{{secret}}.example-provider.com/v1/me' })).toMatch(/fixed/);
    expect(problem({ ...SPEC, url: 'https://api.example-provider.com.{{secret}}/x' })).toMatch(/fixed/);
    expect(problem({ ...SPEC, url: 'https://{{secret}}@api.example-provider.com/' })).toMatch(/fixed/);
    expect(problem({ ...SPEC, url: 'https://api.example-provider.com:8443/v1' })).toMatch(/fixed/);
    expect(problem({ ...SPEC, url: 'https://localhost/v1' })).toMatch(/fixed/);
    expect(problem({ ...SPEC, url: 'https://API.example.com/v1' })).toMatch(/fixed/);
  });

  test('template fields, headers, status lists and verifier names', () => {
    expect(problem({ ...SPEC, headers: { Authorization: 'Bearer {{token}}' } })).toMatch(/unknown template field \{\{token\}\}/);
    expect(problem({ ...SPEC, headers: { Authorization: 'Bearer {{companion}}' } })).toMatch(/without a companion/);
    expect(problem({ ...SPEC, headers: {} })).toMatch(/never sends \{\{secret\}\}/);
    expect(problem({ ...SPEC, headers: { Host: 'evil.com', Authorization: '{{secret}}' } })).toMatch(/transport/);
    expect(problem({ ...SPEC, live: [200, 302] })).toMatch(/redirect/);
    expect(problem({ ...SPEC, revoked: [429] })).toMatch(/rate limited/);
    expect(problem({ ...SPEC, revoked: [] })).toMatch(/revokedBody/);
    expect(problem({ ...SPEC, revoked: [200] })).toMatch(/both live and revoked/);
    expect(problem({ ...SPEC, method: 'DELETE' })).toMatch(/GET, POST or HEAD/);
    expect(problem({ ...SPEC, body: '{}' })).toMatch(/only a POST/);
    expect(problem({ verifier: 'aws-sts' })).toBeUndefined();
    expect(problem({ verifier: 'gcp-oauth' })).toMatch(/unknown verifier/);
    expect(problem({ unsupported: ' ' })).toMatch(/why/);
  });

  test('a rule in .leakguard.json cannot carry a verify block (only built-in rules choose where keys are sent)', async () => {
    const config = JSON.stringify({ rules: [{ id: 'mine', regex: '(?<secret>mine_[a-z]{20})', verify: SPEC }] });
    await expect(parseConfig(config, '.leakguard.json')).rejects.toThrow(ConfigError);
    await expect(parseConfig(config, '.leakguard.json')).rejects.toThrow(/rules\[mine\]\.verify: unknown field/);
    expect(await parseConfig(JSON.stringify({ verify: true }), '.leakguard.json')).toEqual({ verify: true });
    await expect(parseConfig(JSON.stringify({ verify: { hook: 'yes' } }), '.leakguard.json')).rejects.toThrow(
      /verify\.hook: must be true or false/,
    );
  });

  test('a bad verify block fails the rule-file check with the rule id and field', () => {
    const file = (verify: VerifySpec): string => {
      const { provider: _provider, ...bad } = rule('demo-key', verify);
      const examples = { positive: ['key = {{secret}}demo_abcdefghijklmnopqrst{{/secret}}'], negative: ['key = demo'] };
      return JSON.stringify({ provider: 'Demo', rules: [{ ...bad, regex: '(?<secret>demo_[a-z]{20})', keywords: ['demo_'], examples }] });
    };
    // Refused by rules/schema.json (the host is a template field) …
    expect(() => parseRuleFile(file({ ...SPEC, url: 'https://{{secret}}.example.com/' }), 'demo.yaml')).toThrow(RuleError);
    expect(() => parseRuleFile(file({ ...SPEC, url: 'https://{{secret}}.example.com/' }), 'demo.yaml')).toThrow(
      /demo\.yaml: rule demo-key: rules\[0\]\.verify\.url: must match/,
    );
    // … and by the checks beyond it (src/rules/verify-spec/spec-check.ts), through the same rule validator.
    expect(() => parseRuleFile(file({ ...SPEC, revoked: [200] }), 'demo.yaml')).toThrow(
      /demo\.yaml: rule demo-key: verify\.revoked: .*both live and revoked/,
    );
    expect(parseRuleFile(file(SPEC), 'demo.yaml')).toHaveLength(1);
  });
});

describe('SigV4', () => {
  test('the AWS test suite vector get-vanilla', () => {
    const headers = signV4({
      method: 'GET',
      host: 'example.amazonaws.com',
      path: '/',
      headers: {},
      body: '',
      region: 'us-east-1',
      service: 'service',
      accessKeyId: 'AKIDEXAMPLE',
      secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY',
      date: new Date('2015-08-30T12:36:00Z'),
    });
    expect(headers).toEqual({
      'x-amz-date': '20150830T123600Z',
      authorization:
        'AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date, Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31',
    });
  });
});

describe('where verification may run', () => {
  function event(head: string | null, base: string): string {
    const dir = mkdtempSync(join(tmpdir(), 'leakguard-event-'));
    const file = join(dir, 'event.json');
    writeFileSync(
      file,
      JSON.stringify({ pull_request: { head: { repo: head === null ? null : { full_name: head } }, base: { repo: { full_name: base } } } }),
    );
    return file;
  }

  test('a pull request from a fork (or a deleted fork, or an unreadable event) counts as a fork', () => {
    expect(isForkPullRequest({ GITHUB_EVENT_NAME: 'pull_request', GITHUB_EVENT_PATH: event('someone/repo', 'owner/repo') })).toBe(true);
    expect(isForkPullRequest({ GITHUB_EVENT_NAME: 'pull_request_target', GITHUB_EVENT_PATH: event(null, 'owner/repo') })).toBe(true);
    expect(isForkPullRequest({ GITHUB_EVENT_NAME: 'pull_request', GITHUB_EVENT_PATH: '/nonexistent/event.json' })).toBe(true);
    expect(isForkPullRequest({ GITHUB_EVENT_NAME: 'pull_request', GITHUB_EVENT_PATH: event('owner/repo', 'owner/repo') })).toBe(false);
    expect(isForkPullRequest({ GITHUB_EVENT_NAME: 'push', GITHUB_EVENT_PATH: event('someone/repo', 'owner/repo') })).toBe(false);
  });

  test('the hook and forks need the config; elsewhere --verify is enough', () => {
    const fork = { GITHUB_EVENT_NAME: 'pull_request', GITHUB_EVENT_PATH: event('someone/repo', 'owner/repo') };
    expect(verificationBlocked({ inHook: true, config: {}, env: {} })).toMatch(/"hook": true/);
    expect(verificationBlocked({ inHook: true, config: { hook: true }, env: {} })).toBeUndefined();
    expect(verificationBlocked({ inHook: false, config: {}, env: fork })).toMatch(/forkPullRequests/);
    expect(verificationBlocked({ inHook: false, config: { forkPullRequests: true }, env: fork })).toBeUndefined();
    expect(verificationBlocked({ inHook: false, config: {}, env: {} })).toBeUndefined();
  });

  test('when verification may not run, nothing is sent, nothing is hidden and every finding counts', async () => {
    const { requests, transport } = recorder(() => ({ status: 200 }));
    const lines: string[] = [];
    const findings = [finding('p', key('hook'))];
    const out = await verifyForCli({
      findings,
      rules: [rule('p', SPEC)],
      config: undefined,
      inHook: true,
      failOn: 'live',
      onlyVerified: true,
      warn: (l) => lines.push(l),
      env: {},
      transport,
    });
    expect(requests).toEqual([]);
    expect(out).toEqual({ findings, failOn: 'any' });
    expect(failingFindings(out.findings, out.failOn)).toBe(true);
    expect(lines).toEqual([expect.stringMatching(/^leakguard: --verify skipped: verification in a git hook needs/)]);
  });

  test('--only-verified keeps live keys only and says how many it hid; --fail-on live counts live keys only', async () => {
    const [live, dead] = [key('live'), key('dead')];
    const { transport } = recorder((r) => ({ status: r.headers.authorization === `Bearer ${live}` ? 200 : 401 }));
    const lines: string[] = [];
    const common = { rules: [rule('p', SPEC)], config: undefined, inHook: false, warn: (l: string) => lines.push(l), env: {}, transport };
    const only = await verifyForCli({ ...common, findings: [finding('p', live), finding('p', dead)], failOn: 'any', onlyVerified: true });
    expect(only.findings.map((f) => f.secret)).toEqual([live]);
    expect(lines).toEqual([
      expect.stringMatching(/^leakguard: --verify: checking keys with api\.example-provider\.com \(HTTPS, read-only requests\)$/),
      'leakguard: --only-verified: 1 finding not shown (revoked or not confirmed live)',
    ]);
    const deadOnly = await verifyForCli({ ...common, findings: [finding('p', dead)], failOn: 'live', onlyVerified: false });
    expect(failingFindings(deadOnly.findings, deadOnly.failOn)).toBe(false);
    expect(failingFindings(deadOnly.findings, 'any')).toBe(true);
  });

  test('the host line names the proxy (without its password) when one is used', async () => {
    const { transport } = recorder(() => ({ status: 200 }));
    const lines: string[] = [];
    await verifyForCli({
      findings: [finding('p', key('proxy'))],
      rules: [rule('p', SPEC)],
      config: undefined,
      inHook: false,
      failOn: 'any',
      onlyVerified: false,
      warn: (l) => lines.push(l),
      env: { HTTPS_PROXY: 'http://user:hunter2@127.0.0.1:3128' }, // leakguard:allow (a made-up proxy password)
      transport,
    });
    expect(lines[0]).toBe(
      'leakguard: --verify: checking keys with api.example-provider.com through the proxy http://127.0.0.1:3128 (HTTPS, read-only requests)',
    );
  });
});

describe('proxy variables', () => {
  test('NO_PROXY: *, exact hosts, domains and leading dots', () => {
    expect(bypassed('*', 'api.openai.com')).toBe(true);
    expect(bypassed('openai.com', 'api.openai.com')).toBe(true);
    expect(bypassed('.openai.com', 'api.openai.com')).toBe(true);
    expect(bypassed('localhost, api.github.com:443', 'api.github.com')).toBe(true);
    expect(bypassed('ai.com,github.com', 'api.openai.com')).toBe(false);
    expect(bypassed('', 'api.openai.com')).toBe(false);
  });

  test('proxy URLs: http only; credentials become Proxy-Authorization and are never displayed', () => {
    expect(parseProxy('http://u:p%40ss@proxy.local:3128')).toEqual({
      host: 'proxy.local',
      port: 3128,
      authorization: `Basic ${Buffer.from('u:p@ss').toString('base64')}`,
      display: 'http://proxy.local:3128',
    });
    expect(parseProxy('proxy.local:8080')).toMatchObject({ host: 'proxy.local', port: 8080 });
    expect(parseProxy('socks5://proxy.local:1080')).toEqual({ unsupported: expect.stringMatching(/socks5/) });
  });
});
