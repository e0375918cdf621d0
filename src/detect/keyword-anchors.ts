import { OTHER, parseRegex, type Node } from '../regex/regex-ast.js';

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
    const next = concat(prefixes, language(item));
    if (!next) return undefined;
    prefixes = next;
    if (prefixes.every((p) => lower.some((k) => p.includes(k)))) return offsetsIn(prefixes, lower);
  }
  return undefined;
}

/** The top-level sequence, with plain groups opened up (`(?<secret>ghp_…)` starts with g, h, p, _). */
function* leadingItems(node: Node): Generator<Node> {
  if (node.kind === 'seq') for (const item of node.items) yield* leadingItems(item);
  else if (node.kind === 'group' && node.body.kind === 'seq') yield* leadingItems(node.body);
  else yield node;
}

/** Every string the node matches, lower-cased, or undefined when there are too many or any is not ASCII. */
function language(node: Node): string[] | undefined {
  switch (node.kind) {
    case 'zero':
    case 'look': // zero-width: it only narrows what the rest matches
      return [''];
    case 'atom': {
      if (node.set[OTHER]) return undefined;
      const chars = new Set<string>();
      for (let c = 0; c < OTHER; c++) if (node.set[c]) chars.add(String.fromCharCode(c).toLowerCase());
      return chars.size <= MAX_STRINGS ? [...chars] : undefined;
    }
    case 'group':
      return language(node.body);
    case 'seq': {
      let out: string[] | undefined = [''];
      for (const item of node.items) if (!(out = concat(out, language(item)))) return undefined;
      return out;
    }
    case 'alt': {
      const out = new Set<string>();
      for (const alt of node.alts) {
        const strings = language(alt);
        if (!strings) return undefined;
        for (const s of strings) out.add(s);
        if (out.size > MAX_STRINGS) return undefined;
      }
      return [...out];
    }
    case 'quant': {
      if (node.max > 8) return undefined;
      const body = language(node.body);
      if (!body) return undefined;
      const out = new Set<string>();
      let power: string[] | undefined = [''];
      for (let n = 0; n <= node.max; n++) {
        if (n >= node.min) for (const s of power) out.add(s);
        if (n < node.max && !(power = concat(power, body))) return undefined;
      }
      return out.size <= MAX_STRINGS ? [...out] : undefined;
    }
  }
}

function concat(heads: string[], tails: string[] | undefined): string[] | undefined {
  if (!tails || heads.length * tails.length > MAX_STRINGS) return undefined;
  const out = new Set<string>();
  for (const h of heads) {
    for (const t of tails) {
      if (h.length + t.length > MAX_CHARS) return undefined;
      out.add(h + t);
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
