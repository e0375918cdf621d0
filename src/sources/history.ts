import { availableParallelism, loadavg } from 'node:os';
import { randomHex } from '../fs/random-hex.js';
import { DIFF_OUTPUT_FLAGS, gitText, runGitHead, type StartedGit, streamGit } from '../git/run-git.js';
import { BlobReader } from './blob-reader.js';
import type { CommitInfo, Fragment } from './fragment.js';
import { combinedFragments } from './git-output/combined-diff.js';
import { CommitSplitter } from './git-output/commit-splitter.js';
import { diffFragments, PairedDiff, type DiffContext } from './git-output/paired-diff.js';
import { commitFolder } from './lockfiles.js';
import type { ProgressCallback, Source, SourceOptions } from './source.js';
import type { SourceStats } from './source-stats.js';

/**
 * Commit sources: `--history` (every commit reachable from any ref) here, and
 * `--range A..B | A...B` (range.ts) through the same reader. One `git log -p -U0
 * --raw -z` process is streamed: each commit's output is cut out of the byte stream
 * at a per-run marker and handed to the same diff parser the staged source uses,
 * so memory stays flat however long the history is.
 *
 * Only added lines are read, so a key added in commit X and deleted later is
 * reported once, at X. Merges are shown as dense combined diffs (`--cc`), of which
 * only lines that are new in the merge result (absent from every parent: an evil
 * merge or a conflict resolution) are scanned; lines a merge brings in from a
 * parent were already scanned in the commit that added them.
 */
export type CommitSelection = { kind: 'history' };

/** The traits every commit source shares; each adds its kind and label. */
export const COMMIT_SOURCE = {
  addedLinesOnly: true,
  // Commit sources need no work tree: a bare clone or a mirror (a CI cache) will do.
  needsRepo: { bare: true },
  // Their two `git log` processes keep both cores busy.
  detectInWorker: false,
  commitOrdered: true,
  reportsProgress: true,
  close() {},
} as const satisfies Partial<Source>;

/** `leakguard scan --history`. */
export function historySource(): Source {
  return {
    ...COMMIT_SOURCE,
    kind: 'history',
    label: 'history',
    bulk: true,
    fragments: (context) => historyFragments(context.repoRoot!, { kind: 'history' }, context),
    fragmentBatches: (context) => commitBatches(context.repoRoot!, selectionRevisions({ kind: 'history' }), 'history', context),
  };
}

export interface HistoryOptions extends SourceOptions {
  stats: SourceStats;
  /**
   * Histories with at least this many commits are read as commit lists (SPLIT_MIN_COMMITS);
   * when set, always by two git processes (tests), otherwise when splitPays().
   */
  splitMinCommits?: number;
  /** The git processes of commit lists, instead of splitPays()'s choice (tests). */
  streams?: 1 | 2;
  progress?: ProgressCallback;
  /**
   * The first commits of the walk, from a `git log` started early (startCommitLog):
   * read first; when it listed its whole limit, the rest (`--skip`) follows as usual.
   */
  first?: StartedLog;
}

/** A `git log` walk run before the scan reads it: its first `limit` commits, or all if fewer. Read it through HistoryOptions.first, or stop it. */
export interface StartedLog {
  git: StartedGit;
  nonce: string;
  limit: number;
}

/**
 * Up to this much of the pre-push walk is read in one blocking call (cheaper than a
 * streamed child, as for the staged diff: 10 commits of 230 KB, −4% wall and CPU);
 * past it git is stopped, the whole commits read so far are kept, and the walk goes
 * on after them (`--skip`), streamed.
 */
export const SYNC_LOG_MAX_BYTES = 512 * 1024;

/**
 * Runs one `git log` walk of `revisions` now, at most `limit` commits (the pre-push
 * hook): no commit count is asked first, one git process fewer on the hook's path.
 * Up to `syncMaxBytes` of output is read in one blocking call; past that git is
 * stopped and the walk's whole commits so far are what this walk lists (`limit`).
 * A walk that lists its whole `limit` has the rest read by commitFragments (`--skip`).
 */
export function startCommitLog(
  repoRoot: string,
  revisions: readonly string[],
  limit: number,
  syncMaxBytes = SYNC_LOG_MAX_BYTES,
): StartedLog {
  const nonce = randomHex(8);
  const run = runGitHead(logArgs([`--max-count=${limit}`, ...revisions], logFormat(nonce)), { cwd: repoRoot }, syncMaxBytes);
  if (run.complete) return { git: run.git, nonce, limit };
  // Stopped past syncMaxBytes: the commits before the last marker are whole (the last may be cut).
  const marker = Buffer.from(`\x01leakguard:${nonce}${FIELD}`);
  let whole = -1;
  let end = 0;
  for (let at = run.head.indexOf(marker); at !== -1; at = run.head.indexOf(marker, at + marker.length)) {
    whole++;
    end = at;
  }
  const head = run.head.subarray(0, end);
  async function* chunks(): AsyncGenerator<Buffer> {
    if (head.length) yield head;
  }
  return { git: { chunks: chunks(), stop: () => undefined }, nonce, limit: Math.max(whole, 0) };
}

/** The `--format` of every commit header: the per-run marker, then hash, parents, date and author. */
function logFormat(nonce: string): string {
  return `%x01leakguard:${nonce}%x02%H%x02%P%x02%aI%x02%an <%ae>`;
}

const FIELD = '\x02';
const NO_FLUSH = { GIT_FLUSH: '0' };
/**
 * From this many commits on git's output is buffered (NO_FLUSH). A short scan (a push of
 * ten commits) keeps git's write per commit: the scan then works on one commit while git
 * writes the next; buffered, the whole output came at git's exit and the scan waited for
 * it (pre-push: ~10 ms more waiting, +13% wall against the unbuffered build).
 */
const BUFFER_MIN_COMMITS = 200;
const PROGRESS_INTERVAL_MS = 100;
/** Text a batch of a streamed commit's fragments holds at most (memory stays bounded on a large commit). */
const STREAMED_BATCH_CHARS = 1 << 20;

/**
 * The `git log` arguments shared by both selections; `format` carries the per-run marker.
 * `renames: false` is for runs of merges only: rename detection against every parent
 * is most of what a combined diff costs git (bench/perf/README.md; the output is the
 * same), and without it a merge can only show more added lines, never fewer.
 */
export function logArgs(revisions: readonly string[], format: string, { renames = true } = {}): string[] {
  return [
    'log',
    '-p',
    '-U0',
    '--raw',
    '-z',
    '--cc',
    ...DIFF_OUTPUT_FLAGS,
    '--no-show-signature',
    '--no-abbrev-commit',
    // Renames, not copies: copy detection doubles git's work on merges (`--cc`),
    // and a copied file's lines are then scanned as added, which reports the copy too.
    renames ? '--find-renames' : '--no-renames',
    `--format=${format}`,
    ...revisions,
  ];
}

/**
 * Whether a second `git log` process pays: only on a machine of two cores or more
 * that is otherwise near idle (`load`: the 1-minute load average). Dealing commits to
 * two processes costs git 10–40% more CPU (each walks its own list: bench/perf/README.md),
 * and the scan's own thread keeps a core busy: when another process holds a core, the
 * second git process only adds CPU time, which is then wall time.
 */
export function splitPays(cores: number, load: number): boolean {
  return cores >= 2 && cores - load >= SPLIT_IDLE_CORES;
}
/**
 * Half a core idle, not one and a half: the 1-minute load average also counts the
 * scan's own recent runs (a benchmark's previous round, the developer's last scan), so
 * at 1.5 a quiet 2-core machine read express' history with one git process: 2.09 s
 * against 1.92 s with two, the same CPU time (bench/perf, 3 rounds, load 0.7–1.5).
 * Under real contention (load ~10) one process still uses less CPU.
 */
const SPLIT_IDLE_CORES = 0.5;

/**
 * Below this many commits one `git log` walk reads the history; from it on, commit
 * lists: the commits, then the merges without rename detection, by one git process
 * or two (splitPays). The lists are the same either way, so is the output.
 */
export const SPLIT_MIN_COMMITS = 2_000;
const SPLIT_BLOCK = 500;
/** A commit is parsed whole when its diff fits in this much of git's output; a larger one is streamed. */
const HOLD_BYTES = 4 << 20;

/** Yields the added lines of every selected commit, each fragment carrying its commit. */
export function historyFragments(repoRoot: string, selection: CommitSelection, options: HistoryOptions): AsyncIterableIterator<Fragment> {
  return commitFragments(repoRoot, selectionRevisions(selection), selection.kind, options);
}

function selectionRevisions(selection: CommitSelection): string[] {
  switch (selection.kind) {
    case 'history':
      return ['--all'];
  }
}

/** Yields the added lines of the commits `git log <revisions>` lists, each fragment carrying its commit. */
export function commitFragments(
  repoRoot: string,
  revisions: readonly string[],
  origin: Fragment['origin'],
  options: HistoryOptions,
): AsyncIterableIterator<Fragment> {
  return new Unbatched(commitBatches(repoRoot, revisions, origin, options));
}

/**
 * The fragments of a stream of batches, one at a time. A plain iterator: a history
 * has a fragment for nearly every file change, and each step of an async generator
 * costs several promises and microtasks.
 */
class Unbatched<T> implements AsyncIterableIterator<T> {
  private batch: T[] = [];
  private next_ = 0;

  constructor(private readonly batches: AsyncGenerator<T[]>) {}

  [Symbol.asyncIterator](): this {
    return this;
  }

  next(): Promise<IteratorResult<T>> {
    if (this.next_ < this.batch.length) return Promise.resolve({ done: false, value: this.batch[this.next_++]! });
    return this.pull();
  }

  async return(): Promise<IteratorResult<T>> {
    this.batch = [];
    await this.batches.return(undefined);
    return { done: true, value: undefined };
  }

  private async pull(): Promise<IteratorResult<T>> {
    for (;;) {
      const result = await this.batches.next();
      if (result.done) return { done: true, value: undefined };
      if (!result.value.length) continue;
      this.batch = result.value;
      this.next_ = 1;
      return { done: false, value: this.batch[0]! };
    }
  }
}

async function* commitBatches(
  repoRoot: string,
  revisions: readonly string[],
  origin: Fragment['origin'],
  options: HistoryOptions,
): AsyncGenerator<Fragment[]> {
  const { stats, progress } = options;
  let done = 0;
  stats.readsCommits();

  // Stops every git process of this scan when it ends early: an error in one stream
  // (a missing object) must not leave the other blocked on a pipe nobody reads, which
  // kept the process alive after the error was reported.
  // Made when a git process is streamed: aborting creates an error and dispatches an
  // event (~2 ms on the pre-push hook's path, whose git output is read in one call).
  let abort: AbortController | undefined;
  const stopAll = (): void => abort?.abort();
  const { first } = options;
  const nonce = first?.nonce ?? randomHex(8);
  const marker = Buffer.from(`\x01leakguard:${nonce}${FIELD}`);
  const format = logFormat(nonce);
  let total: number | undefined;
  let gitEnv: NodeJS.ProcessEnv | undefined;
  let counting = false;
  const countForProgress = (): void => {
    if (!progress || total !== undefined || counting) return;
    counting = true;
    countCommits(repoRoot, revisions).then(
      (n) => (total ??= n),
      () => undefined,
    );
  };
  let lastProgress = 0;
  const report = (force: boolean): void => {
    if (!progress) return;
    const now = Date.now();
    if (!force && now - lastProgress < PROGRESS_INTERVAL_MS) return;
    lastProgress = now;
    progress(done, total, 'commits');
  };

  /**
   * One `git log`'s commits, as batches of fragments. Each chunk git writes is cut
   * into the commits it completes, and an ordinary commit's diff is parsed there and
   * then, without an async step (PairedDiff); merges, lockfiles, files read from
   * their blobs and commits larger than HOLD_BYTES take the streaming readers.
   */
  async function* commitsOf(
    args: readonly string[],
    input: string | undefined,
    renames = true,
    started?: StartedGit,
  ): AsyncGenerator<Fragment[], number> {
    // GIT_FLUSH=0 on a long scan: git buffers its output instead of flushing each commit
    // into the pipe; a write per small commit made as many reads here (20,001 small commits:
    // ~15,000 chunks of ~1.4 KB, against ~3,800 of ~5.6 KB buffered), and each costs Node CPU.
    const chunks =
      started?.chunks ??
      streamGit(logArgs(args, format, { renames }), {
        cwd: repoRoot,
        input,
        env: gitEnv,
        signal: (abort ??= new AbortController()).signal,
      });
    const doneBefore = done;
    const commits = new CommitSplitter(chunks[Symbol.asyncIterator](), marker);
    const blobs = new BlobReader(repoRoot);
    const batch: Fragment[] = [];
    const streamed = async function* (info: Header, body: AsyncIterable<Buffer> | Iterable<Buffer>): AsyncGenerator<Fragment[]> {
      const context: DiffContext = { blobs, folder: commitFolder(repoRoot, info.commit.commit) };
      const fragments =
        info.parents > 1 ? combinedFragments(body, stats, options, origin, context) : diffFragments(body, stats, options, origin, context);
      // Yielded in batches of up to STREAMED_BATCH_CHARS: a merge's file changes are as small as a commit's.
      let out: Fragment[] = [];
      let chars = 0;
      for await (const fragment of fragments) {
        out.push({ ...fragment, commit: info.commit });
        chars += fragment.text.length;
        if (chars >= STREAMED_BATCH_CHARS) {
          yield out;
          out = [];
          chars = 0;
        }
      }
      if (out.length) yield out;
    };
    /**
     * Reads the commits held whole, without an async step, into `batch`, up to one
     * that needs the async readers (returned): a merge or a commit that may hold a
     * lockfile (streamed), or one with files to read from their blobs. A plain
     * function, not part of this generator: V8 optimizes a generator with its loop
     * inlined as one large function, several times over (express: ~0.3 s of compile
     * thread time for commitsOf).
     */
    const takeHeld = (): { info: Header; body: Buffer; blobsOf?: PairedDiff } | undefined => {
      for (let whole = commits.takeCommit(); whole; whole = commits.takeCommit()) {
        const info = parseHeader(whole.header);
        stats.commitRead();
        done++;
        const left = readHeldCommit(info, whole.body, batch, stats, options, origin);
        if (left === STREAM) return { info, body: whole.body };
        if (left) return { info, body: whole.body, blobsOf: left };
        report(false);
      }
      return undefined;
    };
    try {
      for (;;) {
        for (let held = takeHeld(); held; held = takeHeld()) {
          if (batch.length) yield batch.splice(0);
          if (held.blobsOf) for await (const fragment of held.blobsOf.blobFragments(blobs)) yield [fragment];
          else yield* streamed(held.info, [held.body]);
          report(false);
        }
        if (batch.length) yield batch.splice(0);
        if (await commits.more(HOLD_BYTES)) continue;
        // The end, or a commit larger than HOLD_BYTES: streamed in pieces.
        const header = await commits.nextHeader();
        if (header === undefined) break;
        const info = parseHeader(header);
        stats.commitRead();
        done++;
        yield* streamed(info, commits.body());
        report(false);
      }
    } finally {
      blobs.close();
      started?.stop();
    }
    return done - doneBefore;
  }

  /** One stream's commits, then its merges (a second `git log`, without rename detection). */
  async function* listedCommits({ commits, merges }: StreamList): AsyncGenerator<Fragment[]> {
    const listed = ['--no-walk=unsorted', '--stdin'];
    // An empty list would make `git log --stdin` fall back to HEAD.
    if (commits.length) yield* commitsOf(listed, `${commits.join('\n')}\n`);
    if (merges.length) yield* commitsOf(listed, `${merges.join('\n')}\n`, false);
  }

  /** The commits of `revisions` (past the first walk: with its `--skip`), by one walk or commit lists. */
  async function* walk(rest: readonly string[]): AsyncGenerator<Fragment[]> {
    const processes =
      options.streams ?? (options.splitMinCommits !== undefined || splitPays(availableParallelism(), loadavg()[0]!) ? 2 : 1);
    const streams = await planStreams(repoRoot, rest, options.splitMinCommits ?? SPLIT_MIN_COMMITS, processes);
    if (streams.total !== undefined) total = streams.total + (first?.limit ?? 0);
    gitEnv = (streams.total === undefined ? origin === 'history' : streams.total >= BUFFER_MIN_COMMITS) ? NO_FLUSH : undefined;
    countForProgress();
    const sources = streams.lists ? streams.lists.map(listedCommits) : [commitsOf(rest, undefined)];
    yield* mergeStreams(sources, stopAll);
  }

  try {
    if (!first) yield* walk(revisions);
    else {
      countForProgress();
      const read = yield* commitsOf(revisions, undefined, true, first.git);
      // git lists the same walk in the same order: the rest is what the first walk did not reach.
      if (read >= first.limit) yield* walk([`--skip=${first.limit}`, ...revisions]);
    }
  } finally {
    stopAll();
    first?.git.stop();
  }
  report(true);
}

const STREAM = 'stream';

/**
 * One commit held whole, read without an async step: its fragments are pushed to
 * `batch`. Returns what is left for the async readers: STREAM (a merge, or a commit
 * that may hold a lockfile: the streaming readers look at its folder), the diff
 * whose binary files are read from their blobs, or undefined.
 */
function readHeldCommit(
  info: Header,
  body: Buffer,
  batch: Fragment[],
  stats: SourceStats,
  options: SourceOptions,
  origin: Fragment['origin'],
): typeof STREAM | PairedDiff | undefined {
  if (info.parents > 1) return STREAM;
  const diff = new PairedDiff(stats, options, origin, info.commit);
  // Decoded whole (a commit held entire): toString() costs half a StringDecoder's write() and end().
  const text = body.toString('utf8');
  const patchStart = diff.readRecords(text, true);
  if (diff.lockfileCandidates().length) return STREAM;
  diff.countFiles();
  diff.lines(text, patchStart, text.length);
  diff.end();
  for (const fragment of diff.ready) batch.push(fragment);
  return diff.needsBlobs ? diff : undefined;
}

interface StreamList {
  commits: string[];
  merges: string[];
}

interface StreamPlan {
  /** Commit lists for parallel `git log --stdin` streams, or undefined for one walk. */
  lists?: StreamList[];
  total?: number;
}

/**
 * git, not the scan, is the slow side of a history scan: on a long history the
 * commits are dealt round-robin to two `git log` processes, so both cores produce
 * patches. Findings are reported in a stable order by the caller either way.
 */
async function planStreams(repoRoot: string, revisions: readonly string[], splitMin: number, streams: 1 | 2): Promise<StreamPlan> {
  if (splitMin === Number.POSITIVE_INFINITY) return {};
  // One walk both counts and lists: a `rev-list --count` first cost a second git
  // process and walk (express: one spawn of ~25 ms of this thread's CPU, and git's walk).
  const lines = (await gitText(['rev-list', '--parents', ...revisions], { cwd: repoRoot })).split('\n').filter(Boolean);
  if (lines.length < splitMin) return { total: lines.length };
  const commits: string[] = [];
  const merges: string[] = [];
  for (const line of lines) {
    // "commit parent parent…": a merge has two parents or more.
    const space = line.indexOf(' ');
    if (space === -1) commits.push(line);
    else (line.indexOf(' ', space + 1) === -1 ? commits : merges).push(line.slice(0, space));
  }
  const lists: StreamList[] = Array.from({ length: streams }, () => ({ commits: [], merges: [] }));
  // Runs of neighbouring commits, dealt alternately: neighbours share most of their
  // trees and blobs, so each git process keeps hitting its object cache (less CPU than
  // dealing single commits: bench/perf/README.md), and both get a similar mix of old and new.
  deal(commits, (list, commit) => list.commits.push(commit));
  deal(merges, (list, merge) => list.merges.push(merge));
  function deal(items: string[], add: (list: StreamList, item: string) => void): void {
    const block = Math.min(SPLIT_BLOCK, Math.ceil(items.length / 2));
    items.forEach((item, i) => add(lists[Math.floor(i / block) % streams]!, item));
  }
  return { lists: lists.filter((list) => list.commits.length + list.merges.length > 0), total: lines.length };
}

/** Yields from several async generators as their values arrive. */
async function* mergeStreams<T>(sources: AsyncGenerator<T>[], stopAll: () => void): AsyncGenerator<T> {
  if (sources.length === 1) {
    yield* sources[0]!;
    return;
  }
  const pending = new Map<number, Promise<{ index: number; result: IteratorResult<T> }>>();
  const pull = (index: number): void => {
    pending.set(
      index,
      sources[index]!.next().then((result) => ({ index, result })),
    );
  };
  sources.forEach((_, i) => pull(i));
  try {
    while (pending.size) {
      const { index, result } = await Promise.race(pending.values());
      if (result.done) {
        pending.delete(index);
        continue;
      }
      pull(index);
      yield result.value;
    }
  } finally {
    // An early stop (an error elsewhere) must not leave git processes running: a
    // source still waiting on its git only returns once that git is stopped.
    stopAll();
    await Promise.allSettled([...pending.values(), ...sources.map((source) => source.return(undefined))]);
  }
}

async function countCommits(repoRoot: string, revisions: readonly string[]): Promise<number> {
  return Number(await gitText(['rev-list', '--count', ...revisions], { cwd: repoRoot }));
}

interface Header {
  commit: CommitInfo;
  parents: number;
}

function parseHeader(text: string): Header {
  const [commit = '', parents = '', date = '', author = ''] = text.split(FIELD);
  return { commit: { commit, author, date }, parents: countWords(parents) };
}

/** The number of space-separated words (parent hashes). */
function countWords(text: string): number {
  let count = 0;
  let inWord = false;
  for (let i = 0; i < text.length; i++) {
    const space = text.charCodeAt(i) === 0x20;
    if (!space && !inWord) count++;
    inWord = !space;
  }
  return count;
}
