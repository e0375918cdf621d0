/**
 * The `near` rule kind: a vendor keyword, then within a few characters a token of
 * the vendor's shape — no assignment operator required. It reads as data
 *
 *   near:
 *     keywords: [weatherstack]
 *     token: '[a-f0-9]{32}'
 *     distance: 40
 *
 * and is compiled here into the rule's regex (and keywords), once, when the rule
 * files are read: the detector then runs it like any other rule, keyword anchors
 * included (the regex starts with the keyword). Precision comes from the token's
 * shape and the characters that may not touch it, the rule's entropy floor, the
 * placeholder checks every rule gets, and optional companions (an id, a host)
 * that must occur near the token.
 */

export interface NearCompanion {
  /** What the companion is, for --debug ("account SID"). */
  name: string;
  /** Its shape (a regex without named groups). */
  regex: string;
  /** How many characters before or after the token it may be; default 200. */
  within?: number;
}

export interface NearSpec {
  /** Vendor words (case-insensitive); one must come before the token. */
  keywords: string[];
  /** The token's shape: a regex without named groups, e.g. `[a-f0-9]{32}`. */
  token: string;
  /**
   * Characters of the token's alphabet beyond letters, digits, `_` and `-` (a
   * character-class body such as `+/=`): none of them may touch the token on
   * either side, so a token is never a slice of a longer word.
   */
  alphabet?: string;
  /** Most characters (line breaks included) between the keyword's end and the token; default 40. */
  distance?: number;
  /** Values that must occur near the token for it to be reported. */
  companions?: NearCompanion[];
}

export const NEAR_DEFAULT_DISTANCE = 40;
export const NEAR_DEFAULT_WITHIN = 200;

/** A keyword as a regex matching it in any ASCII case: `Ab.` → `[aA][bB]\.`. */
function caseless(keyword: string): string {
  let out = '';
  for (const ch of keyword) {
    const lower = ch.toLowerCase();
    const upper = ch.toUpperCase();
    if (lower !== upper && lower.length === 1 && upper.length === 1) out += `[${lower}${upper}]`;
    else out += ch.replace(/[\\^$.*+?()[\]{}|/-]/g, '\\$&');
  }
  return out;
}

/** The regex a near rule compiles to; the secret is the token. */
export function nearRegex(near: NearSpec): string {
  const distance = near.distance ?? NEAR_DEFAULT_DISTANCE;
  const keywords = near.keywords.map(caseless).join('|');
  const touching = `[A-Za-z0-9_\\-${(near.alphabet ?? '').replace(/[\\\]^]/g, '\\$&')}]`;
  return `(?:${keywords})[\\s\\S]{0,${distance}}?(?<!${touching})(?<secret>${near.token})(?!${touching})`;
}

interface NearFields {
  near?: NearSpec;
  regex?: string;
  keywords?: string[];
}

/**
 * A rule with its `near` compiled: `regex` from it, and `keywords` from its
 * keywords unless the rule names its own. Rules without `near` are returned as they are.
 */
export function withNearCompiled<T extends NearFields>(rule: T): T & { regex: string; keywords: string[] } {
  if (!rule.near) return rule as T & { regex: string; keywords: string[] };
  return {
    ...rule,
    regex: nearRegex(rule.near),
    keywords: rule.keywords ?? [...new Set(rule.near.keywords.map((k) => k.toLowerCase()))],
  };
}
