import { describe, expect, test } from '@jest/globals';
import { createProgress, formatProgress } from '../../../src/report/progress.js';

function fakeStream(isTTY: boolean) {
  const writes: string[] = [];
  return { writes, stream: { isTTY, columns: 120, write: (s: string) => (writes.push(s), true) } };
}

describe('progress', () => {
  test('nothing at all when stderr is not a terminal', () => {
    const { writes, stream } = fakeStream(false);
    let t = 0;
    const progress = createProgress(stream, { now: () => t });
    expect(progress.active).toBe(false);
    for (t = 0; t < 5000; t += 50) progress(t, 10000, 'commits');
    progress.finish();
    expect(writes).toEqual([]);
  });

  test('on a terminal: waits a moment, redraws in place at most every 100 ms, clears at the end', () => {
    const { writes, stream } = fakeStream(true);
    let t = 1000;
    const progress = createProgress(stream, { now: () => t });
    expect(progress.active).toBe(true);
    progress(1, 100, 'files'); // too early: a fast scan never draws
    expect(writes).toEqual([]);
    for (let i = 0; i < 40; i++) {
      t += 25;
      progress(i * 2, 100, 'files');
    }
    expect(writes.length).toBeGreaterThanOrEqual(5);
    expect(writes.length).toBeLessThanOrEqual(8);
    for (const w of writes) expect(w).toMatch(/^\rleakguard: \d+ of 100 files \(\d+%\)/);
    progress.finish();
    expect(writes[writes.length - 1]).toBe('\r\x1b[K');
  });

  test('done of total, rate and time left', () => {
    expect(formatProgress(1234, 5678, 'commits', 2000)).toBe('1,234 of 5,678 commits (21%) · 617/s · 7s left');
    expect(formatProgress(10, undefined, 'files', 1000)).toBe('10 files · 10/s');
    expect(formatProgress(0, 50, 'files', 0)).toBe('0 of 50 files (0%)');
    expect(formatProgress(100, 100_000, 'commits', 1000)).toMatch(/16m 39s left$/);
  });
});
