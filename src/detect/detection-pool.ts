import type { Worker } from 'node:worker_threads';
import type { Fragment } from '../sources/fragment.js';
import type { RuleSpec } from '../rules/rule.js';
import { builtinRulesIndex, plainRules } from '../rules/load-rules.js';
import type { AllowlistOptions } from './allowlist.js';
import type { Detector } from './detector.js';
import type { Finding } from './finding.js';

/**
 * Detection is CPU-bound and fragments are independent, so on a large scan (a
 * generated 50 MB file, a commit of thousands of files) a worker thread detects a
 * share of the fragments while this thread reads and parses the next ones and
 * detects the rest (when the worker's queue is full).
 * A commit of ordinary size never starts it: a worker costs more to start than it
 * saves there (bench/perf/README.md).
 *
 * Findings come out in fragment order whichever thread found them, so the report is
 * the same as a one-thread scan's. If the worker fails, its fragments are detected
 * here again: a worker can make a scan faster, never lose a finding.
 */
export interface DetectionPoolOptions {
  /** The same rules and allowlist the detector was built from; the worker builds its own. */
  rules: readonly RuleSpec[];
  allowlist?: AllowlistOptions;
  /** Where the built worker script is (dist/detect-worker.cjs), asked when it is needed; undefined means one thread. */
  workerFile?: () => string;
  /** Text detected on this thread before the worker starts. */
  startAfterChars?: number;
  debug?: (message: string) => void;
  /** As DetectorOptions.notFullyScanned: the worker's reports are passed on. */
  notFullyScanned?: (fragment: Fragment, reason: string) => void;
}

/** What the worker is sent and answers (src/detect/detect-worker.ts). */
export interface WorkerRequest {
  seq: number;
  fragment: Fragment;
}
export interface WorkerReply {
  seq: number;
  /** Undefined when detection threw there: the fragment is detected again here. */
  findings?: Finding[];
  debug: string[];
  /** Reasons a rule did not finish on the fragment (DetectorOptions.notFullyScanned). */
  notFullyScanned?: string[];
}
/** What the worker sends once, when it is ready to detect: fragments go to it from then on. */
export interface WorkerReady {
  ready: true;
}
export interface WorkerSetup {
  /** The rules; undefined when they are the built-in rules, which the worker loads itself (`builtin`). */
  rules?: readonly RuleSpec[];
  /**
   * The built-in rules, as this thread has them: the worker reads them lazily and
   * uses the build-time index and anchors, instead of a copy of every rule read in
   * full here (~20 ms on this thread) and an index worked out there.
   */
  builtin?: boolean;
  allowlist?: AllowlistOptions;
  debug: boolean;
}

/** The worker script next to the bundle this module is built into (dist/). */
export function builtWorkerFile(): string {
  return process.getBuiltinModule('node:url').fileURLToPath(new URL('./detect-worker.cjs', import.meta.url));
}

/** Only on a machine with a second core, and only from the built package (not from sources under test). */
function canStartWorker(file: string): boolean {
  return process.getBuiltinModule('node:os').availableParallelism() >= 2 && process.getBuiltinModule('node:fs').existsSync(file);
}

const START_AFTER_CHARS = 2 << 20;
/**
 * Fragments up to this size are detected in batches of up to BATCH_MAX_FRAGMENTS
 * fragments or BATCH_MAX_CHARS characters: the keyword pass and its setup are paid
 * once per batch (most of a history's file changes are a few lines).
 */
const BATCH_FRAGMENT_CHARS = 16 << 10;
const BATCH_MAX_FRAGMENTS = 256;
const BATCH_MAX_CHARS = 64 << 10;
/** Text queued at the worker at most; past that this thread detects (bounded memory). */
const MAX_QUEUED_CHARS = 3 << 20;

export class DetectionPool {
  private nextSeq = 0;
  private readonly found: Array<{ seq: number; findings: Finding[] }> = [];
  private readonly queued = new Map<number, Fragment>();
  private queuedChars = 0;
  private charsSeen = 0;
  private worker?: Worker;
  /** Small fragments detected on this thread wait here, to share one keyword pass (a history's file changes). */
  private batch: Array<{ seq: number; fragment: Fragment }> = [];
  private batchChars = 0;
  /** No worker (none could start, or it failed): everything is detected here. */
  private noWorker = false;
  private idle?: () => void;
  /** Thrown by findings(): an error met in an event handler must not crash the process. */
  private error?: unknown;
  /** Fragments the worker detected (for tests and --debug). */
  offloaded = 0;
  /**
   * The worker has said it is ready. Until then this thread goes on detecting: a
   * worker takes 100–250 ms to load and build its detector, and fragments queued at
   * it meanwhile had this thread wait at the end of a 2.6 MB commit (wall ×1.4).
   */
  workerReady = false;

  constructor(
    private readonly detector: Detector,
    private readonly options: DetectionPoolOptions,
  ) {}

  /** Detects the fragment here or queues it at the worker; findings come from findings(). */
  submit(fragment: Fragment): void {
    if (this.error !== undefined) throw this.error;
    const seq = this.nextSeq++;
    this.charsSeen += fragment.text.length;
    const worker = this.workerFor(fragment);
    if (worker) {
      this.queued.set(seq, fragment);
      this.queuedChars += fragment.text.length;
      worker.postMessage({ seq, fragment } satisfies WorkerRequest);
    } else if (fragment.text.length <= BATCH_FRAGMENT_CHARS) {
      this.batch.push({ seq, fragment });
      this.batchChars += fragment.text.length;
      if (this.batch.length >= BATCH_MAX_FRAGMENTS || this.batchChars >= BATCH_MAX_CHARS) this.detectBatch();
    } else {
      this.record(seq, this.detector.detect(fragment));
    }
  }

  /** Detects the small fragments waiting in the batch, together (Detector.detectBatch). */
  private detectBatch(): void {
    const batch = this.batch;
    if (batch.length === 0) return;
    this.batch = [];
    this.batchChars = 0;
    const found = this.detector.detectBatch(batch.map((b) => b.fragment));
    batch.forEach((b, i) => this.record(b.seq, found[i]!));
  }

  /** Waits for the worker's share, stops it, and returns every finding in fragment order. */
  async findings(): Promise<Finding[]> {
    if (this.error === undefined) this.detectBatch();
    if (this.queued.size > 0) await new Promise<void>((resolve) => (this.idle = resolve));
    this.close();
    if (this.error !== undefined) throw this.error;
    this.found.sort((a, b) => a.seq - b.seq);
    return this.found.flatMap((f) => f.findings);
  }

  /** Stops the worker (also after a failed scan). */
  close(): void {
    const worker = this.worker;
    this.worker = undefined;
    if (worker) void worker.terminate();
  }

  private record(seq: number, findings: Finding[]): void {
    if (findings.length) this.found.push({ seq, findings });
  }

  private workerFor(fragment: Fragment): Worker | undefined {
    if (this.noWorker || !this.options.workerFile) return undefined;
    if (!this.worker) {
      if (this.charsSeen < (this.options.startAfterChars ?? START_AFTER_CHARS)) return undefined;
      const file = this.options.workerFile();
      if (!canStartWorker(file)) {
        this.noWorker = true;
        return undefined;
      }
      this.worker = this.startWorker(file);
    }
    if (!this.workerReady) return undefined;
    const fits = this.queuedChars + fragment.text.length <= MAX_QUEUED_CHARS || this.queued.size === 0;
    return fits ? this.worker : undefined;
  }

  private startWorker(file: string): Worker {
    const { Worker } = process.getBuiltinModule('node:worker_threads');
    const { rules } = this.options;
    const setup: WorkerSetup = {
      ...(builtinRulesIndex(rules) ? { builtin: true } : { rules: plainRules(rules) }),
      allowlist: this.options.allowlist,
      debug: !!this.options.debug,
    };
    const worker = new Worker(file, { workerData: setup });
    worker.on('message', (reply: WorkerReply | WorkerReady) => {
      if ('ready' in reply) this.workerReady = true;
      else this.onReply(reply);
    });
    worker.on('error', () => this.fail());
    worker.on('exit', () => this.fail());
    this.options.debug?.(`large scan: a worker thread detects part of the text (${Math.round(this.charsSeen / 1e6)} MB read)`);
    return worker;
  }

  private onReply(reply: WorkerReply): void {
    const fragment = this.queued.get(reply.seq);
    if (!fragment) return;
    for (const line of reply.debug) this.options.debug?.(line);
    if (reply.findings) for (const reason of reply.notFullyScanned ?? []) this.options.notFullyScanned?.(fragment, reason);
    if (reply.findings) {
      this.offloaded++;
      this.dequeue(reply.seq, fragment, reply.findings);
    } else {
      // Detection threw in the worker: here it throws the same error, or succeeds.
      this.dequeue(reply.seq, fragment);
    }
    if (this.queued.size === 0) this.idle?.();
  }

  /** The worker died or exited early: what it still held is detected here. */
  private fail(): void {
    if (!this.worker) return;
    this.noWorker = true;
    this.worker = undefined;
    for (const [seq, fragment] of [...this.queued]) this.dequeue(seq, fragment);
    this.idle?.();
  }

  /** Records the worker's findings, or detects the fragment on this thread. */
  private dequeue(seq: number, fragment: Fragment, findings?: Finding[]): void {
    this.queued.delete(seq);
    this.queuedChars -= fragment.text.length;
    try {
      this.record(seq, findings ?? this.detector.detect(fragment));
    } catch (error) {
      this.error ??= error;
    }
  }
}
