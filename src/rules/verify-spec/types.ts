/**
 * Live verification (`leakguard scan --verify`): the data a rule carries to say how
 * its key is checked, and what a check returns. Only types here, so the hot path
 * (findings, reporters) can name them without loading any verification code.
 */

export type VerificationStatus = 'live' | 'revoked' | 'unknown';

/** What one check said about a finding's key. `reason` says why a key is `unknown` (or the check's limit, for `revoked`). */
export interface Verification {
  status: VerificationStatus;
  provider: string;
  /** ISO 8601 time of the check. */
  checkedAt: string;
  reason?: string;
}

/**
 * A second value the check needs (AWS: the access key id next to the secret key),
 * taken from another finding of one of `rules` in the same file (and commit) at most
 * `within` lines away. It is the template field `{{companion}}`.
 */
export interface CompanionSpec {
  rules: string[];
  /** Lines between the two findings; default 5. */
  within?: number;
  /** What the companion is, for the `unknown` reason when none is found ("AWS access key id"). */
  name: string;
}

/**
 * A request written as data. Template fields: `{{secret}}` and `{{companion}}`.
 * The URL is https, its host is written out in full (no template field before the path).
 */
export interface HttpVerifySpec {
  method: 'GET' | 'POST' | 'HEAD';
  url: string;
  headers?: Record<string, string>;
  /** `Authorization: Basic base64(username:password)`. */
  basicAuth?: { username: string; password: string };
  body?: string;
  /** Status codes that mean the provider accepted the key. */
  live: number[];
  /** Status codes that mean the provider refused the key. */
  revoked: number[];
  /** When set, a live status counts only if the response body contains this text (Slack answers 200 to bad tokens). */
  liveBody?: string;
  /** Any of these in a response body means the key was refused, whatever the status. */
  revokedBody?: string[];
  /** Only keys starting with one of these are checked (one rule, several kinds of key). */
  prefixes?: string[];
  companion?: CompanionSpec;
  /** A limit of the check, given as the reason of every answer but `live` (e.g. "only gitlab.com is asked"). */
  note?: string;
}

/** A check that cannot be written as data (request signing), implemented in src/verify/verifiers.ts. */
export interface NamedVerifySpec {
  verifier: string;
  companion?: CompanionSpec;
  prefixes?: string[];
}

/** The provider has no safe read-only check for this key; the text says why. */
export interface UnsupportedVerifySpec {
  unsupported: string;
}

export type VerifySpec = HttpVerifySpec | NamedVerifySpec | UnsupportedVerifySpec;

/** `.leakguard.json` "verify": what is allowed beyond an explicit `--verify` outside a hook. */
export interface VerifyConfig {
  /** Staged scans run by a git hook verify their findings. */
  hook?: boolean;
  /** `--verify` runs on a pull request from a fork in CI. */
  forkPullRequests?: boolean;
}
