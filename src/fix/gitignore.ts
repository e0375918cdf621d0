/**
 * Keeping `.env` out of git: the ignore rule, whether `.env` is already tracked, and
 * the `NAME=` lines a project's `.env.example` gets. Content planning is pure; the
 * two git questions are asked with explicit flags.
 */
import { plumbing } from '../git/git-client.js';
import { splitNul } from '../git/run-git.js';
import { parseEnvFile } from './env-file.js';
import { lineEndingOf } from './text-codec.js';

/** True when git ignores `path` (any .gitignore, info/exclude, core.excludesFile), tracked or not. */
export async function isIgnored(repoRoot: string, path: string): Promise<boolean> {
  // -v -n prints a record for every path, matched or not (see git-client.ts on silent commands):
  // source, line, pattern, path; a path matching a `!pattern` is not ignored.
  const { stdout } = await plumbing(repoRoot, ['check-ignore', '--stdin', '-z', '-v', '-n', '--no-index'], {
    okCodes: [1],
    input: `${path}\0`,
  });
  const [source = '', , pattern = ''] = splitNul(stdout);
  return source !== '' && !pattern.startsWith('!');
}

/** True when `path` is in the index (so ignoring it has no effect until it is untracked). */
export async function isTracked(repoRoot: string, path: string): Promise<boolean> {
  const { stdout } = await plumbing(repoRoot, ['--literal-pathspecs', 'ls-files', '-z', '--cached', '--error-unmatch', '--', path], {
    okCodes: [1],
  });
  return splitNul(stdout).includes(path);
}

/**
 * Appends ignore patterns that are not already there as lines, keeping the file's
 * line endings and adding the missing final newline first.
 */
export function planIgnoreFile(existing: string | undefined, patterns: readonly string[]): string {
  const original = existing ?? '';
  const present = new Set(original.split(/\r?\n/).map((line) => line.trim()));
  const missing = [...new Set(patterns)].filter((pattern) => !present.has(pattern));
  return appendLines(original, missing);
}

/** Adds `NAME=` for each name `.env.example` does not mention yet. */
export function planEnvExample(existing: string, names: readonly string[]): string {
  const present = parseEnvFile(existing);
  const missing = [...new Set(names)].filter((name) => !present.has(name));
  return appendLines(
    existing,
    missing.map((name) => `${name}=`),
  );
}

/** Appends lines, keeping the file's line endings (and a BOM), adding the missing final newline first. */
export function appendLines(original: string, lines: readonly string[]): string {
  if (lines.length === 0) return original;
  const eol = lineEndingOf(original);
  const body = original.replace(/^\uFEFF/, '');
  const needsNewline = body.length > 0 && !original.endsWith('\n');
  return original + (needsNewline ? eol : '') + lines.map((line) => line + eol).join('');
}
