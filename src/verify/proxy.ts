/**
 * The standard proxy variables, as curl reads them: HTTPS_PROXY / https_proxy for
 * https requests, NO_PROXY / no_proxy for the hosts that go direct. Only an http://
 * proxy is supported; the TLS session runs end to end through its CONNECT tunnel, so
 * the proxy never sees the request or the key.
 */
export interface ProxyConfig {
  host: string;
  port: number;
  /** `Proxy-Authorization` value when the proxy URL carries user info. */
  authorization?: string;
  /** What may be printed: scheme, host and port, never user info. */
  display: string;
}

export type ProxySetting = ProxyConfig | { unsupported: string } | undefined;

export function proxyFromEnv(env: NodeJS.ProcessEnv, targetHost: string): ProxySetting {
  const raw = env.https_proxy || env.HTTPS_PROXY;
  if (!raw || bypassed(env.no_proxy || env.NO_PROXY || '', targetHost)) return undefined;
  return parseProxy(raw);
}

export function parseProxy(raw: string): ProxySetting {
  let url: URL;
  try {
    url = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(raw) ? raw : `http://${raw}`);
  } catch {
    return { unsupported: 'the proxy URL in HTTPS_PROXY is not valid' };
  }
  if (url.protocol !== 'http:') return { unsupported: `${url.protocol}// proxies are not supported (use an http:// proxy)` };
  const host = url.hostname.replace(/^\[|\]$/g, '');
  const port = url.port ? Number(url.port) : 80;
  const authorization = url.username
    ? `Basic ${Buffer.from(`${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`).toString('base64')}`
    : undefined;
  return { host, port, authorization, display: `http://${url.host}` };
}

/** NO_PROXY: `*`, or comma/space separated host names; `example.com` and `.example.com` also cover subdomains. */
export function bypassed(noProxy: string, host: string): boolean {
  const target = host.toLowerCase();
  for (const entry of noProxy.split(/[\s,]+/).filter(Boolean)) {
    if (entry === '*') return true;
    const name = entry
      .toLowerCase()
      .replace(/:\d+$/, '')
      .replace(/^\*?\./, '');
    if (target === name || target.endsWith(`.${name}`)) return true;
  }
  return false;
}
