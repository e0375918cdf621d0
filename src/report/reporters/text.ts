import { messages } from '../../messages.js';
import type { Finding } from '../../detect/finding.js';
import type { Reporter } from '../report-context.js';
import { ansiStyles, type Styles } from '../ansi.js';
import { escapeForDisplay } from '../escape.js';

/**
 * Human report, grouped by file, with the next step. Colour only when asked for.
 * Every text that comes from outside (paths, authors, rule texts, secrets) is
 * shown with its control characters escaped, so the only ESC sequences in the
 * report are its own colours.
 */
export const textReporter: Reporter = (findings, context) => {
  const c = ansiStyles(context.color);
  const out: string[] = [];
  const summary = messages.scannedSummary(context.stats, context.source);
  const notRead = context.stats.notRead.map((n) => `  ${c.yellow(escapeForDisplay(messages.unread(n)))}`);
  if (
    findings.length === 0 &&
    context.source.fix === 'staged' &&
    !context.stats.files &&
    !context.stats.skippedFiles &&
    !notRead.length &&
    !context.baselined
  ) {
    return `${messages.nothingStaged.join('\n')}\n`;
  }
  if (findings.length === 0) {
    out.push(`${c.green('✔')} leakguard: ${messages.clean} (${summary})`, ...notRead);
    if (context.baselined) out.push(`  ${messages.baselined(context.baselined)}`);
    if (context.stats.ignored) out.push(`  ${messages.ignored(context.stats.ignored)}`);
    return `${out.join('\n')}\n`;
  }
  const live = findings.filter((f) => f.verification?.status === 'live').length;
  const liveNote = live ? `, ${c.bold(c.red(messages.liveCount(live)))}` : '';
  out.push(`${c.red('✖')} leakguard: ${c.bold(messages.found(findings.length))}${liveNote} (${summary})`, ...notRead, '');
  for (const [file, group] of groupByFile(findings)) {
    out.push(c.underline(escapeForDisplay(file)));
    for (const f of group) out.push(...describe(displayable(f), c));
    out.push('');
  }
  if (context.baselined) out.push(messages.baselined(context.baselined), '');
  if (context.stats.ignored) out.push(messages.ignored(context.stats.ignored), '');
  out.push(...messages.nextSteps(context.source.fix));
  return `${out.join('\n')}\n`;
};

function describe(f: Finding, c: Styles): string[] {
  const live = f.verification?.status === 'live';
  const lines = [
    `  ${c.dim(`${f.line}:${f.column}`)}  ${live ? `${c.bold(c.red('LIVE'))} ` : ''}${c.red(f.description)} ${c.dim(`[${f.ruleId}]`)}`,
    `      secret: ${c.yellow(f.secret)}${f.commit ? c.dim(`  in commit ${f.commit.slice(0, 12)} by ${f.author} on ${f.date}`) : ''}`,
    `      ${messages.moveTo(f.envVar)}`,
  ];
  if (f.revokeUrl) lines.push(`      ${messages.revoke(f.revokeUrl)}`);
  if (f.verification) {
    const text = messages.verification(f.verification);
    lines.push(`      ${live ? c.bold(c.red(text)) : f.verification.status === 'unknown' ? c.yellow(text) : c.dim(text)}`);
  }
  return lines;
}

/** The finding with every text field escaped for display (positions and numbers as they are). */
function displayable(f: Finding): Finding {
  const shown = { ...f };
  for (const key of Object.keys(shown) as Array<keyof Finding>) {
    const value = shown[key];
    if (typeof value === 'string') (shown as Record<string, unknown>)[key] = escapeForDisplay(value);
  }
  return shown;
}

function groupByFile(findings: readonly Finding[]): Map<string, Finding[]> {
  const groups = new Map<string, Finding[]>();
  for (const f of findings) {
    const key = f.file;
    if (!groups.has(key)) groups.set(key, []);
    groups.get(key)!.push(f);
  }
  return groups;
}
