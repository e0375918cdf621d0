import type { RuleSpec } from '../rules/rule.js';

/**
 * The literal prefixes of vendors' keys (`ghp_`, `xoxp-`, `sk_live_`), read from the
 * keywords of the specific rules. A value that starts with one belongs to that
 * vendor: when its own rule did not report it (the length, alphabet or checksum is
 * wrong: a documentation token, a truncated or made-up one), a generic rule must
 * not report it in its place.
 *
 * A keyword counts as a prefix when it ends with `_`, `-` or `.` (Harness's `pat.`) and is at
 * least four characters long; a few that are words, not vendor prefixes, never count.
 * A keyword between two dots with at least five characters inside (Terraform's `.atlasv1.`)
 * is a marker the vendor writes inside its keys: a value that holds one is the vendor's too.
 * A keyword of six or more letters and digits that the rule's secret starts with, literally
 * (JFrog's `cmVmdGtu`, Atlassian's `ATATT3`), is a prefix as well; one of four or more that starts
 * with `-` or `_` and ends the secret (New Relic's `-NRMA`, MaxMind's `_mmk`) is a suffix.
 */
const NOT_VENDOR_PREFIXES = new Set(['api-', 'api_', 'key-', 'key_', 'secret_', 'secret-', 'token_', 'token-', 'bundle_', 'sdk-']);
const PREFIX = /^[a-z0-9][a-z0-9_.-]{2,}[_.-]$/;
const MARKER = /^\.[a-z0-9_-]{5,}\.$/;
/** Where the table keeps the markers: no prefix starts with a dot. */
const MARKERS = '..';
/** Where the table keeps the suffixes: no prefix starts with a dollar sign. */
const SUFFIXES = '$$';

/** The literal letters and digits a rule's secret group starts with (`(?<secret>cmVmdGtu[…`), lower case. */
function secretLiteralStart(regex: string | undefined): string {
  const at = regex?.indexOf('(?<secret>') ?? -1;
  return at < 0 ? '' : (/^[A-Za-z0-9]*/.exec(regex!.slice(at + 10))?.[0] ?? '').toLowerCase();
}

/** Whether the rule's secret group ends with `keyword` literally (`…-NRMA)(?!…`), case-insensitively. */
function endsSecret(regex: string | undefined, keyword: string): boolean {
  if (!regex || !/^[_-][a-z0-9]{3,}$/.test(keyword)) return false;
  const lower = regex.toLowerCase();
  return lower.includes(`${keyword})(?!`) || lower.includes(`${keyword}))(?!`);
}

export interface VendorPrefix {
  prefix: string;
  provider: string;
}

/** VendorPrefixes.table(): the prefixes by their first two characters, as JSON holds them. */
export type VendorPrefixTable = Array<[string, VendorPrefix[]]>;

export class VendorPrefixes {
  /** Prefixes by their first two characters (lower case), longest first. */
  private readonly byStart: Map<string, VendorPrefix[]>;

  /**
   * `table`: these rules' table() worked out before (for the built-in rules, at build
   * time: dist/rules-index.json), so the rules are not read again.
   */
  constructor(rules: readonly RuleSpec[], table?: VendorPrefixTable) {
    this.byStart = new Map(table);
    if (table) return;
    for (const rule of rules) {
      if (rule.confidence === 'low' || rule.fromConfig) continue;
      const literal = secretLiteralStart(rule.regex);
      for (const keyword of rule.keywords) {
        const prefix = keyword.toLowerCase();
        const marker = MARKER.test(prefix);
        const suffix = endsSecret(rule.regex, prefix);
        const literalPrefix = prefix.length >= 6 && /^[a-z0-9]+$/.test(prefix) && literal.startsWith(prefix);
        if (!marker && !suffix && !literalPrefix && (!PREFIX.test(prefix) || NOT_VENDOR_PREFIXES.has(prefix))) continue;
        const start = marker ? MARKERS : suffix ? SUFFIXES : prefix.slice(0, 2);
        let list = this.byStart.get(start);
        if (!list) this.byStart.set(start, (list = []));
        if (!list.some((p) => p.prefix === prefix)) list.push({ prefix, provider: rule.provider });
      }
    }
    for (const list of this.byStart.values()) list.sort((a, b) => b.prefix.length - a.prefix.length);
  }

  table(): VendorPrefixTable {
    return [...this.byStart];
  }

  /** The vendor prefix the value starts with, the suffix it ends with, or the marker it holds (case-insensitively), if any. */
  prefixOf(value: string): VendorPrefix | undefined {
    const list = this.byStart.get(value.slice(0, 2).toLowerCase());
    const lower = value.slice(0, 24).toLowerCase();
    const prefix = list?.find((p) => lower.startsWith(p.prefix) && value.length > p.prefix.length);
    if (prefix) return prefix;
    const whole = value.toLowerCase();
    const suffix = this.byStart.get(SUFFIXES)?.find((p) => whole.endsWith(p.prefix) && value.length > p.prefix.length);
    if (suffix) return suffix;
    const markers = this.byStart.get(MARKERS);
    if (!markers || !value.includes('.')) return undefined;
    return markers.find((p) => whole.includes(p.prefix));
  }
}
