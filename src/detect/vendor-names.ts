import type { RuleSpec } from '../rules/rule.js';

/**
 * Vendors named by the name a value is assigned to (`WANDB_API_KEY=`, `meraki_token:`,
 * `lokaliseToken =`). A vendor counts when one of its specific rules is anchored on the
 * vendor's name: the rule's id starts with a keyword of its own (`wandb-api-key`, keyword
 * `wandb`) or with a word its regex reads (`aws-secret-access-key` reads `aws_secret…`).
 * A token assigned to such a name that none of the vendor's rules accepts, and that is not
 * as long as the keys those rules read after the name, is not the vendor's key: a generic
 * rule must not report it in their place (see VendorPrefixes for keys that carry a prefix).
 */
export interface NamedVendor {
  /** The vendor's name as the rules' keyword spells it. */
  word: string;
  /** The indices of the vendor's specific rules. */
  rules: readonly number[];
}

/** The name before an assignment at the end of the text: `NAME=`, `"name": "`, `name := '`, `name => `. */
const ASSIGNED_NAME = /([A-Za-z][A-Za-z0-9_.-]{0,80})["'\]]?[ \t]{0,5}(?::=|=>|=|:)[ \t]{0,5}["'`]?$/;
/** Shorter words are vendors only as a whole first segment of the name (`aws_…`, `box-…`), never as the start of a longer word. */
const MIN_GLUED_WORD = 5;

export class VendorNames {
  /** Every rule index by the first word of its id; read from ids alone, so lazy rules stay unparsed. */
  private readonly byIdWord = new Map<string, number[]>();
  /** The vendors asked for so far: their specific rules anchored on the name, or null when none is. */
  private readonly vendors = new Map<string, readonly number[] | null>();

  constructor(private readonly rules: readonly RuleSpec[]) {
    rules.forEach((rule, index) => {
      if (rule.fromConfig) return;
      const word = rule.id.slice(0, rule.id.indexOf('-')).toLowerCase();
      if (word.length < 3) return;
      let list = this.byIdWord.get(word);
      if (!list) this.byIdWord.set(word, (list = []));
      list.push(index);
    });
  }

  /** The rules of the vendor called `word` that are anchored on its name (parsed on first ask). */
  private vendor(word: string): readonly number[] | undefined {
    let found = this.vendors.get(word);
    if (found === undefined) {
      const anchored = (this.byIdWord.get(word) ?? []).filter((index) => {
        const rule = this.rules[index]!;
        return (
          rule.confidence !== 'low' && (rule.keywords.some((k) => k.toLowerCase() === word) || rule.regex.toLowerCase().includes(word))
        );
      });
      found = anchored.length > 0 ? anchored : null;
      this.vendors.set(word, found);
    }
    return found ?? undefined;
  }

  /** The vendor that the name assigned just before `start` in `text` begins with (on the same line), if any. */
  namedBefore(text: string, start: number): NamedVendor | undefined {
    if (this.byIdWord.size === 0) return undefined;
    const lineStart = text.lastIndexOf('\n', start - 1) + 1;
    const name = ASSIGNED_NAME.exec(text.slice(Math.max(lineStart, start - 120), start))?.[1];
    if (!name) return undefined;
    // The first segment: up to a separator or a camelCase hump (merakiApiKey, MERAKI_API_KEY).
    const first = /^[A-Z][A-Z0-9]*(?![a-z])|^[A-Za-z][a-z0-9]*/.exec(name)?.[0] ?? name;
    const segment = first.toLowerCase();
    const whole = this.vendor(segment);
    if (whole) return { word: segment, rules: whole };
    // A name written as one word (lokalisetoken): the vendor's name must be long enough to tell.
    const lower = name.toLowerCase();
    for (let length = Math.min(lower.length - 1, 24); length >= MIN_GLUED_WORD; length--) {
      const rules = this.vendor(lower.slice(0, length));
      if (rules) return { word: lower.slice(0, length), rules };
    }
    return undefined;
  }
}

/**
 * The rule's regex with its secret group opened to any value (`[^\s"'`]{1,300}`), or
 * undefined when it has none: it tells whether the rule reads values at this name and
 * place at all, so that the strict rule's silence is about the value's shape alone.
 */
export function anyValueRegex(regex: string): string | undefined {
  const open = regex.indexOf('(?<secret>');
  if (open < 0) return undefined;
  let depth = 0;
  let inClass = false;
  for (let i = open; i < regex.length; i++) {
    const c = regex[i];
    if (c === '\\') {
      i++;
      continue;
    }
    if (inClass) {
      if (c === ']') inClass = false;
      continue;
    }
    if (c === '[') inClass = true;
    else if (c === '(') depth++;
    else if (c === ')' && --depth === 0) return `${regex.slice(0, open)}(?<secret>[^\\s"'\`]{1,300})${regex.slice(i + 1)}`;
  }
  return undefined;
}
