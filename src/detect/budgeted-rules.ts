import type { MessagePort, Worker } from 'node:worker_threads';

/**
 * Custom rules (the "rules" of .leakguard.json) run on a worker thread, each under
 * a time budget per fragment. Their regexes pass a static check for catastrophic
 * backtracking (src/config/regex-safety.ts), but no static check catches every slow
 * regex (`x(a*a*a*a*a*a*b)` is polynomial of degree 6: hours on a 300-character
 * line), and a JavaScript regex cannot be interrupted on the thread that runs it.
 * A worker can be: when a rule runs past its budget, the worker is terminated (V8
 * stops even a backtracking regex within milliseconds), the rule is reported as
 * not having finished on that fragment, and it is not run again in this scan; the
 * other custom rules run again on a fresh worker. So a scan costs at most about one
 * budget per custom rule beyond its normal time, whatever the rules and the text.
 *
 * Capping the text a rule sees (line-sized slices) would not bound time: the
 * polynomial and exponential cases above need only a short line.
 *
 * detect() is synchronous, so the main thread waits for the worker with
 * Atomics.wait and takes the reply with receiveMessageOnPort. The worker is
 * started on the first fragment a custom rule may match (tens of milliseconds),
 * never when the config has no rules.
 */

export interface BudgetedRule {
  regex: string;
  flags?: string;
}

/** One text and the rules (indexes into the runner's rules) to run on it. */
export interface Job {
  text: string;
  rules: readonly number[];
}

/** A match of a rule's `secret` group. */
export interface RawMatch {
  rule: number;
  start: number;
  end: number;
  secret: string;
}

export interface JobsResult {
  /** Per job, in order. */
  matches: RawMatch[][];
  /** Rules that did not finish on every job: over budget now, or stopped earlier in the scan. */
  unfinished: Array<{ rule: number; overBudgetNow: boolean }>;
}

export interface TimeBudget {
  /** Milliseconds a rule may take on one fragment, whatever its size. */
  baseMs: number;
  /** Added per million characters of the longest text of the request. */
  perMillionCharsMs: number;
}

export const DEFAULT_BUDGET: TimeBudget = { baseMs: 2000, perMillionCharsMs: 1000 };

/** Waiting for the worker to start and take the request; past this the machine is stuck, not the rule. */
const START_TIMEOUT_MS = 60_000;

// Shared state: [0] the request the worker is on (it writes the request's id when
// it takes it and -id when it is done), [1] the rule it is running, [2] a count of
// rules started (a change shows progress).
const TAKEN = 0;
const RULE = 1;
const STEPS = 2;

/** The worker, as source: it must run from the bundle and from the TypeScript sources alike. */
const WORKER_SOURCE = `
const { workerData } = require('node:worker_threads');
const { port, shared, rules } = workerData;
const state = new Int32Array(shared);
const regexes = rules.map((r) => new RegExp(r.regex, [...new Set('gd' + (r.flags || ''))].join('')));
port.on('message', ({ id, jobs }) => {
  Atomics.store(state, 0, id);
  Atomics.notify(state, 0);
  const matches = jobs.map((job) => {
    const out = [];
    for (const rule of job.rules) {
      Atomics.store(state, 1, rule);
      Atomics.add(state, 2, 1);
      const regex = regexes[rule];
      regex.lastIndex = 0;
      let m;
      while ((m = regex.exec(job.text)) !== null) {
        if (m[0].length === 0) regex.lastIndex++;
        const span = m.indices && m.indices.groups && m.indices.groups.secret;
        if (span && m.groups.secret) out.push({ rule, start: span[0], end: span[1], secret: m.groups.secret });
      }
    }
    return out;
  });
  port.postMessage({ id, matches });
  Atomics.store(state, 0, -id);
  Atomics.notify(state, 0);
});
`;

export class BudgetedRules {
  private worker?: { thread: Worker; port: MessagePort; state: Int32Array };
  private nextId = 1;
  /** Rules stopped for running past their budget: not run again in this scan. */
  private readonly stopped = new Set<number>();

  constructor(
    private readonly rules: readonly BudgetedRule[],
    private readonly budget: TimeBudget = DEFAULT_BUDGET,
  ) {}

  /** Runs the jobs' rules on the worker; a rule past its budget is stopped and reported, never waited for. */
  run(jobs: readonly Job[]): JobsResult {
    const unfinished = new Map<number, boolean>();
    let pending = jobs.map((job) => ({ ...job, rules: job.rules.filter((r) => !this.skip(r, unfinished)) }));
    for (;;) {
      const reply = this.request(pending);
      if (reply.matches)
        return { matches: reply.matches, unfinished: [...unfinished].map(([rule, overBudgetNow]) => ({ rule, overBudgetNow })) };
      // Over budget: stop that rule, run the others again (their matches were lost with the worker).
      this.stopped.add(reply.overBudget);
      unfinished.set(reply.overBudget, true);
      pending = pending.map((job) => ({ ...job, rules: job.rules.filter((r) => r !== reply.overBudget) }));
    }
  }

  /** Stops the worker (the scan is over). */
  close(): void {
    const worker = this.worker;
    this.worker = undefined;
    if (worker) void worker.thread.terminate();
  }

  private skip(rule: number, unfinished: Map<number, boolean>): boolean {
    if (!this.stopped.has(rule)) return false;
    unfinished.set(rule, false);
    return true;
  }

  private request(jobs: readonly Job[]): { matches: RawMatch[][]; overBudget?: never } | { matches?: never; overBudget: number } {
    const work = jobs.filter((job) => job.rules.length > 0);
    if (work.length === 0) return { matches: jobs.map(() => []) };
    const worker = this.start();
    const { threads } = loadWorkerThreads();
    const id = this.nextId++;
    worker.port.postMessage({ id, jobs: work });
    // The budget runs from when the worker takes the request, not while it starts.
    if (!waitUntil(() => Math.abs(Atomics.load(worker.state, TAKEN)) === id, worker.state, START_TIMEOUT_MS)) {
      this.close();
      throw new Error('the worker thread for custom rules did not start');
    }
    const perStep = this.budget.baseMs + (this.budget.perMillionCharsMs * Math.max(...work.map((j) => j.text.length))) / 1e6;
    let steps = Atomics.load(worker.state, STEPS);
    while (Atomics.load(worker.state, TAKEN) !== -id) {
      if (Atomics.wait(worker.state, TAKEN, id, perStep) !== 'timed-out') continue;
      // A rule that started since the last look gets a whole budget of its own:
      // one is stopped only after running a full budget without finishing.
      const now = Atomics.load(worker.state, STEPS);
      if (now !== steps) {
        steps = now;
        continue;
      }
      const rule = Atomics.load(worker.state, RULE);
      this.close();
      return { overBudget: rule };
    }
    const reply = threads.receiveMessageOnPort(worker.port)?.message as { id: number; matches: RawMatch[][] } | undefined;
    if (!reply || reply.id !== id) throw new Error('the worker thread for custom rules answered out of turn');
    let next = 0;
    return { matches: jobs.map((job) => (job.rules.length > 0 ? reply.matches[next++]! : [])) };
  }

  private start(): NonNullable<BudgetedRules['worker']> {
    if (this.worker) return this.worker;
    const { threads } = loadWorkerThreads();
    const shared = new SharedArrayBuffer(3 * Int32Array.BYTES_PER_ELEMENT);
    const state = new Int32Array(shared);
    const { port1, port2 } = new threads.MessageChannel();
    const rules = this.rules.map(({ regex, flags }) => ({ regex, flags }));
    const thread = new threads.Worker(WORKER_SOURCE, { eval: true, workerData: { port: port2, shared, rules }, transferList: [port2] });
    // Never keeps the process alive: the scan closes it, and an idle worker waits for nothing.
    thread.unref();
    port1.unref();
    thread.on('error', () => undefined);
    this.worker = { thread, port: port1, state };
    return this.worker;
  }
}

/** Waits (blocking) until `done()` holds, waking on every change of the TAKEN slot. */
function waitUntil(done: () => boolean, state: Int32Array, timeoutMs: number): boolean {
  const deadline = Date.now() + timeoutMs;
  while (!done()) {
    const left = deadline - Date.now();
    if (left <= 0) return false;
    Atomics.wait(state, TAKEN, Atomics.load(state, TAKEN), Math.min(left, 50));
  }
  return true;
}

/** node:worker_threads only when a custom rule runs: the hook's path without custom rules never loads it. */
function loadWorkerThreads(): { threads: typeof import('node:worker_threads') } {
  return { threads: process.getBuiltinModule('node:worker_threads') };
}
