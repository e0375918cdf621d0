/** V8's default interrupt budget (bytes of bytecode run between tier-up checks), Node 20. */
const DEFAULT_INTERRUPT_BUDGET = 66 * 1024;

/**
 * Tunes V8 for a scan that runs for seconds to minutes over the same few functions
 * (`scan --history`); never on the hook's path, where most code runs once.
 *
 * With the default budget V8 optimizes a function after little use: on express'
 * history (a 2–3 s scan) TurboFan compiled ~160 functions on its background threads,
 * some several times over, for about a third of the scan's own CPU time (with
 * `--no-opt` the scan used 0.89× the CPU, git included). With eight times the budget
 * only the hot functions are optimized, a little later, which a long history amortizes:
 * CPU time 0.90×, wall 0.87× (7 pairs, side by side, same build). The flag only
 * changes when functions are optimized, never what the code does.
 */
export function tuneForLongRun(): void {
  process.getBuiltinModule('node:v8').setFlagsFromString(`--interrupt-budget=${8 * DEFAULT_INTERRUPT_BUDGET}`);
}
