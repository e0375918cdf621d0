/**
 * A small line diff (Myers) rendered as a unified diff, for `leakguard fix --dry-run`
 * and the prompt preview. The fix's edits are few and local, so the O(ND) search
 * stays cheap even on long files.
 */

type Op = { kind: ' ' | '-' | '+'; text: string };

export interface UnifiedDiffOptions {
  oldLabel: string;
  newLabel: string;
  context?: number;
}

export function unifiedDiff(oldText: string, newText: string, options: UnifiedDiffOptions): string {
  if (oldText === newText) return '';
  const ops = diffLines(splitLines(oldText), splitLines(newText));
  const context = options.context ?? 3;
  const out = [`--- ${options.oldLabel}`, `+++ ${options.newLabel}`];
  for (const hunk of hunksOf(ops, context)) out.push(...hunk);
  return out.join('\n') + '\n';
}

function splitLines(text: string): string[] {
  if (text === '') return [];
  const lines = text.split('\n').map((line) => line.replace(/\r$/, ''));
  if (text.endsWith('\n')) lines.pop();
  return lines;
}

/** Myers' greedy algorithm with a saved trace for backtracking. */
function diffLines(a: readonly string[], b: readonly string[]): Op[] {
  const max = a.length + b.length;
  const offset = max + 1;
  const v = new Array<number>(2 * max + 3).fill(0);
  const trace: number[][] = [];
  let done = false;
  for (let d = 0; d <= max && !done; d++) {
    trace.push([...v]);
    for (let k = -d; k <= d; k += 2) {
      let x = k === -d || (k !== d && v[offset + k - 1]! < v[offset + k + 1]!) ? v[offset + k + 1]! : v[offset + k - 1]! + 1;
      let y = x - k;
      while (x < a.length && y < b.length && a[x] === b[y]) {
        x++;
        y++;
      }
      v[offset + k] = x;
      if (x >= a.length && y >= b.length) {
        done = true;
        break;
      }
    }
  }
  const ops: Op[] = [];
  let x = a.length;
  let y = b.length;
  for (let d = trace.length - 1; d >= 0; d--) {
    const vd = trace[d]!;
    const k = x - y;
    const prevK = k === -d || (k !== d && vd[offset + k - 1]! < vd[offset + k + 1]!) ? k + 1 : k - 1;
    const prevX = vd[offset + prevK]!;
    const prevY = prevX - prevK;
    while (x > prevX && y > prevY) {
      x--;
      y--;
      ops.push({ kind: ' ', text: a[x]! });
    }
    if (d > 0) {
      if (x === prevX) ops.push({ kind: '+', text: b[--y]! });
      else ops.push({ kind: '-', text: a[--x]! });
    }
  }
  return ops.reverse();
}

function hunksOf(ops: readonly Op[], context: number): string[][] {
  const hunks: string[][] = [];
  let i = 0;
  let oldLine = 1;
  let newLine = 1;
  const positions = ops.map((op) => {
    const at = { oldLine, newLine };
    if (op.kind !== '+') oldLine++;
    if (op.kind !== '-') newLine++;
    return at;
  });
  while (i < ops.length) {
    if (ops[i]!.kind === ' ') {
      i++;
      continue;
    }
    const start = Math.max(0, i - context);
    let end = i;
    // Extend while the next change is within 2×context unchanged lines.
    for (let j = i; j < ops.length; j++) {
      if (ops[j]!.kind !== ' ') end = j;
      else if (j - end > 2 * context) break;
    }
    const stop = Math.min(ops.length, end + context + 1);
    const slice = ops.slice(start, stop);
    const oldCount = slice.filter((op) => op.kind !== '+').length;
    const newCount = slice.filter((op) => op.kind !== '-').length;
    const at = positions[start]!;
    const oldStart = oldCount === 0 ? at.oldLine - 1 : at.oldLine;
    const newStart = newCount === 0 ? at.newLine - 1 : at.newLine;
    hunks.push([`@@ -${oldStart},${oldCount} +${newStart},${newCount} @@`, ...slice.map((op) => op.kind + op.text)]);
    i = stop;
  }
  return hunks;
}
