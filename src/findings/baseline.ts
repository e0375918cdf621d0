import { READ_LIMITS, readBoundedText } from '../fs/bounded-read.js';
import { ConfigError } from '../errors.js';
import { shannonEntropy } from '../detect/entropy.js';
import type { Finding } from '../detect/finding.js';
import { sha256Hex } from '../detect/sha256.js';

export const DEFAULT_BASELINE_FILE = '.leakguard-baseline.json';

/**
 * A baseline records one hash per finding: never a secret, no timestamps, sorted,
 * so it does not churn in review. The hash is of the finding's public fingerprint
 * (rule + path + secret) with a random salt kept in the file. For a secret that
 * can be guessed (a password, a short or low-entropy token) it is scrypt,
 * deliberately slow: a committed baseline holding a weak password's finding then
 * costs an attacker one scrypt per guess, not one SHA-256. A key with at least
 * 128 bits of estimated entropy cannot be guessed, whatever the hash: it gets a
 * salted SHA-256, so a baseline of thousands of provider keys stays fast to match.
 * Both kinds of entry look alike (32 hex digits).
 *
 * Format 1 (older baselines) holds the public fingerprints themselves (plain
 * SHA-256): still read, and matched as before.
 */
export interface Baseline {
  version: 2;
  hash: ScryptParams;
  fingerprints: string[];
}

export interface ScryptParams {
  algorithm: 'scrypt';
  /** Base64, random per baseline file (kept when the file is recorded again). */
  salt: string;
  N: number;
  r: number;
  p: number;
}

/** What a scan matches findings against. */
export type LoadedBaseline = { format: 'sha256'; entries: Set<string> } | { format: 'scrypt'; entries: Set<string>; params: ScryptParams };

/**
 * scrypt's cost: N = 2^14, r = 8 (16 MiB; its time: bench/perf/README.md), the
 * parameters of the scrypt paper for interactive use and Node's defaults. A scan
 * pays it once per distinct guessable finding, and only when it has a baseline.
 */
export const SCRYPT_COST = { N: 2 ** 14, r: 8, p: 1 } as const;
const KEY_BYTES = 16;
const SALT_BYTES = 16;
/** What a baseline file may ask for: a hostile file must not make a scan allocate gigabytes. */
const MAX_N = 2 ** 17;
const MAX_R = 16;
const MAX_P = 4;
const HEX32 = /^[0-9a-f]{32}$/;
/** Below this estimated entropy (length x Shannon bits per character) a secret counts as guessable. */
export const UNGUESSABLE_BITS = 128;

/** Records the findings with `reuse`'s salt and cost when given (re-recording then changes only what changed). */
export async function createBaseline(findings: readonly Finding[], reuse?: ScryptParams): Promise<Baseline> {
  const params: ScryptParams = reuse ?? {
    algorithm: 'scrypt',
    salt: crypto().randomBytes(SALT_BYTES).toString('base64'),
    ...SCRYPT_COST,
  };
  const hashes = await baselineHashes(findings, params);
  return { version: 2, hash: params, fingerprints: [...new Set(hashes.values())].sort() };
}

export function serializeBaseline(baseline: Baseline): string {
  return `${JSON.stringify(baseline, null, 2)}\n`;
}

/** The one place a baseline file is read from disk (range scans read it from git instead). */
export async function readBaselineFile(file: string): Promise<string> {
  try {
    return readBoundedText(file, { maxBytes: READ_LIMITS.baseline });
  } catch (error) {
    throw new ConfigError(file, undefined, `cannot read baseline (${(error as NodeJS.ErrnoException).code})`);
  }
}

export async function loadBaseline(file: string): Promise<LoadedBaseline> {
  return parseBaseline(await readBaselineFile(file), file);
}

/** Validates a baseline's text. Messages name fields, never quote content. */
export function parseBaseline(text: string, file: string): LoadedBaseline {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    throw new ConfigError(file, undefined, 'baseline is not valid JSON');
  }
  const record = (typeof data === 'object' && data !== null ? data : {}) as Record<string, unknown>;
  const fingerprints = record.fingerprints;
  if (!Array.isArray(fingerprints) || !fingerprints.every((f) => typeof f === 'string')) {
    throw new ConfigError(file, 'fingerprints', 'must be an array of strings');
  }
  if (record.version === undefined || record.version === 1) return { format: 'sha256', entries: new Set(fingerprints) };
  if (record.version !== 2) throw new ConfigError(file, 'version', 'must be 1 or 2 (a newer leakguard wrote this baseline?)');
  const params = checkParams(record.hash, file);
  fingerprints.forEach((f, i) => HEX32.test(f) || fail(file, `fingerprints[${i}]`, 'must be 32 hexadecimal digits'));
  return { format: 'scrypt', entries: new Set(fingerprints), params };
}

function checkParams(value: unknown, file: string): ScryptParams {
  const hash = (typeof value === 'object' && value !== null ? value : fail(file, 'hash', 'must be an object')) as Record<string, unknown>;
  if (hash.algorithm !== 'scrypt') fail(file, 'hash.algorithm', 'must be "scrypt"');
  const salt =
    typeof hash.salt === 'string' && /^[A-Za-z0-9+/]{16,88}={0,2}$/.test(hash.salt)
      ? hash.salt
      : fail(file, 'hash.salt', 'must be base64 (16 to 64 bytes)');
  const int = (name: 'N' | 'r' | 'p', max: number): number => {
    const n = hash[name];
    return typeof n === 'number' && Number.isInteger(n) && n >= 1 && n <= max
      ? n
      : fail(file, `hash.${name}`, `must be an integer from 1 to ${max}`);
  };
  const N = int('N', MAX_N);
  if (N < 2 || (N & (N - 1)) !== 0) fail(file, 'hash.N', 'must be a power of two');
  return { algorithm: 'scrypt', salt, N, r: int('r', MAX_R), p: int('p', MAX_P) };
}

function fail(file: string, field: string, reason: string): never {
  throw new ConfigError(file, field, reason);
}

/**
 * The findings the baseline does not hold. For a format-2 baseline each distinct
 * fingerprint is hashed once per run (scrypt ones in parallel on libuv's threads);
 * none is hashed when there are no findings.
 */
export async function filterBaseline(
  findings: readonly Finding[],
  baseline: LoadedBaseline,
  debug?: (message: string) => void,
): Promise<Finding[]> {
  if (baseline.format === 'sha256') {
    if (baseline.entries.size)
      debug?.(
        'the baseline holds plain SHA-256 fingerprints (format 1): record it again with `leakguard baseline` so that each entry costs a slow, salted hash (scrypt) to guess',
      );
    return findings.filter((f) => !baseline.entries.has(f.fingerprint));
  }
  if (findings.length === 0 || baseline.entries.size === 0) return [...findings];
  const hashes = await baselineHashes(findings, baseline.params);
  return findings.filter((f) => !baseline.entries.has(hashes.get(f.fingerprint)!));
}

/** fingerprint → its baseline entry, each distinct fingerprint hashed once. */
export async function baselineHashes(
  findings: readonly Pick<Finding, 'fingerprint' | 'secret'>[],
  params: ScryptParams,
): Promise<Map<string, string>> {
  const unique = new Map<string, string>();
  for (const f of findings) unique.set(f.fingerprint, f.secret);
  const entries = await Promise.all(
    [...unique].map(([fingerprint, secret]) =>
      isGuessable(secret) ? scryptHex(fingerprint, params) : sha256Hex(`${params.salt}\0${fingerprint}`).slice(0, KEY_BYTES * 2),
    ),
  );
  return new Map([...unique.keys()].map((fingerprint, i) => [fingerprint, entries[i]!]));
}

/** Whether a secret's estimated entropy is low enough for guessing to work (it then gets scrypt). */
export function isGuessable(secret: string): boolean {
  return secret.length * shannonEntropy(secret) < UNGUESSABLE_BITS;
}

function scryptHex(fingerprint: string, params: ScryptParams): Promise<string> {
  const options = { N: params.N, r: params.r, p: params.p, maxmem: 128 * params.N * params.r * params.p + 2 ** 20 };
  return new Promise((resolve, reject) =>
    crypto().scrypt(fingerprint, Buffer.from(params.salt, 'base64'), KEY_BYTES, options, (error, key) =>
      error ? reject(error) : resolve(key.toString('hex')),
    ),
  );
}

/** node:crypto is loaded only when a baseline is recorded or matched (the hook's start-up does not pay for it). */
function crypto(): typeof import('node:crypto') {
  return process.getBuiltinModule('node:crypto');
}
