/**
 * One pass over the text for every rule keyword at once, so rule regexes only
 * run on text that can match (most fragments contain no keyword at all).
 *
 * Two engines, same answer (test/unit/keyword-prefilter.test.ts):
 * - a case-insensitive alternation of all keywords: V8 compiles it to native code
 *   at once, so it wins on the hook's path (a commit is a few kilobytes, and a
 *   JavaScript loop would still be running in the interpreter);
 * - past PREFILTER_REGEX_CHARS of text, an Aho–Corasick automaton expanded to a
 *   full transition table over character classes (each character that occurs in
 *   some keyword, ASCII case folded; every other character is class 0): one table
 *   lookup per character, three to four times faster than the regex, which tries
 *   the 190 alternatives at every position.
 */
export class KeywordPrefilter {
  private readonly keywords: string[] = [];
  /** keyword index → indices of the rules that name it. */
  private readonly rulesOfKeyword: number[][] = [];
  private readonly alwaysRun: number[] = [];
  private regexChars = PREFILTER_REGEX_CHARS;
  private regex?: Engine;
  private automaton?: Engine;

  constructor(ruleKeywords: readonly (readonly string[])[]) {
    const indexOf = new Map<string, number>();
    ruleKeywords.forEach((keywords, rule) => {
      if (keywords.length === 0) this.alwaysRun.push(rule);
      for (const keyword of keywords) {
        const k = keyword.toLowerCase();
        let i = indexOf.get(k);
        if (i === undefined) {
          indexOf.set(k, (i = this.keywords.length));
          this.keywords.push(k);
          this.rulesOfKeyword.push([]);
        }
        const rules = this.rulesOfKeyword[i]!;
        if (rules[rules.length - 1] !== rule) rules.push(rule);
      }
    });
  }

  /** Indices of the rules whose keywords occur in the text (plus keyword-less rules), ascending. */
  candidates(text: string): readonly number[] {
    if (this.keywords.length === 0) return this.alwaysRun;
    let matched: Array<readonly number[]>;
    if (this.regexChars > 0) {
      this.regexChars -= text.length;
      matched = (this.regex ??= regexPrefilter(this.keywords, this.rulesOfKeyword)).matchedRuleSets(text);
    } else {
      matched = (this.automaton ??= buildAutomaton(this.keywords, this.rulesOfKeyword)).matchedRuleSets(text);
    }
    if (matched.length === 0) return this.alwaysRun;
    const found = new Set<number>(this.alwaysRun);
    for (const rules of matched) for (const r of rules) found.add(r);
    return [...found].sort((a, b) => a - b);
  }
}

/** How much text the regex engine scans before the automaton takes over. */
const PREFILTER_REGEX_CHARS = 256 * 1024;

interface Engine {
  /** The rule sets of the keywords found in the text (a set may repeat). */
  matchedRuleSets(text: string): Array<readonly number[]>;
}

function regexPrefilter(keywords: readonly string[], rulesOfKeyword: readonly number[][]): Engine {
  // Longest first: at one position the alternation takes the longest keyword, and
  // the shorter keywords inside it are credited through rulesFor().
  const byLength = [...keywords.keys()].sort((a, b) => keywords[b]!.length - keywords[a]!.length);
  const pattern = new RegExp(byLength.map((k) => escapeRegExp(keywords[k]!)).join('|'), 'gi');
  const rulesByMatch = new Map<string, readonly number[]>();
  const rulesFor = (match: string): readonly number[] => {
    let rules = rulesByMatch.get(match);
    if (rules) return rules;
    const found = new Set<number>();
    keywords.forEach((keyword, k) => {
      if (match.includes(keyword)) for (const r of rulesOfKeyword[k]!) found.add(r);
    });
    rulesByMatch.set(match, (rules = [...found]));
    return rules;
  };
  return {
    matchedRuleSets(text: string): Array<readonly number[]> {
      const matched: Array<readonly number[]> = [];
      let last = '';
      pattern.lastIndex = 0;
      for (let match = pattern.exec(text); match !== null; match = pattern.exec(text)) {
        const keyword = match[0].toLowerCase();
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

function buildAutomaton(keywords: readonly string[], rulesOfKeyword: readonly number[][]): Engine {
  const { classOf, count: classes } = characterClasses(keywords);
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
  const accepting = new Uint8Array(states * classes);
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
    if (keywordAt[state] !== -1 || accepting[failRow] === 1) accepting[row] = 1;
  }

  /** Rules of the keywords that end at a state: its own, then along its failure chain. */
  const rulesAt = new Map<number, readonly number[]>();
  const rulesOf = (row: number): readonly number[] => {
    let rules = rulesAt.get(row);
    if (rules) return rules;
    const found = new Set<number>();
    for (let r = row; r !== 0; r = failureRow[r / classes]!) {
      const k = keywordAt[r / classes]!;
      if (k !== -1) for (const rule of rulesOfKeyword[k]!) found.add(rule);
    }
    rulesAt.set(row, (rules = [...found]));
    return rules;
  };
  // Which accepting states this scan has already reported: stamped with the scan number.
  const seen = new Uint32Array(states * classes);
  let scan = 0;

  return {
    matchedRuleSets(text: string): Array<readonly number[]> {
      if (++scan === 0xffffffff) {
        seen.fill(0);
        scan = 1;
      }
      const stamp = scan;
      const matched: Array<readonly number[]> = [];
      let state = 0;
      for (let i = 0, n = text.length; i < n; i++) {
        state = delta[state + classOf[text.charCodeAt(i)]!]!;
        if (accepting[state] === 1 && seen[state] !== stamp) {
          seen[state] = stamp;
          matched.push(rulesOf(state));
        }
      }
      return matched;
    },
  };
}
