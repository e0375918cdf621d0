import path from 'node:path';
import { loadConfig, type LeakguardConfig } from './config/load-config.js';
import type { Notice, TrustedInputs } from './findings/range-base.js';
import { createDetector } from './detect/detector.js';
import { builtWorkerFile, DetectionPool } from './detect/detection-pool.js';
import type { Finding } from './detect/finding.js';
import { loadBaseline, type LoadedBaseline } from './findings/baseline.js';
import { ignoreFilePath, loadIgnoreFile, type IgnoreList } from './findings/ignore-file.js';
import { postProcess } from './findings/post-process.js';
import { effectiveRules } from './config/effective-rules.js';
import { loadBuiltinRulesLazy } from './rules/load-rules.js';
import type { RuleSpec } from './rules/rule.js';
import { openSource, type ScanSource } from './sources/index.js';
import type { Fragment } from './sources/fragment.js';
import { describeSource, type ProgressCallback, type Source, type SourceDescription } from './sources/source.js';
import { SourceStats, type ScanStats } from './sources/source-stats.js';

export interface ScanOptions {
  cwd: string;
  source: ScanSource;
  configFile?: string;
  baselineFile?: string;
  /** Default: .leakguardignore at the repository root. */
  ignoreFile?: string;
  /** One line per dropped candidate or skipped file (never a raw secret). */
  debug?: (message: string) => void;
  progress?: ProgressCallback;
  /**
   * Called once, as the scan starts, when the source reports progress (long scans)
   * and `progress` is not given: the callback to use, or undefined for none. The
   * CLI sets up its progress line through this, so the hook's path never does.
   */
  startProgress?: () => ProgressCallback | undefined;
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
  /** What was scanned, as reports name it. */
  source: SourceDescription;
}

/**
 * Runs one scan from source to filtered findings: open the source, load the config
 * and rules, detect, post-process, close. Never prints, never exits.
 */
export async function scan(options: ScanOptions): Promise<ScanResult> {
  // hrtime, not performance.now(): the latter loads perf_hooks on the hot path.
  const started = process.hrtime.bigint();
  const { source, repoRoot } = await openSource(options.source, options.cwd);
  const progress = source.reportsProgress ? (options.progress ?? options.startProgress?.()) : undefined;
  const stats = new SourceStats();
  let trusted: TrustedInputs | undefined;
  let config: LeakguardConfig;
  let rules: RuleSpec[];
  let detected: Finding[];
  try {
    const { cwd, configFile, baselineFile, ignoreFile, debug } = options;
    trusted =
      source.trustsBaseOf === undefined || options.trustHeadConfig
        ? undefined
        : await (await import('./findings/range-base.js')).loadFromRangeBase({
            cwd,
            repoRoot: repoRoot!,
            configFile,
            baselineFile,
            ignoreFile,
            debug,
            range: source.trustsBaseOf,
          });
    config = trusted ? trusted.config : await loadConfig(options.configFile, repoRoot);
    rules = effectiveRules(options.rules ?? loadBuiltinRulesLazy(), config, trusted?.configName ?? options.configFile);
    detected = await detect(source, config, rules, { ...options, repoRoot, stats, progress });
  } finally {
    source.close();
  }
  // Findings marked as false alarms in .leakguardignore (a trusted source vouches for its own: a range's base commit's).
  const ignoreAt = trusted ? undefined : ignoreFilePath(options.cwd, repoRoot, options.ignoreFile);
  const ignoreList: IgnoreList | undefined = trusted
    ? trusted.ignore
    : ignoreAt && loadIgnoreFile(ignoreAt.file, ignoreAt.name, ignoreAt.explicit);
  const ignore = ignoreList && { list: ignoreList, name: trusted?.ignoreName ?? ignoreAt!.name };
  const baseline: LoadedBaseline | undefined = trusted
    ? trusted.baseline
    : options.baselineFile
      ? await loadBaseline(path.resolve(options.cwd, options.baselineFile))
      : undefined;
  const { findings, ignored, baselined } = await postProcess(detected, {
    commitOrdered: source.commitOrdered,
    ignore,
    baseline,
    debug: options.debug,
  });
  const durationMs = Number((process.hrtime.bigint() - started) / 1_000_000n);
  // A source that vouches for its own config and baseline reports what it changes in them, even nothing.
  const notices = trusted?.notices ?? [];
  return {
    findings,
    baselined,
    ignored,
    stats: stats.snapshot({ ignored, durationMs, notices: source.trustsBaseOf === undefined ? undefined : notices }),
    repoRoot,
    config,
    rules,
    notices,
    source: describeSource(source),
  };
}

interface DetectContext {
  cwd: string;
  repoRoot?: string;
  stats: SourceStats;
  progress?: ProgressCallback;
  debug?: (message: string) => void;
}

/** Every fragment of the source through the detector; a worker thread shares the work where the source asks for one. */
async function detect(source: Source, config: LeakguardConfig, rules: RuleSpec[], context: DetectContext): Promise<Finding[]> {
  const { debug, stats } = context;
  const allowlist = { ...config.allowlist, skipLockfiles: config.skipLockfiles };
  // A rule that did not finish on a fragment (a custom rule past its time budget): once per file and reason.
  const notFullyScanned = (fragment: Fragment, why: string): void => {
    stats.partlyRead(fragment.path, fragment.commit ? `in commit ${fragment.commit.commit.slice(0, 12)}: ${why}` : why);
  };
  // A whole history: the keyword automaton from the first fragment. Built after the regex
  // engine had read 256 KB one fragment at a time, the first ~800 of express' file
  // changes were detected unbatched (~180 ms of ~450 ms of detection).
  const detector = createDetector(rules, { allowlist, debug, notFullyScanned, ...(source.bulk ? { prefilterRegexChars: 0 } : {}) });
  let pool: DetectionPool | undefined;
  try {
    const skipReason = (file: string): string | undefined => {
      const reason = detector.pathReason(file);
      if (reason) debug?.(`skipping ${file}: ${reason}`);
      return reason;
    };
    pool = new DetectionPool(detector, {
      rules,
      allowlist,
      debug,
      notFullyScanned,
      workerFile: source.detectInWorker ? builtWorkerFile : undefined,
    });
    const { cwd, repoRoot, progress } = context;
    const sourceContext = { cwd, repoRoot, stats, progress, skipReason, skipLockfiles: config.skipLockfiles };
    if (source.fragmentBatches) {
      for await (const batch of source.fragmentBatches(sourceContext)) for (const fragment of batch) pool.submit(fragment);
    } else {
      for await (const fragment of source.fragments(sourceContext)) pool.submit(fragment);
    }
    return await pool.findings();
  } finally {
    pool?.close();
    detector.close();
  }
}
