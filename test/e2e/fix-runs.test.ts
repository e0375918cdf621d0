/**
 * After the fix, the program runs (issue 15 item 1): the rewritten program is run
 * the way the fix's output says, and must receive the same key value it had
 * before the fix. Values are compared as SHA-256 hashes; a key is never printed.
 */
import { describe, expect, it } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { openaiKey } from '../helpers/keys.js';
import { cleanEnv, tempRepos, type TempRepo } from '../helpers/repo.js';

const newRepo = tempRepos();
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/** A python3 that can import python-dotenv (the Debian package python3-dotenv), or why there is none. */
function findPython(): { python?: string; dotenv?: string; missing?: string } {
  const candidates = ['python3', '/usr/bin/python3'];
  const present = candidates.filter((p) => spawnSync(p, ['--version']).status === 0);
  if (present.length === 0) return { missing: 'python3 is not installed' };
  const withDotenv = present.find((p) => spawnSync(p, ['-c', 'import dotenv']).status === 0);
  return { python: present[0], dotenv: withDotenv };
}
const PY = findPython();
const itPython = PY.python ? it : it.skip;
const pythonNote = PY.python ? '' : ` [skipped: ${PY.missing}]`;

/** Runs a command line in the repository, with no key in the environment. */
function sh(repo: TempRepo, command: string, extraPath?: string) {
  const env = cleanEnv();
  delete env.OPENAI_API_KEY;
  if (extraPath) env.PATH = `${extraPath}:${env.PATH}`;
  const result = spawnSync('sh', ['-c', command], { cwd: repo.root, env, encoding: 'utf8', timeout: 30_000 });
  return { status: result.status, stdout: result.stdout.trim(), stderr: result.stderr };
}

/** The command the fix printed under "Run it with:". */
function documentedCommand(stdout: string): string {
  const lines = stdout.split('\n');
  const at = lines.findIndex((line) => line.endsWith('Run it with:'));
  expect(at).toBeGreaterThanOrEqual(0);
  return lines[at + 1]!.trim();
}

function fixAndCommit(repo: TempRepo) {
  const fixed = repo.cli(['fix', '--yes']);
  expect({ status: fixed.status, stderr: fixed.stderr }).toEqual({ status: 0, stderr: '' });
  repo.git('commit', '-q', '-m', 'app');
  expect(repo.git('log', '-p')).not.toContain(KEY);
  return fixed.stdout;
}

const KEY = openaiKey('fix-runs');
const PY_APP = `import hashlib\napi_key = '${KEY}'\nprint(hashlib.sha256(api_key.encode()).hexdigest())\n`;
const JS_APP = `const { createHash } = require('node:crypto');\nconst apiKey = '${KEY}';\nconsole.log(createHash('sha256').update(apiKey).digest('hex'));\n`;

describe('Python', () => {
  itPython(`python-dotenv in requirements.txt: the fix adds load_dotenv(), and \`python3 app.py\` gets the same key${pythonNote}`, () => {
    if (!PY.dotenv) throw new Error(`${PY.python} cannot import dotenv: install python-dotenv (Debian: apt-get install -y python3-dotenv)`);
    const repo = newRepo({ committed: true });
    repo.write('requirements.txt', 'requests==2.31.0\npython-dotenv>=1.0\n');
    repo.write('app.py', PY_APP);
    repo.git('add', 'requirements.txt', 'app.py');
    const before = sh(repo, `${PY.dotenv} app.py`);
    expect(before.stdout).toBe(sha256(KEY));

    const out = fixAndCommit(repo);

    expect(out).toContain('app.py: added `from dotenv import load_dotenv; load_dotenv()` (requirements.txt already has the loader)');
    expect(repo.git('show', 'HEAD:app.py')).toBe(
      'import os\nfrom dotenv import load_dotenv\nload_dotenv()\nimport hashlib\napi_key = os.getenv("OPENAI_API_KEY")\nprint(hashlib.sha256(api_key.encode()).hexdigest())\n',
    );
    expect(sh(repo, `${PY.dotenv} app.py`)).toMatchObject({ status: 0, stdout: sha256(KEY) });
  });

  itPython(`no loader: the printed command runs app.py with the same key${pythonNote}`, () => {
    const repo = newRepo({ committed: true });
    repo.write('app.py', PY_APP);
    repo.git('add', 'app.py');
    const out = fixAndCommit(repo);
    const command = documentedCommand(out);
    expect(command).toBe('set -a; . ./.env; set +a; python3 app.py');
    expect(sh(repo, `${PY.python} app.py`).stdout).not.toBe(sha256(KEY)); // without .env it really lacks the key
    // `python3` as printed, resolved to the interpreter this test found.
    const python = PY.python!.startsWith('/') ? PY.python!.slice(0, PY.python!.lastIndexOf('/')) : undefined;
    expect(sh(repo, command, python)).toMatchObject({ status: 0, stdout: sha256(KEY) });
    // The other way it names is spelled out for this file too, and works where python-dotenv[cli] is installed.
    const other = /`(python3 -m dotenv run -- python3 app\.py)`/.exec(out)?.[1];
    expect(other).toBeDefined();
    if (PY.dotenv && spawnSync(PY.dotenv, ['-m', 'dotenv', '--help']).status === 0) {
      expect(sh(repo, other!, python)).toMatchObject({ status: 0, stdout: sha256(KEY) });
    }
  });
});

describe('Node', () => {
  it('no loader: `node --env-file=.env app.js`, as printed, gets the same key', () => {
    const repo = newRepo({ committed: true });
    repo.write('app.js', JS_APP);
    repo.git('add', 'app.js');
    expect(sh(repo, 'node app.js').stdout).toBe(sha256(KEY));
    const out = fixAndCommit(repo);
    const command = documentedCommand(out);
    expect(command).toBe('node --env-file=.env app.js');
    expect(sh(repo, command)).toMatchObject({ status: 0, stdout: sha256(KEY) });
  });

  it('dotenv in package.json: the fix adds require("dotenv").config() and the file still parses', () => {
    const repo = newRepo({ committed: true });
    repo.write('package.json', JSON.stringify({ name: 'demo', dependencies: { dotenv: '^16.0.0' } }));
    repo.write('app.js', JS_APP);
    repo.git('add', 'package.json', 'app.js');
    const out = fixAndCommit(repo);
    expect(out).toContain("app.js: added `require('dotenv').config();` (package.json already has the loader)");
    const app = repo.git('show', 'HEAD:app.js');
    expect(app.split('\n').slice(0, 3)).toEqual([
      "require('dotenv').config();",
      "const { createHash } = require('node:crypto');",
      'const apiKey = process.env.OPENAI_API_KEY;',
    ]);
    expect(sh(repo, 'node --check app.js').status).toBe(0);
  });

  it('an ES module project gets `import "dotenv/config"` first', () => {
    const repo = newRepo({ committed: true });
    repo.write('package.json', JSON.stringify({ name: 'demo', type: 'module', dependencies: { dotenv: '^16.0.0' } }));
    repo.write(
      'app.js',
      `import { createHash } from 'node:crypto';\nconst apiKey = '${KEY}';\nconsole.log(createHash('sha256').update(apiKey).digest('hex'));\n`,
    );
    repo.git('add', 'package.json', 'app.js');
    fixAndCommit(repo);
    expect(repo.git('show', 'HEAD:app.js').split('\n')[0]).toBe("import 'dotenv/config';");
  });
});

describe('compose', () => {
  it('docker compose reads ${NAME} from .env: nothing to add, and the output says so', () => {
    const repo = newRepo({ committed: true });
    repo.write('docker-compose.yml', `services:\n  app:\n    image: demo\n    environment:\n      OPENAI_API_KEY: "${KEY}"\n`);
    repo.git('add', 'docker-compose.yml');
    const out = fixAndCommit(repo);
    expect(out).toContain('docker-compose.yml: docker compose fills ${NAME} from the .env beside it; nothing to add');
    expect(repo.git('show', 'HEAD:docker-compose.yml')).toContain('OPENAI_API_KEY: "${OPENAI_API_KEY}"');
  });
});
