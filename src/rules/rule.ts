import type { VerifySpec } from './verify-spec/types.js';
import type { NearSpec } from './near.js';

/**
 * A rule as written in rules/*.yaml (and in the "rules" field of .leakguard.json).
 * The secret itself is the named group `secret` of `regex` (JavaScript syntax).
 * rules/schema.json (`ruleFields`) is the description of a rule and the one source
 * of its validation (src/rules/validate-rule.ts); this type has exactly its fields,
 * which the typecheck verifies (RuleSpecMatchesSchema). A new field goes into both.
 */
export interface RuleSpec {
  id: string;
  provider: string;
  description: string;
  regex: string;
  /**
   * A vendor keyword near a vendor-shaped token (src/rules/near.ts): written instead
   * of `regex` (and `keywords`), which are compiled from it when the rule files are read.
   */
  near?: NearSpec;
  /** Extra RegExp flags, e.g. "i". "g" and "d" are always added. */
  flags?: string;
  /** Literal strings, one of which must occur (case-insensitively) for the rule to run. Empty: always runs. */
  keywords: string[];
  /** Minimum Shannon entropy (bits per character) of the secret. */
  entropy?: number;
  /** Name of an offline validator in src/rules/checksums.ts. */
  checksum?: string;
  /**
   * Name of a matcher in src/rules/matchers.ts. The regex then finds only where a
   * match starts (its `secret` group, e.g. a BEGIN line) and the matcher reads the
   * rest in linear time, over the whole fragment (never cut by a window).
   */
  matcher?: string;
  /**
   * Set for rules from .leakguard.json (never written there): they run on a worker
   * thread under a time budget (src/detect/budgeted-rules.ts).
   */
  fromConfig?: boolean;
  /** Environment variable the fix moves the secret into. */
  envVar: string;
  /** Where the key is revoked and re-created. */
  revokeUrl?: string;
  /** Lower confidence rules (generic ones) are reported after specific ones and lose overlaps. */
  confidence?: 'high' | 'medium' | 'low';
  /** Paths (picomatch globs) where this rule never reports. */
  allowPaths?: string[];
  /** Secret values matching one of these regexes are not reported. */
  allowValues?: string[];
  /** How `scan --verify` checks a key of this rule with its provider (built-in rules only). */
  verify?: VerifySpec;
  examples: RuleExamples;
}

export interface RuleExamples {
  /** Templates (see test/support/examples.ts) that must each produce a finding of this rule. */
  positive: string[];
  /** Templates that must produce no finding of this rule. */
  negative: string[];
}
