/**
 * The per-language rewrite of one file's bytes (the key becomes the language's
 * environment lookup), as the staged fix does it. The ONE place the history rewrite
 * reaches into the staged fix's rewrite modules: repoint these imports when they move.
 */
import { rewriteSecrets, type SecretTarget, type SkipReason } from '../rewrite/index.js';
import { isDotenvFile } from '../rewrite/languages.js';
import { decodeText, encodeText } from '../text-codec.js';

export { isDotenvFile, type SecretTarget, type SkipReason };

export type FileRewrite = { ok: true; content: Buffer } | { ok: false; reason: SkipReason };

/** True when the bytes hold one of the secrets (as UTF-8, or in the file's own text encoding). */
export function holdsSecret(bytes: Buffer, secrets: readonly string[]): boolean {
  if (secrets.some((secret) => bytes.includes(secret))) return true;
  const { text, encoding } = decodeText(bytes);
  return encoding !== 'utf8' && secrets.some((secret) => text.includes(secret));
}

/** Rewrites every target present in the file; the file's text encoding is kept. */
export function rewriteFile(path: string, bytes: Buffer, targets: readonly SecretTarget[]): FileRewrite {
  const { text, encoding } = decodeText(bytes);
  const present = targets.filter((t) => text.includes(t.secret));
  if (present.length === 0) return { ok: false, reason: 'not-found' };
  const result = rewriteSecrets(path, text, present);
  if (!result.ok) return { ok: false, reason: result.reason };
  return { ok: true, content: encodeText(result.content, encoding) };
}
