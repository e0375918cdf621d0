// Obvious placeholders in other projects' positive test cases: leakguard ignores them on
// purpose, so a positive case whose key is one is dropped (and counted), not scored.

import { createHmac } from 'node:crypto';

const b64url = (json) => Buffer.from(JSON.stringify(json)).toString('base64url');
/** jwt.io's sample token (header + payload), pasted into docs and tests everywhere. */
const JWT_IO = `${b64url({ alg: 'HS256', typ: 'JWT' })}.${b64url({ sub: '1234567890', name: 'John Doe', iat: 1516239022 })}`;
/** The keys jwt.io's debugger signs HMAC tokens with: a token they verify is made in the debugger. */
const JWT_IO_KEYS = ['a-string-secret-at-least-256-bits-long', 'your-256-bit-secret', 'your-384-bit-secret', 'your-512-bit-secret']; // leakguard:allow (jwt.io's published default keys)
const HMAC_JWT = /eyJ[A-Za-z0-9_-]+\.eyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{43,86}/g;

function signedByJwtIo(text) {
  for (const [token] of text.matchAll(HMAC_JWT)) {
    const [header, payload, signature] = token.split('.');
    let alg;
    try {
      alg = JSON.parse(Buffer.from(header, 'base64url').toString('utf8')).alg;
    } catch {
      continue;
    }
    const hash = { HS256: 'sha256', HS384: 'sha384', HS512: 'sha512' }[alg];
    if (hash && JWT_IO_KEYS.some((key) => createHmac(hash, key).update(`${header}.${payload}`).digest('base64url') === signature))
      return true;
  }
  return false;
}

function windows(alphabet, size) {
  const out = [];
  for (let i = 0; i + size <= alphabet.length; i++) out.push(alphabet.slice(i, i + size));
  return out;
}

/** Eight letters or digits in alphabet order (abcdefgh…, 12345678…). */
const ALPHABET_RUN = new RegExp(`(?:${[...windows('abcdefghijklmnopqrstuvwxyz', 8), ...windows('0123456789', 8)].join('|')})`, 'i');
/** Whether `b` counts on from `a`: the next letter (either case) or the next digit, 9 then 0. */
function countsOn(a, b) {
  const [x, y] = [a.toLowerCase(), b.toLowerCase()];
  if (/[a-z]/.test(x) && /[a-z]/.test(y)) return y.charCodeAt(0) - x.charCodeAt(0) === 1;
  if (/[0-9]/.test(x) && /[0-9]/.test(y)) return (Number(x) + 1) % 10 === Number(y);
  return false;
}

/** Two counts interleaved over eight letters and digits or more: a1b2c3d4, 1A2b3C4d, aAbBcCdD. */
function interleavedCount(word) {
  const chars = word.replace(/[^A-Za-z0-9]/g, '');
  let run = 0;
  for (let i = 2; i < chars.length; i++) {
    run = countsOn(chars[i - 2], chars[i]) ? (run === 0 ? 3 : run + 1) : 0;
    if (run >= 8) return true;
  }
  return false;
}

/** Where a key's parts meet: `tskey-api-…-…`, `0000-0000-0000`, `user_…`, `a.b.c`, `host:port/path`, `name=value`. */
const SEPARATOR = /[-_.:/=]/;

/** The longest run of one letter or digit in `s`. */
function longestRun(s) {
  let best = 0;
  let run = 0;
  for (let i = 0; i < s.length; i++) {
    run = i > 0 && s[i] === s[i - 1] && /[A-Za-z0-9]/.test(s[i]) ? run + 1 : /[A-Za-z0-9]/.test(s[i]) ? 1 : 0;
    best = Math.max(best, run);
  }
  return best;
}

/**
 * A run of one character standing for a key or a part of one: eight or more of one
 * character making up at least a third of the word or of one of its parts (the parts
 * split at `-_.:/=`: `tskey-api-` + twelve A's + `-` + twenty-four B's), or neighbouring
 * parts of one and the same character, eight or more together (`id=0000-0000-0000`).
 * Parts of one character (`a` in `x-a-a-a-a`) tell nothing and do not count.
 */
function oneCharRun(word) {
  const run = longestRun(word);
  if (run >= 8 && run * 3 >= word.length) return true;
  const parts = word.split(SEPARATOR).filter((p) => p.length > 0);
  if (parts.some((p) => longestRun(p) >= 8 && longestRun(p) * 3 >= p.length)) return true;
  // Neighbouring parts made of one and the same character, eight or more together.
  let together = 0;
  for (let i = 0; i < parts.length; i++) {
    const same = longestRun(parts[i]) === parts[i].length && parts[i].length > 1;
    together = same && i > 0 && together > 0 && parts[i][0] === parts[i - 1][0] ? together + parts[i].length : same ? parts[i].length : 0;
    if (together >= 8 && together > parts[i].length) return true;
  }
  return false;
}

/** Words that stand for a user name or a password in documentation: `user:pass`, `admin:password`. */
const CREDENTIAL_WORDS = new Set(['user', 'username', 'login', 'admin', 'pass', 'password', 'passwd', 'pwd', 'changeme']);
/** `scheme://user:password@` in a URL. */
const URL_CREDENTIALS = /[a-z][a-z0-9+.-]*:\/\/([^:@/\s]+):([^@/\s]+)@/gi;

/** Whether a URL in `value` has a user and a password that are both placeholder words (`https://user:pass@host`). */
function placeholderCredentials(value) {
  for (const [, user, password] of value.matchAll(URL_CREDENTIALS))
    if (CREDENTIAL_WORDS.has(user.toLowerCase()) && CREDENTIAL_WORDS.has(password.toLowerCase())) return true;
  return false;
}

/** Key-shaped words: the parts of a text a placeholder check looks at. */
const WORD = /[A-Za-z0-9+/=_.-]{8,}/g;

/**
 * Why `values` (the case's keys, `named`, or its whole text when the key is not known) is
 * an obvious placeholder, or undefined. A run of one character counts only when it is at
 * least a third of its word, so that the A-runs inside OpenSSH and DER key bodies do not.
 */
export function placeholderReason(values, text, named = false) {
  if (text.includes(JWT_IO) || signedByJwtIo(text)) return 'jwt.io sample token';
  for (const value of values) {
    // Only in a key the test names: a whole case's text may hold such a URL beside its key.
    if (named && placeholderCredentials(value)) return 'user:pass placeholder credentials';
    const reason = wordReason(value);
    if (reason) return reason;
  }
  return undefined;
}

/** Why one of the key-shaped words of `value` is a placeholder, or undefined. */
function wordReason(value) {
  for (const word of value.match(WORD) ?? []) {
    if (word.includes('EXAMPLE')) return 'EXAMPLE';
    if (oneCharRun(word)) return 'run of one character';
    if (ALPHABET_RUN.test(word)) return 'alphabet run';
    if (interleavedCount(word)) return 'two counts interleaved';
  }
  return undefined;
}
