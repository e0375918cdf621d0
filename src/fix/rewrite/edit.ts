/**
 * What every per-language rewrite shares: the targets, the skip reasons, the edit
 * a rewrite proposes and how edits are applied.
 */
import type { Language } from './languages.js';

/** Why a file is left untouched. Message texts live in ../messages.ts. */
export type SkipReason =
  | 'unknown-language'
  | 'json'
  | 'in-comment'
  | 'inside-longer-string'
  | 'multiline-string'
  | 'bytes-literal'
  | 'not-a-string-literal'
  | 'constant-declaration'
  | 'switch-or-annotation-constant'
  | 'yaml-no-expansion'
  | 'dockerfile-build-time'
  | 'notebook-markdown'
  | 'not-found';

export interface SecretTarget {
  secret: string;
  envVar: string;
}

export type RewriteResult =
  | { ok: true; content: string; language: Language; replacements: number; clearedOutputs?: number }
  | { ok: false; reason: SkipReason; language?: Language };

export interface Edit {
  start: number;
  end: number;
  text: string;
}

/** Quotes pasted from web pages: no string delimiters in any language. */
export const TYPOGRAPHIC_QUOTES = '\u2018\u2019\u201c\u201d';

/** Start offsets of every occurrence of `needle`. */
export function occurrences(content: string, needle: string): number[] {
  const found: number[] = [];
  if (!needle) return found;
  for (let i = content.indexOf(needle); i !== -1; i = content.indexOf(needle, i + needle.length)) found.push(i);
  return found;
}

export function applyEdits(content: string, edits: readonly Edit[]): string {
  let out = content;
  for (const edit of [...edits].sort((a, b) => b.start - a.start)) {
    out = out.slice(0, edit.start) + edit.text + out.slice(edit.end);
  }
  return out;
}
