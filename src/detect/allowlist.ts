import picomatch from 'picomatch';

/** What a user may allow in .leakguard.json (`allowlist`), merged with the defaults. */
export interface AllowlistOptions {
  /** Picomatch globs of paths never reported. */
  paths?: string[];
  /** Regexes (JavaScript syntax); a secret matching one is not reported. */
  regexes?: string[];
  /** Case-insensitive substrings; a secret containing one is not reported. */
  stopwords?: string[];
  /**
   * Lockfiles beside their manifest hold integrity hashes, never keys; skipped unless
   * set to false. The sources decide it (they know the folder: lockfileManifests).
   */
  skipLockfiles?: boolean;
}

/** Inline comments that allow the finding on their line (ours and the ones teams migrate from). */
const INLINE_DIRECTIVES = /leakguard:allow|gitleaks:allow|pragma: ?allowlist secret/;

/**
 * Lockfiles hold checksums and integrity hashes, never keys, but only where their
 * package manager wrote them: beside the manifest they lock. Each lockfile name maps
 * to the manifests (file names, or `*.ext`) of which one must sit in the same folder
 * of the same source (the index, the commit, the working tree) for the lockfile to
 * be skipped. A file with a lockfile's name anywhere else is read like any other.
 */
const LOCKFILE_MANIFESTS: Record<string, readonly string[]> = {
  'package-lock.json': ['package.json'],
  'npm-shrinkwrap.json': ['package.json'],
  'yarn.lock': ['package.json'],
  'pnpm-lock.yaml': ['package.json'],
  'bun.lock': ['package.json'],
  'go.sum': ['go.mod'],
  'Cargo.lock': ['Cargo.toml'],
  'poetry.lock': ['pyproject.toml'],
  'uv.lock': ['pyproject.toml'],
  'Pipfile.lock': ['Pipfile'],
  'composer.lock': ['composer.json'],
  'Gemfile.lock': ['Gemfile', 'gems.rb'],
  'mix.lock': ['mix.exs'],
  'pubspec.lock': ['pubspec.yaml'],
  'Podfile.lock': ['Podfile'],
  'packages.lock.json': ['*.csproj', '*.fsproj', '*.vbproj'],
  'flake.lock': ['flake.nix'],
  'gradle.lockfile': ['build.gradle', 'build.gradle.kts', 'settings.gradle', 'settings.gradle.kts'],
  'deno.lock': ['deno.json', 'deno.jsonc'],
  'conan.lock': ['conanfile.txt', 'conanfile.py'],
  'paket.lock': ['paket.dependencies'],
  'shard.lock': ['shard.yml'],
  'Package.resolved': ['Package.swift'],
};

function basename(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

/** The manifests one of which must sit beside `path` for it to be a skipped lockfile; undefined when its name is no lockfile's. */
export function lockfileManifests(path: string): readonly string[] | undefined {
  return Object.hasOwn(LOCKFILE_MANIFESTS, basename(path)) ? LOCKFILE_MANIFESTS[basename(path)] : undefined;
}

/** Whether a folder holding `names` holds one of `manifests`. */
export function hasManifest(manifests: readonly string[], names: Iterable<string>): boolean {
  for (const name of names) {
    for (const manifest of manifests) {
      if (manifest.startsWith('*') ? name.endsWith(manifest.slice(1)) : name === manifest) return true;
    }
  }
  return false;
}

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

  /** Why a whole file is skipped, or undefined. Lockfiles are not decided here (see lockfileManifests). */
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
