// A small Go reader for test tables: a tokenizer (with Go's automatic semicolons) and an
// evaluator for the string expressions test files build their inputs from — string
// literals, named constants and variables, `+`, fmt.Sprintf, strings.Repeat/ToUpper/
// ToLower/Join/ReplaceAll, []string{…} and append(…). Anything else throws Unevaluable,
// so the caller can skip the case and count it.

export class Unevaluable extends Error {}

const PUNCT = /:=|\.\.\.|==|!=|<=|>=|&&|\|\||<-|\+\+|--|\+=|-=|\*=|\/=|<<|>>|&\^|[-+*/%&|^<>=!(){}[\],;:.~]/y;
const IDENT = /[\p{L}_][\p{L}\p{N}_]*/uy;
const NUMBER = /[0-9][0-9a-zA-Z_.]*|\.[0-9][0-9a-zA-Z_]*/y;
const SEMI_AFTER = new Set(['ident', 'string', 'number', 'rune']);
const SEMI_AFTER_PUNCT = new Set([')', ']', '}', '++', '--']);
const SEMI_AFTER_KEYWORD = new Set(['return', 'break', 'continue', 'fallthrough']);
const KEYWORDS = new Set([
  'break',
  'case',
  'chan',
  'const',
  'continue',
  'default',
  'defer',
  'else',
  'fallthrough',
  'for',
  'func',
  'go',
  'goto',
  'if',
  'import',
  'interface',
  'map',
  'package',
  'range',
  'return',
  'select',
  'struct',
  'switch',
  'type',
  'var',
]);

/** Go's interpreted-string escapes. */
function unescapeGo(body) {
  return body.replace(/\\(?:([abfnrtv\\'"])|x([0-9a-fA-F]{2})|u([0-9a-fA-F]{4})|U([0-9a-fA-F]{8})|([0-7]{3}))/g, (_, c, x, u, U, o) => {
    if (c) return { a: '\x07', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v', '\\': '\\', "'": "'", '"': '"' }[c];
    if (x) return String.fromCharCode(parseInt(x, 16));
    if (u) return String.fromCodePoint(parseInt(u, 16));
    if (U) return String.fromCodePoint(parseInt(U, 16));
    return String.fromCharCode(parseInt(o, 8));
  });
}

/**
 * Tokens of a Go file: { type: ident|string|number|rune|punct, value, line }, with `;`
 * inserted at line ends the way the Go spec does. Strings carry their decoded value.
 */
export function tokenizeGo(src) {
  const tokens = [];
  let i = 0;
  let line = 1;
  const push = (type, value) => tokens.push({ type, value, line });
  const needsSemi = () => {
    const last = tokens.at(-1);
    if (!last) return false;
    if (last.type === 'ident') return !KEYWORDS.has(last.value) || SEMI_AFTER_KEYWORD.has(last.value);
    return SEMI_AFTER.has(last.type) || (last.type === 'punct' && SEMI_AFTER_PUNCT.has(last.value));
  };
  while (i < src.length) {
    const ch = src[i];
    if (ch === '\n') {
      if (needsSemi()) push('punct', ';');
      line++;
      i++;
      continue;
    }
    if (ch === ' ' || ch === '\t' || ch === '\r') {
      i++;
      continue;
    }
    if (src.startsWith('//', i)) {
      const end = src.indexOf('\n', i);
      i = end < 0 ? src.length : end;
      continue;
    }
    if (src.startsWith('/*', i)) {
      const end = src.indexOf('*/', i + 2);
      const stop = end < 0 ? src.length : end + 2;
      const newlines = (src.slice(i, stop).match(/\n/g) ?? []).length;
      if (newlines && needsSemi()) push('punct', ';');
      line += newlines;
      i = stop;
      continue;
    }
    if (ch === '`') {
      const end = src.indexOf('`', i + 1);
      if (end < 0) throw new Error(`unterminated raw string at line ${line}`);
      const raw = src.slice(i + 1, end);
      push('string', raw.replace(/\r/g, ''));
      line += (raw.match(/\n/g) ?? []).length;
      i = end + 1;
      continue;
    }
    if (ch === '"' || ch === "'") {
      let j = i + 1;
      while (j < src.length && src[j] !== ch && src[j] !== '\n') j += src[j] === '\\' ? 2 : 1;
      const body = src.slice(i + 1, j);
      push(ch === '"' ? 'string' : 'rune', unescapeGo(body));
      i = j + 1;
      continue;
    }
    for (const [type, re] of [
      ['number', NUMBER],
      ['ident', IDENT],
      ['punct', PUNCT],
    ]) {
      re.lastIndex = i;
      const m = re.exec(src);
      if (m) {
        push(type, m[0]);
        i += m[0].length;
        break;
      }
      if (type === 'punct') i++; // an unknown character: skip it
    }
  }
  if (needsSemi()) push('punct', ';');
  return tokens;
}

const OPEN = { '(': ')', '[': ']', '{': '}' };
const CLOSE = new Set([')', ']', '}']);

/** Index of the bracket that closes the one at `open`. */
export function matching(tokens, open) {
  let depth = 0;
  for (let i = open; i < tokens.length; i++) {
    const t = tokens[i];
    if (t.type !== 'punct') continue;
    if (OPEN[t.value]) depth++;
    else if (CLOSE.has(t.value) && --depth === 0) return i;
  }
  throw new Unevaluable('unbalanced brackets');
}

/** Index of the unmatched `{` that encloses position `at`, or -1. */
export function enclosingBrace(tokens, at) {
  let depth = 0;
  for (let i = at - 1; i >= 0; i--) {
    const t = tokens[i];
    if (t.type !== 'punct') continue;
    if (CLOSE.has(t.value)) depth++;
    else if (OPEN[t.value]) {
      if (depth === 0) return t.value === '{' ? i : -1;
      depth--;
    }
  }
  return -1;
}

/** Splits tokens[start, end) at depth-0 `sep` tokens; empty trailing parts are dropped. */
export function splitTop(tokens, start, end, sep = ',') {
  const parts = [];
  let depth = 0;
  let from = start;
  for (let i = start; i < end; i++) {
    const t = tokens[i];
    if (t.type !== 'punct') continue;
    if (OPEN[t.value]) depth++;
    else if (CLOSE.has(t.value)) depth--;
    else if (depth === 0 && t.value === sep) {
      parts.push([from, i]);
      from = i + 1;
    }
  }
  if (from < end) parts.push([from, end]);
  return parts.filter(([a, b]) => !(b - a === 1 && tokens[a].value === ';') && b > a);
}

/** Drops `;` tokens the tokenizer inserted at the edges of a range. */
function trim(tokens, start, end) {
  while (start < end && tokens[start].value === ';' && tokens[start].type === 'punct') start++;
  while (end > start && tokens[end - 1].value === ';' && tokens[end - 1].type === 'punct') end--;
  return [start, end];
}

/** fmt.Sprintf for the verbs test tables use: %s %v %q %d %x (of strings), %%, %[n]s, widths. */
export function sprintf(format, args) {
  let next = 0;
  const out = format.replace(/%(?:\[(\d+)\])?([-+ #0]*)(\d*)(?:\.(\d+))?([a-zA-Z%])/g, (whole, index, flags, width, precision, verb) => {
    if (verb === '%') return '%';
    const argIndex = index ? Number(index) - 1 : next;
    next = argIndex + 1;
    if (argIndex >= args.length) throw new Unevaluable(`Sprintf: missing argument for ${whole}`);
    let value = args[argIndex];
    if (Array.isArray(value)) throw new Unevaluable('Sprintf: list argument');
    switch (verb) {
      case 's':
      case 'v':
      case 'd':
        break;
      case 'q':
        value = JSON.stringify(value);
        break;
      case 'x':
        value = Buffer.from(value).toString('hex');
        break;
      default:
        throw new Unevaluable(`Sprintf: verb %${verb}`);
    }
    if (precision) value = value.slice(0, Number(precision));
    if (width && value.length < Number(width))
      value = flags.includes('-') ? value.padEnd(Number(width)) : value.padStart(Number(width), flags.includes('0') ? '0' : ' ');
    return value;
  });
  return out;
}

/**
 * Definitions in one file: name -> [{ pos, start, end }] for `const`/`var` declarations
 * (single or grouped), `name := expr` and `name = expr`. Multi-name forms are skipped.
 */
export function collectDefinitions(tokens) {
  const defs = new Map();
  const add = (name, pos, start, end) => {
    if (!defs.has(name)) defs.set(name, []);
    defs.get(name).push({ pos, start, end });
  };
  /** `NAME [TYPE] = expr` within [start, end). */
  const declSpec = (start, end) => {
    if (tokens[start]?.type !== 'ident') return;
    let eq = -1;
    let depth = 0;
    for (let i = start + 1; i < end; i++) {
      const t = tokens[i];
      if (t.type !== 'punct') continue;
      if (OPEN[t.value]) depth++;
      else if (CLOSE.has(t.value)) depth--;
      else if (depth === 0 && t.value === ',' && eq < 0)
        return; // a, b = …
      else if (depth === 0 && t.value === '=') {
        eq = i;
        break;
      }
    }
    if (eq < 0 || eq > start + 8) return; // NAME [TYPE] = …: a type is a few tokens ([]string, map[string]string)
    add(tokens[start].value, start, eq + 1, end);
  };
  const statementEnd = (from) => {
    let depth = 0;
    for (let i = from; i < tokens.length; i++) {
      const t = tokens[i];
      if (t.type !== 'punct') continue;
      if (OPEN[t.value]) depth++;
      else if (CLOSE.has(t.value)) {
        if (depth === 0) return i;
        depth--;
      } else if (depth === 0 && t.value === ';') return i;
    }
    return tokens.length;
  };
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i];
    if (t.type === 'ident' && (t.value === 'const' || t.value === 'var')) {
      if (tokens[i + 1]?.value === '(') {
        const close = matching(tokens, i + 1);
        for (const [a, b] of splitTop(tokens, i + 2, close, ';')) declSpec(a, b);
        i = close;
      } else {
        const end = statementEnd(i + 1);
        declSpec(i + 1, end);
      }
      continue;
    }
    if (t.type === 'ident' && (tokens[i + 1]?.value === ':=' || tokens[i + 1]?.value === '=')) {
      const prev = tokens[i - 1];
      if (prev && !(prev.type === 'punct' && (prev.value === ';' || prev.value === '{' || prev.value === '}'))) continue;
      const end = statementEnd(i + 2);
      add(t.value, i, i + 2, end);
    }
  }
  return defs;
}

/**
 * Evaluates expressions of one file. `lookup(name, pos)` falls back to other files of the
 * same package (for constants shared between test files) when the file has no definition.
 */
export class GoEvaluator {
  constructor(tokens, { fallback } = {}) {
    this.tokens = tokens;
    this.defs = collectDefinitions(tokens);
    this.fallback = fallback;
    this.active = new Set();
  }

  /** Value of `name` as seen from token position `pos`: the nearest definition before it, else any. */
  lookup(name, pos) {
    const list = this.defs.get(name);
    if (list?.length) {
      const before = list.filter((d) => d.pos < pos);
      const def = before.at(-1) ?? list[0];
      const key = `${name}@${def.pos}`;
      if (this.active.has(key)) throw new Unevaluable(`recursive definition of ${name}`);
      this.active.add(key);
      try {
        return this.evalRange(def.start, def.end);
      } finally {
        this.active.delete(key);
      }
    }
    if (this.fallback) return this.fallback(name);
    throw new Unevaluable(`unknown identifier ${name}`);
  }

  /** Evaluates tokens[start, end): a string, a number (as its source text), a list of them, or null (nil). */
  evalRange(start, end) {
    [start, end] = trim(this.tokens, start, end);
    if (start >= end) throw new Unevaluable('empty expression');
    const terms = splitTop(this.tokens, start, end, '+');
    if (terms.length > 1) {
      const values = terms.map(([a, b]) => this.evalRange(a, b));
      if (values.some((v) => typeof v !== 'string')) throw new Unevaluable('+ of non-strings');
      return values.join('');
    }
    return this.evalOperand(start, end);
  }

  evalOperand(start, end) {
    const tk = this.tokens;
    const t = tk[start];
    if (end - start === 1) {
      if (t.type === 'string') return t.value;
      if (t.type === 'number') return t.value.replace(/_/g, '');
      if (t.type === 'ident') {
        if (t.value === 'nil') return null;
        if (t.value === 'true' || t.value === 'false') return t.value === 'true';
        return this.lookup(t.value, start);
      }
      throw new Unevaluable(`token ${t.value}`);
    }
    if (t.value === '(' && matching(tk, start) === end - 1) return this.evalRange(start + 1, end - 1);
    // []string{…} / []T{…}: a list.
    if (t.value === '[' && tk[start + 1]?.value === ']') {
      let brace = start + 2;
      while (brace < end && tk[brace].value !== '{') brace++;
      if (brace >= end || matching(tk, brace) !== end - 1) throw new Unevaluable('composite literal');
      return this.evalList(brace + 1, end - 1);
    }
    // Call: [pkg.]name( args ) [...]
    let nameEnd = start;
    while (nameEnd + 2 < end && tk[nameEnd + 1]?.value === '.' && tk[nameEnd + 2]?.type === 'ident') nameEnd += 2;
    const open = nameEnd + 1;
    if (t.type === 'ident' && tk[open]?.value === '(') {
      const close = matching(tk, open);
      let tail = close + 1;
      const spread = tail < end && tk[tail].value === '...';
      if (spread) tail++;
      if (tail !== end) throw new Unevaluable('expression after a call');
      const name = tk
        .slice(start, nameEnd + 1)
        .map((x) => x.value)
        .join('');
      return this.call(
        name,
        splitTop(tk, open + 1, close).map(([a, b]) => trim(tk, a, b)),
        start,
        spread,
      );
    }
    // pkg.Const (another package's constant): not evaluable here.
    throw new Unevaluable(
      `expression ${tk
        .slice(start, Math.min(end, start + 4))
        .map((x) => x.value)
        .join(' ')}`,
    );
  }

  /** Elements of a list literal body; `a...` spreads are not allowed inside a literal. */
  evalList(start, end) {
    return splitTop(this.tokens, start, end).map(([a, b]) => this.evalRange(a, b));
  }

  call(name, argRanges, pos, spreadResult = false) {
    if (spreadResult) throw new Unevaluable(`${name}(…)... outside append`);
    // `xs...` as the last argument (append's spread): evaluate without the dots.
    let spread = false;
    const last = argRanges.at(-1);
    if (last && this.tokens[last[1] - 1]?.value === '...') {
      spread = true;
      argRanges = [...argRanges.slice(0, -1), [last[0], last[1] - 1]];
    }
    const args = () => argRanges.map(([a, b]) => this.evalRange(a, b));
    const str = (v) => {
      if (typeof v !== 'string') throw new Unevaluable(`${name}: non-string argument`);
      return v;
    };
    switch (name) {
      case 'fmt.Sprintf': {
        const [format, ...rest] = args();
        return sprintf(
          str(format),
          rest.map((v) => (typeof v === 'boolean' ? String(v) : v)),
        );
      }
      case 'strings.Repeat': {
        const [s, n] = args();
        return str(s).repeat(Number(n));
      }
      case 'strings.ToUpper':
        return str(args()[0]).toUpperCase();
      case 'strings.ToLower':
        return str(args()[0]).toLowerCase();
      case 'strings.TrimSpace':
        return str(args()[0]).trim();
      case 'strings.ReplaceAll': {
        const [s, a, b] = args().map(str);
        return s.split(a).join(b);
      }
      case 'strings.Join': {
        const [list, sep] = args();
        if (!Array.isArray(list)) throw new Unevaluable('strings.Join of a non-list');
        return list.map(str).join(str(sep));
      }
      case 'string':
        return str(args()[0]);
      case 'append': {
        const values = args();
        const [first, ...rest] = values;
        if (first !== null && !Array.isArray(first)) throw new Unevaluable('append to a non-list');
        const out = [...(first ?? [])];
        rest.forEach((v, i) => {
          if (spread && i === rest.length - 1) out.push(...(v ?? []));
          else out.push(v);
        });
        return out;
      }
      default: {
        if (this.calls?.[name]) return this.calls[name](args(), pos);
        throw new Unevaluable(`call ${name}`);
      }
    }
  }
}

/** Reads a Go value as a list of strings, or throws Unevaluable. */
export function asStrings(value) {
  if (value === null) return [];
  if (!Array.isArray(value)) throw new Unevaluable('not a list');
  return value.map((v) => {
    if (typeof v !== 'string') throw new Unevaluable('list of non-strings');
    return v;
  });
}
