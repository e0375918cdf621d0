import type { Finding } from '../detect/finding.js';
import { filterBaseline, type LoadedBaseline } from './baseline.js';
import { filterIgnored, type IgnoreList } from './ignore-file.js';

/**
 * What happens to detected findings before they are reported, in this order:
 * duplicates are dropped, commit findings are put in git log's order, the ignore
 * file hides the false alarms, and the baseline hides the known findings.
 */
export interface PostProcessOptions {
  /** Findings carry commits, read in no fixed order (parallel git processes): sort them newest commit first. */
  commitOrdered: boolean;
  /** The ignore file's fingerprints (.leakguardignore) and how messages name it. */
  ignore?: { list: IgnoreList; name: string };
  baseline?: LoadedBaseline;
  debug?: (message: string) => void;
}

export interface PostProcessed {
  findings: Finding[];
  /** Findings hidden by the ignore file. */
  ignored: number;
  /** Findings hidden by the baseline. */
  baselined: number;
}

export async function postProcess(detected: Finding[], options: PostProcessOptions): Promise<PostProcessed> {
  const deduped = dedupe(detected);
  // The report order must not depend on which git process read a commit first.
  if (options.commitOrdered) deduped.sort(newestCommitFirst);
  const findings = options.ignore ? filterIgnored(deduped, options.ignore.list, options.ignore.name, options.debug) : deduped;
  const ignored = deduped.length - findings.length;
  if (!options.baseline) return { findings, ignored, baselined: 0 };
  const kept = await filterBaseline(findings, options.baseline, options.debug);
  return { findings: kept, ignored, baselined: findings.length - kept.length };
}

/** The same secret at the same place is reported once (overlapping fragments, split streams). */
export function dedupe(findings: readonly Finding[]): Finding[] {
  const seen = new Set<string>();
  return findings.filter((f) => {
    const key = `${f.fingerprint}:${f.line}:${f.column}:${f.commit ?? ''}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** git log's order: newest commit first; within a commit, by file and position. */
export function newestCommitFirst(a: Finding, b: Finding): number {
  return (
    Date.parse(b.date ?? '') - Date.parse(a.date ?? '') ||
    (a.commit ?? '').localeCompare(b.commit ?? '') ||
    a.file.localeCompare(b.file) ||
    a.line - b.line ||
    a.column - b.column
  );
}
