/**
 * docs/rules.md is generated from rules/*.yaml (`npm run docs:rules`): this test
 * regenerates it and fails when the committed page is out of date. The page holds
 * no key-shaped text: the built CLI scans it clean.
 */
import { describe, expect, test } from '@jest/globals';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { loadRuleFiles } from '../scripts/rule-files.js';
import { describeExample, describeShape, renderRulesDoc, RULES_DOC } from '../scripts/rules-docs.js';
import { PROJECT_ROOT, runCli } from './helpers/repo.js';

describe('docs/rules.md', () => {
  const rules = loadRuleFiles(path.join(PROJECT_ROOT, 'rules'));
  const page = readFileSync(path.join(PROJECT_ROOT, RULES_DOC), 'utf8');

  test('is current: regenerate with `npm run docs:rules`', () => {
    expect(page === renderRulesDoc(rules)).toBe(true);
  });

  test('lists every rule with its provider, shape, env var, revoke page and false alarms', () => {
    for (const rule of rules) expect(page).toContain(`### ${rule.id}\n`);
    const openai = page.slice(page.indexOf('### openai-legacy-api-key\n'));
    const section = openai.slice(0, openai.indexOf('\n### '));
    expect(section).toContain('- Looks like: `sk-` + 20 letters and digits + `T3BlbkFJ` + 20 letters and digits');
    expect(section).toContain('- Environment variable: `OPENAI_API_KEY`');
    expect(section).toContain('- Revoke: <https://platform.openai.com/api-keys>');
    expect(section).toContain('  - `openai.api_key = "sk-..."`');
    expect(page.slice(0, page.indexOf(section))).toMatch(/## OpenAI\n/);
  });

  test('shapes and examples are described, never expanded', () => {
    expect(describeShape('ghp_{{crc32b62:30}}')).toBe('`ghp_` + 30 letters and digits + their 6-character CRC-32');
    expect(describeShape('{{pem:RSA}}')).toBe('a whole RSA private-key block (PEM)');
    expect(describeExample('KEY=ab{{empty}}cd{{hex:8}}\n`x`')).toBe('`` KEY=ab{{}}cd{{8 lowercase hex digits}}\\n`x` ``');
  });

  test('holds no key-shaped text (the built CLI scans it clean)', () => {
    const result = runCli(['scan', RULES_DOC, '--format', 'json'], { cwd: PROJECT_ROOT });
    expect(JSON.parse(result.stdout).findings).toEqual([]);
    expect(result.status).toBe(0);
    // Nor a PEM armour line (the private-key rules' examples): shown as [BEGIN …].
    expect(page).not.toMatch(/-----BEGIN [A-Z ]*PRIVATE KEY-----/);
  });
});
