/**
 * Offline checksum and structure validators, referenced by name from a rule's
 * `checksum` field. Each receives the whole secret (the rule's `secret` group) and
 * returns true when the value is internally consistent — a look-alike that fails
 * here is not a key. No network, no dependencies: this runs on the hook's hot path.
 */
export type ChecksumValidator = (secret: string) => boolean;

/** Base62 digits in the order GitHub and npm use for token checksums. */
export const BASE62_ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

let crcTable: Uint32Array | undefined;

/** CRC-32 (IEEE 802.3, as in zlib) of the string's characters taken as bytes (Latin-1). */
export function crc32(text: string): number {
  if (!crcTable) {
    crcTable = new Uint32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      crcTable[n] = c >>> 0;
    }
  }
  let crc = 0xffffffff;
  for (let i = 0; i < text.length; i++) {
    crc = crcTable[(crc ^ text.charCodeAt(i)) & 0xff]! ^ (crc >>> 8);
  }
  return (crc ^ 0xffffffff) >>> 0;
}

/** `value` in base62, left-padded with '0' to `width` characters. */
export function toBase62(value: number, width: number): string {
  let out = '';
  let n = value;
  do {
    out = BASE62_ALPHABET[n % 62]! + out;
    n = Math.floor(n / 62);
  } while (n > 0);
  return out.padStart(width, '0');
}

/** The 6-character base62 CRC-32 checksum GitHub and npm append to a token's random part. */
export function base62Crc32(body: string): string {
  return toBase62(crc32(body), 6);
}

/**
 * GitHub classic tokens (ghp_, gho_, ghu_, ghs_, ghr_) and npm tokens (npm_): after the
 * prefix come 30 random base62 characters and the 6-character base62 CRC-32 of them.
 */
function tailCrc32(secret: string): boolean {
  if (secret.length < 36) return false;
  const tail = secret.slice(-36);
  if (!/^[0-9A-Za-z]{36}$/.test(tail)) return false;
  return base62Crc32(tail.slice(0, 30)) === tail.slice(30);
}

function decodeBase64Url(segment: string): Buffer | undefined {
  if (!/^[A-Za-z0-9_+/=-]*$/.test(segment)) return undefined;
  try {
    return Buffer.from(segment.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
  } catch {
    return undefined;
  }
}

function parseJsonObject(bytes: Buffer | undefined): Record<string, unknown> | undefined {
  if (!bytes) return undefined;
  try {
    const value: unknown = JSON.parse(bytes.toString('utf8'));
    return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * A signed JWT: header and payload are base64url JSON objects, the header names a
 * real algorithm (not "none") and the signature part is present.
 */
function jwtStructure(secret: string): boolean {
  const parts = secret.split('.');
  if (parts.length !== 3 || !parts[2]) return false;
  const header = parseJsonObject(decodeBase64Url(parts[0]!));
  if (!header || typeof header.alg !== 'string' || header.alg.toLowerCase() === 'none') return false;
  return parseJsonObject(decodeBase64Url(parts[1]!)) !== undefined;
}

/**
 * PyPI API tokens are "pypi-" + a base64url macaroon whose location is pypi.org
 * (or test.pypi.org): version byte 2, then the location field; a macaroon ends with
 * its signature field (type 6, 32 bytes), so a token cut short is not one.
 */
function pypiMacaroon(secret: string): boolean {
  const body = secret.startsWith('pypi-') ? secret.slice(5) : secret;
  const bytes = decodeBase64Url(body);
  if (!bytes || bytes.length < 40 || bytes[0] !== 0x02 || bytes[1] !== 0x01) return false;
  if (bytes[bytes.length - 34] !== 0x06 || bytes[bytes.length - 33] !== 0x20) return false;
  const length = bytes[2]!;
  const location = bytes.subarray(3, 3 + length).toString('latin1');
  return location === 'pypi.org' || location === 'test.pypi.org';
}

/** Discord bot tokens start with the base64 of the bot's numeric user id (a snowflake). */
function discordBotToken(secret: string): boolean {
  const first = secret.split('.')[0] ?? '';
  const id = decodeBase64Url(first)?.toString('latin1') ?? '';
  return /^[1-9][0-9]{16,19}$/.test(id);
}

/** Sentry organization tokens: "sntrys_" + base64 JSON ({ iat, url, org, … }) + "_" + secret. */
function sentryOrgToken(secret: string): boolean {
  const body = secret.startsWith('sntrys_') ? secret.slice(7) : secret;
  const cut = body.lastIndexOf('_');
  if (cut <= 0) return false;
  const payload = parseJsonObject(decodeBase64Url(body.slice(0, cut)));
  return payload !== undefined && typeof payload.iat === 'number' && 'url' in payload;
}

/**
 * HTTP Basic credentials as Docker's config.json and Authorization headers hold them:
 * base64 of "user:password", both parts printable and non-empty.
 */
function basicAuth(secret: string): boolean {
  const text = decodeBase64Url(secret)?.toString('latin1') ?? '';
  const colon = text.indexOf(':');
  return colon > 0 && colon < text.length - 1 && /^[\x20-\x7e]+$/.test(text);
}

export const CHECKSUMS: Readonly<Record<string, ChecksumValidator>> = Object.freeze({
  'basic-auth': basicAuth,
  'github-crc32': tailCrc32,
  'npm-crc32': tailCrc32,
  jwt: jwtStructure,
  'pypi-macaroon': pypiMacaroon,
  'discord-bot-token': discordBotToken,
  'sentry-org-token': sentryOrgToken,
});

export function isKnownChecksum(name: string): boolean {
  return Object.hasOwn(CHECKSUMS, name);
}

export function validateChecksum(name: string, secret: string): boolean {
  const validator = Object.hasOwn(CHECKSUMS, name) ? CHECKSUMS[name] : undefined;
  return validator ? validator(secret) : false;
}
