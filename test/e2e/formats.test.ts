import { describe, expect, test } from '@jest/globals';
import { cliSession } from '../helpers/cli-session.js';
import type { TempRepo } from '../helpers/repo.js';
import { sarifValidator } from '../helpers/sarif.js';

/** The built CLI in real temporary repositories: the sarif and github report formats of the CLI. */
const { key, repo, run, scanJson, commitFile, expectNoRawKeys } = cliSession('ci');

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
      locations: [
        {
          physicalLocation: {
            artifactLocation: { uri: 'dir%20with%20space/app%20%231.py' },
            region: { startLine: 3, startColumn: 19, endLine: 3, endColumn: 19 + secret.length },
          },
        },
      ],
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

expectNoRawKeys();
