import { describe, expect, it } from '@jest/globals';
import { formatEnvValue, parseEnvFile, planEnvFile } from '../../../src/fix/env-file.js';
import { openaiKey } from '../../helpers/keys.js';

describe('planEnvFile', () => {
  const key = openaiKey('env-file');

  it('creates the file content when there is no .env', () => {
    const plan = planEnvFile(undefined, [{ envVar: 'OPENAI_API_KEY', value: key }]);
    expect(plan.content).toBe(`OPENAI_API_KEY=${key}\n`);
    expect(plan.names).toEqual(['OPENAI_API_KEY']);
    expect(plan.added).toEqual(['OPENAI_API_KEY']);
  });

  it('keeps existing entries, comments and order, and adds a missing final newline', () => {
    const existing = '# local settings\nDEBUG=1\n\nexport PORT=3000';
    const plan = planEnvFile(existing, [{ envVar: 'OPENAI_API_KEY', value: key }]);
    expect(plan.content).toBe(`${existing}\nOPENAI_API_KEY=${key}\n`);
  });

  it('keeps CRLF line endings and a BOM', () => {
    const existing = '\uFEFFDEBUG=1\r\nPORT=3000\r\n';
    const plan = planEnvFile(existing, [{ envVar: 'OPENAI_API_KEY', value: key }]);
    expect(plan.content).toBe(`${existing}OPENAI_API_KEY=${key}\r\n`);
    expect(plan.content.startsWith('\uFEFF')).toBe(true);
  });

  it('reuses the name when the same value is already there', () => {
    const existing = `OPENAI_API_KEY=${key}\n`;
    const plan = planEnvFile(existing, [{ envVar: 'OPENAI_API_KEY', value: key }]);
    expect(plan.changed).toBe(false);
    expect(plan.content).toBe(existing);
    expect(plan.names).toEqual(['OPENAI_API_KEY']);
  });

  it('reuses a quoted entry holding the same value', () => {
    const plan = planEnvFile(`export OPENAI_API_KEY="${key}" # mine\n`, [{ envVar: 'OPENAI_API_KEY', value: key }]);
    expect(plan.changed).toBe(false);
  });

  it('picks NAME_2, NAME_3 for different values under the same name', () => {
    const other = openaiKey('other');
    const third = openaiKey('third');
    const plan = planEnvFile(`OPENAI_API_KEY=${other}\n`, [
      { envVar: 'OPENAI_API_KEY', value: key },
      { envVar: 'OPENAI_API_KEY', value: third },
      { envVar: 'OPENAI_API_KEY', value: key },
    ]);
    expect(plan.names).toEqual(['OPENAI_API_KEY_2', 'OPENAI_API_KEY_3', 'OPENAI_API_KEY_2']);
    expect(plan.content).toBe(`OPENAI_API_KEY=${other}\nOPENAI_API_KEY_2=${key}\nOPENAI_API_KEY_3=${third}\n`);
  });

  it('replace: the existing value of NAME is replaced in place (all its lines, CRLF and BOM kept), never a NAME_2', () => {
    const other = openaiKey('replaced');
    const existing = `\uFEFFDEBUG=1\r\nexport OPENAI_API_KEY="${other}\r\nmore"\r\nPORT=1\r\nOPENAI_API_KEY=${other}\r\n`;
    const plan = planEnvFile(existing, [{ envVar: 'OPENAI_API_KEY', value: key, replace: true }]);
    expect(plan.names).toEqual(['OPENAI_API_KEY']);
    expect(plan.replaced).toEqual(['OPENAI_API_KEY']);
    expect(plan.added).toEqual([]);
    expect(plan.content).toBe(`\uFEFFDEBUG=1\r\nOPENAI_API_KEY=${key}\r\nPORT=1\r\n`);
    expect(parseEnvFile(plan.content).get('OPENAI_API_KEY')).toBe(key);
  });

  it('replace never overwrites a value the same plan added', () => {
    const other = openaiKey('first-of-two');
    const plan = planEnvFile(undefined, [
      { envVar: 'OPENAI_API_KEY', value: other, replace: true },
      { envVar: 'OPENAI_API_KEY', value: key, replace: true },
    ]);
    expect(plan.names).toEqual(['OPENAI_API_KEY', 'OPENAI_API_KEY_2']);
  });

  it('is idempotent: planning its own output again changes nothing', () => {
    const first = planEnvFile('A=1\r\n', [{ envVar: 'OPENAI_API_KEY', value: key }]);
    const second = planEnvFile(first.content, [{ envVar: 'OPENAI_API_KEY', value: key }]);
    expect(second.changed).toBe(false);
    expect(second.content).toBe(first.content);
  });
});

describe('formatEnvValue', () => {
  it.each([
    ['abc-DEF_123.x/y:z+=', 'abc-DEF_123.x/y:z+='],
    ['has space', "'has space'"],
    ['has#hash', "'has#hash'"],
    ['dollar$sign', "'dollar$sign'"],
    [`it's "quoted"`, `"it's \\"quoted\\""`],
    ['', ''],
  ])('%s → %s', (value, formatted) => {
    expect(formatEnvValue(value)).toBe(formatted);
  });

  it('round-trips through the parser', () => {
    for (const value of ['a b', `it's`, 'x"y', "back\\slash's", "multi\nline's"]) {
      const parsed = parseEnvFile(`K=${formatEnvValue(value)}\n`);
      expect(parsed.get('K')).toBe(value);
    }
  });
});
