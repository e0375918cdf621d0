import type { CommitInfo } from '../sources/fragment.js';
import type { Verification } from '../rules/verify-spec/types.js';
import { sha256Hex } from './sha256.js';

/**
 * One leaked secret. `secret` holds the raw value inside the core; it is masked by
 * src/redact.ts before any reporter or log sees it.
 */
export interface Finding {
  ruleId: string;
  provider: string;
  description: string;
  /** POSIX path relative to the repository root (or to the scanned PATH). */
  file: string;
  /**
   * 1-based positions in the new version of the file; columns count UTF-16 code
   * units. `endLine`/`endColumn` point just past the secret's last character
   * (exclusive, as in SARIF), so a one-line secret spans [column, endColumn).
   */
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  secret: string;
  fingerprint: string;
  envVar: string;
  revokeUrl?: string;
  /** Set when the key was found by decoding the text at this position (the secret is the decoded key). */
  encoding?: 'base64' | 'url' | 'split';
  commit?: string;
  author?: string;
  date?: string;
  /** Set by `scan --verify`: whether the provider still accepts the key. */
  verification?: Verification;
}

/**
 * Stable identity of a finding for baselines: rule + path + secret, so moving
 * unrelated lines does not change it, and the secret cannot be read back from it.
 */
export function fingerprintOf(ruleId: string, file: string, secret: string): string {
  return sha256Hex(`${ruleId}\0${file}\0${secret}`).slice(0, 32);
}

export function withCommit<T extends object>(value: T, commit: CommitInfo | undefined): T {
  return commit ? { ...value, commit: commit.commit, author: commit.author, date: commit.date } : value;
}
