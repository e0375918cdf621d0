// npm run docs:readme — the README's example outputs, from real runs.
// Runs the built CLI (bin/leakguard.cjs, as node_modules/.bin/leakguard of a temp
// project) in temp git repositories, with a bare repository in a temp folder as the
// remote, and rewrites each block between `<!-- example:NAME -->` and
// `<!-- /example -->` in README.md with the commands and what they printed
// (stdout and stderr together, as a terminal shows them; no terminal, so no prompt).
// Keys are synthetic (test/helpers/keys.ts) and appear redacted, as the real output
// shows them. Dates and temp paths are fixed so that a run is reproducible.
// `--check` writes nothing and exits 1 when README.md is out of date (the test runs that).
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadTs, ROOT } from './lib/load-ts.mjs';

const README = path.join(ROOT, 'README.md');
const CLI = path.join(ROOT, 'bin', 'leakguard.cjs');
const check = process.argv.includes('--check');
const { openaiKey } = await loadTs("export { openaiKey } from './test/helpers/keys.ts';");

const work = mkdtempSync(path.join(tmpdir(), 'leakguard-readme-'));
const env = { PATH: process.env.PATH, HOME: work, LANG: 'C.UTF-8', TMPDIR: process.env.TMPDIR ?? tmpdir() };
Object.assign(env, {
  GIT_CONFIG_NOSYSTEM: '1',
  GIT_CONFIG_GLOBAL: '/dev/null',
  GIT_AUTHOR_NAME: 'Ada',
  GIT_AUTHOR_EMAIL: 'ada@example.com',
  GIT_COMMITTER_NAME: 'Ada',
  GIT_COMMITTER_EMAIL: 'ada@example.com',
  GIT_AUTHOR_DATE: '2026-12-01T10:00:00Z',
  GIT_COMMITTER_DATE: '2026-12-01T10:00:00Z',
  NO_COLOR: '1',
  CI: 'true',
  LEAKGUARD_NO_CODE_CACHE: '1',
});

/** A project in work/NAME with leakguard in node_modules/.bin and its hooks installed; `remote`: a bare origin beside it. */
function project(name, { remote = false } = {}) {
  const dir = path.join(work, name, 'app');
  mkdirSync(path.join(dir, 'node_modules', '.bin'), { recursive: true });
  const bin = path.join(dir, 'node_modules', '.bin', 'leakguard');
  writeFileSync(bin, `#!/bin/sh\nexec "${process.execPath}" "${CLI}" "$@"\n`);
  chmodSync(bin, 0o755);
  const git = (...args) => execFileSync('git', args, { cwd: dir, env, stdio: 'pipe' }).toString();
  git('init', '-q', '-b', 'main');
  writeFileSync(path.join(dir, '.gitignore'), 'node_modules/\n');
  writeFileSync(path.join(dir, 'requirements.txt'), 'openai\npython-dotenv\n');
  git('add', '-A');
  git('commit', '-q', '-m', 'start');
  if (remote) {
    execFileSync('git', ['init', '-q', '--bare', '-b', 'main', path.join(work, name, 'origin.git')], { env, stdio: 'pipe' });
    git('remote', 'add', 'origin', '../origin.git');
    git('push', '-q', '-u', 'origin', 'main');
  }
  execFileSync(bin, ['install'], { cwd: dir, env, stdio: 'pipe' });
  return { dir, git };
}

/** Runs `command` (a shell line; `npx leakguard` is the project's leakguard) and returns it as a terminal shows it. */
function session(dir, commands) {
  let text = '';
  for (const command of commands) {
    const real = command.replace(/^npx leakguard/, './node_modules/.bin/leakguard');
    const result = spawnSync('sh', ['-c', `${real} 2>&1`], { cwd: dir, env, encoding: 'utf8' });
    text += `$ ${command}\n${normalize(result.stdout)}`;
    if (!text.endsWith('\n')) text += '\n';
    text += '\n';
  }
  return text.trimEnd();
}

/** Fixes what differs from run to run: the temp folder, backup times. */
function normalize(output) {
  return output
    .replace(new RegExp(`${work.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}/[a-z-]+/`, 'g'), '~/')
    .replace(/\b\d{8}T\d{6,9}Z\b/g, '<time>')
    .replace(/\b\d{4}-\d{2}-\d{2}T\d{2}-\d{2}-\d{2}(?:-\d+)?Z?\b/g, '<time>');
}

const app = (key) => `from openai import OpenAI\n\nclient = OpenAI(api_key="${key}")\nprint(client.models.list())\n`;

const examples = {};
try {
  {
    const { dir } = project('pasted');
    writeFileSync(path.join(dir, 'app.py'), app(openaiKey('readme-pasted')));
    execFileSync('git', ['add', 'app.py'], { cwd: dir, env });
    examples['pasted-key'] = session(dir, ['git commit -m "add app"', 'npx leakguard fix --yes', 'git commit -m "add app"']);
  }
  {
    const { dir } = project('no-verify', { remote: true });
    writeFileSync(path.join(dir, 'app.py'), app(openaiKey('readme-no-verify')));
    execFileSync('git', ['add', 'app.py'], { cwd: dir, env });
    examples['no-verify'] = session(dir, [
      'git commit -q --no-verify -m "add app"',
      'git push',
      'npx leakguard fix --unpushed --yes',
      'git push -q',
    ]);
  }
  {
    const { dir } = project('pushed', { remote: true });
    writeFileSync(path.join(dir, 'app.py'), app(openaiKey('readme-pushed')));
    execFileSync('git', ['add', 'app.py'], { cwd: dir, env });
    execFileSync('git', ['commit', '-q', '--no-verify', '-m', 'add app'], { cwd: dir, env });
    execFileSync('git', ['push', '-q', '--no-verify'], { cwd: dir, env });
    examples['pushed'] = session(dir, ['npx leakguard scan --history', 'npx leakguard fix --unpushed']);
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}

const readme = readFileSync(README, 'utf8');
const seen = new Set();
const next = readme.replace(/<!-- example:([a-z-]+) -->\n[\s\S]*?<!-- \/example -->/g, (_, name) => {
  if (!(name in examples)) throw new Error(`README.md names an example this script does not make: ${name}`);
  seen.add(name);
  return `<!-- example:${name} -->\n\`\`\`console\n${examples[name]}\n\`\`\`\n<!-- /example -->`;
});
const unused = Object.keys(examples).filter((name) => !seen.has(name));
if (unused.length) console.error(`leakguard docs:readme: README.md has no place for: ${unused.join(', ')}`);
if (check) {
  if (next !== readme) {
    console.error("leakguard docs:readme: README.md's examples are out of date: run `npm run docs:readme`");
    process.exitCode = 1;
  }
} else if (next !== readme) {
  writeFileSync(README, next);
  console.log('leakguard docs:readme: updated README.md');
} else {
  console.log('leakguard docs:readme: README.md is up to date');
}
if (process.argv.includes('--print')) for (const [name, text] of Object.entries(examples)) console.log(`=== ${name}\n${text}\n`);
