import { LeakguardError } from '../errors.js';
import { messages } from '../messages.js';
import { escapeForDisplay } from '../report/escape.js';
import { redactSecret } from '../redact.js';
import { loadBuiltinRules } from '../rules/load-rules.js';
import { MATCHERS, type Matcher } from '../rules/matchers.js';

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
  if (process.env.LEAKGUARD_DEBUG)
    process.stderr.write(`${escapeForDisplay(redactKeys((error as Error)?.stack ?? ''), { multiline: true })}\n`);
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
      const matcher = rule.matcher ? MATCHERS[rule.matcher] : undefined;
      if (matcher) {
        out = redactBlocks(out, rule.regex, rule.flags, matcher);
        continue;
      }
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

/** A matcher rule's regex finds where a secret starts (a BEGIN line); its matcher, where it ends. */
function redactBlocks(text: string, source: string, flags: string | undefined, matcher: Matcher): string {
  const regex = new RegExp(source, `gd${flags ?? ''}`);
  let out = '';
  let done = 0;
  for (let m = regex.exec(text); m; m = regex.exec(text)) {
    const span = m.indices?.groups?.secret;
    const end = span && span[0] >= done ? matcher(text, span[0], span[1]) : undefined;
    if (!span || end === undefined) continue;
    out += text.slice(done, span[0]) + redactSecret(text.slice(span[0], end));
    done = regex.lastIndex = end;
  }
  return out + text.slice(done);
}
