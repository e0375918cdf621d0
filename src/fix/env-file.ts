/**
 * The `.env` file the fix moves keys into. Planning is pure (content in, content
 * out); writing goes through the atomic writer in apply-fix, with mode 0600.
 */

export interface EnvEntryRequest {
  /** Preferred variable name, e.g. OPENAI_API_KEY. */
  envVar: string;
  value: string;
  /**
   * When `.env` already holds another value under envVar: replace that value (the
   * user chose to keep the name) instead of saving the key as NAME_2.
   */
  replace?: boolean;
}

export interface EnvFilePlan {
  /** The new content of `.env` (equal to the old one when nothing had to be added). */
  content: string;
  /** The name chosen for each request, in request order. */
  names: string[];
  /** Names appended by this plan (an existing entry with the same value is reused). */
  added: string[];
  /** Names whose existing value this plan replaced (EnvEntryRequest.replace). */
  replaced: string[];
  changed: boolean;
}

const BOM = '\uFEFF';
const ENTRY = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_.-]*)\s*=\s*(.*)$/;
/** Values dotenv (and shells sourcing the file) read back unchanged without quotes. */
const PLAIN_VALUE = /^[A-Za-z0-9_\-.\/:+=@,~%^]*$/;

/** Parses `.env` content into name → value (last one wins, as in dotenv). */
export function parseEnvFile(content: string): Map<string, string> {
  return new Map(scanEntries(content).map((entry) => [entry.name, entry.value]));
}

interface EnvEntry {
  name: string;
  value: string;
  /** First and last line of the entry (a quoted value may span lines), in the BOM-less text split on \n. */
  first: number;
  last: number;
}

function scanEntries(content: string): EnvEntry[] {
  const entries: EnvEntry[] = [];
  const lines = stripBom(content)
    .split('\n')
    .map((line) => line.replace(/\r$/, ''));
  for (let i = 0; i < lines.length; i++) {
    const match = ENTRY.exec(lines[i]!);
    if (!match) continue;
    const first = i;
    const [, name, rest] = match as unknown as [string, string, string];
    const quote = rest[0];
    if (quote === '"' || quote === "'" || quote === '`') {
      // A quoted value may span lines (dotenv allows multi-line double quotes).
      let raw = rest.slice(1);
      let end = findClosingQuote(raw, quote);
      while (end === -1 && i + 1 < lines.length) {
        raw += '\n' + lines[++i];
        end = findClosingQuote(raw, quote);
      }
      const body = end === -1 ? raw : raw.slice(0, end);
      entries.push({ name, value: quote === '"' ? unescapeDoubleQuoted(body) : body, first, last: i });
    } else {
      entries.push({ name, value: rest.replace(/\s+#.*$/, '').trim(), first, last: i });
    }
  }
  return entries;
}

/** Replaces every entry of `name` by one line (the first one's place), keeping BOM, order and line endings. */
function replaceEntry(content: string, name: string, line: string): string {
  const bom = content.startsWith(BOM) ? BOM : '';
  const lines = stripBom(content).split('\n');
  const spans = scanEntries(content).filter((entry) => entry.name === name);
  for (const span of [...spans].reverse()) {
    const cr = lines[span.last]!.endsWith('\r') ? '\r' : '';
    const replacement = span === spans[0] ? [line + cr] : [];
    lines.splice(span.first, span.last - span.first + 1, ...replacement);
  }
  return bom + lines.join('\n');
}

/** Quotes a value only where dotenv needs it (spaces, #, quotes, newlines …). */
export function formatEnvValue(value: string): string {
  if (PLAIN_VALUE.test(value)) return value;
  if (!value.includes("'") && !value.includes('\n')) return `'${value}'`;
  const escaped = value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\r?\n/g, '\\n');
  return `"${escaped}"`;
}

/**
 * Adds the requested entries to `.env` content (`undefined`: no file yet). Keeps
 * everything already there byte for byte (BOM, comments, order, CRLF), reuses a name
 * already holding the same value, and picks NAME_2, NAME_3 … when NAME holds
 * another value.
 */
export function planEnvFile(existing: string | undefined, requests: readonly EnvEntryRequest[]): EnvFilePlan {
  const original = existing ?? '';
  const entries = parseEnvFile(original);
  const eol = original.includes('\r\n') ? '\r\n' : '\n';
  const names: string[] = [];
  const added: string[] = [];
  const replaced: string[] = [];
  const newLines: string[] = [];
  let kept = original;
  for (const request of requests) {
    const base = sanitizeEnvName(request.envVar);
    // Replace only a value that was there before (never one this plan just added).
    const current = entries.get(base);
    if (request.replace && current !== undefined && current !== request.value && !added.includes(base) && !replaced.includes(base)) {
      kept = replaceEntry(kept, base, `${base}=${formatEnvValue(request.value)}`);
      entries.set(base, request.value);
      names.push(base);
      replaced.push(base);
      continue;
    }
    const name = chooseName(base, request.value, entries);
    names.push(name);
    if (entries.get(name) === request.value) continue;
    entries.set(name, request.value);
    added.push(name);
    newLines.push(`${name}=${formatEnvValue(request.value)}`);
  }
  if (newLines.length === 0) return { content: kept, names, added, replaced, changed: kept !== original };
  const needsNewline = stripBom(kept).length > 0 && !kept.endsWith('\n');
  const content = kept + (needsNewline ? eol : '') + newLines.map((line) => line + eol).join('');
  return { content, names, added, replaced, changed: true };
}

/** Environment variable names are upper-case identifiers; anything else is folded into one. */
export function sanitizeEnvName(name: string): string {
  const cleaned = name.toUpperCase().replace(/[^A-Z0-9_]/g, '_');
  return /^[A-Z_]/.test(cleaned) ? cleaned : `_${cleaned}`;
}

function chooseName(base: string, value: string, entries: ReadonlyMap<string, string>): string {
  // Reuse any NAME / NAME_n already holding this value before inventing a new one.
  for (const [name, existingValue] of entries) {
    if (existingValue === value && (name === base || new RegExp(`^${base}_\\d+$`).test(name))) return name;
  }
  if (!entries.has(base)) return base;
  for (let n = 2; ; n++) {
    const candidate = `${base}_${n}`;
    if (!entries.has(candidate)) return candidate;
  }
}

function findClosingQuote(text: string, quote: string): number {
  for (let i = 0; i < text.length; i++) {
    if (quote === '"' && text[i] === '\\') {
      i++;
      continue;
    }
    if (text[i] === quote) return i;
  }
  return -1;
}

function unescapeDoubleQuoted(body: string): string {
  return body.replace(/\\(.)/g, (_, ch: string) => (ch === 'n' ? '\n' : ch === 'r' ? '\r' : ch));
}

function stripBom(text: string): string {
  return text.startsWith(BOM) ? text.slice(1) : text;
}
