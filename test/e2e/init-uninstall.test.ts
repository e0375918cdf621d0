/**
 * `leakguard init` (a starter .leakguard.json with a $schema, then the offer to
 * install the hooks) and `leakguard uninstall` (exactly what install added goes).
 * Real repositories, the built CLI, real `git commit`s through the hooks.
 */
import { describe, expect, test } from '@jest/globals';
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Ajv } from 'ajv';
import { jsoncToJson } from '../../src/config/jsonc.js';
import { parseConfig } from '../../src/config/load-config.js';
import {
  asInstalledPackage,
  CLI,
  cleanEnv,
  commitThroughHooks,
  makeTempDir,
  PROJECT_ROOT,
  runCli,
  tempRepos,
  type TempRepo,
} from '../helpers/repo.js';
import { openaiKey } from '../helpers/keys.js';

const repo = tempRepos();

/** A repository where `leakguard` resolves to the built CLI and the package sits in node_modules, as after `npm i -D leakguard`. */
const projectRepo = (): TempRepo => asInstalledPackage(repo({ committed: true }));

const read = (file: string) => readFileSync(file, 'utf8');
const schema = () => JSON.parse(read(path.join(PROJECT_ROOT, 'schema/leakguard.schema.json'))) as object;

const commit = (r: TempRepo) => commitThroughHooks(r);

describe('leakguard init', () => {
  test('writes a commented .leakguard.json whose $schema resolves to the published schema and which it validates against', async () => {
    const r = projectRepo();
    const result = r.cli(['init']);
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('wrote .leakguard.json');
    const text = read(path.join(r.root, '.leakguard.json'));
    expect(text).toMatch(/^\/\/ /m);
    const config = JSON.parse(jsoncToJson(text)) as { $schema: string };
    const schemaFile = path.resolve(r.root, config.$schema);
    expect(existsSync(schemaFile)).toBe(true);
    const validate = new Ajv({ strict: false }).compile(JSON.parse(read(schemaFile)) as object);
    expect(validate(config)).toBe(true);
    await expect(parseConfig(text, '.leakguard.json')).resolves.toBeDefined();
    // It is used as it is: a scan with it runs clean, and the file itself holds nothing key-shaped.
    r.git('add', '.leakguard.json');
    const scan = r.cli(['scan']);
    expect(scan.stderr).toBe('');
    expect(scan.status).toBe(0);
  });

  test('without a terminal it prints the install command and installs nothing', () => {
    const r = projectRepo();
    const result = r.cli(['init']);
    expect(result.stdout).toContain('npx leakguard install');
    expect(existsSync(path.join(r.root, '.git/hooks/pre-commit'))).toBe(false);
    const yes = projectRepo().cli(['init', '--yes']);
    expect(yes.status).toBe(0);
    expect(yes.stdout).toContain('npx leakguard install');
  });

  test('an existing .leakguard.json is never overwritten (exit 2, one line)', () => {
    const r = projectRepo();
    r.write('.leakguard.json', '{"skipLockfiles": false}\n');
    const result = r.cli(['init']);
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(
      /^leakguard: error: \.leakguard\.json already exists; edit it, or delete it and run `leakguard init` again\n$/,
    );
    expect(read(path.join(r.root, '.leakguard.json'))).toBe('{"skipLockfiles": false}\n');
  });

  test('from a subfolder the file goes to the repository root', () => {
    const r = projectRepo();
    mkdirSync(path.join(r.root, 'src/deep'), { recursive: true });
    expect(r.cli(['init'], { cwd: path.join(r.root, 'src/deep') }).status).toBe(0);
    expect(existsSync(path.join(r.root, '.leakguard.json'))).toBe(true);
  });

  test('outside a repository it writes the file and says the hooks need `git init`', () => {
    const dir = makeTempDir();
    const result = runCli(['init'], { cwd: dir });
    expect(result.status).toBe(0);
    expect(existsSync(path.join(dir, '.leakguard.json'))).toBe(true);
    expect(result.stdout).toContain('git init');
  });

  test('on a terminal it asks, and "y" installs the hooks, which then block a key', async () => {
    const r = projectRepo();
    const screen = await new Promise<string>((resolve, reject) => {
      const child = spawn('script', ['-qefc', `"${process.execPath}" "${CLI}" init`, '/dev/null'], {
        cwd: r.root,
        env: cleanEnv({ TERM: 'dumb' }),
        stdio: ['pipe', 'pipe', 'pipe'],
      });
      let out = '';
      let answered = false;
      const timer = setTimeout(() => {
        child.kill('SIGKILL');
        reject(new Error(`timed out; screen so far:\n${out}`));
      }, 30_000);
      child.stdout.on('data', (chunk: Buffer) => {
        out += chunk.toString('utf8');
        if (!answered && out.includes('[Y/n]')) {
          answered = true;
          child.stdin.write('y\n');
        }
      });
      child.on('close', () => {
        clearTimeout(timer);
        child.stdin.destroy();
        resolve(out);
      });
    });
    expect(screen).toContain('pre-commit and pre-push hooks now?');
    expect(read(path.join(r.root, '.git/hooks/pre-commit'))).toContain('leakguard scan --staged');
    r.write('app.py', `openai.api_key = "${openaiKey('init-pty')}"\n`);
    r.git('add', 'app.py');
    expect(commit(r).status).not.toBe(0);
  });
});

describe('the published schema', () => {
  test('is in the package files and agrees with the config loader on its fields', async () => {
    const pkg = JSON.parse(read(path.join(PROJECT_ROOT, 'package.json'))) as { files: string[] };
    expect(pkg.files).toContain('schema/');
    const s = schema() as { properties: Record<string, unknown> };
    let message = '';
    try {
      await parseConfig('{"notAField": 1}', 'c.json');
    } catch (error) {
      message = (error as Error).message;
    }
    const known = /expected one of: ([^)]*)\)/.exec(message)![1]!.split(', ');
    expect(Object.keys(s.properties).sort()).toEqual([...known].sort());
  });

  test('accepts what the loader accepts and refuses what it refuses', async () => {
    const validate = new Ajv({ strict: false }).compile(schema());
    const good = [
      {
        allowlist: { paths: ['test/fixtures/**'], regexes: ['^sk-proj-docs'], stopwords: ['notarealkey'] },
        disabledRules: ['generic-secret'],
        skipLockfiles: true,
      },
      {
        rules: [
          {
            id: 'acme-token',
            description: 'ACME',
            regex: '(?<secret>acme_[A-Za-z0-9]{32})',
            keywords: ['acme_'],
            entropy: 3.5,
            envVar: 'ACME_TOKEN',
          },
        ],
      },
      { verify: { hook: true, forkPullRequests: false } },
      { verify: true },
    ];
    for (const config of good) {
      await expect(parseConfig(JSON.stringify(config), 'c.json')).resolves.toBeDefined();
      expect(validate(config)).toBe(true);
    }
    const bad = [
      { skipLockfiles: 'yes' },
      { allowlist: { path: [] } },
      { rules: [{ regex: '(?<secret>x)' }] },
      { rules: [{ id: 'a', regex: 'no-group' }] },
      { verify: { always: true } },
      { extra: 1 },
    ];
    for (const config of bad) {
      await expect(parseConfig(JSON.stringify(config), 'c.json')).rejects.toThrow();
      expect(validate(config)).toBe(false);
    }
  });
});

describe('leakguard uninstall', () => {
  test('removes exactly what install added to existing hooks, and the hooks it created', () => {
    const r = projectRepo();
    const hooks = path.join(r.root, '.git/hooks');
    mkdirSync(hooks, { recursive: true });
    const userHook = '#!/bin/sh\n# my checks\necho "checked"\nexit 0\n';
    writeFileSync(path.join(hooks, 'pre-commit'), userHook);
    chmodSync(path.join(hooks, 'pre-commit'), 0o755);
    expect(r.cli(['install']).status).toBe(0);
    expect(read(path.join(hooks, 'pre-commit'))).not.toBe(userHook);
    expect(existsSync(path.join(hooks, 'pre-push'))).toBe(true);

    const result = r.cli(['uninstall']);
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('removed leakguard from the pre-commit hook');
    expect(result.stdout).toContain('deleted the pre-push hook');
    expect(read(path.join(hooks, 'pre-commit'))).toBe(userHook);
    expect(existsSync(path.join(hooks, 'pre-push'))).toBe(false);

    // The commit of a key now goes through: nothing of leakguard is left in the hook.
    r.write('app.py', `openai.api_key = "${openaiKey('uninstalled')}"\n`);
    r.git('add', 'app.py');
    const committed = commit(r);
    expect(committed.stdout + committed.stderr).toContain('checked');
    expect(committed.status).toBe(0);
    expect(r.cli(['uninstall']).stdout).toContain('nothing to remove');
  });

  test("husky: removes the blocks, keeps the user's commands, deletes a file only install created", () => {
    const r = projectRepo();
    r.write('.husky/pre-commit', 'npm test\n');
    expect(r.cli(['install']).status).toBe(0);
    expect(read(path.join(r.root, '.husky/pre-commit'))).toContain('leakguard scan --staged');
    expect(r.cli(['uninstall']).status).toBe(0);
    expect(read(path.join(r.root, '.husky/pre-commit'))).toBe('npm test\n');
    expect(existsSync(path.join(r.root, '.husky/pre-push'))).toBe(false);
  });

  test('a hook file with only a shebang that the user wrote is kept', () => {
    const r = projectRepo();
    r.write('.husky/pre-push', '#!/bin/sh\n');
    expect(r.cli(['install']).status).toBe(0);
    expect(r.cli(['uninstall']).status).toBe(0);
    expect(read(path.join(r.root, '.husky/pre-push'))).toBe('#!/bin/sh\n');
  });

  test('with a core.hooksPath shared by other repositories: removes exactly what install added, the shared hooks run again', () => {
    const shared = makeTempDir('leakguard-shared-hooks-');
    const traces = makeTempDir('leakguard-traces-');
    writeFileSync(path.join(shared, 'pre-commit'), `#!/bin/sh\necho ran >> "${traces}/pre-commit"\n`);
    chmodSync(path.join(shared, 'pre-commit'), 0o755);
    // A shared hook leakguard does not use: install forwards it from this repository's folder.
    writeFileSync(path.join(shared, 'commit-msg'), '#!/bin/sh\nexit 0\n');
    chmodSync(path.join(shared, 'commit-msg'), 0o755);
    const config = path.join(makeTempDir('leakguard-gitconfig-'), 'gitconfig');
    writeFileSync(config, `[core]\n\thooksPath = ${shared}\n`);
    const env = { GIT_CONFIG_GLOBAL: config };
    /** Every path under dir, with the content of its files. */
    const snapshot = (dir: string) =>
      (readdirSync(dir, { recursive: true }) as string[])
        .sort()
        .map((name) => (statSync(path.join(dir, name)).isFile() ? `${name}:${read(path.join(dir, name))}` : `${name}/`))
        .join('\n');
    const r = projectRepo();
    const localConfig = () => read(path.join(r.root, '.git/config'));
    const hooksDir = () =>
      spawnSync('git', ['rev-parse', '--git-path', 'hooks'], { cwd: r.root, env: cleanEnv(env), encoding: 'utf8' }).stdout.trim();
    const before = { shared: snapshot(shared), config: localConfig(), files: snapshot(path.join(r.root, '.git')), hooks: hooksDir() };
    expect(before.hooks).toBe(shared);

    expect(r.cli(['install'], { env }).status).toBe(0);
    expect(hooksDir()).not.toBe(shared);
    const uninstalled = r.cli(['uninstall'], { env });
    expect(uninstalled.status).toBe(0);

    // The shared folder was never touched; this repository's config and .git are as before install.
    expect(snapshot(shared)).toBe(before.shared);
    expect(localConfig()).toBe(before.config);
    expect(snapshot(path.join(r.root, '.git'))).toBe(before.files);
    expect(hooksDir()).toBe(shared);
    // A key commits again, through the shared hook alone.
    r.write('app.py', `openai.api_key = "${openaiKey('uninstalled-shared')}"\n`);
    r.git('add', 'app.py');
    const committed = spawnSync('git', ['commit', '-m', 'change'], {
      cwd: r.root,
      env: cleanEnv({ CI: 'true', ...env }),
      input: '',
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(committed.status).toBe(0);
    expect(read(path.join(traces, 'pre-commit'))).toBe('ran\n');
  });

  test('outside a repository it says it needs one', () => {
    const result = runCli(['uninstall'], { cwd: makeTempDir() });
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/^leakguard: error: not a git repository: leakguard uninstall needs one/);
  });
});
