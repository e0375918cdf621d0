/**
 * Progress of a long scan (history, big trees) on stderr, only when stderr is a
 * terminal: "1,234 of 5,678 commits (21%) · 410/s · 11s left", redrawn in place
 * at most ~10 times a second and erased when the scan ends. Scans that finish
 * within the first moments never draw anything; elsewhere (CI, pipes, hooks
 * without a terminal) nothing at all is written.
 */
export type ProgressUnit = 'commits' | 'files';
export type ProgressCallback = (done: number, total: number | undefined, unit: ProgressUnit) => void;

export interface Progress extends ProgressCallback {
  /** False when the stream is not a terminal: pass no callback at all then. */
  readonly active: boolean;
  /** Erases the progress line, if one was drawn. */
  finish(): void;
}

export interface ProgressOptions {
  now?: () => number;
  /** Minimum time between two redraws (default 100 ms). */
  intervalMs?: number;
  /** Nothing is drawn before this much time has passed (default 300 ms). */
  delayMs?: number;
}

type Writable = Pick<NodeJS.WriteStream, 'write'> & { isTTY?: boolean; columns?: number };

export function createProgress(stream: Writable, options: ProgressOptions = {}): Progress {
  const active = Boolean(stream.isTTY);
  const now = options.now ?? (() => Date.now());
  const interval = options.intervalMs ?? 100;
  const delay = options.delayMs ?? 300;
  const started = now();
  let lastDraw = -Infinity;
  let drawn = false;

  const update = (done: number, total: number | undefined, unit: ProgressUnit): void => {
    if (!active) return;
    const t = now();
    if (t - started < delay || t - lastDraw < interval) return;
    lastDraw = t;
    let line = `leakguard: ${formatProgress(done, total, unit, t - started)}`;
    if (stream.columns && line.length >= stream.columns) line = line.slice(0, stream.columns - 1);
    stream.write(`\r${line}\x1b[K`);
    drawn = true;
  };
  return Object.assign(update, {
    active,
    finish(): void {
      if (drawn) stream.write('\r\x1b[K');
      drawn = false;
    },
  });
}

/** "1,234 of 5,678 commits (21%) · 410/s · 11s left" (the parts that are known). */
export function formatProgress(done: number, total: number | undefined, unit: ProgressUnit, elapsedMs: number): string {
  const parts: string[] = [];
  const known = total !== undefined && total > 0;
  const noun = (n: number) => (n === 1 ? unit.slice(0, -1) : unit); // "1 commit", "0 of 1 file"
  parts.push(
    known
      ? `${count(done)} of ${count(total)} ${noun(total)} (${Math.min(100, Math.floor((done / total) * 100))}%)`
      : `${count(done)} ${noun(done)}`,
  );
  const seconds = elapsedMs / 1000;
  if (seconds > 0 && done > 0) {
    const rate = done / seconds;
    parts.push(`${count(Math.round(rate))}/s`);
    if (known && done < total) parts.push(`${duration((total - done) / rate)} left`);
  }
  return parts.join(' · ');
}

function count(n: number): string {
  return n.toLocaleString('en-US');
}

function duration(seconds: number): string {
  const s = Math.max(1, Math.round(seconds));
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m ${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(m / 60)}h ${String(m % 60).padStart(2, '0')}m`;
}
