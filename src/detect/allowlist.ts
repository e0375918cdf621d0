import picomatch from 'picomatch';
import type { AllowlistConfig } from '../config/load-config.js';

/**
 * The allowlist the detector applies: what the user wrote in .leakguard.json
 * (src/config), plus whether lockfiles are skipped.
 */
export interface AllowlistOptions extends AllowlistConfig {
  /**
   * Lockfiles beside their manifest hold integrity hashes, never keys; skipped unless
   * set to false. The sources decide it (they know the folder: src/sources/lockfiles.ts).
   */
  skipLockfiles?: boolean;
}

/** Inline comments that allow the finding on their line (ours and the ones teams migrate from). */
const INLINE_DIRECTIVES = /leakguard:allow|gitleaks:allow|pragma: ?allowlist secret/;

/**
 * An allow directive counts only inside a comment on the line: one written next to
 * a key in a string, a URL or a JSON value (which has no comments) does not.
 */
export function hasInlineAllow(line: string): boolean {
  // Every directive contains "allow": a plain substring search first is cheaper than the regex (bench/perf/README.md).
  if (!line.includes('allow') || !INLINE_DIRECTIVES.test(line)) return false;
  const start = commentStart(line);
  return start !== -1 && INLINE_DIRECTIVES.test(line.slice(start));
}

/** Markers that make the whole line a comment only at its start (ini, TeX/Erlang, batch, a block comment's body). */
const WHOLE_LINE_COMMENT = /^\s*(?:;|%|::|REM\s|rem\s|\*\s)/;
const COMMENT_MARKERS = ['#', '//', '/*', '<!--', '--', '{#'];

/**
 * Where the line's comment begins, outside string literals ("…", '…', `…`, with
 * backslash escapes); -1 when it has none. An apostrophe inside a word (don't) opens
 * no string. Heuristic, one line at a time: a line inside a multi-line string is read
 * as code.
 */
function commentStart(line: string): number {
  if (WHOLE_LINE_COMMENT.test(line)) return 0;
  let quote: string | undefined;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (quote) {
      if (c === '\\') i++;
      else if (c === quote) quote = undefined;
    } else if (c === '"' || c === '`' || (c === "'" && !(isWordChar(line[i - 1]) && isWordChar(line[i + 1])))) {
      quote = c;
    } else if (COMMENT_MARKERS.some((marker) => line.startsWith(marker, i))) {
      return i;
    }
  }
  return -1;
}

function isWordChar(c: string | undefined): boolean {
  return c !== undefined && /\w/.test(c);
}

export class Allowlist {
  private readonly pathMatcher?: (path: string) => boolean;
  private readonly regexes: RegExp[];
  private readonly stopwords: string[];

  constructor(options: AllowlistOptions = {}) {
    const globs = options.paths ?? [];
    if (globs.length) this.pathMatcher = picomatch(globs, { dot: true });
    this.regexes = (options.regexes ?? []).map((r) => new RegExp(r));
    this.stopwords = (options.stopwords ?? []).map((w) => w.toLowerCase());
  }

  /** Why a whole file is skipped, or undefined. Lockfiles are not decided here (see src/sources/lockfiles.ts). */
  pathReason(path: string): string | undefined {
    if (this.pathMatcher?.(path)) return 'allowlisted path';
    return undefined;
  }

  /** Why a secret value is allowed, or undefined. */
  valueReason(secret: string): string | undefined {
    if (this.regexes.some((r) => r.test(secret))) return 'allowlisted value';
    const lower = secret.toLowerCase();
    if (this.stopwords.some((w) => lower.includes(w))) return 'stopword';
    return undefined;
  }
}
