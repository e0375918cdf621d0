/**
 * The rewritten texts the detector also scans (src/detect/derived-texts.ts: percent-decoded
 * runs, string literals joined by `+`) must cost time linear in the input. Hostile text of
 * n and of 4n characters is scanned with every rule; the time per character, relative to a
 * calibration (ordinary source text of the same length, timed in this run), may not grow
 * with the size: a linear path stays near 1×, a quadratic one grows about 4×.
 *
 * Before this test, one regex found "a run holding a percent escape" and retried the whole
 * run from every start in it (a long run of `%` with no escape: quadratic), and every joined
 * chain looked back to the start of its line (a long line of chains: quadratic); with the
 * rules of every provider run over such inputs the reliability suite went from 93 s to over
 * ten minutes.
 *
 * Wide margins: growth up to GROWTH times counts as linear, anything under FLOOR_MS is
 * noise, and a failing measurement is taken again before it counts.
 */
import path from 'node:path';
import { readFileSync, readdirSync } from 'node:fs';
import { beforeAll, describe, expect, test } from '@jest/globals';
import { createDetector, type Detector } from '../../src/detect/detector.js';
import type { Fragment } from '../../src/sources/fragment.js';
import { loadRuleFiles } from '../../scripts/rule-files.js';
import { PROJECT_ROOT } from '../helpers/repo.js';

/** Growth of the time per character from n to 4n characters that still counts as linear (quadratic: about 4). */
const GROWTH = 2.5;
/** How many times the calibration (ordinary text of as many characters) the 4n input may take. */
const SLOWDOWN = 50;
/** Below this (for the 4n input), timings are noise: never a failure. */
const FLOOR_MS = 150;
const N = 16 * 1024;

let detector: Detector;

function fragment(text: string): Fragment {
  let lines = 1;
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) lines++;
  return { path: 'hostile.txt', text, lineNumbers: Array.from({ length: lines }, (_, i) => i + 1), origin: 'stdin' };
}

function fill(unit: string, size: number): string {
  return unit.repeat(Math.ceil(size / unit.length)).slice(0, size);
}

/** Milliseconds of the best of `runs` detections of `text`. */
function best(text: string, runs = 2): number {
  const frag = fragment(text);
  let ms = Infinity;
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    detector.detect(frag);
    ms = Math.min(ms, performance.now() - started);
  }
  return ms;
}

/** A block of ordinary source text (this repository's own code), repeated for the calibration so n and 4n hold the same text. */
const ordinary = (): string => {
  const dir = path.join(PROJECT_ROOT, 'src', 'detect');
  const code = readdirSync(dir)
    .filter((name) => name.endsWith('.ts'))
    .sort()
    .map((name) => readFileSync(path.join(dir, name), 'utf8'))
    .join('\n');
  return code.slice(0, 8192);
};

/** Milliseconds per character of ordinary text (the block repeated to 256 KiB), best of three, in this run. */
function calibrate(code: string): number {
  const text = fill(code, 256 * 1024);
  return best(text, 3) / text.length;
}

interface Measured {
  small: number;
  large: number;
  /** The large input's time over the calibration's time for as many characters. */
  relative: number;
  /** How much more time per character the large input takes than the small one (linear: about 1). */
  growth: number;
}

function measure(unit: string, code: string): Measured {
  const msPerChar = calibrate(code);
  const small = best(fill(unit, N));
  const large = best(fill(unit, 4 * N));
  return { small, large, relative: large / (msPerChar * 4 * N), growth: large / 4 / Math.max(small, 0.05) };
}

const tooSlow = (m: Measured): boolean => m.large >= FLOOR_MS && (m.relative > SLOWDOWN || m.growth > GROWTH);

const HOSTILE: Array<[string, string]> = [
  ['a run of percent signs', '%'],
  ['percent signs with one hex digit', 'x%2'],
  ['percent signs with non-hex', '%zz'],
  ['string literals joined by + on one line', '"ab"+'],
  ['string literals side by side on one line', '"abcdefgh" '],
  ['a name, then literals joined by +', '"token="+"'],
  ['quotes and plus signs', '"+'],
  ['literals joined over lines', '"abcdefgh"+\n'],
];

describe('derived texts (percent-decoded, joined literals) scale linearly', () => {
  let code = '';
  beforeAll(() => {
    detector = createDetector(loadRuleFiles(path.join(PROJECT_ROOT, 'rules')));
    code = ordinary();
    best(fill(code, N)); // warm up the compiled rules
  });

  test.each(HOSTILE)(
    '%s',
    (_shape, unit) => {
      let measured = measure(unit, code);
      if (tooSlow(measured)) measured = measure(unit, code);
      expect({ slow: tooSlow(measured), ...measured }).toMatchObject({ slow: false });
    },
    120_000,
  );
});
