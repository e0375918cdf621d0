import { describe, expect, it } from '@jest/globals';
import { planEnvExample, planIgnoreFile } from '../../../src/fix/gitignore.js';

describe('planIgnoreFile', () => {
  it('creates the content when there is no .gitignore', () => {
    expect(planIgnoreFile(undefined, ['.env'])).toBe('.env\n');
  });
  it('appends once, adding a missing final newline', () => {
    expect(planIgnoreFile('node_modules', ['.env'])).toBe('node_modules\n.env\n');
    expect(planIgnoreFile('node_modules\n.env\n', ['.env'])).toBe('node_modules\n.env\n');
  });
  it('keeps CRLF', () => {
    expect(planIgnoreFile('dist\r\n', ['.env', '.env'])).toBe('dist\r\n.env\r\n');
  });
});

describe('planEnvExample', () => {
  it('adds NAME= only for names not there yet', () => {
    expect(planEnvExample('PORT=3000\nOPENAI_API_KEY=\n', ['OPENAI_API_KEY', 'GH_TOKEN'])).toBe('PORT=3000\nOPENAI_API_KEY=\nGH_TOKEN=\n');
  });
});
