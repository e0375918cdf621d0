import { describe, expect, test } from '@jest/globals';
import { InputError } from '../../../src/errors.js';
import { parsePrePushInput, revisionsToScan } from '../../../src/git/pre-push-input.js';

const A = 'a'.repeat(40);
const B = 'b'.repeat(40);
const C = 'c'.repeat(40);
const ZERO = '0'.repeat(40);

describe('pre-push input', () => {
  test('an existing branch: local tip, less the remote tip and the remote-tracking refs', () => {
    const updates = parsePrePushInput(`refs/heads/main ${A} refs/heads/main ${B}\n`);
    expect(revisionsToScan(updates)).toEqual(['--ignore-missing', A, '--not', B, '--remotes']);
  });

  test('a new branch: what no remote has; a deletion: nothing', () => {
    expect(revisionsToScan(parsePrePushInput(`refs/heads/x ${A} refs/heads/x ${ZERO}\n`))).toEqual([
      '--ignore-missing',
      A,
      '--not',
      '--remotes',
    ]);
    expect(revisionsToScan(parsePrePushInput(`(delete) ${ZERO} refs/heads/x ${B}\n`))).toBeUndefined();
    expect(revisionsToScan(parsePrePushInput(''))).toBeUndefined();
  });

  test('several refs in one push: every local tip, every remote tip excluded', () => {
    const updates = parsePrePushInput(
      `refs/heads/a ${A} refs/heads/a ${B}\nrefs/heads/c ${C} refs/heads/c ${ZERO}\n(delete) ${ZERO} refs/heads/d ${B}\n`,
    );
    expect(revisionsToScan(updates)).toEqual(['--ignore-missing', A, C, '--not', B, '--remotes']);
  });

  test('a malformed line blocks the push with an error rather than scanning nothing', () => {
    expect(() => parsePrePushInput('refs/heads/main --all refs/heads/main 0\n')).toThrow(InputError);
    expect(() => parsePrePushInput(`refs/heads/main ${A}\n`)).toThrow(InputError);
  });
});
