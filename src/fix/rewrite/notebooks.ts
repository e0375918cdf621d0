/**
 * Jupyter notebooks (.ipynb): JSON whose code cells are Python. Each code cell's
 * source is rewritten as a .py file would be (its own `import os`), the JSON stays
 * valid (re-serialised with the notebook's own indent), and saved outputs that
 * show a key are cleared, since they would still leak it.
 */
import type { RewriteResult, SecretTarget } from './edit.js';

interface Cell {
  cell_type?: string;
  source?: string | string[];
  outputs?: unknown[];
  execution_count?: number | null;
}

export function rewriteNotebook(
  content: string,
  targets: readonly SecretTarget[],
  rewritePython: (source: string, targets: readonly SecretTarget[]) => RewriteResult,
): RewriteResult & { clearedOutputs?: number } {
  let notebook: { cells?: Cell[] };
  try {
    notebook = JSON.parse(content) as { cells?: Cell[] };
  } catch {
    return { ok: false, reason: 'json' };
  }
  if (!Array.isArray(notebook.cells)) return { ok: false, reason: 'json' };
  let replacements = 0;
  let clearedOutputs = 0;
  for (const cell of notebook.cells) {
    const source = Array.isArray(cell.source) ? cell.source.join('') : (cell.source ?? '');
    const present = targets.filter((t) => source.includes(t.secret));
    if (present.length && cell.cell_type !== 'code') return { ok: false, reason: 'notebook-markdown' };
    if (present.length) {
      const result = rewritePython(source, present);
      if (!result.ok) return { ...result, language: 'python' };
      cell.source = Array.isArray(cell.source) ? splitSource(result.content) : result.content;
      replacements += result.replacements;
    }
    if (cell.outputs?.length && targets.some((t) => JSON.stringify(cell.outputs).includes(t.secret))) {
      cell.outputs = [];
      if ('execution_count' in cell) cell.execution_count = null;
      clearedOutputs++;
    }
  }
  const rest = targets.filter((t) => JSON.stringify(notebook).includes(t.secret));
  if (rest.length) return { ok: false, reason: 'not-a-string-literal', language: 'python' }; // e.g. in metadata
  if (replacements === 0 && clearedOutputs === 0) return { ok: false, reason: 'not-found', language: 'python' };
  const eol = content.includes('\r\n') ? '\r\n' : '\n';
  let json = JSON.stringify(notebook, null, indentOf(content));
  if (eol === '\r\n') json = json.replace(/\n/g, '\r\n');
  return { ok: true, content: json + (/\r?\n$/.test(content) ? eol : ''), language: 'python', replacements, clearedOutputs };
}

/** Notebook sources are lists of lines, each keeping its newline. */
function splitSource(text: string): string[] {
  return text.match(/[^\n]*\n|[^\n]+$/g) ?? [];
}

function indentOf(content: string): number | string {
  const match = /^\{\r?\n([ \t]+)"/.exec(content);
  if (!match) return 1;
  return match[1]!.startsWith('\t') ? '\t' : match[1]!.length;
}
