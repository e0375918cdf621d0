/**
 * Plans the fix without changing anything: for each finding the env variable name
 * and the edits, computed separately for the staged blob and for the working-tree
 * file, plus `.env`, `.gitignore` and `.env.example`.
 */
import type { Finding } from '../detect/finding.js';
import { FixError, UnsafeFileError } from '../errors.js';
import { READ_LIMITS } from '../fs/bounded-read.js';
import { readWriteTarget, statWriteTarget } from '../fs/write-target.js';
import { parseEnvFile, planEnvFile, sanitizeEnvName } from './env-file.js';
import { isDotenvFile, languageOf, rewriteSecrets, type RewriteOptions, type SecretTarget, type SkipReason } from './rewrite/index.js';
import { runAdviceFor, type RunAdvice } from './run-advice.js';
import { listIndexPaths, readBlob, readHeadEntry, readIndexEntries, readIndexEntry, type IndexEntry } from './git-index.js';
import { appendLines, isIgnored, isTracked, planEnvExample, planIgnoreFile } from './gitignore.js';
import { fixMessages } from './messages.js';
import type { ItemSkipReason } from './skip-reason.js';
import { decodeText, encodeText } from './text-codec.js';

export type { ItemSkipReason } from './skip-reason.js';

export interface PlanItem {
  finding: Finding;
  /** rewrite: key → env lookup; unstage-dotenv: a staged .env-style file leaves the index. */
  action: 'rewrite' | 'unstage-dotenv' | 'skip';
  envVar?: string;
  reason?: ItemSkipReason;
  where?: 'staged' | 'working-tree';
}

/** A new index entry: content to store as a blob, an existing blob, or removal (null). */
export type IndexTarget = { mode: string; content: Buffer } | { mode: string; sha: string } | null;

export interface IndexChange {
  path: string;
  previous: IndexEntry | null;
  previousContent: Buffer | null;
  next: IndexTarget;
}

export interface WorktreeChange {
  path: string;
  previous: Buffer | null;
  content: Buffer;
  /** Mode the file ends with (.env: 0600, new or not); otherwise an existing file keeps its own. */
  mode?: number;
}

export interface FixPlan {
  repoRoot: string;
  items: PlanItem[];
  /** Applied in order; index first, then working tree, `.env` last. */
  indexChanges: IndexChange[];
  worktreeChanges: WorktreeChange[];
  /** Variables appended to .env. */
  envAdded: string[];
  /** Patterns appended to .gitignore. */
  ignoreAdded: string[];
  envTracked: boolean;
  envUntracked: boolean;
  /** Every secret the plan handles, to scrub error messages and diffs. */
  secrets: string[];
  /** Per rewritten file: how the program gets its key from .env after the fix. */
  runAdvice: RunAdvice[];
  /** Notebooks whose saved outputs showed a key and were cleared. */
  outputsCleared: { path: string; cells: number }[];
  /** Keys saved under another name because .env holds a different value under the preferred one. */
  renamed: { preferred: string; chosen: string; inEnvFile: boolean }[];
  /** Names whose old value in .env was replaced at the user's request (PlanOptions.replaceNames). */
  replaced: string[];
  /** What else joins the commit: `.gitignore`, `.env.example`, `.dockerignore`, and files leaving the index. */
  alsoStaged: { path: string; change: 'add' | 'unstage' }[];
}

export interface PlanOptions {
  /** The user agreed to `git rm --cached .env` when `.env` is tracked. */
  untrackEnv?: boolean;
  /** Names already in `.env` with another value that the user chose to overwrite (instead of NAME_2). */
  replaceNames?: ReadonlySet<string>;
  /** Files whose loader offer (RunAdvice.offer) the user accepted. */
  addLoaderTo?: ReadonlySet<string>;
}

export const ENV_FILE = '.env';
const GITIGNORE = '.gitignore';
const ENV_EXAMPLE = '.env.example';
const PROBE_NAME = 'LEAKGUARD_PROBE';
const PYTHON_DOTENV_REQUIREMENT = /^\s*python-dotenv\b/im;

interface SourceFile {
  path: string;
  findings: Finding[];
  entry: IndexEntry;
  staged: Buffer;
  worktree: Buffer | null;
}

export async function planFix(repoRoot: string, findings: readonly Finding[], options: PlanOptions = {}): Promise<FixPlan> {
  try {
    return await buildPlan(repoRoot, findings, options);
  } catch (error) {
    if (error instanceof FixError) throw error;
    // A file the fix would write is a link, a FIFO, a device … : refused before anything is written.
    if (error instanceof UnsafeFileError) throw new FixError(fixMessages.unsafeTarget(error.file, error.code, error.kind === 'too-large'));
    throw new FixError(fixMessages.planFailed(error instanceof Error ? error.message : String(error)));
  }
}

async function buildPlan(repoRoot: string, findings: readonly Finding[], options: PlanOptions): Promise<FixPlan> {
  const items = new Map<Finding, PlanItem>();
  const skip = (group: readonly Finding[], reason: ItemSkipReason, where?: PlanItem['where']) => {
    for (const finding of group) items.set(finding, { finding, action: 'skip', reason, where });
  };
  const indexChanges: IndexChange[] = [];
  const worktreeChanges: WorktreeChange[] = [];
  const dotenvFiles: string[] = [];
  const sources: SourceFile[] = [];

  for (const [path, group] of groupByFile(findings)) {
    if (isDotenvFile(path)) {
      const change = await planUnstage(repoRoot, path);
      if (change) indexChanges.push(change);
      dotenvFiles.push(path);
      for (const finding of group) items.set(finding, { finding, action: 'unstage-dotenv' });
      continue;
    }
    // A base64-encoded key has no literal to replace with an environment lookup.
    skip(
      group.filter((f) => f.encoding),
      'encoded',
    );
    const literal = group.filter((f) => !f.encoding);
    if (literal.length === 0) continue;
    const source = await readSource(repoRoot, path, literal);
    if (typeof source === 'string') skip(literal, source);
    else sources.push(source);
  }

  // Pass 1: which files can be rewritten at all (the variable names do not matter yet).
  const rewritable: SourceFile[] = [];
  for (const source of sources) {
    const failure = probeRewrite(source);
    if (failure) skip(source.findings, failure.reason, failure.where);
    else rewritable.push(source);
  }

  // Names, reusing a variable already holding the same value in .env.
  // Never opened when it is a link or not a regular file (a FIFO would block the read).
  const envBefore = readWriteTarget(repoRoot, ENV_FILE, READ_LIMITS.env);
  const secretsInOrder = distinct(rewritable.flatMap((s) => s.findings.map((f) => f.secret)));
  const firstFinding = (secret: string) => rewritable.flatMap((s) => s.findings).find((f) => f.secret === secret)!;
  const envPlan = planEnvFile(
    envBefore?.toString('utf8'),
    secretsInOrder.map((secret) => {
      const envVar = firstFinding(secret).envVar;
      return { envVar, value: secret, replace: options.replaceNames?.has(sanitizeEnvName(envVar)) ?? false };
    }),
  );
  const nameOf = new Map(secretsInOrder.map((secret, i) => [secret, envPlan.names[i]!]));
  // NAME already in .env with another value: this key gets NAME_2 …, which the user must hear about.
  // inEnvFile: the name was taken before the fix (otherwise by another key of this fix).
  const envBeforeNames = parseEnvFile(envBefore?.toString('utf8') ?? '');
  const renamed = secretsInOrder
    .map((secret, i) => {
      const preferred = sanitizeEnvName(firstFinding(secret).envVar);
      return { preferred, chosen: envPlan.names[i]!, inEnvFile: envBeforeNames.has(preferred) };
    })
    .filter((r) => r.preferred !== r.chosen);

  // Pass 2: the real rewrites, staged blob and working-tree file independently.
  const runAdvice: RunAdvice[] = [];
  const outputsCleared: FixPlan['outputsCleared'] = [];
  for (const source of rewritable) {
    const targets = distinct(source.findings.map((f) => f.secret)).map((secret) => ({ secret, envVar: nameOf.get(secret)! }));
    const stagedText = decodeText(source.staged).text;
    const language = /\.ipynb$/i.test(source.path) ? 'python' : languageOf(source.path, stagedText);
    const advice = language ? runAdviceFor(repoRoot, source.path, language, stagedText, options.addLoaderTo?.has(source.path)) : null;
    if (advice) runAdvice.push(advice);
    const rewriteOptions: RewriteOptions = { dotenvCall: advice?.dotenvCall };
    const stagedResult = rewriteBytes(source.path, source.staged, targets, rewriteOptions)!;
    const staged = stagedResult.content;
    if (stagedResult.clearedOutputs) outputsCleared.push({ path: source.path, cells: stagedResult.clearedOutputs });
    indexChanges.push({
      path: source.path,
      previous: source.entry,
      previousContent: source.staged,
      next: { mode: source.entry.mode, content: staged },
    });
    const worktree = source.worktree && rewriteBytes(source.path, source.worktree, targets, rewriteOptions)?.content;
    if (worktree) worktreeChanges.push({ path: source.path, previous: source.worktree, content: worktree });
    for (const finding of source.findings) {
      items.set(finding, { finding, action: 'rewrite', envVar: nameOf.get(finding.secret) });
    }
  }

  const anythingToDo = rewritable.length > 0 || dotenvFiles.length > 0;
  const ignoreAdded = anythingToDo ? await missingIgnorePatterns(repoRoot, dotenvFiles) : [];
  if (ignoreAdded.length)
    await planTextFileAppend(
      repoRoot,
      GITIGNORE,
      READ_LIMITS.gitignore,
      true,
      (text) => planIgnoreFile(text, ignoreAdded),
      indexChanges,
      worktreeChanges,
    );
  // An accepted python-dotenv offer: the dependency joins the requirements file the user agreed to.
  const requirementFiles = new Map<string, boolean>();
  for (const advice of runAdvice) {
    if (advice.offerAccepted && advice.offer?.kind === 'python-dotenv')
      requirementFiles.set(advice.offer.requirements, advice.offer.createRequirements);
  }
  for (const [path, create] of requirementFiles) {
    const addDependency = (text: string | undefined) =>
      PYTHON_DOTENV_REQUIREMENT.test(text ?? '') ? (text ?? '') : appendLines(text ?? '', ['python-dotenv']);
    await planTextFileAppend(repoRoot, path, READ_LIMITS.config, create, addDependency, indexChanges, worktreeChanges);
  }
  const usedNames = distinct([...nameOf.values()]);
  // .env.example tells a teammate which variables to set: created when the project has no example file yet.
  const createExample = usedNames.length > 0 && !(await hasEnvExample(repoRoot));
  if (usedNames.length)
    await planTextFileAppend(
      repoRoot,
      ENV_EXAMPLE,
      READ_LIMITS.envExample,
      createExample,
      (text) => planEnvExample(text ?? '', usedNames),
      indexChanges,
      worktreeChanges,
    );
  // A Dockerfile's build context would copy .env into the image: keep it out.
  const dockerignores = anythingToDo ? await dockerignoresMissingEnv(repoRoot) : [];
  for (const path of dockerignores)
    await planTextFileAppend(
      repoRoot,
      path,
      READ_LIMITS.gitignore,
      true,
      (text) => planIgnoreFile(text, [ENV_FILE]),
      indexChanges,
      worktreeChanges,
    );

  // Tracked = still in the index once the plan is applied: a staged .env that HEAD
  // does not have leaves the index anyway; one HEAD has only goes back to that version.
  const envChange = indexChanges.find((c) => c.path === ENV_FILE);
  const envTracked = anythingToDo && (envChange ? envChange.next !== null : await isTracked(repoRoot, ENV_FILE));
  const envUntracked = envTracked && options.untrackEnv === true;
  if (envUntracked && envChange) envChange.next = null;
  else if (envUntracked) {
    const previous = await readIndexEntry(repoRoot, ENV_FILE);
    indexChanges.push({ path: ENV_FILE, previous, previousContent: previous && (await readBlob(repoRoot, previous.sha)), next: null });
  }
  if (envPlan.changed) {
    worktreeChanges.push({ path: ENV_FILE, previous: envBefore, content: Buffer.from(envPlan.content, 'utf8'), mode: 0o600 });
  }

  return {
    repoRoot,
    items: findings.map((f) => items.get(f)!),
    indexChanges,
    worktreeChanges,
    envAdded: envPlan.added,
    ignoreAdded,
    envTracked,
    envUntracked,
    secrets: distinct(findings.map((f) => f.secret)),
    runAdvice,
    outputsCleared,
    renamed,
    replaced: envPlan.replaced,
    alsoStaged: indexChanges
      .filter((c) => !rewritable.some((source) => source.path === c.path))
      .map((c) => ({ path: c.path, change: c.next === null || 'sha' in c.next ? ('unstage' as const) : ('add' as const) })),
  };
}

const EXAMPLE_NAMES = ['.env.example', '.env.sample', '.env.template', '.env.dist', 'env.example', 'example.env'];

async function hasEnvExample(repoRoot: string): Promise<boolean> {
  for (const name of EXAMPLE_NAMES) {
    if (statWriteTarget(repoRoot, name) || (await readIndexEntry(repoRoot, name))) return true;
  }
  return false;
}

/** `.dockerignore` beside every Dockerfile (tracked, staged or on disk at the root) that does not ignore .env yet. */
async function dockerignoresMissingEnv(repoRoot: string): Promise<string[]> {
  const dirs = new Set<string>();
  for (const path of await listIndexPaths(repoRoot)) {
    if (languageOf(path) === 'dockerfile') dirs.add(path.includes('/') ? path.slice(0, path.lastIndexOf('/')) : '');
  }
  if (statWriteTarget(repoRoot, 'Dockerfile')?.isFile()) dirs.add('');
  const missing: string[] = [];
  for (const dir of [...dirs].sort()) {
    const path = dir ? `${dir}/.dockerignore` : '.dockerignore';
    const text = readWriteTarget(repoRoot, path, READ_LIMITS.gitignore)?.toString('utf8') ?? '';
    if (planIgnoreFile(text, [ENV_FILE]) !== text) missing.push(path);
  }
  return missing;
}

function groupByFile(findings: readonly Finding[]): Map<string, Finding[]> {
  const groups = new Map<string, Finding[]>();
  for (const finding of findings) groups.set(finding.file, [...(groups.get(finding.file) ?? []), finding]);
  return groups;
}

async function readSource(repoRoot: string, path: string, findings: Finding[]): Promise<SourceFile | ItemSkipReason> {
  const entries = await readIndexEntries(repoRoot, path);
  if (entries.length === 0) return 'not-staged';
  if (entries.length > 1 || entries[0]!.stage !== 0) return 'conflicted';
  const entry = entries[0]!;
  if (entry.mode === '120000') return 'symlink';
  if (entry.mode === '160000') return 'submodule';
  const staged = await readBlob(repoRoot, entry.sha);
  if (staged.includes(0) && decodeText(staged).encoding !== 'utf16le' && decodeText(staged).encoding !== 'utf16be') return 'binary-file';
  // A link in the working tree (the file or a folder above it) is refused; a file deleted
  // or replaced by something that is not a file is left alone.
  const stat = statWriteTarget(repoRoot, path);
  const worktree = stat?.isFile() ? readWriteTarget(repoRoot, path, READ_LIMITS.source) : null;
  return { path, findings, entry, staged, worktree };
}

function probeRewrite(source: SourceFile): { reason: SkipReason; where: 'staged' | 'working-tree' } | null {
  const targets = distinct(source.findings.map((f) => f.secret)).map((secret) => ({ secret, envVar: PROBE_NAME }));
  const staged = rewriteText(source.path, source.staged, targets);
  if (!staged.ok) return { reason: staged.reason, where: 'staged' };
  if (staged.content === null) return { reason: 'not-found', where: 'staged' };
  if (source.worktree) {
    const worktree = rewriteText(source.path, source.worktree, targets);
    if (!worktree.ok) return { reason: worktree.reason, where: 'working-tree' };
  }
  return null;
}

/** Rewrites the targets present in the bytes (a working tree may lack some); null when none is. */
function rewriteText(path: string, bytes: Buffer, targets: readonly SecretTarget[], options: RewriteOptions = {}) {
  const { text } = decodeText(bytes);
  const present = targets.filter((t) => text.includes(t.secret));
  if (present.length === 0) return { ok: true as const, content: null };
  return rewriteSecrets(path, text, present, options);
}

function rewriteBytes(
  path: string,
  bytes: Buffer,
  targets: readonly SecretTarget[],
  options: RewriteOptions = {},
): { content: Buffer; clearedOutputs: number } | null {
  const { encoding } = decodeText(bytes);
  const result = rewriteText(path, bytes, targets, options);
  if (!result.ok || result.content === null) return null;
  return { content: encodeText(result.content, encoding), clearedOutputs: 'clearedOutputs' in result ? (result.clearedOutputs ?? 0) : 0 };
}

/** A staged .env-style file goes back to its HEAD version, or out of the index if it is new. */
async function planUnstage(repoRoot: string, path: string): Promise<IndexChange | null> {
  const previous = await readIndexEntry(repoRoot, path);
  if (!previous) return null;
  const head = await readHeadEntry(repoRoot, path);
  if (head && head.sha === previous.sha && head.mode === previous.mode) return null;
  return {
    path,
    previous,
    previousContent: await readBlob(repoRoot, previous.sha),
    next: head ? { mode: head.mode, sha: head.sha } : null,
  };
}

async function missingIgnorePatterns(repoRoot: string, dotenvFiles: readonly string[]): Promise<string[]> {
  const patterns: string[] = [];
  if (!(await isIgnored(repoRoot, ENV_FILE))) patterns.push(ENV_FILE);
  for (const path of dotenvFiles) {
    const name = path.slice(path.lastIndexOf('/') + 1);
    if (patterns.includes(name) || (await isIgnored(repoRoot, path))) continue;
    patterns.push(name);
  }
  return patterns;
}

/**
 * Appends to a small text file (.gitignore, .env.example) in the index and in the
 * working tree separately, so neither picks up the other's unstaged lines.
 * `create`: make the file where it does not exist yet.
 */
async function planTextFileAppend(
  repoRoot: string,
  path: string,
  maxBytes: number,
  create: boolean,
  append: (text: string | undefined) => string,
  indexChanges: IndexChange[],
  worktreeChanges: WorktreeChange[],
): Promise<void> {
  const entry = await readIndexEntry(repoRoot, path);
  // Appending to a staged link would change where the link points.
  if (entry && entry.mode !== '100644' && entry.mode !== '100755') {
    throw new FixError(fixMessages.unsafeTarget(path, fixMessages.notRegularInIndex));
  }
  const staged = entry && (await readBlob(repoRoot, entry.sha));
  const next = (bytes: Buffer | null): Buffer | null => {
    if (!bytes && !create) return null;
    const decoded = bytes ? decodeText(bytes) : { text: undefined, encoding: 'utf8' as const };
    const content = encodeText(append(decoded.text), decoded.encoding);
    return bytes && content.equals(bytes) ? null : content;
  };
  const stagedNext = next(staged);
  if (stagedNext)
    indexChanges.push({ path, previous: entry, previousContent: staged, next: { mode: entry?.mode ?? '100644', content: stagedNext } });
  const worktree = readWriteTarget(repoRoot, path, maxBytes);
  const worktreeNext = next(worktree);
  if (worktreeNext) worktreeChanges.push({ path, previous: worktree, content: worktreeNext });
}

function distinct<T>(values: readonly T[]): T[] {
  return [...new Set(values)];
}
