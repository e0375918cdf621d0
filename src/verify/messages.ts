/** Every sentence of live verification (reasons and the CLI's stderr lines). None ever holds a key. */
import { plural } from '../messages.js';
import type { TransportError } from './transport.js';

export const verifyMessages = {
  noCheck: 'no live check for this rule',
  unsupported: (why: string): string => `cannot be checked safely: ${why}`,
  kindNotChecked: 'this kind of key has no safe live check',
  unsafeValue: 'not sent: the value has characters no provider accepts',
  noCompanion: (name: string, within: number): string => `needs the ${name} within ${plural(within, 'line')} of it`,
  unexpected: (status: number): string => `unexpected answer (HTTP ${status})`,
  redirect: (status: number): string => `redirect not followed (HTTP ${status})`,
  rateLimited: 'rate limited (HTTP 429)',
  transportFailed(error: TransportError | undefined, timeoutMs: number): string {
    if (!error) return 'request failed';
    const code = error.code ? ` (${error.code})` : '';
    switch (error.kind) {
      case 'timeout':
        return `no answer within ${timeoutMs / 1000} s`;
      case 'proxy':
        return `proxy error${code}`;
      case 'tls':
        return `TLS error${code}`;
      default:
        return `network error${code}`;
    }
  },
  notAllowedInHook: 'verification in a git hook needs "verify": {"hook": true} in .leakguard.json',
  notAllowedOnFork:
    'verification on a pull request from a fork needs "verify": {"forkPullRequests": true} in the base branch\'s .leakguard.json',
  skipped: (why: string): string => `leakguard: --verify skipped: ${why}; every finding is reported and counts (as with --fail-on any)`,
  contacting: (hosts: readonly string[], proxy: string | undefined): string =>
    `leakguard: --verify: checking keys with ${hosts.join(', ')}${proxy ? ` through the proxy ${proxy}` : ''} (HTTPS, read-only requests)`,
  hiddenByOnlyVerified: (n: number): string =>
    `leakguard: --only-verified: ${plural(n, 'finding')} not shown (revoked or not confirmed live)`,
} as const;
