/**
 * git's pre-push hook input: one line per ref being pushed,
 * `<local ref> SP <local sha> SP <remote ref> SP <remote sha> LF`, and what those
 * lines publish, as `git log` revision arguments. Pure: text in, data out.
 */
import { InputError } from '../errors.js';

export interface RefUpdate {
  localRef: string;
  /** All zeros when the remote ref is being deleted. */
  localSha: string;
  remoteRef: string;
  /** All zeros when the remote ref does not exist yet (a new branch or tag). */
  remoteSha: string;
}

const OBJECT_ID = /^(?:[0-9a-f]{40}|[0-9a-f]{64})$/;
const isZero = (sha: string): boolean => /^0+$/.test(sha);

export const prePushMessages = {
  badLine: (line: string) =>
    `unexpected pre-push input line "${line}" (expected "<local ref> <local sha> <remote ref> <remote sha>"); the push is blocked`,
} as const;

export function parsePrePushInput(text: string): RefUpdate[] {
  const updates: RefUpdate[] = [];
  for (const raw of text.split('\n')) {
    const line = raw.replace(/\r$/, '');
    if (line.trim() === '') continue;
    const fields = line.split(' ');
    const [localRef, localSha, remoteRef, remoteSha] = fields;
    if (fields.length !== 4 || !OBJECT_ID.test(localSha!) || !OBJECT_ID.test(remoteSha!)) {
      throw new InputError(prePushMessages.badLine(line.slice(0, 200)));
    }
    updates.push({ localRef: localRef!, localSha: localSha!, remoteRef: remoteRef!, remoteSha: remoteSha! });
  }
  return updates;
}

/**
 * The commits a push publishes, as `git log` arguments, or undefined when it
 * publishes none (only deletions). Every local tip is included; excluded is what
 * the remote already has: the remote tips being replaced (all lines of one push go
 * to the same remote) and every remote-tracking ref. For an existing branch that is
 * `remote_sha..local_sha` (less what a remote-tracking ref already holds); for a new
 * branch, `local_sha --not --remotes`. A remote tip this clone does not have
 * (`--ignore-missing`) excludes nothing, so the remote-tracking refs bound the scan.
 */
export function revisionsToScan(updates: readonly RefUpdate[]): string[] | undefined {
  const locals = [...new Set(updates.filter((u) => !isZero(u.localSha)).map((u) => u.localSha))];
  if (locals.length === 0) return undefined;
  const remotes = [...new Set(updates.filter((u) => !isZero(u.remoteSha)).map((u) => u.remoteSha))];
  return ['--ignore-missing', ...locals, '--not', ...remotes, '--remotes'];
}
