/**
 * A parser for enough of JavaScript regex syntax to see sequences, alternatives,
 * quantifiers and character sets (anchors and \b consume nothing and become "zero";
 * lookarounds consume nothing but keep their body, which runs too). Shared by the
 * regex safety check (src/regex/regex-safety.ts), the keyword anchors of rules
 * (src/detect/keyword-anchors.ts) and the detector's window overlap (matchExtent).
 * Characters are tracked for ASCII only; everything beyond ASCII is one slot.
 * Syntax it does not follow throws: callers decide what that means (the safety
 * check refuses the regex; the anchors fall back to a plain scan).
 */

/** ASCII characters 0–127, plus one slot for everything beyond ASCII. */
export const OTHER = 128;
export type CharSet = Uint8Array;

export type Node =
  | { kind: 'seq'; items: Node[] }
  | { kind: 'alt'; alts: Node[] }
  | { kind: 'group'; body: Node; name?: string }
  /** Zero-width, but its body is matched (and can backtrack) where it stands. */
  | { kind: 'look'; body: Node; behind: boolean; negative: boolean }
  | { kind: 'atom'; set: CharSet }
  | { kind: 'zero' }
  | { kind: 'quant'; body: Node; min: number; max: number };

/** Parses a regex source; throws on syntax this parser does not follow. */
export function parseRegex(source: string, flags = ''): Node {
  return new Parser(source, flags.includes('i'), flags.includes('s'), /[uv]/.test(flags), flags.includes('v')).parse();
}

export function emptySet(): CharSet {
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

export function union(a: CharSet, b: CharSet): CharSet {
  const out = emptySet();
  for (let i = 0; i <= OTHER; i++) out[i] = a[i]! | b[i]!;
  return out;
}

export function intersects(a: CharSet, b: CharSet): boolean {
  for (let i = 0; i <= OTHER; i++) if (a[i]! & b[i]!) return true;
  return false;
}

function negate(set: CharSet): CharSet {
  const out = emptySet();
  for (let i = 0; i < OTHER; i++) out[i] = set[i] ? 0 : 1;
  out[OTHER] = 1; // a negated class always matches some non-ASCII character
  return out;
}

/** With the u or v flag, k and s also fold with non-ASCII letters (U+212A KELVIN SIGN, U+017F LONG S). */
function foldCase(set: CharSet, unicode: boolean): CharSet {
  const out = Uint8Array.from(set);
  for (let c = 65; c <= 90; c++) if (set[c] || set[c + 32]) out[c] = out[c + 32] = 1;
  if (unicode) {
    if (out[OTHER]) for (const c of 'kKsS') out[c.charCodeAt(0)] = 1;
    else if (out[107] || out[115]) out[OTHER] = 1;
  }
  return out;
}

/** A group name (ECMAScript RegExpIdentifierName), written as is or with \u escapes. */
const GROUP_NAME =
  /^(?:[\p{ID_Start}$_]|\\u(?:[0-9A-Fa-f]{4}|\{[0-9A-Fa-f]+\}))(?:[\p{ID_Continue}$\u200C\u200D]|\\u(?:[0-9A-Fa-f]{4}|\{[0-9A-Fa-f]+\}))*$/u;

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
    /** Changed for the body of a modifier group such as (?i:…). */
    private ignoreCase: boolean,
    private dotAll: boolean,
    private readonly unicode: boolean,
    private readonly unicodeSets: boolean,
  ) {}

  parse(): Node {
    const node = this.alternation();
    if (this.pos < this.src.length) throw new Error('an unbalanced )');
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
      default: {
        // With u or v, a character beyond the BMP is one atom (two UTF-16 units).
        if (this.unicode && /[\uD800-\uDBFF]/.test(c) && /[\uDC00-\uDFFF]/.test(this.src[this.pos] ?? '')) this.pos++;
        return this.atomOf(setOf(c));
      }
    }
  }

  private atomOf(set: CharSet): Node {
    return { kind: 'atom', set: this.ignoreCase ? foldCase(set, this.unicode) : set };
  }

  private group(): Node {
    let look: 'ahead' | 'behind' | undefined;
    let negative = false;
    let name: string | undefined;
    const saved = { ignoreCase: this.ignoreCase, dotAll: this.dotAll };
    if (this.src[this.pos] === '?') {
      const rest = this.src.slice(this.pos);
      const m = /^\?(?:(?<look>[=!]|<[=!])|<(?<name>[^>]*)>|(?<on>[ims]*)(?:-(?<off>[ims]*))?:)/.exec(rest);
      if (!m) throw new Error(`a group "(${rest.slice(0, 4)}" it does not know`);
      const g = m.groups!;
      if (g.look) {
        look = g.look.startsWith('<') ? 'behind' : 'ahead';
        negative = g.look.endsWith('!');
      } else if (g.name !== undefined) {
        if (!GROUP_NAME.test(g.name)) throw new Error(`the group name "${g.name}"`);
        name = g.name;
      } else {
        if (g.on!.includes('i')) this.ignoreCase = true;
        if (g.off?.includes('i')) this.ignoreCase = false;
        if (g.on!.includes('s')) this.dotAll = true;
        if (g.off?.includes('s')) this.dotAll = false;
      }
      this.pos += m[0].length;
    }
    const body = this.alternation();
    Object.assign(this, saved);
    if (this.src[this.pos] !== ')') throw new Error('an unclosed group');
    this.pos++;
    if (look) return { kind: 'look', body, behind: look === 'behind', negative };
    return name === undefined ? { kind: 'group', body } : { kind: 'group', body, name };
  }

  private escape(): Node {
    const c = this.src[this.pos++];
    if (c === undefined) throw new Error('a trailing backslash');
    if (c === 'b' || c === 'B') return { kind: 'zero' };
    if (/[1-9]/.test(c) || (c === 'k' && this.src[this.pos] === '<')) {
      // A backreference can match anything of any length.
      if (c === 'k') {
        const close = this.src.indexOf('>', this.pos);
        if (close === -1) throw new Error('an unclosed \\k<name>');
        this.pos = close + 1;
      } else while (/\d/.test(this.src[this.pos] ?? '')) this.pos++;
      return { kind: 'quant', body: { kind: 'atom', set: fullSet() }, min: 0, max: Infinity };
    }
    return this.atomOf(this.escapeSet(c, false));
  }

  private escapeSet(c: string, inClass: boolean): CharSet {
    switch (c) {
      case 'd':
        return DIGITS;
      case 'D':
        return negate(DIGITS);
      case 'w':
        return WORD;
      case 'W':
        return negate(WORD);
      case 's':
        return SPACE;
      case 'S':
        return negate(SPACE);
      case 'n':
        return setOf('\n');
      case 'r':
        return setOf('\r');
      case 't':
        return setOf('\t');
      case 'f':
        return setOf('\f');
      case 'v':
        return setOf('\v');
      case '0':
        return setOf('\0');
      case 'b':
        return inClass ? setOf('\b') : emptySet();
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
        if (this.src[this.pos] === '{') {
          const close = this.src.indexOf('}', this.pos);
          if (close === -1) throw new Error(`an unclosed \\${c}{`);
          this.pos = close + 1;
        } else this.pos += c === 'u' ? 4 : c === 'c' ? 1 : 0;
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
    if (this.src[this.pos] !== ']') throw new Error('an unclosed character class');
    this.pos++;
    return negated ? negate(set) : set;
  }

  private classChar(): { set: CharSet; single?: number } {
    const c = this.src[this.pos++]!;
    if (this.unicodeSets) {
      // v flag: a nested class, or a set operation (&&, --) read as the union of its
      // operands (a superset of what it matches).
      if (c === '[') return { set: this.charClass() };
      if ((c === '&' || c === '-') && this.src[this.pos] === c) {
        this.pos++;
        return { set: emptySet() };
      }
    }
    if (c !== '\\') {
      if (this.unicode && /[\uD800-\uDBFF]/.test(c) && /[\uDC00-\uDFFF]/.test(this.src[this.pos] ?? '')) this.pos++;
      return { set: setOf(c), single: c.charCodeAt(0) < 0xd800 ? c.charCodeAt(0) : undefined };
    }
    const e = this.src[this.pos++]!;
    // \q{abc|de}: strings, not characters; not followed here.
    if (e === 'q') throw new Error('a class string \\q{…}');
    const set = this.escapeSet(e, true);
    const count = set.reduce((n, v) => n + v, 0);
    const single = count === 1 && !/[dDwWsSpPu]/.test(e) ? set.indexOf(1) : undefined;
    return { set, single };
  }
}

// ---------------------------------------------------------------------------
// How far a match reaches around its secret

/**
 * How many characters (UTF-16 units) a match of the regex can read before the start
 * of its `secret` group and from that start on, look-arounds and \b included: a
 * window that holds both around a secret's start finds the same match as the whole
 * text. Infinity where a repetition is unbounded. Throws, like parseRegex, on
 * syntax the parser does not follow.
 */
export function matchExtent(source: string, flags = ''): { before: number; after: number } {
  const ast = parseRegex(source, flags);
  const unit = /[uv]/.test(flags) ? 2 : 1;
  const lengthOf = (node: Node): number => maxLength(node, unit);
  const behind = lookReach(ast, true, lengthOf);
  const ahead = lookReach(ast, false, lengthOf);
  // The secret starts at most `prefix` after the match start, or (inside a
  // look-behind) at most `behind` before it; \b, ^ and $ read one more character.
  const prefix = secretOffset(ast, lengthOf) ?? 0;
  return { before: prefix + behind + 1, after: lengthOf(ast) + ahead + behind + 1 };
}

/** The shortest and longest text the node consumes (look-arounds consume none; max Infinity where unbounded). */
export function lengthBounds(node: Node, flags = ''): { min: number; max: number } {
  return { min: minLength(node), max: maxLength(node, /[uv]/.test(flags) ? 2 : 1) };
}

function minLength(node: Node): number {
  switch (node.kind) {
    case 'seq':
      return node.items.reduce((n, item) => n + minLength(item), 0);
    case 'alt':
      return node.alts.length === 0 ? 0 : Math.min(...node.alts.map(minLength));
    case 'group':
      return minLength(node.body);
    case 'atom':
      return 1;
    case 'quant':
      return node.min === 0 ? 0 : node.min * minLength(node.body);
    default:
      return 0;
  }
}

/** The longest text the node consumes (look-arounds consume none). */
function maxLength(node: Node, unit: number): number {
  switch (node.kind) {
    case 'seq':
      return node.items.reduce((n, item) => n + maxLength(item, unit), 0);
    case 'alt':
      return Math.max(0, ...node.alts.map((alt) => maxLength(alt, unit)));
    case 'group':
      return maxLength(node.body, unit);
    case 'look':
      return 0;
    case 'atom':
      return node.set[OTHER] ? unit : 1;
    case 'zero':
      return 0;
    case 'quant': {
      const body = maxLength(node.body, unit);
      return body === 0 ? 0 : node.max * body;
    }
  }
}

/** The longest a look-behind (or look-ahead) of the node reads, beyond where it stands. */
function lookReach(node: Node, behind: boolean, lengthOf: (n: Node) => number): number {
  switch (node.kind) {
    case 'seq':
      return Math.max(0, ...node.items.map((n) => lookReach(n, behind, lengthOf)));
    case 'alt':
      return Math.max(0, ...node.alts.map((n) => lookReach(n, behind, lengthOf)));
    case 'group':
      return lookReach(node.body, behind, lengthOf);
    case 'quant':
      return lookReach(node.body, behind, lengthOf);
    case 'look':
      return Math.max(node.behind === behind ? lengthOf(node.body) : 0, lookReach(node.body, behind, lengthOf));
    default:
      return 0;
  }
}

/** The longest distance from the start of the node's match to the start of the `secret` group, or undefined when the node has none. */
function secretOffset(node: Node, lengthOf: (n: Node) => number): number | undefined {
  switch (node.kind) {
    case 'group':
      return node.name === 'secret' ? 0 : secretOffset(node.body, lengthOf);
    case 'seq': {
      let before = 0;
      for (const item of node.items) {
        const inner = secretOffset(item, lengthOf);
        if (inner !== undefined) return before + inner;
        before += lengthOf(item);
      }
      return undefined;
    }
    case 'alt': {
      const offsets = node.alts.map((alt) => secretOffset(alt, lengthOf)).filter((o) => o !== undefined);
      return offsets.length ? Math.max(...offsets) : undefined;
    }
    case 'quant': {
      const inner = secretOffset(node.body, lengthOf);
      const body = lengthOf(node.body);
      return inner === undefined ? undefined : body === 0 ? inner : inner + (node.max - 1) * body;
    }
    case 'look':
      return secretOffset(node.body, lengthOf);
    default:
      return undefined;
  }
}

// ---------------------------------------------------------------------------
// How long a secret can be

/**
 * The shortest and longest value (in UTF-16 units) the regex's `secret` group matches, or
 * undefined when it has none; `max` is Infinity where a repetition is unbounded. Throws,
 * like parseRegex, on syntax the parser does not follow.
 */
export function secretLengths(source: string, flags = ''): { min: number; max: number } | undefined {
  const group = secretGroup(parseRegex(source, flags));
  return group && lengthBounds(group, flags);
}

function secretGroup(node: Node): Node | undefined {
  switch (node.kind) {
    case 'group':
      return node.name === 'secret' ? node.body : secretGroup(node.body);
    case 'seq':
      for (const item of node.items) {
        const found = secretGroup(item);
        if (found) return found;
      }
      return undefined;
    case 'alt':
      for (const alt of node.alts) {
        const found = secretGroup(alt);
        if (found) return found;
      }
      return undefined;
    case 'quant':
    case 'look':
      return secretGroup(node.body);
    default:
      return undefined;
  }
}

/** Whether the node can match the empty string (look-arounds and anchors consume nothing). */
export function canBeEmpty(node: Node): boolean {
  switch (node.kind) {
    case 'seq':
      return node.items.every(canBeEmpty);
    case 'alt':
      return node.alts.some(canBeEmpty);
    case 'group':
      return canBeEmpty(node.body);
    case 'look':
      return true;
    case 'atom':
      return false;
    case 'zero':
      return true;
    case 'quant':
      return node.min === 0 || canBeEmpty(node.body);
  }
}

/** Characters a match of the node can start with. */
export function firstOf(node: Node): CharSet {
  switch (node.kind) {
    case 'seq': {
      let out = emptySet();
      for (const item of node.items) {
        out = union(out, firstOf(item));
        if (!canBeEmpty(item)) break;
      }
      return out;
    }
    case 'alt':
      return node.alts.map(firstOf).reduce(union, emptySet());
    case 'group':
      return firstOf(node.body);
    case 'look':
      return emptySet();
    case 'atom':
      return node.set;
    case 'zero':
      return emptySet();
    case 'quant':
      return firstOf(node.body);
  }
}
