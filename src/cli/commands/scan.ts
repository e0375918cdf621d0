import path from 'node:path';
import { interruptedFix } from '../../git/fix-marker.js';
import { messages } from '../../messages.js';
import { UsageError } from '../../errors.js';
import { escapeForDisplay } from '../../report/escape.js';
import { createProgress, type Progress } from '../../report/progress.js';
import { maskFindings } from '../../redact.js';
import { REPORTERS, type Format } from '../../report/reporters/index.js';
import { scan, type ScanResult } from '../../scan.js';
import type { ScanSource } from '../../sources/index.js';
import { partlyScanned } from '../../sources/source-stats.js';
import type { Notice } from '../../findings/range-base.js';
import { emitReport, ignoreBrokenPipe, STDOUT_FD, useColor } from '../output.js';
import { toolVersion } from '../version.js';
import { tuneForLongRun } from '../long-run.js';

export interface SourceArgs {
  staged?: boolean;
  range?: string;
  history?: boolean;
  unpushed?: boolean;
  stdin?: boolean;
  paths?: string[];
  /** With --range: the checked-out config and baseline, not the base commit's. */
  trustHeadConfig?: boolean;
  /** Fingerprints of false alarms (default: .leakguardignore at the repository root). */
  ignoreFile?: string;
}

export interface ScanArgs extends SourceArgs {
  format: Format;
  output?: string;
  /** Also write SARIF to this file, whatever `format` is (one scan for CI's annotations and code scanning). */
  outputSarif?: string;
  config?: string;
  baseline?: string;
  showSecrets?: boolean;
  debug?: boolean;
  /** Check each key with its provider (src/verify/, loaded only when asked for). */
  verify?: boolean;
  /** Report live keys only (implies --verify). */
  onlyVerified?: boolean;
  /** What sets exit 1: any finding (default) or a live one (implies --verify). */
  failOn?: 'any' | 'live';
}

/** One source per run; `--staged` is the default when nothing else is asked for. */
export function chooseSource(args: SourceArgs): ScanSource {
  const chosen: ScanSource[] = [];
  if (args.staged) chosen.push({ kind: 'staged' });
  if (args.range !== undefined) {
    if (!/\S\.\.\.?\S|^\S+$/.test(args.range)) throw new UsageError(`--range expects A..B or A...B, got "${args.range}"`);
    chosen.push({ kind: 'range', range: args.range });
  }
  if (args.history) chosen.push({ kind: 'history' });
  if (args.unpushed) chosen.push({ kind: 'unpushed' });
  if (args.stdin) chosen.push({ kind: 'stdin' });
  if (args.paths?.length) chosen.push({ kind: 'paths', paths: args.paths });
  if (chosen.length > 1) throw new UsageError('choose one of --staged, --range, --history, --unpushed, --stdin or PATH...');
  return chosen[0] ?? { kind: 'staged' };
}

export async function runScan(args: ScanArgs, cwd: string): Promise<{ result: ScanResult }> {
  const source = chooseSource(args);
  if (source.kind === 'history') tuneForLongRun();
  const debug = args.debug ? debugSink() : undefined;
  // Only long scans report progress (the scan asks): the hook's path never sets up the stderr stream.
  let progress: Progress | undefined;
  const startProgress = (): Progress | undefined => {
    progress = createProgress(process.stderr);
    return progress.active && !args.debug ? progress : undefined;
  };
  try {
    const result = await scan({
      cwd,
      source,
      configFile: args.config,
      baselineFile: args.baseline,
      ignoreFile: args.ignoreFile,
      trustHeadConfig: args.trustHeadConfig,
      debug,
      startProgress,
    });
    return { result };
  } finally {
    progress?.finish();
  }
}

/** --debug: one line on stderr per message; paths in it are shown escaped, and a reader that quits early is no error. */
function debugSink(): (message: string) => void {
  ignoreBrokenPipe(process.stderr);
  return (message) => process.stderr.write(`leakguard: debug: ${escapeForDisplay(message)}\n`);
}

/** `leakguard scan`: exit code 1 when anything was found. */
export async function scanCommand(args: ScanArgs, cwd = process.cwd()): Promise<number> {
  if (
    args.outputSarif !== undefined &&
    args.output !== undefined &&
    path.resolve(cwd, args.output) === path.resolve(cwd, args.outputSarif)
  ) {
    throw new UsageError('--output and --output-sarif name the same file: give each report its own');
  }
  const { result } = await runScan(args, cwd);
  const { source } = result;
  if (source.fix === 'staged' && result.repoRoot) await warnInterruptedFix(result.repoRoot);
  const loadReporter = REPORTERS[args.format];
  if (!loadReporter) throw new UsageError(`the ${args.format} format is not available yet`);
  const reporter = await loadReporter();
  const inHook = source.fix === 'staged' && runsInGitHook();
  let findings = result.findings;
  let failOn = args.failOn ?? 'any';
  const configVerify = result.config.verify;
  const hookVerifies = inHook && (configVerify === true || (typeof configVerify === 'object' && configVerify.hook === true));
  if (findings.length && (args.verify || args.onlyVerified || failOn === 'live' || hookVerifies)) {
    const { verifyForCli } = await import('../../verify/cli-verify.js');
    ({ findings, failOn } = await verifyForCli({
      findings,
      rules: result.rules,
      config: configVerify,
      inHook,
      failOn,
      onlyVerified: Boolean(args.onlyVerified),
      warn: (line) => process.stderr.write(`${line}\n`),
    }));
  }
  const failing = failOn === 'live' ? findings.some((f) => f.verification?.status === 'live') : findings.length > 0;
  // The HTML page says whether each key of a commit scan is still in the tree (git grep over HEAD, before masking).
  const stillPresent =
    args.format === 'html' && source.commitOrdered && result.repoRoot
      ? await (await import('../../findings/still-present.js')).stillPresentAtHead(result.repoRoot, findings)
      : undefined;
  const masked = maskFindings(findings, Boolean(args.showSecrets));
  // Range scans list what the range changes in the config and baseline in their stats (JSON `stats.notices`, SARIF run properties).
  const context = {
    stats: result.stats,
    source,
    baselined: result.baselined,
    color: args.format === 'text' && useColor(STDOUT_FD, args.output),
    rules: result.rules,
    // Read from package.json only by a report that prints it (SARIF, HTML): ~1 ms the hooks' text report does not need.
    get toolVersion() {
      return toolVersion();
    },
    stillPresent,
  };
  const report = reporter(masked, context);
  await emitReport(report, args.output, cwd);
  if (args.outputSarif) {
    const sarifReporter = await REPORTERS.sarif();
    await emitReport(sarifReporter(masked, { ...context, color: false }), args.outputSarif, cwd, '--output-sarif');
  }
  await printNotices(result.notices, args.format);
  // A rule that did not finish (a custom rule past its time budget): the scan cannot vouch for those files.
  const partly = partlyScanned(result.stats);
  if (partly.length) {
    process.stderr.write(`${messages.errorPrefix} ${messages.incompleteScan([...new Set(partly.map((n) => n.file))])}\n`);
    return 2;
  }
  if (failing && source.fix === 'staged' && args.format === 'text' && !args.output && inHook) {
    const { offerFixInHook } = await import('./hook-fix.js');
    return offerFixInHook(result, cwd, args.config);
  }
  // A file that could not be read may hold a key: that is never a clean (or merely "found") result.
  const { notRead } = result.stats;
  if (notRead.length) {
    process.stderr.write(`${messages.errorPrefix} ${messages.notReadError(notRead.length, notRead[0]!.file, notRead[0]!.reason)}\n`);
    return 2;
  }
  return failing ? 1 : 0;
}

/**
 * A range that changes the config or baseline is told on stderr in every format,
 * after the report: a CI log shows it, and with `--format github` it is a warning
 * annotation on the changed file (GitHub reads workflow commands from stderr too).
 */
export async function printNotices(notices: readonly Notice[], format: string | undefined): Promise<void> {
  if (!notices.length) return;
  const { escapeData, escapeProperty } =
    format === 'github' ? await import('../../report/reporters/github.js') : { escapeData: String, escapeProperty: String };
  const lines = notices.map((n) =>
    format === 'github'
      ? `::warning file=${escapeProperty(n.file)},title=${escapeProperty(messages.rangeChangesTitle(n.kind))}::${escapeData(n.message)}`
      : `leakguard: warning: ${n.message}`,
  );
  process.stderr.write(`${lines.join('\n')}\n`);
}

/** git sets GIT_INDEX_FILE for the hooks of `git commit`. */
function runsInGitHook(): boolean {
  return process.env.GIT_INDEX_FILE !== undefined;
}

/** A fix killed part-way left files half-rewritten: say so on every staged scan until it is undone. */
async function warnInterruptedFix(repoRoot: string): Promise<void> {
  const marker = await interruptedFix(repoRoot).catch(() => null);
  if (marker) process.stderr.write(`leakguard: warning: ${escapeForDisplay(messages.interruptedFix(marker.backupDir))}\n`);
}
