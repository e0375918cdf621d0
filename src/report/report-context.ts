import type { SourceDescription } from '../sources/source.js';
import type { ScanStats } from '../sources/source-stats.js';
import type { RuleSpec } from '../rules/rule.js';

export interface ReportContext {
  stats: ScanStats;
  /** What was scanned: how the report names it and what it advises. */
  source: SourceDescription;
  baselined: number;
  color: boolean;
  /** The rules that ran (for SARIF rule metadata). */
  rules: readonly RuleSpec[];
  toolVersion: string;
  /**
   * `--format html`: fingerprint → whether the key is still in the current tree
   * (for commit scans, HEAD's version of its file still holds it). Computed by the
   * CLI before reporting; a missing entry is unknown.
   */
  stillPresent?: ReadonlyMap<string, boolean>;
}

/** A reporter turns masked findings into the whole report text. Pure: no I/O. */
export type Reporter = (findings: readonly import('../detect/finding.js').Finding[], context: ReportContext) => string;
