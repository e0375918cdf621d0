/**
 * The one contract every source meets (gitleaks' `Source`): what it can do, how
 * people are told about it, and the Fragment stream it yields. `scan` reads these
 * fields and never names a source; a new source is a new module here plus one
 * line in the map of index.ts.
 */
import type { Fragment } from './fragment.js';
import type { SourceStats } from './source-stats.js';

/** What to scan; exactly one per run. */
export type ScanSource =
  | { kind: 'staged' }
  | { kind: 'range'; range: string }
  | { kind: 'history' }
  /** Commits no remote-tracking ref contains; `revisions` (git log arguments) default to UNPUSHED_REVISIONS. */
  | { kind: 'unpushed'; revisions?: string[] }
  | { kind: 'paths'; paths: string[] }
  /** `text` undefined: standard input is read when the source is opened. */
  | { kind: 'stdin'; text?: string };

export type SourceKind = ScanSource['kind'];

export type ProgressCallback = (done: number, total: number | undefined, unit: 'commits' | 'files') => void;

/** How a source is named and explained to people: reports and messages read this, never the kind. */
export interface SourceDescription {
  /** The machine name, as reports print it (SARIF's `source` property). */
  kind: SourceKind;
  /** The noun of "scanned staged changes: 3 files, 42 added lines". */
  label: string;
  /** Only the lines the source adds are read (a diff, commits): they are counted as "added lines". */
  addedLinesOnly: boolean;
  /**
   * How `leakguard fix` takes its findings out, if it can. `staged`: they are in the
   * index, about to be committed (an empty read means nothing is staged); the report
   * says the commit is blocked, `leakguard fix` moves them into .env and the hook
   * offers that fix. `unpushed`: commits not pushed yet, which `leakguard fix
   * --unpushed` rewrites. Undefined: the report advises by hand.
   */
  fix?: 'staged' | 'unpushed';
  /** Findings carry commits, read in no fixed order (parallel git processes): reports sort them newest commit first. */
  commitOrdered: boolean;
}

/** Path filters every source applies before reading a file. */
export interface SourceOptions {
  /** Why a path is not read at all (allowlisted), or undefined. */
  skipReason?: (path: string) => string | undefined;
  /** Skip lockfiles that sit beside their manifest (default true; `skipLockfiles` in .leakguard.json). */
  skipLockfiles?: boolean;
}

/** What `fragments()` is given: where it runs, what to skip, where to count. */
export interface SourceContext extends SourceOptions {
  cwd: string;
  /** Undefined outside a git repository (for sources that do not need one). */
  repoRoot?: string;
  stats: SourceStats;
  /** Progress callback for long scans (done of total, in the source's unit). */
  progress?: ProgressCallback;
}

export interface Source extends SourceDescription {
  /**
   * Whether it runs only inside a git repository; `bare`: a repository without a
   * work tree (a bare clone, a CI mirror) will do. Sources that need none still get
   * the repository they run in, if any (for paths and the config).
   */
  needsRepo: false | { bare: boolean };
  /**
   * Its text arrives faster than one thread detects it, in many fragments: a worker
   * thread shares detection on large scans. Not commit sources (their git processes
   * keep both cores busy), not the working tree (its parallel reads use the second
   * core), not stdin (one fragment).
   */
  detectInWorker: boolean;
  /** Long scans report progress: only these are given a progress callback (the hook's path never sets one up). */
  reportsProgress: boolean;
  /**
   * Always a long scan (a whole history): the detector starts with the setup that pays
   * over megabytes (the keyword automaton) instead of the one that pays on a hook's
   * few kilobytes, and small fragments are batched from the first.
   */
  bulk?: boolean;
  /** Starts reading early, before the config and rules are loaded (git works on the other core meanwhile). */
  start?(repoRoot: string | undefined): void;
  /**
   * A commit range whose base commit's config, baseline and ignore file the scan
   * uses instead of the checked-out ones (src/findings/range-base.ts): a range must
   * not loosen them for its own scan. Such a scan reports what the range changes in
   * them (`ScanStats.notices`).
   */
  trustsBaseOf?: string;
  /** The text to scan; the detector never knows where it came from. */
  fragments(context: SourceContext): AsyncIterable<Fragment>;
  /**
   * The same fragments as `fragments`, in the batches the source reads them in (a
   * history: the file changes of the commits one chunk of git's output holds). A
   * scan of many small fragments then pays one async step per batch, not one per fragment.
   */
  fragmentBatches?(context: SourceContext): AsyncIterable<readonly Fragment[]>;
  /** Stops whatever `start` or `fragments` left running. Called once, also after an error. */
  close(): void;
}

/** The part of a source a report needs (plain data: it outlives the source). */
export function describeSource(source: SourceDescription): SourceDescription {
  const { kind, label, addedLinesOnly, fix, commitOrdered } = source;
  return fix ? { kind, label, addedLinesOnly, fix, commitOrdered } : { kind, label, addedLinesOnly, commitOrdered };
}
