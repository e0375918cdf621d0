/**
 * Google Cloud service-account keys in PKCS#12 form (`.p12`): binary, so no text rule
 * sees them. Google protects every such file with the same published password,
 * `notasecret`, so a PKCS#12 file whose MAC verifies with it is a usable private key.
 *
 * The check (RFC 7292): a DER `PFX` (SEQUENCE { version 3, authSafe ContentInfo of type
 * `data`, macData }), whose MAC over the authSafe content verifies with the key that the
 * PKCS#12 key derivation (Appendix B.2, ID 3) gives for `notasecret`. SHA-1 (what Google
 * and `openssl pkcs12` write) and SHA-224/256/384/512 MACs are read.
 *
 * The shape is checked on the first bytes without node:crypto; node:crypto is loaded
 * only for a file that has it, never on the hook's usual path (bench/perf/README.md).
 */

/** Google's password for every service-account `.p12`. */
const GOOGLE_P12_PASSWORD = 'notasecret'; // leakguard:allow (Google's published, fixed password)
/** Larger files are not read whole to check (a service-account `.p12` is about 2.5 KB). */
export const MAX_PKCS12_BYTES = 64 * 1024;
/** A MAC iteration count above this is not tried (a crafted file could make it cost seconds). */
const MAX_ITERATIONS = 100_000;

/** DER of the object identifiers read here. */
const OID_DATA = '2a864886f70d010701';
const MAC_HASHES: Record<string, { hash: string; block: number }> = {
  '2b0e03021a': { hash: 'sha1', block: 64 },
  '608648016503040204': { hash: 'sha224', block: 64 },
  '608648016503040201': { hash: 'sha256', block: 64 },
  '608648016503040202': { hash: 'sha384', block: 128 },
  '608648016503040203': { hash: 'sha512', block: 128 },
};

interface Tlv {
  tag: number;
  /** Offsets of the value. */
  start: number;
  end: number;
}

/** The DER element at `at` (definite lengths only), or undefined when it does not fit before `limit`. */
function tlv(b: Uint8Array, at: number, limit: number): Tlv | undefined {
  if (at + 2 > limit) return undefined;
  const tag = b[at]!;
  let length = b[at + 1]!;
  let start = at + 2;
  if (length & 0x80) {
    const count = length & 0x7f;
    if (count === 0 || count > 4 || start + count > limit) return undefined;
    length = 0;
    for (let i = 0; i < count; i++) length = length * 256 + b[start + i]!;
    start += count;
  }
  const end = start + length;
  return end <= limit ? { tag, start, end } : undefined;
}

const hex = (b: Uint8Array, t: Tlv): string => Buffer.from(b.buffer, b.byteOffset + t.start, t.end - t.start).toString('hex');

/** The PFX's outer SEQUENCE, version 3 and authSafe of type data: what the first bytes of a `.p12` show. */
function pfxHead(b: Uint8Array, limit: number): { pfx: Tlv; authSafe: Tlv } | undefined {
  const pfx = tlv(b, 0, limit);
  if (pfx?.tag !== 0x30) return undefined;
  const version = tlv(b, pfx.start, pfx.end);
  if (version?.tag !== 0x02 || version.end - version.start !== 1 || b[version.start] !== 3) return undefined;
  const authSafe = tlv(b, version.end, pfx.end);
  if (authSafe?.tag !== 0x30) return undefined;
  const type = tlv(b, authSafe.start, authSafe.end);
  if (type?.tag !== 0x06 || hex(b, type) !== OID_DATA) return undefined;
  return { pfx, authSafe };
}

/**
 * How many bytes the whole file has when `head` (its first bytes) starts like a PKCS#12
 * PFX, else undefined. Cheap: a few bytes compared, nothing loaded.
 */
export function pkcs12Length(head: Uint8Array): number | undefined {
  if (head.length < 32 || head[0] !== 0x30) return undefined;
  // The headers only: the values they announce run past the head.
  const unbounded = Number.MAX_SAFE_INTEGER;
  const pfx = tlv(head, 0, unbounded);
  if (!pfx || pfx.end > MAX_PKCS12_BYTES) return undefined;
  const version = tlv(head, pfx.start, head.length);
  if (version?.tag !== 0x02 || version.end - version.start !== 1 || head[version.start] !== 3) return undefined;
  const authSafe = head[version.end] === 0x30 ? tlv(head, version.end, unbounded) : undefined;
  const type = authSafe && tlv(head, authSafe.start, head.length);
  if (type?.tag !== 0x06 || hex(head, type) !== OID_DATA) return undefined;
  return pfx.end;
}

/** Whether `file` is a PKCS#12 PFX whose MAC verifies with Google's service-account password. */
export function isGoogleServiceAccountP12(file: Uint8Array): boolean {
  const head = pfxHead(file, file.length);
  if (!head || head.pfx.end !== file.length) return false;
  const { pfx, authSafe } = head;
  const b = file;
  // authSafe: SEQUENCE { OID data, [0] { OCTET STRING content } }
  const type = tlv(b, authSafe.start, authSafe.end)!;
  const explicit = tlv(b, type.end, authSafe.end);
  if (explicit?.tag !== 0xa0) return false;
  const content = tlv(b, explicit.start, explicit.end);
  if (content?.tag !== 0x04) return false;
  // macData: SEQUENCE { DigestInfo { AlgorithmIdentifier { OID, NULL? }, OCTET STRING }, OCTET STRING salt, INTEGER iterations? }
  const macData = tlv(b, authSafe.end, pfx.end);
  if (macData?.tag !== 0x30) return false;
  const digestInfo = tlv(b, macData.start, macData.end);
  if (digestInfo?.tag !== 0x30) return false;
  const algorithm = tlv(b, digestInfo.start, digestInfo.end);
  if (algorithm?.tag !== 0x30) return false;
  const oid = tlv(b, algorithm.start, algorithm.end);
  if (oid?.tag !== 0x06) return false;
  const mac = MAC_HASHES[hex(b, oid)];
  if (!mac) return false;
  const digest = tlv(b, algorithm.end, digestInfo.end);
  const salt = tlv(b, digestInfo.end, macData.end);
  if (digest?.tag !== 0x04 || salt?.tag !== 0x04) return false;
  let iterations = 1;
  const count = tlv(b, salt.end, macData.end);
  if (count) {
    if (count.tag !== 0x02 || count.end - count.start > 4 || b[count.start]! & 0x80) return false;
    iterations = 0;
    for (let i = count.start; i < count.end; i++) iterations = iterations * 256 + b[i]!;
  }
  if (iterations < 1 || iterations > MAX_ITERATIONS) return false;

  const crypto = process.getBuiltinModule('node:crypto') as typeof import('node:crypto');
  const key = macKey(crypto, mac.hash, mac.block, b.subarray(salt.start, salt.end), iterations);
  const expected = crypto.createHmac(mac.hash, key).update(b.subarray(content.start, content.end)).digest();
  const actual = b.subarray(digest.start, digest.end);
  return expected.length === actual.length && crypto.timingSafeEqual(expected, actual);
}

/**
 * RFC 7292 Appendix B.2 with ID 3 (MAC key), for a key as long as one hash output: the
 * first block A1 = H^iterations(D || S || P), D = `block` bytes of 3, S the salt and P the
 * password (BMPString, NUL-terminated) each repeated to a whole number of blocks.
 */
function macKey(crypto: typeof import('node:crypto'), hash: string, block: number, salt: Uint8Array, iterations: number): Buffer {
  const fill = (source: Uint8Array): Buffer => {
    const out = Buffer.alloc(block * Math.ceil(source.length / block));
    for (let i = 0; i < out.length; i++) out[i] = source[i % source.length]!;
    return out;
  };
  const password = Buffer.from(`${GOOGLE_P12_PASSWORD}\0`, 'utf16le').swap16();
  let a = Buffer.concat([Buffer.alloc(block, 3), fill(salt), fill(password)]);
  for (let i = 0; i < iterations; i++) a = crypto.createHash(hash).update(a).digest();
  return a;
}

/**
 * The text a verified `.p12` stands for, on one line: its bytes in base64 between
 * markers, for the `gcp-service-account-p12` rule (rules/google.yaml) to report.
 */
export function p12Line(file: Uint8Array): string {
  return `-----BEGIN GCP SERVICE ACCOUNT P12-----${Buffer.from(file).toString('base64')}-----END GCP SERVICE ACCOUNT P12-----`;
}
