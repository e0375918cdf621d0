import { LeakguardError } from '../errors.js';
import { messages } from '../messages.js';
import { escapeForDisplay } from '../report/escape.js';
import { redactSecret } from '../redact.js';
import { loadBuiltinRules } from '../rules/load-rules.js';

/**
 * Every failure ends here: one line on stderr, exit code 2, never a stack trace
 * (unless LEAKGUARD_DEBUG). Messages quote paths, arguments and config values, so
 * their control characters are shown escaped.
 */
export function reportError(error: unknown): number {
  if (error instanceof LeakguardError) {
    process.stderr.write(`${messages.errorPrefix} ${printable(firstLine(error.message))}\n`);
    return error.exitCode;
  }
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(`${messages.internalError(printable(firstLine(message)))}\n`);
  if (process.env.LEAKGUARD_DEBUG) process.stderr.write(`${escapeForDisplay(redactKeys((error as Error)?.stack ?? ''), { multiline: true })}\n`);
  return 2;
}

function printable(line: string): string {
  return escapeForDisplay(redactKeys(line));
}

function firstLine(text: string): string {
  return text.split('\n').find((l) => l.trim()) ?? text;
}

/**
 * Error messages quote user input (config values, arguments, git's stderr), which
 * may hold a key: anything a built-in rule recognises is redacted before printing.
 */
function redactKeys(text: string): string {
  try {
    let out = text;
    // Every rule's raw match, validated or not: a key with a bad checksum is still not printed.
    for (const rule of loadBuiltinRules()) {
      const regex = new RegExp(rule.regex, `g${rule.flags ?? ''}`);
      out = out.replace(regex, (match: string, ...rest: unknown[]) => {
        const groups = rest[rest.length - 1] as Record<string, string | undefined> | undefined;
        const secret = groups?.secret;
        return secret ? match.split(secret).join(redactSecret(secret)) : match;
      });
    }
    return out;
  } catch {
    return text;
  }
}
