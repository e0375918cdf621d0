/**
 * A parser for enough of JavaScript regex syntax to see sequences, alternatives,
 * quantifiers and character sets (lookarounds, anchors and \b consume nothing and
 * become "zero"). Shared by the regex safety check (src/regex/regex-safety.ts) and
 * the keyword anchors of rules (src/detect/keyword-anchors.ts). Characters are
 * tracked for ASCII only; everything beyond ASCII is one slot.
 */

/** ASCII characters 0–127, plus one slot for everything beyond ASCII. */
export const OTHER = 128;
export type CharSet = Uint8Array;

export type Node =
  | { kind: 'seq'; items: Node[] }
  | { kind: 'alt'; alts: Node[] }
  | { kind: 'group'; body: Node; lookaround: boolean }
  | { kind: 'atom'; set: CharSet }
  | { kind: 'zero' }
  | { kind: 'quant'; body: Node; min: number; max: number };

/** Parses a regex source; throws on syntax this parser does not follow. */
export function parseRegex(source: string, flags = ''): Node {
  return new Parser(source, flags.includes('i'), flags.includes('s')).parse();
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
