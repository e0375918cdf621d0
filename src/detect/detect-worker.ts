/**
 * The worker thread of DetectionPool (built as dist/detect-worker.cjs): the same
 * detector, built from the same rules and allowlist, on the fragments it is sent.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { WorkerReady, WorkerReply, WorkerRequest, WorkerSetup } from './detection-pool.js';
import { createDetector } from './detector.js';
import { loadBuiltinRulesLazy } from '../rules/load-rules.js';

const setup = workerData as WorkerSetup;
let debugLines: string[] = [];
let unfinished: string[] = [];
const detector = createDetector(setup.builtin ? loadBuiltinRulesLazy() : (setup.rules ?? []), {
  allowlist: setup.allowlist,
  debug: setup.debug ? (line) => debugLines.push(line) : undefined,
  notFullyScanned: (_fragment, reason) => unfinished.push(reason),
});

parentPort!.on('message', ({ seq, fragment }: WorkerRequest) => {
  let findings: WorkerReply['findings'];
  try {
    findings = detector.detect(fragment);
  } catch {
    // The pool detects this fragment again on its own thread, where the error is reported.
  }
  const reply: WorkerReply = { seq, findings, debug: debugLines, ...(unfinished.length ? { notFullyScanned: unfinished } : {}) };
  debugLines = [];
  unfinished = [];
  parentPort!.postMessage(reply);
});

// Fragments are sent from now on; until this, the scan's thread detects them itself.
parentPort!.postMessage({ ready: true } satisfies WorkerReady);
