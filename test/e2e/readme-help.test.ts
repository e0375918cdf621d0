/**
 * The README's command table ("## Command line") and `--help` list the same
 * commands, and each command the same flags: a flag added to one is added to the
 * other. Global flags (--help, --version) are checked at the top level.
 */
import { describe, expect, test } from '@jest/globals';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { PROJECT_ROOT, runCli } from '../helpers/repo.js';

const TOP = '(top level)';

/** Command → flags, from the README's "## Command line" code block. */
function readmeTable(): Map<string, Set<string>> {
  const readme = readFileSync(path.join(PROJECT_ROOT, 'README.md'), 'utf8');
  const block = /## Command line\n\n```\n([\s\S]*?)```/.exec(readme)?.[1];
  if (!block) throw new Error('README.md has no "## Command line" code block');
  const table = new Map<string, Set<string>>([[TOP, new Set()]]);
  let current = TOP;
  for (const line of block.split('\n')) {
    const command = /^leakguard (\S+)(.*)$/.exec(line);
    if (command) {
      const [, name, rest] = command as unknown as [string, string, string];
      if (name.startsWith('-')) {
        current = TOP;
        for (const flag of `${name}${rest}`.match(/--[a-z][a-z-]*/g) ?? []) table.get(TOP)!.add(flag);
        continue;
      }
      current = name;
      table.set(name, new Set(rest.match(/\[(--[a-z][a-z-]*)/g)?.map((f) => f.slice(1)) ?? []));
      continue;
    }
    const tokens = line.trim().split(/\s+/);
    if (!/^\s/.test(line)) continue;
    for (const token of tokens) {
      if (!token.startsWith('--')) break;
      table.get(current)!.add(token);
    }
  }
  return table;
}

/** The flags of one `--help` page (option names at the start of a row, not flags named in descriptions). */
function helpFlags(args: string[]): Set<string> {
  const help = runCli([...args, '--help'], { cwd: PROJECT_ROOT }).stdout;
  const options = help.slice(help.indexOf('Options:'));
  const flags = [...options.matchAll(/^\s+(?:-\w, )?(--[a-z][a-z-]*)/gm)].map((m) => m[1]!);
  return new Set(flags.filter((f) => args.length === 0 || (f !== '--help' && f !== '--version')));
}

function helpCommands(): string[] {
  const help = runCli(['--help'], { cwd: PROJECT_ROOT }).stdout;
  return [...help.matchAll(/^ {2}leakguard ([a-z-]+)/gm)].map((m) => m[1]!);
}

describe('README "## Command line" and --help agree', () => {
  const table = readmeTable();

  test('the same commands', () => {
    expect([...table.keys()].filter((c) => c !== TOP).sort()).toEqual(helpCommands().sort());
  });

  test('the same top-level flags', () => {
    expect([...table.get(TOP)!].sort()).toEqual([...helpFlags([])].sort());
  });

  test.each(helpCommands())('the same flags for `leakguard %s`', (command) => {
    expect([...(table.get(command) ?? [])].sort()).toEqual([...helpFlags([command])].sort());
  });
});
