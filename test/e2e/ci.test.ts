import { afterEach, describe, expect, test } from '@jest/globals';
import { execFileSync, type SpawnSyncReturns } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { cleanEnv, makeTempDir, runCli, TempRepo } from '../helpers/repo.js';
import { sarifValidator } from '../helpers/sarif.js';
import { openaiKey } from '../helpers/keys.js';

/**
 * The CI and whole-repository ways of using leakguard, through the built CLI in
 * real temporary repositories: --range, --history, PATH, --stdin, the sarif and
 * github formats, baselines, and a shallow clone.
 */
const cleanup: Array<() => void> = [];
afterEach(() => cleanup.splice(0).forEach((fn) => fn()));

/** Every key a test made and every output the CLI printed, swept at the end for raw keys. */
const keys = new Set<string>();
const outputs: string[] = [];

function key(seed: string): string {
  const k = openaiKey(`ci-${seed}`);
  keys.add(k);
  return k;
}

function repo(): TempRepo {
  const r = new TempRepo();
  cleanup.push(() => r.remove());
  return r;
}

function tempDir(): string {
  const dir = makeTempDir('leakguard-ci-');
  cleanup.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

function run(r: TempRepo | string, args: string[], options: { input?: string; reveal?: boolean } = {}): SpawnSyncReturns<string> {
  const result = typeof r === 'string' ? runCli(args, { cwd: r, input: options.input }) : r.cli(args, { input: options.input });
  if (!options.reveal) outputs.push(result.stdout, result.stderr);
  return result;
}

interface JsonFinding {
  ruleId: string;
  file: string;
  line: number;
  column: number;
  endColumn: number;
  secret: string;
  fingerprint: string;
  commit?: string;
  author?: string;
  date?: string;
}

function scanJson(r: TempRepo | string, args: string[], options: { input?: string; reveal?: boolean } = {}) {
  const result = run(r, ['scan', '--format', 'json', ...args], options);
  if (result.status === 2) throw new Error(`leakguard failed: ${result.stderr}`);
  const report = JSON.parse(result.stdout) as { findings: JsonFinding[]; stats: Record<string, number> };
  return { status: result.status, findings: report.findings, stats: report.stats, stderr: result.stderr };
}

function commitFile(r: TempRepo, file: string, content: string, message = `edit ${file}`): string {
  r.write(file, content);
  r.git('add', '-A');
  return r.commit(message);
}

/** A fingerprint-independent identity for matching findings to keys: the redacted prefix is not enough. */
function findingsOf(findings: JsonFinding[]) {
  return findings.map((f) => ({ file: f.file, line: f.line, commit: f.commit }));
}

describe('--history', () => {
  test('a key added then deleted is found once, at the commit that added it, with author and date', () => {
    const r = repo();
    commitFile(r, 'README.md', '# demo\n', 'readme');
    const leaked = key('deleted');
    const added = commitFile(r, 'app.py', `import openai\nopenai.api_key = '${leaked}'\n`, 'add key');
    commitFile(r, 'app.py', 'import os\nimport openai\nopenai.api_key = os.getenv("OPENAI_API_KEY")\n', 'remove key');
    commitFile(r, 'other.txt', 'unrelated\n', 'later');

    expect(readFileSync(path.join(r.root, 'app.py'), 'utf8')).not.toContain(leaked);
    expect(scanJson(r, ['.']).findings).toHaveLength(0); // the work tree is clean…
    const { status, findings, stats } = scanJson(r, ['--history']);
    expect(status).toBe(1); // …the history is not
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ file: 'app.py', line: 2, column: 19, commit: added, author: 'Test Author <author@example.com>' });
    expect(findings[0]!.date).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d$/);
    expect(stats.commits).toBe(4);
  });

  test('every ref is scanned, merges do not double-report, and a line new in a merge is found at the merge', () => {
    const r = repo();
    commitFile(r, 'config.py', 'A = 1\nB = 2\nC = 3\n', 'base');
    r.git('checkout', '-q', '-b', 'feature');
    const onFeature = key('feature-merged');
    const featureCommit = commitFile(r, 'config.py', `A = 1\nB = '${onFeature}'\nC = 3\n`, 'feature key');
    r.git('checkout', '-q', 'main');
    commitFile(r, 'main.txt', 'main work\n', 'main work');
    r.git('merge', '-q', '--no-ff', '--no-edit', 'feature');
    // An evil merge: the merge result has a line that neither parent has.
    r.git('checkout', '-q', '-b', 'evil', 'main~1');
    commitFile(r, 'evil.txt', 'one\n', 'evil base');
    r.git('merge', '-q', '--no-ff', '--no-commit', 'feature');
    const inMerge = key('evil-merge');
    r.write('config.py', `A = 1\nB = '${onFeature}'\nD = '${inMerge}'\nC = 3\n`);
    r.git('add', '-A');
    const evilMerge = r.commit('evil merge');
    // An unmerged branch and a tag are part of --history too.
    r.git('checkout', '-q', '-b', 'stray', 'main~1');
    const stray = key('stray');
    const strayCommit = commitFile(r, 'stray.js', `const k = "${stray}";\n`, 'stray key');
    r.git('checkout', '-q', 'main');

    const { findings } = scanJson(r, ['--history']);
    expect(findingsOf(findings).sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line)).toEqual([
      { file: 'config.py', line: 2, commit: featureCommit },
      { file: 'config.py', line: 3, commit: evilMerge },
      { file: 'stray.js', line: 1, commit: strayCommit },
    ]);

    // The same through --range: the merge brings the feature commit in, reported once.
    const range = scanJson(r, ['--range', 'main~1..main']);
    expect(findingsOf(range.findings)).toEqual([{ file: 'config.py', line: 2, commit: featureCommit }]);
  });
});

describe('--range', () => {
  test('main..feature finds only the branch key, A...B too; a bad range is a usage error', () => {
    const r = repo();
    const onMain = key('on-main');
    commitFile(r, 'settings.py', `KEY = '${onMain}'\n`, 'main key');
    r.git('checkout', '-q', '-b', 'feature');
    commitFile(r, 'notes.md', 'nothing secret\n', 'notes');
    const onBranch = key('on-branch');
    const branchCommit = commitFile(r, 'src/client.ts', `export const key = "${onBranch}";\n`, 'branch key');
    r.git('checkout', '-q', 'main');
    const later = key('main-later');
    commitFile(r, 'later.py', `KEY = '${later}'\n`, 'main moves on');

    const { status, findings, stats } = scanJson(r, ['--range', 'main..feature']);
    expect(status).toBe(1);
    expect(findingsOf(findings)).toEqual([{ file: 'src/client.ts', line: 1, commit: branchCommit }]);
    expect(stats.commits).toBe(2);
    // git's own meaning of A...B: the commits on either side since they forked.
    const symmetric = scanJson(r, ['--range', 'main...feature']);
    expect(symmetric.findings.map((f) => f.file).sort()).toEqual(['later.py', 'src/client.ts']);

    expect(scanJson(r, ['--range', 'feature..feature']).status).toBe(0);
    const bad = run(r, ['scan', '--range', 'main..no-such-branch']);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/unknown revision no-such-branch/);
    expect(run(r, ['scan', '--range', '--output=x..main']).status).toBe(2);
  });

  test('a shallow clone whose base is missing exits 2 with the advice to fetch more history', () => {
    const r = repo();
    const base = commitFile(r, 'a.txt', 'one\n', 'one');
    commitFile(r, 'a.txt', 'two\n', 'two');
    commitFile(r, 'b.txt', 'three\n', 'three');
    const dir = tempDir();
    execFileSync('git', ['clone', '-q', '--depth', '1', `file://${r.root}`, 'clone'], { cwd: dir, env: cleanEnv() });
    const clone = path.join(dir, 'clone');
    const result = run(clone, ['scan', '--range', `${base}..HEAD`]);
    expect(result.status).toBe(2);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toContain('shallow');
    expect(result.stderr).toContain('fetch-depth: 0');
    expect(run(clone, ['scan', '--range', 'HEAD~1..HEAD']).stderr).toContain('fetch-depth: 0');
  });
});

describe('PATH and --stdin', () => {
  test('inside a repository: tracked and untracked-not-ignored files, named from the root', () => {
    const r = repo();
    const tracked = key('tracked');
    const untracked = key('untracked');
    const ignored = key('ignored');
    commitFile(r, '.gitignore', 'secret.log\n', 'ignore');
    commitFile(r, 'pkg/src/tracked.js', `x = "${tracked}"\n`);
    r.write('pkg/src/new.js', `\ny = "${untracked}"\n`);
    r.write('pkg/src/secret.log', `${ignored}\n`);
    r.write('elsewhere.js', `z = "${untracked}"\n`);
    const cwd = path.join(r.root, 'pkg');
    const { status, findings, stats } = scanJson(cwd, ['src']);
    expect(status).toBe(1);
    expect(findingsOf(findings).sort((a, b) => a.file.localeCompare(b.file))).toEqual([
      { file: 'pkg/src/new.js', line: 2, commit: undefined },
      { file: 'pkg/src/tracked.js', line: 1, commit: undefined },
    ]);
    expect(stats.files).toBe(2);
  });

  test('a plain folder (not a repository) with a space in its name: paths relative to PATH, junk skipped, binary read for text', () => {
    const dir = tempDir();
    const root = path.join(dir, 'my project');
    const found = key('plain-dir');
    const put = (file: string, content: string | Buffer): void => {
      mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
      writeFileSync(path.join(root, file), content);
    };
    put('src/deep dir/config.js', `// settings\nmodule.exports = { key: "${found}" };\n`);
    put('node_modules/lib/index.js', `k = "${key('node-modules')}"\n`);
    put('vendor/other checkout/.git/config', `k = ${key('dot-git')}\n`);
    put('image.bin', Buffer.concat([Buffer.from([0, 1, 2]), Buffer.from(`k = "${key('binary')}"\n`)]));
    const utf16 = key('utf16');
    put('windows.ps1', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(`$k = "${utf16}"\r\n`, 'utf16le')]));
    const outside = path.join(dir, 'outside.txt');
    writeFileSync(outside, `k = "${key('outside-link')}"\n`);
    symlinkSync(outside, path.join(root, 'link.txt'));

    const { status, findings, stats } = scanJson(dir, ['my project']);
    expect(status).toBe(1);
    expect(findingsOf(findings).sort((a, b) => a.file.localeCompare(b.file))).toEqual([
      { file: 'image.bin', line: 1, commit: undefined },
      { file: 'src/deep dir/config.js', line: 2, commit: undefined },
      { file: 'windows.ps1', line: 1, commit: undefined },
    ]);
    expect(findings.find((f) => f.file === 'windows.ps1')).toMatchObject({ column: 7 });
    expect(stats).toMatchObject({ files: 2, binaryFiles: 1, skippedFiles: 1 });
    // From inside the folder, "." names files the same way.
    expect(scanJson(root, ['.']).findings.map((f) => f.file).sort()).toEqual(['image.bin', 'src/deep dir/config.js', 'windows.ps1']);
    const missing = run(dir, ['scan', 'no such folder']);
    expect(missing.status).toBe(2);
    expect(missing.stderr).toContain('no such folder');
  });

  test('--stdin scans piped text', () => {
    const dir = tempDir();
    const piped = key('stdin');
    const { status, findings } = scanJson(dir, ['--stdin'], { input: `line one\nOPENAI_API_KEY=${piped}\n` });
    expect(status).toBe(1);
    expect(findings).toMatchObject([{ file: '(stdin)', line: 2, column: 16 }]);
    expect(scanJson(dir, ['--stdin'], { input: 'nothing here\n' }).status).toBe(0);
  });
});

describe('formats', () => {
  function leakyRepo(): { r: TempRepo; secret: string } {
    const r = repo();
    commitFile(r, 'README.md', '# demo\n', 'readme');
    const secret = key('formats');
    r.write('dir with space/app #1.py', `import openai\n\nopenai.api_key = '${secret}'\n`);
    r.git('add', '-A');
    return { r, secret };
  }

  test('sarif validates against the SARIF 2.1.0 schema, with rules, locations and partialFingerprints', () => {
    const { r, secret } = leakyRepo();
    const json = scanJson(r, []);
    const result = run(r, ['scan', '--format', 'sarif']);
    expect(result.status).toBe(1);
    const log = JSON.parse(result.stdout);
    const validate = sarifValidator();
    const valid = validate(log);
    expect(valid ? [] : validate.errors).toEqual([]);
    const driver = log.runs[0].tool.driver;
    expect(driver).toMatchObject({ name: 'leakguard', version: expect.any(String), informationUri: expect.stringMatching(/^https:/) });
    const res = log.runs[0].results[0];
    const rule = driver.rules[res.ruleIndex];
    expect(rule.id).toBe(res.ruleId);
    expect(rule.help.text).toContain('OPENAI_API_KEY');
    expect(rule.helpUri).toMatch(/^https:\/\//);
    expect(res).toMatchObject({
      level: 'error',
      locations: [{ physicalLocation: { artifactLocation: { uri: 'dir%20with%20space/app%20%231.py' }, region: { startLine: 3, startColumn: 19, endLine: 3, endColumn: 19 + secret.length } } }],
      partialFingerprints: { 'leakguardFingerprint/v1': json.findings[0]!.fingerprint },
    });

    // A history scan (with commit properties) and an empty result validate too.
    r.git('commit', '-q', '-m', 'leak');
    const history = JSON.parse(run(r, ['scan', '--history', '--format', 'sarif']).stdout);
    expect(validate(history)).toBe(true);
    expect(history.runs[0].results[0].properties).toMatchObject({ commit: expect.stringMatching(/^[0-9a-f]{40}$/) });
    const clean = JSON.parse(run(r, ['scan', '--format', 'sarif', 'README.md']).stdout);
    expect(validate(clean)).toBe(true);
    expect(clean.runs[0].results).toEqual([]);

    const revealed = run(r, ['scan', '--history', '--format', 'sarif', '--show-secrets'], { reveal: true });
    expect(revealed.stdout).toContain(secret);
  });

  test('github prints one ::error workflow command per finding, on the right file and line', () => {
    const { r, secret } = leakyRepo();
    const result = run(r, ['scan', '--format', 'github']);
    expect(result.status).toBe(1);
    const commands = result.stdout.split('\n').filter((l) => l.startsWith('::'));
    expect(commands).toHaveLength(1);
    expect(commands[0]).toMatch(
      new RegExp(`^::error file=dir with space/app #1\\.py,line=3,endLine=3,col=19,endColumn=${18 + secret.length},title=[^:]+::`),
    );
    expect(commands[0]).toContain('OPENAI_API_KEY');
    expect(run(r, ['scan', '--format', 'github', '--show-secrets'], { reveal: true }).stdout).toContain(secret);
  });
});

describe('baseline', () => {
  test('suppresses recorded findings (even after lines move) and still reports a new one', () => {
    const r = repo();
    const old = key('baseline-old');
    commitFile(r, 'legacy/settings.py', `DEBUG = True\nKEY = '${old}'\n`, 'legacy');

    const written = run(r, ['baseline']);
    expect(written.status).toBe(0);
    const file = path.join(r.root, '.leakguard-baseline.json');
    expect(existsSync(file)).toBe(true);
    const text = readFileSync(file, 'utf8');
    const baseline = JSON.parse(text) as { fingerprints: string[] };
    expect(baseline.fingerprints).toHaveLength(1);
    expect(text).not.toContain(old.slice(8, 30));
    // Deterministic: writing it again changes nothing.
    run(r, ['baseline']);
    expect(readFileSync(file, 'utf8')).toBe(text);

    // Unrelated lines move the old key down; a new key appears elsewhere.
    r.write('legacy/settings.py', `import os\n\n# moved\nDEBUG = True\nKEY = '${old}'\n`);
    const fresh = key('baseline-new');
    r.write('app/new.py', `KEY = '${fresh}'\n`);
    r.git('add', '-A');

    const all = scanJson(r, ['.']);
    expect(all.findings).toHaveLength(2);
    for (const args of [['.'], ['--staged']]) {
      const filtered = scanJson(r, [...args, '--baseline', '.leakguard-baseline.json']);
      expect(filtered.status).toBe(1);
      expect(findingsOf(filtered.findings)).toEqual([{ file: 'app/new.py', line: 1, commit: undefined }]);
    }
    const text2 = run(r, ['scan', '.', '--baseline', '.leakguard-baseline.json']);
    expect(text2.stdout).toMatch(/1 known finding hidden by the baseline/);

    // With the new key recorded too, the scan is clean.
    run(r, ['baseline', '--output', 'b2.json']);
    expect(scanJson(r, ['.', '--baseline', 'b2.json']).status).toBe(0);
  });
});

// Runs last (tests in a file run in order): nothing printed above held a raw key.
test('no output contained a raw key unless --show-secrets was given', () => {
  expect(outputs.length).toBeGreaterThan(20);
  expect(keys.size).toBeGreaterThan(10);
  const leaks = outputs.flatMap((output, i) => [...keys].filter((k) => output.includes(k)).map(() => i));
  expect(leaks).toEqual([]);
});
