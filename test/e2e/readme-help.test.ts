/**
 * The README's command table ("## Command line") and `--help` list the same
 * commands, and each command the same flags: a flag added to one is added to the
 * other. Global flags (--help, --version) are checked at the top level.
 */
import { describe, expect, test } from '@jest/globals';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { PROJECT_ROOT, runCli } from '../helpers/repo.js';
import schema from '../../schema/leakguard.schema.json' with { type: 'json' };

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

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && e.name.endsWith('.ts'))
    .map((e) => path.join(e.parentPath, e.name));
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

/**
 * What `--help` says after the commands (settings, environment, exit codes, allow
 * comments) is in the README too, and the README names no environment variable of
 * leakguard's that `--help` leaves out.
 */
describe('README and --help name the same settings, environment, exit codes and allow comments', () => {
  const help = runCli(['--help'], { cwd: PROJECT_ROOT }).stdout;
  const readme = readFileSync(path.join(PROJECT_ROOT, 'README.md'), 'utf8');
  const environment = help.slice(help.indexOf('Environment:'));
  // Variable names: upper case with an underscore (LEAKGUARD_SKIP, NO_COLOR, HTTPS_PROXY), and CI.
  const helpVariables = new Set(environment.match(/\b(?:[A-Z]+(?:_[A-Z0-9]+)+|CI)\b/g));

  test('--help lists the variables the issue names, and every one of them is in the README', () => {
    for (const name of ['LEAKGUARD_SKIP', 'LEAKGUARD_NO_PROMPT', 'LEAKGUARD_DEBUG', 'NO_COLOR', 'CI'])
      expect(helpVariables).toContain(name);
    for (const name of helpVariables) expect(readme).toContain(`\`${name}`);
  });

  test('every LEAKGUARD_ variable the README names is in --help', () => {
    for (const [name] of readme.matchAll(/LEAKGUARD_[A-Z_]+/g)) expect(helpVariables).toContain(name);
  });

  test('every LEAKGUARD_ variable the code reads (src/, bin/) is in --help and the README', () => {
    const files = [path.join(PROJECT_ROOT, 'bin/leakguard.cjs'), ...sourceFiles(path.join(PROJECT_ROOT, 'src'))];
    const read = new Set(
      files.flatMap((file) => [...readFileSync(file, 'utf8').matchAll(/\benv\.(LEAKGUARD_[A-Z_]+)/g)].map((m) => m[1]!)),
    );
    expect(read.size).toBeGreaterThan(3);
    for (const name of read) {
      expect(helpVariables).toContain(name);
      expect(readme).toContain(`\`${name}`);
    }
  });

  test('both say that CI turns the prompt off', () => {
    expect(environment).toMatch(/^ {2}CI +.*prompt off/m);
    expect(readme).toMatch(/`CI` set to anything but `false`\/`0`, means never ask/);
  });

  test('both give the exit codes 0, 1 and 2', () => {
    expect(help).toMatch(/Exit codes: 0 nothing found, 1 secrets found, 2 an error/);
    expect(readme).toMatch(/Exit codes: \*\*0\*\* nothing found, \*\*1\*\* findings, \*\*2\*\* an error/);
  });

  test('both name the allow comments', () => {
    for (const comment of ['leakguard:allow', 'gitleaks:allow', 'pragma: allowlist secret']) {
      expect(help).toContain(`\`${comment}\``);
      expect(readme).toContain(`\`${comment}\``);
    }
  });

  test("every field of .leakguard.json (the published schema's) is in --help and the README", () => {
    const settings = help.slice(help.indexOf('Settings:'), help.indexOf('Environment:'));
    const fields = Object.keys(schema.properties).filter((f) => f !== '$schema');
    for (const field of fields) {
      expect(settings).toContain(field);
      expect(readme).toMatch(new RegExp(`[\`"]${field}[\`"]`));
    }
    for (const field of Object.keys(schema.properties.allowlist.properties)) expect(settings).toContain(field);
  });
});
