/**
 * The call that loads `.env`, added at the top of a rewritten file when the
 * project already depends on the loader library (src/fix/dotenv-loaders.ts):
 * python-dotenv's `load_dotenv()`, Node's `dotenv/config`, Ruby's `dotenv/load`.
 * It goes where the language runs it before the rewritten lookups.
 */
import { lineEndingOf } from '../text-codec.js';
import { pythonImportLine } from './python-imports.js';

export type DotenvCall = 'python-dotenv' | 'node-dotenv-esm' | 'node-dotenv-cjs' | 'ruby-dotenv' | 'node-load-env-file';

/** The lines added for each loader, shown in the preview and the report. */
export const DOTENV_CALL_LINES: Record<DotenvCall, readonly string[]> = {
  'python-dotenv': ['from dotenv import load_dotenv', 'load_dotenv()'],
  'node-dotenv-esm': ["import 'dotenv/config';"],
  'node-dotenv-cjs': ["require('dotenv').config();"],
  'ruby-dotenv': ["require 'dotenv/load'"],
  // Node ≥ 20.12, no dependency; guarded so a missing .env (or an older Node) keeps the environment as it is.
  'node-load-env-file': ['try { process.loadEnvFile(); } catch { /* no .env, or Node < 20.12 */ }'],
};

export function addDotenvCall(content: string, call: DotenvCall): string {
  const eol = lineEndingOf(content);
  const cr = eol === '\r\n' ? '\r' : '';
  const lines = content.split('\n');
  const added = DOTENV_CALL_LINES[call].map((line) => line + cr);
  const at = call === 'python-dotenv' ? pythonImportLine(lines) : headerEnd(lines, call);
  if (at >= lines.length || (at === lines.length - 1 && lines[at] === '')) {
    const needsNewline = content.length > 0 && !content.endsWith('\n');
    return content + (needsNewline ? eol : '') + DOTENV_CALL_LINES[call].join(eol) + eol;
  }
  if (at === 0 && lines[0]!.startsWith('\uFEFF')) {
    lines.splice(0, 1, '\uFEFF' + added[0]!, ...added.slice(1), lines[0]!.slice(1));
  } else {
    lines.splice(at, 0, ...added);
  }
  return lines.join('\n');
}

/** After a shebang, Ruby magic comments and JS directives ('use strict'), before any code. */
function headerEnd(lines: readonly string[], call: DotenvCall): number {
  const text = (i: number) => (lines[i] ?? '').replace(/^\uFEFF/, '').replace(/\r$/, '');
  let i = 0;
  if (text(0).startsWith('#!')) i = 1;
  if (call === 'ruby-dotenv') {
    while (i < lines.length && /^#.*(coding|frozen_string_literal|warn_indent)/.test(text(i))) i++;
  } else {
    while (i < lines.length && /^\s*(['"])use [a-z ]+\1;?\s*$/.test(text(i))) i++;
  }
  return i;
}
