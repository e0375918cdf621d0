import { describe, expect, test } from '@jest/globals';
import { tempRepos, type TempRepo } from '../helpers/repo.js';
import { githubToken, openaiKey } from '../helpers/keys.js';

/**
 * `.leakguardignore`: findings listed by fingerprint (the one the JSON report
 * shows) are not reported and are counted in `stats.ignored`. A range reads the
 * file from its base commit, so a pull request cannot ignore its own key.
 * Real repositories, the built CLI.
 */
const repo = tempRepos();

interface Report {
  findings: { file: string; ruleId: string; fingerprint: string }[];
  stats: { ignored?: number; notices?: { kind: string; file: string; change: string; details: string[] }[] };
}

function scanJson(r: TempRepo, args: string[]): { status: number | null; report: Report; stderr: string } {
  const run = r.cli(['scan', '--format', 'json', ...args]);
  if (run.status === 2) throw new Error(`leakguard failed: ${run.stderr}`);
  return { status: run.status, report: JSON.parse(run.stdout) as Report, stderr: run.stderr };
}

/** Two keys in two files, staged. */
function twoKeys(seed: string): TempRepo {
  const r = repo({ committed: true });
  r.write('app.py', `import openai\nopenai.api_key = "${openaiKey(`${seed}-a`)}"\n`);
  r.write('tools/gh.sh', `export GITHUB_TOKEN=${githubToken(`${seed}-b`)}\n`);
  r.git('add', '-A');
  return r;
}

describe('.leakguardignore', () => {
  test.each([
    ['staged changes', ['--staged']],
    ['the working tree', ['.']],
  ])('%s: a listed fingerprint (from the JSON report) is not reported and is counted', (_name, source) => {
    const r = twoKeys('listed');
    const before = scanJson(r, source);
    expect(before.report.findings).toHaveLength(2);
    expect(before.report.stats.ignored).toBe(0);
    const app = before.report.findings.find((f) => f.file === 'app.py')!;
    r.write('.leakguardignore', `${app.fingerprint}\n`);

    const after = scanJson(r, source);
    expect(after.status).toBe(1);
    expect(after.report.findings.map((f) => f.file)).toEqual(['tools/gh.sh']);
    expect(after.report.stats.ignored).toBe(1);

    const text = r.cli(['scan', ...source]);
    expect(text.stdout).toContain('1 finding marked as a false alarm hidden by the ignore file (.leakguardignore)');
    expect(text.stdout).not.toContain('app.py');
  });

  test('every finding listed: exit 0; comment lines, a trailing "# note", blank lines and CRLF are fine', () => {
    const r = twoKeys('comments');
    const prints = scanJson(r, ['--staged']).report.findings.map((f) => f.fingerprint);
    r.write(
      '.leakguardignore',
      `# false alarms, reviewed\r\n\r\n${prints[0]}  # false alarm: test fixture\r\n   ${prints[1]}\t# another note # with a hash\r\n#trailing comment`,
    );
    const { status, report } = scanJson(r, ['--staged']);
    expect(report.findings).toEqual([]);
    expect(report.stats.ignored).toBe(2);
    expect(status).toBe(0);
    expect(r.cli(['scan', '--staged']).stdout).toContain('2 findings marked as false alarms hidden by the ignore file');
  });

  test('--debug names each finding the file hid', () => {
    const r = twoKeys('debug');
    const app = scanJson(r, ['--staged']).report.findings.find((f) => f.file === 'app.py')!;
    r.write('.leakguardignore', `${app.fingerprint}\n`);
    const run = r.cli(['scan', '--staged', '--debug']);
    expect(run.stderr).toContain(
      `leakguard: debug: skipping ${app.ruleId} in app.py:2: fingerprint ${app.fingerprint} is listed in .leakguardignore`,
    );
  });

  test.each([
    ['a word', 'not-a-fingerprint'],
    ['a short hex string', 'abc123'],
    ['a note without "#"', `${'a'.repeat(32)} false alarm`],
    ['a gitleaks-style entry', 'abc123:app.py:generic-api-key:2'],
  ])('a malformed line (%s) is a config error with its line number, exit 2', (_name, bad) => {
    const r = twoKeys('malformed');
    r.write('.leakguardignore', `# comment\n${'b'.repeat(32)}\n${bad}\n`);
    const run = r.cli(['scan', '--staged']);
    expect(run.status).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toBe(
      'leakguard: error: .leakguardignore: line 3: expected a fingerprint (32 hexadecimal digits, as in the JSON report), optionally followed by "# a note"\n',
    );
  });

  test('--ignore-file FILE: another file; a missing one named explicitly is an error', () => {
    const r = twoKeys('explicit');
    const app = scanJson(r, ['--staged']).report.findings.find((f) => f.file === 'app.py')!;
    r.write('ci/false-alarms.txt', `${app.fingerprint}\n`);
    expect(scanJson(r, ['--staged', '--ignore-file', 'ci/false-alarms.txt']).report.stats.ignored).toBe(1);
    const missing = r.cli(['scan', '--staged', '--ignore-file', 'nope.txt']);
    expect(missing.status).toBe(2);
    expect(missing.stderr).toBe('leakguard: error: nope.txt: file not found\n');
  });
});

describe('.leakguardignore in --range (read from the base commit)', () => {
  /** main has an ignore file with one entry; the "pull request" adds a key and an entry for it. */
  function pullRequest(seed: string) {
    const r = repo({ committed: true });
    r.write('.leakguardignore', '# reviewed false alarms\n');
    r.git('add', '-A');
    const base = r.commit('ignore file');
    r.write('app.py', `openai.api_key = "${openaiKey(seed)}"\n`);
    r.git('add', '-A');
    const withKey = r.commit('add key');
    const finding = scanJson(r, ['--range', `${base}..${withKey}`]).report.findings[0]!;
    r.write('.leakguardignore', `# reviewed false alarms\n${finding.fingerprint}  # trust me\n`);
    r.git('add', '-A');
    const head = r.commit('ignore it');
    return { r, base, head };
  }

  test('a range that adds an ignore entry does not hide its own key, and says so', () => {
    const { r, base, head } = pullRequest('range-self');
    const { status, report, stderr } = scanJson(r, ['--range', `${base}..${head}`]);
    expect(status).toBe(1);
    expect(report.findings.map((f) => f.file)).toEqual(['app.py']);
    expect(report.stats.ignored).toBe(0);
    expect(report.stats.notices).toEqual([
      expect.objectContaining({ kind: 'ignore-file', file: '.leakguardignore', change: 'modified', details: ['1 entry added'] }),
    ]);
    expect(stderr).toContain(
      `leakguard: warning: this range changes leakguard's ignore file .leakguardignore (1 entry added): the scan used the version in the base commit ${base.slice(0, 12)}.`,
    );
    const github = r.cli(['scan', '--range', `${base}..${head}`, '--format', 'github']);
    expect(github.stderr).toMatch(/^::warning file=\.leakguardignore,title=leakguard%3A this range changes leakguard's ignore file::/m);
  });

  test('a range that adds the ignore file itself: not used, a notice', () => {
    const r = repo({ committed: true });
    const base = r.git('rev-parse', 'HEAD').trim();
    r.write('app.py', `openai.api_key = "${openaiKey('range-add')}"\n`);
    r.git('add', '-A');
    const mid = r.commit('key');
    const print = scanJson(r, ['--range', `${base}..${mid}`]).report.findings[0]!.fingerprint;
    r.write('.leakguardignore', `${print}\n`);
    r.git('add', '-A');
    const head = r.commit('ignore');
    const { report } = scanJson(r, ['--range', `${base}..${head}`]);
    expect(report.findings).toHaveLength(1);
    expect(report.stats.notices).toEqual([expect.objectContaining({ kind: 'ignore-file', change: 'added' })]);
  });

  test("an entry in the base commit's file is honoured; --trust-head-config uses the checked-out file", () => {
    const r = repo({ committed: true });
    const code = `openai.api_key = "${openaiKey('range-base')}"\n`;
    // The fingerprint of the key the range will add (learned from a staged scan, then unstaged).
    r.write('app.py', code);
    r.git('add', 'app.py');
    const print = scanJson(r, ['--staged']).report.findings[0]!.fingerprint;
    r.git('rm', '-q', '--cached', 'app.py');
    r.write('.leakguardignore', `${print}  # reviewed: a test key\n`);
    r.git('add', '.leakguardignore');
    const base = r.commit('ignore file');
    r.git('add', 'app.py');
    const head = r.commit('add key');
    const honoured = scanJson(r, ['--range', `${base}..${head}`]);
    expect(honoured.report.findings).toEqual([]);
    expect(honoured.report.stats.ignored).toBe(1);
    expect(honoured.report.stats.notices).toEqual([]);

    const { r: pr, base: prBase, head: prHead } = pullRequest('range-trust-head');
    const trusted = scanJson(pr, ['--range', `${prBase}..${prHead}`, '--trust-head-config']);
    expect(trusted.report.findings).toEqual([]);
    expect(trusted.report.stats.ignored).toBe(1);
  });

  test("a malformed line in the base commit's file is a config error naming the base commit", () => {
    const r = repo({ committed: true });
    r.write('.leakguardignore', 'oops\n');
    r.git('add', '-A');
    const base = r.commit('bad ignore file');
    r.write('app.py', 'print(1)\n');
    r.git('add', '-A');
    const head = r.commit('code');
    const run = r.cli(['scan', '--range', `${base}..${head}`]);
    expect(run.status).toBe(2);
    expect(run.stderr).toBe(
      `leakguard: error: .leakguardignore (base commit ${base.slice(0, 12)}): line 1: expected a fingerprint (32 hexadecimal digits, as in the JSON report), optionally followed by "# a note"\n`,
    );
  });
});
