// A small Python reader for pytest parametrize tables: a tokenizer and an evaluator for
// the simple expressions the tables use — string literals (prefixes, triple quotes,
// implicit concatenation), module-level names, `+`, `str * int`, slices, str.format,
// tuples and lists, True/False/None. Anything else throws Unevaluable.
import { Unevaluable } from './golang.mjs';

export { Unevaluable };

const STRING_START = /([rRbBuUfF]{0,2})('''|"""|'|")/y;
const NAME = /[\p{L}_][\p{L}\p{N}_]*/uy;
const NUMBER = /[0-9][0-9a-zA-Z_.]*|\.[0-9][0-9_]*/y;
const OP = /\*\*=?|\/\/=?|->|:=|<<=?|>>=?|[-+*/%&|^<>=!]=|\.\.\.|[-+*/%&|^~<>()[\]{},:;.=@]/y;

function unescapePython(body) {
  return body.replace(
    /\\(?:([\\'"abfnrtv])|x([0-9a-fA-F]{2})|u([0-9a-fA-F]{4})|U([0-9a-fA-F]{8})|([0-7]{1,3})|(\n)|(.))/gs,
    (whole, c, x, u, U, o, nl, other) => {
      if (c) return { '\\': '\\', "'": "'", '"': '"', a: '\x07', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v' }[c];
      if (x) return String.fromCharCode(parseInt(x, 16));
      if (u) return String.fromCodePoint(parseInt(u, 16));
      if (U) return String.fromCodePoint(parseInt(U, 16));
      if (o) return String.fromCharCode(parseInt(o, 8));
      if (nl) return '';
      return whole; // unknown escapes stay as written
    },
  );
}

/**
 * Tokens: { type: name|string|number|op|newline, value, line, prefix? }. Newlines only at
 * bracket depth 0; `indent` is the column of a line's first token.
 */
export function tokenizePython(src) {
  const tokens = [];
  let i = 0;
  let line = 1;
  let depth = 0;
  let lineStart = true;
  let column = 0;
  while (i < src.length) {
    const ch = src[i];
    if (ch === '\n') {
      if (depth === 0 && tokens.length && tokens.at(-1).type !== 'newline') tokens.push({ type: 'newline', value: '\n', line });
      line++;
      i++;
      lineStart = true;
      column = 0;
      continue;
    }
    if (ch === ' ' || ch === '\t' || ch === '\r' || ch === '\f') {
      i++;
      column++;
      continue;
    }
    if (ch === '\\' && src[i + 1] === '\n') {
      i += 2;
      line++;
      continue;
    }
    if (ch === '#') {
      while (i < src.length && src[i] !== '\n') i++;
      continue;
    }
    const indent = lineStart ? column : undefined;
    lineStart = false;
    STRING_START.lastIndex = i;
    const s = STRING_START.exec(src);
    if (s) {
      const prefix = s[1].toLowerCase();
      const quote = s[2];
      let j = i + s[0].length;
      const startLine = line;
      while (j < src.length && !src.startsWith(quote, j)) {
        if (src[j] === '\\') j++;
        else if (src[j] === '\n' && quote.length === 1) throw new Error(`unterminated string at line ${line}`);
        j++;
      }
      const raw = src.slice(i + s[0].length, j);
      line += (raw.match(/\n/g) ?? []).length;
      const value = prefix.includes('r') ? raw : unescapePython(raw);
      tokens.push({ type: 'string', value, prefix, line: startLine, indent });
      i = j + quote.length;
      continue;
    }
    let matched = false;
    for (const [type, re] of [
      ['number', NUMBER],
      ['name', NAME],
      ['op', OP],
    ]) {
      re.lastIndex = i;
      const m = re.exec(src);
      if (!m) continue;
      tokens.push({ type, value: m[0], line, indent });
      if (type === 'op') {
        if ('([{'.includes(m[0])) depth++;
        else if (')]}'.includes(m[0])) depth = Math.max(0, depth - 1);
      }
      i += m[0].length;
      matched = true;
      break;
    }
    if (!matched) i++;
  }
  return tokens;
}

const OPEN = { '(': ')', '[': ']', '{': '}' };
const CLOSE = new Set([')', ']', '}']);

export function matchingPy(tokens, open) {
  let depth = 0;
  for (let i = open; i < tokens.length; i++) {
    const t = tokens[i];
    if (t.type !== 'op') continue;
    if (OPEN[t.value]) depth++;
    else if (CLOSE.has(t.value) && --depth === 0) return i;
  }
  throw new Unevaluable('unbalanced brackets');
}

export function splitTopPy(tokens, start, end, sep = ',') {
  const parts = [];
  let depth = 0;
  let from = start;
  for (let i = start; i < end; i++) {
    const t = tokens[i];
    if (t.type !== 'op') continue;
    if (OPEN[t.value]) depth++;
    else if (CLOSE.has(t.value)) depth--;
    else if (depth === 0 && t.value === sep) {
      parts.push([from, i]);
      from = i + 1;
    }
  }
  if (from < end) parts.push([from, end]);
  return parts.filter(([a, b]) => b > a);
}

/**
 * A Python number literal's value: 200, 1_000, 0x1F, 0o17, 0b101, 1.5, 2e3. A number is a
 * number, not the text of a case (detect-secrets' `(200, True)` status-code rows are not
 * (text, label) rows). Complex literals cannot be evaluated.
 */
export function pyNumber(text) {
  const t = text.replace(/_/g, '');
  if (/^0[xX][0-9a-fA-F]+$/.test(t)) return Number.parseInt(t.slice(2), 16);
  if (/^0[oO][0-7]+$/.test(t)) return Number.parseInt(t.slice(2), 8);
  if (/^0[bB][01]+$/.test(t)) return Number.parseInt(t.slice(2), 2);
  if (/^(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/.test(t)) return Number(t);
  throw new Unevaluable(`number ${text}`);
}

/** str.format with positional and keyword arguments ({}, {0}, {name}, {{, }}). */
export function pyFormat(template, args, kwargs) {
  let next = 0;
  return template.replace(/\{\{|\}\}|\{([^{}]*)\}/g, (whole, field) => {
    if (whole === '{{') return '{';
    if (whole === '}}') return '}';
    if (/[:!]/.test(field)) throw new Unevaluable(`format spec {${field}}`);
    let value;
    if (field === '') value = args[next++];
    else if (/^\d+$/.test(field)) value = args[Number(field)];
    else value = kwargs[field];
    if (value === undefined) throw new Unevaluable(`format field {${field}}`);
    if (typeof value !== 'string') value = String(value);
    return value;
  });
}

/** Module-level `NAME = expr` assignments (statements starting at column 0). */
function moduleAssignments(tokens) {
  const defs = new Map();
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i];
    if (t.type !== 'name' || t.indent !== 0 || tokens[i + 1]?.value !== '=') continue;
    let end = i + 2;
    while (end < tokens.length && tokens[end].type !== 'newline') end++;
    defs.set(t.value, [i + 2, end]);
  }
  return defs;
}

/** textwrap.dedent: removes the whitespace prefix common to all non-blank lines. */
export function dedent(text) {
  const lines = text.split('\n');
  const indents = lines.filter((l) => l.trim()).map((l) => l.match(/^[ \t]*/)[0]);
  let common = indents[0] ?? '';
  for (const indent of indents) while (!indent.startsWith(common)) common = common.slice(0, -1);
  return lines.map((l) => (l.trim() ? l.slice(common.length) : l.replace(/^[ \t]+$/, ''))).join('\n');
}

export class PyEvaluator {
  constructor(tokens) {
    this.tokens = tokens;
    this.defs = moduleAssignments(tokens);
    this.active = new Set();
  }

  lookup(name) {
    if (name === 'True') return true;
    if (name === 'False') return false;
    if (name === 'None') return null;
    const def = this.defs.get(name);
    if (!def) throw new Unevaluable(`unknown name ${name}`);
    if (this.active.has(name)) throw new Unevaluable(`recursive ${name}`);
    this.active.add(name);
    try {
      return this.evalRange(def[0], def[1]);
    } finally {
      this.active.delete(name);
    }
  }

  evalRange(start, end) {
    const tk = this.tokens;
    while (start < end && tk[start].type === 'newline') start++;
    while (end > start && tk[end - 1].type === 'newline') end--;
    if (start >= end) throw new Unevaluable('empty expression');
    const commas = splitTopPy(tk, start, end);
    if (commas.length > 1 || tk[end - 1].value === ',') return commas.map(([a, b]) => this.evalRange(a, b)); // a bare tuple
    for (const op of ['+', '*']) {
      const terms = splitTopPy(tk, start, end, op);
      if (terms.length < 2) continue;
      const values = terms.map(([a, b]) => this.evalRange(a, b));
      if (op === '+') {
        if (values.every((v) => typeof v === 'string')) return values.join('');
        if (values.every((v) => typeof v === 'number')) return values.reduce((a, b) => a + b);
        if (values.every((v) => Array.isArray(v))) return values.flat();
        throw new Unevaluable('+ of mixed values');
      }
      const count = (v) => Number.isInteger(v) && v >= 0;
      if (values.length === 2 && typeof values[0] === 'string' && count(values[1])) return values[0].repeat(values[1]);
      if (values.length === 2 && typeof values[1] === 'string' && count(values[0])) return values[1].repeat(values[0]);
      throw new Unevaluable('* of non-strings');
    }
    return this.evalPostfix(start, end);
  }

  /** An atom followed by .format(…), [a:b] or [i]. */
  evalPostfix(start, end) {
    const tk = this.tokens;
    let [value, i] = this.evalAtom(start, end);
    while (i < end) {
      if (tk[i].value === '.' && tk[i + 1]?.type === 'name' && tk[i + 2]?.value === '(') {
        const method = tk[i + 1].value;
        const close = matchingPy(tk, i + 2);
        const argRanges = splitTopPy(tk, i + 3, close);
        const args = [];
        const kwargs = {};
        for (const [a, b] of argRanges) {
          if (tk[a].type === 'name' && tk[a + 1]?.value === '=') kwargs[tk[a].value] = this.evalRange(a + 2, b);
          else args.push(this.evalRange(a, b));
        }
        if (typeof value !== 'string') throw new Unevaluable(`.${method} of a non-string`);
        if (method === 'format') value = pyFormat(value, args, kwargs);
        else if (method === 'upper') value = value.toUpperCase();
        else if (method === 'lower') value = value.toLowerCase();
        else if (method === 'strip') value = value.trim();
        else if (method === 'replace' && args.length === 2) value = value.split(args[0]).join(args[1]);
        else throw new Unevaluable(`.${method}()`);
        i = close + 1;
        continue;
      }
      if (tk[i].value === '[') {
        const close = matchingPy(tk, i);
        const parts = splitTopPy(tk, i + 1, close, ':');
        const hasColon = tk.slice(i + 1, close).some((t) => t.value === ':');
        if (typeof value !== 'string' && !Array.isArray(value)) throw new Unevaluable('subscript of a non-sequence');
        const num = (range) => {
          const text = tk
            .slice(range[0], range[1])
            .map((t) => t.value)
            .join('');
          if (!/^-?\d+$/.test(text)) throw new Unevaluable(`index ${text}`);
          return Number(text);
        };
        if (!hasColon) value = value.at(num(parts[0]));
        else {
          // [a:b], [:b], [a:]
          const inner = tk.slice(i + 1, close);
          const colon = inner.findIndex((t) => t.value === ':');
          const a = colon === 0 ? 0 : num([i + 1, i + 1 + colon]);
          const b = i + 2 + colon === close ? value.length : num([i + 2 + colon, close]);
          value = value.slice(a, b);
        }
        i = close + 1;
        continue;
      }
      throw new Unevaluable(`postfix ${tk[i].value}`);
    }
    return value;
  }

  /** Returns [value, next index]. */
  evalAtom(start, end) {
    const tk = this.tokens;
    const t = tk[start];
    if (t.type === 'string') {
      let i = start;
      let value = '';
      while (i < end && tk[i].type === 'string') {
        const s = tk[i];
        if (s.prefix.includes('f') && /[{}]/.test(s.value)) throw new Unevaluable('f-string');
        if (s.prefix.includes('b')) throw new Unevaluable('bytes literal');
        value += s.value;
        i++;
      }
      return [value, i];
    }
    if (t.type === 'number') return [pyNumber(t.value), start + 1];
    if (t.type === 'op' && t.value === '-' && tk[start + 1]?.type === 'number') return [-pyNumber(tk[start + 1].value), start + 2];
    if (t.type === 'name') {
      if (t.value === 'textwrap' && tk[start + 1]?.value === '.' && tk[start + 2]?.value === 'dedent' && tk[start + 3]?.value === '(') {
        const close = matchingPy(tk, start + 3);
        const arg = this.evalRange(start + 4, close);
        if (typeof arg !== 'string') throw new Unevaluable('textwrap.dedent of a non-string');
        return [dedent(arg), close + 1];
      }
      if (tk[start + 1]?.value === '(') throw new Unevaluable(`call ${t.value}()`);
      if (tk[start + 1]?.value === '.' && tk[start + 3]?.value !== '(')
        throw new Unevaluable(`attribute ${t.value}.${tk[start + 2]?.value}`);
      return [this.lookup(t.value), start + 1];
    }
    if (t.type === 'op' && (t.value === '(' || t.value === '[')) {
      const close = matchingPy(tk, start);
      if (close === start + 1) return [[], close + 1];
      const parts = splitTopPy(tk, start + 1, close);
      const trailingComma = tk[close - 1].value === ',';
      if (t.value === '(' && parts.length === 1 && !trailingComma) return [this.evalRange(start + 1, close), close + 1];
      if (parts.some(([a]) => tk[a].type === 'name' && tk[a + 1]?.value === 'for')) throw new Unevaluable('comprehension');
      return [parts.map(([a, b]) => this.evalRange(a, b)), close + 1];
    }
    throw new Unevaluable(`token ${t.value}`);
  }
}
