import type { Fragment } from '../sources/fragment.js';
import type { RuleSpec } from '../rules/rule.js';
import { validateChecksum } from '../rules/checksums.js';
import { Allowlist, hasInlineAllow, type AllowlistOptions } from './allowlist.js';
import { shannonEntropy } from './entropy.js';
import { fingerprintOf, withCommit, type Finding } from './finding.js';
import { Base64BlobFinder } from './base64-blobs.js';
import { keywordAnchors } from './keyword-anchors.js';
import { KeywordPrefilter } from './keyword-prefilter.js';
import { placeholderReason } from './placeholders.js';
import { LineIndex } from './line-index.js';
import picomatch from 'picomatch';

export interface DetectorOptions {
  allowlist?: AllowlistOptions;
  /**
   * Run every rule's regex on every fragment instead of only the rules whose keywords
   * occur in it. Slower; the findings are the same (test/perf/prefilter-equivalence).
   */
  noPrefilter?: boolean;
  /** Text the prefilter's regex engine scans before its automaton takes over (tests set 0). */
  prefilterRegexChars?: number;
  /** Receives one line per dropped candidate, with the reason (for --debug). Never the raw secret. */
  debug?: (message: string) => void;
}

export interface Detector {
  readonly rules: readonly RuleSpec[];
  detect(fragment: Fragment): Finding[];
  /** Why a whole file is never read (allowlisted path, lockfile), or undefined. */
  pathReason(path: string): string | undefined;
}

interface Candidate {
  rule: CompiledRule;
  start: number;
  end: number;
  secret: string;
  /** Found inside a base64 blob: the span is the blob's, the secret the decoded key. */
  encoded?: boolean;
}

const CONFIDENCE_RANK = { high: 3, medium: 2, low: 1 } as const;

/** A rule with its regexes compiled on first use: a staged scan usually needs a handful of them. */
class CompiledRule {
  readonly rank: number;
  private compiled?: RegExp;
  private sticky?: RegExp;
  private values?: RegExp[];
  private pathMatcher?: (path: string) => boolean;

  constructor(readonly spec: RuleSpec) {
    this.rank = CONFIDENCE_RANK[spec.confidence ?? 'high'];
  }

  get regex(): RegExp {
    return (this.compiled ??= new RegExp(this.spec.regex, flagsWith('gd', this.spec.flags)));
  }

  /** The same regex, sticky: tried at the starts the keyword anchors allow. */
  get stickyRegex(): RegExp {
    return (this.sticky ??= new RegExp(this.spec.regex, flagsWith('yd', this.spec.flags)));
  }

  get allowValues(): RegExp[] {
    return (this.values ??= (this.spec.allowValues ?? []).map((r) => new RegExp(r)));
  }

  allowsPath(path: string): boolean {
    const globs = this.spec.allowPaths;
    if (!globs?.length) return false;
    return (this.pathMatcher ??= picomatch(globs, { dot: true }))(path);
  }
}

function flagsWith(own: string, flags = ''): string {
  return [...new Set(own + flags)].join('');
}

/** Builds the detector once per process: the keyword index here, each rule regex on first use. */
export function createDetector(rules: readonly RuleSpec[], options: DetectorOptions = {}): Detector {
  const compiled = rules.map((spec) => new CompiledRule(spec));
  const allRules = compiled.map((_, i) => i);
  const prefilter = options.noPrefilter
    ? { candidates: () => allRules, anchoredStarts: () => undefined }
    : new KeywordPrefilter(
        rules.map((r) => r.keywords),
        {
          regexChars: options.prefilterRegexChars,
          anchorsOf: (i) => keywordAnchors(rules[i]!.regex, rules[i]!.flags ?? '', rules[i]!.keywords),
        },
      );
  const allowlist = new Allowlist(options.allowlist);
  const blobFinder = new Base64BlobFinder();
  const debug = options.debug;

  function rejectReason(candidate: Candidate, path: string): string | undefined {
    const { spec } = candidate.rule;
    const secret = candidate.secret;
    if (spec.entropy !== undefined && shannonEntropy(secret) < spec.entropy) return 'low entropy';
    if (spec.checksum && !validateChecksum(spec.checksum, secret)) return 'checksum mismatch';
    const placeholder = placeholderReason(secret);
    if (placeholder) return placeholder;
    if (candidate.rule.allowsPath(path)) return 'rule allowlisted path';
    if (candidate.rule.allowValues.some((r) => r.test(secret))) return 'rule allowlisted value';
    return allowlist.valueReason(secret);
  }

  function detect(fragment: Fragment): Finding[] {
    const skipped = allowlist.pathReason(fragment.path);
    if (skipped) {
      debug?.(`skipping ${fragment.path}: ${skipped}`);
      return [];
    }
    const accepted: Candidate[] = [];
    for (const window of windowsOf(fragment.text.length)) {
      const part = window.from === 0 && window.to === fragment.text.length ? fragment.text : fragment.text.slice(window.from, window.to);
      for (const index of prefilter.candidates(part)) {
        for (const found of matchRule(compiled[index]!, part, prefilter.anchoredStarts(index))) {
          const candidate = { ...found, start: found.start + window.from, end: found.end + window.from };
          if (candidate.start < window.ownFrom || candidate.start >= window.ownTo) continue;
          const reason = rejectReason(candidate, fragment.path);
          if (reason) debug?.(`skipping ${candidate.rule.spec.id} in ${fragment.path}: ${reason}`);
          else accepted.push(candidate);
        }
      }
    }
    accepted.push(...encodedCandidates(fragment));
    if (accepted.length === 0) return [];
    const lines = new LineIndex(fragment.text);
    const findings: Finding[] = [];
    // One look per line: a long line with many candidates must not be re-read for each.
    const inlineAllowed = new Map<number, boolean>();
    for (const candidate of resolveOverlaps(accepted)) {
      const line = lines.lineAt(candidate.start);
      let allowed = inlineAllowed.get(line);
      if (allowed === undefined) inlineAllowed.set(line, (allowed = hasInlineAllow(lines.lineText(line))));
      if (allowed) {
        debug?.(`skipping ${candidate.rule.spec.id} in ${fragment.path}: inline allow comment`);
        continue;
      }
      findings.push(toFinding(candidate, fragment, lines));
    }
    return findings;
  }

  /**
   * Keys hidden in base64 (Docker `auth` fields, `echo … | base64 -d`, Kubernetes
   * secrets): blobs that decode to printable text are scanned again, and what is
   * found there is reported at the blob, with the decoded key as the secret.
   */
  function encodedCandidates(fragment: Fragment): Candidate[] {
    const found: Candidate[] = [];
    for (const blob of blobFinder.find(fragment.text, MAX_BLOBS)) {
      for (const index of prefilter.candidates(blob.decoded)) {
        for (const inner of matchRule(compiled[index]!, blob.decoded, prefilter.anchoredStarts(index))) {
          const candidate = { ...inner, start: blob.start, end: blob.end, encoded: true };
          const reason = rejectReason(candidate, fragment.path);
          if (reason) debug?.(`skipping ${inner.rule.spec.id} (base64) in ${fragment.path}: ${reason}`);
          else found.push(candidate);
        }
      }
    }
    return found;
  }

  return { rules, detect, pathReason: (path) => allowlist.pathReason(path) };
}

/**
 * Long text (a minified bundle, a data dump) is scanned in bounded windows, so no
 * rule ever runs over megabytes at once. Windows overlap by more than the longest
 * secret any rule matches (private-key bodies included), and each secret start
 * belongs to exactly one window, which also keeps CONTEXT characters before it for
 * look-behinds: what is found is what a scan of the whole text would find.
 */
export const WINDOW_CHARS = 1 << 18;
const OVERLAP_CHARS = 1 << 14;
const CONTEXT_CHARS = 512;

interface Window {
  from: number;
  to: number;
  /** Secret starts in [ownFrom, ownTo) are reported from this window only. */
  ownFrom: number;
  ownTo: number;
}

export function* windowsOf(length: number): Generator<Window> {
  const step = WINDOW_CHARS - OVERLAP_CHARS;
  for (let from = 0; ; from += step) {
    const to = Math.min(length, from + WINDOW_CHARS);
    const last = to === length;
    yield { from, to, ownFrom: from === 0 ? 0 : from + CONTEXT_CHARS, ownTo: last ? length : from + step + CONTEXT_CHARS };
    if (last) return;
  }
}

/** Decoding is bounded per fragment: minified code is full of base64-looking runs. */
const MAX_BLOBS = 2_000;

/**
 * The rule's matches, as a global regex finds them. With `starts` (a superset of
 * where a match can start, ascending), the sticky regex is tried at those places
 * only, each past the end of the previous match: the same leftmost matches.
 */
function* matchRule(rule: CompiledRule, text: string, starts?: readonly number[]): Generator<Candidate> {
  if (starts) {
    const regex = rule.stickyRegex;
    let from = 0;
    for (const start of starts) {
      if (start < from) continue;
      regex.lastIndex = start;
      const match = regex.exec(text);
      if (match === null) continue;
      from = start + Math.max(1, match[0].length);
      const candidate = candidateOf(rule, match);
      if (candidate) yield candidate;
    }
    return;
  }
  const regex = rule.regex;
  regex.lastIndex = 0;
  let match: RegExpExecArray | null;
  while ((match = regex.exec(text)) !== null) {
    if (match[0].length === 0) regex.lastIndex++;
    const candidate = candidateOf(rule, match);
    if (candidate) yield candidate;
  }
}

function candidateOf(rule: CompiledRule, match: RegExpExecArray): Candidate | undefined {
  const span = match.indices?.groups?.secret;
  const secret = match.groups?.secret;
  if (!span || secret === undefined || secret.length === 0) return undefined;
  return { rule, start: span[0], end: span[1], secret };
}

/** Where spans overlap, the more specific rule (then the longer span) wins. */
function resolveOverlaps(candidates: Candidate[]): Candidate[] {
  const byPriority = [...candidates].sort(
    (a, b) => b.rule.rank - a.rule.rank || b.end - b.start - (a.end - a.start) || a.start - b.start,
  );
  // Kept spans never overlap one another, so sorted by start they are also sorted by
  // end: a binary search finds the only two neighbours a candidate could overlap
  // (a linear scan of every kept span was quadratic on lines with many matches).
  const kept: Candidate[] = [];
  for (const c of byPriority) {
    let lo = 0;
    let hi = kept.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (kept[mid]!.start < c.start) lo = mid + 1;
      else hi = mid;
    }
    const before = kept[lo - 1];
    const after = kept[lo];
    if ((before && before.end > c.start) || (after && after.start < c.end)) continue;
    kept.splice(lo, 0, c);
  }
  return kept;
}

function toFinding(candidate: Candidate, fragment: Fragment, lines: LineIndex): Finding {
  const { spec } = candidate.rule;
  const startLine = lines.lineAt(candidate.start);
  const endLine = lines.lineAt(candidate.end);
  const finding: Finding = {
    ruleId: spec.id,
    provider: spec.provider,
    description: candidate.encoded ? `${spec.description} (base64-encoded)` : spec.description,
    file: fragment.path,
    line: fragment.lineNumbers[startLine] ?? startLine + 1,
    column: candidate.start - lines.lineStart(startLine) + 1,
    endLine: fragment.lineNumbers[endLine] ?? endLine + 1,
    endColumn: candidate.end - lines.lineStart(endLine) + 1,
    // A copy, not a slice: a slice would keep the whole fragment (up to ~1 MB of a
    // generated file) alive for as long as the finding is.
    secret: detach(candidate.secret),
    fingerprint: fingerprintOf(spec.id, fragment.path, candidate.secret),
    envVar: spec.envVar,
    revokeUrl: spec.revokeUrl,
    ...(candidate.encoded ? { encoding: 'base64' as const } : {}),
  };
  return withCommit(finding, fragment.commit);
}

function detach(value: string): string {
  return value.length < 16 ? value : Buffer.from(value, 'utf16le').toString('utf16le');
}

/** Convenience for tests and the library API: scan one piece of text as a file at `path`. */
export function detectText(text: string, rules: readonly RuleSpec[], path = 'example.txt', options?: DetectorOptions): Finding[] {
  const lineCount = text.split('\n').length;
  const lineNumbers = Array.from({ length: lineCount }, (_, i) => i + 1);
  return createDetector(rules, options).detect({ path, text, lineNumbers, origin: 'stdin' });
}
