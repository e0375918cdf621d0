import path from 'node:path';
import { loadConfig, type LeakguardConfig } from './config/load-config.js';
import { filterBaseline, loadBaseline, type LoadedBaseline } from './findings/baseline.js';
import type { Notice } from './config/range-base.js';
import { filterIgnored, ignoreFilePath, loadIgnoreFile } from './findings/ignore-file.js';
import { createDetector, type Detector } from './detect/detector.js';
import { builtWorkerFile, DetectionPool } from './detect/detection-pool.js';
import type { Finding } from './detect/finding.js';
import type { Fragment } from './sources/fragment.js';
import { fragmentsFor, startStagedDiff, type ScanSource } from './sources/index.js';
import { emptyStats, type ScanStats } from './sources/source-stats.js';
import { findRepoRoot, requireRepoRoot } from './git/repo.js';
import { effectiveRules, loadBuiltinRules } from './rules/load-rules.js';
import type { RuleSpec } from './rules/rule.js';

export interface ScanOptions {
  cwd: string;
  source: ScanSource;
  configFile?: string;
  baselineFile?: string;
  /** Default: .leakguardignore at the repository root. */
  ignoreFile?: string;
  /** One line per dropped candidate or skipped file (never a raw secret). */
  debug?: (message: string) => void;
  progress?: (done: number, total: number | undefined, unit: 'commits' | 'files') => void;
  /** Rules to use instead of the built-in bundle (tests, library users). */
  rules?: RuleSpec[];
  /**
   * `--range` only: use the checked-out config and baseline instead of the range's
   * base commit's (the range can then allowlist its own findings).
   */
  trustHeadConfig?: boolean;
}

export interface ScanResult {
  findings: Finding[];
  /** Findings hidden by the baseline. */
  baselined: number;
  /** Findings hidden by the ignore file (also `stats.ignored`). */
  ignored: number;
  stats: ScanStats;
  repoRoot?: string;
  config: LeakguardConfig;
  /** The rules that ran. */
  rules: RuleSpec[];
  /** Changes the range makes to the config or baseline the scan trusted (range scans only). */
  notices: Notice[];
}

const SOURCES_NEEDING_REPO = new Set<ScanSource['kind']>(['staged', 'range', 'history', 'unpushed']);
/**
 * Sources whose text arrives faster than one thread detects it, in many fragments.
 * Not commit sources: their two `git log` processes keep both cores busy. Not the
 * working tree: its parallel file reads already use the second core (a worker made it
 * slower: bench/perf/README.md). Not stdin: one fragment.
 */
const SOURCES_WITH_WORKER = new Set<ScanSource['kind']>(['staged']);

/** Runs one scan from source to filtered findings. Never prints, never exits. */
export async function scan(options: ScanOptions): Promise<ScanResult> {
  // hrtime, not performance.now(): the latter loads perf_hooks on the hot path.
  const started = process.hrtime.bigint();
  const { source } = options;
  const repoRoot = SOURCES_NEEDING_REPO.has(source.kind)
    // Commit sources need no work tree: a bare clone or a mirror (a CI cache) will do.
    ? await requireRepoRoot(options.cwd, `scan --${source.kind}`, { bare: source.kind !== 'staged' })
    : await findRepoRoot(options.cwd);
  const stagedDiff = source.kind === 'staged' ? startStagedDiff(repoRoot!) : undefined;
  let findings: Finding[] = [];
  const stats = emptyStats();
  let pool: DetectionPool | undefined;
  let detector: Detector | undefined;
  let rules: RuleSpec[];
  let config: LeakguardConfig;
  // A range is scanned with its base commit's config and baseline (src/config/range-base.ts).
  const trusted = source.kind === 'range' && !options.trustHeadConfig
    ? await (await import('./config/range-base.js')).loadFromRangeBase({ ...options, repoRoot: repoRoot!, range: source.range })
    : undefined;
  try {
    config = trusted ? trusted.config : await loadConfig(options.configFile, repoRoot);
    rules = effectiveRules(options.rules ?? loadBuiltinRules(), config, trusted?.configName ?? options.configFile);
    const allowlist = { ...config.allowlist, skipLockfiles: config.skipLockfiles };
    // A rule that did not finish on a fragment (a custom rule past its time budget): once per file and reason.
    const notFullyScanned = (fragment: Fragment, why: string): void => {
      const reason = fragment.commit ? `in commit ${fragment.commit.commit.slice(0, 12)}: ${why}` : why;
      if (!stats.notRead.some((n) => n.file === fragment.path && n.reason === reason)) stats.notRead.push({ file: fragment.path, reason, partly: true });
    };
    const created = createDetector(rules, { allowlist, debug: options.debug, notFullyScanned });
    detector = created;
    const skipReason = (file: string): string | undefined => {
      const reason = created.pathReason(file);
      if (reason) options.debug?.(`skipping ${file}: ${reason}`);
      return reason;
    };
    const context = { cwd: options.cwd, repoRoot, stats, skipReason, skipLockfiles: config.skipLockfiles, progress: options.progress, stagedDiff: stagedDiff?.chunks };
    const workerFile = SOURCES_WITH_WORKER.has(source.kind) ? builtWorkerFile : undefined;
    pool = new DetectionPool(created, { rules, allowlist, debug: options.debug, notFullyScanned, workerFile });
    for await (const fragment of fragmentsFor(source, context)) pool.submit(fragment);
    findings = await pool.findings();
  } finally {
    pool?.close();
    detector?.close();
    stagedDiff?.stop();
  }
  findings = dedupe(findings);
  // Commit sources may be read by parallel git processes: the report order must not depend on that.
  if (source.kind === 'history' || source.kind === 'range' || source.kind === 'unpushed') findings.sort(newestCommitFirst);

  // Findings marked as false alarms in .leakguardignore (a range trusts its base commit's).
  const ignoreAt = trusted ? undefined : ignoreFilePath(options.cwd, repoRoot, options.ignoreFile);
  const ignoreList = trusted ? trusted.ignore : ignoreAt && loadIgnoreFile(ignoreAt.file, ignoreAt.name, ignoreAt.explicit);
  const kept = ignoreList ? filterIgnored(findings, ignoreList, trusted?.ignoreName ?? ignoreAt!.name, options.debug) : findings;
  stats.ignored = findings.length - kept.length;
  findings = kept;

  let baselined = 0;
  const baseline: LoadedBaseline | undefined = trusted
    ? trusted.baseline
    : options.baselineFile ? await loadBaseline(path.resolve(options.cwd, options.baselineFile)) : undefined;
  if (baseline) {
    const kept = await filterBaseline(findings, baseline, options.debug);
    baselined = findings.length - kept.length;
    findings = kept;
  }
  stats.durationMs = Number((process.hrtime.bigint() - started) / 1_000_000n);
  return { findings, baselined, ignored: stats.ignored, stats, repoRoot, config, rules, notices: trusted?.notices ?? [] };
}

/** git log's order: newest commit first; within a commit, by file and position. */
function newestCommitFirst(a: Finding, b: Finding): number {
  return (
    Date.parse(b.date ?? '') - Date.parse(a.date ?? '') ||
    (a.commit ?? '').localeCompare(b.commit ?? '') ||
    a.file.localeCompare(b.file) ||
    a.line - b.line ||
    a.column - b.column
  );
}

/** The same secret at the same place is reported once (overlapping fragments, split streams). */
function dedupe(findings: Finding[]): Finding[] {
  const seen = new Set<string>();
  return findings.filter((f) => {
    const key = `${f.fingerprint}:${f.line}:${f.column}:${f.commit ?? ''}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
