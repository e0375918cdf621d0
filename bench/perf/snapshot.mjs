#!/usr/bin/env node
// Would a user-land V8 startup snapshot (`node --snapshot-blob`, issue 17 §3) start the
// hook faster than bin/leakguard.cjs with its code cache? This builds two snapshots in a
// temp folder and times them on the typical commit, interleaved, beside `node -e 0`:
//   - an empty snapshot: what deserialising a user-land snapshot costs by itself;
//   - dist/cli.cjs evaluated into a snapshot (the hot path's modules initialised), its
//     main function the CLI's own.
// An experiment, not a product path: the snapshot entry is made by cutting the bundle's
// last statement (the CLI's start), so it fails clearly when the bundle's shape changes.
//
//   npm run build && node bench/perf/snapshot.mjs [--runs 20]
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { CLI, cleanEnv, printTable, removeDir, stagedFloorCommands, tempDir, timeCommands } from './lib.mjs';
import { typicalCommit } from './scenarios.mjs';

const { values } = parseArgs({ options: { runs: { type: 'string', default: '20' } } });
const runs = Math.max(1, Number(values.runs));
const node = process.execPath;
const env = cleanEnv();
const dist = path.join(path.dirname(CLI), '..', 'dist');
const bundle = readFileSync(path.join(dist, 'cli.cjs'), 'utf8');

// The bundle ends by starting the CLI: `run(process.argv.slice(2)).then(…);`.
const start = bundle.lastIndexOf('run(process.argv.slice(2))');
if (start < 0) {
  console.error('bench: dist/cli.cjs does not end with run(process.argv.slice(2)): update this experiment');
  process.exit(2);
}
const body = `${bundle.slice(0, start)}globalThis.__leakguardMain = { run, reportError };`;

const dir = tempDir('snapshot');
const blob = (name, source) => {
  const entry = path.join(dir, `${name}.js`);
  const file = path.join(dir, `${name}.blob`);
  writeFileSync(entry, source);
  const r = spawnSync(node, ['--snapshot-blob', file, '--build-snapshot', entry], { cwd: dir, env, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`building the ${name} snapshot failed:\n${r.stderr}`);
  return file;
};
const empty = blob('empty', "require('node:v8').startupSnapshot.setDeserializeMainFunction(() => {});\n");
const leakguard = blob(
  'leakguard',
  `(function (exports, require, module, __filename, __dirname) {${body}\n})({}, require, { exports: {} }, ${JSON.stringify(
    path.join(dist, 'cli.cjs'),
  )}, ${JSON.stringify(dist)});
require('node:v8').startupSnapshot.setDeserializeMainFunction(() => {
  const { run, reportError } = globalThis.__leakguardMain;
  run(process.argv.slice(1)).then((code) => { process.exitCode = code; }, (error) => { process.exitCode = reportError(error); });
});
`,
);

const root = typicalCommit();
try {
  const [nodeStart] = stagedFloorCommands(root, env);
  const results = timeCommands(
    [
      nodeStart,
      { name: 'node --snapshot-blob (empty snapshot)', cmd: node, args: ['--snapshot-blob', empty], cwd: root, env },
      { name: 'leakguard scan --staged (code cache)', cmd: node, args: [CLI, 'scan', '--staged'], cwd: root, env, expect: 1 },
      {
        name: 'leakguard scan --staged (snapshot)',
        cmd: node,
        args: ['--snapshot-blob', leakguard, 'scan', '--staged'],
        cwd: root,
        env,
        expect: 1,
      },
    ],
    { runs },
  );
  printTable(`User-land startup snapshot, typical commit (${runs} runs)`, results);
  const [n, e, cached, snap] = results;
  console.log(`\n- empty snapshot / node -e 0: ${(e.median / n.median).toFixed(2)}×`);
  console.log(`- leakguard from its snapshot / with its code cache: ${(snap.median / cached.median).toFixed(2)}×`);
} finally {
  removeDir(root);
  removeDir(dir);
}
