/**
 * Plans the rewrite of unpushed commits without changing anything: which commits
 * hold a key (in any file of their tree, reported or not), the new content of each
 * such file, and the `.gitignore` line every rewritten commit gets. Commits before
 * the first one that holds a key keep their ids.
 */
import type { Finding } from '../../detect/finding.js';
import { FixError } from '../../errors.js';
import { READ_LIMITS } from '../../fs/bounded-read.js';
import { readWriteTarget } from '../../fs/write-target.js';
import { planEnvFile } from '../env-file.js';
import { planIgnoreFile } from '../gitignore.js';
import { fixMessages } from '../messages.js';
import {
  changesOf,
  currentBranch,
  gitDirOf,
  grepTree,
  operationInProgress,
  readBlobs,
  remoteRefsContaining,
  resolveCommit,
  treeEntry,
  uncommittedChanges,
  unpushedCommits,
  type ListedCommit,
} from './git-plumbing.js';
import { unpushedMessages } from './messages.js';
import { holdsSecret, isDotenvFile, rewriteFile, type SecretTarget } from './rewrite-file.js';

export const ENV_FILE = '.env';
const GITIGNORE = '.gitignore';
const REGULAR = new Set(['100644', '100755']);

interface Entry {
  mode: string;
  sha: string;
}

/** A path's content in a rewritten commit: new bytes, or removal (a committed .env-style file). */
export interface PlannedEdit {
  path: string;
  mode: string | null;
  content: Buffer | null;
}

export interface CommitPlan {
  commit: string;
  parents: string[];
  edits: PlannedEdit[];
}

export interface FileOutcome {
  path: string;
  action: 'rewrite' | 'remove';
  envVars: string[];
}

export interface CannotRewrite {
  path: string;
  commit: string;
  reason: string;
}

export interface UnpushedPlan {
  repoRoot: string;
  gitDir: string;
  branch: string;
  oldTip: string;
  /** Unpushed commits kept as they are (before the first that holds a key). */
  kept: number;
  /** The last kept commit (or pushed commit) the rewrite starts from; undefined when it starts at a root. */
  base?: string;
  commits: CommitPlan[];
  files: FileOutcome[];
  cannotRewrite: CannotRewrite[];
  targets: SecretTarget[];
  envContent?: Buffer;
  envAdded: string[];
  ignoreAdded: string[];
  /** .env-style files that leave the commits and stay on disk. */
  keptOnDisk: string[];
}

/** Checks what must hold before any history is rewritten; throws FixError (nothing changed). */
export async function checkPreconditions(repoRoot: string): Promise<{ branch: string; tip: string }> {
  // A stopped rebase detaches HEAD: name the rebase, not the detached HEAD (switching branches mid-rebase is wrong advice).
  const operation = await operationInProgress(repoRoot);
  if (operation) throw new FixError(unpushedMessages.inProgress(operation));
  const branch = await currentBranch(repoRoot);
  if (!branch) throw new FixError(unpushedMessages.detached);
  const dirty = await uncommittedChanges(repoRoot);
  if (dirty.length) throw new FixError(unpushedMessages.dirty(dirty));
  const tip = await resolveCommit(repoRoot, 'HEAD');
  if (!tip) throw new FixError(unpushedMessages.noCommits(branch));
  return { branch, tip };
}

/**
 * The plan for `findings` (from a scan of the unpushed commits). Throws FixError for
 * the refusals: a key already pushed, a merge in the commits to rewrite, a tracked `.env`.
 */
export async function planUnpushedFix(repoRoot: string, branch: string, tip: string, findings: readonly Finding[]): Promise<UnpushedPlan> {
  const gitDir = await gitDirOf(repoRoot);
  const listed = await unpushedCommits(repoRoot, tip);
  const inList = new Set(listed.map((c) => c.commit));
  const secrets = [...new Set(findings.filter((f) => !f.encoding).map((f) => f.secret))];
  // A base64-encoded key has no literal to replace with an environment lookup.
  const encoded = findings
    .filter((f) => f.encoding)
    .map((f) => ({ path: f.file, commit: f.commit ?? tip, reason: fixMessages.skipReason('encoded') }));
  const empty: UnpushedPlan = {
    repoRoot,
    gitDir,
    branch,
    oldTip: tip,
    kept: listed.length,
    commits: [],
    files: [],
    cannotRewrite: encoded,
    targets: [],
    envAdded: [],
    ignoreAdded: [],
    keptOnDisk: [],
  };
  if (secrets.length === 0 || listed.length === 0) return empty;

  // A key the remote already has cannot be taken back by rewriting local commits.
  const boundary = [...new Set(listed.flatMap((c) => c.parents).filter((p) => !inList.has(p)))];
  for (const commit of boundary) {
    const files = await grepTree(repoRoot, commit, secrets);
    if (files.length) throw new FixError(unpushedMessages.published(files, await remoteRefsContaining(repoRoot, commit)));
  }

  // Names, as the staged fix chooses them: reuse a variable of .env holding the same value.
  const envBefore = readWriteTarget(repoRoot, ENV_FILE, READ_LIMITS.env);
  const envPlan = planEnvFile(
    envBefore?.toString('utf8'),
    secrets.map((secret) => ({ envVar: findings.find((f) => f.secret === secret)!.envVar, value: secret })),
  );
  const targets = secrets.map((secret, i) => ({ secret, envVar: envPlan.names[i]! }));

  const walk = await walkCommits(repoRoot, listed, inList, targets);
  if (!walk.firstDirty) return { ...empty, targets };

  const start = listed.findIndex((c) => c.commit === walk.firstDirty);
  const rewritten = listed.slice(start);
  const merge = rewritten.find((c) => c.parents.length > 1);
  if (merge) throw new FixError(unpushedMessages.merges(merge.commit));

  const ignoreAdded = [ENV_FILE, ...walk.removed.map((p) => p.slice(p.lastIndexOf('/') + 1))].filter((p, i, all) => all.indexOf(p) === i);
  const ignoreCache = new Map<string, Buffer | null>();
  const commits: CommitPlan[] = [];
  for (const { commit, parents } of rewritten) {
    const state = walk.states.get(commit)!;
    const edits: PlannedEdit[] = [];
    for (const [path, entry] of state.dirty) {
      const outcome = walk.outcomes.get(`${path}\0${entry.sha}`)!;
      edits.push({ path, mode: outcome.content ? entry.mode : null, content: outcome.content });
    }
    const ignore = await ignoreEdit(repoRoot, state.gitignore, ignoreAdded, ignoreCache);
    if (ignore) edits.push(ignore);
    commits.push({ commit, parents, edits });
  }

  const tipState = walk.states.get(tip)!;
  if ((await treeEntry(repoRoot, tip, ENV_FILE)) && !tipState.dirty.has(ENV_FILE)) throw new FixError(unpushedMessages.envTracked);

  return {
    repoRoot,
    gitDir,
    branch,
    oldTip: tip,
    kept: start,
    base: rewritten[0]!.parents[0],
    commits,
    files: walk.files,
    cannotRewrite: [...encoded, ...walk.cannot],
    targets,
    envContent: envPlan.changed ? Buffer.from(envPlan.content, 'utf8') : undefined,
    envAdded: envPlan.added,
    ignoreAdded,
    keptOnDisk: walk.removed.filter((p) => tipState.dirty.has(p)),
  };
}

interface CommitState {
  /** Paths of the commit's tree that hold a key, with their entries. */
  dirty: Map<string, Entry>;
  gitignore: Entry | undefined;
}

interface Walk {
  states: Map<string, CommitState>;
  firstDirty?: string;
  /** Per path and blob: the rewritten bytes, or null for removal. */
  outcomes: Map<string, { content: Buffer | null }>;
  files: FileOutcome[];
  cannot: CannotRewrite[];
  removed: string[];
}

/**
 * Follows every unpushed commit's tree from its first parent: which paths hold a
 * key (only blobs a commit adds are read; a pushed parent was checked clean), and
 * what each becomes.
 */
async function walkCommits(
  repoRoot: string,
  listed: readonly ListedCommit[],
  inList: Set<string>,
  targets: readonly SecretTarget[],
): Promise<Walk> {
  const secrets = targets.map((t) => t.secret);
  const walk: Walk = { states: new Map(), outcomes: new Map(), files: [], cannot: [], removed: [] };
  const holds = new Map<string, boolean>();
  for (const { commit, parents } of listed) {
    const parent = parents[0];
    const inherited = parent && inList.has(parent) ? walk.states.get(parent)! : undefined;
    const state: CommitState = {
      dirty: new Map(inherited?.dirty),
      gitignore: inherited ? inherited.gitignore : parent ? await treeEntry(repoRoot, parent, GITIGNORE) : undefined,
    };
    const changes = await changesOf(repoRoot, commit, parent);
    const unread = [...new Set(changes.filter((c) => c.sha && c.mode && REGULAR.has(c.mode) && !holds.has(c.sha)).map((c) => c.sha!))];
    const blobs = await readBlobs(repoRoot, unread);
    for (const sha of unread) holds.set(sha, holdsSecret(blobs.get(sha) ?? Buffer.alloc(0), secrets));
    for (const change of changes) {
      if (change.path === GITIGNORE) state.gitignore = change.sha && change.mode ? { mode: change.mode, sha: change.sha } : undefined;
      if (!change.sha || !change.mode || !holds.get(change.sha)) {
        state.dirty.delete(change.path);
        continue;
      }
      state.dirty.set(change.path, { mode: change.mode, sha: change.sha });
      const key = `${change.path}\0${change.sha}`;
      if (!walk.outcomes.has(key)) walk.outcomes.set(key, outcomeOf(change.path, blobs.get(change.sha)!, targets, commit, walk));
    }
    walk.states.set(commit, state);
    if (state.dirty.size && !walk.firstDirty) walk.firstDirty = commit;
  }
  return walk;
}

function outcomeOf(path: string, bytes: Buffer, targets: readonly SecretTarget[], commit: string, walk: Walk): { content: Buffer | null } {
  const present = targets.filter((t) => holdsSecret(bytes, [t.secret]));
  const envVars = present.map((t) => t.envVar);
  if (isDotenvFile(path)) {
    if (!walk.removed.includes(path)) {
      walk.removed.push(path);
      walk.files.push({ path, action: 'remove', envVars });
    }
    return { content: null };
  }
  const result = rewriteFile(path, bytes, present);
  if (!result.ok) {
    walk.cannot.push({ path, commit, reason: fixMessages.skipReason(result.reason) });
    return { content: bytes };
  }
  const known = walk.files.find((f) => f.path === path && f.action === 'rewrite');
  if (known) known.envVars = [...new Set([...known.envVars, ...envVars])];
  else walk.files.push({ path, action: 'rewrite', envVars });
  return { content: result.content };
}

/** `.gitignore` of a rewritten commit with the patterns added (null: unchanged). */
async function ignoreEdit(
  repoRoot: string,
  entry: Entry | undefined,
  patterns: readonly string[],
  cache: Map<string, Buffer | null>,
): Promise<PlannedEdit | null> {
  const key = entry?.sha ?? '';
  if (!cache.has(key)) {
    const before = entry ? (await readBlobs(repoRoot, [entry.sha])).get(entry.sha)! : undefined;
    const text = before?.toString('utf8');
    const after = planIgnoreFile(text, patterns);
    cache.set(key, after === text ? null : Buffer.from(after, 'utf8'));
  }
  const content = cache.get(key)!;
  return content ? { path: GITIGNORE, mode: entry?.mode ?? '100644', content } : null;
}
