import { describe, expect, test } from '@jest/globals';
import { contextLines } from '../../../../src/cli/commands/audit.js';
import { armoredKey, findingIn, openaiKey } from '../../../helpers/keys.js';

/** The lines `leakguard audit` shows around a finding: numbered, the secret masked wherever it appears. */
describe('audit context lines', () => {
  test('the span is replaced by the redacted value, and a second copy of the key on a shown line is masked too', () => {
    const key = openaiKey('ctx');
    const text = `a\nb\nK = "${key}"  # same as ${key}\nc\nd\ne\n`;
    const lines = contextLines(text, findingIn('x.py', text, key));
    expect(lines.join('\n')).not.toContain(key.slice(10, 30));
    expect(lines).toEqual([
      '  1 | a',
      '  2 | b',
      `> 3 | K = "${key.slice(0, 6)}…${key.slice(-2)}"  # same as ${key.slice(0, 6)}…${key.slice(-2)}`,
      '  4 | c',
      '  5 | d',
    ]);
  });

  test('a multi-line private key shows its first and last line only, masked', () => {
    const pem = armoredKey('RSA PRIVATE KEY', 64 * 20, 'ctx-pem');
    const text = `x = 1\nKEY = """${pem}"""\ny = 2\n`;
    const offset = text.indexOf(pem);
    const f = { ...findingIn('k.py', text, pem), endLine: 2 + pem.split('\n').length - 1, endColumn: pem.split('\n').at(-1)!.length + 1 };
    expect(offset).toBeGreaterThan(0);
    const lines = contextLines(text, f);
    const body = pem.split('\n').slice(1, -1);
    for (const line of body) expect(lines.join('\n')).not.toContain(line);
    expect(lines[0]).toBe('   1 | x = 1');
    expect(lines[1]).toMatch(/^>  2 \| KEY = """-----B…--$/);
    expect(lines[2]).toBe('       … 20 more lines of the secret …');
    expect(lines[3]).toBe('  23 | …"""');
    expect(lines[4]).toBe('  24 | y = 2');
  });

  test('a long minified line is cut around the secret', () => {
    const key = openaiKey('ctx-long');
    const text = `${'a'.repeat(5000)}"${key}"${'b'.repeat(5000)}`;
    const [line] = contextLines(text, findingIn('min.js', text, key));
    expect(line!.length).toBeLessThan(200);
    expect(line).toContain(`"${key.slice(0, 6)}…`);
  });
});
