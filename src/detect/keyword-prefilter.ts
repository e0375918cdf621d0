/**
 * One pass over the text for every rule keyword at once, so rule regexes only
 * run on fragments that can match (most fragments contain no keyword at all).
 */
export class KeywordPrefilter {
  private readonly pattern?: RegExp;
  /** keyword → indices of the rules that need it, including rules of keywords it contains. */
  private readonly rulesByKeyword = new Map<string, number[]>();
  private readonly alwaysRun: number[] = [];

  constructor(ruleKeywords: readonly (readonly string[])[]) {
    const direct = new Map<string, Set<number>>();
    ruleKeywords.forEach((keywords, index) => {
      if (keywords.length === 0) this.alwaysRun.push(index);
      for (const keyword of keywords) {
        const k = keyword.toLowerCase();
        if (!direct.has(k)) direct.set(k, new Set());
        direct.get(k)!.add(index);
      }
    });
    // Longest first: at one position the alternation takes the longest keyword,
    // and the shorter keywords contained in it are credited through this map.
    const all = [...direct.keys()].sort((a, b) => b.length - a.length);
    for (const k of all) {
      const rules = new Set<number>();
      for (const other of all) if (k.includes(other)) for (const r of direct.get(other)!) rules.add(r);
      this.rulesByKeyword.set(k, [...rules]);
    }
    if (all.length) this.pattern = new RegExp(all.map(escapeRegExp).join('|'), 'gi');
  }

  /** Indices of the rules whose keywords occur in the text (plus keyword-less rules), ascending. */
  candidates(text: string): number[] {
    const found = new Set<number>(this.alwaysRun);
    const pattern = this.pattern;
    if (pattern) {
      pattern.lastIndex = 0;
      let match: RegExpExecArray | null;
      while ((match = pattern.exec(text)) !== null) {
        for (const r of this.rulesByKeyword.get(match[0].toLowerCase()) ?? []) found.add(r);
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
