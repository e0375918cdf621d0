/**
 * The command line as people use it: bare commands, typos, missing values, bad
 * choices, output paths, and what each command says outside a repository. Every
 * case runs the built CLI in a real (or deliberately absent) git repository.
 */
import { describe, expect, test } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync } from 'node:fs';
import path from 'node:path';
import { CLI, cleanEnv, makeTempDir, runCli, tempRepos, type TempRepo } from '../helpers/repo.js';
import { openaiKey } from '../helpers/keys.js';

const repo = tempRepos();

/** One line on stderr, `leakguard: error: …`, exit code 2, no stack trace or internal error. */
function expectUsageError(result: ReturnType<typeof runCli>, ...parts: (string | RegExp)[]): void {
  expect(result.status).toBe(2);
  const lines = result.stderr.trimEnd().split('\n');
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(/^leakguard: error: /);
  expect(result.stderr).not.toContain('internal error');
  for (const part of parts) expect(lines[0]).toMatch(part);
}

describe('bare commands', () => {
  test('a bare `leakguard` prints the help (commands and the environment), exit 0', () => {
    const r = repo();
    const result = r.cli([]);
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('leakguard scan');
    expect(result.stdout).toContain('leakguard init');
    expect(result.stdout).toContain('LEAKGUARD_SKIP');
    expect(result.stderr).toBe('');
  });

  test('-v is --version', () => {
    const r = repo();
    const short = r.cli(['-v']);
    expect(short.status).toBe(0);
    expect(short.stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
    expect(short.stdout).toBe(r.cli(['--version']).stdout);
  });

  test('`leakguard scan` with nothing staged says so and names the scans that would read the repository', () => {
    const r = repo({ committed: true });
    r.write('config.py', `openai.api_key = "${openaiKey('bare')}"\n`);
    r.git('add', 'config.py');
    r.commit('a committed key');
    const result = r.cli(['scan']);
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('nothing is staged');
    expect(result.stdout).toContain('leakguard scan .');
    expect(result.stdout).toContain('leakguard scan --history');
    expect(result.stdout).not.toContain('no secrets found');
    // …and the suggestion is right: the tree scan finds the committed key.
    expect(r.cli(['scan', '.']).status).toBe(1);
  });

  test('`baseline --help` says what a bare baseline records (the work tree), `scan --help` its own default', () => {
    const r = repo();
    const baseline = r.cli(['baseline', '--help']).stdout;
    expect(baseline).toMatch(/--staged .*without a source flag or PATH, the baseline records the whole work tree/);
    expect(baseline).not.toMatch(/default inside a git repository/);
    expect(r.cli(['scan', '--help']).stdout).toMatch(/--staged .*the default inside a git repository/);
  });

  test('`baseline --unpushed` records the unpushed commits (it was refused as two sources)', () => {
    const r = repo({ committed: true });
    const result = r.cli(['baseline', '--unpushed', '--output', 'b.json']);
    expect(result.stderr).not.toContain('choose one of');
    expect(result.status).toBe(0);
    expect(existsSync(path.join(r.root, 'b.json'))).toBe(true);
  });

  test('the baseline summary counts in the singular for one finding', () => {
    const r = repo({ committed: true });
    r.write('config.py', `openai.api_key = "${openaiKey('one')}"\n`);
    const result = r.cli(['baseline']);
    expect(result.status).toBe(0);
    expect(result.stderr).toContain('baseline of 1 finding written');
  });
});

describe('misspelt commands and flags', () => {
  test('`leakguard scna` suggests scan', () => {
    expectUsageError(repo().cli(['scna']), /unknown command "scna": did you mean `leakguard scan`\?/);
  });

  test('an unknown command without a close match lists the commands', () => {
    expectUsageError(repo().cli(['frobnicate']), /unknown command "frobnicate" \(commands: scan, .*install/);
  });

  test('`scan --stagged` suggests --staged', () => {
    expectUsageError(repo().cli(['scan', '--stagged']), /unknown option --stagged: did you mean --staged\?/);
  });

  test('`fix --dry-rn` suggests --dry-run, once', () => {
    const result = repo().cli(['fix', '--dry-rn']);
    expectUsageError(result, /^leakguard: error: unknown option --dry-rn: did you mean --dry-run\?$/);
  });

  test('a flag of another command is not suggested: `rules --stagged` has no --staged', () => {
    const result = repo().cli(['rules', '--stagged']);
    expectUsageError(result, /unknown option --stagged/);
    expect(result.stderr).not.toContain('did you mean');
  });
});

describe('errors say what to do, in one line', () => {
  test('a bad --format names the choices', () => {
    expectUsageError(repo().cli(['scan', '--format', 'xml']), /--format "xml" is not one of: text, json, sarif, github/);
  });

  test('--output without a value is an error, not a report on stdout', () => {
    const result = repo().cli(['scan', '--output']);
    expectUsageError(result, /--output needs a value/);
    expect(result.stdout).toBe('');
  });

  test('an empty --output (`--output=` or `--output ""`) is no value either, not a report on stdout', () => {
    for (const args of [['--output='], ['--output', ''], ['--output-sarif=']]) {
      const result = repo().cli(['scan', ...args]);
      expectUsageError(result, /--output(-sarif)? needs a value/);
      expect(result.stdout).toBe('');
    }
  });

  test('an option with a value given twice is named, not an internal error', () => {
    const r = repo({ committed: true });
    expectUsageError(
      r.cli(['scan', '--range', 'HEAD..HEAD', '--range', 'HEAD~1..HEAD']),
      /^leakguard: error: --range was given more than once; give it once$/,
    );
    expectUsageError(r.cli(['scan', '--config', 'a.json', '--config=b.json']), /--config was given more than once/);
    expectUsageError(r.cli(['rules', '--format', 'json', '--format', 'text']), /--format was given more than once/);
  });

  test('a switch given a value is refused, not read as false: `--history=3` does not fall back to the staged scan', () => {
    const r = repo({ committed: true });
    const result = r.cli(['scan', '--history=3']);
    expectUsageError(result, /^leakguard: error: --history is a switch and takes no value \(given "3"\)$/);
    expect(result.stdout).toBe('');
    expect(r.cli(['scan', '--history=true']).status).toBe(0);
  });

  test("--output in a missing folder is the user's error, said before scanning", () => {
    const r = repo({ committed: true });
    const result = r.cli(['scan', '.', '--output', 'reports/scan.json', '--format', 'json']);
    expectUsageError(result, /--output reports\/scan\.json: the folder reports does not exist/);
    expect(result.stderr).not.toContain('.tmp');
  });

  test('conflicting flags are named as flags', () => {
    expectUsageError(repo().cli(['fix', '--yes', '--dry-run']), /--yes and --dry-run cannot be used together/);
  });

  test("outside a repository, fix and install say what they need, not the scan's hint", () => {
    const dir = makeTempDir();
    const fix = runCli(['fix'], { cwd: dir });
    expectUsageError(fix, /leakguard fix needs one \(run it inside the git repository/);
    expect(fix.stderr).not.toContain('leakguard scan PATH');
    const install = runCli(['install'], { cwd: dir });
    expectUsageError(install, /leakguard install needs one \(run `git init` first/);
  });
});

describe('every error is one line in the same form: `leakguard: error: ` and a sentence that starts in lower case', () => {
  test.each([
    ['yargs: unknown option', ['scan', '--stagged']],
    ['yargs: unknown command', ['scna']],
    ['yargs: a bad choice', ['scan', '--format', 'xml']],
    ['yargs: no value', ['scan', '--config']],
    ['yargs: conflicting flags', ['fix', '--yes', '--dry-run']],
    ['yargs: an extra argument', ['fix', 'now']],
    ['two sources', ['scan', '--staged', '--history']],
    ['a missing baseline file', ['scan', '--baseline', 'missing.json']],
    ['fix --unpushed before the first commit', ['fix', '--unpushed']],
    ['fix --undo with nothing to undo', ['fix', '--undo']],
  ])('%s', (_what, args) => {
    const result = repo().cli(args);
    expectUsageError(result);
    expect(result.stderr).toMatch(/^leakguard: error: (?![A-Z][a-z])/);
  });
});

describe('config mistakes are exit 2, with "did you mean"', () => {
  test('an unknown id in disabledRules (the rule would still run)', () => {
    const r = repo({ committed: true });
    r.write('.leakguard.json', JSON.stringify({ disabledRules: ['generic-pasword'] }));
    r.write('app.py', 'x = 1\n');
    r.git('add', 'app.py');
    expectUsageError(
      r.cli(['scan']),
      /\.leakguard\.json: disabledRules\[0\]: no rule has the id "generic-pasword" \(did you mean "generic-password"\?\)/,
    );
    expectUsageError(r.cli(['rules']), /did you mean "generic-password"/);
  });

  test("a custom rule's id may be disabled; an id close to nothing lists nothing", () => {
    const r = repo({ committed: true });
    r.write(
      '.leakguard.json',
      JSON.stringify({ disabledRules: ['acme-token'], rules: [{ id: 'acme-token', regex: '(?<secret>acme_[a-z]{32})' }] }),
    );
    expect(r.cli(['scan', '.']).status).toBe(0);
    r.write('.leakguard.json', JSON.stringify({ disabledRules: ['zzzzzzzzzzzz'] }));
    expectUsageError(r.cli(['scan', '.']), /no rule has the id "zzzzzzzzzzzz" \(`leakguard rules` lists them\)/);
  });
});

describe('a misspelt field of .leakguard.json, its allowlist or a custom rule gets "did you mean"', () => {
  test.each([
    [
      'the top level',
      { disabledRule: ['generic-password'] },
      /\.leakguard\.json: disabledRule: unknown field; did you mean "disabledRules"\? \(expected one of: /,
    ],
    [
      'the allowlist',
      { allowlist: { path: ['fixtures/**'] } },
      /\.leakguard\.json: allowlist\.path: unknown field; did you mean "paths"\? \(expected one of: paths, regexes, stopwords\)$/,
    ],
    ['verify', { verify: { hok: true } }, /\.leakguard\.json: verify\.hok: unknown field; did you mean "hook"\?/],
    [
      'a custom rule',
      { rules: [{ id: 'acme-token', regex: '(?<secret>acme_[a-z]{32})', keyword: ['acme_'] }] },
      /\.leakguard\.json: rules\[acme-token\]\.keyword: unknown field; did you mean "keywords"\?$/,
    ],
  ])('in %s', (_where, config, expected) => {
    const r = repo({ committed: true });
    r.write('.leakguard.json', JSON.stringify(config));
    expectUsageError(r.cli(['scan', '.']), expected);
  });

  test('a field of built-in rules only is not suggested to a custom rule', () => {
    const r = repo({ committed: true });
    r.write(
      '.leakguard.json',
      JSON.stringify({ rules: [{ id: 'acme-token', regex: '(?<secret>acme_[a-z]{32})', matchers: 'pem-block' }] }),
    );
    const result = r.cli(['scan', '.']);
    expectUsageError(result, /rules\[acme-token\]\.matchers: unknown field$/);
  });
});

describe('.leakguard.json accepts comments and trailing commas (JSONC)', () => {
  test('a commented config is read, and its allowlist applies', () => {
    const r = repo({ committed: true });
    r.write('.leakguard.json', '// settings\n{\n  /* fixtures hold test keys */\n  "allowlist": { "paths": ["fixtures/**",], },\n}\n');
    r.write('fixtures/app.py', `openai.api_key = "${openaiKey('jsonc')}"\n`);
    r.git('add', '-A');
    const result = r.cli(['scan']);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
  });

  test('a syntax error after comments is placed by line and column of the file', () => {
    const r = repo({ committed: true });
    r.write('.leakguard.json', '{\n  // one\n  /* two\n  */ "skipLockfiles": yes\n}\n');
    expectUsageError(r.cli(['scan', '.']), /^leakguard: error: \.leakguard\.json: not valid JSON \(line 4, column 23\)$/);
  });
});

describe('the hook without a terminal', () => {
  test('says that the commit is blocked, and the command to run, once', () => {
    const r: TempRepo = repo({ committed: true });
    r.write('node_modules/.bin/leakguard', `#!/bin/sh\nexec "${process.execPath}" "${CLI}" "$@"\n`);
    chmodSync(path.join(r.root, 'node_modules/.bin/leakguard'), 0o755);
    r.write('.git/info/exclude', 'node_modules/\n');
    expect(r.cli(['install']).status).toBe(0);
    r.write('app.py', `openai.api_key = "${openaiKey('hook')}"\n`);
    r.git('add', 'app.py');
    const commit = spawnSync('git', ['commit', '-m', 'x'], {
      cwd: r.root,
      env: cleanEnv({ CI: 'true' }),
      input: '',
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(commit.status).not.toBe(0);
    const output = commit.stdout + commit.stderr;
    expect(output.match(/blocked/gi)).toHaveLength(1);
    expect(output.match(/npx leakguard fix/g)).toHaveLength(1);
  });
});
