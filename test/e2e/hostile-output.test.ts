import { describe, expect, test } from '@jest/globals';
import { execFileSync, spawnSync } from 'node:child_process';
import { CLI, cleanEnv, runCli, tempRepos, type TempRepo } from '../helpers/repo.js';
import { openaiKey } from '../helpers/keys.js';

/**
 * Terminal and CI injection through the built CLI: file names, author names, rule
 * texts and paths in errors carry newlines with `::error::` / `::stop-commands::`,
 * ESC sequences (clear screen, OSC-8 links), C1 controls and bidi overrides. Human
 * output shows them as visible escapes, `--format github` keeps one line per
 * finding, JSON and SARIF keep the exact values without any raw control character.
 */
const newRepo = tempRepos();

/** Every trick at once: a new workflow command, clear screen, a terminal link, CR, DEL, CSI (C1), RLO. */
const HOSTILE = '\n::error::pwned\n::stop-commands::x\x1b[2J\x1b]8;;https:evil.example/\x07click\x1b]8;;\x07\r\x7f\x9b31m\u202egnp';
/** Git drops newlines from names and e-mails; everything else stays. */
const HOSTILE_AUTHOR = 'Mallory\x1b[2J\x1b]8;;https:evil.example/\x07x\x1b]8;;\x07\x9b\u202eevil';
const HOSTILE_FILE = `src/a${HOSTILE}.js`;

/** Raw control characters (tab and newline aside), C1 controls, line separators and bidi overrides. */
const RAW_CONTROL = /[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]/u;
/** The report's own colours (SGR) when colour is forced. */
const OWN_COLOURS = /\x1b\[\d+m/g;

function hostileRepo(): { repo: TempRepo; key: string } {
  const repo = newRepo();
  const key = openaiKey('hostile-output');
  repo.write(HOSTILE_FILE, `const key = "${key}";\n`);
  repo.git('add', '-A');
  const env = cleanEnv({ GIT_AUTHOR_NAME: HOSTILE_AUTHOR, GIT_AUTHOR_EMAIL: 'm@example.com' });
  execFileSync('git', ['commit', '-q', '-m', 'add'], { cwd: repo.root, env, stdio: 'pipe' });
  return { repo, key };
}

function cli(repo: TempRepo, args: string[], env: NodeJS.ProcessEnv = {}) {
  const result = repo.cli(args, { env });
  expect(result.stderr).not.toMatch(/internal error|at .*\.cjs:\d+/);
  return result;
}

function expectNoRawControl(text: string): void {
  const at = text.search(RAW_CONTROL);
  expect(at === -1 ? '' : JSON.stringify(text.slice(Math.max(0, at - 40), at + 40))).toBe('');
}

describe('hostile file and author names', () => {
  test('the repository really holds them (git keeps ESC, C1 and bidi in the author, everything in the path)', () => {
    const { repo } = hostileRepo();
    expect(repo.git('log', '-1', '--format=%an')).toBe(`${HOSTILE_AUTHOR}\n`);
    expect(repo.git('ls-files', '-z').split('\0')).toContain(HOSTILE_FILE);
  });

  test('text: visible escapes, no raw control character, for tree and history scans', () => {
    const { repo } = hostileRepo();
    for (const source of [['.'], ['--history']]) {
      const result = cli(repo, ['scan', ...source]);
      expect(result.status).toBe(1);
      expectNoRawControl(result.stdout);
      expect(result.stdout).toContain('src/a\\n::error::pwned\\n::stop-commands::x\\x1b[2J\\x1b]8;;https:evil.example/\\x07click');
      expect(result.stdout).toContain('\\r\\x7f\\x9b31m\\u202egnp.js');
      expect(result.stdout.split('\n').some((line) => line.startsWith('::'))).toBe(false);
    }
    const history = cli(repo, ['scan', '--history']);
    expect(history.stdout).toContain('by Mallory\\x1b[2J\\x1b]8;;https:evil.example/\\x07x\\x1b]8;;\\x07\\x9b\\u202eevil <m@example.com>');
  });

  test('text with colour forced: the only ESC sequences are the report’s own colours', () => {
    const { repo } = hostileRepo();
    const result = cli(repo, ['scan', '--history'], { FORCE_COLOR: '1', NO_COLOR: undefined });
    expect(result.status).toBe(1);
    expect(result.stdout).toMatch(OWN_COLOURS);
    expectNoRawControl(result.stdout.replace(OWN_COLOURS, ''));
  });

  test('github: exactly one line per finding, GitHub escaping, no raw control character', () => {
    const { repo } = hostileRepo();
    for (const source of [['.'], ['--history']]) {
      const result = cli(repo, ['scan', '--format', 'github', ...source]);
      expect(result.status).toBe(1);
      expectNoRawControl(result.stdout);
      const lines = result.stdout.trimEnd().split('\n');
      // One finding, then the summary line.
      expect(lines).toHaveLength(2);
      expect(lines[0]).toMatch(/^::error file=src\/a%0A%3A%3Aerror%3A%3Apwned%0A%3A%3Astop-commands%3A%3Ax\\x1b\[2J/);
      expect(lines[0]).toContain('\\x07click\\x1b]8;;\\x07%0D\\x7f\\x9b31m\\u202egnp.js,line=1,');
      expect(lines[1]).toMatch(/^leakguard: 1 secret found/);
    }
    const history = cli(repo, ['scan', '--format', 'github', '--history']);
    expect(history.stdout).toContain('by Mallory\\x1b[2J\\x1b]8;;https:evil.example/\\x07x\\x1b]8;;\\x07\\x9b\\u202eevil <m@example.com>');
  });

  test('json and sarif: exact values, no raw control character in the text', () => {
    const { repo } = hostileRepo();
    const json = cli(repo, ['scan', '--format', 'json', '--history']);
    expect(json.status).toBe(1);
    expectNoRawControl(json.stdout);
    const [finding] = JSON.parse(json.stdout).findings;
    expect(finding.file).toBe(HOSTILE_FILE);
    expect(finding.author).toBe(`${HOSTILE_AUTHOR} <m@example.com>`);

    const sarif = cli(repo, ['scan', '--format', 'sarif', '--history']);
    expect(sarif.status).toBe(1);
    expectNoRawControl(sarif.stdout);
    const [result] = JSON.parse(sarif.stdout).runs[0].results;
    expect(result.properties.author).toBe(`${HOSTILE_AUTHOR} <m@example.com>`);
    expect(decodeURIComponent(result.locations[0].physicalLocation.artifactLocation.uri)).toBe(HOSTILE_FILE);
    expect(result.message.text).toContain(HOSTILE_AUTHOR);
  });

  test('--debug lines name the path with visible escapes', () => {
    const repo = newRepo();
    repo.write(HOSTILE_FILE, `const key = "${openaiKey('hostile-debug')}"; // leakguard:allow\n`);
    repo.git('add', '-A');
    const result = cli(repo, ['scan', '--staged', '--debug']);
    expect(result.status).toBe(0);
    expect(result.stderr).toContain('leakguard: debug: skipping openai-project-api-key in src/a\\n::error::pwned');
    expectNoRawControl(result.stderr);
    expect(result.stderr.split('\n').filter((l) => l && !l.startsWith('leakguard: debug: '))).toEqual([]);
  });

  test('an error naming a hostile path is one line with visible escapes', () => {
    const repo = newRepo();
    const result = cli(repo, ['scan', `missing\x1b[2J\x9b\u202e${HOSTILE}`]);
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/^leakguard: error: .*missing\\x1b\[2J\\x9b\\u202e/);
    expectNoRawControl(result.stderr);
    expect(result.stderr.trimEnd().split('\n')).toHaveLength(1);
  });

  test('fix --dry-run and fix --yes print staged hostile paths with visible escapes', () => {
    const repo = newRepo({ committed: true });
    // The line itself is shown in the dry-run diff: it carries the same tricks.
    repo.write(
      HOSTILE_FILE,
      `const key = "${openaiKey('hostile-fix')}"; // \x1b[2J\x1b]8;;https:evil.example/\x07x\x1b]8;;\x07\x9b\u202e\n`,
    );
    repo.git('add', '-A');
    for (const args of [
      ['fix', '--dry-run'],
      ['fix', '--yes'],
    ]) {
      const result = cli(repo, args);
      expect(result.stdout).toContain('src/a\\n::error::pwned');
      if (args[1] === '--dry-run')
        expect(result.stdout).toContain('// \\x1b[2J\\x1b]8;;https:evil.example/\\x07x\\x1b]8;;\\x07\\x9b\\u202e');
      expectNoRawControl(result.stdout);
      expectNoRawControl(result.stderr);
    }
  });

  test('rules: a config rule with a hostile description and id is listed with visible escapes', () => {
    const repo = newRepo();
    const rule = {
      id: `custom${HOSTILE}`,
      provider: 'acme',
      description: `Acme key${HOSTILE}`,
      regex: 'acme_(?<secret>[a-z]{20})',
      keywords: ['acme_'],
      envVar: 'ACME_KEY',
    };
    repo.write('.leakguard.json', JSON.stringify({ rules: [rule] }));
    const text = cli(repo, ['rules']);
    expect(text.status).toBe(0);
    expectNoRawControl(text.stdout);
    expect(text.stdout).toContain('Acme key\\n::error::pwned');
    const json = cli(repo, ['rules', '--format', 'json']);
    expectNoRawControl(json.stdout);
    expect(JSON.parse(json.stdout).rules.find((r: { provider: string }) => r.provider === 'acme').description).toBe(rule.description);
  });
});

describe('a reader that quits early', () => {
  /** Runs `leakguard ARGS | READER` through a real shell pipe. */
  function piped(cwd: string, args: string, reader: string, before = '') {
    const command = `${before}exec "${process.execPath}" "${CLI}" ${args}`;
    return spawnSync('sh', ['-c', `{ ${command}; } | ${reader}`], { cwd, env: cleanEnv(), encoding: 'utf8', timeout: 60_000 });
  }

  test('rules | head -1, rules --format json (larger than a pipe) | head -1: no stack trace, nothing on stderr', () => {
    const repo = newRepo();
    expect(runCli(['rules', '--format', 'json'], { cwd: repo.root }).stdout.length).toBeGreaterThan((128 * 1024) / 2);
    for (const args of ['rules', 'rules --format json']) {
      const result = piped(repo.root, args, 'head -1');
      expect(result.stdout).not.toBe('');
      expect(result.stderr).toBe('');
    }
  });

  test('the reader is gone before the first write: nothing on stderr', () => {
    const repo = newRepo();
    // `true` exits at once; leakguard starts writing a second later, into a pipe with no reader.
    const result = piped(repo.root, 'rules', 'true', 'sleep 1; ');
    expect(result.stderr).toBe('');
  });

  test('fix --dry-run into a pipe whose reader is gone: nothing on stderr', () => {
    const repo = newRepo({ committed: true });
    repo.write('app.py', `key = "${openaiKey('epipe-fix')}"\n`);
    repo.git('add', '-A');
    const result = piped(repo.root, 'fix --dry-run', 'true', 'sleep 1; ');
    expect(result.stderr).toBe('');
  });

  test('a reader that reads nothing and then exits, while leakguard waits on a full pipe: nothing on stderr', () => {
    const repo = newRepo();
    // More than a pipe holds: the write waits (EAGAIN, then the stream) until `sleep` exits without reading.
    const result = piped(repo.root, 'rules --format json', 'sleep 2');
    expect(result.stderr).toBe('');
  });

  test('scan --debug 2>&1 >/dev/null | head -1 (more debug lines than a pipe holds): no crash, exit code kept', () => {
    const repo = newRepo();
    const keys = Array.from({ length: 1000 }, (_, i) => `k${i} = "${openaiKey(`epipe-debug-${i}`)}" # leakguard:allow`);
    repo.write('keys.py', `${keys.join('\n')}\n`);
    // The debug lines go into `head`; leakguard's exit status comes out on fd 3.
    const run = `"${process.execPath}" "${CLI}" scan --debug keys.py 2>&1 >/dev/null; echo "status=$?" >&3`;
    const result = spawnSync('sh', ['-c', `exec 3>&1; { ${run}; } | head -1`], {
      cwd: repo.root,
      env: cleanEnv(),
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(result.stdout).toMatch(/^leakguard: debug: skipping /);
    expect(result.stdout).toContain('status=0\n');
  });

  test('scan --format json with a large report | head -c 10: nothing on stderr', () => {
    const repo = newRepo();
    const keys = Array.from({ length: 300 }, (_, i) => `k${i} = "${openaiKey(`epipe-${i}`)}"`);
    repo.write('keys.py', `${keys.join('\n')}\n`);
    const result = piped(repo.root, 'scan --format json .', 'head -c 10');
    expect(result.stdout).toHaveLength(10);
    expect(result.stderr).toBe('');
  });
});
