// Load: memory stays bounded on a 10,000-file staged change and a 50,000-commit
// history (issue 7). Prints wall time and peak RSS of each scan.
//   npm run build && node bench/perf/load.mjs [--files 10000] [--commits 50000]
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { parseArgs } from 'node:util';
import { CLI, cleanEnv, codeLines, git, newRepo, peakRss, removeDir, rng, runOnce, syntheticKeys, writeFile } from './lib.mjs';

const { values } = parseArgs({ options: { files: { type: 'string', default: '10000' }, commits: { type: 'string', default: '50000' } } });
const env = cleanEnv();

function measure(label, root, args, expect) {
  const { ms, status } = runOnce(process.execPath, [CLI, ...args], { cwd: root, env });
  if (!expect.includes(status)) throw new Error(`${label}: exit ${status}`);
  const rssKb = peakRss(process.execPath, [CLI, ...args], { cwd: root, env });
  console.log(`| ${label} | ${(ms / 1000).toFixed(2)} s | ${(rssKb / 1024).toFixed(0)} MB |`);
}

/** Many small staged files, one of them with a key. */
function manyFiles(count) {
  const root = newRepo('load-files');
  const r = rng(10_000);
  for (let i = 0; i < count; i++) writeFile(root, `pkg${i % 100}/mod${i}.js`, `${codeLines(r, 20).join('\n')}\n`);
  writeFile(root, 'pkg0/config.js', `export const token = "${syntheticKeys(3)[0].value}";\n`);
  git(root, 'add', '-A');
  return root;
}

/** A long history streamed into git fast-import commit by commit (never one huge string). */
async function longHistory(commits) {
  const root = newRepo('load-history');
  const r = rng(50_000);
  const keys = syntheticKeys(12);
  const parent = git(root, 'rev-parse', 'HEAD').trim();
  const importer = spawn('git', ['fast-import', '--quiet', '--force'], { cwd: root, env, stdio: ['pipe', 'ignore', 'inherit'] });
  const files = new Map();
  for (let c = 0; c < commits; c++) {
    const file = `src/area${r.int(50)}/file${r.int(500)}.ts`;
    const lines = [...(files.get(file) ?? []), ...codeLines(r, 3 + r.int(8))];
    if (c % 5000 === 2500) lines.push(`const key = "${keys[((c / 5000) % keys.length) | 0].value}";`);
    const kept = lines.slice(-60);
    files.set(file, kept);
    const body = `${kept.join('\n')}\n`;
    const msg = `change ${c}\n`;
    let chunk = `commit refs/heads/main\ncommitter Bench <bench@example.com> ${1600000000 + c * 60} +0000\ndata ${Buffer.byteLength(msg)}\n${msg}`;
    if (c === 0) chunk += `from ${parent}\n`;
    chunk += `M 100644 inline ${file}\ndata ${Buffer.byteLength(body)}\n${body}\n`;
    if (!importer.stdin.write(chunk)) await once(importer.stdin, 'drain');
  }
  importer.stdin.end();
  const [code] = await once(importer, 'close');
  if (code !== 0) throw new Error(`fast-import failed (${code})`);
  git(root, 'reset', '-q', '--hard', 'main');
  return root;
}

console.log('| scan | time | peak RSS |\n|---|---:|---:|');
const filesRoot = manyFiles(Number(values.files));
measure(`scan --staged, ${values.files} staged files`, filesRoot, ['scan', '--staged'], [1]);
removeDir(filesRoot);
const historyRoot = await longHistory(Number(values.commits));
measure(`scan --history, ${values.commits} commits`, historyRoot, ['scan', '--history'], [1]);
removeDir(historyRoot);
