/**
 * Scores one tool's findings against the corpus labels.
 *
 * A finding matches a label when it is in the same file and either its secret
 * contains the labelled secret (or one of its alternates), or is itself a piece of at
 * least 8 characters of one; a finding without a secret (tools that give only lines)
 * matches when its lines overlap the label's. A label is found when some finding
 * matches it. Findings that match no label are false positives; a look-alike file
 * with any finding is a false-positive file.
 */
import path from 'node:path';
import type { FileLabel, LabelSecret, Labels } from './generate-corpus.js';

export interface ToolFinding {
  /** Path as the tool printed it: relative to the corpus root, or absolute. */
  file: string;
  line?: number;
  endLine?: number;
  secret?: string;
  rule?: string;
}

export interface Tally {
  total: number;
  found: number;
}

export interface Miss {
  file: string;
  provider: string;
  kind: string;
  line: number;
  hardCase?: string;
}

export interface ScoreResult {
  recall: number;
  recallNormal: number;
  recallHard: number;
  precision: number;
  f1: number;
  normal: Tally;
  hard: Tally;
  findings: { total: number; truePositive: number; falsePositive: number };
  /** Look-alike files (no labels) with at least one finding. */
  falsePositiveFiles: string[];
  /** Findings that match no label, in any file. */
  falsePositives: ToolFinding[];
  perProvider: Record<string, Tally>;
  perKind: Record<string, Tally>;
  perHardCase: Record<string, Tally>;
  perFileType: Record<string, Tally>;
  /** Per look-alike family: files, and files with a finding. */
  perLookalikeFamily: Record<string, Tally>;
  missed: Miss[];
}

const MIN_PARTIAL = 8;

/** Normalises a tool's path to the corpus-relative POSIX form the labels use. */
export function normalisePath(file: string, corpusRoot: string): string {
  let p = file.replace(/\\/g, '/');
  const root = path.resolve(corpusRoot).replace(/\\/g, '/');
  if (p.startsWith(root + '/')) p = p.slice(root.length + 1);
  else if (path.isAbsolute(p)) {
    // A different spelling of the same root (symlinked tmp dirs): keep from the first pNNNN folder.
    const m = /(?:^|\/)(p\d{4}\/.*)$/.exec(p);
    if (m) p = m[1]!;
  }
  return p.replace(/^\.\//, '');
}

export function secretMatches(found: string, label: LabelSecret): boolean {
  for (const candidate of [label.secret, ...(label.alternates ?? [])]) {
    if (found.includes(candidate)) return true;
    if (found.length >= MIN_PARTIAL && candidate.includes(found)) return true;
  }
  return false;
}

export function findingMatches(finding: ToolFinding, label: LabelSecret): boolean {
  if (finding.secret !== undefined && finding.secret !== '') return secretMatches(finding.secret, label);
  if (finding.line === undefined) return false;
  const end = finding.endLine ?? finding.line;
  return finding.line <= label.endLine && end >= label.line;
}

const ratio = (n: number, d: number): number => (d === 0 ? 1 : n / d);
const bump = (map: Record<string, Tally>, key: string, found: boolean): void => {
  const t = (map[key] ??= { total: 0, found: 0 });
  t.total++;
  if (found) t.found++;
};

export function score(labels: Labels, rawFindings: readonly ToolFinding[], corpusRoot: string): ScoreResult {
  const byFile = new Map<string, FileLabel>(labels.files.map((f) => [f.file, f]));
  const findings = rawFindings.map((f) => ({ ...f, file: normalisePath(f.file, corpusRoot) }));
  const findingsByFile = new Map<string, ToolFinding[]>();
  for (const f of findings) {
    const list = findingsByFile.get(f.file) ?? [];
    list.push(f);
    findingsByFile.set(f.file, list);
  }

  const normal: Tally = { total: 0, found: 0 };
  const hard: Tally = { total: 0, found: 0 };
  const perProvider: Record<string, Tally> = {};
  const perKind: Record<string, Tally> = {};
  const perHardCase: Record<string, Tally> = {};
  const perFileType: Record<string, Tally> = {};
  const perLookalikeFamily: Record<string, Tally> = {};
  const missed: Miss[] = [];
  for (const file of labels.files) {
    const inFile = findingsByFile.get(file.file) ?? [];
    if (file.category === 'lookalike') bump(perLookalikeFamily, file.type, inFile.length > 0);
    for (const label of file.secrets) {
      const found = inFile.some((f) => findingMatches(f, label));
      const tally = label.hard ? hard : normal;
      tally.total++;
      if (found) tally.found++;
      bump(perProvider, label.provider, found);
      bump(perKind, `${label.provider} / ${label.kind}`, found);
      if (label.hard) bump(perHardCase, label.hardCase ?? 'hard', found);
      else bump(perFileType, file.type, found);
      if (!found)
        missed.push({
          file: file.file,
          provider: label.provider,
          kind: label.kind,
          line: label.line,
          ...(label.hardCase ? { hardCase: label.hardCase } : {}),
        });
    }
  }

  let truePositive = 0;
  const falsePositives: ToolFinding[] = [];
  const falsePositiveFiles = new Set<string>();
  for (const f of findings) {
    const label = byFile.get(f.file);
    if (label?.secrets.some((s) => findingMatches(f, s))) truePositive++;
    else {
      falsePositives.push(f);
      if (!label || label.category === 'lookalike') falsePositiveFiles.add(f.file);
    }
  }

  const recallNormal = ratio(normal.found, normal.total);
  const recallHard = ratio(hard.found, hard.total);
  const recall = ratio(normal.found + hard.found, normal.total + hard.total);
  const precision = ratio(truePositive, findings.length);
  const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
  return {
    recall,
    recallNormal,
    recallHard,
    precision,
    f1,
    normal,
    hard,
    findings: { total: findings.length, truePositive, falsePositive: falsePositives.length },
    falsePositiveFiles: [...falsePositiveFiles].sort(),
    falsePositives,
    perProvider,
    perKind,
    perHardCase,
    perFileType,
    perLookalikeFamily,
    missed,
  };
}

const pct = (x: number): string => x.toFixed(3);

function tallyTable(title: string, map: Record<string, Tally>, onlyImperfect = false): string {
  const rows = Object.entries(map)
    .sort(([a], [b]) => a.localeCompare(b))
    .filter(([, t]) => !onlyImperfect || t.found < t.total)
    .map(([k, t]) => `| ${k} | ${t.found}/${t.total} | ${pct(ratio(t.found, t.total))} |`);
  return [`| ${title} | found | recall |`, '| --- | ---: | ---: |', ...rows].join('\n');
}

/** A human report for one tool: summary, per provider, hard cases, misses and false positives. */
export function formatReport(tool: string, r: ScoreResult, options: { details?: boolean } = {}): string {
  const out: string[] = [];
  out.push(`## ${tool}`, '');
  out.push(
    `recall normal ${pct(r.recallNormal)} (${r.normal.found}/${r.normal.total}), recall hard ${pct(r.recallHard)} (${r.hard.found}/${r.hard.total}), precision ${pct(r.precision)} (${r.findings.truePositive}/${r.findings.total} findings), F1 ${pct(r.f1)}, false-positive files ${r.falsePositiveFiles.length}, unmatched findings ${r.findings.falsePositive}`,
    '',
  );
  out.push(tallyTable('provider', r.perProvider), '');
  out.push(tallyTable('hard case', r.perHardCase), '');
  if (options.details) {
    out.push(tallyTable('normal file type', r.perFileType), '');
    out.push(tallyTable('look-alike family (files flagged)', r.perLookalikeFamily), '');
    if (r.missed.length) {
      out.push('Missed keys:', '');
      for (const m of r.missed) out.push(`- ${m.provider} / ${m.kind}${m.hardCase ? ` [hard: ${m.hardCase}]` : ''} — ${m.file}:${m.line}`);
      out.push('');
    }
    if (r.falsePositives.length) {
      out.push('False positives (findings matching no label):', '');
      for (const f of r.falsePositives) out.push(`- ${f.file}:${f.line ?? '?'} ${f.rule ?? ''}${f.secret ? ` (${redact(f.secret)})` : ''}`);
      out.push('');
    }
  }
  return out.join('\n');
}

/** First and last characters only: reports never print a whole value, even a synthetic one. */
export function redact(secret: string): string {
  const s = secret.replace(/\s+/g, ' ');
  return s.length <= 12 ? `${s.slice(0, 3)}…` : `${s.slice(0, 8)}…${s.slice(-3)} (${s.length} chars)`;
}
