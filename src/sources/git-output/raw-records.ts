/**
 * Parser for `git diff --raw -z` records. Paths arrive NUL-terminated and
 * verbatim, so nothing here ever unquotes a path.
 *
 *   :<srcMode> <dstMode> <srcSha> <dstSha> <status>\0<path>\0            (A M D T U X)
 *   :<srcMode> <dstMode> <srcSha> <dstSha> <R|C><score>\0<old>\0<new>\0  (rename, copy)
 */
/** A submodule's mode. */
export const GITLINK_MODE = '160000';
export const SYMLINK_MODE = '120000';
/** The sha of a side that has no blob (an added file's source, a deleted file's destination). */
export const NO_BLOB = /^0+$/;

export interface RawEntry {
  /** One letter: A added, M modified, D deleted, R renamed, C copied, T type change. */
  status: string;
  srcMode: string;
  dstMode: string;
  srcSha: string;
  dstSha: string;
  /** Path in the new version (the destination of a rename or copy). */
  path: string;
  oldPath?: string;
}

export interface RawParse {
  entries: RawEntry[];
  /** Offset just past what was consumed. */
  offset: number;
  /** True once a non-record byte (the patch separator, or the end) was reached. */
  complete: boolean;
}

/**
 * Reads as many whole records as `text` holds from `offset`. Stops at the first
 * position that does not start a record; an incomplete record is left for later.
 */
export function parseRawRecords(text: string, offset = 0): RawParse {
  const entries: RawEntry[] = [];
  let pos = offset;
  while (pos < text.length) {
    if (text[pos] !== ':') return { entries, offset: pos, complete: true };
    const metaEnd = text.indexOf('\0', pos);
    if (metaEnd === -1) break;
    // Four spaces separate five fields: cut in place (a history has a record per file change).
    const s1 = fieldEnd(text, pos + 1, metaEnd);
    const s2 = fieldEnd(text, s1 + 1, metaEnd);
    const s3 = fieldEnd(text, s2 + 1, metaEnd);
    const s4 = fieldEnd(text, s3 + 1, metaEnd);
    const srcMode = text.slice(pos + 1, s1);
    const dstMode = text.slice(s1 + 1, s2);
    const srcSha = text.slice(s2 + 1, s3);
    const dstSha = text.slice(s3 + 1, s4);
    const status = s4 + 1 < metaEnd ? text.charAt(s4 + 1) : '';
    const pathCount = status === 'R' || status === 'C' ? 2 : 1;
    const paths: string[] = [];
    let cursor = metaEnd + 1;
    for (let i = 0; i < pathCount; i++) {
      const end = text.indexOf('\0', cursor);
      if (end === -1) break;
      paths.push(text.slice(cursor, end));
      cursor = end + 1;
    }
    if (paths.length < pathCount) break;
    const entry: RawEntry = { status, srcMode, dstMode, srcSha, dstSha, path: paths[pathCount - 1]! };
    if (pathCount === 2) entry.oldPath = paths[0];
    entries.push(entry);
    pos = cursor;
  }
  return { entries, offset: pos, complete: false };
}

/** The end of the space-separated field at `from`: its next space, or `end` (then every later field is empty). */
function fieldEnd(text: string, from: number, end: number): number {
  if (from >= end) return end;
  const space = text.indexOf(' ', from);
  return space === -1 || space > end ? end : space;
}
