import { describe, expect, test } from '@jest/globals';
import { runCli, tempRepos, TempRepo, makeTempDir } from '../helpers/repo.js';
import { githubToken, openaiKey as syntheticOpenAIKey } from '../helpers/keys.js';

const repo = tempRepos();

interface JsonReport {
  version: number;
  findings: Array<Record<string, unknown>>;
  stats: Record<string, number>;
}

function json(r: TempRepo, args: string[] = []): { status: number | null; report: JsonReport; stderr: string } {
  const result = r.cli(['scan', '--format', 'json', ...args]);
  return { status: result.status, report: JSON.parse(result.stdout) as JsonReport, stderr: result.stderr };
}

describe('leakguard scan --staged (built CLI, real repositories)', () => {
  test('first commit: finds the tutorial key with every contract field, redacted', () => {
    const r = repo();
    const key = syntheticOpenAIKey('first-commit');
    r.write('app.py', `import openai\nopenai.api_key = '${key}'\n`);
    r.git('add', '-A');
    const { status, report } = json(r);
    expect(status).toBe(1);
    expect(report.version).toBe(1);
    expect(report.findings).toHaveLength(1);
    const f = report.findings[0]!;
    expect(f).toMatchObject({ file: 'app.py', line: 2, column: 19, endLine: 2, endColumn: 19 + key.length, envVar: 'OPENAI_API_KEY' });
    for (const field of ['ruleId', 'description', 'fingerprint', 'secret']) expect(typeof f[field]).toBe('string');
    expect(f.secret).not.toBe(key);
    expect(JSON.stringify(report)).not.toContain(key);
    expect(report.stats).toMatchObject({ files: 1, lines: 2 });
  });

  test('--show-secrets prints the key in full', () => {
    const r = repo();
    const key = syntheticOpenAIKey('show');
    r.write('a.js', `const key = "${key}";\n`);
    r.git('add', '-A');
    const { report } = json(r, ['--show-secrets']);
    expect(report.findings[0]!.secret).toBe(key);
  });

  test('typographic quotes from a copied tutorial are found', () => {
    const r = repo();
    const key = syntheticOpenAIKey('curly');
    r.write('app.py', `openai.api_key = \u2018${key}\u2019\n`);
    r.git('add', '-A');
    const { status, report } = json(r);
    expect(status).toBe(1);
    expect(report.findings[0]).toMatchObject({ line: 1, column: 19 });
  });

  test('placeholders and environment lookups do not block', () => {
    const r = repo();
    r.write(
      'app.py',
      [
        'openai.api_key = "sk-..."',
        'openai.api_key = "your-api-key"',
        'openai.api_key = "<OPENAI_API_KEY>"',
        'openai.api_key = "${OPENAI_API_KEY}"',
        'openai.api_key = os.getenv("OPENAI_API_KEY")',
        `openai.api_key = "sk-proj-${'x'.repeat(60)}"`,
        'const k = process.env.OPENAI_API_KEY;',
        '',
      ].join('\n'),
    );
    r.git('add', '-A');
    const result = r.cli(['scan']);
    expect(result.stdout).toContain('no secrets found');
    expect(result.stdout).toContain('1 file, 7 added lines');
    expect(result.status).toBe(0);
  });

  test('a partially staged file: only the staged hunk is reported', () => {
    const r = repo();
    r.write('app.py', 'x = 1\n');
    r.git('add', '-A');
    r.commit('init');
    const staged = syntheticOpenAIKey('staged-part');
    const unstaged = syntheticOpenAIKey('unstaged-part');
    r.write('app.py', `x = 1\nA = "${staged}"\n`);
    r.git('add', 'app.py');
    r.write('app.py', `x = 1\nA = "${staged}"\nB = "${unstaged}"\n`);
    const { report } = json(r, ['--show-secrets']);
    expect(report.findings.map((f) => [f.line, f.secret])).toEqual([[2, staged]]);
  });

  test('inline allow comments (ours, gitleaks, detect-secrets) are honoured', () => {
    const r = repo();
    const lines = ['leakguard:allow', 'gitleaks:allow', 'pragma: allowlist secret'].map(
      (directive, i) => `K${i} = "${syntheticOpenAIKey(`allow-${i}`)}"  # ${directive}`,
    );
    r.write('conf.py', `${lines.join('\n')}\n`);
    r.git('add', '-A');
    expect(r.cli(['scan']).status).toBe(0);
  });

  test('config: path globs and value regexes allow; lockfiles beside their manifest are skipped by default', () => {
    const r = repo();
    const key = syntheticOpenAIKey('config');
    r.write('fixtures/sample.py', `K = "${key}"\n`);
    r.write('package.json', '{}\n');
    r.write('package-lock.json', `{"k": "${syntheticOpenAIKey('lock')}"}\n`);
    r.write('src/app.py', `K = "${syntheticOpenAIKey('other')}"\n`);
    r.write('.leakguard.json', JSON.stringify({ allowlist: { paths: ['fixtures/**'], regexes: [`^${key.slice(0, 20)}`] } }));
    r.git('add', '-A');
    const { report } = json(r);
    expect(report.findings.map((f) => f.file)).toEqual(['src/app.py']);
    expect(report.stats.skippedFiles).toBe(2);
  });

  test('binary files are read for their text runs and counted', () => {
    const r = repo();
    r.write('blob.bin', Buffer.concat([Buffer.from([0, 1, 2]), Buffer.from(syntheticOpenAIKey('bin'))]));
    r.git('add', '-A');
    const { status, report } = json(r);
    expect(status).toBe(1);
    expect(report.findings.map((f) => f.file)).toEqual(['blob.bin']);
    expect(report.stats.binaryFiles).toBe(1);
  });

  test('a large commit (two 3 MB generated files): a worker thread shares detection, and every key is found once, in order', () => {
    const r = repo();
    const planted: Array<{ file: string; line: number; column: number }> = [];
    for (const file of ['dist/a.min.js', 'dist/b.min.js']) {
      const lines: string[] = [];
      for (let i = 0; i < 3000; i++) {
        let line = `var v${i}=function(e,t){return e.map(function(n){return n*t+${i}}).filter(Boolean)};`.repeat(12);
        if (i % 250 === 17) {
          const prefix = `${line}var k${i}={token:"`;
          planted.push({ file, line: i + 1, column: prefix.length + 1 });
          line = `${prefix}${githubToken(`${file}-${i}`)}"};`;
        }
        lines.push(line);
      }
      r.write(file, `${lines.join('\n')}\n`);
    }
    r.git('add', '-A');
    const fast = r.cli(['scan', '--staged', '--format=json']);
    expect(fast.status).toBe(1);
    const found = (JSON.parse(fast.stdout) as JsonReport).findings.map((f) => ({ file: f.file, line: f.line, column: f.column }));
    expect(found).toEqual(planted);
    // --debug says when the worker starts (and takes the parser's path, not the hook's).
    const debug = r.cli(['scan', '--staged', '--format', 'json', '--debug']);
    expect(debug.stderr).toMatch(/debug: large scan: a worker thread detects part of the text/);
    expect((JSON.parse(debug.stdout) as JsonReport).findings.map((f) => ({ file: f.file, line: f.line, column: f.column }))).toEqual(
      planted,
    );
  });

  test('--stdin scans piped text', () => {
    const dir = makeTempDir();
    const result = runCli(['scan', '--stdin', '--format', 'json'], { cwd: dir, input: `token = "${syntheticOpenAIKey('stdin')}"\n` });
    expect(result.status).toBe(1);
    expect((JSON.parse(result.stdout) as JsonReport).findings[0]).toMatchObject({ file: '(stdin)', line: 1 });
  });

  test('--stdin counts lines as a file would: a final newline ends a line, it does not start one', () => {
    const dir = makeTempDir();
    const lines = (input: string): number =>
      (JSON.parse(runCli(['scan', '--stdin', '--format', 'json'], { cwd: dir, input }).stdout) as JsonReport).stats.lines!;
    expect(lines('x\n')).toBe(1);
    expect(lines('a\nb')).toBe(2);
    expect(lines('a\nb\n')).toBe(2);
    expect(lines('')).toBe(0);
    expect(runCli(['scan', '--stdin'], { cwd: dir, input: 'x\n' }).stdout).toContain('scanned standard input: 1 file, 1 line)');
  });
});

describe('errors are one line on stderr with exit code 2', () => {
  const cases: Array<[string, (r: TempRepo) => string[], RegExp]> = [
    ['an unknown flag', () => ['scan', '--no-such-flag'], /unknown option --no-such-flag/],
    ['two sources at once', () => ['scan', '--staged', '--history'], /choose one of/],
    ['a malformed config', (r) => (r.write('.leakguard.json', '{ nope'), ['scan']), /\.leakguard\.json: not valid JSON/],
    [
      'an unknown config field',
      (r) => (r.write('.leakguard.json', '{"allowlsit": {}}'), ['scan']),
      /\.leakguard\.json: allowlsit: unknown field/,
    ],
    [
      'an invalid regex in the config',
      (r) => (r.write('.leakguard.json', '{"allowlist": {"regexes": ["(unclosed"]}}'), ['scan']),
      /allowlist\.regexes\[0\]: invalid regular expression/,
    ],
    ['a missing --config file', () => ['scan', '--config', 'nope.json'], /nope\.json: file not found/],
    // Refused like a built-in rule of the same form: its secret can be empty (a match anywhere, of nothing).
    [
      'a custom rule whose secret can be empty',
      (r) => (
        r.write('.leakguard.json', JSON.stringify({ rules: [{ id: 'acme', regex: '(?<secret>x?)', keywords: ['ACME'] }] })),
        ['scan', '--staged']
      ),
      /^leakguard: error: \.leakguard\.json: rules\[acme\]\.regex: .*empty/,
    ],
    [
      'a custom rule whose matches need not hold a keyword',
      (r) => (
        r.write(
          '.leakguard.json',
          JSON.stringify({ rules: [{ id: 'acme', regex: '(?:acme|token)_(?<secret>[a-z0-9]{24})', keywords: ['ACME'] }] }),
        ),
        ['scan', '--staged']
      ),
      /^leakguard: error: \.leakguard\.json: rules\[acme\]\.keywords: .*match/,
    ],
  ];
  test.each(cases)('%s', (_name, setup, message) => {
    const r = repo();
    const result = r.cli(setup(r));
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(message);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });

  test('a config error with a large staged diff: exit 2 at once, no git left writing into a full pipe', () => {
    const r = repo();
    r.write('big.txt', 'a line of staged text that is long enough\n'.repeat(50_000));
    r.git('add', '-A');
    r.write('.leakguard.json', '{ nope');
    const started = Date.now();
    const result = r.cli(['scan', '--staged']);
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/not valid JSON/);
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  test('outside a repository, --staged says so', () => {
    const dir = makeTempDir();
    const result = runCli(['scan', '--staged'], { cwd: dir });
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/not a git repository/);
  });
});
