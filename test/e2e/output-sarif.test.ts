import { describe, expect, test } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { CLI, cleanEnv, PROJECT_ROOT, tempRepos } from '../helpers/repo.js';
import { openaiKey } from '../helpers/keys.js';
import { sarifValidator } from '../helpers/sarif.js';

/**
 * `scan --output-sarif FILE`: one scan writes the chosen format (stdout or --output)
 * AND a SARIF file. A CI step under `bash -e` that ran two scans never reached the
 * second (the first exits 1 on findings), so code scanning got no report.
 */
const repo = tempRepos();
/** Compiling the SARIF schema takes seconds: once per file. */
let validator: ReturnType<typeof sarifValidator> | undefined;
const sarifValid = (log: unknown): unknown[] => {
  validator ??= sarifValidator();
  return validator(log) ? [] : (validator.errors ?? []);
};

interface SarifLog {
  runs: { results: { ruleId: string; message: { text: string }; partialFingerprints: Record<string, string> }[] }[];
}

function prWithKey(seed: string) {
  const r = repo({ committed: true });
  const base = r.git('rev-parse', 'HEAD').trim();
  const key = openaiKey(seed);
  r.write('app.py', `import openai\nopenai.api_key = "${key}"\n`);
  r.git('add', '-A');
  const head = r.commit('add app');
  return { r, base, head, key };
}

describe('scan --output-sarif', () => {
  test('one run under bash -e: exit 1, the annotations on stdout, and a valid SARIF file with the same finding', () => {
    const { r, base, head, key } = prWithKey('output-sarif');
    // The plain-steps CI snippet: `set -e`, one scan; the SARIF file must exist afterwards.
    const script = `set -e\n"${process.execPath}" "${CLI}" scan --range ${base}..${head} --format github --output-sarif f.sarif`;
    const run = spawnSync('bash', ['-c', script], { cwd: r.root, env: cleanEnv(), encoding: 'utf8' });
    expect(run.status).toBe(1);
    expect(run.stdout).toMatch(/^::error file=app\.py,line=2,/m);
    expect(run.stdout).not.toContain(key);
    const log = JSON.parse(readFileSync(path.join(r.root, 'f.sarif'), 'utf8')) as SarifLog;
    expect(sarifValid(log)).toEqual([]);
    expect(log.runs[0]!.results.map((x) => x.ruleId)).toEqual(['openai-project-api-key']);
    expect(readFileSync(path.join(r.root, 'f.sarif'), 'utf8')).not.toContain(key);
  });

  test('with --output: both files are written, nothing on stdout; a clean scan writes an empty SARIF run', () => {
    const { r, base, head } = prWithKey('output-both');
    const run = r.cli([
      'scan',
      '--range',
      `${base}..${head}`,
      '--format',
      'json',
      '--output',
      'report.json',
      '--output-sarif',
      'report.sarif',
    ]);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(1);
    expect(run.stdout).toBe('');
    const json = JSON.parse(readFileSync(path.join(r.root, 'report.json'), 'utf8')) as { findings: { fingerprint: string }[] };
    const sarif = JSON.parse(readFileSync(path.join(r.root, 'report.sarif'), 'utf8')) as SarifLog;
    expect(sarif.runs[0]!.results.map((x) => Object.values(x.partialFingerprints)[0])).toEqual(json.findings.map((f) => f.fingerprint));

    const clean = r.cli(['scan', '--range', `${base}..${base}`, '--output-sarif', 'clean.sarif']);
    expect(clean.status).toBe(0);
    expect((JSON.parse(readFileSync(path.join(r.root, 'clean.sarif'), 'utf8')) as SarifLog).runs[0]!.results).toEqual([]);
  });

  test('the same file for --output and --output-sarif is a usage error (exit 2), nothing written', () => {
    const { r, base, head } = prWithKey('output-same');
    const run = r.cli(['scan', '--range', `${base}..${head}`, '--format', 'json', '--output', 'x.json', '--output-sarif', './x.json']);
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/^leakguard: error: .*--output-sarif/);
    expect(existsSync(path.join(r.root, 'x.json'))).toBe(false);
  });

  test('--output-sarif in a missing folder: one line naming the option and the folder, exit 2, before scanning', () => {
    const { r, base, head } = prWithKey('output-sarif-missing');
    const run = r.cli(['scan', '--range', `${base}..${head}`, '--format', 'github', '--output-sarif', 'reports/leakguard.sarif']);
    expect(run.status).toBe(2);
    expect(run.stderr).toBe(
      'leakguard: error: --output-sarif reports/leakguard.sarif: the folder reports does not exist; create it first or choose another path\n',
    );
    // Said before the scan: no annotations were printed for a run that cannot write its SARIF file.
    expect(run.stdout).toBe('');
  });

  test('--output-sarif under a file (not a folder) names --output-sarif, not --output', () => {
    const { r } = prWithKey('output-sarif-file-as-folder');
    r.write('reports', 'a file, not a folder\n');
    const run = r.cli(['scan', 'app.py', '--output-sarif', 'reports/leakguard.sarif']);
    expect(run.status).toBe(2);
    expect(run.stderr.trim().split('\n')).toEqual([
      expect.stringMatching(/^leakguard: error: --output-sarif reports\/leakguard\.sarif: the folder reports /),
    ]);
  });
});

describe('action.yml', () => {
  const action = parseYaml(readFileSync(path.join(PROJECT_ROOT, 'action.yml'), 'utf8')) as {
    runs: { steps: { id?: string; run?: string }[] };
  };
  const scanStep = action.runs.steps.find((s) => s.id === 'scan')!;

  test('the scan step runs leakguard once', () => {
    expect(scanStep.run!.match(/\$LEAKGUARD scan/g)).toHaveLength(1);
  });

  test("the scan step's script, run as GitHub runs it (bash -e): annotations, SARIF file, outputs", () => {
    const { r, base, head, key } = prWithKey('action');
    const outputs = path.join(r.root, '..', `${path.basename(r.root)}-github-output`);
    const run = spawnSync('bash', ['--noprofile', '--norc', '-eo', 'pipefail', '-c', scanStep.run!], {
      cwd: r.root,
      encoding: 'utf8',
      env: cleanEnv({
        LEAKGUARD: `${process.execPath} ${CLI}`,
        GITHUB_OUTPUT: outputs,
        SARIF_FILE: 'leakguard.sarif',
        EVENT_NAME: 'pull_request',
        PR_BASE: base,
        PR_HEAD: head,
        INPUT_FAIL_ON: 'any',
      }),
    });
    try {
      expect(run.status).toBe(0);
      expect(run.stdout).toMatch(/^::error file=app\.py,line=2,/m);
      expect(run.stdout + run.stderr).not.toContain(key);
      const written = Object.fromEntries(
        readFileSync(outputs, 'utf8')
          .trim()
          .split('\n')
          .map((line) => line.split('=') as [string, string]),
      );
      expect(written).toEqual({ 'exit-code': '1', 'sarif-file': 'leakguard.sarif', findings: '1' });
      expect(sarifValid(JSON.parse(readFileSync(path.join(r.root, 'leakguard.sarif'), 'utf8')))).toEqual([]);
    } finally {
      spawnSync('rm', ['-f', outputs]);
    }
  });
});
