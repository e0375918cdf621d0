/**
 * Code languages (Python, JavaScript/TypeScript, Go, Ruby, PHP, Java, C#): a small
 * lexer tells strings and comments apart, and a key that is a whole string literal
 * becomes the language's environment lookup.
 */
import { TYPOGRAPHIC_QUOTES, type Edit, type SecretTarget, type SkipReason } from './edit.js';
import { lookupExpression, type Language } from './languages.js';

interface Syntax {
  lineComments: string[];
  blockComments: [string, string][];
  quotes: string;
  /** Quotes whose strings may span lines (JS templates, Go raw strings). */
  multilineQuotes: string;
  /** Quotes without backslash escapes (Go raw strings). */
  rawQuotes: string;
  tripleQuotes: boolean;
  /** Letters that may precede a quote and belong to the literal (r"…", @"…"). */
  prefix?: RegExp;
}

const C_LIKE: Syntax = {
  lineComments: ['//'],
  blockComments: [['/*', '*/']],
  quotes: `"'`,
  multilineQuotes: '',
  rawQuotes: '',
  tripleQuotes: false,
};

const SYNTAX: Partial<Record<Language, Syntax>> = {
  python: {
    lineComments: ['#'],
    blockComments: [],
    quotes: `"'`,
    multilineQuotes: '',
    rawQuotes: '',
    tripleQuotes: true,
    prefix: /[rRuUbBfF]{1,2}$/,
  },
  javascript: { ...C_LIKE, quotes: '"\'`', multilineQuotes: '`' },
  go: { ...C_LIKE, quotes: '"\'`', multilineQuotes: '`', rawQuotes: '`' },
  ruby: {
    lineComments: ['#'],
    blockComments: [['\n=begin', '\n=end']],
    quotes: `"'`,
    multilineQuotes: '',
    rawQuotes: '',
    tripleQuotes: false,
  },
  php: { ...C_LIKE, lineComments: ['//', '#'] },
  java: { ...C_LIKE, tripleQuotes: true },
  csharp: { ...C_LIKE, tripleQuotes: true, prefix: /[@$]{1,2}$/ },
};

type LexState = { kind: 'code' } | { kind: 'comment' } | { kind: 'string'; start: number; quote: string; triple: boolean };

/** Where `offset` falls: in code, in a comment, or inside a string opened at `start`. */
function lexStateAt(content: string, offset: number, syntax: Syntax): LexState {
  let i = 0;
  while (i < offset) {
    const block = syntax.blockComments.find(([open]) => content.startsWith(open, i));
    if (block) {
      const close = content.indexOf(block[1], i + block[0].length);
      if (close === -1 || close + block[1].length > offset) return { kind: 'comment' };
      i = close + block[1].length;
      continue;
    }
    if (syntax.lineComments.some((marker) => content.startsWith(marker, i))) {
      const newline = content.indexOf('\n', i);
      if (newline === -1 || newline > offset) return { kind: 'comment' };
      i = newline;
      continue;
    }
    const quote = content[i]!;
    if (syntax.quotes.includes(quote)) {
      const triple = syntax.tripleQuotes && content.startsWith(quote.repeat(3), i);
      const close = closingQuote(content, i, quote, triple, syntax);
      if (close >= offset) return { kind: 'string', start: i, quote, triple };
      i = close + (triple ? 3 : 1);
      continue;
    }
    i++;
  }
  return { kind: 'code' };
}

/** Index of the closing quote of the string opened at `open` (or where it ends unterminated). */
function closingQuote(content: string, open: number, quote: string, triple: boolean, syntax: Syntax): number {
  const delimiter = triple ? quote.repeat(3) : quote;
  const escapes = !syntax.rawQuotes.includes(quote);
  const multiline = triple || syntax.multilineQuotes.includes(quote);
  for (let j = open + delimiter.length; j < content.length; j++) {
    const ch = content[j];
    if (escapes && ch === '\\') {
      j++;
      continue;
    }
    if (content.startsWith(delimiter, j)) return j;
    if (ch === '\n' && !multiline) return j;
  }
  return content.length;
}

export function codeEdit(
  language: Language,
  content: string,
  offset: number,
  target: SecretTarget,
  path = '',
): Edit | { reason: SkipReason } {
  const syntax = SYNTAX[language]!;
  const end = offset + target.secret.length;
  const lookup = lookupExpression(language, target.envVar, content, path);
  const state = lexStateAt(content, offset, syntax);
  if (state.kind === 'comment') return { reason: 'in-comment' };
  if (state.kind === 'code') {
    // Typographic quotes are no string delimiters anywhere: pasted from a web page.
    if (TYPOGRAPHIC_QUOTES.includes(content[offset - 1] ?? '') && TYPOGRAPHIC_QUOTES.includes(content[end] ?? '')) {
      return { start: offset - 1, end: end + 1, text: lookup };
    }
    return { reason: 'not-a-string-literal' };
  }
  if (state.triple) return { reason: 'multiline-string' };
  const wholeLiteral = state.start === offset - 1 && content[end] === state.quote;
  if (!wholeLiteral) {
    // Inside a JS template literal the lookup can be interpolated safely.
    // (A template accepts string | undefined: no `!` needed there.)
    if (language === 'javascript' && state.quote === '`') return { start: offset, end, text: `\${${lookup.replace(/!$/, '')}}` };
    return { reason: 'inside-longer-string' };
  }
  const prefix = syntax.prefix?.exec(content.slice(Math.max(0, state.start - 2), state.start))?.[0] ?? '';
  const prefixStart = state.start - prefix.length;
  // A letter before the prefix means it is part of an identifier, not a string prefix.
  if (prefix && /[A-Za-z0-9_]/.test(content[prefixStart - 1] ?? '')) return { start: state.start, end: end + 1, text: lookup };
  if (language === 'python' && /b/i.test(prefix)) return { reason: 'bytes-literal' };
  const constant = constantContext(language, content, prefixStart);
  if (constant) return { reason: constant };
  // Python joins adjacent literals ('a' 'b'): a call next to a literal does not parse.
  if (language === 'python' && adjacentLiteral(content, prefixStart, end + 1)) return { reason: 'inside-longer-string' };
  // A JSX attribute takes an expression only in braces: key="…" → key={process.env.X}.
  if (/\.(jsx|tsx)$/i.test(path) && isJsxAttributeValue(content, prefixStart))
    return { start: prefixStart, end: end + 1, text: `{${lookup}}` };
  return { start: prefixStart, end: end + 1, text: lookup };
}

/**
 * Where the language needs a compile-time constant, an environment lookup does not
 * compile: Go and C# `const`, Java `case` labels and annotation values (and a
 * `static final` field used in one).
 */
function constantContext(language: Language, content: string, literalStart: number): SkipReason | undefined {
  const statement = statementBefore(content, literalStart);
  const line = content.slice(content.lastIndexOf('\n', literalStart - 1) + 1, literalStart);
  if (language === 'go' && (/^\s*const\b/.test(line) || insideGoConstBlock(content, literalStart))) return 'constant-declaration';
  if (language === 'csharp' && /\bconst\b/.test(statement)) return 'constant-declaration';
  if (language !== 'java') return undefined;
  if (/\bcase\s*$/.test(statement) || /@\w+(\.\w+)*\s*\([^)]*$/.test(statement)) return 'switch-or-annotation-constant';
  const field = /\bstatic\s+final\b[^=;]*?\b(\w+)\s*=\s*$/.exec(statement) ?? /\bfinal\s+static\b[^=;]*?\b(\w+)\s*=\s*$/.exec(statement);
  if (!field) return undefined;
  const name = field[1]!;
  const used = new RegExp(`\\bcase\\s+(\\w+\\.)*${name}\\b|@\\w+(\\.\\w+)*\\s*\\([^)]*\\b${name}\\b`);
  return used.test(content) ? 'switch-or-annotation-constant' : undefined;
}

/** The text of the current statement up to `offset` (from the previous `;`, `{`, `}` or line start of a declaration). */
function statementBefore(content: string, offset: number): string {
  const start = Math.max(content.lastIndexOf(';', offset - 1), content.lastIndexOf('{', offset - 1), content.lastIndexOf('}', offset - 1));
  return content.slice(start + 1, offset);
}

function insideGoConstBlock(content: string, offset: number): boolean {
  const open = content.lastIndexOf('const (', offset);
  return open !== -1 && !content.slice(open, offset).includes(')');
}

function adjacentLiteral(content: string, start: number, end: number): boolean {
  const before = /(["'])[ \t]*$/.test(content.slice(content.lastIndexOf('\n', start - 1) + 1, start));
  const afterLine = content.slice(end, content.indexOf('\n', end) === -1 ? content.length : content.indexOf('\n', end));
  return before || /^[ \t]*[rRuUbBfF]{0,2}["']/.test(afterLine);
}

function isJsxAttributeValue(content: string, start: number): boolean {
  if (!/[\w-]=$/.test(content.slice(Math.max(0, start - 2), start))) return false;
  const before = content.slice(0, start);
  return before.lastIndexOf('<') > before.lastIndexOf('>');
}
