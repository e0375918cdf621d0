/**
 * Every provider check, request by request: for each rule with a live check, its own
 * example key goes through verifyFindings with a recording transport (nothing leaves
 * the process). The expected method, URL and credential header are written here by
 * hand from each provider's documentation, independently of rules/*.yaml, and so are
 * the answers that mean live and revoked. A rule that gains or loses a check without
 * an entry here fails the coverage test.
 */
import { describe, expect, test } from '@jest/globals';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Finding } from '../../../src/detect/finding.js';
import { createRng, expandRuleExamples, expandTemplate } from '../../support/examples.js';
import { loadRuleFiles } from '../../../scripts/rule-files.js';
import type { RuleSpec } from '../../../src/rules/rule.js';
import type { IncomingResponse, OutgoingRequest, Transport } from '../../../src/verify/transport.js';
import { verifyFindings } from '../../../src/verify/verify.js';

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
const rules = loadRuleFiles(join(ROOT, 'rules'));
const byId = new Map(rules.map((r) => [r.id, r]));

type Answer = { status: number; body?: string };
interface Expectation {
  method: 'GET' | 'POST';
  url: (secret: string, companion?: string) => string;
  /** [header name (lowercase), value]; undefined when the key is in the URL. */
  auth?: (secret: string, companion?: string) => [string, string] | undefined;
  /** Other headers the provider requires. */
  headers?: Record<string, string>;
  body?: string;
  live: Answer[];
  revoked: Answer[];
  /** Answers that must stay unknown besides the common ones (500, 302, 429). */
  unknown?: Answer[];
  /** Rule id whose example supplies the companion finding. */
  companion?: string;
  /** Secret to use instead of the rule's first example. */
  secret?: (example: string) => string;
}

const bearer = (s: string): [string, string] => ['authorization', `Bearer ${s}`];
const basic = (user: string, password: string): [string, string] => [
  'authorization',
  `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`,
];
const ok = [{ status: 200 }];
const unauthorized = [{ status: 401 }];
const simple = (url: string, auth: Expectation['auth'] = bearer, extra: Partial<Expectation> = {}): Expectation => ({
  method: 'GET',
  url: () => url,
  auth,
  live: ok,
  revoked: unauthorized,
  ...extra,
});

const EXPECTED: Record<string, Expectation> = {};
const group = (ids: string[], expectation: Expectation): void => ids.forEach((id) => (EXPECTED[id] = expectation));

// OpenAI: GET /v1/models (admin keys: an organization endpoint).
group(
  [
    'openai-legacy-api-key',
    'openai-project-api-key-early',
    'openai-project-api-key-early-plain',
    'openai-project-api-key',
    'openai-service-account-key',
    'openai-user-api-key',
  ],
  simple('https://api.openai.com/v1/models'),
);
group(['openai-admin-key'], simple('https://api.openai.com/v1/organization/projects?limit=1'));
// Anthropic: x-api-key with the version header.
group(
  ['anthropic-api-key'],
  simple('https://api.anthropic.com/v1/models', (s) => ['x-api-key', s], { headers: { 'anthropic-version': '2023-06-01' } }),
);
group(
  ['anthropic-admin-key'],
  simple('https://api.anthropic.com/v1/organizations/users?limit=1', (s) => ['x-api-key', s], {
    headers: { 'anthropic-version': '2023-06-01' },
  }),
);
// GitHub: GET /user; installation tokens cannot read /user.
group(
  ['github-personal-access-token', 'github-oauth-token', 'github-user-to-server-token', 'github-fine-grained-pat'],
  simple('https://api.github.com/user', bearer, { headers: { accept: 'application/vnd.github+json' } }),
);
group(['github-server-to-server-token'], simple('https://api.github.com/installation/repositories?per_page=1'));
// GitLab: the token's own record.
group(
  ['gitlab-personal-access-token'],
  simple('https://gitlab.com/api/v4/personal_access_tokens/self', (s) => ['private-token', s]),
);
// Slack: auth.test answers 200 with ok:false for a bad token.
group(['slack-bot-token', 'slack-user-token', 'slack-legacy-token', 'slack-config-token'], {
  method: 'POST',
  url: () => 'https://slack.com/api/auth.test',
  auth: bearer,
  live: [{ status: 200, body: '{"ok":true,"url":"https://x.slack.com/","team":"x"}' }],
  revoked: [
    { status: 200, body: '{"ok":false,"error":"invalid_auth"}' },
    { status: 200, body: '{"ok":false,"error":"token_revoked"}' },
  ],
  unknown: [{ status: 200, body: '{"ok":false,"error":"not_allowed_token_type"}' }],
});
// Stripe: GET /v1/balance; a restricted key without that permission gets 403 (authenticated).
group(['stripe-secret-key'], simple('https://api.stripe.com/v1/balance'));
group(['stripe-restricted-key'], simple('https://api.stripe.com/v1/balance', bearer, { live: [{ status: 200 }, { status: 403 }] }));
group(['huggingface-access-token', 'huggingface-org-token'], simple('https://huggingface.co/api/whoami-v2'));
group(['sendgrid-api-key'], simple('https://api.sendgrid.com/v3/scopes'));
group(['npm-access-token'], simple('https://registry.npmjs.org/-/whoami'));
// AWS: STS GetCallerIdentity, SigV4-signed, with the key id as credential.
const awsAuth = (secret: string, companion?: string): [string, string] => {
  const id = [secret, companion].find((v) => /^AKIA/.test(v ?? ''))!;
  return ['authorization', `AWS4-HMAC-SHA256 Credential=${id}/`];
};
const aws = (companion: string): Expectation => ({
  method: 'POST',
  url: () => 'https://sts.amazonaws.com/',
  auth: awsAuth,
  headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' },
  body: 'Action=GetCallerIdentity&Version=2011-06-15',
  live: [
    {
      status: 200,
      body: '<GetCallerIdentityResponse><GetCallerIdentityResult><Arn>arn</Arn></GetCallerIdentityResult></GetCallerIdentityResponse>',
    },
  ],
  revoked: [
    { status: 403, body: '<ErrorResponse><Error><Code>InvalidClientTokenId</Code></Error></ErrorResponse>' },
    { status: 403, body: '<Error><Code>SignatureDoesNotMatch</Code></Error>' },
  ],
  unknown: [{ status: 403, body: '<Error><Code>AccessDenied</Code></Error>' }],
  companion,
});
group(['aws-access-key-id'], aws('aws-secret-access-key'));
group(['aws-secret-access-key', 'aws-secret-access-key-after-id'], aws('aws-access-key-id'));
// Google: Gemini's model list, which answers 400 API_KEY_INVALID for a bad key.
group(['google-api-key', 'gemini-api-key'], {
  ...simple('https://generativelanguage.googleapis.com/v1beta/models?pageSize=1', (s) => ['x-goog-api-key', s]),
  revoked: [{ status: 400, body: '{"error":{"code":400,"status":"INVALID_ARGUMENT","details":[{"reason":"API_KEY_INVALID"}]}}' }],
  unknown: [{ status: 403, body: '{"error":{"status":"PERMISSION_DENIED"}}' }],
});
group(['google-oauth-access-token'], {
  method: 'GET',
  url: (s) => `https://oauth2.googleapis.com/tokeninfo?access_token=${encodeURIComponent(s)}`,
  live: ok,
  revoked: [{ status: 400 }],
});
group(
  ['mailgun-api-key-legacy', 'mailgun-api-key'],
  simple('https://api.mailgun.net/v3/domains?limit=1', (s) => basic('api', s)),
);
group(['mailchimp-api-key'], {
  method: 'GET',
  url: (s) => `https://${s.split('-').pop()}.api.mailchimp.com/3.0/ping`,
  auth: (s) => basic('leakguard', s),
  live: ok,
  revoked: unauthorized,
});
// Twilio: an API key secret with its SID (Basic SID:secret).
group(['twilio-auth-token'], {
  ...simple('https://api.twilio.com/2010-04-01/Accounts.json?PageSize=1', (s, sid) => basic(sid!, s)),
  companion: 'twilio-api-key-sid',
});
group(['twilio-api-key-sid'], {
  ...simple('https://api.twilio.com/2010-04-01/Accounts.json?PageSize=1', (sid, s) => basic(sid, s!)),
  companion: 'twilio-auth-token',
});
group(['digitalocean-pat', 'digitalocean-oauth-token'], simple('https://api.digitalocean.com/v2/account'));
group(
  ['heroku-api-key', 'heroku-api-key-uuid'],
  simple('https://api.heroku.com/account', bearer, { headers: { accept: 'application/vnd.heroku+json; version=3' } }),
);
group(['netlify-pat', 'netlify-token-legacy'], simple('https://api.netlify.com/api/v1/user'));
group(
  ['vercel-token', 'vercel-token-legacy'],
  simple('https://api.vercel.com/v2/user', bearer, { revoked: [{ status: 401 }, { status: 403 }] }),
);
group(['cloudflare-api-token'], {
  ...simple('https://api.cloudflare.com/client/v4/user/tokens/verify'),
  live: [{ status: 200, body: '{"result":{"id":"x","status":"active"},"success":true}' }],
  revoked: [{ status: 401 }, { status: 200, body: '{"result":{"id":"x","status":"disabled"},"success":true}' }],
});
group(
  ['datadog-api-key'],
  simple('https://api.datadoghq.com/api/v1/validate', (s) => ['dd-api-key', s], { revoked: [{ status: 403 }] }),
);
group(['newrelic-user-api-key'], {
  method: 'POST',
  url: () => 'https://api.newrelic.com/graphql',
  auth: (s) => ['api-key', s],
  headers: { 'content-type': 'application/json' },
  body: '{"query":"{ actor { user { id } } }"}',
  live: [{ status: 200, body: '{"data":{"actor":{"user":{"id":1}}}}' }],
  revoked: [{ status: 401 }, { status: 200, body: '{"errors":[{"message":"Invalid API key"}]}' }],
});
group(
  ['sentry-user-token', 'sentry-org-token'],
  simple('https://sentry.io/api/0/organizations/', bearer, { live: [{ status: 200 }, { status: 403 }] }),
);
group(
  ['discord-bot-token'],
  simple('https://discord.com/api/v10/users/@me', (s) => ['authorization', `Bot ${s}`]),
);
group(['telegram-bot-token'], {
  method: 'GET',
  url: (s) => `https://api.telegram.org/bot${s}/getMe`,
  live: ok,
  revoked: [{ status: 401 }, { status: 404 }],
});
group(
  ['notion-integration-token', 'notion-integration-token-legacy'],
  simple('https://api.notion.com/v1/users/me', bearer, { headers: { 'notion-version': '2022-06-28' } }),
);
const linear = (auth: Expectation['auth']): Expectation => ({
  method: 'POST',
  url: () => 'https://api.linear.app/graphql',
  auth,
  headers: { 'content-type': 'application/json' },
  body: '{"query":"{ viewer { id } }"}',
  live: [{ status: 200, body: '{"data":{"viewer":{"id":"x"}}}' }],
  revoked: [{ status: 401 }, { status: 400, body: '{"errors":[{"extensions":{"code":"AUTHENTICATION_ERROR"}}]}' }],
});
group(
  ['linear-api-key'],
  linear((s) => ['authorization', s]),
);
group(['linear-oauth-token'], linear(bearer));
group(['airtable-pat'], simple('https://api.airtable.com/v0/meta/whoami'));
group(
  ['figma-pat'],
  simple('https://api.figma.com/v1/me', (s) => ['x-figma-token', s], { revoked: [{ status: 403 }] }),
);
group(['groq-api-key'], simple('https://api.groq.com/openai/v1/models'));
group(['mistral-api-key'], simple('https://api.mistral.ai/v1/models'));
group(['cohere-api-key'], simple('https://api.cohere.com/v1/models'));
group(['deepseek-api-key'], simple('https://api.deepseek.com/models'));
group(['xai-api-key'], simple('https://api.x.ai/v1/api-key', bearer, { revoked: [{ status: 400 }, { status: 401 }] }));
group(['openrouter-api-key'], simple('https://openrouter.ai/api/v1/key'));
group(['perplexity-api-key'], simple('https://api.perplexity.ai/router/v1/models'));
group(['together-api-key', 'together-api-key-legacy'], simple('https://api.together.xyz/v1/models'));
group(['replicate-api-token'], simple('https://api.replicate.com/v1/account'));
group(
  ['elevenlabs-api-key'],
  simple('https://api.elevenlabs.io/v1/user', (s) => ['xi-api-key', s], {
    revoked: [{ status: 401, body: '{"detail":{"status":"invalid_api_key"}}' }],
    // A scoped key without the user permission is not a revoked key.
    unknown: [{ status: 401, body: '{"detail":{"status":"missing_permissions"}}' }],
  }),
);
group(
  ['pinecone-api-key'],
  simple('https://api.pinecone.io/indexes', (s) => ['api-key', s], { headers: { 'x-pinecone-api-version': '2024-07' } }),
);
group(['fireworks-api-key'], simple('https://api.fireworks.ai/inference/v1/models'));
group(
  ['postman-api-key'],
  simple('https://api.getpostman.com/me', (s) => ['x-api-key', s]),
);
group(['doppler-token'], simple('https://api.doppler.com/v3/me'));
group(
  ['pulumi-access-token'],
  simple('https://api.pulumi.com/api/user', (s) => ['authorization', `token ${s}`], { headers: { accept: 'application/vnd.pulumi+8' } }),
);
group(['tailscale-key'], {
  ...simple('https://api.tailscale.com/api/v2/tailnet/-/keys'),
  secret: (s) => s.replace(/^tskey-[a-z]+-/, 'tskey-api-'),
});
group(['supabase-access-token'], simple('https://api.supabase.com/v1/projects'));
group(['terraform-cloud-token'], simple('https://app.terraform.io/api/v2/account/details'));
group(['mapbox-secret-token'], {
  method: 'GET',
  url: (s) => `https://api.mapbox.com/tokens/v2?access_token=${encodeURIComponent(s)}`,
  live: [{ status: 200, body: '{"code":"TokenValid","token":{}}' }],
  revoked: [{ status: 401 }, { status: 200, body: '{"code":"TokenRevoked"}' }],
});
group(['square-access-token', 'square-legacy-access-token'], simple('https://connect.squareup.com/v2/locations'));

const COMMON_UNKNOWN: Answer[] = [{ status: 500 }, { status: 302 }, { status: 301 }, { status: 429 }, { status: 503 }];

function exampleSecret(rule: RuleSpec): string {
  return expandRuleExamples(rule, 'verify').positive[0]!.secret;
}

function findingOf(rule: RuleSpec, secret: string, line: number): Finding {
  return {
    ruleId: rule.id,
    provider: rule.provider,
    description: rule.description,
    file: 'config/app.env',
    line,
    column: 1,
    endLine: line,
    endColumn: secret.length + 1,
    secret,
    fingerprint: `fp-${rule.id}-${line}`,
    envVar: rule.envVar,
  };
}

async function check(ruleId: string, answer: Answer) {
  const rule = byId.get(ruleId)!;
  const expectation = EXPECTED[ruleId]!;
  const secret = (expectation.secret ?? ((s: string) => s))(exampleSecret(rule));
  const findings = [findingOf(rule, secret, 10)];
  let companion: string | undefined;
  if (expectation.companion) {
    companion = exampleSecret(byId.get(expectation.companion)!);
    findings.push(findingOf(byId.get(expectation.companion)!, companion, 11));
  }
  const requests: OutgoingRequest[] = [];
  const transport: Transport = async (request) => {
    requests.push(request);
    return { status: answer.status, body: answer.body ?? '' } satisfies IncomingResponse;
  };
  const [verified] = await verifyFindings(findings, rules, { transport, now: () => new Date('2026-01-02T03:04:05Z') });
  return { secret, companion, requests, verification: verified!.verification! };
}

describe('every provider check: request and answers', () => {
  test('the rules with a live check are exactly the ones expected here (at least 40 providers)', () => {
    const checked = rules
      .filter((r) => r.verify && !('unsupported' in r.verify))
      .map((r) => r.id)
      .sort();
    expect(checked).toEqual(Object.keys(EXPECTED).sort());
    const providers = new Set(checked.map((id) => byId.get(id)!.provider));
    expect(providers.size).toBeGreaterThanOrEqual(40);
  });

  test('every companion a rule names is a rule', () => {
    for (const r of rules) {
      const companion = r.verify && 'companion' in r.verify ? r.verify.companion : undefined;
      for (const id of companion?.rules ?? [])
        expect({ rule: r.id, companion: id, exists: byId.has(id) }).toEqual({ rule: r.id, companion: id, exists: true });
    }
  });

  test.each(Object.keys(EXPECTED))('%s: method, URL, credential header and required headers', async (ruleId) => {
    const expectation = EXPECTED[ruleId]!;
    const { secret, companion, requests } = await check(ruleId, expectation.live[0]!);
    expect(requests).toHaveLength(1);
    const request = requests[0]!;
    expect(request.method).toBe(expectation.method);
    expect(request.url.href).toBe(expectation.url(secret, companion));
    expect(request.url.protocol).toBe('https:');
    // The key never decides the host.
    expect(request.url.hostname.includes(secret)).toBe(false);
    const auth = expectation.auth?.(secret, companion);
    if (auth) {
      const [name, value] = auth;
      if (value.startsWith('AWS4-HMAC-SHA256'))
        expect(request.headers[name]).toMatch(
          new RegExp(
            `^${value.replace(/[+/]/g, '\\$&')}\\d{8}/us-east-1/sts/aws4_request, SignedHeaders=content-type;host;x-amz-date, Signature=[0-9a-f]{64}$`,
          ),
        );
      else expect(request.headers[name]).toBe(value);
    } else {
      // The key is in the URL only.
      expect(JSON.stringify(request.headers).includes(secret)).toBe(false);
      expect(request.url.href.includes(encodeURIComponent(secret)) || request.url.href.includes(secret)).toBe(true);
    }
    for (const [name, value] of Object.entries(expectation.headers ?? {})) expect(request.headers[name]).toBe(value);
    expect(request.body).toBe(expectation.body);
  });

  test.each(Object.keys(EXPECTED))('%s: which answers mean live, revoked and unknown', async (ruleId) => {
    const expectation = EXPECTED[ruleId]!;
    for (const answer of expectation.live)
      expect({ answer, ...(await check(ruleId, answer)).verification }).toMatchObject({ answer, status: 'live' });
    for (const answer of expectation.revoked)
      expect({ answer, ...(await check(ruleId, answer)).verification }).toMatchObject({ answer, status: 'revoked' });
    for (const answer of [...COMMON_UNKNOWN, ...(expectation.unknown ?? [])]) {
      const { verification } = await check(ruleId, answer);
      expect({ answer, status: verification.status }).toEqual({ answer, status: 'unknown' });
      expect(verification.reason).toMatch(/HTTP \d{3}/);
    }
    const { verification } = await check(ruleId, expectation.live[0]!);
    expect(verification).toEqual({ status: 'live', provider: byId.get(ruleId)!.provider, checkedAt: '2026-01-02T03:04:05.000Z' });
  });
});

describe('keys that are not checked', () => {
  test('every rule that cannot be checked safely says why, and nothing is sent', async () => {
    const unsupported = rules.filter((r) => r.verify && 'unsupported' in r.verify);
    expect(unsupported.map((r) => r.id)).toEqual(
      expect.arrayContaining([
        'slack-webhook-url',
        'pypi-api-token',
        'shopify-access-token',
        'dynatrace-api-token',
        'github-refresh-token',
      ]),
    );
    const sent: OutgoingRequest[] = [];
    const transport: Transport = async (request) => {
      sent.push(request);
      return { status: 200, body: '' };
    };
    const findings = unsupported.map((r, i) => findingOf(r, exampleSecret(r), i * 100));
    const verified = await verifyFindings(findings, rules, { transport });
    expect(sent).toEqual([]);
    for (const f of verified)
      expect({ rule: f.ruleId, ...f.verification, checkedAt: '' }).toMatchObject({
        rule: f.ruleId,
        status: 'unknown',
        reason: expect.stringMatching(/^cannot be checked safely: .{10,}/),
      });
  });

  test('a Tailscale auth key (not an API key) and a DigitalOcean refresh token are not sent', async () => {
    const sent: OutgoingRequest[] = [];
    const transport: Transport = async (request) => {
      sent.push(request);
      return { status: 401, body: '' };
    };
    const ts = byId.get('tailscale-key')!;
    const refresh = expandTemplate('dor_v1_{{hex:64}}', createRng('dor'));
    const verified = await verifyFindings(
      [findingOf(ts, exampleSecret(ts), 1), findingOf(byId.get('digitalocean-oauth-token')!, refresh, 2)],
      rules,
      { transport },
    );
    expect(sent).toEqual([]);
    expect(verified.map((f) => f.verification?.reason)).toEqual([
      'this kind of key has no safe live check',
      'this kind of key has no safe live check',
    ]);
  });

  test('AWS and Twilio without their companion nearby: unknown, nothing sent', async () => {
    const sent: OutgoingRequest[] = [];
    const transport: Transport = async (request) => {
      sent.push(request);
      return { status: 200, body: '' };
    };
    const id = byId.get('aws-access-key-id')!;
    const secretRule = byId.get('aws-secret-access-key')!;
    const twilio = byId.get('twilio-auth-token')!;
    const findings = [
      findingOf(id, exampleSecret(id), 1),
      // Too far away (default: 5 lines).
      findingOf(secretRule, exampleSecret(secretRule), 20),
      findingOf(twilio, exampleSecret(twilio), 40),
    ];
    const verified = await verifyFindings(findings, rules, { transport });
    expect(sent).toEqual([]);
    expect(verified.map((f) => f.verification?.reason)).toEqual([
      'needs the AWS secret access key within 5 lines of it',
      'needs the AWS access key id within 5 lines of it',
      'needs the Twilio API key SID (SK…) within 5 lines of it',
    ]);
  });

  test('AWS temporary credentials (ASIA…) are not sent without a session token', async () => {
    const sent: OutgoingRequest[] = [];
    const transport: Transport = async (request) => {
      sent.push(request);
      return { status: 200, body: '' };
    };
    const id = byId.get('aws-access-key-id')!;
    const secretRule = byId.get('aws-secret-access-key')!;
    const temporary = expandTemplate('ASIA{{base32:16}}', createRng('asia'));
    const verified = await verifyFindings([findingOf(id, temporary, 1), findingOf(secretRule, exampleSecret(secretRule), 2)], rules, {
      transport,
    });
    expect(sent).toEqual([]);
    expect(verified[0]!.verification?.reason).toMatch(/session token/);
  });
});
