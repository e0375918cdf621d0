/**
 * One pass over the text for every rule keyword at once, so rule regexes only
 * run on fragments that can match (most fragments contain no keyword at all).
 */
export class KeywordPrefilter {
  private readonly pattern?: RegExp;
  /** keyword (lowercase) → indices of the rules that name it. */
  private readonly direct = new Map<string, number[]>();
  /** Keywords, longest first. */
  private readonly keywords: string[];
  /**
   * keyword → indices of the rules that need it, including rules of the keywords it
   * contains. Filled on first sight of a keyword: a staged scan meets a handful.
   */
  private readonly rulesByKeyword = new Map<string, readonly number[]>();
  private readonly alwaysRun: number[] = [];

  constructor(ruleKeywords: readonly (readonly string[])[]) {
    ruleKeywords.forEach((keywords, index) => {
      if (keywords.length === 0) this.alwaysRun.push(index);
      for (const keyword of keywords) {
        const k = keyword.toLowerCase();
        const rules = this.direct.get(k);
        if (!rules) this.direct.set(k, [index]);
        else if (rules[rules.length - 1] !== index) rules.push(index);
      }
    });
    // Longest first: at one position the alternation takes the longest keyword,
    // and the shorter keywords contained in it are credited through rulesFor().
    this.keywords = [...this.direct.keys()].sort((a, b) => b.length - a.length);
    if (this.keywords.length) this.pattern = new RegExp(this.keywords.map(escapeRegExp).join('|'), 'gi');
  }

  private rulesFor(keyword: string): readonly number[] {
    let rules = this.rulesByKeyword.get(keyword);
    if (rules) return rules;
    const found = new Set<number>();
    for (const other of this.keywords) {
      if (other.length > keyword.length) continue;
      if (keyword.includes(other)) for (const r of this.direct.get(other)!) found.add(r);
    }
    rules = [...found];
    this.rulesByKeyword.set(keyword, rules);
    return rules;
  }

  /** Indices of the rules whose keywords occur in the text (plus keyword-less rules), ascending. */
  candidates(text: string): number[] {
    const found = new Set<number>(this.alwaysRun);
    const pattern = this.pattern;
    if (pattern) {
      pattern.lastIndex = 0;
      let match: RegExpExecArray | null;
      let last = '';
      while ((match = pattern.exec(text)) !== null) {
        const keyword = match[0].toLowerCase();
        // Dense text repeats the same keyword: credit it once per run of repeats.
        if (keyword !== last) {
          for (const r of this.rulesFor(keyword)) found.add(r);
          last = keyword;
        }
        // Step one character, not past the match: a keyword may start inside this one.
        pattern.lastIndex = match.index + 1;
      }
    }
    return [...found].sort((a, b) => a - b);
  }
}

export function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');
}
