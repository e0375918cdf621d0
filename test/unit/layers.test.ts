/**
 * The layers of src/, read from the import lines (types included, dynamic import()s
 * too): regex/ and text/ import nothing else of src; rules/ only regex/, text/ and the
 * top-level errors; config/ (what users write) never detect/; and no import of regex/ or
 * rules/ leads back into its own folder.
 */
import { describe, expect, test } from '@jest/globals';
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { PROJECT_ROOT } from '../helpers/repo.js';

const SRC = path.join(PROJECT_ROOT, 'src');

/** src-relative file → src-relative files it imports. */
function importGraph(): Map<string, string[]> {
  const files = (readdirSync(SRC, { recursive: true }) as string[])
    .filter((f) => f.endsWith('.ts'))
    .map((f) => f.split(path.sep).join('/'));
  const graph = new Map<string, string[]>();
  for (const file of files) {
    const text = readFileSync(path.join(SRC, file), 'utf8');
    const specifiers = [
      ...text.matchAll(/(?:^|\n)\s*(?:import|export)\b[^'"]*?from\s*['"](\.[^'"]+)['"]|import\(\s*['"](\.[^'"]+)['"]\s*\)/g),
    ].map((m) => m[1] ?? m[2]!);
    graph.set(
      file,
      specifiers.map((s) => path.posix.join(path.posix.dirname(file), s.replace(/\.js$/, '.ts'))).filter((t) => files.includes(t)),
    );
  }
  return graph;
}

const folderOf = (file: string): string => (file.includes('/') ? file.slice(0, file.indexOf('/')) : '.');

function importsOf(folder: string, graph: Map<string, string[]>): string[] {
  const out = new Set<string>();
  for (const [file, targets] of graph) if (folderOf(file) === folder) for (const t of targets) if (folderOf(t) !== folder) out.add(t);
  return [...out].sort();
}

/** Whether an import of a `folder` file leads, through files of other folders, back into `folder`. */
function onCycle(folder: string, graph: Map<string, string[]>): boolean {
  const seen = new Set<string>();
  const todo = importsOf(folder, graph);
  while (todo.length) {
    const file = todo.pop()!;
    if (folderOf(file) === folder) return true;
    if (seen.has(file)) continue;
    seen.add(file);
    todo.push(...graph.get(file)!);
  }
  return false;
}

describe('layers of src/', () => {
  const graph = importGraph();

  test('the graph is read (a check that reads nothing cannot fail)', () => {
    expect(graph.get('detect/detector.ts')).toContain('rules/rule.ts');
  });

  test('regex/ imports nothing else of src', () => {
    expect(importsOf('regex', graph)).toEqual([]);
  });

  // A rule's verify block is described and checked in src/rules/verify-spec/ (data, no I/O); src/verify/ runs it.
  test('rules/ imports only regex/, text/ and errors.ts', () => {
    expect(importsOf('rules', graph).filter((f) => folderOf(f) !== 'regex' && folderOf(f) !== 'text' && f !== 'errors.ts')).toEqual([]);
  });

  test('text/ (string helpers such as did-you-mean) imports nothing else of src', () => {
    expect(importsOf('text', graph)).toEqual([]);
  });

  test('config/ does not import detect/ (detect imports what users write from config)', () => {
    expect(importsOf('config', graph).filter((f) => folderOf(f) === 'detect')).toEqual([]);
  });

  test('neither regex/ nor rules/ is on a cycle of folders', () => {
    for (const folder of ['regex', 'rules']) expect({ folder, cycle: onCycle(folder, graph) }).toEqual({ folder, cycle: false });
  });
});
