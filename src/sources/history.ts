import { randomBytes } from 'node:crypto';
import { availableParallelism } from 'node:os';
import { GitError, InputError, UsageError } from '../errors.js';
import { GitOutputError } from '../errors.js';
import { DIFF_OUTPUT_FLAGS, gitText, runGit, streamGit } from '../git/run-git.js';
import { BlobReader } from './blob-reader.js';
import type { CommitInfo, Fragment } from './fragment.js';
import { streamLines } from './git-output/line-stream.js';
import { commitFolder, LockfileCheck, mayBeLockfile } from './lockfiles.js';
import { PatchParser } from './git-output/patch-parser.js';
import { countSkipped, type ScanStats } from './source-stats.js';
import { diffFragments, previousLines, readBlob, type DiffContext, type SourceOptions } from './staged.js';

/**
 * Commit sources: `--range A..B | A...B` and `--history` (every commit reachable
 * from any ref). One `git log -p -U0 --raw -z` process is streamed: each commit's
 * output is cut out of the byte stream at a per-run marker and handed to the same
 * diff parser the staged source uses, so memory stays flat however long the
 * history is.
 *
 * Only added lines are read, so a key added in commit X and deleted later is
 * reported once, at X. Merges are shown as dense combined diffs (`--cc`), of which
 * only lines that are new in the merge result (absent from every parent: an evil
 * merge or a conflict resolution) are scanned; lines a merge brings in from a
 * parent were already scanned in the commit that added them.
 */
export type CommitSelection =
  | { kind: 'range'; range: string }
  | { kind: 'history' }
  /** Commits not yet published: `git log` revision arguments such as `HEAD --not --remotes`. */
  | { kind: 'unpushed'; revisions: string[] };

export interface HistoryOptions extends SourceOptions {
  stats: ScanStats;
  /** Histories with at least this many commits are read by two git processes (default: SPLIT_MIN_COMMITS on 2+ cores). */
  splitMinCommits?: number;
  progress?: (done: number, total: number | undefined, unit: 'commits' | 'files') => void;
}

export const historyMessages = {
  badRange: (range: string): string => `--range expects A..B or A...B, got "${range}"`,
  shallow: (range: string, rev: string): string =>
    `--range ${range}: ${rev} is not in this shallow clone; fetch more history ` +
    '(actions/checkout: `fetch-depth: 0`; GitLab: `GIT_DEPTH: 0`; locally: `git fetch --unshallow`)',
  unknownRevision: (range: string, rev: string): string => `--range ${range}: unknown revision ${rev} (not a commit in this repository)`,
} as const;

const FIELD = '\x02';
const PROGRESS_INTERVAL_MS = 100;

/**
 * The `git log` arguments shared by both selections; `format` carries the per-run marker.
 * `renames: false` is for runs of merges only: rename detection against every parent
 * is most of what a combined diff costs git (bench/perf/README.md; the output is the
 * same), and without it a merge can only show more added lines, never fewer.
 */
export function logArgs(revisions: readonly string[], format: string, { renames = true } = {}): string[] {
  return [
    'log',
    '-p', '-U0', '--raw', '-z', '--cc', ...DIFF_OUTPUT_FLAGS,
    '--no-show-signature', '--no-abbrev-commit',
    // Renames, not copies: copy detection doubles git's work on merges (`--cc`),
    // and a copied file's lines are then scanned as added, which reports the copy too.
    renames ? '--find-renames' : '--no-renames',
    `--format=${format}`,
    ...revisions,
  ];
}

/** Below this many commits one git process is fast enough; above it, two share the work. */
export const SPLIT_MIN_COMMITS = 2_000;
const SPLIT_BLOCK = 500;

/** Yields the added lines of every selected commit, each fragment carrying its commit. */
export async function* historyFragments(
  repoRoot: string,
  selection: CommitSelection,
  options: HistoryOptions,
): AsyncGenerator<Fragment> {
  const revisions =
    selection.kind === 'history' ? ['--all'] : selection.kind === 'unpushed' ? selection.revisions : await rangeRevisions(repoRoot, selection.range);
  const origin: Fragment['origin'] = selection.kind === 'history' ? 'history' : 'range';
  const { stats, progress } = options;
  let done = 0;
  stats.commits = 0;

  const splitMin = options.splitMinCommits ?? (availableParallelism() >= 2 ? SPLIT_MIN_COMMITS : Number.POSITIVE_INFINITY);
  const streams = await planStreams(repoRoot, revisions, splitMin);
  let total = streams.total;
  if (progress && total === undefined) {
    countCommits(repoRoot, revisions).then(
      (n) => (total = n),
      () => undefined,
    );
  }
  let lastProgress = 0;
  const report = (force: boolean): void => {
    if (!progress) return;
    const now = Date.now();
    if (!force && now - lastProgress < PROGRESS_INTERVAL_MS) return;
    lastProgress = now;
    progress(done, total, 'commits');
  };

  const nonce = randomBytes(8).toString('hex');
  const marker = Buffer.from(`\x01leakguard:${nonce}${FIELD}`);
  const format = `%x01leakguard:${nonce}%x02%H%x02%P%x02%aI%x02%an <%ae>`;

  async function* commitsOf(args: string[], input: string | undefined, renames = true): AsyncGenerator<Fragment> {
    const chunks = streamGit(logArgs(args, format, { renames }), { cwd: repoRoot, input });
    const commits = new CommitSplitter(chunks[Symbol.asyncIterator](), marker);
    const blobs = new BlobReader(repoRoot);
    try {
      for (let header = await commits.nextHeader(); header; header = await commits.nextHeader()) {
        const info = parseHeader(header);
        stats.commits = ++done;
        const body = commits.body();
        const context: DiffContext = { blobs, folder: commitFolder(repoRoot, info.commit.commit) };
        const fragments = info.parents > 1
          ? combinedFragments(body, stats, options, origin, context)
          : diffFragments(body, stats, options, origin, context);
        for await (const fragment of fragments) yield { ...fragment, commit: info.commit };
        report(false);
      }
    } finally {
      blobs.close();
    }
  }

  /** One stream's commits, then its merges (a second `git log`, without rename detection). */
  async function* listedCommits({ commits, merges }: StreamList): AsyncGenerator<Fragment> {
    const listed = ['--no-walk=unsorted', '--stdin'];
    // An empty list would make `git log --stdin` fall back to HEAD.
    if (commits.length) yield* commitsOf(listed, `${commits.join('\n')}\n`);
    if (merges.length) yield* commitsOf(listed, `${merges.join('\n')}\n`, false);
  }

  const sources = streams.lists ? streams.lists.map(listedCommits) : [commitsOf(revisions, undefined)];
  yield* mergeStreams(sources);
  report(true);
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
async function planStreams(repoRoot: string, revisions: readonly string[], splitMin: number): Promise<StreamPlan> {
  if (splitMin === Number.POSITIVE_INFINITY) return {};
  const count = await countCommits(repoRoot, revisions);
  if (count < splitMin) return { total: count };
  const lines = (await gitText(['rev-list', '--parents', ...revisions], { cwd: repoRoot })).split('\n').filter(Boolean);
  const commits: string[] = [];
  const merges: string[] = [];
  for (const line of lines) {
    // "commit parent parent…": a merge has two parents or more.
    const [commit, ...parents] = line.split(' ');
    (parents.length > 1 ? merges : commits).push(commit!);
  }
  const lists: StreamList[] = [{ commits: [], merges: [] }, { commits: [], merges: [] }];
  // Runs of neighbouring commits, dealt alternately: neighbours share most of their
  // trees and blobs, so each git process keeps hitting its object cache (less CPU than
  // dealing single commits: bench/perf/README.md), and both get a similar mix of old and new.
  deal(commits, (list, commit) => list.commits.push(commit));
  deal(merges, (list, merge) => list.merges.push(merge));
  function deal(items: string[], add: (list: StreamList, item: string) => void): void {
    const block = Math.min(SPLIT_BLOCK, Math.ceil(items.length / 2));
    items.forEach((item, i) => add(lists[Math.floor(i / block) % 2]!, item));
  }
  return { lists: lists.filter((list) => list.commits.length + list.merges.length > 0), total: lines.length };
}

/** Yields from several async generators as their values arrive. */
async function* mergeStreams<T>(sources: AsyncGenerator<T>[]): AsyncGenerator<T> {
  if (sources.length === 1) {
    yield* sources[0]!;
    return;
  }
  const pending = new Map<number, Promise<{ index: number; result: IteratorResult<T> }>>();
  const pull = (index: number): void => {
    pending.set(index, sources[index]!.next().then((result) => ({ index, result })));
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
    // An early stop (an error elsewhere) must not leave git processes running.
    await Promise.allSettled(sources.map((source) => source.return(undefined)));
  }
}

/** Checks a `--range` and returns it as `git log` revision arguments. */
export async function rangeRevisions(repoRoot: string, range: string): Promise<string[]> {
  const parsed = parseRange(range);
  const shallow = async (): Promise<boolean> =>
    (await gitText(['rev-parse', '--is-shallow-repository'], { cwd: repoRoot })) === 'true';
  for (const rev of parsed.endpoints) {
    if (!(await isCommit(repoRoot, rev))) {
      throw new InputError((await shallow()) ? historyMessages.shallow(range, rev) : historyMessages.unknownRevision(range, rev));
    }
  }
  // In a shallow clone both ends may exist while the history joining them does not:
  // git would then walk down to the cut and scan commits that are not in the range.
  if (parsed.endpoints.length === 2 && (await shallow())) {
    const base = await runGit(['merge-base', parsed.endpoints[0]!, parsed.endpoints[1]!], { cwd: repoRoot, okCodes: [1] })
      .catch(() => ({ code: 1 }));
    if (base.code !== 0) throw new InputError(historyMessages.shallow(range, `the merge base of ${parsed.endpoints.join(' and ')}`));
  }
  return ['--end-of-options', range];
}

export interface ParsedRange {
  /** The commits named by the range (one for a single revision, two for A..B / A...B). */
  endpoints: string[];
  symmetric: boolean;
}

/** `A..B`, `A...B` (either side may be empty, meaning HEAD) or a single revision. */
export function parseRange(range: string): ParsedRange {
  const trimmed = range.trim();
  if (!trimmed || /\s/.test(trimmed)) throw new UsageError(historyMessages.badRange(range));
  const match = /^(.*?)(\.\.\.?)(.*)$/.exec(trimmed);
  const endpoints = match ? [match[1] || 'HEAD', match[3] || 'HEAD'] : [trimmed];
  if (endpoints.some((rev) => rev.startsWith('-') || rev.startsWith('.') || rev.includes('..'))) throw new UsageError(historyMessages.badRange(range));
  return { endpoints, symmetric: match?.[2] === '...' };
}

async function isCommit(repoRoot: string, rev: string): Promise<boolean> {
  try {
    const { code } = await runGit(['rev-parse', '--verify', '--quiet', `${rev}^{commit}`], { cwd: repoRoot, okCodes: [1, 128] });
    return code === 0;
  } catch (error) {
    if (error instanceof GitError) return false;
    throw error;
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
  return { commit: { commit, author, date }, parents: parents.split(' ').filter(Boolean).length };
}

/**
 * Cuts the `git log -z` byte stream into commits at the marker that starts every
 * commit header (`<marker><fields>\0`). A commit's body must be read to its end
 * before the next header is asked for. Nothing but the current chunk and a tail
 * shorter than the marker is ever held.
 */
export class CommitSplitter {
  private buffer: Buffer = Buffer.alloc(0);
  private ended = false;

  constructor(
    private readonly chunks: AsyncIterator<Buffer>,
    private readonly marker: Buffer,
  ) {}

  /** The header fields (after the marker) of the next commit, or undefined at the end. */
  async nextHeader(): Promise<string | undefined> {
    let start = this.buffer.indexOf(this.marker);
    while (start === -1) {
      // Anything before a marker is a separator; keep only a possible partial marker.
      this.buffer = this.buffer.subarray(Math.max(0, this.buffer.length - this.marker.length + 1));
      if (!(await this.fill())) return undefined;
      start = this.buffer.indexOf(this.marker);
    }
    const fieldsStart = start + this.marker.length;
    let end = this.buffer.indexOf(0, fieldsStart);
    while (end === -1) {
      if (!(await this.fill())) {
        end = this.buffer.length;
        break;
      }
      end = this.buffer.indexOf(0, fieldsStart);
    }
    const header = this.buffer.subarray(fieldsStart, end).toString('utf8');
    this.buffer = this.buffer.subarray(Math.min(end + 1, this.buffer.length));
    return header;
  }

  /** The bytes of the current commit's diff, up to the next marker. */
  async *body(): AsyncGenerator<Buffer> {
    // git separates a header from its diff with "\n" or "\0"; a diff starts with ":" or "diff".
    for (;;) {
      let skip = 0;
      while (skip < this.buffer.length && (this.buffer[skip] === 0 || this.buffer[skip] === 0x0a)) skip++;
      this.buffer = this.buffer.subarray(skip);
      if (this.buffer.length) break;
      if (!(await this.fill())) return;
    }
    for (;;) {
      const next = this.buffer.indexOf(this.marker);
      if (next !== -1) {
        if (next > 0) yield this.buffer.subarray(0, next);
        this.buffer = this.buffer.subarray(next);
        return;
      }
      const safe = this.buffer.length - this.marker.length + 1;
      if (safe > 0) {
        const out = this.buffer.subarray(0, safe);
        this.buffer = this.buffer.subarray(safe);
        yield out;
      }
      if (!(await this.fill())) {
        if (this.buffer.length) yield this.buffer;
        this.buffer = Buffer.alloc(0);
        return;
      }
    }
  }

  private async fill(): Promise<boolean> {
    if (this.ended) return false;
    const next = await this.chunks.next();
    if (next.done) {
      this.ended = true;
      return false;
    }
    this.buffer = this.buffer.length ? Buffer.concat([this.buffer, next.value]) : next.value;
    return true;
  }
}

const GITLINK_MODE = '160000';
const SYMLINK_MODE = '120000';

interface CombinedFile {
  path: string;
  mode?: string;
  counted: boolean;
  /** Read from its blobs (binary, or NUL bytes in its lines). */
  fromBlob?: boolean;
}

/** A merge's `--raw` record: the file's blob in each parent and in the result. */
interface CombinedRecord {
  parents: string[];
  result: string;
}

/**
 * The dense combined diff (`--cc`) of a merge. Files are named by their
 * `diff --cc <path>` headers (the `--raw` records of a merge do not pair one to one
 * with its patches), and only lines marked added against every parent are kept:
 * a line added against some parents only is rewritten as context, so line numbers
 * stay right while lines brought in from a parent are not reported twice. A file git
 * shows as binary is read from its blobs: the result's lines found in no parent.
 */
export async function* combinedFragments(
  chunks: AsyncIterable<Buffer>,
  stats: ScanStats,
  options: SourceOptions,
  origin: Fragment['origin'],
  context: DiffContext,
): AsyncGenerator<Fragment> {
  const files: CombinedFile[] = [];
  const ready: Fragment[] = [];
  const records = new Map<string, CombinedRecord>();
  const lockfiles = options.skipLockfiles !== false ? new LockfileCheck(context.folder) : undefined;
  const lockfileSkips = new Map<string, string>();
  const readable = (file: CombinedFile | undefined): file is CombinedFile =>
    file !== undefined && file.mode !== GITLINK_MODE && file.mode !== SYMLINK_MODE && !options.skipReason?.(file.path) && !lockfileSkips.has(file.path);
  const parser = new PatchParser((patch) => {
    const file = files[patch.index];
    if (!readable(file)) return;
    if (!file.counted) {
      file.counted = true;
      stats.files++;
    }
    if (patch.binary || patch.nul) file.fromBlob = true;
    if (file.fromBlob || patch.lines.length === 0) return;
    const text = patch.lines.join('\n');
    stats.lines += patch.lines.length;
    stats.bytes += text.length + 1;
    ready.push({ path: file.path, text, lineNumbers: patch.lineNumbers, origin });
  });

  const readRecords = (text: string, ended: boolean): number => parseCombinedRecords(text, ended, records);
  let parents = 0;
  for await (const lines of streamLines(chunks, readRecords)) {
    if (lockfiles) {
      for (const line of lines) {
        if (!line.startsWith('diff --cc ') && !line.startsWith('diff --combined ')) continue;
        const file = combinedHeaderPath(line);
        if (!mayBeLockfile(file) || options.skipReason?.(file)) continue;
        const reason = await lockfiles.reason(file);
        if (reason) lockfileSkips.set(file, reason);
      }
    }
    for (let line of lines) {
      if (parents > 0) {
        if (/^[ +-]/.test(line)) line = onlyNewInResult(line, parents);
        else if (!line.startsWith('\\')) parents = 0;
      }
      if (parents === 0) {
        if (line.startsWith('diff --cc ') || line.startsWith('diff --combined ')) {
          files.push({ path: combinedHeaderPath(line), counted: false });
        } else if (line.startsWith('@@@')) {
          parents = /^@+/.exec(line)![0].length - 1;
        } else {
          const mode = /^(?:new file mode |mode (?:\S+\.\.)?)(\d{6})$/.exec(line);
          if (mode && files.length) files[files.length - 1]!.mode = mode[1];
        }
      }
      parser.line(line);
    }
    if (ready.length) yield* ready.splice(0);
  }
  parser.end();
  yield* ready.splice(0);
  for (const file of files) {
    if (!file.fromBlob || !readable(file)) continue;
    const record = records.get(file.path);
    if (!record) throw new GitOutputError(file.path, 'a merge shows it as binary but lists no blob for it');
    const known = await previousLines(record.parents, file.path, context.blobs);
    yield* readBlob(record.result, file.path, stats, origin, context.blobs, known);
  }
  countSkipped(stats, 'lockfile', lockfileSkips.size);
}

function combinedHeaderPath(line: string): string {
  return unquotePath(line.slice(line.indexOf(' ', 5) + 1));
}

/**
 * Combined `--raw -z` records come first, ended by an empty record (two NULs in a
 * row): `::<mode>… <sha>… <status>\0<path>\0`, one mode and sha per parent, then the result's.
 */
function parseCombinedRecords(text: string, ended: boolean, into: Map<string, CombinedRecord>): number {
  if (text.startsWith('diff ')) return 0;
  const end = text.indexOf('\0\0');
  if (end === -1) return ended ? text.length : -1;
  const fields = text.slice(0, end).split('\0');
  for (let i = 0; i + 1 < fields.length; i += 2) {
    const meta = fields[i]!;
    const colons = /^:+/.exec(meta)?.[0].length ?? 0;
    const parts = meta.slice(colons).split(' ');
    // colons modes (parents + result), then as many shas, then the status.
    const shas = parts.slice(colons + 1, 2 * (colons + 1));
    if (shas.length === colons + 1) into.set(fields[i + 1]!, { parents: shas.slice(0, -1), result: shas[colons]! });
  }
  return end + 2;
}

/** Keeps a combined-diff line as added only when every parent column says "+". */
function onlyNewInResult(line: string, parents: number): string {
  const marks = line.slice(0, parents);
  if (marks.includes('-') || !marks.includes(' ')) return line;
  return ' '.repeat(parents) + line.slice(parents);
}

const C_ESCAPES: Record<string, number> = { a: 7, b: 8, t: 9, n: 10, v: 11, f: 12, r: 13, '"': 34, '\\': 92 };

/** Reverses git's C-style quoting of a path (used when it holds quotes, backslashes or control characters). */
export function unquotePath(text: string): string {
  if (text.length < 2 || !text.startsWith('"') || !text.endsWith('"')) return text;
  const pieces = text.slice(1, -1).split(/(\\[0-7]{3}|\\.)/);
  const bytes = pieces.map((piece) => {
    if (!piece.startsWith('\\') || piece.length < 2) return Buffer.from(piece, 'utf8');
    const code = piece.length === 4 ? parseInt(piece.slice(1), 8) : (C_ESCAPES[piece[1]!] ?? piece.charCodeAt(1));
    return Buffer.from([code]);
  });
  return Buffer.concat(bytes).toString('utf8');
}
