/**
 * Sends one verification request over HTTPS and returns its status and the start of
 * its body. Never follows a redirect (node:https does not), never sends to any host
 * but the URL's, honours HTTPS_PROXY/NO_PROXY through a CONNECT tunnel, and stops
 * when the caller's signal aborts. Errors carry a kind and a system code only: no
 * message of the network stack (which could quote a URL holding a key) is kept.
 */
import http from 'node:http';
import https from 'node:https';
import type { Socket } from 'node:net';
import tls from 'node:tls';
import { proxyFromEnv, type ProxySetting } from './proxy.js';

export interface OutgoingRequest {
  method: 'GET' | 'POST' | 'HEAD';
  url: URL;
  headers: Record<string, string>;
  body?: string;
}

export interface IncomingResponse {
  status: number;
  /** At most MAX_BODY bytes, decoded as UTF-8. Never printed. */
  body: string;
}

/** The seam tests replace: a transport is any function of this type. */
export type Transport = (request: OutgoingRequest, signal: AbortSignal) => Promise<IncomingResponse>;

export type TransportErrorKind = 'timeout' | 'network' | 'proxy' | 'tls';

export class TransportError extends Error {
  override readonly name = 'TransportError';
  constructor(
    readonly kind: TransportErrorKind,
    /** A system or HTTP code (ECONNREFUSED, CERT_HAS_EXPIRED, 407); never text from the network. */
    readonly code?: string,
  ) {
    super(`${kind} error${code ? ` (${code})` : ''}`);
  }
}

export const MAX_BODY = 64 * 1024;
export const USER_AGENT = 'leakguard-verify';

export interface HttpsTransportOptions {
  /** Where the proxy comes from for a host; default the environment (HTTPS_PROXY, NO_PROXY). */
  proxyFor?: (host: string) => ProxySetting;
  /**
   * TEST ONLY, through the library API: extra trusted certificates, so that a test
   * server on 127.0.0.1 (reached through a test proxy) can stand in for a provider.
   * Never read from the environment or the config.
   */
  ca?: string | string[];
}

export function httpsTransport(options: HttpsTransportOptions = {}): Transport {
  const proxyFor = options.proxyFor ?? ((host: string) => proxyFromEnv(process.env, host));
  return async (request, signal) => {
    if (request.url.protocol !== 'https:' || request.url.port || request.url.username)
      throw new TransportError('network', 'NOT_PLAIN_HTTPS');
    const host = request.url.hostname;
    const proxy = proxyFor(host);
    if (proxy && 'unsupported' in proxy) throw new TransportError('proxy', 'UNSUPPORTED_PROXY');
    const socket = proxy ? await tunnel(proxy, host, signal) : undefined;
    return send(request, host, socket, options.ca, signal);
  };
}

function codeOf(error: unknown): string | undefined {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return typeof code === 'string' && /^[A-Z0-9_]{1,40}$/.test(code) ? code : undefined;
}

const TLS_CODE = /CERT|SSL|TLS|SELF_SIGNED|HOSTNAME|ALTNAME|UNABLE_TO_(GET|VERIFY)/;

function tunnel(proxy: Exclude<ProxySetting, undefined | { unsupported: string }>, host: string, signal: AbortSignal): Promise<Socket> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(new TransportError('timeout'));
    const headers: Record<string, string> = { host: `${host}:443`, 'user-agent': USER_AGENT };
    if (proxy.authorization) headers['proxy-authorization'] = proxy.authorization;
    const req = http.request({ host: proxy.host, port: proxy.port, method: 'CONNECT', path: `${host}:443`, headers, agent: false });
    const onAbort = (): void => {
      req.destroy();
      reject(new TransportError('timeout'));
    };
    signal.addEventListener('abort', onAbort, { once: true });
    req.once('connect', (res, socket) => {
      signal.removeEventListener('abort', onAbort);
      if (res.statusCode !== 200) {
        socket.destroy();
        return reject(new TransportError('proxy', String(res.statusCode)));
      }
      resolve(socket);
    });
    req.once('response', (res) => {
      signal.removeEventListener('abort', onAbort);
      res.resume();
      req.destroy();
      reject(new TransportError('proxy', String(res.statusCode)));
    });
    req.once('error', (error) => {
      signal.removeEventListener('abort', onAbort);
      reject(new TransportError('proxy', codeOf(error)));
    });
    req.end();
  });
}

function send(
  request: OutgoingRequest,
  host: string,
  tunnelSocket: Socket | undefined,
  ca: HttpsTransportOptions['ca'],
  signal: AbortSignal,
): Promise<IncomingResponse> {
  return new Promise((resolve, reject) => {
    let settled = false;
    const fail = (error: TransportError): void => {
      if (settled) return;
      settled = true;
      req.destroy();
      tunnelSocket?.destroy();
      agent.destroy();
      reject(error);
    };
    const headers: Record<string, string> = { 'user-agent': USER_AGENT, accept: '*/*', ...request.headers };
    if (request.body !== undefined) headers['content-length'] = String(Buffer.byteLength(request.body));
    const tlsOptions = { servername: host, ...(ca ? { ca: [...tls.rootCertificates, ...[ca].flat()] } : {}) };
    // One agent per request (no keep-alive, nothing shared); through a proxy its only socket is the tunnel.
    const agent = new https.Agent({ keepAlive: false, maxSockets: 1 });
    if (tunnelSocket) agent.createConnection = () => tls.connect({ socket: tunnelSocket, ...tlsOptions });
    const req = https.request({
      method: request.method,
      host,
      port: 443,
      path: `${request.url.pathname}${request.url.search}`,
      headers,
      agent,
      ...tlsOptions,
    });
    const onAbort = (): void => fail(new TransportError('timeout'));
    if (signal.aborted) return onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
    req.once('error', (error) => {
      signal.removeEventListener('abort', onAbort);
      const code = codeOf(error);
      fail(new TransportError(code && TLS_CODE.test(code) ? 'tls' : 'network', code));
    });
    req.once('response', (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      const finish = (): void => {
        if (settled) return;
        settled = true;
        signal.removeEventListener('abort', onAbort);
        res.destroy();
        tunnelSocket?.destroy();
        agent.destroy();
        resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') });
      };
      res.on('data', (chunk: Buffer) => {
        const room = MAX_BODY - size;
        chunks.push(chunk.subarray(0, room));
        size += Math.min(chunk.length, room);
        if (size >= MAX_BODY) finish();
      });
      res.once('end', finish);
      res.once('error', () => finish());
    });
    req.end(request.body);
  });
}
