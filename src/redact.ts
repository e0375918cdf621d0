import type { Finding } from './detect/finding.js';

/**
 * The single place where a raw secret is turned into something printable.
 * Keeps a short recognisable prefix and suffix (never more than ~30% of the
 * value) so a user can tell which key it is without the key being usable.
 */
export function redactSecret(secret: string): string {
  const chars = Array.from(secret);
  if (chars.length <= 8) return '*'.repeat(Math.max(chars.length, 3));
  const head = Math.min(6, Math.floor(chars.length * 0.2));
  const tail = Math.min(2, Math.floor(chars.length * 0.1));
  return `${chars.slice(0, head).join('')}…${chars.slice(chars.length - tail).join('')}`;
}

/** Findings as every reporter receives them: masked unless --show-secrets. */
export function maskFindings(findings: readonly Finding[], showSecrets: boolean): Finding[] {
  return showSecrets ? [...findings] : findings.map((f) => ({ ...f, secret: redactSecret(f.secret) }));
}

/** Removes every occurrence of the given secrets from a message (for errors and logs). */
export function scrubSecrets(text: string, secrets: Iterable<string>): string {
  let out = text;
  for (const secret of secrets) if (secret.length >= 4) out = out.split(secret).join(redactSecret(secret));
  return out;
}
