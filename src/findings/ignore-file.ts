/**
 * `.leakguardignore`: findings a person has judged to be false alarms, one
 * fingerprint a line (the `fingerprint` of the JSON report: rule + path + secret,
 * from which the secret cannot be read back), as `.gitleaksignore` is for gitleaks.
 *
 *     # test fixtures
 *     3f1c0d9a8b7e6f5a4b3c2d1e0f9a8b7c   # false alarm: generic-api-key in test/data.json:4, 2025-01-31
 *
 * Blank lines and `#` comments are skipped; a line that is not a fingerprint is a
 * config error naming its line, never silently ignored (a typo would otherwise
 * bring a false alarm back without a word, or worse, hide nothing while the team
 * believes it does).
 */
import { READ_LIMITS, readBoundedFileIfExists, readBoundedText } from '../fs/bounded-read.js';
import { writeFileAtomic } from '../fs/atomic-write.js';
import { ConfigError } from '../errors.js';
import type { Finding } from '../detect/finding.js';

export const DEFAULT_IGNORE_FILE = '.leakguardignore';

/** A finding's fingerprint: 32 lower-case hexadecimal digits (src/detect/finding.ts). */
const ENTRY = /^([0-9a-f]{32})(?:\s+#.*|\s*)$/;

/** The fingerprints a file lists. */
export type IgnoreList = ReadonlySet<string>;

/** Parses an ignore file's text; `name` is how errors name the file. */
export function parseIgnoreFile(text: string, name: string): IgnoreList {
  const entries = new Set<string>();
  text
    .replace(/^\uFEFF/, '')
    .split('\n')
    .forEach((raw, i) => {
      const line = raw.trim();
      if (line === '' || line.startsWith('#')) return;
      const match = ENTRY.exec(line);
      if (!match) {
        throw new ConfigError(
          name,
          `line ${i + 1}`,
          'expected a fingerprint (32 hexadecimal digits, as in the JSON report), optionally followed by "# a note"',
        );
      }
      entries.add(match[1]!);
    });
  return entries;
}

/** The fingerprints listed in a text, leniently (for counting what a change adds or removes). */
export function ignoreEntries(text: string | undefined): Set<string> {
  const entries = new Set<string>();
  for (const line of (text ?? '').split('\n')) {
    const match = ENTRY.exec(line.trim());
    if (match) entries.add(match[1]!);
  }
  return entries;
}

/**
 * Reads and parses an ignore file from disk. A missing file lists nothing
 * (undefined) unless `mustExist` (a path the user named).
 */
export function loadIgnoreFile(file: string, name: string, mustExist = false): IgnoreList | undefined {
  let text: string;
  try {
    text = readBoundedText(file, { maxBytes: READ_LIMITS.ignoreFile, name });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' && !mustExist) return undefined;
    throw new ConfigError(name, undefined, code === 'ENOENT' ? 'file not found' : `cannot read (${code})`);
  }
  return parseIgnoreFile(text, name);
}

/** The findings the list does not name; each one dropped is told to `debug`. */
export function filterIgnored(
  findings: readonly Finding[],
  ignored: IgnoreList,
  name: string,
  debug?: (message: string) => void,
): Finding[] {
  if (!ignored.size) return [...findings];
  return findings.filter((f) => {
    if (!ignored.has(f.fingerprint)) return true;
    debug?.(`skipping ${f.ruleId} in ${f.file}:${f.line}: fingerprint ${f.fingerprint} is listed in ${name}`);
    return false;
  });
}

/** One ignore-file line: the fingerprint and a note (`#` and line breaks in the note are made harmless). */
export function ignoreLine(fingerprint: string, note: string): string {
  const oneLine = note.replace(/[\r\n\u2028\u2029]+/g, ' ').trim();
  return oneLine ? `${fingerprint}  # ${oneLine}` : fingerprint;
}

/**
 * Appends lines to the ignore file, written atomically (the whole file is
 * replaced, so a crash leaves the old or the new file) and never through a link.
 * The existing text is kept byte for byte, with a line break added where it
 * had none at its end; the file's own line ending (CRLF or LF) is used.
 */
export async function appendToIgnoreFile(file: string, lines: readonly string[], name: string): Promise<void> {
  if (!lines.length) return;
  let existing: string;
  try {
    existing = readBoundedFileIfExists(file, { maxBytes: READ_LIMITS.ignoreFile, followSymlinks: false, name })?.toString('utf8') ?? '';
  } catch (error) {
    throw new ConfigError(name, undefined, `cannot read (${(error as NodeJS.ErrnoException).code})`);
  }
  parseIgnoreFile(existing, name); // never add to a file that does not parse: the user fixes it first
  const eol = existing.includes('\r\n') ? '\r\n' : '\n';
  const separator = existing === '' || existing.endsWith('\n') ? '' : eol;
  await writeFileAtomic(file, `${existing}${separator}${lines.join(eol)}${eol}`);
}

/** Where the ignore file is: the path given (from `cwd`), else `.leakguardignore` at the repository root (none outside one). */
export function ignoreFilePath(
  cwd: string,
  repoRoot: string | undefined,
  given?: string,
): { file: string; name: string; explicit: boolean } | undefined {
  const path = process.getBuiltinModule('node:path');
  const file = given !== undefined ? path.resolve(cwd, given) : repoRoot ? path.join(repoRoot, DEFAULT_IGNORE_FILE) : undefined;
  if (!file) return undefined;
  const rel = repoRoot ? path.relative(repoRoot, file) : '';
  const name = rel && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel.split(path.sep).join('/') : file;
  return { file, name, explicit: given !== undefined };
}
