import type { Fragment } from '../sources/fragment.js';
import { messages } from '../messages.js';
import type { RuleSpec } from '../rules/rule.js';
import { builtinRulesAnchors, builtinRulesAutomaton, builtinRulesIndex } from '../rules/load-rules.js';
import { validateChecksum } from '../rules/checksums.js';
import { MATCHERS, type Matcher } from '../rules/matchers.js';
import { NEAR_DEFAULT_WITHIN } from '../rules/near.js';
import { matchExtent, secretLengths } from '../regex/regex-ast.js';
import { Allowlist, hasInlineAllow, type AllowlistOptions } from './allowlist.js';
import { shannonEntropy } from './entropy.js';
import { fingerprintOf, withCommit, type Finding } from './finding.js';
import { Base64BlobFinder } from './base64-blobs.js';
import { joinedLiterals, percentDecoded, spansSeam, type DerivedText } from './derived-texts.js';
import { BudgetedRules, type Job, type TimeBudget } from './budgeted-rules.js';
import { keywordAnchors, leadAnchor, leadAnchoredStarts, type KeywordAnchors, type LeadAnchor } from './keyword-anchors.js';
import { decodeAutomaton, KeywordPrefilter, type BatchEntry, type PrefilterIndex } from './keyword-prefilter.js';
import { echoesUserName, followsEmptyAssignment, isRedacted, notAKeyByWhatFollows, placeholderReason } from './placeholders.js';
import { anyValueRegex, VendorNames } from './vendor-names.js';
import { VendorPrefixes, type VendorPrefixTable } from './vendor-prefixes.js';
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
  /** Text a rule scans whole before its lead anchor is worked out (tests set 0; ignored with noPrefilter). */
  leadAnchorChars?: number;
  /** Receives one line per dropped candidate, with the reason (for --debug). Never the raw secret. */
  debug?: (message: string) => void;
  /**
   * Receives each fragment some rule did not finish on (a custom rule past its time
   * budget), with the reason: that part of the file was not fully scanned.
   */
  notFullyScanned?: (fragment: Fragment, reason: string) => void;
  /** The time budget of custom rules (rules with `fromConfig`), per rule and fragment. */
  customRuleBudget?: TimeBudget;
}

export interface Detector {
  readonly rules: readonly RuleSpec[];
  detect(fragment: Fragment): Finding[];
  /**
   * The findings of each fragment, as detect() gives them; many small fragments (a
   * history's file changes) share one keyword pass.
   */
  detectBatch(fragments: readonly Fragment[]): Finding[][];
  /** Why a whole file is never read (allowlisted path, lockfile), or undefined. */
  pathReason(path: string): string | undefined;
  /** Stops the worker thread of custom rules, if one was started. */
  close(): void;
}

interface Candidate {
  rule: CompiledRule;
  start: number;
  end: number;
  secret: string;
  /** Found inside a base64 blob: the span is the blob's, the secret the decoded key. */
  encoded?: boolean;
  /** How the key was hidden: base64 (the span is the blob's), percent-encoded, or split into literals. */
  encoding?: Finding['encoding'];
}

const CONFIDENCE_RANK = { high: 3, medium: 2, low: 1 } as const;

/**
 * The value the rule's regex reads over text[start, end) after reading something before it
 * (a name, an assignment): a rule that reads the value alone (a prefixed key) says nothing
 * about the name.
 */
function valueAfterName(rule: CompiledRule, text: string, start: number, end: number): string | undefined {
  const regex = rule.regex;
  regex.lastIndex = 0;
  let match: RegExpExecArray | null;
  while ((match = regex.exec(text)) !== null) {
    if (match[0].length === 0) regex.lastIndex++;
    const span = match.indices?.groups?.secret;
    if (!span || span[0] >= end) return undefined;
    if (span[1] > start && match.index < span[0]) return match.groups!.secret;
  }
  return undefined;
}

/** How far before and after a generic rule's value the named vendor's rules read it. */
const NAMED_VENDOR_REACH = 512;

/** The characters of issued tokens: base64 (either alphabet), hex, and the separators `.` and `~`. */
const TOKEN_CHARS = /^[A-Za-z0-9+/=_.~-]+$/;

/** A rule whose secret group takes any value, with the lengths its own secret group allows. */
interface AnyValueRule {
  rule: CompiledRule;
  min: number;
  max: number;
}

/** Text a rule scans whole before its lead anchor (keyword-anchors.ts) is worked out: a hook run's is less. */
const LEAD_ANCHOR_AFTER_CHARS = 256 * 1024;

/** A rule with its regexes compiled on first use: a staged scan usually needs a handful of them. */
class CompiledRule {
  readonly rank: number;
  private compiled?: RegExp;
  private sticky?: RegExp;
  private values?: RegExp[];
  private nearCompanions?: Companion[];
  private pathMatcher?: (path: string) => boolean;
  /** The lead anchor (null: none), once the rule has scanned LEAD_ANCHOR_AFTER_CHARS whole. */
  private lead?: LeadAnchor | null;
  private scannedWhole = 0;
  /** Text to scan whole before the lead anchor is worked out (Infinity: never). */
  private readonly leadAfter: number;
  /** Extends a match of the regex to the whole secret (src/rules/matchers.ts). */
  readonly matcher?: Matcher;

  constructor(
    readonly spec: RuleSpec,
    leadAfter = LEAD_ANCHOR_AFTER_CHARS,
  ) {
    this.leadAfter = leadAfter;
    this.rank = CONFIDENCE_RANK[spec.confidence ?? 'high'];
    if (spec.matcher) this.matcher = MATCHERS[spec.matcher];
  }

  get regex(): RegExp {
    return (this.compiled ??= new RegExp(this.spec.regex, flagsWith('gd', this.spec.flags)));
  }

  /** The same regex, sticky: tried at the starts the keyword anchors allow. */
  get stickyRegex(): RegExp {
    return (this.sticky ??= new RegExp(this.spec.regex, flagsWith('yd', this.spec.flags)));
  }

  /**
   * Where in `text` a match can start (ascending, a superset) from the rule's lead
   * anchor, or undefined: scan it whole. Worked out only once the rule has scanned
   * `leadAfter` whole, so a hook run does not parse the candidate rules.
   */
  leadStarts(text: string, tailStarts?: TailStarts): number[] | undefined {
    if (this.lead === undefined) {
      if ((this.scannedWhole += text.length) <= this.leadAfter) return undefined;
      this.lead = this.spec.fromConfig ? null : (leadAnchor(this.spec.regex, this.spec.flags ?? '', this.spec.keywords) ?? null);
    }
    if (!this.lead) return undefined;
    return leadAnchoredStarts(this.lead, text, this.lead.tailAnchors && tailStarts?.(this.lead.tailAnchors));
  }

  /** A near rule's companions (src/rules/near.ts), each a regex to find within `within` characters of the secret. */
  get companions(): Companion[] {
    return (this.nearCompanions ??= (this.spec.near?.companions ?? []).map((c) => ({
      name: c.name,
      regex: new RegExp(c.regex),
      within: c.within ?? NEAR_DEFAULT_WITHIN,
    })));
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

/** Where the prefilter's keyword hits in the text a rule scans say a match of these anchors can start (KeywordPrefilter.startsOf). */
type TailStarts = (anchors: KeywordAnchors) => number[] | undefined;

interface Companion {
  name: string;
  regex: RegExp;
  within: number;
}

/** The first companion of the candidate's rule that does not occur near it, if any. */
function missingCompanion(candidate: Candidate, text: string): Companion | undefined {
  return candidate.rule.companions.find(
    (c) => !c.regex.test(text.slice(Math.max(0, candidate.start - c.within), candidate.end + c.within)),
  );
}

function flagsWith(own: string, flags = ''): string {
  return [...new Set(own + flags)].join('');
}

/** Builds the detector once per process: the keyword index here, each rule regex on first use. */
export function createDetector(rules: readonly RuleSpec[], options: DetectorOptions = {}): Detector {
  // Made on first use: most rules are never a candidate in a run.
  const compiledRules: CompiledRule[] = new Array(rules.length);
  // The plain engine (noPrefilter) scans every rule whole: what the others are compared with.
  const leadAfter = options.noPrefilter ? Number.POSITIVE_INFINITY : (options.leadAnchorChars ?? LEAD_ANCHOR_AFTER_CHARS);
  const compiled = (index: number): CompiledRule => (compiledRules[index] ??= new CompiledRule(rules[index]!, leadAfter));
  // Custom rules run on a worker under a time budget, over whole fragments; the
  // others here, in windows sized from their own longest matches.
  const custom = rules.flatMap((spec, i) => (spec.fromConfig ? [i] : []));
  const customIndex = new Map(custom.map((rule, i) => [rule, i]));
  let budgeted: BudgetedRules | undefined;
  /** Each rule's reach around its secret (matchExtent), worked out when a long text first needs it. */
  const reaches: Array<Reach | undefined> = [];
  const reachOf = (rule: number): Reach => (reaches[rule] ??= ruleReach(rules[rule]!));
  const allRules = rules.map((_, i) => i);
  const prefilter: Pick<KeywordPrefilter, 'candidates' | 'anchoredStarts' | 'startsOf' | 'candidatesOfEach' | 'select'> =
    options.noPrefilter
      ? {
          candidates: () => allRules,
          anchoredStarts: () => undefined,
          startsOf: () => undefined,
          candidatesOfEach: () => undefined,
          select: () => undefined,
        }
      : new KeywordPrefilter((builtinRulesIndex(rules)?.prefilter as PrefilterIndex | undefined) ?? rules.map((r) => r.keywords), {
          regexChars: options.prefilterRegexChars,
          anchorsOf: (i) => {
            const prebuilt = builtinRulesAnchors(rules)?.[i];
            if (prebuilt !== undefined) return prebuilt === 0 ? undefined : new Map(prebuilt);
            return keywordAnchors(rules[i]!.regex, rules[i]!.flags ?? '', rules[i]!.keywords);
          },
          automaton: () => {
            const bytes = builtinRulesAutomaton(rules);
            return bytes && decodeAutomaton(bytes);
          },
        });
  /** A lead-anchored rule's tail starts, from the keyword hits in the text the prefilter last read (as anchoredStarts). */
  const tailStarts: TailStarts = (anchors) => prefilter.startsOf(anchors);
  const allowlist = new Allowlist(options.allowlist);
  const blobFinder = new Base64BlobFinder();
  const vendorPrefixes = new VendorPrefixes(rules, builtinRulesIndex(rules)?.vendorPrefixes as VendorPrefixTable | undefined);
  let vendorNames: VendorNames | undefined;
  const debug = options.debug;

  /**
   * Why a generic rule's value is not reported: the name it is assigned to names a vendor
   * (`WANDB_API_KEY=`) whose own rules, run over the lines around it, turn the value down.
   */
  function notTheNamedVendorsKey(candidate: Candidate, text: string): string | undefined {
    // Only a token: a value with other signs in it (a pass phrase) is no vendor's shape to judge.
    if (!TOKEN_CHARS.test(candidate.secret)) return undefined;
    const named = (vendorNames ??= new VendorNames(rules)).namedBefore(text, candidate.start);
    if (!named) return undefined;
    // The line before and the value's line, cut short on a long line (a minified bundle): a name is never far.
    const from = Math.max(
      text.lastIndexOf('\n', text.lastIndexOf('\n', candidate.start - 1) - 1) + 1,
      candidate.start - NAMED_VENDOR_REACH,
    );
    const lineEnd = text.indexOf('\n', candidate.end);
    const around = text.slice(from, Math.min(lineEnd < 0 ? text.length : lineEnd, candidate.end + NAMED_VENDOR_REACH));
    const overlaps = (found: Candidate): boolean => found.start + from < candidate.end && found.end + from > candidate.start;
    let turnedDown = false;
    for (const index of named.rules) {
      const rule = compiled(index);
      if (rule.matcher) return undefined;
      if (matchRule(rule, around).some(overlaps)) return undefined;
      // The rule turns the value down for its length only if it reads a value at this name
      // (a near rule reads any token near the vendor's name: not this one's kind), and only
      // its length tells: a vendor may issue keys of other alphabets than its rule's.
      if (rule.spec.near) continue;
      const open = anyValueRule(index);
      const value = open && valueAfterName(open.rule, around, candidate.start - from, candidate.end - from);
      if (value === undefined) continue;
      if (value.length >= open!.min && value.length <= open!.max) return undefined;
      turnedDown = true;
    }
    return turnedDown ? `assigned to a ${named.word} name but not as long as ${rules[named.rules[0]!]!.provider}'s keys` : undefined;
  }

  /** The rule with its secret group opened to any value (anyValueRegex), and its secret's lengths; made on first use. */
  const anyValueRules = new Map<number, AnyValueRule | null>();
  function anyValueRule(index: number): AnyValueRule | undefined {
    let rule = anyValueRules.get(index);
    if (rule === undefined) {
      const spec = rules[index]!;
      const regex = anyValueRegex(spec.regex);
      rule = null;
      try {
        const lengths = regex ? secretLengths(spec.regex, spec.flags) : undefined;
        if (regex && lengths) {
          const open = new CompiledRule({ ...spec, regex });
          void open.regex;
          rule = { rule: open, ...lengths };
        }
      } catch {
        rule = null;
      }
      anyValueRules.set(index, rule);
    }
    return rule ?? undefined;
  }

  function rejectReason(candidate: Candidate, path: string, text?: string): string | undefined {
    const { spec } = candidate.rule;
    const secret = candidate.secret;
    if (spec.entropy !== undefined && shannonEntropy(secret) < spec.entropy) return 'low entropy';
    if (spec.checksum && !validateChecksum(spec.checksum, secret)) return 'checksum mismatch';
    const placeholder = placeholderReason(secret);
    if (placeholder) return placeholder;
    if (text !== undefined && !candidate.encoded) {
      if (isRedacted(text, candidate.start, candidate.end)) return 'redacted or truncated';
      const followed = notAKeyByWhatFollows(text, candidate.start, candidate.end);
      if (followed) return followed;
      // Only a rule that needs the name takes the value from it: a vendor-shaped key stands on its own.
      if (candidate.rule.rank === CONFIDENCE_RANK.low && followsEmptyAssignment(text, candidate.start))
        return 'an empty assignment on the line above';
      if (echoesUserName(text, candidate.start, candidate.end)) return 'the password repeats the user name';
      const missing = spec.near?.companions ? missingCompanion(candidate, text) : undefined;
      if (missing) return `no ${missing.name} near it`;
    }
    // A generic rule does not report what a vendor's own rule turned down (its shape or checksum is wrong).
    if (candidate.rule.rank === CONFIDENCE_RANK.low) {
      const vendor = vendorPrefixes.prefixOf(secret);
      if (vendor) return `has ${vendor.provider}'s prefix "${vendor.prefix}" but not its key's shape`;
      const named = text !== undefined && !candidate.encoded ? notTheNamedVendorsKey(candidate, text) : undefined;
      if (named) return named;
    }
    if (candidate.rule.allowsPath(path)) return 'rule allowlisted path';
    if (candidate.rule.allowValues.some((r) => r.test(secret))) return 'rule allowlisted value';
    return allowlist.valueReason(secret);
  }

  function detectBatch(fragments: readonly Fragment[]): Finding[][] {
    // The automaton takes over once the regex engine has scanned PREFILTER_REGEX_CHARS, not
    // at the first batch of many fragments: building it costs ~30 ms, more than a push of
    // ten commits (~100 fragments) costs to prefilter with the regex (pre-push: +11% CPU).
    const entries =
      fragments.length > 1 && fragments.every((f) => f.text.length <= MIN_WINDOW_CHARS)
        ? prefilter.candidatesOfEach(fragments.map((f) => f.text))
        : undefined;
    return entries ? fragments.map((f, i) => detect(f, entries[i])) : fragments.map((f) => detect(f));
  }

  /** `batched`: the fragment's share of a candidatesOfEach() pass (a text of one window), instead of its own. */
  function detect(fragment: Fragment, batched?: BatchEntry): Finding[] {
    const skipped = allowlist.pathReason(fragment.path);
    if (skipped) {
      debug?.(`skipping ${fragment.path}: ${skipped}`);
      return [];
    }
    const { text } = fragment;
    const accepted: Candidate[] = [];
    let customCandidates: Set<number> | undefined;
    const accept = (candidate: Candidate | undefined, how = ''): void => {
      if (!candidate) return;
      const reason = rejectReason(candidate, fragment.path, candidate.encoded ? undefined : text);
      if (reason) debug?.(`skipping ${candidate.rule.spec.id}${how} in ${fragment.path}: ${reason}`);
      else accepted.push(candidate);
    };
    // A long text's windows overlap by the reach of the rules whose keywords it holds,
    // not of every rule: reading 800 regexes costs more than most histories' detection.
    // Most fragments (a history's file changes) are one window: no generator for them.
    const windows =
      text.length > MIN_WINDOW_CHARS
        ? windowsOf(text.length, layoutOf(prefilter.candidates(text).map(reachOf)))
        : [wholeWindow(text.length)];
    for (const window of windows) {
      const part = window.from === 0 && window.to === text.length ? text : text.slice(window.from, window.to);
      if (batched) prefilter.select(batched);
      for (const index of batched ? batched.rules : prefilter.candidates(part)) {
        const rule = compiled(index);
        if (rule.spec.fromConfig) {
          (customCandidates ??= new Set()).add(index);
          continue;
        }
        for (const found of matchRule(rule, part, prefilter.anchoredStarts(index), tailStarts)) {
          const start = found.start + window.from;
          if (start < window.ownFrom || start >= window.ownTo) continue;
          // A matcher reads on past the window, over the whole text: a key is never cut by a window edge.
          accept(rule.matcher ? extended(rule, text, start, found.end + window.from) : { ...found, start, end: found.end + window.from });
        }
      }
    }
    const jobs: CustomJob[] = customCandidates ? [{ text, rules: [...customCandidates] }] : [];
    for (const candidate of encodedCandidates(fragment, jobs)) accept(candidate, ' (base64)');
    for (const candidate of derivedCandidates(text)) accept(candidate, ` (${candidate.encoding})`);
    if (jobs.length) for (const candidate of customCandidatesOf(fragment, jobs)) accept(candidate, candidate.encoded ? ' (base64)' : '');
    if (accepted.length === 0) return [];
    const lines = new LineIndex(text);
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
   * Custom rules' share is added to `jobs`, for their worker.
   */
  function encodedCandidates(fragment: Fragment, jobs: CustomJob[]): Candidate[] {
    const found: Candidate[] = [];
    for (const blob of blobFinder.find(fragment.text, MAX_BLOBS)) {
      const customHere: number[] = [];
      for (const index of prefilter.candidates(blob.decoded)) {
        const rule = compiled(index);
        if (rule.spec.fromConfig) {
          customHere.push(index);
          continue;
        }
        for (const inner of matchRule(rule, blob.decoded, prefilter.anchoredStarts(index), tailStarts)) {
          const decoded = rule.matcher ? extended(rule, blob.decoded, inner.start, inner.end) : inner;
          if (decoded) found.push({ ...decoded, start: blob.start, end: blob.end, encoded: true, encoding: 'base64' });
        }
      }
      if (customHere.length) jobs.push({ text: blob.decoded, rules: customHere, blob });
    }
    return found;
  }

  /**
   * Keys written percent-encoded, or split into string literals joined by `+`, `.` or
   * nothing: found in the rewritten text, reported where they are written, with the
   * whole key as the secret. Only keys the rewriting made whole (spanning a decoded
   * escape or a literal boundary) count: the others the plain scan has seen.
   */
  function derivedCandidates(text: string): Candidate[] {
    const found: Candidate[] = [];
    const derived: DerivedText[] = [...percentDecoded(text, MAX_BLOBS), ...joinedLiterals(text, MAX_BLOBS)];
    for (const part of derived) {
      for (const index of prefilter.candidates(part.text)) {
        const rule = compiled(index);
        if (rule.spec.fromConfig || rule.matcher) continue;
        for (const inner of matchRule(rule, part.text, prefilter.anchoredStarts(index), tailStarts)) {
          if (!spansSeam(part, inner.start, inner.end)) continue;
          const start = part.origin[inner.start]!;
          const end = part.encoding === 'url' ? part.origin[inner.end]! : part.origin[inner.end - 1]! + 1;
          found.push({ ...inner, start, end, encoded: true, encoding: part.encoding });
        }
      }
    }
    return found;
  }

  /** The custom rules' matches, from their worker; a rule that did not finish is reported. */
  function customCandidatesOf(fragment: Fragment, jobs: readonly CustomJob[]): Candidate[] {
    budgeted ??= new BudgetedRules(
      custom.map((i) => rules[i]!),
      options.customRuleBudget,
    );
    const result = budgeted.run(jobs.map((job): Job => ({ text: job.text, rules: job.rules.map((i) => customIndex.get(i)!) })));
    for (const { rule, overBudgetNow } of result.unfinished) {
      const { id } = rules[custom[rule]!]!;
      const reason = overBudgetNow ? messages.customRuleOverBudget(id) : messages.customRuleStopped(id);
      debug?.(`${fragment.path}: ${reason}`);
      options.notFullyScanned?.(fragment, reason);
    }
    const found: Candidate[] = [];
    result.matches.forEach((matches, j) => {
      const { blob } = jobs[j]!;
      for (const match of matches) {
        const rule = compiled(custom[match.rule]!);
        const span = blob
          ? { start: blob.start, end: blob.end, encoded: true, encoding: 'base64' as const }
          : { start: match.start, end: match.end };
        found.push({ rule, secret: match.secret, ...span });
      }
    });
    return found;
  }

  function close(): void {
    budgeted?.close();
    budgeted = undefined;
  }

  return { rules, detect: (fragment) => detect(fragment), detectBatch, pathReason: (path) => allowlist.pathReason(path), close };
}

/** A text for the custom rules' worker: the fragment, or a decoded base64 blob of it. */
interface CustomJob {
  text: string;
  rules: number[];
  blob?: { start: number; end: number };
}

/** The rule's match extended by its matcher over `text`, or undefined when the matcher finds no whole secret. */
function extended(rule: CompiledRule, text: string, start: number, end: number): Candidate | undefined {
  const secretEnd = rule.matcher!(text, start, end);
  return secretEnd === undefined ? undefined : { rule, start, end: secretEnd, secret: text.slice(start, secretEnd) };
}

/**
 * Long text (a minified bundle, a data dump) is scanned in bounded windows, so no
 * rule ever runs over megabytes at once. Each secret start belongs to exactly one
 * window, which holds `context` characters before it (prefixes, look-behinds) and
 * `overlap - context` from it on: the most any rule's match reaches on either side
 * of its secret's start, worked out from the rules' regexes (windowLayout). So what
 * is found is what a scan of the whole text would find. Matchers (private-key
 * blocks) read on past the window; custom rules run over whole fragments.
 */
export interface WindowLayout {
  size: number;
  overlap: number;
  context: number;
}

/** Text up to this length is one window. */
export const MIN_WINDOW_CHARS = 1 << 18;
/**
 * How far one rule is taken to reach when its regex has an unbounded repetition
 * (`[a-z0-9]+`): such a match is still found from the window its secret starts in,
 * but a part of it more than this far from that start may be cut at the window's end.
 */
export const UNBOUNDED_REACH = 1 << 12;
const UNREADABLE_REACH = 1 << 12;

export function windowLayout(rules: readonly RuleSpec[]): WindowLayout {
  return layoutOf(rules.map(ruleReach));
}

/** How far a rule's match reaches before and after its secret's start (custom rules: nothing, they run over whole fragments). */
interface Reach {
  before: number;
  after: number;
}

function ruleReach(rule: RuleSpec): Reach {
  if (rule.fromConfig) return { before: 0, after: 0 };
  let extent: Reach;
  try {
    extent = matchExtent(rule.regex, rule.flags ?? '');
  } catch {
    extent = { before: UNREADABLE_REACH, after: UNREADABLE_REACH };
  }
  return {
    before: Number.isFinite(extent.before) ? extent.before : UNBOUNDED_REACH,
    after: Number.isFinite(extent.after) ? extent.after : UNBOUNDED_REACH,
  };
}

/** The windows for rules of these reaches: they hold the longest reach on either side. */
function layoutOf(reaches: readonly Reach[]): WindowLayout {
  let before = 0;
  let after = 0;
  for (const reach of reaches) {
    before = Math.max(before, reach.before);
    after = Math.max(after, reach.after);
  }
  const overlap = before + after;
  // Windows at least four times their overlap, so the overlap costs at most a third more work.
  return { size: Math.max(MIN_WINDOW_CHARS, 4 * overlap), overlap, context: before };
}

interface Window {
  from: number;
  to: number;
  /** Secret starts in [ownFrom, ownTo) are reported from this window only. */
  ownFrom: number;
  ownTo: number;
}

function wholeWindow(length: number): Window {
  return { from: 0, to: length, ownFrom: 0, ownTo: length };
}

export function* windowsOf(length: number, layout?: WindowLayout): Generator<Window> {
  if (!layout || length <= layout.size) {
    yield { from: 0, to: length, ownFrom: 0, ownTo: length };
    return;
  }
  const { size, overlap, context } = layout;
  const step = size - overlap;
  for (let from = 0; ; from += step) {
    const to = Math.min(length, from + size);
    const last = to === length;
    yield { from, to, ownFrom: from === 0 ? 0 : from + context, ownTo: last ? length : from + step + context };
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
function matchRule(rule: CompiledRule, text: string, keywordStarts?: readonly number[], tailStarts?: TailStarts): readonly Candidate[] {
  // An array, not a generator: this runs for every candidate rule of every fragment, and most find nothing.
  let found: Candidate[] | undefined;
  const starts = keywordStarts ?? rule.leadStarts(text, tailStarts);
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
      if (candidate) (found ??= []).push(candidate);
    }
    return found ?? NO_CANDIDATES;
  }
  const regex = rule.regex;
  regex.lastIndex = 0;
  let match: RegExpExecArray | null;
  while ((match = regex.exec(text)) !== null) {
    if (match[0].length === 0) regex.lastIndex++;
    const candidate = candidateOf(rule, match);
    if (candidate) (found ??= []).push(candidate);
  }
  return found ?? NO_CANDIDATES;
}

const NO_CANDIDATES: readonly Candidate[] = Object.freeze([]);

function candidateOf(rule: CompiledRule, match: RegExpExecArray): Candidate | undefined {
  const span = match.indices?.groups?.secret;
  const secret = match.groups?.secret;
  if (!span || secret === undefined || secret.length === 0) return undefined;
  return { rule, start: span[0], end: span[1], secret };
}

/** Where spans overlap, the more specific rule (then the longer span, then the key as written) wins. */
function resolveOverlaps(candidates: Candidate[]): Candidate[] {
  const byPriority = [...candidates].sort(
    (a, b) =>
      b.rule.rank - a.rule.rank ||
      b.end - b.start - (a.end - a.start) ||
      Number(a.encoded ?? false) - Number(b.encoded ?? false) ||
      a.start - b.start,
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
    description: candidate.encoding ? `${spec.description} (${ENCODING_NOTES[candidate.encoding]})` : spec.description,
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
    ...(candidate.encoding ? { encoding: candidate.encoding } : {}),
  };
  return withCommit(finding, fragment.commit);
}

const ENCODING_NOTES: Record<NonNullable<Finding['encoding']>, string> = {
  base64: 'base64-encoded',
  url: 'URL-encoded',
  split: 'split across string literals',
};

function detach(value: string): string {
  return value.length < 16 ? value : Buffer.from(value, 'utf16le').toString('utf16le');
}

/** Convenience for tests and the library API: scan one piece of text as a file at `path`. */
export function detectText(text: string, rules: readonly RuleSpec[], path = 'example.txt', options?: DetectorOptions): Finding[] {
  const lineCount = text.split('\n').length;
  const lineNumbers = Array.from({ length: lineCount }, (_, i) => i + 1);
  const detector = createDetector(rules, options);
  try {
    return detector.detect({ path, text, lineNumbers, origin: 'stdin' });
  } finally {
    detector.close();
  }
}
