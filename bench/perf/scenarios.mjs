// Builders of the benchmark scenarios: each returns a temp repository ready to scan.
import { spawnSync } from 'node:child_process';
import { writeFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { codeLines, git, newRepo, rng, syntheticKeys, writeFile, cleanEnv, randomString, tempDir } from './lib.mjs';

/** Puts `keys` into some of `files` (as assignments, the way they leak). */
function plantKeys(files, keys) {
  keys.forEach((key, i) => {
    const file = files[(i * 3) % files.length];
    file.lines.splice(Math.min(7 + i, file.lines.length), 0, `const ${key.name.toLowerCase()} = "${key.value}";`);
  });
}

/** 10 staged files, ~500 added lines, a few keys. */
export function typicalCommit({ keys = true } = {}) {
  const root = newRepo('typical');
  const r = rng(10);
  const files = Array.from({ length: 10 }, (_, i) => ({ name: `src/module${i}.ts`, lines: codeLines(r, keys ? 50 : 50) }));
  if (keys) {
    plantKeys(files, syntheticKeys(7));
    // Keep it at 500 added lines.
    for (let i = 0; i < 3; i++) files[(i * 3) % files.length].lines.pop();
  }
  for (const f of files) writeFile(root, f.name, `${f.lines.join('\n')}\n`);
  git(root, 'add', '-A');
  return root;
}

/** Short lines of code, ~33 bytes on average. */
function shortLines(r, count) {
  const words = ['a', 'b', 'id', 'x', 'name', 'value', 'count', 'item', 'next', 'ok', 'data', 'list'];
  const out = [];
  for (let i = 0; i < count; i++) {
    const w = words[r.int(words.length)];
    const v = words[r.int(words.length)];
    switch (r.int(3)) {
      case 0:
        out.push(`  const ${w}${i} = ${v}(${r.int(1000)});`);
        break;
      case 1:
        out.push(`  if (${w}) return ${v}.${w}${r.int(99)};`);
        break;
      default:
        out.push(`  ${w}.push("${v}-${r.int(1e5)}");`);
    }
  }
  return out;
}

/** 500 staged files, 90,000 added lines (≈3 MB of diff), a few keys. */
export function largeCommit() {
  const root = newRepo('large');
  const r = rng(500);
  const files = Array.from({ length: 500 }, (_, i) => ({ name: `pkg${i % 20}/file${i}.js`, lines: shortLines(r, 180) }));
  plantKeys(files, syntheticKeys(8));
  for (const f of files) writeFile(root, f.name, `${f.lines.join('\n')}\n`);
  git(root, 'add', '-A');
  return root;
}

/**
 * One 50 MB generated file made of 1 MB lines, the way minified bundles look:
 * identifiers, punctuation, strings, base64 runs, and now and then a rule keyword
 * ("token", "key", "secret", "api", "password"), so that rules do run on these lines.
 * `keywordEvery`: about one keyword per that many bytes.
 */
export function hugeFile({ megabytes = 50, lineBytes = 1 << 20, keywordEvery = 2000 } = {}) {
  const root = newRepo('huge');
  const r = rng(50);
  const code = [
    'function(e,t){return e.',
    'var n=',
    ';',
    ',',
    'if(n){r()}',
    'return t&&',
    'a.b.c(',
    '}',
    '{',
    '(',
    ')',
    '"use strict"',
    'this.',
    'new Map',
    '=>',
    '&&',
    '||',
    'void 0',
    'null',
    '!0',
    '.prototype.',
  ];
  const keywords = ['token', 'key', 'secret', 'api_key', 'password', 'authorization', 'bearer', 'client_secret'];
  const alnum = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  // One 2 MB base; each line is a 1 MB window of it at its own offset.
  let base = '';
  let nextKeyword = keywordEvery;
  while (base.length < lineBytes * 2) {
    base += code[r.int(code.length)];
    base += randomString(r, alnum, 2 + r.int(r.int(8) === 0 ? 40 : 8));
    if (base.length >= nextKeyword) {
      base += `${keywords[r.int(keywords.length)]}:"${randomString(r, alnum, 8 + r.int(30))}"`;
      nextKeyword += keywordEvery / 2 + r.int(keywordEvery);
    }
  }
  const fd = path.join(root, 'generated', 'bundle.min.js');
  mkdirSync(path.dirname(fd), { recursive: true });
  const lines = [];
  for (let i = 0; i < megabytes; i++) {
    const start = r.int(lineBytes);
    lines.push(base.slice(start, start + lineBytes - 1));
  }
  writeFileSync(fd, `${lines.join('\n')}\n`);
  git(root, 'add', '-A');
  return { root, bytes: megabytes * lineBytes };
}

/** A checkout of 5,000 files, 40 MB in all (8 KB each), committed. */
export function workingTree({ files = 5000, bytes = 40e6 } = {}) {
  const root = newRepo('tree');
  const r = rng(5000);
  const perFile = Math.floor(bytes / files);
  const pool = codeLines(r, 4000).join('\n');
  for (let i = 0; i < files; i++) {
    const start = r.int(pool.length - perFile - 1);
    writeFile(root, `dir${i % 50}/sub${i % 7}/file${i}.ts`, pool.slice(start, start + perFile));
  }
  const keys = syntheticKeys(9);
  keys.forEach((k, i) => writeFile(root, `config/settings${i}.ts`, `export const ${k.name} = "${k.value}";\n`));
  git(root, 'add', '-A');
  git(root, 'commit', '-q', '-m', 'tree');
  return { root, bytes: files * perFile };
}

/**
 * A synthetic history of `commits` commits (git fast-import: seconds, not minutes),
 * each changing a few files of a 300-file project, with a few keys added on the way.
 */
export function syntheticHistory({ commits = 3000 } = {}) {
  const root = newRepo('history');
  const r = rng(3000);
  const keys = syntheticKeys(11);
  const contents = new Map();
  let stream = '';
  let mark = 1;
  const parentRef = git(root, 'rev-parse', 'HEAD').trim();
  for (let c = 0; c < commits; c++) {
    const changed = 1 + r.int(4);
    let ops = '';
    for (let k = 0; k < changed; k++) {
      const file = `src/area${r.int(30)}/file${r.int(300)}.ts`;
      const old = contents.get(file) ?? [];
      const lines = [...old];
      const added = codeLines(r, 5 + r.int(40));
      if (c % 700 === 350 && k === 0) added.push(`const key = "${keys[((c / 700) % keys.length) | 0].value}";`);
      lines.splice(r.int(lines.length + 1), 0, ...added);
      if (lines.length > 400) lines.splice(0, lines.length - 400);
      contents.set(file, lines);
      const body = `${lines.join('\n')}\n`;
      ops += `M 100644 inline ${file}\ndata ${Buffer.byteLength(body)}\n${body}\n`;
    }
    const msg = `change ${c}\n`;
    stream += `commit refs/heads/main\nmark :${mark++}\ncommitter Bench <bench@example.com> ${1600000000 + c * 60} +0000\n`;
    stream += `data ${Buffer.byteLength(msg)}\n${msg}`;
    if (c === 0) stream += `from ${parentRef}\n`;
    stream += ops;
  }
  const result = spawnSync('git', ['fast-import', '--quiet', '--force'], { cwd: root, input: stream, env: cleanEnv(), maxBuffer: 1 << 30 });
  if (result.status !== 0) throw new Error(`fast-import failed: ${result.stderr}`);
  git(root, 'reset', '-q', '--hard', 'main');
  git(root, 'gc', '-q');
  return root;
}

/**
 * A push of 10 commits (each: 3 files, ~150 added lines of code, no key) on a
 * branch whose earlier history is on a bare "remote". Returns the repository and
 * the ref line git gives the pre-push hook on stdin.
 */
export function unpushedCommits({ commits = 10, history = 200 } = {}) {
  const root = newRepo('push');
  const remote = tempDir('push-remote');
  git(remote, 'init', '-q', '--bare', '-b', 'main');
  git(root, 'remote', 'add', 'origin', remote);
  const r = rng(20);
  for (let i = 0; i < history + commits; i++) {
    if (i === history) git(root, 'push', '-q', 'origin', 'main');
    for (let f = 0; f < 3; f++) writeFile(root, `src/part${(i * 3 + f) % 40}.ts`, `${codeLines(r, 50).join('\n')}\n`);
    git(root, 'add', '-A');
    git(root, 'commit', '-q', '--no-verify', '-m', `change ${i}`);
  }
  const local = git(root, 'rev-parse', 'HEAD').trim();
  const pushed = git(root, 'rev-parse', 'origin/main').trim();
  return { root, remote, input: `refs/heads/main ${local} refs/heads/main ${pushed}\n`, range: `${pushed}..${local}` };
}

/**
 * Many small commits (issue 17): `commits` commits, each changing 1–3 lines in 1–2
 * files of a 400-file project (the first commit adds the files, 12 lines each), a
 * key added now and then (every 2,500 commits). Built with git fast-import.
 */
export function smallCommitHistory({ commits = 20_000, files = 400 } = {}) {
  const root = newRepo('small-commits');
  const r = rng(17);
  const keys = syntheticKeys(17);
  const contents = [];
  let stream = '';
  const parentRef = git(root, 'rev-parse', 'HEAD').trim();
  const fileOp = (i) => {
    const body = `${contents[i].join('\n')}\n`;
    return `M 100644 inline src/part${i % 20}/file${i}.ts\ndata ${Buffer.byteLength(body)}\n${body}\n`;
  };
  const commit = (c, ops) => {
    const msg = `change ${c}\n`;
    stream += `commit refs/heads/main\ncommitter Bench <bench@example.com> ${1600000000 + c * 60} +0000\ndata ${Buffer.byteLength(msg)}\n${msg}`;
    if (c === 0) stream += `from ${parentRef}\n`;
    stream += ops;
  };
  let ops = '';
  for (let i = 0; i < files; i++) {
    contents.push(codeLines(r, 12));
    ops += fileOp(i);
  }
  commit(0, ops);
  for (let c = 1; c < commits; c++) {
    ops = '';
    const touched = 1 + r.int(2);
    for (let k = 0; k < touched; k++) {
      const i = r.int(files);
      const lines = contents[i];
      const changed = 1 + r.int(3);
      const fresh = codeLines(r, changed);
      if (c % 2500 === 1250 && k === 0) fresh[0] = `const key = "${keys[((c / 2500) | 0) % keys.length].value}";`;
      // Replace a line, or insert one (then drop the oldest, so files stay small).
      for (const line of fresh) {
        if (r.int(2) === 0) lines[r.int(lines.length)] = line;
        else {
          lines.splice(r.int(lines.length + 1), 0, line);
          if (lines.length > 24) lines.shift();
        }
      }
      ops += fileOp(i);
    }
    commit(c, ops);
  }
  const result = spawnSync('git', ['fast-import', '--quiet', '--force'], { cwd: root, input: stream, env: cleanEnv(), maxBuffer: 1 << 30 });
  if (result.status !== 0) throw new Error(`fast-import failed: ${result.stderr}`);
  git(root, 'reset', '-q', '--hard', 'main');
  git(root, 'gc', '-q');
  return root;
}
