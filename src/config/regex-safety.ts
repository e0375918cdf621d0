/**
 * A conservative static check for regexes supplied in .leakguard.json, which the
 * scanner runs over every staged line: a pattern that can backtrack exponentially
 * (or, for rule regexes, quadratically on one long line) would hang the hook, so
 * it is refused before use with the reason.
 *
 * Refused:
 *  - a repetition (max ≥ 2) over content that contains a variable-length
 *    repetition, unless every pair of such inner repetitions (cyclically, across
 *    iterations) is separated by a mandatory part neither of them can match:
 *    `(a+)+`, `(\w*)*`, `(.*a){3}`, `(\d?\d)+`, `(\w*,\w*)*` are refused;
 *    `(\.[a-z]+)+`, `(\s*,\s*\w+)*`, `([^"]*"[^"]*")*` are accepted;
 *  - a repetition over alternatives that can start with the same character, or
 *    that can be empty: `(a|a)*`, `(\w|\d)+`, `(a|)+`;
 *  - rule regexes only: a pattern that can begin with an unbounded repetition
 *    (`[A-Za-z0-9]+=…`), which restarts at every position of a long line.
 * Anything the parser does not understand is treated as matching any character,
 * so an unknown construct can only make the check stricter.
 */

/** ASCII characters 0–127, plus one slot for everything beyond ASCII. */
const OTHER = 128;
type CharSet = Uint8Array;

type Node =
  | { kind: 'seq'; items: Node[] }
  | { kind: 'alt'; alts: Node[] }
  | { kind: 'group'; body: Node; lookaround: boolean }
  | { kind: 'atom'; set: CharSet }
  | { kind: 'zero' }
  | { kind: 'quant'; body: Node; min: number; max: number };

export interface RegexSafetyOptions {
  /** Rule regexes run over whole lines: a leading unbounded repetition is refused too. */
  scansLines?: boolean;
}

/** The reason a regex is unsafe, or undefined when it passes the check. */
export function regexSafetyProblem(source: string, flags = '', options: RegexSafetyOptions = {}): string | undefined {
  let ast: Node;
  try {
    ast = new Parser(source, flags.includes('i'), flags.includes('s')).parse();
  } catch {
    return undefined; // not parseable here: the RegExp constructor reports real syntax errors
  }
  const problem = findProblem(ast);
  if (problem) return problem;
  if (options.scansLines && startsUnbounded(ast)) {
    return 'can begin with an unbounded repetition (* + {n,}), which restarts at every position of a long line; give it an upper bound such as {1,200}';
  }
  return undefined;
}

// ---------------------------------------------------------------------------
// Parsing (enough of JavaScript regex syntax to see quantifiers and sets)

function emptySet(): CharSet {
  return new Uint8Array(OTHER + 1);
}

function fullSet(): CharSet {
  return new Uint8Array(OTHER + 1).fill(1);
}

function setOf(chars: string): CharSet {
  const set = emptySet();
  for (const c of chars) addChar(set, c.codePointAt(0)!);
  return set;
}

function addChar(set: CharSet, code: number): void {
  set[code < OTHER ? code : OTHER] = 1;
}

function addRange(set: CharSet, from: number, to: number): void {
  for (let c = from; c <= Math.min(to, OTHER - 1); c++) set[c] = 1;
  if (to >= OTHER) set[OTHER] = 1;
}

function union(a: CharSet, b: CharSet): CharSet {
  const out = emptySet();
  for (let i = 0; i <= OTHER; i++) out[i] = a[i]! | b[i]!;
  return out;
}

function intersects(a: CharSet, b: CharSet): boolean {
  for (let i = 0; i <= OTHER; i++) if (a[i]! & b[i]!) return true;
  return false;
}

function negate(set: CharSet): CharSet {
  const out = emptySet();
  for (let i = 0; i < OTHER; i++) out[i] = set[i] ? 0 : 1;
  out[OTHER] = 1; // a negated class always matches some non-ASCII character
  return out;
}

function foldCase(set: CharSet): CharSet {
  const out = Uint8Array.from(set);
  for (let c = 65; c <= 90; c++) if (set[c] || set[c + 32]) out[c] = out[c + 32] = 1;
  return out;
}

const DIGITS = setOf('0123456789');
const WORD = setOf('ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_');
const SPACE = (() => {
  const s = setOf(' \t\n\v\f\r');
  s[OTHER] = 1;
  return s;
})();

class Parser {
  private pos = 0;

  constructor(
    private readonly src: string,
    private readonly ignoreCase: boolean,
    private readonly dotAll: boolean,
  ) {}

  parse(): Node {
    const node = this.alternation();
    if (this.pos < this.src.length) throw new Error('unbalanced )');
    return node;
  }

  private alternation(): Node {
    const alts = [this.sequence()];
    while (this.src[this.pos] === '|') {
      this.pos++;
      alts.push(this.sequence());
    }
    return alts.length === 1 ? alts[0]! : { kind: 'alt', alts };
  }

  private sequence(): Node {
    const items: Node[] = [];
    while (this.pos < this.src.length && this.src[this.pos] !== '|' && this.src[this.pos] !== ')') {
      const atom = this.atom();
      items.push(this.quantifier(atom));
    }
    return { kind: 'seq', items };
  }

  private quantifier(body: Node): Node {
    const c = this.src[this.pos];
    let min: number;
    let max: number;
    if (c === '*') [min, max] = [0, Infinity];
    else if (c === '+') [min, max] = [1, Infinity];
    else if (c === '?') [min, max] = [0, 1];
    else if (c === '{') {
      const m = /^\{(\d+)(?:(,)(\d*))?\}/.exec(this.src.slice(this.pos));
      if (!m) return body; // a literal "{"
      min = Number(m[1]);
      max = m[2] ? (m[3] ? Number(m[3]) : Infinity) : min;
      this.pos += m[0].length - 1;
    } else return body;
    this.pos++;
    if (this.src[this.pos] === '?') this.pos++; // lazy: same analysis
    return this.quantifier({ kind: 'quant', body, min, max });
  }

  private atom(): Node {
    const c = this.src[this.pos++]!;
    switch (c) {
      case '(':
        return this.group();
      case '[':
        return this.atomOf(this.charClass());
      case '.':
        return this.atomOf(this.dotAll ? fullSet() : negate(setOf('\n\r')));
      case '^':
      case '$':
        return { kind: 'zero' };
      case '\\':
        return this.escape();
      default:
        return this.atomOf(setOf(c));
    }
  }

  private atomOf(set: CharSet): Node {
    return { kind: 'atom', set: this.ignoreCase ? foldCase(set) : set };
  }

  private group(): Node {
    let lookaround = false;
    if (this.src[this.pos] === '?') {
      const rest = this.src.slice(this.pos);
      const m = /^\?(?:[:=!]|<[=!]|<[A-Za-z_$][\w$]*>|[ims-]+:)/.exec(rest);
      if (!m) throw new Error('unknown group');
      lookaround = /^\?(?:[=!]|<[=!])/.test(m[0]);
      this.pos += m[0].length;
    }
    const body = this.alternation();
    if (this.src[this.pos] !== ')') throw new Error('unclosed group');
    this.pos++;
    return lookaround ? { kind: 'zero' } : { kind: 'group', body, lookaround };
  }

  private escape(): Node {
    const c = this.src[this.pos++];
    if (c === undefined) throw new Error('trailing backslash');
    if (c === 'b' || c === 'B') return { kind: 'zero' };
    if (/[1-9]/.test(c) || (c === 'k' && this.src[this.pos] === '<')) {
      // A backreference can match anything of any length.
      if (c === 'k') this.pos = this.src.indexOf('>', this.pos) + 1;
      else while (/\d/.test(this.src[this.pos] ?? '')) this.pos++;
      return { kind: 'quant', body: { kind: 'atom', set: fullSet() }, min: 0, max: Infinity };
    }
    return this.atomOf(this.escapeSet(c, false));
  }

  private escapeSet(c: string, inClass: boolean): CharSet {
    switch (c) {
      case 'd': return DIGITS;
      case 'D': return negate(DIGITS);
      case 'w': return WORD;
      case 'W': return negate(WORD);
      case 's': return SPACE;
      case 'S': return negate(SPACE);
      case 'n': return setOf('\n');
      case 'r': return setOf('\r');
      case 't': return setOf('\t');
      case 'f': return setOf('\f');
      case 'v': return setOf('\v');
      case '0': return setOf('\0');
      case 'b': return inClass ? setOf('\b') : emptySet();
      case 'x': {
        const hex = this.src.slice(this.pos, this.pos + 2);
        this.pos += 2;
        const set = emptySet();
        addChar(set, parseInt(hex, 16) || 0);
        return set;
      }
      case 'u':
      case 'p':
      case 'P':
      case 'c': {
        // \uXXXX, \u{…}, \p{…}: skip the argument, assume any character.
        if (this.src[this.pos] === '{') this.pos = this.src.indexOf('}', this.pos) + 1;
        else this.pos += c === 'u' ? 4 : c === 'c' ? 1 : 0;
        return fullSet();
      }
      default:
        return setOf(c);
    }
  }

  private charClass(): CharSet {
    let negated = false;
    if (this.src[this.pos] === '^') {
      negated = true;
      this.pos++;
    }
    let set = emptySet();
    while (this.pos < this.src.length && this.src[this.pos] !== ']') {
      const from = this.classChar();
      if (this.src[this.pos] === '-' && this.src[this.pos + 1] !== ']' && this.pos + 1 < this.src.length && from.single !== undefined) {
        this.pos++;
        const to = this.classChar();
        if (to.single !== undefined) {
          addRange(set, from.single, to.single);
          continue;
        }
        set = union(union(set, from.set), union(to.set, setOf('-')));
        continue;
      }
      set = union(set, from.set);
    }
    if (this.src[this.pos] !== ']') throw new Error('unclosed class');
    this.pos++;
    return negated ? negate(set) : set;
  }

  private classChar(): { set: CharSet; single?: number } {
    const c = this.src[this.pos++]!;
    if (c === '[') return { set: fullSet() }; // v-flag nested class: assume anything
    if (c !== '\\') return { set: setOf(c), single: c.codePointAt(0)! };
    const e = this.src[this.pos++]!;
    const set = this.escapeSet(e, true);
    const count = set.reduce((n, v) => n + v, 0);
    const single = count === 1 && !/[dDwWsSpPu]/.test(e) ? set.indexOf(1) : undefined;
    return { set, single };
  }
}

// ---------------------------------------------------------------------------
// Analysis

function canBeEmpty(node: Node): boolean {
  switch (node.kind) {
    case 'seq': return node.items.every(canBeEmpty);
    case 'alt': return node.alts.some(canBeEmpty);
    case 'group': return canBeEmpty(node.body);
    case 'atom': return false;
    case 'zero': return true;
    case 'quant': return node.min === 0 || canBeEmpty(node.body);
  }
}

/** Every character the node can consume. */
function charsOf(node: Node): CharSet {
  switch (node.kind) {
    case 'seq': return node.items.map(charsOf).reduce(union, emptySet());
    case 'alt': return node.alts.map(charsOf).reduce(union, emptySet());
    case 'group': return charsOf(node.body);
    case 'atom': return node.set;
    case 'zero': return emptySet();
    case 'quant': return charsOf(node.body);
  }
}

/** Characters a match of the node can start with. */
function firstOf(node: Node): CharSet {
  switch (node.kind) {
    case 'seq': {
      let out = emptySet();
      for (const item of node.items) {
        out = union(out, firstOf(item));
        if (!canBeEmpty(item)) break;
      }
      return out;
    }
    case 'alt': return node.alts.map(firstOf).reduce(union, emptySet());
    case 'group': return firstOf(node.body);
    case 'atom': return node.set;
    case 'zero': return emptySet();
    case 'quant': return firstOf(node.body);
  }
}

/** Quantifiers inside `node` (not below lookarounds, which are zero-width) that can repeat a variable number of times. */
function variableRepeats(node: Node, out: Node[] = []): Node[] {
  switch (node.kind) {
    case 'seq': node.items.forEach((n) => variableRepeats(n, out)); break;
    case 'alt': node.alts.forEach((n) => variableRepeats(n, out)); break;
    case 'group': variableRepeats(node.body, out); break;
    case 'quant':
      if (node.max > node.min && node.max > 1) out.push(node);
      else if (node.max > node.min && !canBeEmpty(node.body) && charsOf(node.body).some(Boolean)) out.push(node);
      variableRepeats(node.body, out);
      break;
    default:
  }
  return out;
}

/** The top-level items of a node seen as one sequence (through plain groups). */
function flatten(node: Node): Node[] {
  if (node.kind === 'seq') return node.items.flatMap(flatten);
  if (node.kind === 'group' && node.body.kind !== 'alt') return flatten(node.body);
  return [node];
}

function describeQuant(q: { min: number; max: number }): string {
  if (q.max === Infinity) return q.min === 0 ? '*' : q.min === 1 ? '+' : `{${q.min},}`;
  return q.min === q.max ? `{${q.min}}` : `{${q.min},${q.max}}`;
}

function findProblem(node: Node): string | undefined {
  switch (node.kind) {
    case 'seq':
      for (const item of node.items) {
        const p = findProblem(item);
        if (p) return p;
      }
      return undefined;
    case 'alt':
      for (const alt of node.alts) {
        const p = findProblem(alt);
        if (p) return p;
      }
      return undefined;
    case 'group':
      return findProblem(node.body);
    case 'quant': {
      const inner = findProblem(node.body);
      if (inner) return inner;
      if (node.max < 2) return undefined;
      return repetitionProblem(node.body, node);
    }
    default:
      return undefined;
  }
}

function repetitionProblem(body: Node, outer: { min: number; max: number }): string | undefined {
  const what = `a repetition ${describeQuant(outer)}`;
  const unwrapped = body.kind === 'group' ? body.body : body;
  if (unwrapped.kind === 'alt' && outer.max === Infinity) {
    const { alts } = unwrapped;
    for (let i = 0; i < alts.length; i++) {
      if (canBeEmpty(alts[i]!)) return `${what} over alternatives, one of which can be empty (catastrophic backtracking)`;
      for (let j = i + 1; j < alts.length; j++) {
        if (intersects(firstOf(alts[i]!), firstOf(alts[j]!))) {
          return `${what} over alternatives that can match the same text (catastrophic backtracking)`;
        }
      }
    }
  }
  const repeats = variableRepeats(body);
  if (repeats.length === 0) return undefined;
  // Each variable inner repetition must be fenced off from the next one (cyclically:
  // the last of one iteration meets the first of the next) by a mandatory part that
  // neither can match; otherwise the same text splits in many ways.
  const items = flatten(body);
  const positions = repeats.map((q) => items.indexOf(q));
  if (positions.some((p) => p === -1)) {
    return `nested quantifiers: ${what} contains another variable repetition (catastrophic backtracking)`;
  }
  const variable = new Set(positions);
  for (const from of positions) {
    const a = charsOf(items[from]!);
    // Walk forward (wrapping into the next iteration) until a mandatory part that
    // this repetition cannot match fences it off; meeting an overlapping variable
    // repetition first (or itself again) means the text can be split many ways.
    let fenced = false;
    for (let step = 1; step <= items.length && !fenced; step++) {
      const index = (from + step) % items.length;
      const item = items[index]!;
      const chars = charsOf(item);
      if (variable.has(index) && (index === from || intersects(chars, a))) break;
      if (!canBeEmpty(item) && !intersects(chars, a)) fenced = true;
    }
    if (!fenced) return `nested quantifiers: ${what} over a variable repetition of overlapping content (catastrophic backtracking)`;
  }
  return undefined;
}

/** True when a match can begin with an unbounded repetition of something. */
function startsUnbounded(node: Node): boolean {
  switch (node.kind) {
    case 'seq':
      for (const item of node.items) {
        if (startsUnbounded(item)) return true;
        if (!canBeEmpty(item)) return false;
      }
      return false;
    case 'alt': return node.alts.some(startsUnbounded);
    case 'group': return startsUnbounded(node.body);
    case 'quant': return node.max === Infinity || startsUnbounded(node.body);
    default: return false;
  }
}
