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
 * Look-around bodies are checked like the rest: they backtrack where they stand.
 * An escape or class the parser does not know is treated as matching any
 * character, so it can only make the check stricter; syntax it cannot read at all
 * (a group or class form it does not follow) is refused, never passed as safe.
 */

import { canBeEmpty, emptySet, firstOf, intersects, parseRegex, union, type CharSet, type Node } from './regex-ast.js';

export interface RegexSafetyOptions {
  /** Rule regexes run over whole lines: a leading unbounded repetition is refused too. */
  scansLines?: boolean;
}

/** The reason a regex is unsafe, or undefined when it passes the check. */
export function regexSafetyProblem(source: string, flags = '', options: RegexSafetyOptions = {}): string | undefined {
  let ast: Node;
  try {
    ast = parseRegex(source, flags);
  } catch (error) {
    // The RegExp constructor has already accepted it: valid syntax this check cannot read.
    return `cannot be checked for catastrophic backtracking: the check does not follow ${(error as Error).message}; write it without that construct`;
  }
  const problem = findProblem(ast);
  if (problem) return problem;
  if (options.scansLines && startsUnbounded(ast)) {
    return 'can begin with an unbounded repetition (* + {n,}), which restarts at every position of a long line; give it an upper bound such as {1,200}';
  }
  return undefined;
}

// ---------------------------------------------------------------------------
// Analysis

/** Every character the node can consume. */
function charsOf(node: Node): CharSet {
  switch (node.kind) {
    case 'seq':
      return node.items.map(charsOf).reduce(union, emptySet());
    case 'alt':
      return node.alts.map(charsOf).reduce(union, emptySet());
    case 'group':
      return charsOf(node.body);
    case 'look':
      return emptySet();
    case 'atom':
      return node.set;
    case 'zero':
      return emptySet();
    case 'quant':
      return charsOf(node.body);
  }
}

/** Quantifiers inside `node` (not below lookarounds, which are zero-width) that can repeat a variable number of times. */
function variableRepeats(node: Node, out: Node[] = []): Node[] {
  switch (node.kind) {
    case 'seq':
      node.items.forEach((n) => variableRepeats(n, out));
      break;
    case 'alt':
      node.alts.forEach((n) => variableRepeats(n, out));
      break;
    case 'group':
      variableRepeats(node.body, out);
      break;
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
    case 'look':
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

/**
 * True when a match can begin with an unbounded repetition of something, here or
 * in a look-around it begins with (a look-behind reads backwards, so any unbounded
 * repetition in it counts).
 */
function startsUnbounded(node: Node): boolean {
  switch (node.kind) {
    case 'seq':
      for (const item of node.items) {
        if (startsUnbounded(item)) return true;
        if (!canBeEmpty(item)) return false;
      }
      return false;
    case 'alt':
      return node.alts.some(startsUnbounded);
    case 'group':
      return startsUnbounded(node.body);
    case 'look':
      return node.behind ? hasUnbounded(node.body) : startsUnbounded(node.body);
    case 'quant':
      return node.max === Infinity || startsUnbounded(node.body);
    default:
      return false;
  }
}

function hasUnbounded(node: Node): boolean {
  switch (node.kind) {
    case 'seq':
      return node.items.some(hasUnbounded);
    case 'alt':
      return node.alts.some(hasUnbounded);
    case 'group':
    case 'look':
      return hasUnbounded(node.body);
    case 'quant':
      return node.max === Infinity || hasUnbounded(node.body);
    default:
      return false;
  }
}
