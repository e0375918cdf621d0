#!/usr/bin/env node
// Peer-suite benchmark (issue 14): turns the test cases of trufflehog, gitleaks,
// secretlint and detect-secrets into labelled files, scans them with leakguard (and
// gitleaks, where installed) and reports recall and false alarms per source and provider.
//
//   npm run bench:peers -- <trufflehog> <gitleaks> <secretlint> <detect-secrets>
//   node bench/peers/run.mjs [REPOS...] [--out DIR] [--rescan] [--top N] [--providers]
//                            [--gitleaks BIN | --no-gitleaks] [--json FILE]
//
// gitleaks is looked for on PATH, then in $BENCH_TOOLS_DIR/node_modules/.bin (the npm
// WebAssembly build, as in bench/quality); without it the report says "not installed".
//
// REPOS are local clones, in that order ('-' skips one). The cases are other projects'
// test data: they are written at run time under --out (default bench/out/peers, ignored
// by git) and never committed. --rescan scores the cases already written there.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync, accessSync, constants } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { placeholderReason } from './placeholders.mjs';
import { dropNegativesThatArePositives, EXTRACTORS } from './sources.mjs';
import { scoreCases, summarize } from './score.mjs';

const SOURCES = ['trufflehog', 'gitleaks', 'secretlint', 'detect-secrets'];
const repoRoot = fileURLToPath(new URL('../../', import.meta.url));

const { values: opts, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    out: { type: 'string', default: path.join(repoRoot, 'bench', 'out', 'peers') },
    rescan: { type: 'boolean', default: false },
    top: { type: 'string', default: '30' },
    providers: { type: 'boolean', default: false },
    gitleaks: { type: 'string' },
    'no-gitleaks': { type: 'boolean', default: false },
    json: { type: 'string' },
    help: { type: 'boolean', short: 'h', default: false },
  },
});

if (opts.help || (!opts.rescan && positionals.length === 0)) {
  console.error('usage: npm run bench:peers -- <trufflehog> <gitleaks> <secretlint> <detect-secrets> [--out DIR] [--top N] [--providers]');
  console.error('       npm run bench:peers -- --rescan [--out DIR]      (score the cases already extracted)');
  process.exit(opts.help ? 0 : 2);
}

const outDir = path.resolve(opts.out);
const casesDir = path.join(outDir, 'cases');
const labelsFile = path.join(outDir, 'labels.json');
const resultsFile = path.resolve(opts.json ?? path.join(outDir, 'results.json'));

const dist = path.join(repoRoot, 'dist', 'index.js');
if (!existsSync(dist)) {
  console.error('bench:peers: dist/ is missing — run `npm run build` first');
  process.exit(2);
}
const leakguard = await import(pathToFileURL(dist).href);
const version = JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8')).version;

// 1. Extract -------------------------------------------------------------------------
let labels;
const extractStarted = performance.now();
if (opts.rescan) {
  if (!existsSync(labelsFile)) {
    console.error(`bench:peers: no ${path.relative(process.cwd(), labelsFile)}: extract first (give the repositories)`);
    process.exit(2);
  }
  labels = JSON.parse(readFileSync(labelsFile, 'utf8'));
} else {
  labels = { sources: {}, cases: [], dropped: [] };
  rmSync(casesDir, { recursive: true, force: true });
  mkdirSync(casesDir, { recursive: true });
  const extracted = [];
  for (const [index, source] of SOURCES.entries()) {
    const root = positionals[index];
    if (!root || root === '-') continue;
    if (!existsSync(root)) {
      console.error(`bench:peers: ${source}: no such folder ${root}`);
      process.exit(2);
    }
    const { cases, skipped } = EXTRACTORS[source](path.resolve(root));
    const dropped = {};
    for (const c of cases) {
      // Obvious placeholders labelled positive: leakguard ignores them on purpose.
      const reason =
        c.positive && typeof c.text === 'string'
          ? c.values?.length
            ? placeholderReason(c.values, c.text, true)
            : placeholderReason([c.text], c.text)
          : undefined;
      if (reason) {
        const { text, ...label } = c;
        dropped[reason] = (dropped[reason] ?? 0) + 1;
        labels.dropped.push({ ...label, reason, sample: text.slice(0, 200) });
        continue;
      }
      extracted.push(c);
    }
    labels.sources[source] = { root: path.resolve(root), commit: gitHead(root), skipped, dropped };
  }
  // A negative whose text is also a positive (of any source) is labelled both ways: no negative.
  const { kept, dropped: twice } = dropNegativesThatArePositives(extracted);
  for (const [source, n] of Object.entries(twice)) {
    const { skipped } = labels.sources[source];
    skipped['negative: its text is also a positive case'] = n;
  }
  for (const c of kept) {
    const { text, ...label } = c;
    const file = path.join(casesDir, c.file);
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, text);
    labels.cases.push(label);
  }
  writeFileSync(labelsFile, `${JSON.stringify(labels, null, 1)}\n`);
}
const extractSeconds = (performance.now() - extractStarted) / 1000;

// 2. Scan ----------------------------------------------------------------------------
// From a folder outside every repository, so the cases folder is walked as plain files
// even where it sits in an ignored folder of this repository.
const scratch = mkdtempSync(path.join(os.tmpdir(), 'lg-peers-'));
let leakguardRun;
let scanSeconds;
try {
  const started = performance.now();
  const result = await leakguard.scan({ cwd: scratch, source: { kind: 'paths', paths: [casesDir] } });
  scanSeconds = (performance.now() - started) / 1000;
  leakguardRun = byFile(result.findings.map((f) => ({ file: f.file, line: f.line, ruleId: f.ruleId, secret: f.secret })));
} finally {
  rmSync(scratch, { recursive: true, force: true });
}

// gitleaks: --gitleaks BIN, else on PATH, else the WebAssembly build from npm in the
// quality benchmark's tools folder ($BENCH_TOOLS_DIR, default /tmp/bench-tools).
const toolsDir = process.env.BENCH_TOOLS_DIR ?? '/tmp/bench-tools';
const npmGitleaks = path.join(toolsDir, 'node_modules', '.bin', 'gitleaks');
const gitleaksBin = opts['no-gitleaks']
  ? undefined
  : (opts.gitleaks ?? onPath('gitleaks') ?? (existsSync(npmGitleaks) ? npmGitleaks : undefined));
let gitleaksRun;
let gitleaksVersion;
let gitleaksSeconds;
if (gitleaksBin) {
  const started = performance.now();
  const r = runGitleaks(gitleaksBin, casesDir);
  gitleaksSeconds = (performance.now() - started) / 1000;
  if (r.error) console.error(`gitleaks: failed (${r.error})`);
  else {
    gitleaksRun = r.findings;
    gitleaksVersion = `${r.version ?? '?'}${gitleaksBin === npmGitleaks ? ' (wasm)' : ''}`;
  }
} else {
  console.log(opts['no-gitleaks'] ? 'gitleaks: skipped (--no-gitleaks)' : 'gitleaks: not installed');
}

// 3. Score and report ----------------------------------------------------------------
const results = scoreCases(labels.cases, leakguardRun, gitleaksRun);
const summary = summarize(results, labels);
const top = Math.max(0, Number(opts.top) || 0);

console.log(`# Peer-suite benchmark — leakguard ${version}${gitleaksVersion ? `, gitleaks ${gitleaksVersion}` : ''}`);
console.log('');
console.log(
  `Cases: ${shown(casesDir)} (${labels.cases.length} files); ${opts.rescan ? 'reused' : `extracted in ${extractSeconds.toFixed(1)} s`}; leakguard scanned them in ${scanSeconds.toFixed(1)} s${gitleaksRun ? `, gitleaks in ${gitleaksSeconds.toFixed(1)} s` : ''}.`,
);
for (const [source, info] of Object.entries(labels.sources))
  console.log(`- ${source}: ${info.root}${info.commit ? ` @ ${info.commit}` : ''}`);
console.log('');
printSourceTable(summary);
console.log('');
printSkipTable(labels);
console.log('');
printZeroRecall(summary, top);
if (opts.providers) {
  console.log('');
  printProviderTable(summary.providers);
}
mkdirSync(path.dirname(resultsFile), { recursive: true });
writeFileSync(
  resultsFile,
  `${JSON.stringify({ leakguard: version, gitleaks: gitleaksVersion ?? null, casesDir, summary, cases: results }, null, 1)}\n`,
);
writeFileSync(path.join(outDir, 'providers.md'), providerTableText(summary.providers));
console.log('');
console.log(`Per-case results: ${shown(resultsFile)}; every provider: ${shown(path.join(outDir, 'providers.md'))}`);

// --- helpers ------------------------------------------------------------------------

/** A path relative to the current folder when it is inside it, else absolute. */
function shown(p) {
  const rel = path.relative(process.cwd(), p);
  return rel && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel : p;
}

function gitHead(root) {
  const r = spawnSync('git', ['-C', root, 'rev-parse', '--short', 'HEAD'], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : undefined;
}

function byFile(findings) {
  const map = new Map();
  for (const f of findings) {
    if (!map.has(f.file)) map.set(f.file, []);
    map.get(f.file).push(f);
  }
  return map;
}

function onPath(name) {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    if (!dir) continue;
    const full = path.join(dir, name);
    try {
      accessSync(full, constants.X_OK);
      return full;
    } catch {
      // not here
    }
  }
  return undefined;
}

/** `gitleaks dir` (v8.19+), else `gitleaks detect --no-git`, into a JSON report. */
function runGitleaks(bin, dir) {
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'lg-peers-gitleaks-'));
  try {
    const report = path.join(tmp, 'report.json');
    const versionRun = spawnSync(bin, ['version'], { encoding: 'utf8' });
    const version = versionRun.stdout?.trim().split('\n').pop();
    const common = ['--no-banner', '--report-format', 'json', '--report-path', report, '--exit-code', '0', '--log-level', 'error'];
    let r = spawnSync(bin, ['dir', dir, ...common], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
    if (!existsSync(report))
      r = spawnSync(bin, ['detect', '--no-git', '--source', dir, ...common], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
    if (!existsSync(report)) return { error: (r.stderr || String(r.error)).trim().split('\n')[0] };
    const findings = JSON.parse(readFileSync(report, 'utf8') || '[]').map((f) => {
      const abs = path.isAbsolute(f.File) ? f.File : path.resolve(dir, f.File);
      const rel = path.relative(dir, abs).split(path.sep).join('/');
      return { file: rel.startsWith('..') ? f.File : rel, line: f.StartLine, ruleId: f.RuleID, secret: f.Secret };
    });
    return { version, findings: byFile(findings) };
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

function pct(n, d) {
  return d ? `${((100 * n) / d).toFixed(1)}%` : '—';
}

function printSourceTable(s) {
  const withGitleaks = Boolean(gitleaksRun);
  const head = [
    'source',
    'positives',
    'providers',
    'leakguard recall',
    'by a provider rule',
    'key matched',
    'negatives',
    'negatives flagged',
  ];
  if (withGitleaks) head.push('gitleaks recall', 'gitleaks negatives flagged');
  console.log(`| ${head.join(' | ')} |`);
  console.log(`| --- |${' ---: |'.repeat(head.length - 1)}`);
  for (const row of [...s.sources, s.total]) {
    const cells = [
      row.source,
      row.positives,
      row.providers,
      `${pct(row.found, row.positives)} (${row.found})`,
      `${pct(row.providerRule, row.positives)} (${row.providerRule})`,
      row.withValues ? `${pct(row.valueMatched, row.withValues)} of ${row.withValues}` : '—',
      row.negatives,
      `${pct(row.flagged, row.negatives)} (${row.flagged})`,
    ];
    if (withGitleaks)
      cells.push(
        `${pct(row.gitleaksFound, row.positives)} (${row.gitleaksFound})`,
        `${pct(row.gitleaksFlagged, row.negatives)} (${row.gitleaksFlagged})`,
      );
    console.log(`| ${cells.join(' | ')} |`);
  }
}

function printSkipTable(l) {
  console.log('| source | cases skipped (could not be evaluated, or not about keys) | positives dropped as placeholders |');
  console.log('| --- | --- | --- |');
  for (const [source, info] of Object.entries(l.sources)) {
    const fmt = (counts) => {
      const entries = Object.entries(counts).sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
      const total = entries.reduce((n, [, v]) => n + v, 0);
      if (!total) return '0';
      return `${total}: ${entries
        .slice(0, 4)
        .map(([k, v]) => `${k} ${v}`)
        .join('; ')}${entries.length > 4 ? '; …' : ''}`;
    };
    console.log(`| ${source} | ${fmt(info.skipped).replace(/\|/g, '\\|')} | ${fmt(info.dropped)} |`);
  }
}

function printZeroRecall(s, n) {
  const zero = s.providers.filter((p) => p.positives > 0 && p.found === 0);
  const bySource = {};
  for (const p of zero) bySource[p.source] = (bySource[p.source] ?? 0) + 1;
  console.log(
    `Providers with zero recall: ${zero.length} (${Object.entries(bySource)
      .map(([k, v]) => `${k} ${v}`)
      .join(', ')}). Top ${Math.min(n, zero.length)} by positive cases:`,
  );
  console.log('');
  console.log('| source | provider | positives | negatives | negatives flagged |');
  console.log('| --- | --- | ---: | ---: | ---: |');
  for (const p of zero.slice(0, n)) console.log(`| ${p.source} | ${p.provider} | ${p.positives} | ${p.negatives} | ${p.flagged} |`);
}

function providerTableText(providers) {
  const lines = [
    '| source | provider | positives | found | recall | by a provider rule | negatives | flagged |',
    '| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |',
  ];
  for (const p of providers)
    lines.push(
      `| ${p.source} | ${p.provider} | ${p.positives} | ${p.found} | ${pct(p.found, p.positives)} | ${p.providerRule} | ${p.negatives} | ${p.flagged} |`,
    );
  return `${lines.join('\n')}\n`;
}

function printProviderTable(providers) {
  process.stdout.write(providerTableText(providers));
}
