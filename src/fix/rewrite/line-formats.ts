/**
 * Line-based formats (shell, Dockerfile, YAML, workflows, .npmrc): quoting is read
 * per line, and the key becomes the format's own variable reference.
 */
import { TYPOGRAPHIC_QUOTES, type Edit, type SecretTarget, type SkipReason } from './edit.js';
import { lookupExpression, type Language } from './languages.js';

export const LINE_BASED = new Set<Language>(['shell', 'dockerfile', 'yaml', 'github-actions', 'npmrc']);

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

export function lineBasedEdit(language: Language, content: string, offset: number, target: SecretTarget): Edit | { reason: SkipReason } {
  const lineStart = content.lastIndexOf('\n', offset - 1) + 1;
  const lineEndRaw = content.indexOf('\n', offset);
  const line = content.slice(lineStart, lineEndRaw === -1 ? content.length : lineEndRaw);
  const column = offset - lineStart;
  const end = offset + target.secret.length;
  const state = lineQuoteState(language, line, column);
  if (state.comment) return { reason: 'in-comment' };
  if (language === 'dockerfile') return dockerfileEdit(content, lineStart, line, offset, target);

  const lookup = lookupExpression(language, target.envVar);
  const before = content[offset - 1] ?? '';
  const after = content[end] ?? '';
  const typographic = TYPOGRAPHIC_QUOTES.includes(before) && TYPOGRAPHIC_QUOTES.includes(after) && !state.quote;
  const straight = state.quote !== undefined && state.openedAt === column - 1 && after === state.quote;
  const shellLike = language === 'shell';

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

/**
 * A Dockerfile never reads .env: `ENV NAME="${NAME}"` would be empty in the image.
 * `ENV NAME=<key>` loses its value (the container gets NAME from
 * `docker run --env-file .env`), `ARG NAME=<key>` its default (passed with
 * `--build-arg` or, better, a BuildKit secret); anything else is refused with how.
 */
function dockerfileEdit(
  content: string,
  lineStart: number,
  line: string,
  offset: number,
  target: SecretTarget,
): Edit | { reason: SkipReason } {
  const previousLine = content.slice(content.lastIndexOf('\n', Math.max(0, lineStart - 2)) + 1, Math.max(0, lineStart - 1));
  const instruction = /^\s*([A-Za-z]+)\s+/.exec(line);
  if (!instruction || /\\\r?$/.test(previousLine)) return { reason: 'dockerfile-build-time' };
  const keyword = instruction[1]!.toUpperCase();
  const column = offset - lineStart;
  const lineEnd = lineStart + line.length;
  const wholeLine = { start: lineStart, end: content[lineEnd] === '\n' ? lineEnd + 1 : lineEnd, text: '' };
  const unquote = (value: string) => value.replace(/^(["'])(.*)\1$/, '$2');
  if (keyword === 'ENV') {
    const rest = line.slice(instruction[0].length);
    const legacy = /^([\w.-]+)\s+(.*?)\s*\r?$/.exec(rest);
    if (legacy && !legacy[1]!.includes('=') && !/^[\w.-]+=/.test(rest)) {
      return legacy[1] === target.envVar && unquote(legacy[2]!) === target.secret ? wholeLine : { reason: 'dockerfile-build-time' };
    }
    const pairs = [...rest.matchAll(/([\w.-]+)=("(?:[^"\\]|\\.)*"|'[^']*'|\S*)/g)];
    const base = instruction[0].length;
    const pair = pairs.find((p) => base + p.index! <= column && column < base + p.index! + p[0].length);
    if (!pair || unquote(pair[2]!) !== target.secret || pair[1] !== target.envVar) return { reason: 'dockerfile-build-time' };
    if (pairs.length === 1) return wholeLine;
    const start = lineStart + base + pair.index!;
    const spaceBefore = /\s*$/.exec(content.slice(lineStart, start))![0].length;
    return { start: start - spaceBefore, end: start + pair[0].length, text: '' };
  }
  if (keyword === 'ARG') {
    const arg = /^(\s*ARG\s+[\w.-]+)=(.*?)\s*\r?$/i.exec(line);
    if (arg && unquote(arg[2]!) === target.secret)
      return { start: lineStart + arg[1]!.length, end: lineStart + arg[1]!.length + 1 + arg[2]!.length, text: '' };
  }
  return { reason: 'dockerfile-build-time' };
}
