import type { Finding } from '../../detect/finding.js';
import { messages } from '../../messages.js';
import { escapeForDisplay } from '../escape.js';
import type { Reporter } from '../report-context.js';

/**
 * GitHub Actions workflow commands: one `::error` line per finding, which GitHub
 * turns into an annotation on the file and line of the pull request. Property
 * values and the message are escaped as the Actions toolkit does, so a path with
 * ":" or "," (or a newline) cannot break the command, and every other control
 * character is shown as a visible escape, so no raw ESC reaches the job log. A
 * plain summary line ends the output for the job log.
 */
export const githubReporter: Reporter = (findings, context) => {
  const lines = findings.map(command);
  for (const n of context.stats.notRead) {
    lines.push(`::warning file=${escapeProperty(n.file)}::${escapeData(messages.unread(n))}`);
  }
  const summary = messages.scannedSummary(context.stats, context.source);
  lines.push(`leakguard: ${findings.length ? messages.found(findings.length) : messages.clean} (${summary})`);
  if (context.baselined) lines.push(`leakguard: ${messages.baselined(context.baselined)}`);
  if (context.stats.ignored) lines.push(`leakguard: ${messages.ignored(context.stats.ignored)}`);
  return `${lines.join('\n')}\n`;
};

function command(f: Finding): string {
  const properties: [string, string | number][] = [
    ['file', f.file],
    ['line', f.line],
    ['endLine', f.endLine],
  ];
  // Annotations take columns only within one line; GitHub's end column is inclusive.
  if (f.endLine === f.line) properties.push(['col', f.column], ['endColumn', Math.max(f.column, f.endColumn - 1)]);
  properties.push(['title', `leakguard: ${f.description} [${f.ruleId}]`]);
  const where = f.commit ? ` (added in commit ${f.commit.slice(0, 12)} by ${f.author} on ${f.date})` : '';
  const advice = [messages.moveTo(f.envVar)];
  if (f.revokeUrl) advice.push(messages.revoke(f.revokeUrl));
  if (f.verification) advice.push(messages.verification(f.verification));
  const message = `${f.description}: ${f.secret}${where}\n${advice.join('; ')}`;
  // `scan --verify`: a live key is an error, an unconfirmed one a warning, a revoked one a notice.
  const level = f.verification?.status === 'unknown' ? 'warning' : f.verification?.status === 'revoked' ? 'notice' : 'error';
  return `::${level} ${properties.map(([k, v]) => `${k}=${escapeProperty(String(v))}`).join(',')}::${escapeData(message)}`;
}

/**
 * The message part of a workflow command: GitHub's own escapes for "%", CR and LF
 * (the runner decodes them), then the other control characters and bidi overrides
 * as visible escapes (src/report/escape.ts).
 */
export function escapeData(value: string): string {
  return escapeForDisplay(value.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A'));
}

/** A property value of a workflow command: also ":" and ",", which delimit properties. */
export function escapeProperty(value: string): string {
  return escapeData(value).replace(/:/g, '%3A').replace(/,/g, '%2C');
}
