/**
 * `leakguard audit`: walk the findings on the terminal, as `detect-secrets audit`
 * does. For each distinct finding (one fingerprint: rule + path + secret) it shows
 * the redacted value, where it is, and a few lines around it with the secret
 * masked, then asks: real, false alarm, skip or quit. A false alarm is appended to
 * the ignore file (.leakguardignore) at once, so quitting keeps every answer given.
 * Without a terminal it refuses (exit 2): nothing ever waits for input there.
 */
import path from 'node:path';
import { UsageError } from '../../errors.js';
import type { Finding } from '../../detect/finding.js';
import { appendToIgnoreFile, ignoreFilePath, ignoreLine } from '../../findings/ignore-file.js';
import { openTerminal, type PromptIO } from '../../fix/prompt.js';
import { READ_LIMITS, readBoundedFile } from '../../fs/bounded-read.js';
import { requireRepoRoot } from '../../git/repo.js';
import { catFile, plumbingText } from '../../git/git-client.js';
import { messages } from '../../messages.js';
import { redactSecret, scrubSecrets } from '../../redact.js';
import { decodeText } from '../../sources/decode-text.js';
import type { SourceDescription } from '../../sources/index.js';
import { auditMessages } from './audit-messages.js';
import { printNotices, runScan, type SourceArgs } from './scan.js';

export interface AuditArgs extends SourceArgs {
  config?: string;
  debug?: boolean;
}

type Answer = 'real' | 'false' | 'skip' | 'quit';

/** Lines shown before and after a finding. */
const CONTEXT_LINES = 2;
/** A source line longer than this is cut around the secret (minified files). */
const MAX_LINE_CHARS = 160;

export async function auditCommand(
  args: AuditArgs,
  cwd = process.cwd(),
  openIO: () => PromptIO | null = () => openTerminal(),
): Promise<number> {
  if (args.stdin) throw new UsageError(auditMessages.noStdin);
  // Refuse before scanning: without a terminal nobody can answer.
  const io = openIO();
  if (!io) throw new UsageError(auditMessages.noTerminal);
  try {
    const repoRoot = await requireRepoRoot(cwd, 'audit');
    // Like `baseline`: without a source flag, the whole working tree.
    const sourceGiven = args.staged || args.range !== undefined || args.history || args.unpushed || args.paths?.length;
    const { result } = await runScan({ ...args, paths: sourceGiven ? args.paths : [repoRoot], format: 'json' }, cwd);
    const { source } = result;
    await printNotices(result.notices, undefined);
    const target = ignoreFilePath(cwd, repoRoot, args.ignoreFile)!;
    const groups = byFingerprint(result.findings);
    if (!groups.length) {
      io.write(`${auditMessages.nothing(messages.scannedSummary(result.stats, source))}\n`);
      return 0;
    }
    io.write(`${auditMessages.intro(groups.length, target.name)}\n`);
    const counts = { real: 0, false: 0, skip: 0 };
    let index = 0;
    for (const group of groups) {
      const f = group[0]!;
      io.write(`${await describe(f, group, ++index, groups.length, source, repoRoot)}\n`);
      const answer = await ask(io);
      if (answer === 'quit') {
        io.write(auditMessages.summary(counts.real, counts.false, counts.skip, groups.length - index + 1, target.name));
        return 0;
      }
      counts[answer]++;
      if (answer === 'real') io.write(`${auditMessages.real(f.envVar, f.revokeUrl, Boolean(f.commit)).join('\n')}\n`);
      if (answer === 'skip') io.write(`${auditMessages.skipped}\n`);
      if (answer === 'false') {
        const note = auditMessages.note(f.ruleId, f.file, f.line, new Date().toISOString().slice(0, 10));
        await appendToIgnoreFile(target.file, [ignoreLine(f.fingerprint, note)], target.name);
        io.write(`${auditMessages.falseAlarm(target.name)}\n`);
      }
    }
    io.write(auditMessages.summary(counts.real, counts.false, counts.skip, 0, target.name));
    return 0;
  } finally {
    io.close?.();
  }
}

/** Findings with the same fingerprint (one key in one file, in several commits or places) are asked about once. */
function byFingerprint(findings: readonly Finding[]): Finding[][] {
  const groups = new Map<string, Finding[]>();
  for (const f of findings) {
    const group = groups.get(f.fingerprint);
    if (group) group.push(f);
    else groups.set(f.fingerprint, [f]);
  }
  return [...groups.values()];
}

async function ask(io: PromptIO): Promise<Answer> {
  for (;;) {
    io.write(auditMessages.question);
    const line = await io.readLine();
    if (line === null) return 'quit'; // the terminal went away
    const key = line.trim().toLowerCase();
    if (key === 'r' || key === 'real') return 'real';
    if (key === 'f' || key === 'false' || key === 'false alarm') return 'false';
    if (key === 's' || key === 'skip') return 'skip';
    if (key === 'q' || key === 'quit') return 'quit';
    io.write(`${auditMessages.invalid}\n`);
  }
}

/** The finding's card: where, what, the redacted value, and the masked lines around it. Raw text; the PromptIO escapes it. */
async function describe(
  f: Finding,
  group: readonly Finding[],
  index: number,
  total: number,
  source: SourceDescription,
  repoRoot: string,
): Promise<string> {
  const lines = [auditMessages.header(index, total, f.file, f.line, f.description, f.ruleId), auditMessages.secret(redactSecret(f.secret))];
  if (f.commit) lines.push(auditMessages.commit(f.commit, f.author, f.date));
  const others = group.slice(1).map((o) => `${o.file}:${o.line}${o.commit ? ` (${o.commit.slice(0, 12)})` : ''}`);
  if (others.length) lines.push(auditMessages.alsoAt(others.slice(0, 3), others.length - 3 > 0 ? others.length - 3 : 0));
  const text = await sourceText(f, source, repoRoot).catch(() => undefined);
  lines.push(...(text === undefined ? [auditMessages.noContext] : contextLines(text, f)));
  return lines.join('\n');
}

/** The text the finding was found in: the commit's or the index's blob, or the working-tree file. */
async function sourceText(f: Finding, source: SourceDescription, repoRoot: string): Promise<string | undefined> {
  if (source.kind === 'paths') {
    return decodeText(readBoundedFile(path.join(repoRoot, f.file), { maxBytes: READ_LIMITS.source }));
  }
  const spec = f.commit ? `${f.commit}:${f.file}` : source.kind === 'staged' ? `:${f.file}` : undefined;
  if (!spec) return undefined;
  const size = Number(await plumbingText(repoRoot, ['cat-file', '-s', spec]));
  if (!(size <= READ_LIMITS.source)) return undefined;
  return decodeText(await catFile(repoRoot, ['blob', spec]));
}

/**
 * A few numbered lines around the finding, the finding's own span replaced by the
 * redacted value (a base64 blob whose decoded text is the key included), and every
 * other occurrence of the secret in them masked too.
 */
export function contextLines(text: string, f: Finding): string[] {
  const all = text.split(/\r?\n/);
  if (all.length > 1 && all[all.length - 1] === '') all.pop(); // the file's last line break ends a line, it starts none
  if (f.line > all.length) return [auditMessages.noContext];
  const redacted = redactSecret(f.secret);
  const shown: string[] = [];
  const first = Math.max(1, f.line - CONTEXT_LINES);
  // A long multi-line secret (a private key) shows its first and last line only.
  const spanEnd = Math.min(f.endLine, all.length);
  const last = Math.min(all.length, spanEnd + CONTEXT_LINES);
  const width = String(last).length;
  for (let n = first; n <= last; n++) {
    if (n > f.line && n < spanEnd) {
      if (n === f.line + 1) shown.push(`${' '.repeat(width + 5)}… ${spanEnd - f.line - 1} more lines of the secret …`);
      continue;
    }
    let line = all[n - 1]!;
    let focus = 0;
    if (n === f.line || n === spanEnd) {
      const start = n === f.line ? f.column - 1 : 0;
      const end = n === spanEnd ? f.endColumn - 1 : line.length;
      line = `${line.slice(0, start)}${n === f.line ? redacted : '…'}${line.slice(Math.max(start, end))}`;
      focus = start;
    }
    line = clip(scrubSecrets(line, [f.secret]), focus);
    shown.push(`${n === f.line ? '>' : ' '} ${String(n).padStart(width)} | ${line}`);
  }
  return shown;
}

/** A line cut to MAX_LINE_CHARS around `focus` (where the secret starts). */
function clip(line: string, focus: number): string {
  if (line.length <= MAX_LINE_CHARS) return line;
  const start = Math.max(0, Math.min(focus - 40, line.length - MAX_LINE_CHARS));
  return `${start > 0 ? '…' : ''}${line.slice(start, start + MAX_LINE_CHARS)}${start + MAX_LINE_CHARS < line.length ? '…' : ''}`;
}
