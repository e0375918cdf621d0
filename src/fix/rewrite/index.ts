/**
 * Rewrites a key literal (quotes included) into the language's own environment
 * lookup. Pure: (path, content, targets) → new content, or the reason no safe
 * rewrite exists, in which case the caller leaves the file untouched.
 *
 * Every occurrence of each secret in the file is rewritten, not only the reported
 * position: a copy left behind would still leak, and the working-tree file (whose
 * line numbers differ from the staged blob) is located the same way.
 */
import { codeEdit } from './code-literals.js';
import { addDotenvCall, type DotenvCall } from './dotenv-calls.js';
import { applyEdits, occurrences, type Edit, type RewriteResult, type SecretTarget } from './edit.js';
import { ensureGoImportOs } from './go-imports.js';
import { languageOf, yamlExpandsEnv } from './languages.js';
import { LINE_BASED, lineBasedEdit } from './line-formats.js';
import { rewriteNotebook } from './notebooks.js';
import { ensurePythonImportOs } from './python-imports.js';

export interface RewriteOptions {
  /** Also add this loader call, so the program reads the moved keys from `.env`. */
  dotenvCall?: DotenvCall;
}

/**
 * Rewrites every occurrence of each target secret in one file's content into the
 * language's environment lookup (the entry point for every caller: the staged fix
 * and the history rewrite).
 */
export function rewriteSecrets(
  path: string,
  content: string,
  targets: readonly SecretTarget[],
  options: RewriteOptions = {},
): RewriteResult {
  if (/\.ipynb$/i.test(path)) return rewriteNotebook(content, targets, (source, present) => rewriteSecrets(`${path}.py`, source, present));
  if (/\.json5?$|\.jsonc$/i.test(path)) return { ok: false, reason: 'json' };
  const language = languageOf(path, content);
  if (!language) return { ok: false, reason: 'unknown-language' };
  // Kubernetes manifests, Helm values and most YAML never expand ${NAME}: refuse with guidance.
  if (language === 'yaml' && !yamlExpandsEnv(path)) return { ok: false, reason: 'yaml-no-expansion', language };

  const edits: Edit[] = [];
  // Longest secrets first, so a secret contained in another is not rewritten twice.
  const ordered = [...targets].sort((a, b) => b.secret.length - a.secret.length);
  for (const target of ordered) {
    const offsets = occurrences(content, target.secret).filter((o) => !edits.some((e) => o >= e.start && o < e.end));
    if (offsets.length === 0 && !edits.some((e) => content.slice(e.start, e.end).includes(target.secret))) {
      return { ok: false, reason: 'not-found', language };
    }
    for (const offset of offsets) {
      const edit = LINE_BASED.has(language)
        ? lineBasedEdit(language, content, offset, target)
        : codeEdit(language, content, offset, target, path);
      if ('reason' in edit) return { ok: false, reason: edit.reason, language };
      edits.push(edit);
    }
  }

  let next = applyEdits(content, edits);
  if (options.dotenvCall && edits.length > 0) next = addDotenvCall(next, options.dotenvCall);
  if (language === 'python' && edits.length > 0) next = ensurePythonImportOs(next);
  if (language === 'go' && edits.length > 0) next = ensureGoImportOs(next);
  return { ok: true, content: next, language, replacements: edits.length };
}

export { actionsSecretName, isComposeFile, isDotenvFile, languageOf, lookupExpression, type Language } from './languages.js';
export type { RewriteResult, SecretTarget, SkipReason } from './edit.js';
export { ensureGoImportOs } from './go-imports.js';
export { addDotenvCall, DOTENV_CALL_LINES, type DotenvCall } from './dotenv-calls.js';
export { ensurePythonImportOs } from './python-imports.js';
