import { OTHER, canBeEmpty, firstOf, lengthBounds, parseRegex, type Node } from '../regex/regex-ast.js';

/**
 * Where a rule's keywords sit at the start of its matches: keyword → the offsets
 * from the match start at which it can occur.
 *
 * Most rules begin with a short finite prefix that holds a keyword: a name
 * alternation (`(?:api[_.-]?key|secret|token|…)`), a literal (`ghp_`, `xoxb-`). If
 * every string of that prefix contains a keyword, a match starting at s has some
 * keyword k at s + o for an offset o listed here. So on large text the rule's regex
 * need only be tried, sticky, at each keyword hit minus its offsets, instead of
 * scanning every character: a name alternation is slow for V8 to scan for, whatever
 * the prefilter has already found (bench/perf/README.md).
 */
export type KeywordAnchors = ReadonlyMap<string, readonly number[]>;

/** Bounds on the enumerated prefix language: past them the rule is scanned normally. */
const MAX_STRINGS = 2048;
const MAX_CHARS = 48;

/** The anchors of a rule, or undefined when they cannot be shown (the rule is then scanned normally). */
export function keywordAnchors(source: string, flags: string, keywords: readonly string[]): KeywordAnchors | undefined {
  // Unicode case folding maps non-ASCII characters (K, ſ) onto ASCII letters the prefilter folds only from ASCII.
  if (keywords.length === 0 || (flags.includes('i') && /[uv]/.test(flags))) return undefined;
  let ast: Node;
  try {
    ast = parseRegex(source, flags);
  } catch {
    return undefined;
  }
  const lower = keywords.map((k) => k.toLowerCase());
  let prefixes: string[] = [''];
  for (const item of leadingItems(ast)) {
    const next = concat(prefixes, language(item, lower), lower);
    if (!next) return undefined;
    prefixes = next;
    if (prefixes.every((p) => p.endsWith(CUT))) {
      return offsetsIn(
        prefixes.map((p) => p.slice(0, -1)),
        lower,
      );
    }
  }
  return undefined;
}

/**
 * Ends a string of a prefix language once it holds a keyword: what follows is not
 * needed, nor enumerated (`GetEnv[A-Za-z]{0,20}` is "getenv" and the rest unknown).
 * No atom's language holds it (they are ASCII).
 */
const CUT = '\uffff';

function cut(text: string, keywords: readonly string[]): string {
  return !text.endsWith(CUT) && keywords.some((k) => text.includes(k)) ? text + CUT : text;
}

/** The top-level sequence, with plain groups opened up (`(?<secret>ghp_…)` starts with g, h, p, _). */
function* leadingItems(node: Node): Generator<Node> {
  if (node.kind === 'seq') for (const item of node.items) yield* leadingItems(item);
  else if (node.kind === 'group' && node.body.kind === 'seq') yield* leadingItems(node.body);
  else yield node;
}

/**
 * Every string the node matches, lower-cased, each cut after its first keyword (CUT);
 * undefined when there are too many or any is not ASCII.
 */
function language(node: Node, keywords: readonly string[]): string[] | undefined {
  switch (node.kind) {
    case 'zero':
    case 'look': // zero-width: it only narrows what the rest matches
      return [''];
    case 'atom': {
      if (node.set[OTHER]) return undefined;
      const chars = new Set<string>();
      for (let c = 0; c < OTHER; c++) if (node.set[c]) chars.add(cut(String.fromCharCode(c).toLowerCase(), keywords));
      return chars.size <= MAX_STRINGS ? [...chars] : undefined;
    }
    case 'group':
      return language(node.body, keywords);
    case 'seq': {
      let out: string[] | undefined = [''];
      for (const item of node.items) {
        if (out.every((s) => s.endsWith(CUT))) break;
        if (!(out = concat(out, language(item, keywords), keywords))) return undefined;
      }
      return out;
    }
    case 'alt': {
      const out = new Set<string>();
      for (const alt of node.alts) {
        const strings = language(alt, keywords);
        if (!strings) return undefined;
        for (const s of strings) out.add(s);
        if (out.size > MAX_STRINGS) return undefined;
      }
      return [...out];
    }
    case 'quant': {
      if (node.max > 8) return undefined;
      const body = language(node.body, keywords);
      if (!body) return undefined;
      const out = new Set<string>();
      let power: string[] | undefined = [''];
      for (let n = 0; n <= node.max; n++) {
        if (n >= node.min) for (const s of power) out.add(s);
        if (n < node.max && !(power = concat(power, body, keywords))) return undefined;
      }
      return out.size <= MAX_STRINGS ? [...out] : undefined;
    }
  }
}

function concat(heads: string[], tails: string[] | undefined, keywords: readonly string[]): string[] | undefined {
  if (!tails || heads.length * tails.length > MAX_STRINGS) return undefined;
  const out = new Set<string>();
  for (const h of heads) {
    if (h.endsWith(CUT)) {
      out.add(h);
      continue;
    }
    for (const t of tails) {
      if (h.length + t.length > MAX_CHARS) return undefined;
      out.add(cut(h + t, keywords));
    }
  }
  return [...out];
}

function offsetsIn(prefixes: readonly string[], keywords: readonly string[]): KeywordAnchors {
  const offsets = new Map<string, Set<number>>();
  for (const p of prefixes) {
    for (const k of keywords) {
      for (let at = p.indexOf(k); at !== -1; at = p.indexOf(k, at + 1)) {
        let set = offsets.get(k);
        if (!set) offsets.set(k, (set = new Set()));
        set.add(at);
      }
    }
  }
  return new Map([...offsets].map(([k, set]) => [k, [...set].sort((a, b) => a - b)]));
}

/**
 * A cheaper first test for a rule scanned whole (no keyword anchors): its regex
 * without the leading items that may match nothing (look-behinds, an optional
 * `(?:[A-Za-z_]\w{0,20}\.)?`), when what is left starts with one of a few
 * characters (a name alternation, a literal). V8 tries a regex that starts with
 * an optional part or a look-behind at every position of the text; the rest,
 * starting with a literal, it skips through (generic-env-default-secret over
 * ordinary code: ~5 ms/MB whole, ~0.7 ms/MB without its lead; bench/perf/README.md).
 *
 * Every match of the whole regex starting at s holds a match of `tail` starting at
 * s + d, with 0 ≤ d ≤ `maxLead` (the lead may match nothing): the tail's match
 * starts, each less those distances, are a superset of where the rule can match
 * (leadAnchoredStarts).
 */
export interface LeadAnchor {
  tail: RegExp;
  maxLead: number;
  /**
   * Where the tail's matches start, from keyword hits (as a rule's own anchors), when
   * its leading items hold a keyword (a name alternation): then the tail, sticky, is
   * tried at those places instead of scanned for (an alternation of names scans at
   * ~3 ms/MB).
   */
  tailAnchors?: KeywordAnchors;
  stickyTail?: RegExp;
}

/** At most this many characters can start the tail (case folded ones count apart). */
const MAX_TAIL_FIRST_CHARS = 12;
/** At most this long a lead: each tail match costs up to this many sticky tries. */
const MAX_LEAD = 64;

export function leadAnchor(source: string, flags: string, keywords: readonly string[] = []): LeadAnchor | undefined {
  // A back-reference could name a group of the lead; `v` classes nest (not followed here).
  if (flags.includes('v') || /\\(?:[1-9]|k<)/.test(source)) return undefined;
  const items = topLevelItems(source);
  if (!items) return undefined;
  let maxLead = 0;
  let n = 0;
  try {
    for (; n < items.length; n++) {
      const bounds = lengthBounds(parseRegex(items[n]!, flags), flags);
      if (bounds.min > 0) break;
      maxLead += bounds.max;
    }
    if (n === 0 || n === items.length || !(maxLead <= MAX_LEAD)) return undefined;
    const head = parseRegex(items[n]!, flags);
    const first = firstOf(head);
    if (canBeEmpty(head) || first[OTHER] || count(first) > MAX_TAIL_FIRST_CHARS) return undefined;
    const tail = items.slice(n).join('');
    const tailAnchors = keywordAnchors(tail, flags, keywords);
    const anchor: LeadAnchor = { tail: new RegExp(tail, flagsOf(flags)), maxLead };
    return tailAnchors ? { ...anchor, tailAnchors, stickyTail: new RegExp(tail, flagsOf(flags, 'y')) } : anchor;
  } catch {
    return undefined;
  }
}

/**
 * Where in `text` the anchor's rule can match, ascending (a superset, as
 * keyword anchors give): each match start of its tail less each possible lead.
 * `tailStarts`: the starts the prefilter's hits give for the tail's anchors, if any.
 */
export function leadAnchoredStarts(anchor: LeadAnchor, text: string, tailStarts?: readonly number[]): number[] {
  const { tail, maxLead, stickyTail } = anchor;
  const starts: number[] = [];
  let next = 0;
  // `tailStarts` (ascending, from the tail's keyword anchors) hold every place the tail matches at.
  if (tailStarts && stickyTail) {
    for (const at of tailStarts) {
      if (at < 0) continue;
      stickyTail.lastIndex = at;
      if (!stickyTail.test(text)) continue;
      for (let s = Math.max(next, at - maxLead); s <= at; s++) starts.push(s);
      next = at + 1;
    }
    return starts;
  }
  tail.lastIndex = 0;
  for (let match = tail.exec(text); match !== null; match = tail.exec(text)) {
    const at = match.index;
    for (let s = Math.max(next, at - maxLead); s <= at; s++) starts.push(s);
    next = at + 1;
    // Every position the tail matches at, not only non-overlapping ones.
    tail.lastIndex = at + 1;
  }
  return starts;
}

function flagsOf(flags: string, own = 'g'): string {
  return [...new Set(`${own}${flags.replace(/[gyd]/g, '')}`)].join('');
}

function count(set: Uint8Array): number {
  let n = 0;
  for (const bit of set) n += bit;
  return n;
}

/**
 * The regex's top-level items, each with its quantifier, as written; undefined for a
 * top-level alternation or syntax not followed here.
 */
function topLevelItems(source: string): string[] | undefined {
  const items: string[] = [];
  let i = 0;
  const n = source.length;
  const skipEscape = (at: number): number => {
    const c = source[at + 1];
    if (c === undefined) return -1;
    if ((c === 'p' || c === 'P' || c === 'u') && source[at + 2] === '{') {
      const close = source.indexOf('}', at + 3);
      return close === -1 ? -1 : close + 1;
    }
    if (c === 'u') return at + 6;
    if (c === 'x') return at + 4;
    if (c === 'c') return at + 3;
    return at + 2;
  };
  const skipClass = (at: number): number => {
    let j = at + 1;
    while (j !== -1 && j < n && source[j] !== ']') j = source[j] === '\\' ? skipEscape(j) : j + 1;
    return j !== -1 && j < n ? j + 1 : -1;
  };
  while (i < n) {
    const start = i;
    const c = source[i]!;
    if (c === '|' || c === ')') return undefined;
    if (c === '\\') i = skipEscape(i);
    else if (c === '[') i = skipClass(i);
    else if (c === '(') {
      let depth = 0;
      let j = i;
      while (j !== -1 && j < n) {
        const d = source[j]!;
        if (d === '\\') j = skipEscape(j);
        else if (d === '[') j = skipClass(j);
        else {
          if (d === '(') depth++;
          else if (d === ')' && --depth === 0) break;
          j++;
        }
      }
      if (j === -1 || j >= n) return undefined;
      i = j + 1;
    } else i++;
    if (i === -1 || i > n) return undefined;
    const quantifier = /^(?:[*+?]|\{\d+(?:,\d*)?\})\??/.exec(source.slice(i, i + 24));
    if (quantifier) i += quantifier[0].length;
    items.push(source.slice(start, i));
  }
  return items;
}
