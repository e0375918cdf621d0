/**
 * The quality benchmark: generates the corpus, runs every scanner that is installed,
 * scores each against the labels, and prints a side-by-side table plus leakguard's
 * per-provider recall, misses and false positives. Run through run.mjs:
 *
 *   npm run build && node bench/quality/run.mjs [options]
 *
 *   --out DIR         corpus folder (default bench/out/quality-corpus; labels beside it)
 *   --seed S          generator seed (default leakguard-quality-v1)
 *   --files N         number of files (default 500)
 *   --tools a,b       subset of leakguard,gitleaks,secretlint,detect-secrets
 *   --tools-dir DIR   where npm tools are installed (default $BENCH_TOOLS_DIR or /tmp/bench-tools)
 *   --details         list every tool's misses and false positives, not only leakguard's
 *   --json FILE       also write the scores as JSON
 *   --generate-only   write the corpus and labels, run nothing
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { DEFAULT_FILES, DEFAULT_OUT, DEFAULT_SEED, describeCorpus, generateCorpus, writeCorpus } from './generate-corpus.js';
import { formatReport, score, type ScoreResult } from './score.js';
import { TOOLS, type ToolRun } from './tools.js';

interface Args {
  out: string;
  seed: string;
  files: number;
  tools: Array<keyof typeof TOOLS>;
  toolsDir: string;
  details: boolean;
  json?: string;
  generateOnly: boolean;
}

function parseArgs(argv: string[], repoRoot: string): Args {
  const args: Args = {
    out: path.resolve(repoRoot, DEFAULT_OUT),
    seed: DEFAULT_SEED,
    files: DEFAULT_FILES,
    tools: Object.keys(TOOLS) as Array<keyof typeof TOOLS>,
    toolsDir: process.env.BENCH_TOOLS_DIR ?? '/tmp/bench-tools',
    details: false,
    generateOnly: false,
  };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i]!;
    const value = (): string => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${flag} needs a value`);
      return v;
    };
    switch (flag) {
      case '--out':
        args.out = path.resolve(value());
        break;
      case '--seed':
        args.seed = value();
        break;
      case '--files':
        args.files = Number(value());
        break;
      case '--tools':
        args.tools = value()
          .split(',')
          .map((t) => t.trim())
          .filter(Boolean) as Args['tools'];
        break;
      case '--tools-dir':
        args.toolsDir = path.resolve(value());
        break;
      case '--details':
        args.details = true;
        break;
      case '--json':
        args.json = path.resolve(value());
        break;
      case '--generate-only':
        args.generateOnly = true;
        break;
      default:
        throw new Error(`unknown option ${flag}`);
    }
  }
  for (const t of args.tools) if (!(t in TOOLS)) throw new Error(`unknown tool ${t} (one of ${Object.keys(TOOLS).join(', ')})`);
  if (!Number.isInteger(args.files) || args.files < 50) throw new Error('--files must be an integer ≥ 50');
  return args;
}

const f3 = (x: number): string => x.toFixed(3);

export async function main(argv: string[]): Promise<number> {
  const repoRoot = process.env.LEAKGUARD_REPO_ROOT ?? process.cwd();
  let args: Args;
  try {
    args = parseArgs(argv, repoRoot);
  } catch (error) {
    console.error(`bench: ${(error as Error).message}`);
    return 2;
  }

  const corpus = generateCorpus({ seed: args.seed, files: args.files });
  const { dir, labelsFile } = await writeCorpus(corpus, args.out);
  const d = describeCorpus(corpus.labels);
  console.log(
    `corpus: ${d.files} files in ${d.types} normal file types, ${Math.round(d.lookalikeShare * 100)}% look-alikes, ${d.normal} normal keys + ${d.hard} hard-case keys over ${d.providers} providers (seed ${args.seed})`,
  );
  console.log(`        ${path.relative(process.cwd(), dir) || dir} (labels: ${path.relative(process.cwd(), labelsFile)})\n`);
  if (args.generateOnly) return 0;

  const ctx = { corpusDir: dir, repoRoot, toolsDir: args.toolsDir };
  const runs: Array<{ run: ToolRun; result?: ScoreResult }> = [];
  for (const name of args.tools) {
    const r = TOOLS[name](ctx);
    runs.push({ run: r, result: r.status === 'ok' ? score(corpus.labels, r.findings, dir) : undefined });
  }

  console.log('| tool | recall normal | recall hard | precision | F1 | false-positive files | unmatched findings | time |');
  console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
  for (const { run, result } of runs) {
    const label = run.version ? `${run.tool} ${run.version}` : run.tool;
    if (!result) {
      console.log(`| ${label} | ${run.status} | | | | | | |${run.note ? ` <!-- ${run.note} -->` : ''}`);
      continue;
    }
    console.log(
      `| ${label} | ${f3(result.recallNormal)} | ${f3(result.recallHard)} | ${f3(result.precision)} | ${f3(result.f1)} | ${result.falsePositiveFiles.length}/${corpus.labels.files.filter((f) => f.category === 'lookalike').length} | ${result.findings.falsePositive} | ${run.seconds.toFixed(1)} s |`,
    );
  }
  for (const { run } of runs) if (run.status !== 'ok') console.log(`\n${run.tool}: ${run.status}${run.note ? ` — ${run.note}` : ''}`);
  console.log('');

  // Per-provider recall of every tool that ran, side by side.
  const ran = runs.filter((r) => r.result);
  if (ran.length) {
    const providers = [...new Set(corpus.labels.files.flatMap((f) => f.secrets.map((s) => s.provider)))].sort((a, b) => a.localeCompare(b));
    console.log(`| provider | ${ran.map((r) => r.run.tool).join(' | ')} |`);
    console.log(`| --- |${ran.map(() => ' ---: |').join('')}`);
    for (const p of providers) {
      console.log(
        `| ${p} | ${ran
          .map((r) => {
            const t = r.result!.perProvider[p]!;
            return `${t.found}/${t.total}`;
          })
          .join(' | ')} |`,
      );
    }
    const cases = [...new Set(corpus.labels.files.flatMap((f) => f.secrets.filter((s) => s.hard).map((s) => s.hardCase!)))].sort();
    console.log(`\n| hard case | ${ran.map((r) => r.run.tool).join(' | ')} |`);
    console.log(`| --- |${ran.map(() => ' ---: |').join('')}`);
    for (const c of cases)
      console.log(
        `| ${c} | ${ran
          .map((r) => {
            const t = r.result!.perHardCase[c]!;
            return `${t.found}/${t.total}`;
          })
          .join(' | ')} |`,
      );
    console.log('');
  }

  for (const { run, result } of runs) {
    if (!result) continue;
    if (run.tool === 'leakguard' || args.details) console.log(formatReport(run.tool, result, { details: true }));
  }

  if (args.json) {
    const data = runs.map(({ run, result }) => ({
      tool: run.tool,
      version: run.version,
      status: run.status,
      note: run.note,
      seconds: run.seconds,
      ...(result
        ? {
            recallNormal: result.recallNormal,
            recallHard: result.recallHard,
            precision: result.precision,
            f1: result.f1,
            falsePositiveFiles: result.falsePositiveFiles,
            perProvider: result.perProvider,
            perHardCase: result.perHardCase,
            perKind: result.perKind,
            missed: result.missed,
          }
        : {}),
    }));
    writeFileSync(args.json, JSON.stringify({ seed: args.seed, files: args.files, runs: data }, null, 2) + '\n');
  }
  return 0;
}
