import type { KeywordAnchors } from './keyword-anchors.js';

/**
 * One pass over the text for every rule keyword at once, so rule regexes only
 * run on text that can match (most fragments contain no keyword at all).
 *
 * Two engines, same answer (test/unit/detect/keyword-prefilter.test.ts and .slow.test.ts):
 * - an alternation of all keywords (run over the lower-cased text): V8 compiles it
 *   to native code at once, so it wins on the hook's path (a commit is a few
 *   kilobytes, and a JavaScript loop would still be running in the interpreter);
 * - past PREFILTER_REGEX_CHARS of text, an Aho–Corasick automaton expanded to a
 *   full transition table over character classes (each character that occurs in
 *   some keyword, ASCII case folded; every other character is class 0): one table
 *   lookup per character, faster than the regex (bench/perf/README.md), which tries
 *   the 190 alternatives at every position.
 *
 * The automaton also keeps where each keyword was found, so a rule with keyword
 * anchors (keyword-anchors.ts) can be tried at those places only.
 */
export interface KeywordPrefilterOptions {
  /** Text scanned by the regex engine before the automaton takes over (tests set 0). */
  regexChars?: number;
  /** The keyword anchors of a rule, asked for once per rule when the automaton first needs them. */
  anchorsOf?: (rule: number) => KeywordAnchors | undefined;
  /**
   * The automaton's tables worked out beforehand (the built-in rules': dist/rules-automaton.bin),
   * asked for when the automaton is first needed; tables of another keyword count are not used.
   */
  automaton?: () => AutomatonTables | undefined;
}

/**
 * What the prefilter derives from the rules' keywords before its first scan. For the
 * built-in rules it is worked out at build time (scripts/build.mjs writes it to
 * dist/rules-index.json) and handed to the constructor, so a hook run does not
 * rebuild it from 840 rules; for any other rule list, prefilterIndex() builds it.
 */
export interface PrefilterIndex {
  /** The distinct keywords, lower case, in the order the rules first name them. */
  keywords: string[];
  /** keyword index → indices of the rules that name it. */
  rulesOfKeyword: number[][];
  /** Rules without keywords: they always run. */
  alwaysRun: number[];
  /** The regex engine's pattern: the keywords escaped, longest first. */
  alternation: string;
  /**
   * keyword index → the rules of every keyword contained in it: what a regex match of
   * that keyword credits. Optional: worked out per match on first use when absent.
   */
  creditedRules?: number[][];
}

export function prefilterIndex(ruleKeywords: readonly (readonly string[])[], { credited = false } = {}): PrefilterIndex {
  const keywords: string[] = [];
  const indexOf = new Map<string, number>();
  const rulesOfKeyword: number[][] = [];
  const alwaysRun: number[] = [];
  ruleKeywords.forEach((list, rule) => {
    if (list.length === 0) alwaysRun.push(rule);
    for (const keyword of list) {
      const k = keyword.toLowerCase();
      let i = indexOf.get(k);
      if (i === undefined) {
        indexOf.set(k, (i = keywords.length));
        keywords.push(k);
        rulesOfKeyword.push([]);
      }
      const rules = rulesOfKeyword[i]!;
      if (rules[rules.length - 1] !== rule) rules.push(rule);
    }
  });
  // Longest first: at one position the alternation takes the longest keyword, and
  // the shorter keywords inside it are credited through creditedRules.
  const byLength = [...keywords.keys()].sort((a, b) => keywords[b]!.length - keywords[a]!.length);
  const alternation = byLength.map((k) => escapeRegExp(keywords[k]!)).join('|');
  const index: PrefilterIndex = { keywords, rulesOfKeyword, alwaysRun, alternation };
  if (credited) index.creditedRules = keywords.map((keyword) => rulesContainedIn(keyword, keywords, rulesOfKeyword));
  return index;
}

/** The rules of every keyword that occurs in `text`. */
/** One more than the highest rule index the index names. */
function ruleCount(index: PrefilterIndex): number {
  let max = -1;
  for (const r of index.alwaysRun) max = Math.max(max, r);
  for (const rules of index.rulesOfKeyword) for (const r of rules) max = Math.max(max, r);
  return max + 1;
}

function rulesContainedIn(text: string, keywords: readonly string[], rulesOfKeyword: readonly number[][]): number[] {
  const found = new Set<number>();
  keywords.forEach((keyword, k) => {
    if (text.includes(keyword)) for (const r of rulesOfKeyword[k]!) found.add(r);
  });
  return [...found];
}

export class KeywordPrefilter {
  private readonly keywords: string[];
  private readonly indexOf = new Map<string, number>();
  /** keyword index → indices of the rules that name it. */
  private readonly rulesOfKeyword: number[][];
  private readonly alwaysRun: number[];
  private readonly index: PrefilterIndex;
  private regexChars: number;
  /** candidatesOfEach(): the rules already listed for the current text, by the text's stamp. */
  private seen?: Uint32Array;
  private stamp = 0;
  private regex?: Engine;
  private automaton?: Automaton;
  /** The automaton's hits in the last text it scanned; undefined after a regex-engine scan. */
  private hits?: Hits;
  /** rule → keyword index → distances from a keyword's last character back to a match start (null: no anchors). */
  private readonly anchorDistances = new Map<number, Map<number, readonly number[]> | null>();
  /** Per distances (of a rule or of anchors given), the distances of the keywords that end at each state (row) met. */
  private readonly distancesAt = new WeakMap<Map<number, readonly number[]>, Map<number, readonly number[]>>();
  /** The same, for the anchors startsOf() is given. */
  private readonly otherDistances = new WeakMap<KeywordAnchors, Map<number, readonly number[]> | null>();

  /** `rules`: each rule's keywords, or their index (prefilterIndex(), or prebuilt for the built-in rules). */
  constructor(
    rules: readonly (readonly string[])[] | PrefilterIndex,
    private readonly options: KeywordPrefilterOptions = {},
  ) {
    this.regexChars = options.regexChars ?? PREFILTER_REGEX_CHARS;
    this.index = Array.isArray(rules) ? prefilterIndex(rules) : (rules as PrefilterIndex);
    ({ keywords: this.keywords, rulesOfKeyword: this.rulesOfKeyword, alwaysRun: this.alwaysRun } = this.index);
  }

  /** Indices of the rules whose keywords occur in the text (plus keyword-less rules), ascending. */
  candidates(text: string): readonly number[] {
    if (this.keywords.length === 0) return this.alwaysRun;
    let matched: Array<readonly number[]>;
    this.hits = undefined;
    if (this.regexChars > 0) {
      this.regexChars -= text.length;
      matched = (this.regex ??= regexPrefilter(this.index)).matchedRuleSets(text);
    } else {
      this.automaton ??= this.newAutomaton();
      matched = this.automaton.matchedRuleSets(text);
      this.hits = this.automaton.hits;
    }
    if (matched.length === 0) return this.alwaysRun;
    const found = new Set<number>(this.alwaysRun);
    for (const rules of matched) for (const r of rules) found.add(r);
    return [...found].sort((a, b) => a - b);
  }

  /**
   * The candidates of several texts from one automaton pass over them joined by "\n"
   * (a character of no keyword: the automaton is back at its root after it, so each
   * text's hits are those a pass over it alone finds), each with its keyword hits.
   * Hand an entry to select() before asking anchoredStarts() about its text.
   * Undefined while the regex engine is in use (short scans): ask candidates() then.
   */
  candidatesOfEach(texts: readonly string[]): BatchEntry[] | undefined {
    if (this.keywords.length === 0) return texts.map(() => ({ rules: this.alwaysRun }));
    if (this.regexChars > 0) return undefined;
    const automaton = (this.automaton ??= this.newAutomaton());
    if (!automaton.resetsAt(SEPARATOR)) return undefined;
    automaton.matchedRuleSets(texts.join(SEPARATOR));
    const all = automaton.hits;
    const entries: BatchEntry[] = [];
    let h = 0;
    let offset = 0;
    for (const text of texts) {
      const end = offset + text.length;
      const first = h;
      while (h < all.count && all.ends[h]! < end) h++;
      if (h === first) {
        entries.push({ rules: this.alwaysRun, hits: NO_HITS });
      } else {
        const count = h - first;
        const hits: Hits = { count, ends: new Int32Array(count), states: all.states.slice(first, h) };
        // A stamp per rule, not a Set per text: most texts of a history are small, and each had its Set.
        const stamp = ++this.stamp;
        const seen = (this.seen ??= new Uint32Array(ruleCount(this.index)));
        const found = this.alwaysRun.slice();
        for (const r of found) if (r < seen.length) seen[r] = stamp;
        let last = -1;
        for (let k = 0; k < count; k++) {
          hits.ends[k] = all.ends[first + k]! - offset;
          const state = hits.states[k]!;
          if (state === last) continue;
          last = state;
          for (const r of automaton.rulesOf(state)) {
            if (r < seen.length) {
              if (seen[r] === stamp) continue;
              seen[r] = stamp;
            } else if (found.includes(r)) continue;
            found.push(r);
          }
        }
        entries.push({ rules: found.sort((a, b) => a - b), hits });
      }
      offset = end + SEPARATOR.length;
    }
    return entries;
  }

  private newAutomaton(): Automaton {
    const prebuilt = this.options.automaton?.();
    const tables = prebuilt?.keywords === this.keywords.length ? prebuilt : automatonTables(this.keywords);
    return buildAutomaton(tables, this.rulesOfKeyword);
  }

  /** Makes anchoredStarts() answer for the text of this entry of candidatesOfEach(). */
  select(entry: BatchEntry): void {
    this.hits = entry.hits;
  }

  /**
   * Where in the text last given to candidates() a match of the rule can start,
   * ascending: every match starts at one of these. Undefined when the rule must be
   * scanned whole (no anchors, or the text was scanned by the regex engine).
   */
  anchoredStarts(rule: number): number[] | undefined {
    if (!this.hits) return undefined;
    const distances = this.distancesOf(rule);
    return distances && this.startsFrom(distances, this.hits);
  }

  /**
   * As anchoredStarts(), for anchors of some other regex (a rule's tail past its
   * lead: keyword-anchors.ts) over the same text.
   */
  startsOf(anchors: KeywordAnchors): number[] | undefined {
    if (!this.hits) return undefined;
    let distances = this.otherDistances.get(anchors);
    if (distances === undefined) this.otherDistances.set(anchors, (distances = this.distancesFrom(anchors) ?? null));
    return distances ? this.startsFrom(distances, this.hits) : undefined;
  }

  private startsFrom(distances: Map<number, readonly number[]>, hits: Hits): number[] {
    const starts: number[] = [];
    // The distances of each state's keywords, worked out once per state and anchors: one lookup a hit.
    let byState = this.distancesAt.get(distances);
    if (!byState) this.distancesAt.set(distances, (byState = new Map()));
    for (let h = 0; h < hits.count; h++) {
      const end = hits.ends[h]!;
      const row = hits.states[h]!;
      let back = byState.get(row);
      if (back === undefined) {
        const merged: number[] = [];
        for (const k of this.automaton!.keywordsEndingAt(row)) merged.push(...(distances.get(k) ?? []));
        byState.set(row, (back = merged));
      }
      for (let d = 0; d < back.length; d++) starts.push(end - back[d]!);
    }
    starts.sort((a, b) => a - b);
    let n = 0;
    for (const start of starts) if (n === 0 || starts[n - 1] !== start) starts[n++] = start;
    starts.length = n;
    return starts;
  }

  private distancesOf(rule: number): Map<number, readonly number[]> | undefined {
    let distances = this.anchorDistances.get(rule);
    if (distances === undefined) {
      const anchors = this.options.anchorsOf?.(rule);
      distances = (anchors && this.distancesFrom(anchors)) ?? null;
      this.anchorDistances.set(rule, distances);
    }
    return distances ?? undefined;
  }

  /** keyword index → distances from its last character back to a match start; undefined if a keyword is not tracked. */
  private distancesFrom(anchors: KeywordAnchors): Map<number, readonly number[]> | undefined {
    const distances = new Map<number, readonly number[]>();
    if (this.indexOf.size === 0) this.keywords.forEach((keyword, k) => this.indexOf.set(keyword, k));
    for (const [keyword, offsets] of anchors) {
      const k = this.indexOf.get(keyword);
      // A keyword the prefilter does not track cannot be waited for: no anchors.
      if (k === undefined) return undefined;
      distances.set(
        k,
        offsets.map((o) => o + keyword.length - 1),
      );
    }
    return distances;
  }
}

/** One text of candidatesOfEach(): its candidate rules (as candidates() gives them) and its keyword hits. */
export interface BatchEntry {
  readonly rules: readonly number[];
  /** Undefined when there are no keywords (as after candidates()). */
  readonly hits?: Hits;
}

const SEPARATOR = '\n';
const NO_HITS: Hits = { count: 0, ends: new Int32Array(0), states: new Int32Array(0) };

/** How much text the regex engine scans before the automaton takes over. */
const PREFILTER_REGEX_CHARS = 256 * 1024;

interface Engine {
  /** The rule sets of the keywords found in the text (a set may repeat). */
  matchedRuleSets(text: string): Array<readonly number[]>;
}

/** Every keyword hit of a scan: the position of its last character, and the automaton state there. */
interface Hits {
  count: number;
  ends: Int32Array;
  states: Int32Array;
}

interface Automaton extends Engine {
  /** The hits of the last matchedRuleSets() (overwritten by the next). */
  readonly hits: Hits;
  /** Indices of the keywords that end at a state (its own, then along its failure chain). */
  keywordsEndingAt(state: number): readonly number[];
  /** The rules of the keywords that end at a state. */
  rulesOf(state: number): readonly number[];
  /** Whether this character takes every state back to the root (it is in no keyword). */
  resetsAt(char: string): boolean;
}

/** Any character outside ASCII. */
const NON_ASCII = /[^\x00-\x7f]/;

function regexPrefilter({ keywords, rulesOfKeyword, alternation, creditedRules }: PrefilterIndex): Engine {
  // Keywords are lower case. When they are all ASCII, the regex is case-sensitive and
  // runs over the lower-cased text: V8 compiles a case-insensitive alternation of
  // ~1,000 keywords several times slower, at every hook run (bench/perf/README.md).
  // The same matches: `i` (without `u`) matches an ASCII keyword letter in either
  // case and no non-ASCII character, and toLowerCase() maps every ASCII capital to
  // its keyword letter. Lower-casing also turns a few non-ASCII letters into ASCII
  // (the Kelvin sign into k, İ into i and a combining dot), which can only add
  // candidates: the rules' own regexes decide.
  const lowerCased = !NON_ASCII.test(alternation);
  const pattern = new RegExp(alternation, lowerCased ? 'g' : 'gi');
  const rulesByMatch = new Map<string, readonly number[]>();
  // A match is one keyword, in the text's case: lower-cased, it is that keyword (ASCII
  // keywords), whose credited rules may be prebuilt.
  const keywordIndex = creditedRules && new Map(keywords.map((keyword, k) => [keyword, k]));
  const rulesFor = (match: string): readonly number[] => {
    let rules = rulesByMatch.get(match);
    if (rules) return rules;
    const k = keywordIndex?.get(match);
    rules = k === undefined ? rulesContainedIn(match, keywords, rulesOfKeyword) : creditedRules![k]!;
    rulesByMatch.set(match, rules);
    return rules;
  };
  return {
    matchedRuleSets(original: string): Array<readonly number[]> {
      const matched: Array<readonly number[]> = [];
      let last = '';
      const text = lowerCased ? original.toLowerCase() : original;
      pattern.lastIndex = 0;
      for (let match = pattern.exec(text); match !== null; match = pattern.exec(text)) {
        const keyword = lowerCased ? match[0] : match[0].toLowerCase();
        // Dense text repeats the same keyword: credit it once per run of repeats.
        if (keyword !== last) matched.push(rulesFor((last = keyword)));
        // Step one character, not past the match: a keyword may start inside this one.
        pattern.lastIndex = match.index + 1;
      }
      return matched;
    },
  };
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');
}

/** Character classes: 0 for characters in no keyword, 1.. for the others (ASCII case folded). */
function characterClasses(keywords: readonly string[]): { classOf: Uint8Array | Uint16Array; count: number } {
  const codes = new Set<number>();
  for (const k of keywords) for (let i = 0; i < k.length; i++) codes.add(k.charCodeAt(i));
  const classOf = codes.size < 255 ? new Uint8Array(0x10000) : new Uint16Array(0x10000);
  let count = 1;
  for (const code of codes) {
    if (classOf[code] !== 0) continue;
    const cls = count++;
    classOf[code] = cls;
    // Keywords are lower case; the text may be in either case.
    const upper = String.fromCharCode(code).toUpperCase();
    if (upper.length === 1 && upper.charCodeAt(0) !== code) classOf[upper.charCodeAt(0)] = cls;
  }
  return { classOf, count };
}

/**
 * The Aho–Corasick automaton of a keyword list as flat tables: what automatonTables()
 * works out (~30 ms for the built-in rules' keywords, on each thread), and what the
 * build writes for the built-in rules (dist/rules-automaton.bin, encodeAutomaton()) so
 * a run reads it instead.
 */
export interface AutomatonTables {
  /** The number of keywords it was built from. */
  keywords: number;
  /** The row width: the character classes (0: a character in no keyword), rounded up to a power of two. */
  classes: number;
  states: number;
  /** Character code → class (ASCII case folded). */
  classOf: Uint8Array | Uint16Array;
  /**
   * Row (state × classes) + class → the next state, or its complement (~state,
   * negative) when some keyword ends there: the scan tests the value it has loaded,
   * not a second table. 16 bits a state while they fit (half the bytes to read).
   */
  delta: Int16Array | Int32Array;
  /** State → the keyword that ends there, or -1. */
  keywordAt: Int32Array;
  /** State → its failure state's row. */
  failureRow: Int32Array;
}

/** Builds the tables of the automaton of these (lower-case) keywords. */
export function automatonTables(keywords: readonly string[]): AutomatonTables {
  const { classOf, count } = characterClasses(keywords);
  // Rows a power of two wide: the scan finds the next row with a shift, not a multiplication (~1.5× faster).
  const classes = 1 << (32 - Math.clz32(count - 1));
  let maxStates = 1;
  for (const k of keywords) maxStates += k.length;
  // Rows are premultiplied by `classes` throughout: a step is one add and one load.
  // The trie first (-1 where there is no child), children also kept as linked
  // lists (first child, next sibling) for the breadth-first walk.
  const trie = new Int32Array(maxStates * classes).fill(-1);
  const keywordAt = new Int32Array(maxStates).fill(-1);
  const firstChild = new Int32Array(maxStates);
  const nextSibling = new Int32Array(maxStates);
  const edgeClass = new Int32Array(maxStates);
  let states = 1;
  keywords.forEach((keyword, k) => {
    let row = 0;
    for (let i = 0; i < keyword.length; i++) {
      const cls = classOf[keyword.charCodeAt(i)]!;
      if (trie[row + cls] === -1) {
        nextSibling[states] = firstChild[row / classes]!;
        firstChild[row / classes] = states;
        edgeClass[states] = cls;
        trie[row + cls] = states++ * classes;
      }
      row = trie[row + cls]!;
    }
    keywordAt[row / classes] = k;
  });

  // Breadth first, so a state's failure link and row are complete before its
  // children need them: a missing child's transition is the failure state's.
  const delta = new Int32Array(states * classes);
  const failureRow = new Int32Array(states);
  const accepting = new Uint8Array(states);
  const queue = new Int32Array(states);
  let tail = 1;
  for (let head = 0; head < tail; head++) {
    const state = queue[head]!;
    const row = state * classes;
    const failRow = failureRow[state]!;
    for (let cls = 0; cls < classes; cls++) {
      const child = trie[row + cls]!;
      if (child === -1) delta[row + cls] = state === 0 ? 0 : delta[failRow + cls]!;
      else delta[row + cls] = child;
    }
    for (let child = firstChild[state]!; child !== 0; child = nextSibling[child]!) {
      queue[tail++] = child;
      failureRow[child] = state === 0 ? 0 : delta[failRow + edgeClass[child]!]!;
    }
    // A state also matches what its failure state matches (keywords that are suffixes of it).
    if (keywordAt[state] !== -1 || accepting[failRow / classes] === 1) accepting[state] = 1;
  }
  // Renumbered in breadth-first order: the shallow states, where a scan spends nearly
  // all its steps, share the first rows (cache lines) of the table.
  const rank = new Int32Array(states);
  for (let k = 0; k < states; k++) rank[queue[k]!] = k;
  const next = states <= 0x7fff ? new Int16Array(delta.length) : new Int32Array(delta.length);
  const keywordOf = new Int32Array(states);
  const failureOf = new Int32Array(states);
  for (let state = 0; state < states; state++) {
    const to = rank[state]! * classes;
    for (let cls = 0; cls < classes; cls++) {
      const target = delta[state * classes + cls]! / classes;
      next[to + cls] = accepting[target] === 1 ? ~rank[target]! : rank[target]!;
    }
    keywordOf[rank[state]!] = keywordAt[state]!;
    failureOf[rank[state]!] = rank[failureRow[state]! / classes]! * classes;
  }
  return { keywords: keywords.length, classes, states, classOf, delta: next, keywordAt: keywordOf, failureRow: failureOf };
}

/** The first word of an encoded automaton: also shows the file was written with this byte order. */
const AUTOMATON_MAGIC = 0x4c47_4102;
const AUTOMATON_HEADER_WORDS = 6;

/** The tables as bytes (native byte order; decodeAutomaton() refuses another). */
export function encodeAutomaton(tables: AutomatonTables): Uint8Array {
  const { classOf, delta, keywordAt, failureRow } = tables;
  const classBytes = (classOf.byteLength + 3) & ~3;
  const head = AUTOMATON_HEADER_WORDS * 4 + classBytes + keywordAt.byteLength + failureRow.byteLength;
  const out = new Uint8Array(head + ((delta.byteLength + 3) & ~3));
  const words = new Int32Array(out.buffer);
  words.set([AUTOMATON_MAGIC, tables.keywords, tables.classes, tables.states, classOf.BYTES_PER_ELEMENT, delta.BYTES_PER_ELEMENT]);
  let at = AUTOMATON_HEADER_WORDS * 4;
  for (const table of [classOf, keywordAt, failureRow, delta]) {
    out.set(new Uint8Array(table.buffer, table.byteOffset, table.byteLength), at);
    at += (table.byteLength + 3) & ~3;
  }
  return out;
}

/** The tables encodeAutomaton() wrote (views on `bytes`, not copies), or undefined when they are not such tables. */
export function decodeAutomaton(bytes: Uint8Array): AutomatonTables | undefined {
  if (bytes.byteLength < AUTOMATON_HEADER_WORDS * 4 || bytes.byteLength % 4 !== 0) return undefined;
  // Typed views need an aligned offset: a small file read may sit anywhere in a shared pool.
  const aligned = bytes.byteOffset % 4 === 0 ? bytes : bytes.slice();
  const { buffer, byteOffset } = aligned;
  const [magic, keywords, classes, states, classWidth, deltaWidth] = new Int32Array(buffer, byteOffset, AUTOMATON_HEADER_WORDS);
  if (magic !== AUTOMATON_MAGIC || !(classes! > 0) || (classes! & (classes! - 1)) !== 0 || !(states! > 0)) return undefined;
  if ((classWidth !== 1 && classWidth !== 2) || (deltaWidth !== 2 && deltaWidth !== 4)) return undefined;
  const classBytes = (0x10000 * classWidth + 3) & ~3;
  const deltaBytes = (states! * classes! * deltaWidth + 3) & ~3;
  let at = byteOffset + AUTOMATON_HEADER_WORDS * 4;
  if (aligned.byteLength !== AUTOMATON_HEADER_WORDS * 4 + classBytes + 8 * states! + deltaBytes) return undefined;
  const classOf = classWidth === 1 ? new Uint8Array(buffer, at, 0x10000) : new Uint16Array(buffer, at, 0x10000);
  at += classBytes;
  const keywordAt = new Int32Array(buffer, at, states!);
  const failureRow = new Int32Array(buffer, (at += 4 * states!), states!);
  at += 4 * states!;
  const delta = deltaWidth === 2 ? new Int16Array(buffer, at, states! * classes!) : new Int32Array(buffer, at, states! * classes!);
  return { keywords: keywords!, classes: classes!, states: states!, classOf, delta, keywordAt, failureRow };
}

/**
 * Every keyword hit of the text, as the automaton's (state's row, position of the last
 * character) pairs into `hits`.
 */
function scanHits(text: string, { delta, classOf, classes }: AutomatonTables, hits: Hits): void {
  for (;;) {
    const count = scanRun(text, delta, classOf, 31 - Math.clz32(classes), hits.ends, hits.states);
    if (count >= 0) {
      hits.count = count;
      return;
    }
    // The hit arrays were full: twice the room (kept for the next texts), and the text again.
    hits.ends = new Int32Array(hits.ends.length * 2);
    hits.states = new Int32Array(hits.ends.length);
  }
}

/**
 * The automaton's loop: the number of hits written, or -1 when they do not fit. A
 * small function of typed arrays that does nothing after its loop but return, so
 * V8 optimises it soon and keeps its code: inlined in its callers, it took 40–110 ms
 * of compiling on a large scan, run meanwhile by the interpreter at ~30 ms/MB; and
 * code optimised mid-loop (on-stack replacement, in the first long scan) lacks type
 * feedback for whatever follows the loop, and was dropped there at each scan.
 */
function scanRun(
  text: string,
  delta: Int16Array | Int32Array,
  classOf: Uint8Array | Uint16Array,
  shift: number,
  ends: Int32Array,
  states: Int32Array,
): number {
  let row = 0;
  let count = 0;
  const room = ends.length;
  for (let i = 0, n = text.length; i < n; i++) {
    const next = delta[row + classOf[text.charCodeAt(i)]!]!;
    if (next < 0) {
      if (count === room) return -1;
      row = ~next << shift;
      ends[count] = i;
      states[count++] = row;
    } else {
      row = next << shift;
    }
  }
  return count;
}

function buildAutomaton(tables: AutomatonTables, rulesOfKeyword: readonly number[][]): Automaton {
  const { classOf, classes, states, keywordAt, failureRow } = tables;
  const keywordsAt = new Map<number, readonly number[]>();
  const keywordsEndingAt = (row: number): readonly number[] => {
    let found = keywordsAt.get(row);
    if (found) return found;
    const list: number[] = [];
    for (let r = row; r !== 0; r = failureRow[r / classes]!) {
      const k = keywordAt[r / classes]!;
      if (k !== -1) list.push(k);
    }
    keywordsAt.set(row, (found = list));
    return found;
  };
  /** Rules of the keywords that end at a state. */
  const rulesAt = new Map<number, readonly number[]>();
  const rulesOf = (row: number): readonly number[] => {
    let rules = rulesAt.get(row);
    if (rules) return rules;
    const found = new Set<number>();
    for (const k of keywordsEndingAt(row)) for (const rule of rulesOfKeyword[k]!) found.add(rule);
    rulesAt.set(row, (rules = [...found]));
    return rules;
  };
  const hits: Hits = { count: 0, ends: new Int32Array(1024), states: new Int32Array(1024) };
  // Which accepting states this scan has already reported: stamped with the scan number.
  const seen = new Uint32Array(states);
  let scan = 0;

  return {
    hits,
    keywordsEndingAt,
    rulesOf,
    resetsAt: (char) => classOf[char.charCodeAt(0)] === 0,
    matchedRuleSets(text: string): Array<readonly number[]> {
      if (++scan === 0xffffffff) {
        seen.fill(0);
        scan = 1;
      }
      const stamp = scan;
      scanHits(text, tables, hits);
      const matched: Array<readonly number[]> = [];
      for (let h = 0; h < hits.count; h++) {
        const row = hits.states[h]!;
        const state = row / classes;
        if (seen[state] !== stamp) {
          seen[state] = stamp;
          matched.push(rulesOf(row));
        }
      }
      return matched;
    },
  };
}
