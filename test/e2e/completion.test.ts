/**
 * Shell completion (`leakguard completion`, yargs' script): the script bash is told
 * to source really completes, run the way bash runs it (COMP_WORDS, COMP_CWORD, the
 * completion function, COMPREPLY), with `leakguard` the built CLI.
 */
import { describe, expect, test } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { CLI, cleanEnv, makeTempDir, runCli } from '../helpers/repo.js';

/** What bash offers for the words typed so far (the last one is being completed). */
function complete(script: string, words: string[]): string[] {
  const program = [
    `leakguard() { "${process.execPath}" "${CLI}" "$@"; }`,
    script,
    `COMP_WORDS=(${words.map((w) => `'${w}'`).join(' ')})`,
    `COMP_CWORD=${words.length - 1}`,
    '_leakguard_yargs_completions',
    'printf "%s\\n" "${COMPREPLY[@]}"',
  ].join('\n');
  const run = spawnSync('bash', ['-c', program], {
    cwd: makeTempDir(),
    env: cleanEnv({ SHELL: '/bin/bash' }),
    encoding: 'utf8',
    timeout: 30_000,
  });
  expect(run.stderr).toBe('');
  return run.stdout.split('\n').filter(Boolean).sort();
}

describe('leakguard completion', () => {
  const bash = runCli(['completion'], { cwd: makeTempDir(), env: { SHELL: '/bin/bash' } });

  test('prints a bash script that registers itself for leakguard, exit 0', () => {
    expect(bash.status).toBe(0);
    expect(bash.stderr).toBe('');
    expect(bash.stdout).toMatch(/^complete .* leakguard$/m);
  });

  test('completes commands, and each command its own flags', () => {
    expect(complete(bash.stdout, ['leakguard', 'sc'])).toEqual(['scan']);
    expect(complete(bash.stdout, ['leakguard', 'un'])).toEqual(['uninstall']);
    expect(complete(bash.stdout, ['leakguard', 'scan', '--sta'])).toEqual(['--staged']);
    expect(complete(bash.stdout, ['leakguard', 'scan', '--f'])).toEqual(['--fail-on', '--format']);
    // `rules` has --format but no --fail-on; `fix` has --dry-run.
    expect(complete(bash.stdout, ['leakguard', 'rules', '--f'])).toEqual(['--format']);
    expect(complete(bash.stdout, ['leakguard', 'fix', '--dr'])).toEqual(['--dry-run']);
  }, 60_000);

  test('under zsh it prints the zsh script', () => {
    const zsh = runCli(['completion'], { cwd: makeTempDir(), env: { SHELL: '/usr/bin/zsh' } });
    expect(zsh.status).toBe(0);
    expect(zsh.stdout).toMatch(/^#compdef leakguard$/m);
  });
});
