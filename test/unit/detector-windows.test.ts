import { describe, expect, test } from '@jest/globals';
import path from 'node:path';
import { createDetector, WINDOW_CHARS, windowsOf } from '../../src/detect/detector.js';
import { loadRuleFiles } from '../../scripts/rule-files.js';
import { openaiKey, githubToken } from '../helpers/keys.js';
import { PROJECT_ROOT } from '../helpers/repo.js';

describe('windowsOf', () => {
  test.each([0, 1, WINDOW_CHARS, WINDOW_CHARS + 1, 3 * WINDOW_CHARS + 12345])('length %i: every start owned once, with room after it', (length) => {
    const windows = [...windowsOf(length)];
    expect(windows[0]!.ownFrom).toBe(0);
    expect(windows.at(-1)!.ownTo).toBe(length);
    for (let i = 0; i < windows.length; i++) {
      const w = windows[i]!;
      expect(w.to - w.from).toBeLessThanOrEqual(WINDOW_CHARS);
      if (i > 0) expect(w.ownFrom).toBe(windows[i - 1]!.ownTo);
      // A secret owned here may be ~15,000 characters long and still end inside the window.
      if (w.to < length) expect(w.to - w.ownTo).toBeGreaterThanOrEqual(15_000);
      if (w.from > 0) expect(w.ownFrom - w.from).toBeGreaterThanOrEqual(256);
    }
  });
});

describe('detection on one very long line', () => {
  const detector = createDetector(loadRuleFiles(path.join(PROJECT_ROOT, 'rules')));

  test('keys placed across window boundaries are each found once, at their own column', () => {
    const boundaries = [...windowsOf(8 * WINDOW_CHARS)].map((w) => w.ownTo).slice(0, -1);
    const shifts = [-1, 0, 1, -100, -200, 50, -520];
    const starts = boundaries.flatMap((b, j) => [b - 5_000, b + shifts[j % shifts.length]!]);
    const code = 'var a=b+c;if(a){f(a)}else{g(b)} ';
    let text = '';
    const expected: Array<[number, string]> = [];
    starts.forEach((start, i) => {
      const prefix = ` t${i} = "`;
      const gap = start - text.length - prefix.length;
      text += code.repeat(Math.ceil(gap / code.length)).slice(0, gap) + prefix;
      const key = i % 2 ? githubToken(`win-${i}`) : openaiKey(`win-${i}`);
      expected.push([text.length + 1, key]);
      text += `${key}"; `;
    });
    const findings = detector.detect({ path: 'bundle.min.js', text, lineNumbers: [1], origin: 'stdin' });
    expect(findings.map((f) => [f.column, f.secret])).toEqual(expected);
  });
});
