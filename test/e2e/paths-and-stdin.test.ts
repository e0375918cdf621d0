import { describe, expect, test } from '@jest/globals';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { cliSession, findingsOf } from '../helpers/cli-session.js';

/** The built CLI in real temporary repositories: scan PATH (in a repository and in a plain folder) and --stdin. */
const { key, repo, tempDir, run, scanJson, commitFile, expectNoRawKeys } = cliSession('ci');

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
    expect(
      scanJson(root, ['.'])
        .findings.map((f) => f.file)
        .sort(),
    ).toEqual(['image.bin', 'src/deep dir/config.js', 'windows.ps1']);
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

expectNoRawKeys();
