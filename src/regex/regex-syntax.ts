/**
 * Whether a regex compiles, and if not why, in words that never quote the pattern:
 * a pattern from .leakguard.json may hold (part of) a secret, and messages reach CI logs.
 */

/** "invalid regular expression (reason)", or undefined when `source` compiles with `flags`. */
export function regexSyntaxProblem(source: string, flags = ''): string | undefined {
  try {
    new RegExp(source, flags);
    return undefined;
  } catch (error) {
    return `invalid regular expression (${regexErrorReason(error as Error)})`;
  }
}

/**
 * V8 quotes the pattern (`Invalid regular expression: /…/flags: Unterminated group`):
 * only the reason after it is kept, since the pattern may hold a secret.
 */
function regexErrorReason(error: Error): string {
  const message = error.message;
  if (message.startsWith('Invalid flags')) return 'invalid flags';
  const reason = message.startsWith('Invalid regular expression: /') ? message.slice(message.lastIndexOf(': ') + 2) : '';
  return /^[A-Za-z][A-Za-z {}()',-]{0,80}$/.test(reason) ? reason.replace(/'[^']*'/g, '').trim() : 'syntax error';
}
