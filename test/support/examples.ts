/**
 * Expands the example templates of rules/*.yaml into synthetic keys, so that the
 * repository never holds a key-shaped literal. Shared by the rules test and the
 * benchmark corpus generator: deterministic for a seed, no dependencies.
 *
 * Template syntax: literal text with tokens in double braces.
 *   {{alnum:48}} {{hex:40}} {{HEX:32}} {{lower:20}} {{upper:16}} {{digits:10}}
 *   {{base64:40}} {{base64url:86}} {{upperdigits:16}} {{lowerdigits:24}} {{alpha:12}}
 *   {{base32:16}} {{bech32:58}} {{word:20}}   random characters of that alphabet
 *   {{crc32b62:30}}                     30 base62 chars + their 6-char base62 CRC-32
 *   {{crc32b62bad:30}}                  the same with a wrong checksum
 *   {{pem:RSA}} {{pem:EC}} {{pem:DSA}} {{pem:ENCRYPTED}} {{pem:PKCS8}} {{pem:OPENSSH}}
 *   {{pem:PGP}}                         a whole private-key block (optional 2nd
 *                                       argument: "escaped" for \n escapes,
 *                                       "jsonkey" escaped with a final \n, "crlf")
 *   {{dashes}}                          "-----" (to write PEM-like headers in negatives)
 *   {{empty}}                           nothing (splits a documented example value in two)
 *   {{jwt}} {{jwtunsigned}} {{jwtnone}} {{jwtbad}}   signed / unsigned / alg none / not JSON
 *   {{uuid}} {{ulid}}                   random identifiers
 *   {{pypi}} {{pypitest}} {{pypibad}}   PyPI macaroon tokens (pypi.org, test.pypi.org, wrong)
 *   {{discordbot}} {{discordbotbad}}    Discord bot token (valid / invalid id part)
 *   {{sentryorg}} {{sentryorgbad}}      Sentry organization auth token
 *   {{repeat:X:40}}                     "X" forty times (placeholder negatives)
 *   {{seq:30}}                          "ABCDEF…" sequential characters
 *   {{secret}} … {{/secret}}            marks the part a positive's finding must report
 */
import { base62Crc32, BASE62_ALPHABET } from '../../src/rules/checksums.js';

export interface Rng {
  /** Uniform float in [0, 1). */
  next(): number;
  /** Uniform integer in [0, n). */
  int(n: number): number;
}

/** sfc32 seeded through a string hash (cyrb128): small, fast, good enough for test data. */
export function createRng(seed: string | number): Rng {
  const text = String(seed);
  let h1 = 1779033703;
  let h2 = 3144134277;
  let h3 = 1013904242;
  let h4 = 2773480762;
  for (let i = 0; i < text.length; i++) {
    const k = text.charCodeAt(i);
    h1 = h2 ^ Math.imul(h1 ^ k, 597399067);
    h2 = h3 ^ Math.imul(h2 ^ k, 2869860233);
    h3 = h4 ^ Math.imul(h3 ^ k, 951274213);
    h4 = h1 ^ Math.imul(h4 ^ k, 2716044179);
  }
  h1 = Math.imul(h3 ^ (h1 >>> 18), 597399067);
  h2 = Math.imul(h4 ^ (h2 >>> 22), 2869860233);
  h3 = Math.imul(h1 ^ (h3 >>> 17), 951274213);
  h4 = Math.imul(h2 ^ (h4 >>> 19), 2716044179);
  let a = (h1 ^ h2 ^ h3 ^ h4) >>> 0;
  let b = (h2 ^ h1) >>> 0;
  let c = (h3 ^ h1) >>> 0;
  let d = (h4 ^ h1) >>> 0;
  const nextUint = (): number => {
    a >>>= 0;
    b >>>= 0;
    c >>>= 0;
    d >>>= 0;
    let t = (a + b) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    d = (d + 1) | 0;
    t = (t + d) | 0;
    c = (c + t) | 0;
    return t >>> 0;
  };
  for (let i = 0; i < 15; i++) nextUint();
  return {
    next: () => nextUint() / 4294967296,
    int: (n: number) => Math.floor((nextUint() / 4294967296) * n),
  };
}

const UPPER = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const LOWER = 'abcdefghijklmnopqrstuvwxyz';
const DIGITS = '0123456789';

export const ALPHABETS: Readonly<Record<string, string>> = {
  alnum: BASE62_ALPHABET,
  hex: '0123456789abcdef',
  HEX: '0123456789ABCDEF',
  lower: LOWER,
  upper: UPPER,
  alpha: UPPER + LOWER,
  digits: DIGITS,
  base64: UPPER + LOWER + DIGITS + '+/',
  base64url: UPPER + LOWER + DIGITS + '-_',
  upperdigits: UPPER + DIGITS,
  lowerdigits: LOWER + DIGITS,
  base32: UPPER + '234567',
  bech32: 'QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L',
  word: UPPER + LOWER + DIGITS + '_',
};

/** Substrings the detector treats as placeholders; random runs never contain them. */
const PLACEHOLDER_LIKE = /xxx|todo|fake|dummy|exampl|your|test|place|redact|chang|insert|sample/i;

function shannon(value: string): number {
  const counts = new Map<string, number>();
  for (const ch of value) counts.set(ch, (counts.get(ch) ?? 0) + 1);
  let bits = 0;
  for (const n of counts.values()) {
    const p = n / value.length;
    bits -= p * Math.log2(p);
  }
  return bits;
}

/** True when a random run looks like a placeholder: repeats, sequences, words, low entropy. */
function looksUnrandom(run: string, alphabetSize: number): boolean {
  if (PLACEHOLDER_LIKE.test(run)) return true;
  for (let i = 3; i < run.length; i++) {
    const a = run.charCodeAt(i - 3);
    const b = run.charCodeAt(i - 2);
    const c = run.charCodeAt(i - 1);
    const d = run.charCodeAt(i);
    if (a === b && b === c && c === d) return true;
    if (b - a === c - b && c - b === d - c && Math.abs(b - a) === 1) return true;
  }
  if (run.length >= 8 && alphabetSize > 1) {
    const ceiling = Math.log2(Math.min(alphabetSize, run.length));
    if (shannon(run) < ceiling - 0.6) return true;
  }
  return false;
}

/** `length` random characters of `alphabet`, avoiding anything placeholder-like. */
export function randomString(rng: Rng, alphabet: string, length: number): string {
  if (length <= 0) return '';
  // Long runs are built from short chunks so that rejection stays cheap.
  if (length > 64) {
    let out = '';
    while (out.length < length) {
      const chunk = randomString(rng, alphabet, Math.min(64, length - out.length));
      // No run, sequence or word may straddle two chunks either.
      const joint = out.slice(-8) + chunk.slice(0, 8);
      if (out && looksUnrandom(joint, 1)) continue;
      out += chunk;
    }
    return out;
  }
  for (let attempt = 0; ; attempt++) {
    let run = '';
    for (let i = 0; i < length; i++) run += alphabet[rng.int(alphabet.length)];
    if (attempt > 200 || !looksUnrandom(run, alphabet.length)) return run;
  }
}

function base64url(bytes: Buffer | string): string {
  return Buffer.from(bytes).toString('base64url');
}

function randomBytes(rng: Rng, n: number): Buffer {
  const out = Buffer.alloc(n);
  for (let i = 0; i < n; i++) out[i] = rng.int(256);
  return out;
}

/** base64url text of random bytes, retried until free of placeholder-like substrings. */
function encodedRandom(rng: Rng, build: () => string): string {
  for (let attempt = 0; attempt < 200; attempt++) {
    const value = build();
    if (!PLACEHOLDER_LIKE.test(value) && !/(.)\1\1\1/.test(value)) return value;
  }
  return build();
}

function crc32Token(rng: Rng, length: number, bad: boolean): string {
  const body = randomString(rng, BASE62_ALPHABET, length);
  const good = base62Crc32(body);
  if (!bad) return body + good;
  let wrong = good;
  while (wrong === good) wrong = randomString(rng, BASE62_ALPHABET, 6);
  return body + wrong;
}

const PEM_LABELS: Readonly<Record<string, string>> = {
  RSA: 'RSA PRIVATE KEY',
  EC: 'EC PRIVATE KEY',
  DSA: 'DSA PRIVATE KEY',
  PKCS8: 'PRIVATE KEY',
  ENCRYPTED: 'ENCRYPTED PRIVATE KEY',
  OPENSSH: 'OPENSSH PRIVATE KEY',
  PGP: 'PGP PRIVATE KEY BLOCK',
};

function base64Lines(rng: Rng, count: number, width: number, lastWidth = width): string[] {
  const lines: string[] = [];
  for (let i = 0; i < count; i++) lines.push(randomString(rng, ALPHABETS.base64!, i === count - 1 ? lastWidth : width));
  return lines;
}

/** A private-key block of the given kind with a random body. */
function pemBlock(rng: Rng, kind: string, mode: string | undefined): string {
  const label = PEM_LABELS[kind];
  if (!label) throw new Error(`unknown PEM kind "${kind}" (one of ${Object.keys(PEM_LABELS).join(', ')})`);
  const dashes = '-----';
  const lines: string[] = [`${dashes}BEGIN ${label}${dashes}`];
  switch (kind) {
    case 'OPENSSH': {
      // "openssh-key-v1\0" starts every OpenSSH private key.
      const body = 'b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQ' + randomString(rng, ALPHABETS.base64!, 28);
      lines.push(body, ...base64Lines(rng, 5, 70, 20 + rng.int(40)));
      break;
    }
    case 'PGP':
      lines.push('', 'lQ' + randomString(rng, ALPHABETS.base64!, 62), ...base64Lines(rng, 12, 64, 30));
      lines.push('=' + randomString(rng, ALPHABETS.base64!, 4));
      break;
    case 'RSA':
      lines.push('MIIE' + randomString(rng, ALPHABETS.base64!, 60), ...base64Lines(rng, 14 + rng.int(10), 64, 24));
      break;
    case 'EC':
      lines.push(
        'MHcCAQEEI' + randomString(rng, ALPHABETS.base64!, 55),
        randomString(rng, ALPHABETS.base64!, 64),
        randomString(rng, ALPHABETS.base64!, 44),
      );
      break;
    default:
      lines.push('MII' + randomString(rng, ALPHABETS.base64!, 61), ...base64Lines(rng, 8 + rng.int(12), 64, 28));
  }
  lines.push(`${dashes}END ${label}${dashes}`);
  if (mode === 'escaped') return lines.join('\\n');
  if (mode === 'jsonkey') return lines.join('\\n') + '\\n';
  return lines.join(mode === 'crlf' ? '\r\n' : '\n');
}

function jwt(rng: Rng, variant: 'signed' | 'unsigned' | 'none' | 'bad'): string {
  return encodedRandom(rng, () => {
    const alg = variant === 'none' ? 'none' : ['HS256', 'RS256', 'ES256', 'HS512'][rng.int(4)]!;
    const header = base64url(JSON.stringify({ alg, typ: 'JWT' }));
    const now = 1_600_000_000 + rng.int(200_000_000);
    const claims = {
      sub: randomString(rng, ALPHABETS.lowerdigits!, 12),
      iss: `https://${randomString(rng, LOWER, 8)}.io`,
      iat: now,
      exp: now + 3600 * (1 + rng.int(48)),
      role: ['service_role', 'admin', 'user', 'authenticated'][rng.int(4)],
    };
    const payload = base64url(JSON.stringify(claims));
    const signature = randomString(rng, ALPHABETS.base64url!, alg.startsWith('HS') ? 43 : 86);
    if (variant === 'bad') return `eyJ${randomString(rng, ALPHABETS.base64url!, 30)}.${payload}.${signature}`;
    return `${header}.${payload}.${variant === 'unsigned' || variant === 'none' ? '' : signature}`;
  });
}

function ulid(rng: Rng): string {
  const crockford = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
  return '01' + randomString(rng, crockford, 24);
}

function uuid(rng: Rng): string {
  const hex = randomString(rng, ALPHABETS.hex!, 32).split('');
  hex[12] = '4';
  hex[16] = '89ab'[rng.int(4)]!;
  const h = hex.join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

function pypiToken(rng: Rng, location: string): string {
  return encodedRandom(rng, () => {
    const identifier = `{"nonce":"${randomString(rng, ALPHABETS.hex!, 32)}","version":1}`;
    const caveat = `[{"permissions":"user","version":1}]`;
    const bytes = Buffer.concat([
      Buffer.from([0x02, 0x01, location.length]),
      Buffer.from(location, 'latin1'),
      Buffer.from([0x02, identifier.length]),
      Buffer.from(identifier, 'latin1'),
      Buffer.from([0x00, 0x02, caveat.length]),
      Buffer.from(caveat, 'latin1'),
      Buffer.from([0x00, 0x00, 0x06, 0x20]),
      randomBytes(rng, 32),
    ]);
    return 'pypi-' + base64url(bytes).replace(/=+$/, '');
  });
}

function discordBot(rng: Rng, bad: boolean): string {
  return encodedRandom(rng, () => {
    const id = bad ? randomString(rng, LOWER, 18) : String(1 + rng.int(9)) + randomString(rng, DIGITS, 17);
    const first = Buffer.from(id, 'latin1').toString('base64').replace(/=+$/, '');
    return `${first}.${randomString(rng, ALPHABETS.base64url!, 6)}.${randomString(rng, ALPHABETS.base64url!, 38)}`;
  });
}

function sentryOrg(rng: Rng, bad: boolean): string {
  return encodedRandom(rng, () => {
    const org = randomString(rng, LOWER, 8);
    const payload = bad
      ? randomString(rng, ALPHABETS.alnum!, 80)
      : Buffer.from(
          JSON.stringify({
            iat: 1_700_000_000 + rng.int(100_000_000) + rng.next(),
            url: 'https://sentry.io',
            region_url: 'https://us.sentry.io',
            org,
          }),
        )
          .toString('base64')
          .replace(/=+$/, '');
    return `sntrys_${payload}_${randomString(rng, ALPHABETS.base64!, 43)}`;
  });
}

const SECRET_OPEN = '{{secret}}';
const SECRET_CLOSE = '{{/secret}}';
/** Tokens have no spaces, so GitHub Actions' `${{ secrets.X }}` stays literal text. */
const TOKEN = /\{\{([A-Za-z0-9/]+(?::[^{}\s]*)*)\}\}/g;

function expandToken(token: string, rng: Rng): string {
  const [name = '', ...args] = token.split(':');
  const alphabet = Object.hasOwn(ALPHABETS, name) ? ALPHABETS[name] : undefined;
  if (alphabet !== undefined) {
    const length = Number(args[0]);
    if (!Number.isInteger(length) || length <= 0) throw new Error(`template token {{${token}}} needs a length`);
    return randomString(rng, alphabet, length);
  }
  switch (name) {
    case 'crc32b62':
    case 'crc32b62bad':
      return crc32Token(rng, Number(args[0] ?? 30), name.endsWith('bad'));
    case 'pem':
      return pemBlock(rng, args[0] ?? 'PKCS8', args[1]);
    case 'dashes':
      return '-----';
    case 'empty':
      return '';
    case 'jwt':
      return jwt(rng, 'signed');
    case 'jwtunsigned':
      return jwt(rng, 'unsigned');
    case 'jwtnone':
      return jwt(rng, 'none');
    case 'jwtbad':
      return jwt(rng, 'bad');
    case 'basicauth':
      return encodedRandom(rng, () =>
        Buffer.from(`${randomString(rng, LOWER, 8)}:${randomString(rng, ALPHABETS.alnum!, 20)}`).toString('base64'),
      );
    case 'uuid':
      return uuid(rng);
    case 'ulid':
      return ulid(rng);
    case 'pypi':
      return pypiToken(rng, 'pypi.org');
    case 'pypitest':
      return pypiToken(rng, 'test.pypi.org');
    case 'pypibad':
      return pypiToken(rng, 'notpypi.org');
    case 'discordbot':
      return discordBot(rng, false);
    case 'discordbotbad':
      return discordBot(rng, true);
    case 'sentryorg':
      return sentryOrg(rng, false);
    case 'sentryorgbad':
      return sentryOrg(rng, true);
    case 'repeat': {
      const count = Number(args[1]);
      if (!args[0] || !Number.isInteger(count)) throw new Error(`template token {{${token}}} needs a character and a count`);
      return args[0].repeat(count);
    }
    case 'seq': {
      const count = Number(args[0]);
      let out = '';
      for (let i = 0; i < count; i++) out += BASE62_ALPHABET[(10 + i) % 62];
      return out;
    }
    default:
      throw new Error(`unknown template token {{${token}}}`);
  }
}

export interface ExpandedExample {
  text: string;
  /** The part marked with {{secret}}…{{/secret}}, when the template marks one. */
  secret?: string;
}

/** Expands a template and returns the text and the marked secret. */
export function expandExample(template: string, rng: Rng): ExpandedExample {
  let text = '';
  let secretStart = -1;
  let secret: string | undefined;
  let last = 0;
  for (const match of template.matchAll(TOKEN)) {
    text += template.slice(last, match.index);
    last = match.index + match[0].length;
    if (match[0] === SECRET_OPEN) {
      if (secretStart !== -1 || secret !== undefined) throw new Error('template marks more than one {{secret}}');
      secretStart = text.length;
    } else if (match[0] === SECRET_CLOSE) {
      if (secretStart === -1) throw new Error('{{/secret}} without {{secret}}');
      secret = text.slice(secretStart);
      secretStart = -1;
    } else {
      text += expandToken(match[1]!, rng);
    }
  }
  text += template.slice(last);
  if (secretStart !== -1) throw new Error('{{secret}} without {{/secret}}');
  return secret === undefined ? { text } : { text, secret };
}

/** Expands every token of a template (secret markers are dropped). */
export function expandTemplate(template: string, rng: Rng): string {
  return expandExample(template, rng).text;
}

/** Whether a template marks its secret with {{secret}}…{{/secret}}. */
export function marksSecret(template: string): boolean {
  const open = template.indexOf(SECRET_OPEN);
  return open !== -1 && template.indexOf(SECRET_CLOSE, open) !== -1;
}

export interface ExpandedRuleExamples {
  positive: Array<{ text: string; secret: string }>;
  negative: string[];
}

/**
 * A rule's examples expanded with a RNG seeded by the rule id and `seed`, so each
 * rule gets its own reproducible values.
 */
export function expandRuleExamples(
  rule: { id: string; examples: { positive: readonly string[]; negative: readonly string[] } },
  seed: string | number,
): ExpandedRuleExamples {
  const rng = createRng(`${rule.id}\0${seed}`);
  const positive = rule.examples.positive.map((template) => {
    const { text, secret } = expandExample(template, rng);
    if (secret === undefined) throw new Error(`rule ${rule.id}: positive example does not mark {{secret}}…{{/secret}}: ${template}`);
    return { text, secret };
  });
  const negative = rule.examples.negative.map((template) => expandTemplate(template, rng));
  return { positive, negative };
}
