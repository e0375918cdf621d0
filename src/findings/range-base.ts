/**
 * What a `--range` scan trusts. The configuration and the baseline decide what is
 * NOT reported, so a pull request must not be able to loosen them for its own scan:
 * both are read from the range's base commit (A for `A..B`, the merge base for
 * `A...B`), and a range that changes them gets a notice naming the change.
 *
 * For each file (the default `.leakguard.json`, or a `--config`/`--baseline` path
 * inside the repository):
 *  - in the base commit: that version is used; when the range's end differs, a notice;
 *  - added by the range (not in the base): not used (defaults, no baseline), a notice;
 *  - in neither: an explicit path is read from the work tree (a file the CI job put
 *    there, not part of the pull request); the default config is absent.
 * Paths outside the repository are read from disk: the CI job chose them.
 * A single revision (`--range X`, all of X's history) has no base: the checked-out
 * files are used, as for `--history`.
 */
import path from 'node:path';
import { ConfigError, UsageError } from '../errors.js';
import { loadBaseline, parseBaseline, type LoadedBaseline } from './baseline.js';
import { DEFAULT_IGNORE_FILE, ignoreEntries, loadIgnoreFile, parseIgnoreFile, type IgnoreList } from './ignore-file.js';
import { READ_LIMITS } from '../fs/bounded-read.js';
import { parseRange, rangeRevisions } from '../sources/range.js';
import { catFile, plumbing, plumbingText } from '../git/git-client.js';
import { messages } from '../messages.js';
import type { Notice } from '../sources/source-stats.js';
import { jsoncToJson } from '../config/jsonc.js';
import { DEFAULT_CONFIG_FILE, displayName, loadConfig, parseConfig, type LeakguardConfig } from '../config/load-config.js';

export type { Notice };

export interface TrustedInputs {
  config: LeakguardConfig;
  /** How messages name the config (e.g. `.leakguard.json (base commit 1a2b3c4d5e6f)`). */
  configName: string;
  /** Undefined when no baseline was asked for, or the range adds it. */
  baseline?: LoadedBaseline;
  /** The base commit's ignore file (.leakguardignore); undefined when it has none (or the range adds it). */
  ignore?: IgnoreList;
  /** How messages name the ignore file. */
  ignoreName?: string;
  notices: Notice[];
}

export interface RangeBaseOptions {
  repoRoot: string;
  cwd: string;
  range: string;
  configFile?: string;
  baselineFile?: string;
  /** Default: .leakguardignore at the repository root. */
  ignoreFile?: string;
  debug?: (message: string) => void;
}

/** Blobs larger than this are refused (a config is a few KB; a baseline of a million findings ~40 MB). */
const MAX_BYTES = { config: 1024 * 1024, baseline: 256 * 1024 * 1024, 'ignore-file': READ_LIMITS.ignoreFile } as const;

/** Undefined for a single revision (no base: use the checkout). */
export async function loadFromRangeBase(options: RangeBaseOptions): Promise<TrustedInputs | undefined> {
  const { repoRoot, range, debug } = options;
  await rangeRevisions(repoRoot, range); // the range's own errors first (unknown revision, shallow clone)
  const ends = await rangeEnds(repoRoot, range);
  if (!ends) {
    debug?.(`--range ${range} names no base commit: the checked-out configuration and baseline are used`);
    return undefined;
  }
  const configTarget = target(
    options,
    'config',
    options.configFile ?? path.join(repoRoot, DEFAULT_CONFIG_FILE),
    options.configFile !== undefined,
  );
  const baselineTarget = options.baselineFile === undefined ? undefined : target(options, 'baseline', options.baselineFile, true);
  const ignoreTarget = target(
    options,
    'ignore-file',
    options.ignoreFile ?? path.join(repoRoot, DEFAULT_IGNORE_FILE),
    options.ignoreFile !== undefined,
  );
  const inRepo = [configTarget, baselineTarget, ignoreTarget].filter((t): t is Target => t?.rel !== undefined);
  const specs = inRepo.flatMap((t) => [ends.base ? `${ends.base}:${t.rel}` : undefined, `${ends.head}:${t.rel}`]);
  const infos = await blobInfos(repoRoot, specs);
  const found = new Map(specs.map((spec, i) => [spec, infos[i]]));
  const notices: Notice[] = [];

  const resolve = async (t: Target): Promise<{ text?: string; from: 'base' | 'disk' | 'none'; name: string }> => {
    if (t.rel === undefined) return { from: 'disk', name: t.display };
    const name = `${t.rel} (base commit ${ends.base?.slice(0, 12) ?? 'none'})`;
    const before = ends.base ? found.get(`${ends.base}:${t.rel}`) : undefined;
    const after = found.get(`${ends.head}:${t.rel}`);
    if (before && before.type !== 'blob') throw new ConfigError(name, undefined, 'is not a file in the base commit');
    if (before && before.size > MAX_BYTES[t.kind])
      throw new ConfigError(name, undefined, `is larger than ${MAX_BYTES[t.kind] / 2 ** 20} MB`);
    const changed = before?.sha !== after?.sha;
    // The head's version is only compared, never used: read it when it is an ordinary file of sane size.
    const readable = after && after.type === 'blob' && after.size <= MAX_BYTES[t.kind] ? after.sha : undefined;
    const [text, headText] = await readBlobs(repoRoot, [before?.sha, changed ? readable : undefined]);
    if (changed) {
      const change = !before ? 'added' : !after ? 'deleted' : 'modified';
      const compare = t.kind === 'config' ? changedFields : t.kind === 'baseline' ? baselineChanges : ignoreChanges;
      const details = !after || readable ? compare(text, headText) : [];
      const notice = { kind: t.kind, file: t.rel, change, details } as const;
      notices.push({ ...notice, message: messages.rangeChanges(notice, ends.base) });
    }
    if (before) return { text, from: 'base', name };
    if (after || !t.explicit) return { from: 'none', name };
    return { from: 'disk', name: t.display }; // tracked nowhere in the range: the CI job's own file
  };

  const config = await resolve(configTarget);
  debug?.(
    `configuration: ${config.from === 'base' ? config.name : config.from === 'disk' ? `${config.name} (from disk)` : 'none (built-in defaults)'}`,
  );
  const trusted: TrustedInputs = {
    config:
      config.from === 'base'
        ? await parseConfig(config.text!, config.name)
        : config.from === 'disk'
          ? await loadConfig(path.resolve(options.cwd, configTarget.given), repoRoot)
          : {},
    configName: config.name,
    notices,
  };
  if (baselineTarget) {
    const baseline = await resolve(baselineTarget);
    debug?.(
      `baseline: ${baseline.from === 'base' ? baseline.name : baseline.from === 'disk' ? `${baseline.name} (from disk)` : 'none (added by the range, not used)'}`,
    );
    if (baseline.from === 'base') trusted.baseline = parseBaseline(baseline.text!, baseline.name);
    if (baseline.from === 'disk') trusted.baseline = await loadBaseline(path.resolve(options.cwd, baselineTarget.given));
  }
  const ignore = await resolve(ignoreTarget);
  debug?.(`ignore file: ${ignore.from === 'base' ? ignore.name : ignore.from === 'disk' ? `${ignore.name} (from disk)` : 'none'}`);
  trusted.ignoreName = ignore.name;
  if (ignore.from === 'base') trusted.ignore = parseIgnoreFile(ignore.text!, ignore.name);
  if (ignore.from === 'disk')
    trusted.ignore = loadIgnoreFile(path.resolve(options.cwd, ignoreTarget.given), ignore.name, ignoreTarget.explicit);
  return trusted;
}

interface Target {
  kind: 'config' | 'baseline' | 'ignore-file';
  given: string;
  /** POSIX path from the repository root; undefined outside the repository. */
  rel?: string;
  display: string;
  explicit: boolean;
}

function target(options: RangeBaseOptions, kind: Target['kind'], given: string, explicit: boolean): Target {
  const absolute = path.resolve(options.cwd, given);
  const rel = path.relative(options.repoRoot, absolute);
  const inside = rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel);
  if (inside && /[\n\r]/.test(rel)) throw new UsageError(`--${kind}: a path with a line break cannot be read from git`);
  return {
    kind,
    given,
    rel: inside ? rel.split(path.sep).join('/') : undefined,
    display: displayName(absolute, options.repoRoot),
    explicit,
  };
}

/** The commits whose files a range trusts (base) and shows (head); undefined for a single revision. */
export async function rangeEnds(repoRoot: string, range: string): Promise<{ base: string | undefined; head: string } | undefined> {
  const { endpoints, symmetric } = parseRange(range);
  if (endpoints.length < 2) return undefined;
  const [from, to] = [await commitId(repoRoot, endpoints[0]!), await commitId(repoRoot, endpoints[1]!)];
  if (!symmetric) return { base: from, head: to };
  // A...B: the merge base; none (unrelated histories) means nothing is trusted.
  const { stdout, code } = await plumbing(repoRoot, ['merge-base', '--end-of-options', from, to], { okCodes: [1] });
  return { base: code === 0 ? stdout.trim() : undefined, head: to };
}

function commitId(repoRoot: string, rev: string): Promise<string> {
  return plumbingText(repoRoot, ['rev-parse', '--verify', '--end-of-options', `${rev}^{commit}`]);
}

interface BlobInfo {
  sha: string;
  type: string;
  size: number;
}

/** `commit:path` → object id, type and size; undefined where the path is absent. One git process. */
async function blobInfos(repoRoot: string, specs: readonly (string | undefined)[]): Promise<(BlobInfo | undefined)[]> {
  const asked = specs.filter((s): s is string => s !== undefined);
  if (!asked.length) return specs.map(() => undefined);
  const { stdout } = await plumbing(repoRoot, ['cat-file', '--batch-check=%(objectname) %(objecttype) %(objectsize)'], {
    input: `${asked.join('\n')}\n`,
  });
  const lines = stdout.split('\n');
  const answers = new Map(asked.map((spec, i) => [spec, lines[i] ?? '']));
  return specs.map((spec) => {
    const [sha = '', type = '', size = ''] = (spec === undefined ? '' : answers.get(spec)!).split(' ');
    return /^[0-9a-f]{40,64}$/.test(sha) && /^\d+$/.test(size) ? { sha, type, size: Number(size) } : undefined;
  });
}

/** The contents of the given blobs (undefined stays undefined). One git process. */
async function readBlobs(repoRoot: string, shas: readonly (string | undefined)[]): Promise<(string | undefined)[]> {
  const asked = shas.filter((s): s is string => s !== undefined);
  if (!asked.length) return shas.map(() => undefined);
  const stdout = await catFile(repoRoot, ['--batch'], { input: `${asked.join('\n')}\n` });
  const contents = new Map<string, string>();
  let at = 0;
  for (const sha of asked) {
    const eol = stdout.indexOf(0x0a, at);
    const size = Number(stdout.subarray(at, eol).toString('latin1').split(' ')[2]);
    contents.set(sha, stdout.subarray(eol + 1, eol + 1 + size).toString('utf8'));
    at = eol + 1 + size + 1;
  }
  return shas.map((sha) => (sha === undefined ? undefined : contents.get(sha)));
}

/** Which config fields differ: top-level names, and the allowlist's own fields. Names only. */
function changedFields(before: string | undefined, after: string | undefined): string[] {
  const a = lenientObject(before);
  const b = lenientObject(after);
  if (!a || !b) return ['not valid JSON'];
  const fields: string[] = [];
  for (const key of new Set([...Object.keys(a), ...Object.keys(b)])) {
    if (key === 'allowlist' && isObject(a[key] ?? {}) && isObject(b[key] ?? {})) {
      fields.push(...changedFields(JSON.stringify(a[key] ?? {}), JSON.stringify(b[key] ?? {})).map((k) => `allowlist.${k}`));
    } else if (JSON.stringify(a[key]) !== JSON.stringify(b[key])) {
      fields.push(key);
    }
  }
  return fields.map((f) => (/^[A-Za-z_$][\w$.-]{0,63}$/.test(f) ? f : '(a field whose name is not shown)'));
}

function baselineChanges(before: string | undefined, after: string | undefined): string[] {
  const a = lenientObject(before) ?? {};
  const b = lenientObject(after) ?? {};
  const entries = (o: Record<string, unknown>): Set<string> => new Set(Array.isArray(o.fingerprints) ? o.fingerprints.map(String) : []);
  const [x, y] = [entries(a), entries(b)];
  if (JSON.stringify(a.hash) !== JSON.stringify(b.hash) && x.size && y.size) return ['recorded again with a new salt or format'];
  const added = [...y].filter((f) => !x.has(f)).length;
  const removed = [...x].filter((f) => !y.has(f)).length;
  return [...(added ? [`${added} ${added === 1 ? 'entry' : 'entries'} added`] : []), ...(removed ? [`${removed} removed`] : [])];
}

/** Ignore-file entries the range adds and removes (counts only). */
function ignoreChanges(before: string | undefined, after: string | undefined): string[] {
  const [x, y] = [ignoreEntries(before), ignoreEntries(after)];
  const added = [...y].filter((f) => !x.has(f)).length;
  const removed = [...x].filter((f) => !y.has(f)).length;
  return [...(added ? [`${added} ${added === 1 ? 'entry' : 'entries'} added`] : []), ...(removed ? [`${removed} removed`] : [])];
}

/** The text's JSON object ({} for an absent file), or undefined when it is not one. */
function lenientObject(text: string | undefined): Record<string, unknown> | undefined {
  try {
    const data: unknown = text === undefined ? {} : JSON.parse(jsoncToJson(text.replace(/^\uFEFF/, '')));
    return isObject(data) ? data : undefined;
  } catch {
    return undefined;
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
