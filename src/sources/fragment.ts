/** Where a fragment came from; the detector never looks at this. */
export type Origin = 'staged' | 'range' | 'history' | 'tree' | 'stdin';

export interface CommitInfo {
  commit: string;
  author: string;
  /** ISO 8601 author date. */
  date: string;
}

/**
 * A piece of text to scan: the added lines of one file (or part of one), joined
 * with "\n". `lineNumbers[i]` is the line number, in the new version of the file,
 * of the i-th line of `text`. Lines keep any trailing "\r" so columns match the file.
 */
export interface Fragment {
  /** POSIX path relative to the repository root (or to the scanned PATH). */
  path: string;
  text: string;
  lineNumbers: number[];
  origin: Origin;
  commit?: CommitInfo;
}

/** A fragment whose lines are the consecutive lines startLine, startLine+1, … */
export function contiguousFragment(path: string, text: string, origin: Origin, startLine = 1, commit?: CommitInfo): Fragment {
  let count = 1;
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) count++;
  const lineNumbers = new Array<number>(count);
  for (let i = 0; i < count; i++) lineNumbers[i] = startLine + i;
  return { path, text, lineNumbers, origin, commit };
}
