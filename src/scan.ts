import path from 'node:path';
import { loadConfig, type LeakguardConfig } from './config/load-config.js';
import { filterBaseline, loadBaseline } from './detect/baseline.js';
import { createDetector } from './detect/detector.js';
import { builtWorkerFile, DetectionPool } from './detect/detection-pool.js';
import type { Finding } from './detect/finding.js';
import { fragmentsFor, startStagedDiff, type ScanSource } from './diff/sources.js';
import { emptyStats, type ScanStats } from './diff/scan-stats.js';
import { findRepoRoot, requireRepoRoot } from './git/repo.js';
import { effectiveRules, loadBuiltinRules } from './rules/load-rules.js';
import type { RuleSpec } from './rules/rule.js';

export interface ScanOptions {
  cwd: string;
  source: ScanSource;
  configFile?: string;
  baselineFile?: string;
  /** One line per dropped candidate or skipped file (never a raw secret). */
  debug?: (message: string) => void;
  progress?: (done: number, total: number | undefined, unit: 'commits' | 'files') => void;
  /** Rules to use instead of the built-in bundle (tests, library users). */
  rules?: RuleSpec[];
}

export interface ScanResult {
  findings: Finding[];
  /** Findings hidden by the baseline. */
  baselined: number;
  stats: ScanStats;
  repoRoot?: string;
  config: LeakguardConfig;
  /** The rules that ran. */
  rules: RuleSpec[];
}

const SOURCES_NEEDING_REPO = new Set<ScanSource['kind']>(['staged', 'range', 'history', 'unpushed']);
/**
 * Sources whose text arrives faster than one thread detects it, in many fragments.
 * Not commit sources: their two `git log` processes keep both cores busy. Not the
 * working tree: its parallel file reads already use the second core (measured:
 * 0.80 s alone, 1.0 s with a worker, on 5,000 files / 40 MB). Not stdin: one fragment.
 */
const SOURCES_WITH_WORKER = new Set<ScanSource['kind']>(['staged']);

/** Runs one scan from source to filtered findings. Never prints, never exits. */
export async function scan(options: ScanOptions): Promise<ScanResult> {
  // hrtime, not performance.now(): the latter loads perf_hooks on the hot path.
  const started = process.hrtime.bigint();
  const { source } = options;
  const repoRoot = SOURCES_NEEDING_REPO.has(source.kind)
    ? await requireRepoRoot(options.cwd, `scan --${source.kind}`)
    : await findRepoRoot(options.cwd);
  const stagedDiff = source.kind === 'staged' ? startStagedDiff(repoRoot!) : undefined;
  let findings: Finding[] = [];
  const stats = emptyStats();
  let pool: DetectionPool | undefined;
  let rules: RuleSpec[];
  let config: LeakguardConfig;
  try {
    config = await loadConfig(options.configFile, repoRoot);
    rules = effectiveRules(options.rules ?? loadBuiltinRules(), config);
    const allowlist = { ...config.allowlist, skipLockfiles: config.skipLockfiles };
    const detector = createDetector(rules, { allowlist, debug: options.debug });
    const skipReason = (file: string): string | undefined => {
      const reason = detector.pathReason(file);
      if (reason) options.debug?.(`skipping ${file}: ${reason}`);
      return reason;
    };
    const context = { cwd: options.cwd, repoRoot, stats, skipReason, progress: options.progress, stagedDiff: stagedDiff?.chunks };
    const workerFile = SOURCES_WITH_WORKER.has(source.kind) ? builtWorkerFile : undefined;
    pool = new DetectionPool(detector, { rules, allowlist, debug: options.debug, workerFile });
    for await (const fragment of fragmentsFor(source, context)) pool.submit(fragment);
    findings = await pool.findings();
  } finally {
    pool?.close();
    stagedDiff?.stop();
  }
  findings = dedupe(findings);
  // Commit sources may be read by parallel git processes: the report order must not depend on that.
  if (source.kind === 'history' || source.kind === 'range' || source.kind === 'unpushed') findings.sort(newestCommitFirst);

  let baselined = 0;
  if (options.baselineFile) {
    const known = await loadBaseline(path.resolve(options.cwd, options.baselineFile));
    const kept = filterBaseline(findings, known);
    baselined = findings.length - kept.length;
    findings = kept;
  }
  stats.durationMs = Number((process.hrtime.bigint() - started) / 1_000_000n);
  return { findings, baselined, stats, repoRoot, config, rules };
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
