/**
 * Synthetic keys and findings for the fix tests. Keys are expanded from templates
 * at run time with a seeded generator, so no key-shaped literal is ever written.
 */
import type { Finding } from '../../src/detect/finding.js';
import { fingerprintOf } from '../../src/detect/finding.js';
import { ALPHABETS, createRng, expandTemplate } from '../support/examples.js';

export function openaiKey(seed: string | number = 'openai'): string {
  return expandTemplate('sk-proj-{{base64url:74}}T3BlbkFJ{{base64url:74}}', createRng(seed));
}

/** A classic GitHub token with a valid CRC32, so the scanner treats it as real. */
export function githubToken(seed: string | number = 'github'): string {
  return expandTemplate('gh' + 'p_{{crc32b62:30}}', createRng(seed));
}

const PROVIDERS: Record<string, Pick<Finding, 'ruleId' | 'provider' | 'description' | 'envVar' | 'revokeUrl'>> = {
  openai: {
    ruleId: 'openai-project-key',
    provider: 'openai',
    description: 'OpenAI API key',
    envVar: 'OPENAI_API_KEY',
    revokeUrl: 'https://platform.openai.com/api-keys',
  },
  github: {
    ruleId: 'github-pat',
    provider: 'github',
    description: 'GitHub personal access token',
    envVar: 'GITHUB_TOKEN',
    revokeUrl: 'https://github.com/settings/tokens',
  },
};

/** A finding for the first occurrence of `secret` in `content` (positions as the detector reports them). */
export function findingIn(file: string, content: string, secret: string, provider: keyof typeof PROVIDERS | string = 'openai'): Finding {
  const offset = content.indexOf(secret);
  if (offset === -1) throw new Error(`secret not in ${file}`);
  const before = content.slice(0, offset);
  const line = before.split('\n').length;
  const column = offset - (before.lastIndexOf('\n') + 1) + 1;
  const meta = PROVIDERS[provider] ?? PROVIDERS.openai!;
  return {
    ...meta,
    file,
    line,
    column,
    endLine: line,
    endColumn: column + secret.length,
    secret,
    fingerprint: fingerprintOf(meta.ruleId, file, secret),
  };
}

/**
 * A synthetic armored private key (`-----BEGIN <label>-----` … `-----END <label>-----`)
 * with about `bodyChars` characters of base64 body in 64-character lines; PGP keys
 * get the blank line after the armor headers and a checksum line, as gpg writes them.
 */
export function armoredKey(label: string, bodyChars: number, seed: string | number = 'armored', eol = '\n'): string {
  const rng = createRng(seed);
  const dashes = '-'.repeat(5);
  const lines = [`${dashes}BEGIN ${label}${dashes}`];
  const pgp = label.startsWith('PGP ');
  if (pgp) lines.push('Version: leakguard test', '');
  // Without x, o, e, y no placeholder word ("xxxx", "todo", "your", "dummy") can occur; plain draws keep 20 KB fast.
  const alphabet = ALPHABETS.base64!.replace(/[xoey]/gi, '');
  let body = '';
  for (let i = 0; i < bodyChars + 4; i++) body += alphabet[rng.int(alphabet.length)];
  for (let at = 0; at < bodyChars; at += 64) lines.push(body.slice(at, Math.min(at + 64, bodyChars)));
  if (pgp) lines.push(`=${body.slice(bodyChars)}`);
  lines.push(`${dashes}END ${label}${dashes}`);
  return lines.join(eol);
}
