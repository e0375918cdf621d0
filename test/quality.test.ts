/**
 * The quality targets of issue 5 on the benchmark's own corpus (bench/quality):
 * recall ≥ 0.98 on normal cases, ≥ 0.6 on hard cases, precision ≥ 0.98. The corpus is
 * generated at run time from a fixed seed (synthetic keys only) and scanned through
 * the library API as a plain directory, exactly as `leakguard scan DIR` would.
 * A failure lists what was missed or wrongly flagged, by provider and file.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { DEFAULT_FILES, DEFAULT_SEED, describeCorpus, generateCorpus, writeCorpus, type Corpus } from '../bench/quality/generate-corpus.js';
import { formatReport, redact, score, type ScoreResult } from '../bench/quality/score.js';
import { scan } from '../src/scan.js';

const TARGETS = { recallNormal: 0.98, recallHard: 0.6, precision: 0.98 } as const;

let dir: string;
let corpus: Corpus;
let result: ScoreResult;

beforeAll(async () => {
  // The same corpus as `node bench/quality/run.mjs`, so the README's numbers are the test's.
  corpus = generateCorpus({ seed: DEFAULT_SEED, files: DEFAULT_FILES });
  dir = await mkdtemp(path.join(os.tmpdir(), 'lg-quality-'));
  const corpusDir = path.join(dir, 'corpus');
  await writeCorpus(corpus, corpusDir);
  // cwd outside any repository: the folder is walked as plain files.
  const { findings } = await scan({ cwd: corpusDir, source: { kind: 'paths', paths: ['.'] } });
  result = score(
    corpus.labels,
    findings.map((f) => ({ file: f.file, line: f.line, endLine: f.endLine, secret: f.secret, rule: f.ruleId })),
    corpusDir,
  );
}, 120_000);

afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

function decode(data: Buffer): string {
  if (data[0] === 0xff && data[1] === 0xfe) return data.subarray(2).toString('utf16le');
  if (data[0] === 0xfe && data[1] === 0xff) return Buffer.from(data.subarray(2)).swap16().toString('utf16le');
  return data.toString('utf8');
}

describe('benchmark corpus', () => {
  it('spans at least 15 file types, ~40% look-alikes, and the providers people leak', () => {
    const d = describeCorpus(corpus.labels);
    expect(d.files).toBe(DEFAULT_FILES);
    expect(d.types).toBeGreaterThanOrEqual(15);
    expect(d.lookalikeShare).toBeGreaterThanOrEqual(0.35);
    expect(d.lookalikeShare).toBeLessThanOrEqual(0.45);
    expect(d.providers).toBeGreaterThanOrEqual(50);
    expect(d.hard).toBeGreaterThan(40);
    const families = new Set(corpus.labels.files.filter((f) => f.category === 'lookalike').map((f) => f.type));
    expect(families.size).toBeGreaterThanOrEqual(30);
  });

  it('is reproducible from its seed', () => {
    const again = generateCorpus({ seed: DEFAULT_SEED, files: DEFAULT_FILES });
    expect(again.files.map((f) => f.data.toString('base64'))).toEqual(corpus.files.map((f) => f.data.toString('base64')));
  });

  it('labels every key at the line where it sits', () => {
    const data = new Map(corpus.files.map((f) => [f.file, decode(f.data)]));
    const wrong: string[] = [];
    for (const file of corpus.labels.files) {
      const lines = data.get(file.file)!.split('\n');
      for (const s of file.secrets) {
        const span = lines.slice(s.line - 1, s.endLine).join('\n');
        if (![s.secret, ...(s.alternates ?? [])].some((v) => span.includes(v) || v.split('\n').every((part) => span.includes(part)))) {
          wrong.push(`${file.file}:${s.line} ${s.provider}/${s.kind}`);
        }
      }
      if (file.category === 'lookalike') expect(file.secrets).toEqual([]);
    }
    expect(wrong).toEqual([]);
  });
});

describe('leakguard on the benchmark corpus', () => {
  const misses = (hard: boolean): string[] =>
    result.missed
      .filter((m) => (m.hardCase !== undefined) === hard)
      .map((m) => `${m.provider} / ${m.kind}${m.hardCase ? ` [${m.hardCase}]` : ''} — ${m.file}:${m.line}`);

  it('prints its scores', () => {
    // Visible with --verbose; the README's table comes from bench/quality/run.mjs.
    console.log(formatReport('leakguard (benchmark corpus)', result));
    expect(result.normal.total).toBeGreaterThan(0);
  });

  it(`finds ≥ ${TARGETS.recallNormal} of the keys in normal cases`, () => {
    if (result.recallNormal < TARGETS.recallNormal) {
      throw new Error(
        `recall on normal cases ${result.recallNormal.toFixed(3)} (${result.normal.found}/${result.normal.total}) < ${TARGETS.recallNormal}; missed:\n${misses(false).join('\n')}`,
      );
    }
  });

  it(`finds ≥ ${TARGETS.recallHard} of the keys in hard cases`, () => {
    if (result.recallHard < TARGETS.recallHard) {
      const byCase = Object.entries(result.perHardCase)
        .map(([c, t]) => `${c}: ${t.found}/${t.total}`)
        .join(', ');
      throw new Error(
        `recall on hard cases ${result.recallHard.toFixed(3)} (${result.hard.found}/${result.hard.total}) < ${TARGETS.recallHard} (${byCase}); missed:\n${misses(true).join('\n')}`,
      );
    }
  });

  it(`keeps precision ≥ ${TARGETS.precision}`, () => {
    if (result.precision < TARGETS.precision) {
      const list = result.falsePositives.map((f) => `${f.file}:${f.line ?? '?'} ${f.rule ?? ''} (${f.secret ? redact(f.secret) : ''})`);
      throw new Error(
        `precision ${result.precision.toFixed(3)} (${result.findings.truePositive}/${result.findings.total}) < ${TARGETS.precision}; false positives:\n${list.join('\n')}`,
      );
    }
  });
});
