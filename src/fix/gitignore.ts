/**
 * Keeping `.env` out of git: the ignore rule, whether `.env` is already tracked, and
 * the `NAME=` lines a project's `.env.example` gets. Content planning is pure; the
 * two git questions are asked with explicit flags.
 */
import { runGit, splitNul } from '../git/run-git.js';
import { parseEnvFile } from './env-file.js';
import { lineEndingOf } from './text-codec.js';

/** True when git ignores `path` (any .gitignore, info/exclude, core.excludesFile), tracked or not. */
export async function isIgnored(repoRoot: string, path: string): Promise<boolean> {
  const { code } = await runGit(['check-ignore', '-q', '--no-index', '--', path], { cwd: repoRoot, okCodes: [1] });
  return code === 0;
}

/** True when `path` is in the index (so ignoring it has no effect until it is untracked). */
export async function isTracked(repoRoot: string, path: string): Promise<boolean> {
  const { stdout } = await runGit(['--literal-pathspecs', 'ls-files', '-z', '--cached', '--', path], { cwd: repoRoot });
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
  return appendLines(existing, missing.map((name) => `${name}=`));
}

function appendLines(original: string, lines: readonly string[]): string {
  if (lines.length === 0) return original;
  const eol = lineEndingOf(original);
  const body = original.replace(/^\uFEFF/, '');
  const needsNewline = body.length > 0 && !original.endsWith('\n');
  return original + (needsNewline ? eol : '') + lines.map((line) => line + eol).join('');
}
