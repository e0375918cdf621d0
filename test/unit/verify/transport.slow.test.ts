/**
 * The real HTTPS transport against real servers on 127.0.0.1: a CONNECT proxy (as
 * HTTPS_PROXY would name) that tunnels every connection to a local TLS server whose
 * certificate, made at run time, names the providers' hosts. The test's CA and proxy
 * reach the transport through the library API only. No packet leaves loopback: the
 * transport connects to the proxy only, and the proxy only to the local server.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, test } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import net, { type AddressInfo, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Finding } from '../../../src/detect/finding.js';
import { createRng, expandTemplate } from '../../support/examples.js';
import { loadRuleFiles } from '../../../scripts/rule-files.js';
import { parseProxy } from '../../../src/verify/proxy.js';
import { httpsTransport, MAX_BODY } from '../../../src/verify/transport.js';
import { verifyFindings } from '../../../src/verify/verify.js';

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
const rules = loadRuleFiles(join(ROOT, 'rules'));
const OPENAI = expandTemplate('sk-proj-{{base64url:74}}T3BlbkFJ{{base64url:74}}', createRng('transport-openai'));

interface Seen {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}

let dir: string;
let cert: string;
let tlsServer: https.Server;
let proxy: http.Server;
let closedPort: number;
const seen: Seen[] = [];
const tunnels: string[] = [];
const open = new Set<Socket>();
let answer: (req: http.IncomingMessage, res: http.ServerResponse) => void;
let proxyAnswer: 'tunnel' | '407' = 'tunnel';

const listen = (server: net.Server): Promise<number> =>
  new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port)));

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'leakguard-tls-'));
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-days',
      '1',
      '-subj',
      '/CN=leakguard test',
      '-keyout',
      join(dir, 'key.pem'),
      '-out',
      join(dir, 'cert.pem'),
      '-addext',
      'subjectAltName=DNS:api.openai.com,DNS:sts.amazonaws.com',
    ],
    { stdio: 'ignore' },
  );
  cert = readFileSync(join(dir, 'cert.pem'), 'utf8');
  tlsServer = https.createServer({ key: readFileSync(join(dir, 'key.pem')), cert }, (req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString('utf8')));
    req.on('end', () => {
      seen.push({ method: req.method!, url: req.url!, headers: req.headers, body });
      answer(req, res);
    });
  });
  tlsServer.on('connection', (s: Socket) => {
    open.add(s);
    s.on('close', () => open.delete(s));
  });
  const tlsPort = await listen(tlsServer);
  proxy = http.createServer((_req, res) => res.writeHead(405).end());
  proxy.on('connect', (req: http.IncomingMessage, client: Socket) => {
    tunnels.push(req.url!);
    if (proxyAnswer === '407') {
      client.end('HTTP/1.1 407 Proxy Authentication Required\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    const upstream = net.connect(tlsPort, '127.0.0.1', () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      upstream.pipe(client);
      client.pipe(upstream);
    });
    upstream.on('error', () => client.destroy());
    client.on('error', () => upstream.destroy());
  });
  const proxyPort = await listen(proxy);
  proxyUrl = `http://127.0.0.1:${proxyPort}`;
  // A port nothing listens on: bound, then closed.
  const probe = net.createServer();
  closedPort = await listen(probe);
  await new Promise((r) => probe.close(r));
});

let proxyUrl = '';

afterAll(async () => {
  for (const s of open) s.destroy();
  await Promise.all([new Promise((r) => tlsServer.close(r)), new Promise((r) => proxy.close(r))]);
  rmSync(dir, { recursive: true, force: true });
});

beforeEach(() => {
  seen.length = 0;
  tunnels.length = 0;
  proxyAnswer = 'tunnel';
  answer = (_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end('{"data":[]}');
});

const transport = (options: { ca?: boolean; proxy?: string } = {}) =>
  httpsTransport({ proxyFor: () => parseProxy(options.proxy ?? proxyUrl), ...(options.ca === false ? {} : { ca: cert }) });

function openaiFinding(secret = OPENAI): Finding {
  return {
    ruleId: 'openai-project-api-key',
    provider: 'OpenAI',
    description: 'OpenAI key',
    file: 'app.py',
    line: 1,
    column: 1,
    endLine: 1,
    endColumn: 2,
    secret,
    fingerprint: 'fp',
    envVar: 'OPENAI_API_KEY',
  };
}

describe('HTTPS transport through a CONNECT proxy, on loopback', () => {
  test("the request reaches the provider host with exactly the rule's method, path and header; 200 is live", async () => {
    answer = (req, res) => res.writeHead(req.headers.authorization === `Bearer ${OPENAI}` ? 200 : 401).end('{}');
    const [verified] = await verifyFindings([openaiFinding()], rules, { transport: transport() });
    expect(verified!.verification?.status).toBe('live');
    expect(tunnels).toEqual(['api.openai.com:443']);
    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatchObject({ method: 'GET', url: '/v1/models', body: '' });
    expect(seen[0]!.headers).toMatchObject({ host: 'api.openai.com', authorization: `Bearer ${OPENAI}`, 'user-agent': 'leakguard-verify' });
  });

  test('401 from the provider is revoked', async () => {
    answer = (_req, res) => res.writeHead(401).end('{"error":{"code":"invalid_api_key"}}');
    const [verified] = await verifyFindings([openaiFinding()], rules, { transport: transport() });
    expect(verified!.verification?.status).toBe('revoked');
  });

  test('a redirect is refused: unknown, and no second host is contacted', async () => {
    answer = (_req, res) => res.writeHead(302, { location: 'https://sts.amazonaws.com/elsewhere' }).end();
    const [verified] = await verifyFindings([openaiFinding()], rules, { transport: transport() });
    expect(verified!.verification).toMatchObject({ status: 'unknown', reason: 'redirect not followed (HTTP 302)' });
    expect(tunnels).toEqual(['api.openai.com:443']);
    expect(seen).toHaveLength(1);
  });

  test('a provider that accepts the connection but never answers: unknown after the time-out, connection closed', async () => {
    answer = () => undefined;
    const [verified] = await verifyFindings([openaiFinding()], rules, { transport: transport(), timeoutMs: 300 });
    expect(verified!.verification).toMatchObject({ status: 'unknown', reason: 'no answer within 0.3 s' });
    expect(seen).toHaveLength(1);
    // The transport hung up: the server's side of the connection closes.
    for (let i = 0; i < 100 && open.size; i++) await new Promise((r) => setTimeout(r, 20));
    expect(open.size).toBe(0);
  });

  test('a proxy that refuses the tunnel, and a proxy that is not there: unknown, with the code only', async () => {
    proxyAnswer = '407';
    const [refused] = await verifyFindings([openaiFinding()], rules, { transport: transport() });
    expect(refused!.verification).toMatchObject({ status: 'unknown', reason: 'proxy error (407)' });
    const [absent] = await verifyFindings([openaiFinding()], rules, { transport: transport({ proxy: `http://127.0.0.1:${closedPort}` }) });
    expect(absent!.verification).toMatchObject({ status: 'unknown', reason: 'proxy error (ECONNREFUSED)' });
    expect(seen).toEqual([]);
  });

  test('a certificate not trusted for the host is a TLS error, and nothing is sent', async () => {
    const [verified] = await verifyFindings([openaiFinding()], rules, { transport: transport({ ca: false }) });
    expect(verified!.verification).toMatchObject({ status: 'unknown', reason: expect.stringMatching(/^TLS error \([A-Z_]+\)$/) });
    expect(seen).toEqual([]);
  });

  test('a huge answer is read only up to the cap', async () => {
    answer = (_req, res) => {
      res.writeHead(200);
      res.write('x'.repeat(MAX_BODY * 4));
      // Never ends: the transport must stop at the cap, not wait.
    };
    const [verified] = await verifyFindings([openaiFinding()], rules, { transport: transport(), timeoutMs: 5000 });
    expect(verified!.verification?.status).toBe('live');
  });

  test('AWS: a SigV4-signed POST to STS with its form body', async () => {
    const id = expandTemplate('AKIA{{base32:16}}', createRng('transport-aws-id'));
    const secret = expandTemplate('{{base64:40}}', createRng('transport-aws-secret'));
    answer = (_req, res) => res.writeHead(403).end('<ErrorResponse><Error><Code>InvalidClientTokenId</Code></Error></ErrorResponse>');
    const base = { ...openaiFinding(), file: 'deploy.sh' };
    const findings: Finding[] = [
      { ...base, ruleId: 'aws-access-key-id', provider: 'AWS', secret: id, line: 3 },
      { ...base, ruleId: 'aws-secret-access-key', provider: 'AWS', secret, line: 4 },
    ];
    const verified = await verifyFindings(findings, rules, { transport: transport() });
    expect(verified.map((f) => f.verification?.status)).toEqual(['revoked', 'revoked']);
    expect(tunnels).toEqual(['sts.amazonaws.com:443']);
    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatchObject({ method: 'POST', url: '/', body: 'Action=GetCallerIdentity&Version=2011-06-15' });
    expect(seen[0]!.headers['content-length']).toBe('43');
    expect(seen[0]!.headers.authorization).toMatch(
      new RegExp(
        `^AWS4-HMAC-SHA256 Credential=${id}/\\d{8}/us-east-1/sts/aws4_request, SignedHeaders=content-type;host;x-amz-date, Signature=[0-9a-f]{64}$`,
      ),
    );
    expect(JSON.stringify(seen[0]!.headers)).not.toContain(secret);
  });
});
