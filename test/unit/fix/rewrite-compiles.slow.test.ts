/**
 * The rewritten code still parses and compiles, or the fix refuses (issue 15
 * item 2). Each rewrite is checked by the real tool where the machine has it:
 * python3 -m py_compile, node --check, tsc (devDependency), javac and go when
 * installed (the test names say when they are skipped, and why).
 */
import { describe, expect, it } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { rewriteSecrets } from '../../../src/fix/rewrite/index.js';
import { openaiKey } from '../../helpers/keys.js';
import { PROJECT_ROOT } from '../../helpers/repo.js';

const KEY = openaiKey('compiles');
const NAME = 'OPENAI_API_KEY';
const withKey = (source: string) => source.replace(/(?<![A-Za-z0-9_])K(?![A-Za-z0-9_])/g, KEY);

function rewrite(path: string, source: string) {
  return rewriteSecrets(path, withKey(source), [{ secret: KEY, envVar: NAME }]);
}

function rewritten(path: string, source: string): string {
  const result = rewrite(path, source);
  if (!result.ok) throw new Error(`not rewritten: ${result.reason}`);
  expect(result.content).not.toContain(KEY);
  return result.content;
}

const has = (command: string, args: string[]) => spawnSync(command, args, { encoding: 'utf8' }).status === 0;
const tool = (command: string, args: string[]) => (has(command, args) ? '' : ` [skipped: ${command} is not installed]`);
const PYTHON = tool('python3', ['--version']);
const JAVAC = tool('javac', ['-version']);
const GO = tool('go', ['version']);
const TSC = join(PROJECT_ROOT, 'node_modules', '.bin', 'tsc');

/** Writes files into a temp folder, runs the tool there, and returns its exit status and output. */
function check(files: Record<string, string>, command: string, args: string[]) {
  const dir = mkdtempSync(join(tmpdir(), 'lg-compile-'));
  try {
    for (const [name, content] of Object.entries(files)) writeFileSync(join(dir, name), content);
    const result = spawnSync(command, args, { cwd: dir, encoding: 'utf8', timeout: 120_000 });
    return { status: result.status, output: `${result.stdout}${result.stderr}`.trim() };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('Python: py_compile', () => {
  (PYTHON ? it.skip : it).each([
    ['tutorial', "import openai\nopenai.api_key = 'K'\n"],
    ['docstring and __future__', '"""Doc."""\nfrom __future__ import annotations\nclient = Client(api_key=r"K")\n'],
    ['typographic quotes', 'KEY = \u2018K\u2019\n'],
  ])(`%s${PYTHON}`, (_, source) => {
    expect(check({ 'app.py': rewritten('app.py', source) }, 'python3', ['-m', 'py_compile', 'app.py'])).toEqual({ status: 0, output: '' });
  });

  it('refuses implicit concatenation, which would not parse', () => {
    expect(rewrite('app.py', "KEY = 'sk-' 'K'\n")).toMatchObject({ ok: false, reason: 'inside-longer-string' });
    expect(rewrite('app.py', "KEY = ('K'\n       'more')\n")).toMatchObject({ ok: true });
    expect(rewrite('app.py', "KEY = 'K' 'more'\n")).toMatchObject({ ok: false, reason: 'inside-longer-string' });
  });
});

describe('JavaScript: node --check', () => {
  it.each([
    ['app.js', "const OpenAI = require('openai');\nconst client = new OpenAI({ apiKey: 'K' });\n"],
    ['app.mjs', 'export const key = `K`;\nconst header = `Bearer K`;\n'],
  ])('%s', (file, source) => {
    expect(check({ [file]: rewritten(file, source) }, process.execPath, ['--check', file])).toEqual({ status: 0, output: '' });
  });
});

describe('TypeScript: tsc --strict', () => {
  it('a declared string type stays valid: process.env.X! (string | undefined would not compile)', () => {
    const source =
      "const apiKey: string = 'K';\nfunction use(k: string): number { return k.length; }\nexport const n: number = use(apiKey) + use('K');\n";
    const out = rewritten('app.ts', source);
    expect(out).toContain('process.env.OPENAI_API_KEY!');
    const args = [
      '--strict',
      '--noEmit',
      '--skipLibCheck',
      '--target',
      'es2022',
      '--types',
      'node',
      '--typeRoots',
      join(PROJECT_ROOT, 'node_modules', '@types'),
      'app.ts',
    ];
    expect(check({ 'app.ts': out }, TSC, args)).toEqual({ status: 0, output: '' });
    // The same file with the plain JavaScript lookup is what tsc rejects.
    expect(check({ 'app.ts': out.replace(/!/g, '') }, TSC, args).status).not.toBe(0);
  });

  it('a JSX attribute gets braces', () => {
    const out = rewritten('App.tsx', 'export const App = () => <Chat apiKey="K" />;\n');
    expect(out).toBe('export const App = () => <Chat apiKey={process.env.OPENAI_API_KEY!} />;\n');
  });
});

describe('Java: javac', () => {
  (JAVAC ? it.skip : it)(`a plain field compiles with System.getenv${JAVAC}`, () => {
    const out = rewritten(
      'App.java',
      'public class App {\n  static final String KEY = "K";\n  public static void main(String[] a) { System.out.println(KEY.length()); }\n}\n',
    );
    expect(check({ 'App.java': out }, 'javac', ['App.java'])).toEqual({ status: 0, output: '' });
  });

  it(`a static final used in a switch or an annotation is refused (javac rejects the rewrite)${JAVAC}`, () => {
    const inSwitch =
      'public class App {\n  static final String KEY = "K";\n  static int f(String s) { switch (s) { case KEY: return 1; default: return 0; } }\n}\n';
    const inAnnotation = 'public class App {\n  static final String KEY = "K";\n  @SuppressWarnings(KEY) void f() {}\n}\n';
    const inCase = 'public class App {\n  static int f(String s) { switch (s) { case "K": return 1; default: return 0; } }\n}\n';
    for (const source of [inSwitch, inAnnotation, inCase]) {
      expect(rewrite('App.java', source)).toMatchObject({ ok: false, reason: 'switch-or-annotation-constant' });
    }
    if (JAVAC) return;
    // What a naive rewrite would produce really does not compile.
    const naive = withKey(inSwitch).replace(`"${KEY}"`, 'System.getenv("OPENAI_API_KEY")');
    expect(check({ 'App.java': naive }, 'javac', ['App.java']).status).not.toBe(0);
  });
});

describe('Go: go vet', () => {
  (GO ? it.skip : it)(`a var compiles with os.Getenv${GO}`, () => {
    const out = rewritten('main.go', 'package main\n\nimport "fmt"\n\nvar key = "K"\n\nfunc main() { fmt.Println(len(key)) }\n');
    expect(check({ 'main.go': out, 'go.mod': 'module demo\n\ngo 1.20\n' }, 'go', ['vet', '.'])).toEqual({ status: 0, output: '' });
  });

  it('a const is refused: os.Getenv is not a constant', () => {
    expect(rewrite('main.go', 'package main\n\nconst key = "K"\n')).toMatchObject({ ok: false, reason: 'constant-declaration' });
    expect(rewrite('main.go', 'package main\n\nconst (\n\tkey = "K"\n)\n')).toMatchObject({ ok: false, reason: 'constant-declaration' });
    expect(rewrite('Program.cs', 'class P { const string Key = "K"; }\n')).toMatchObject({ ok: false, reason: 'constant-declaration' });
  });
});

describe('YAML and Dockerfile: only what the tool expands', () => {
  it('compose keeps ${NAME} (compose fills it from .env); Kubernetes and other YAML are refused', () => {
    expect(rewritten('docker-compose.yml', 'services:\n  app:\n    environment:\n      OPENAI_API_KEY: K\n')).toContain(
      '${OPENAI_API_KEY}',
    );
    expect(rewrite('k8s/deployment.yaml', 'env:\n  - name: OPENAI_API_KEY\n    value: "K"\n')).toMatchObject({
      ok: false,
      reason: 'yaml-no-expansion',
    });
    expect(rewrite('config.yml', 'openai:\n  key: K\n')).toMatchObject({ ok: false, reason: 'yaml-no-expansion' });
  });

  it('ENV NAME=<key> loses its value; never ENV NAME="${NAME}", which is empty at build', () => {
    expect(rewritten('Dockerfile', 'FROM node\nENV OPENAI_API_KEY=K\nCMD ["node", "app.js"]\n')).toBe(
      'FROM node\nCMD ["node", "app.js"]\n',
    );
    expect(rewritten('Dockerfile', 'FROM node\nENV PORT=80 OPENAI_API_KEY="K"\n')).toBe('FROM node\nENV PORT=80\n');
    expect(rewritten('Dockerfile', 'FROM node\nENV OPENAI_API_KEY K\n')).toBe('FROM node\n');
    expect(rewritten('Dockerfile', 'FROM node\nARG OPENAI_API_KEY=K\n')).toBe('FROM node\nARG OPENAI_API_KEY\n');
  });

  it('a key used at build time (RUN) or under another name is refused with how to do it', () => {
    expect(rewrite('Dockerfile', 'FROM node\nRUN curl -H "Authorization: Bearer K" x\n')).toMatchObject({
      ok: false,
      reason: 'dockerfile-build-time',
    });
    expect(rewrite('Dockerfile', 'FROM node\nENV API_KEY=K\n')).toMatchObject({ ok: false, reason: 'dockerfile-build-time' });
  });
});
