/**
 * The scanner against git configurations and attributes that change what git
 * prints: every source (staged, range, history, tree) must still read every file's
 * bytes, pair patches with records by path, and say so (exit 2) when it cannot.
 */
import { describe, expect, test } from '@jest/globals';
import { execFileSync, spawnSync } from 'node:child_process';
import { appendFileSync, chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { CLI, cleanEnv, makeTempDir, tempRepos, type TempRepo } from '../helpers/repo.js';
import { openaiKey } from '../helpers/keys.js';

const repos = tempRepos();

interface Report {
  findings: Array<{ file: string; line: number; commit?: string; author?: string; secret: string }>;
  stats: Record<string, unknown>;
}

/** Every output-changing option git has for diff and log, turned on. */
function hostileConfig(extra = ''): string {
  const dir = makeTempDir('leakguard-hostile-');
  const order = path.join(dir, 'order');
  writeFileSync(order, 'sub\n*.md\n*\n');
  const text = [
    '[diff]',
    '\tsubmodule = log',
    '\tnoprefix = true',
    '\tmnemonicPrefix = true',
    '\trelative = true',
    '\tsrcPrefix = SRC/',
    '\tdstPrefix = DST/',
    '\texternal = false',
    '\trenames = copies',
    `\torderFile = ${order}`,
    '\tignoreSubmodules = all',
    '\tsuppressBlankEmpty = true',
    '\tinterHunkContext = 20',
    '\tcontext = 7',
    '\twsErrorHighlight = all',
    '\tcolorMoved = zebra',
    '\talgorithm = histogram',
    '[color]',
    '\tui = always',
    '\tdiff = always',
    '[core]',
    '\tquotePath = true',
    '\tabbrev = 4',
    '[log]',
    '\tshowSignature = true',
    '\tabbrevCommit = true',
    '\tshowRoot = false',
    '\tdecorate = full',
    '\tmailmap = true',
    '[format]',
    '\tpretty = oneline',
    '[i18n]',
    '\tlogOutputEncoding = ISO-8859-1',
    '[status]',
    '\tsubmoduleSummary = true',
    '[submodule "sub"]',
    '\tignore = all',
    extra,
    '',
  ].join('\n');
  const file = path.join(dir, 'gitconfig');
  writeFileSync(file, text);
  return file;
}

/** Turns the hostile configuration on for the repository (.git/config) and returns the CLI's environment. */
function harden(r: TempRepo, extra = ''): NodeJS.ProcessEnv {
  const global = hostileConfig(extra);
  const local = hostileConfig(extra);
  appendFileSync(path.join(r.root, '.git', 'config'), execFileSync('cat', [local], { encoding: 'utf8' }));
  return { GIT_CONFIG_GLOBAL: global, GIT_EXTERNAL_DIFF: 'false' };
}

function scanJson(
  r: TempRepo,
  args: string[],
  env: NodeJS.ProcessEnv,
  cwd = r.root,
): { status: number | null; report: Report; stderr: string } {
  const result = r.cli(['scan', '--format', 'json', ...args], { env, cwd });
  let report: Report = { findings: [], stats: {} };
  try {
    report = JSON.parse(result.stdout) as Report;
  } catch {
    // exit 2 prints no report; the status says so
  }
  return { status: result.status, report, stderr: result.stderr };
}

type Mode = 'staged' | 'range' | 'history' | 'tree';
const GIT_MODES: Mode[] = ['staged', 'range', 'history'];
const ALL_MODES: Mode[] = ['staged', 'range', 'history', 'tree'];

/**
 * Builds the scenario's files in a repository with one commit, then puts them
 * where the mode reads them: staged, or committed on top (range and history), or
 * in the working tree (tree). Returns the scan result.
 */
function runMode(
  mode: Mode,
  setup: (r: TempRepo) => void,
  options: { extraConfig?: string; index?: (r: TempRepo) => void } = {},
): { status: number | null; report: Report; stderr: string; r: TempRepo } {
  const r = repos({ committed: true });
  const base = r.git('rev-parse', 'HEAD').trim();
  setup(r);
  r.git('add', '-A');
  options.index?.(r);
  if (mode !== 'staged') r.commit('add files');
  const env = harden(r, options.extraConfig);
  const args =
    mode === 'staged' ? ['--staged'] : mode === 'range' ? ['--range', `${base}..HEAD`] : mode === 'history' ? ['--history'] : ['.'];
  return { ...scanJson(r, args, env), r };
}

function utf32(text: string, bigEndian: boolean): Buffer {
  const out = Buffer.alloc(text.length * 4);
  let n = 0;
  for (const ch of text) {
    if (bigEndian) out.writeUInt32BE(ch.codePointAt(0)!, n);
    else out.writeUInt32LE(ch.codePointAt(0)!, n);
    n += 4;
  }
  return out.subarray(0, n);
}

const keyLine = (key: string): string => `openai.api_key = '${key}'\n`;

describe('binary by attribute: git says "Binary files differ", the scanner reads the blob', () => {
  const cases: Array<[string, (r: TempRepo, key: string) => void, string]> = [
    [
      '.gitattributes -diff in the same commit',
      (r, key) => {
        r.write('.gitattributes', '*.py -diff\n');
        r.write('app.py', `import openai\n${keyLine(key)}`);
      },
      '',
    ],
    [
      'nested .gitattributes binary',
      (r, key) => {
        r.write('sub/.gitattributes', '* binary\n');
        r.write('sub/app.py', `import openai\n${keyLine(key)}`);
      },
      '',
    ],
    [
      '.git/info/attributes',
      (r, key) => {
        mkdirSync(path.join(r.root, '.git', 'info'), { recursive: true });
        writeFileSync(path.join(r.root, '.git', 'info', 'attributes'), '*.py -diff\n');
        r.write('app.py', `import openai\n${keyLine(key)}`);
      },
      '',
    ],
    [
      'a diff driver with binary=true',
      (r, key) => {
        r.write('.gitattributes', '*.py diff=opaque\n');
        r.write('app.py', `import openai\n${keyLine(key)}`);
      },
      '[diff "opaque"]\n\tbinary = true',
    ],
  ];
  for (const [name, setup, extraConfig] of cases) {
    for (const mode of GIT_MODES) {
      test(`${name} (${mode})`, () => {
        const key = openaiKey(`${name}-${mode}`);
        const { status, report, stderr } = runMode(mode, (r) => setup(r, key), { extraConfig });
        expect(stderr).toBe('');
        expect(status).toBe(1);
        expect(report.findings.map((f) => [f.file.replace(/^sub\//, ''), f.line])).toEqual([['app.py', 2]]);
      });
    }
  }

  test.each(GIT_MODES)('a global attributes file (core.attributesFile) (%s)', (mode) => {
    const key = openaiKey(`global-attributes-${mode}`);
    const attributes = path.join(makeTempDir('leakguard-attr-'), 'attributes');
    writeFileSync(attributes, '*.py -diff\n');
    const { status, report } = runMode(mode, (r) => r.write('app.py', `import openai\n${keyLine(key)}`), {
      extraConfig: `[core]\n\tattributesFile = ${attributes}`,
    });
    expect(status).toBe(1);
    expect(report.findings.map((f) => [f.file, f.line])).toEqual([['app.py', 2]]);
  });

  test("CI: a later commit of the range adds `*.py -diff`; the earlier commit's key is still found", () => {
    const r = repos({ committed: true });
    const base = r.git('rev-parse', 'HEAD').trim();
    const key = openaiKey('ci-later-attributes');
    r.write('app.py', `import openai\n${keyLine(key)}`);
    r.git('add', '-A');
    const keyCommit = r.commit('add app');
    r.write('.gitattributes', '*.py -diff\n');
    r.git('add', '-A');
    r.commit('hide python from diffs');
    const { status, report } = scanJson(r, ['--range', `${base}..HEAD`], harden(r));
    expect(status).toBe(1);
    expect(report.findings.map((f) => [f.file, f.line, f.commit])).toEqual([['app.py', 2, keyCommit]]);
  });

  test.each(GIT_MODES)('a modified binary-by-attribute file: only its new lines count as added (%s)', (mode) => {
    const old = openaiKey(`old-${mode}`);
    const added = openaiKey(`added-${mode}`);
    const r = repos({ committed: true });
    r.write('.gitattributes', '*.py -diff\n');
    r.write('app.py', `# header\nold = '${old}'\n`);
    r.git('add', '-A');
    const base = r.commit('old key');
    r.write('app.py', `# header\nold = '${old}'\nnew = '${added}'\n`);
    r.git('add', '-A');
    const head = mode === 'staged' ? undefined : r.commit('new key');
    const args = mode === 'staged' ? ['--staged'] : mode === 'range' ? ['--range', `${base}..HEAD`] : ['--history'];
    const { status, report } = scanJson(r, args, harden(r));
    expect(status).toBe(1);
    const expected = [['app.py', 3, head]];
    // The whole history also holds the commit that added the old key, where it is new.
    if (mode === 'history') expected.push(['app.py', 2, base]);
    // (Commits made in the same second are ordered by hash: compare as sets.)
    expect(report.findings.map((f) => [f.file, f.line, f.commit]).sort()).toEqual(expected.sort());
  });
});

describe('binary by content: NUL bytes, UTF-16, UTF-32', () => {
  const encodings: Array<[string, (text: string) => Buffer]> = [
    ['a NUL byte on line 1', (text) => Buffer.concat([Buffer.from([0, 1, 2, 0x0a]), Buffer.from(text.slice(text.indexOf('\n') + 1))])],
    ['UTF-16LE without a BOM', (text) => Buffer.from(text, 'utf16le')],
    ['UTF-16BE with a BOM', (text) => Buffer.from(`\ufeff${text}`, 'utf16le').swap16()],
    ['UTF-16LE with a BOM', (text) => Buffer.from(`\ufeff${text}`, 'utf16le')],
    ['UTF-32LE with a BOM', (text) => utf32(`\ufeff${text}`, false)],
    ['UTF-32BE without a BOM', (text) => utf32(text, true)],
  ];
  for (const [name, encode] of encodings) {
    test.each(ALL_MODES)(`${name} (%s)`, (mode) => {
      const key = openaiKey(`${name}-${mode}`);
      const { status, report, stderr } = runMode(mode, (r) => r.write('settings.ini', encode(`[api]\n${keyLine(key)}`)));
      expect(stderr).toBe('');
      expect(status).toBe(1);
      expect(report.findings.map((f) => [f.file, f.line])).toEqual([['settings.ini', 2]]);
    });
  }

  test.each(ALL_MODES)('a key between binary bytes is found as a text run, on its line (%s)', (mode) => {
    const key = openaiKey(`strings-${mode}`);
    const bytes = Buffer.concat([
      Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0x0a, 0x1a, 0]),
      Buffer.from('\n\nabc\0'),
      Buffer.from(`token=${key}`),
      Buffer.from([0, 0xff, 0xfe, 0x0a]),
    ]);
    const { status, report } = runMode(mode, (r) => r.write('image.png', bytes), {});
    expect(status).toBe(1);
    expect(report.findings.map((f) => [f.file, f.line])).toEqual([['image.png', 4]]);
  });
});

describe('files over core.bigFileThreshold are read, not skipped', () => {
  test.each(GIT_MODES)('%s', (mode) => {
    const key = openaiKey(`big-${mode}`);
    const filler = Array.from({ length: 400 }, (_, i) => `line ${i} of filler text`).join('\n');
    const { status, report } = runMode(mode, (r) => r.write('big.txt', `${filler}\n${keyLine(key)}`), {
      extraConfig: '[core]\n\tbigFileThreshold = 1k',
    });
    expect(status).toBe(1);
    expect(report.findings.map((f) => [f.file, f.line])).toEqual([['big.txt', 401]]);
  });
});

describe('patches pair with records by path, whatever diff.submodule and friends say', () => {
  test.each(GIT_MODES)('a submodule change before the key file (diff.submodule=log) (%s)', (mode) => {
    const key = openaiKey(`submodule-${mode}`);
    const { status, report, stderr } = runMode(mode, (r) => r.write('z.py', `import openai\n${keyLine(key)}`), {
      // After `git add -A`, which would drop a gitlink with no folder behind it.
      index: (r) => r.git('update-index', '--add', '--cacheinfo', `160000,${r.git('rev-parse', 'HEAD').trim()},sub`),
    });
    expect(stderr).toBe('');
    expect(status).toBe(1);
    expect(report.findings.map((f) => [f.file, f.line])).toEqual([['z.py', 2]]);
  });

  test.each(ALL_MODES)('quoted and non-ASCII paths, a rename and a copy candidate (%s)', (mode) => {
    const key = openaiKey(`paths-${mode}`);
    const other = openaiKey(`paths-other-${mode}`);
    const { status, report } = runMode(mode, (r) => {
      r.write('dir "q"/cl\u00e9\tx.py', keyLine(key));
      r.write('README.md', 'demo\nmore\n');
      r.write('b.py', keyLine(other));
    });
    expect(status).toBe(1);
    expect(report.findings.map((f) => [f.file, f.line]).sort()).toEqual([
      ['b.py', 1],
      ['dir "q"/cl\u00e9\tx.py', 1],
    ]);
  });

  test('history: the author is read as UTF-8 whatever i18n.logOutputEncoding says', () => {
    const r = repos({ committed: true });
    const key = openaiKey('author-encoding');
    r.write('a.py', keyLine(key));
    r.git('add', '-A');
    execFileSync('git', ['commit', '-q', '-m', 'x'], { cwd: r.root, env: cleanEnv({ GIT_AUTHOR_NAME: 'Zo\u00eb' }), stdio: 'pipe' });
    const { report } = scanJson(r, ['--history'], harden(r));
    expect(report.findings[0]?.author).toBe('Zo\u00eb <author@example.com>');
  });

  test('a merge under the hostile configuration: its own new key is found', () => {
    const r = repos({ committed: true });
    r.git('checkout', '-q', '-b', 'side');
    r.write('side.txt', 'side\n');
    r.git('add', '-A');
    r.commit('side');
    r.git('checkout', '-q', 'main');
    r.write('main.txt', 'main\n');
    r.git('add', '-A');
    r.commit('main');
    r.git('merge', '-q', '--no-commit', 'side');
    const key = openaiKey('evil-merge');
    r.write('.gitattributes', '*.py -diff\n');
    r.write('evil.py', keyLine(key));
    r.git('add', '-A');
    const merge = r.commit('evil merge');
    const { status, report } = scanJson(r, ['--history'], harden(r));
    expect(status).toBe(1);
    expect(report.findings.map((f) => [f.file, f.line, f.commit])).toEqual([['evil.py', 1, merge]]);
  });
});

describe('scan --history in a bare repository and a mirror (the CI cache)', () => {
  test.each(['--bare', '--mirror'])('git clone %s', (flag) => {
    const r = repos({ committed: true });
    const key = openaiKey(`bare-${flag}`);
    r.write('app.py', keyLine(key));
    r.git('add', '-A');
    const commit = r.commit('key');
    const clone = path.join(makeTempDir('leakguard-bare-'), 'repo.git');
    execFileSync('git', ['clone', '-q', flag, r.root, clone], { env: cleanEnv(), stdio: 'pipe' });
    const { status, report, stderr } = scanJson(r, ['--history'], harden(r), clone);
    expect(stderr).toBe('');
    expect(status).toBe(1);
    expect(report.findings.map((f) => [f.file, f.commit])).toEqual([['app.py', commit]]);
  });
});

describe('lockfiles are skipped only beside their manifest', () => {
  test.each(ALL_MODES)('package-lock.json without package.json is scanned; with one beside it, it is not (%s)', (mode) => {
    const key = openaiKey(`lock-${mode}`);
    const { status, report } = runMode(mode, (r) => {
      r.write('package-lock.json', `{"token": "${key}"}\n`);
      r.write('web/package.json', '{}\n');
      r.write('web/package-lock.json', `{"token": "${key}"}\n`);
      r.write('ruby/Gemfile.lock', `  token ${key}\n`);
    });
    expect(status).toBe(1);
    expect(report.findings.map((f) => f.file).sort()).toEqual(['package-lock.json', 'ruby/Gemfile.lock']);
  });
});

describe('nothing unread passes as clean', () => {
  test('an unreadable file makes the scan exit 2, naming the file', () => {
    const dir = makeTempDir('leakguard-unreadable-');
    writeFileSync(path.join(dir, 'ok.txt'), 'nothing here\n');
    const locked = path.join(dir, 'locked.txt');
    writeFileSync(locked, 'secret stuff\n');
    chmodSync(locked, 0o000);
    chmodSync(dir, 0o755);
    // As root, permissions do not stop a read: run the CLI as an unprivileged user then.
    const asUser = process.getuid?.() === 0 ? { uid: 65534, gid: 65534 } : {};
    const result = spawnSync(process.execPath, [CLI, 'scan', '.'], { cwd: dir, env: cleanEnv(), encoding: 'utf8', ...asUser });
    expect(result.status).toBe(2);
    expect(result.stdout + result.stderr).toContain('locked.txt');
  });
});
