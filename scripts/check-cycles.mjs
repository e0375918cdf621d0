#!/usr/bin/env node
// Import cycles in src/: between files, and between the top folders of src/.
//
//   node scripts/check-cycles.mjs        (npm run lint:cycles)
//
// Reads every .ts file under src/ and follows its relative imports: `import … from`,
// `export … from`, `import type` (a type-only loop is still a loop in the design:
// the layers must read one way) and `import()` (a lazy import is still a dependency).
// Reports
//  - every file cycle (strongly connected files),
//  - every folder cycle (strongly connected top folders of src/), and
//  - every import between top folders that goes against LAYERS below (the allowed
//    direction): each folder may import only from folders listed before it, which
//    is what keeps folder cycles out.
// Exit code 1 when there is anything to report, 0 otherwise.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const src = path.join(root, 'src');

/**
 * The layers of src/, lowest first: a module may import its own layer's modules and
 * those of lower layers. A top folder is named `dir/`; a file at the top of src/ by
 * its name. Entries in one inner array share a layer (and must not import each other).
 */
const LAYERS = [
  ['errors.ts'],
  ['text/', 'fs/', 'regex/'],
  ['rules/'],
  ['git/'],
  ['sources/'],
  ['messages.ts'],
  ['config/'],
  ['detect/'],
  ['redact.ts', 'findings/', 'verify/'],
  ['report/'],
  ['scan.ts'],
  ['fix/'],
  ['cli/'],
  ['index.ts'],
];

const IMPORT =
  /(?:^|[\s;])(?:import|export)\s+(?:type\s+)?(?:[\w*{}\s,$]+?\s+from\s+)?['"](\.{1,2}\/[^'"]+)['"]|\bimport\(\s*['"](\.{1,2}\/[^'"]+)['"]\s*\)/g;

function walk(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) return walk(full);
    return e.name.endsWith('.ts') && !e.name.endsWith('.d.ts') ? [full] : [];
  });
}

const rel = (file) => path.relative(src, file).split(path.sep).join('/');
const unitOf = (file) => (file.includes('/') ? `${file.split('/')[0]}/` : file);

/** Comments removed (roughly: enough that a commented-out import does not count). */
const stripComments = (text) => text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:'"`\\])\/\/.*$/gm, '$1');

const files = walk(src).map(rel).sort();
const known = new Set(files);
/** file → the files it imports. */
const graph = new Map();
const problems = [];
for (const file of files) {
  const text = stripComments(readFileSync(path.join(src, file), 'utf8'));
  const deps = new Set();
  for (const m of text.matchAll(IMPORT)) {
    const spec = m[1] ?? m[2];
    const target = path.posix.normalize(path.posix.join(path.posix.dirname(file), spec)).replace(/\.js$/, '.ts');
    if (target.startsWith('../')) continue; // outside src/ (package.json, rules)
    if (!known.has(target)) {
      if (known.has(target.replace(/\.ts$/, '/index.ts'))) deps.add(target.replace(/\.ts$/, '/index.ts'));
      else if (!/\.(json|cjs|mjs)$/.test(target)) problems.push(`unresolved import in src/${file}: ${spec}`);
      continue;
    }
    deps.add(target);
  }
  graph.set(file, [...deps].sort());
}

// File cycles: Tarjan's strongly connected components.
function components(nodes, edges) {
  let index = 0;
  const idx = new Map();
  const low = new Map();
  const stack = [];
  const on = new Set();
  const out = [];
  const visit = (v) => {
    idx.set(v, index);
    low.set(v, index++);
    stack.push(v);
    on.add(v);
    for (const w of edges(v)) {
      if (!idx.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v), low.get(w)));
      } else if (on.has(w)) low.set(v, Math.min(low.get(v), idx.get(w)));
    }
    if (low.get(v) === idx.get(v)) {
      const comp = [];
      let w;
      do {
        w = stack.pop();
        on.delete(w);
        comp.push(w);
      } while (w !== v);
      if (comp.length > 1 || edges(v).includes(v)) out.push(comp.sort());
    }
  };
  for (const v of nodes) if (!idx.has(v)) visit(v);
  return out;
}

/** One path around a component, for the message: a → b → … → a. */
function loopThrough(comp) {
  const inComp = new Set(comp);
  const start = comp[0];
  const prev = new Map([[start, null]]);
  const queue = [start];
  while (queue.length) {
    const v = queue.shift();
    for (const w of graph.get(v)) {
      if (w === start) {
        const chain = [];
        for (let x = v; x !== null; x = prev.get(x)) chain.unshift(x);
        return [...chain, start].join(' → ');
      }
      if (inComp.has(w) && !prev.has(w)) {
        prev.set(w, v);
        queue.push(w);
      }
    }
  }
  return comp.join(', ');
}

for (const comp of components(files, (v) => graph.get(v))) problems.push(`file cycle: ${loopThrough(comp)}`);

// Folder cycles: the same over the top folders (and top files) of src/.
const unitGraph = new Map();
for (const [file, deps] of graph) {
  const from = unitOf(file);
  if (!unitGraph.has(from)) unitGraph.set(from, new Set());
  for (const dep of deps) if (unitOf(dep) !== from) unitGraph.get(from).add(unitOf(dep));
}
const unitEdges = (u) => [...(unitGraph.get(u) ?? [])].sort();
for (const comp of components([...unitGraph.keys()].sort(), unitEdges)) problems.push(`folder cycle among ${comp.join(', ')}`);

// Folder layers.
const layerOf = new Map();
LAYERS.forEach((units, i) => units.forEach((u) => layerOf.set(u, i)));
const against = new Map();
for (const [file, deps] of graph) {
  const from = unitOf(file);
  if (!layerOf.has(from)) {
    problems.push(`src/${from} is in no layer: add it to LAYERS in scripts/check-cycles.mjs`);
    layerOf.set(from, Infinity);
  }
  for (const dep of deps) {
    const to = unitOf(dep);
    if (to === from) continue;
    if (!layerOf.has(to)) continue; // reported as its own file
    if (layerOf.get(to) >= layerOf.get(from)) {
      const key = `${from} → ${to}`;
      if (!against.has(key)) against.set(key, []);
      against.get(key).push(`${file} imports ${dep}`);
    }
  }
}
for (const [key, where] of [...against].sort()) problems.push(`layer: ${key} goes against LAYERS (${where.join('; ')})`);

if (problems.length) {
  for (const p of problems) process.stderr.write(`check-cycles: ${p}\n`);
  process.exit(1);
}
console.log(`check-cycles: ${files.length} files, no cycles, every import follows the layers`);
