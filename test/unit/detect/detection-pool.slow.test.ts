/**
 * The worker thread of large scans (src/detect/detection-pool.ts), run from the
 * built dist/detect-worker.cjs (`npm test` builds first): it must find exactly what
 * one thread finds, in the same order, and a worker that fails must lose nothing.
 */
import { afterAll, describe, expect, test } from '@jest/globals';
import { rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { DetectionPool } from '../../../src/detect/detection-pool.js';
import { createDetector } from '../../../src/detect/detector.js';
import { contiguousFragment, type Fragment } from '../../../src/sources/fragment.js';
import { loadRuleFiles } from '../../../scripts/rule-files.js';
import { loadBuiltinRulesLazy } from '../../../src/rules/load-rules.js';
import { githubToken, openaiKey } from '../../helpers/keys.js';
import { makeTempDir, PROJECT_ROOT } from '../../helpers/repo.js';

const rules = loadRuleFiles(path.join(PROJECT_ROOT, 'rules'));
const WORKER = path.join(PROJECT_ROOT, 'dist', 'detect-worker.cjs');
const temp = makeTempDir('leakguard-pool-');
afterAll(() => rmSync(temp, { recursive: true, force: true }));

/** 60 files of generated code, most with a key or two, some with none. */
function fragments(): Fragment[] {
  const filler = 'function f(a,b){return a.map(x=>x*b).filter(Boolean)}\n'.repeat(400);
  return Array.from({ length: 60 }, (_, i) => {
    const keys = i % 5 === 4 ? '' : `const token = "${githubToken(`pool-${i}`)}";\nopenai.api_key = '${openaiKey(`pool-${i}`)}'\n`;
    return contiguousFragment(`src/file${i}.js`, `${filler.slice(0, (i * 997) % filler.length)}${keys}${filler}`, 'stdin');
  });
}

function oneThread(all: Fragment[]) {
  const detector = createDetector(rules);
  return all.flatMap((f) => detector.detect(f));
}

async function pooled(all: Fragment[], workerFile: string, poolRules = rules) {
  const pool = new DetectionPool(createDetector(poolRules), { rules: poolRules, workerFile: () => workerFile, startAfterChars: 0 });
  await submitAll(pool, all);
  const findings = await pool.findings();
  return { findings, offloaded: pool.offloaded };
}

/**
 * Submits the fragments as a scan does, between reads: the first starts the worker,
 * and the rest wait (up to 10 s) for it to be ready or to have failed.
 */
async function submitAll(pool: DetectionPool, all: Fragment[]): Promise<void> {
  const [first, ...rest] = all;
  pool.submit(first!);
  const failed = () => (pool as unknown as { noWorker: boolean }).noWorker;
  for (const deadline = Date.now() + 10_000; !pool.workerReady && !failed() && Date.now() < deadline; )
    await new Promise((resolve) => setTimeout(resolve, 10));
  for (const fragment of rest) pool.submit(fragment);
}

describe('DetectionPool', () => {
  const all = fragments();
  const expected = oneThread(all);

  test('the worker detects a share of the fragments; the findings are the one-thread findings, in order', async () => {
    expect(expected).toHaveLength(48 * 2);
    const { findings, offloaded } = await pooled(all, WORKER);
    expect(offloaded).toBeGreaterThan(0);
    expect(offloaded).toBeLessThanOrEqual(all.length);
    expect(findings).toEqual(expected);
  });

  test('with the built-in rules the worker loads them itself (dist/), with the same findings', async () => {
    const builtin = loadBuiltinRulesLazy();
    const one = createDetector(builtin);
    const alone = all.flatMap((f) => one.detect(f));
    const { findings, offloaded } = await pooled(all, WORKER, builtin);
    expect(alone).toHaveLength(48 * 2);
    expect(offloaded).toBeGreaterThan(0);
    expect(findings).toEqual(alone);
  });

  test('a worker that dies at start: every fragment is detected on this thread', async () => {
    const broken = path.join(temp, 'broken-worker.cjs');
    writeFileSync(broken, "throw new Error('worker failed to start');\n");
    const { findings, offloaded } = await pooled(all, broken);
    expect(offloaded).toBe(0);
    expect(findings).toEqual(expected);
  });

  test('a worker that exits midway: what it held is detected on this thread', async () => {
    const quitter = path.join(temp, 'quitting-worker.cjs');
    // Its own listener runs first: the third fragment is never answered.
    writeFileSync(
      quitter,
      `const { parentPort } = require('node:worker_threads');\nlet n = 0;\nparentPort.on('message', () => { if (++n === 3) process.exit(0); });\nrequire(${JSON.stringify(WORKER)});\n`,
    );
    const { findings, offloaded } = await pooled(all, quitter);
    expect(offloaded).toBeLessThan(3);
    expect(findings).toEqual(expected);
  });

  test('a small scan never starts the worker', async () => {
    const pool = new DetectionPool(createDetector(rules), { rules, workerFile: () => WORKER });
    for (const fragment of all.slice(0, 5)) pool.submit(fragment);
    expect(await pool.findings()).toEqual(oneThread(all.slice(0, 5)));
    expect(pool.offloaded).toBe(0);
  });
});
