import { findRepoRoot, requireRepoRoot } from '../git/repo.js';
import type { ScanSource, Source, SourceKind } from './source.js';
import { stagedSource } from './staged.js';
import { stdinSource } from './stdin.js';

export type { ScanSource, Source, SourceDescription, SourceKind } from './source.js';

type Opener<K extends SourceKind> = (request: Extract<ScanSource, { kind: K }>) => Source | Promise<Source>;

/**
 * Every source, by name. The pre-commit hook's source and stdin are loaded with this
 * module; the others only when asked for. The CLI bundle keeps range, history and
 * tree in dist/full.cjs, so the pre-commit hook never parses them; the unpushed
 * source stays in dist/cli.cjs for the pre-push hook, and runs only when asked for
 * (scripts/build.mjs, HOT_DYNAMIC).
 */
const SOURCES: { [K in SourceKind]: Opener<K> } = {
  staged: () => stagedSource(),
  stdin: (request) => stdinSource(request.text),
  range: async (request) => (await import('./range.js')).rangeSource(request.range),
  history: async () => (await import('./history.js')).historySource(),
  unpushed: async (request) => (await import('./unpushed.js')).unpushedSource(request.revisions),
  paths: async (request) => (await import('./tree.js')).treeSource(request.paths),
};

export interface OpenedSource {
  source: Source;
  /** The repository the scan runs in; undefined outside one (for sources that need none). */
  repoRoot?: string;
}

/** Opens the source a request names: finds the repository it runs in, and starts its early work. Close it with `source.close()`. */
export async function openSource(request: ScanSource, cwd: string): Promise<OpenedSource> {
  const open = SOURCES[request.kind] as Opener<SourceKind>;
  const source = await open(request);
  const repoRoot = source.needsRepo
    ? await requireRepoRoot(cwd, `scan --${source.kind}`, { bare: source.needsRepo.bare })
    : await findRepoRoot(cwd);
  source.start?.(repoRoot);
  return { source, repoRoot };
}
