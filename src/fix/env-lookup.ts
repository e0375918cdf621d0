/**
 * Rewrites a key literal (quotes included) into the language's own environment
 * lookup. Pure: (path, content, targets) → new content, or the reason no safe
 * rewrite exists, in which case the caller leaves the file untouched.
 *
 * Every occurrence of each secret in the file is rewritten, not only the reported
 * position: a copy left behind would still leak, and the working-tree file (whose
 * line numbers differ from the staged blob) is located the same way.
 */
import { lineEndingOf } from './text-codec.js';

export type Language =
  | 'python'
  | 'javascript'
  | 'go'
  | 'ruby'
  | 'php'
  | 'java'
  | 'csharp'
  | 'shell'
  | 'dockerfile'
  | 'yaml'
  | 'github-actions'
  | 'npmrc';

/** Why a file is left untouched. Message texts live in messages.ts. */
export type SkipReason =
  | 'unknown-language'
  | 'json'
  | 'in-comment'
  | 'inside-longer-string'
  | 'multiline-string'
  | 'bytes-literal'
  | 'not-a-string-literal'
  | 'not-found';

export interface SecretTarget {
  secret: string;
  envVar: string;
}

export type RewriteResult =
  | { ok: true; content: string; language: Language; replacements: number }
  | { ok: false; reason: SkipReason; language?: Language };

interface Edit {
  start: number;
  end: number;
  text: string;
}

const TYPOGRAPHIC_QUOTES = '\u2018\u2019\u201c\u201d';

/** `.env`, `.env.local`, `production.env` …: files that are themselves env files. */
export function isDotenvFile(path: string): boolean {
  const name = basename(path);
  return name === '.env' || name.startsWith('.env.') || name.endsWith('.env');
}

/** Language of a file from its path, then its shebang. `json` and unknown files get undefined. */
export function languageOf(path: string, content = ''): Language | undefined {
  const name = basename(path);
  const lower = name.toLowerCase();
  const ext = lower.includes('.') ? lower.slice(lower.lastIndexOf('.')) : '';
  if (/(^|\/)\.github\/workflows\/[^/]+\.ya?ml$/.test(path)) return 'github-actions';
  if (lower === 'dockerfile' || lower.startsWith('dockerfile.') || ext === '.dockerfile') return 'dockerfile';
  if (lower === '.npmrc') return 'npmrc';
  if (lower === 'rakefile' || lower === 'gemfile') return 'ruby';
  const byExt = EXTENSIONS[ext];
  if (byExt) return byExt;
  const shebang = /^(?:\uFEFF)?#!\s*(\S+)(?:\s+(\S+))?/.exec(content);
  if (shebang) {
    const program = basename(shebang[1] === '/usr/bin/env' || shebang[1]?.endsWith('/env') ? (shebang[2] ?? '') : shebang[1]!);
    if (/^python[0-9.]*$/.test(program)) return 'python';
    if (/^(ba|z|k|da)?sh$/.test(program)) return 'shell';
    if (program === 'node') return 'javascript';
    if (program === 'ruby') return 'ruby';
    if (program === 'php') return 'php';
  }
  return undefined;
}

const EXTENSIONS: Record<string, Language> = {
  '.py': 'python', '.pyw': 'python',
  '.js': 'javascript', '.mjs': 'javascript', '.cjs': 'javascript', '.jsx': 'javascript',
  '.ts': 'javascript', '.tsx': 'javascript', '.mts': 'javascript', '.cts': 'javascript',
  '.go': 'go',
  '.rb': 'ruby',
  '.php': 'php',
  '.java': 'java',
  '.cs': 'csharp',
  '.sh': 'shell', '.bash': 'shell', '.zsh': 'shell',
  '.yml': 'yaml', '.yaml': 'yaml',
};

/** The expression that reads NAME from the environment (for code languages). */
export function lookupExpression(language: Language, envVar: string, content = ''): string {
  switch (language) {
    case 'python': return `os.getenv("${envVar}")`;
    case 'javascript': return `process.env.${envVar}`;
    case 'go': return goLookup(goOsImport(content), envVar);
    case 'ruby': return `ENV["${envVar}"]`;
    case 'php': return `getenv('${envVar}')`;
    case 'java': return `System.getenv("${envVar}")`;
    case 'csharp':
      return /^\s*using\s+System\s*;/m.test(content)
        ? `Environment.GetEnvironmentVariable("${envVar}")`
        : `System.Environment.GetEnvironmentVariable("${envVar}")`;
    case 'github-actions': return `\${{ secrets.${actionsSecretName(envVar)} }}`;
    default: return `\${${envVar}}`;
  }
}

/** GitHub reserves the GITHUB_ prefix (secrets.GITHUB_TOKEN is the workflow's own token). */
export function actionsSecretName(envVar: string): string {
  return envVar.startsWith('GITHUB_') ? `GH_${envVar.slice('GITHUB_'.length)}` : envVar;
}

export function rewriteSecrets(path: string, content: string, targets: readonly SecretTarget[]): RewriteResult {
  if (/\.json5?$|\.jsonc$|\.ipynb$/i.test(path)) return { ok: false, reason: 'json' };
  const language = languageOf(path, content);
  if (!language) return { ok: false, reason: 'unknown-language' };

  const edits: Edit[] = [];
  // Longest secrets first, so a secret contained in another is not rewritten twice.
  const ordered = [...targets].sort((a, b) => b.secret.length - a.secret.length);
  for (const target of ordered) {
    const offsets = occurrences(content, target.secret).filter((o) => !edits.some((e) => o >= e.start && o < e.end));
    if (offsets.length === 0 && !edits.some((e) => content.slice(e.start, e.end).includes(target.secret))) {
      return { ok: false, reason: 'not-found', language };
    }
    for (const offset of offsets) {
      const edit = LINE_BASED.has(language)
        ? lineBasedEdit(language, content, offset, target)
        : codeEdit(language, content, offset, target);
      if ('reason' in edit) return { ok: false, reason: edit.reason, language };
      edits.push(edit);
    }
  }

  let next = applyEdits(content, edits);
  if (language === 'python' && edits.length > 0) next = ensurePythonImportOs(next);
  if (language === 'go' && edits.length > 0) next = ensureGoImportOs(next);
  return { ok: true, content: next, language, replacements: edits.length };
}

function occurrences(content: string, needle: string): number[] {
  const found: number[] = [];
  if (!needle) return found;
  for (let i = content.indexOf(needle); i !== -1; i = content.indexOf(needle, i + needle.length)) found.push(i);
  return found;
}

function applyEdits(content: string, edits: readonly Edit[]): string {
  let out = content;
  for (const edit of [...edits].sort((a, b) => b.start - a.start)) {
    out = out.slice(0, edit.start) + edit.text + out.slice(edit.end);
  }
  return out;
}

// ---------------------------------------------------------------------------
// Code languages: a small lexer tells strings and comments apart.

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
  lineComments: ['//'], blockComments: [['/*', '*/']], quotes: `"'`, multilineQuotes: '', rawQuotes: '', tripleQuotes: false,
};

const SYNTAX: Partial<Record<Language, Syntax>> = {
  python: { lineComments: ['#'], blockComments: [], quotes: `"'`, multilineQuotes: '', rawQuotes: '', tripleQuotes: true, prefix: /[rRuUbBfF]{1,2}$/ },
  javascript: { ...C_LIKE, quotes: '"\'`', multilineQuotes: '`' },
  go: { ...C_LIKE, quotes: '"\'`', multilineQuotes: '`', rawQuotes: '`' },
  ruby: { lineComments: ['#'], blockComments: [['\n=begin', '\n=end']], quotes: `"'`, multilineQuotes: '', rawQuotes: '', tripleQuotes: false },
  php: { ...C_LIKE, lineComments: ['//', '#'] },
  java: { ...C_LIKE, tripleQuotes: true },
  csharp: { ...C_LIKE, tripleQuotes: true, prefix: /[@$]{1,2}$/ },
};

type LexState =
  | { kind: 'code' }
  | { kind: 'comment' }
  | { kind: 'string'; start: number; quote: string; triple: boolean };

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

function codeEdit(language: Language, content: string, offset: number, target: SecretTarget): Edit | { reason: SkipReason } {
  const syntax = SYNTAX[language]!;
  const end = offset + target.secret.length;
  const lookup = lookupExpression(language, target.envVar, content);
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
    if (language === 'javascript' && state.quote === '`') return { start: offset, end, text: `\${${lookup}}` };
    return { reason: 'inside-longer-string' };
  }
  const prefix = syntax.prefix?.exec(content.slice(Math.max(0, state.start - 2), state.start))?.[0] ?? '';
  const prefixStart = state.start - prefix.length;
  // A letter before the prefix means it is part of an identifier, not a string prefix.
  if (prefix && /[A-Za-z0-9_]/.test(content[prefixStart - 1] ?? '')) return { start: state.start, end: end + 1, text: lookup };
  if (language === 'python' && /b/i.test(prefix)) return { reason: 'bytes-literal' };
  return { start: prefixStart, end: end + 1, text: lookup };
}

// ---------------------------------------------------------------------------
// Line-based formats: shell, Dockerfile, YAML, workflows, .npmrc.

const LINE_BASED = new Set<Language>(['shell', 'dockerfile', 'yaml', 'github-actions', 'npmrc']);

interface LineQuoteState {
  comment: boolean;
  /** The quote character open at the offset, if any, and where it opened. */
  quote?: string;
  openedAt?: number;
}

function lineQuoteState(language: Language, line: string, upTo: number): LineQuoteState {
  if (language === 'npmrc') return { comment: /^\s*[#;]/.test(line) };
  let quote: string | undefined;
  let openedAt: number | undefined;
  for (let i = 0; i < upTo; i++) {
    const ch = line[i]!;
    if (quote) {
      if (ch === '\\' && quote === '"') i++;
      else if (ch === quote) quote = undefined;
      continue;
    }
    if (ch === '\\' && language !== 'yaml' && language !== 'github-actions') i++;
    else if (ch === '"' || ch === "'") {
      quote = ch;
      openedAt = i;
    } else if (ch === '#' && (i === 0 || /\s/.test(line[i - 1]!))) return { comment: true };
  }
  return { comment: false, quote, openedAt: quote ? openedAt : undefined };
}

function lineBasedEdit(language: Language, content: string, offset: number, target: SecretTarget): Edit | { reason: SkipReason } {
  const lineStart = content.lastIndexOf('\n', offset - 1) + 1;
  const lineEndRaw = content.indexOf('\n', offset);
  const line = content.slice(lineStart, lineEndRaw === -1 ? content.length : lineEndRaw);
  const column = offset - lineStart;
  const end = offset + target.secret.length;
  const state = lineQuoteState(language, line, column);
  if (state.comment) return { reason: 'in-comment' };

  const lookup = lookupExpression(language, target.envVar);
  const before = content[offset - 1] ?? '';
  const after = content[end] ?? '';
  const typographic = TYPOGRAPHIC_QUOTES.includes(before) && TYPOGRAPHIC_QUOTES.includes(after) && !state.quote;
  const straight = state.quote !== undefined && state.openedAt === column - 1 && after === state.quote;
  const shellLike = language === 'shell' || language === 'dockerfile';

  if (straight || typographic) {
    const quote = straight && !shellLike ? state.quote! : '"';
    return { start: offset - 1, end: end + 1, text: `${quote}${lookup}${quote}` };
  }
  if (shellLike && state.quote === "'") return { reason: 'inside-longer-string' };
  if (shellLike && !state.quote && isWordBoundary(before, true) && isWordBoundary(after, false)) {
    return { start: offset, end, text: `"${lookup}"` };
  }
  return { start: offset, end, text: lookup };
}

function isWordBoundary(ch: string, leading: boolean): boolean {
  return ch === '' || /\s/.test(ch) || ch === ';' || (leading && ch === '=');
}

// ---------------------------------------------------------------------------
// Imports.

/**
 * Adds `import os` once: after a shebang, encoding line, leading comments, the module
 * docstring and `from __future__` imports (which must stay first), before other code.
 */
export function ensurePythonImportOs(content: string): string {
  if (pythonImportsOs(content)) return content;
  const eol = lineEndingOf(content);
  const lines = content.split('\n');
  const at = pythonImportLine(lines);
  if (at >= lines.length) {
    const needsNewline = content.length > 0 && !content.endsWith('\n');
    return content + (needsNewline ? eol : '') + 'import os' + eol;
  }
  const importLine = 'import os' + (eol === '\r\n' ? '\r' : '');
  if (at === 0 && lines[0]!.startsWith('\uFEFF')) {
    // The BOM must stay the first character of the file.
    lines.splice(0, 1, '\uFEFF' + importLine, lines[0]!.slice(1));
  } else {
    lines.splice(at, 0, importLine);
  }
  return lines.join('\n');
}

function pythonImportsOs(content: string): boolean {
  for (const match of content.matchAll(/^import[ \t]+([^\n#;]*)/gm)) {
    const modules = match[1]!.split(',').map((m) => m.trim());
    if (modules.some((m) => /^os(\.\w+)*$/.test(m))) return true;
  }
  return false;
}

/** Index of the line before which `import os` goes. */
function pythonImportLine(lines: readonly string[]): number {
  const text = (i: number) => (lines[i] ?? '').replace(/^\uFEFF/, '').replace(/\r$/, '');
  const isBlankOrComment = (i: number) => /^\s*(#.*)?$/.test(text(i));
  let i = 0;
  const skipBlankAndComments = () => {
    while (i < lines.length && isBlankOrComment(i)) i++;
  };
  skipBlankAndComments(); // shebang, encoding line and licence headers are comments
  const docstring = /^[rRuU]?("""|'''|"|')/.exec(text(i));
  if (docstring) i = endOfPythonString(lines, i, docstring[0].length - docstring[1]!.length, docstring[1]!) + 1;
  skipBlankAndComments();
  while (/^from[ \t]+__future__[ \t]+import\b/.test(text(i))) {
    i = endOfPythonStatement(lines, i) + 1;
    skipBlankAndComments();
  }
  return i;
}

function endOfPythonString(lines: readonly string[], line: number, column: number, quote: string): number {
  let rest = lines[line]!.replace(/^\uFEFF/, '').slice(column + quote.length);
  for (let i = line; i < lines.length; i++) {
    if (i > line) rest = lines[i]!;
    if (rest.replace(/\\./g, '').includes(quote)) return i;
    if (quote.length === 1) return i;
  }
  return lines.length - 1;
}

function endOfPythonStatement(lines: readonly string[], line: number): number {
  let depth = 0;
  for (let i = line; i < lines.length; i++) {
    const code = lines[i]!.replace(/#.*$/, '').replace(/\r$/, '');
    depth += (code.match(/\(/g)?.length ?? 0) - (code.match(/\)/g)?.length ?? 0);
    if (depth <= 0 && !code.endsWith('\\')) return i;
  }
  return lines.length - 1;
}

type GoOsImport = { kind: 'none' } | { kind: 'named'; name: string };

/** How the Go file already imports "os", if it does (`os`, an alias, or dot-import). */
function goOsImport(content: string): GoOsImport {
  for (const spec of goImportSpecs(content)) {
    if (spec.path !== 'os' || spec.alias === '_') continue;
    return { kind: 'named', name: spec.alias ?? 'os' };
  }
  return { kind: 'none' };
}

function goLookup(imported: GoOsImport, envVar: string): string {
  if (imported.kind === 'named' && imported.name === '.') return `Getenv("${envVar}")`;
  const name = imported.kind === 'named' ? imported.name : 'os';
  return `${name}.Getenv("${envVar}")`;
}

interface GoImportSpec {
  alias?: string;
  path: string;
}

const GO_SPEC = /^\s*(?:([A-Za-z_][A-Za-z0-9_]*|\.|_)\s+)?"([^"]+)"/;

function goImportSpecs(content: string): GoImportSpec[] {
  const specs: GoImportSpec[] = [];
  for (const match of content.matchAll(/^import\s*\(([\s\S]*?)^\)/gm)) {
    for (const line of match[1]!.split('\n')) {
      const spec = GO_SPEC.exec(line);
      if (spec) specs.push({ alias: spec[1], path: spec[2]! });
    }
  }
  for (const match of content.matchAll(/^import[ \t]+((?:[A-Za-z_][A-Za-z0-9_]*|\.|_)[ \t]+)?"([^"]+)"/gm)) {
    specs.push({ alias: match[1]?.trim(), path: match[2]! });
  }
  return specs;
}

/** Adds "os" to the imports: into the first group (sorted), a single import becomes a group. */
export function ensureGoImportOs(content: string): string {
  if (goOsImport(content).kind !== 'none') return content;
  const eol = lineEndingOf(content);
  const cr = eol === '\r\n' ? '\r' : '';

  const group = /^import\s*\(\r?\n/m.exec(content);
  if (group) {
    const bodyStart = group.index + group[0].length;
    const lines = content.slice(bodyStart).split('\n');
    let insertAt = 0;
    let indent = '\t';
    for (let i = 0; i < lines.length; i++) {
      const line = lines[i]!.replace(/\r$/, '');
      if (/^\s*\)/.test(line) || line.trim() === '') break; // end of group or of the first sub-group
      const spec = GO_SPEC.exec(line);
      indent = /^\s*/.exec(line)![0] || indent;
      if (spec && spec[2]! > 'os') break;
      insertAt = i + 1;
    }
    lines.splice(insertAt, 0, `${indent}"os"${cr}`);
    return content.slice(0, bodyStart) + lines.join('\n');
  }

  const single = /^import[ \t]+((?:[A-Za-z_][A-Za-z0-9_]*|\.|_)[ \t]+)?"([^"]+)"[ \t]*(?=\r?\n|$)/m.exec(content);
  if (single) {
    const existing = `\t${single[1] ?? ''}"${single[2]}"`;
    const specs = [existing, '\t"os"'].sort((a, b) => goPath(a).localeCompare(goPath(b)));
    const replacement = ['import (', ...specs, ')'].join(eol);
    return content.slice(0, single.index) + replacement + content.slice(single.index + single[0].length);
  }

  const pkg = /^package[ \t]+\w+[^\n]*\n/m.exec(content);
  if (!pkg) return `import "os"${eol}${eol}${content}`;
  const at = pkg.index + pkg[0].length;
  return `${content.slice(0, at)}${eol}import "os"${eol}${content.slice(at)}`;
}

function goPath(spec: string): string {
  return /"([^"]+)"/.exec(spec)?.[1] ?? '';
}

function basename(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}
