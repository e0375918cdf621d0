/**
 * Every built-in rule on adversarial text: long single lines of the rule's own
 * alphabet, near-misses of its keywords and literal prefixes repeated, and
 * thousands of repeated private-key headers. Each rule must finish each input
 * within a generous bound; a slow rule is a catastrophic (or quadratic) regex.
 *
 * No key-shaped literal appears here: headers and prefixes are built at run time.
 */
import path from 'node:path';
import { describe, expect, test } from '@jest/globals';
import { createDetector } from '../../src/detect/detector.js';
import type { Fragment } from '../../src/sources/fragment.js';
import { createRng } from '../support/examples.js';
import { loadRuleFiles } from '../../scripts/rule-files.js';
import type { RuleSpec } from '../../src/rules/rule.js';
import { regexSafetyProblem } from '../../src/regex/regex-safety.js';
import { PROJECT_ROOT, TempRepo } from '../helpers/repo.js';

const RULES = loadRuleFiles(path.join(PROJECT_ROOT, 'rules'));
const SIZE = 2 * 1024 * 1024;
/** Generous: a linear scan of 2 MB takes tens of milliseconds. */
const BOUND_MS = 2000;
const DASHES = '-'.repeat(5);

function fragment(text: string): Fragment {
  let lines = 1;
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) lines++;
  return { path: 'adversarial.txt', text, lineNumbers: Array.from({ length: lines }, (_, i) => i + 1), origin: 'stdin' };
}

/** `unit` repeated up to about `size` characters. */
function fill(unit: string, size = SIZE): string {
  return unit.repeat(Math.max(1, Math.ceil(size / Math.max(1, unit.length)))).slice(0, size);
}

/** The characters of every (non-negated) character class in a regex source. */
function alphabetOf(source: string): string {
  const chars = new Set<string>();
  const classes = source.match(/\[(?!\^)(?:\\.|[^\]\\])+\]/g) ?? [];
  for (const cls of classes) {
    const body = cls.slice(1, -1);
    for (let i = 0; i < body.length; i++) {
      let c = body[i]!;
      if (c === '\\') {
        const next = body[++i]!;
        if (next === 's') c = ' ';
        else if (next === 'S' || next === 'w') c = 'a';
        else if (next === 'd') c = '7';
        else if (next === 'n') c = '\n';
        else if (next === 'r') c = '\r';
        else c = next;
      }
      if (body[i + 1] === '-' && i + 2 < body.length && body[i + 2] !== '\\') {
        const end = body[i + 2]!;
        for (let code = c.charCodeAt(0); code <= end.charCodeAt(0) && code - c.charCodeAt(0) < 128; code++) chars.add(String.fromCharCode(code));
        i += 2;
      } else {
        chars.add(c);
      }
    }
  }
  chars.delete('\n');
  return [...chars].join('') || 'a';
}

/** The literal text at the start of the `secret` group, e.g. a provider prefix. */
function literalPrefix(source: string): string {
  const at = source.indexOf('(?<secret>');
  if (at === -1) return '';
  let out = '';
  for (let i = at + '(?<secret>'.length; i < source.length; i++) {
    const c = source[i]!;
    if (c === '\\' && /[./-]/.test(source[i + 1] ?? '')) {
      out += source[++i];
      continue;
    }
    if (/[A-Za-z0-9_ :/-]/.test(c) && !/[?*+{]/.test(source[i + 1] ?? '')) out += c;
    else break;
  }
  return out;
}

function random(alphabet: string, length: number, seed: string): string {
  const rng = createRng(seed);
  let out = '';
  for (let i = 0; i < length; i++) out += alphabet[rng.int(alphabet.length)];
  return out;
}

/** A private-key header built at run time (never written as a literal). */
function pemHeader(kind: string): string {
  return `${DASHES}BEGIN ${kind}${DASHES}`;
}

interface Input {
  shape: string;
  text: string;
}

function inputsFor(rule: RuleSpec): Input[] {
  const alphabet = alphabetOf(rule.regex);
  const keywords = rule.keywords.length ? rule.keywords : ['key'];
  const prefix = literalPrefix(rule.regex);
  const inputs: Input[] = [];
  // 1. One long line of the rule's alphabet, with a keyword in front.
  inputs.push({ shape: 'alphabet line', text: keywords[0] + fill(random(alphabet, 4096, rule.id)) });
  // 2. The rule's alphabet with a keyword every 64 characters (every regex start runs far).
  inputs.push({ shape: 'keyword-dense alphabet line', text: fill(keywords.map((k) => k + random(alphabet, 60, k)).join('')) });
  // 3. Near-misses: each keyword as an assignment with a too-short / broken value.
  inputs.push({
    shape: 'keyword near-miss assignments',
    text: fill(keywords.map((k) => `${k}_secret_api_key = "${random(alphabet, 12, k)}" `).join('')),
  });
  inputs.push({ shape: 'keyword near-miss no separator', text: fill(keywords.map((k) => `${k}${k}-${k}_`).join('')) });
  // 4. The literal prefix followed by almost enough characters, repeated on one line and on many lines.
  if (prefix) {
    inputs.push({ shape: `prefix "${prefix.slice(0, 3)}…" near-miss line`, text: fill(`${prefix}${random(alphabet, 30, prefix)}!`) });
    inputs.push({ shape: `prefix "${prefix.slice(0, 3)}…" run`, text: prefix + fill(random(alphabet.replace(/[^A-Za-z0-9]/g, '') || 'a', 4096, 'run')) });
  }
  // 5. Keyword-led separators and quotes without a value (generic assignment rules).
  inputs.push({ shape: 'separator storm', text: fill(`${keywords[0]} = : => := "'\` `) });
  return inputs;
}

const PEM_KINDS = ['RSA PRIVATE KEY', 'PRIVATE KEY', 'OPENSSH PRIVATE KEY', 'PGP PRIVATE KEY BLOCK', 'EC PRIVATE KEY', 'ENCRYPTED PRIVATE KEY'];

function pemInputs(): Input[] {
  const body = random('ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/', 64, 'pem');
  const inputs: Input[] = [];
  for (const kind of PEM_KINDS) {
    const header = pemHeader(kind);
    inputs.push({ shape: `${kind}: repeated headers, one per line`, text: fill(`${header}\n`, SIZE / 4) });
    inputs.push({ shape: `${kind}: repeated headers with bodies, no END`, text: fill(`${header}\n${body}\n${body}\n`, SIZE / 4) });
    inputs.push({ shape: `${kind}: repeated headers with escaped bodies`, text: fill(`${header}\\n${body}\\n`, SIZE / 4) });
    inputs.push({ shape: `${kind}: headers on one line`, text: fill(header, SIZE / 4) });
  }
  inputs.push({ shape: 'PuTTY headers repeated', text: fill('PuTTY-User-Key-File-3: ssh-ed25519\nPrivate-Lines: 1\n', SIZE / 4) });
  inputs.push({ shape: 'PuTTY headers on one line', text: fill('PuTTY-User-Key-File-2: ', SIZE / 4) });
  inputs.push({ shape: 'service-account private_key repeated', text: fill(`"private_key": "${pemHeader('PRIVATE KEY')}\\n${body}`, SIZE / 4) });
  return inputs;
}

function timeRule(rule: RuleSpec, text: string): number {
  const detector = createDetector([rule]);
  const frag = fragment(text);
  const started = performance.now();
  detector.detect(frag);
  return performance.now() - started;
}

describe('ReDoS: built-in rules on adversarial input', () => {
  test('the rules load', () => {
    expect(RULES.length).toBeGreaterThan(20);
  });

  test.each(RULES.map((r) => [r.id, r] as const))('%s runs in bounded time on its worst cases', (_id, rule) => {
    const slow: string[] = [];
    for (const input of inputsFor(rule)) {
      const ms = timeRule(rule, input.text);
      if (ms > BOUND_MS) slow.push(`${rule.id} on ${input.shape}: ${Math.round(ms)} ms`);
    }
    expect(slow).toEqual([]);
  });

  test('every rule on repeated private-key and PuTTY headers', () => {
    const slow: string[] = [];
    const inputs = pemInputs();
    for (const input of inputs) {
      const lower = input.text.slice(0, 4096).toLowerCase();
      // Rules whose keywords are absent never run their regex (the prefilter drops them).
      for (const rule of RULES.filter((r) => r.keywords.length === 0 || r.keywords.some((k) => lower.includes(k)))) {
        const ms = timeRule(rule, input.text);
        if (ms > BOUND_MS) slow.push(`${rule.id} on ${input.shape}: ${Math.round(ms)} ms`);
      }
    }
    expect(slow).toEqual([]);
  });

  test('all rules together on a 2 MB line of mixed near-misses', () => {
    const detector = createDetector(RULES);
    const unit = RULES.map((r) => `${r.keywords[0] ?? ''}${literalPrefix(r.regex)}${random(alphabetOf(r.regex), 8, r.id)} `).join('');
    const started = performance.now();
    detector.detect(fragment(fill(unit)));
    expect(performance.now() - started).toBeLessThan(BOUND_MS * 5);
  });
});

describe('user regexes in .leakguard.json are checked for catastrophic backtracking', () => {
  test.each([
    '(a+)+', '(\\w*)*', '(a|a)*', '(.*a){3}', '(\\d?\\d)+', '(\\w*,\\w*)*', '(\\w|\\d)+', '(a|)+', '(x+x+)+y', '(a{1,2})+',
    '(?:[a-z]+)*@', '((ab)*)+', '(?<secret>(?:[A-Z0-9]+-?)+)',
  ])('refused: %s', (source) => {
    expect(regexSafetyProblem(source)).toMatch(/catastrophic backtracking/);
  });

  test.each([
    '(\\.[a-z]+)+', '(\\s*,\\s*\\w+)*', '([^"]*"[^"]*")*', '(?:\\\\.|[^"\\\\])*', '^sk-proj-docs', '(?:-?\\d)+',
    '^[A-Za-z_$][A-Za-z0-9_$]*(?:\\.[A-Za-z_$][A-Za-z0-9_$]*)+$', '(?<secret>acme_[A-Za-z0-9]{32})', '[a-z]{2,5}',
  ])('accepted: %s', (source) => {
    expect(regexSafetyProblem(source)).toBeUndefined();
  });

  test('a rule regex that can begin with an unbounded repetition is refused (quadratic on long lines)', () => {
    expect(regexSafetyProblem('(?<secret>[A-Za-z0-9]+)=', '', { scansLines: true })).toMatch(/unbounded repetition/);
    expect(regexSafetyProblem('(?<![a-z])(?<secret>[A-Za-z0-9]+)=')).toBeUndefined();
    expect(regexSafetyProblem('(?<![a-z])(?<secret>acme_[A-Za-z0-9]{32})', 'i', { scansLines: true })).toBeUndefined();
  });

  test('the CLI refuses an unsafe rule regex with exit 2, naming the rule', () => {
    const repo = new TempRepo();
    try {
      const rule = { id: 'acme-token', regex: '(?<secret>acme_(?:[a-z0-9]+)+)', keywords: ['acme_'] };
      repo.write('.leakguard.json', JSON.stringify({ rules: [rule] }));
      repo.write('a.txt', 'hello\n');
      repo.git('add', 'a.txt');
      const result = repo.cli(['scan', '--staged']);
      expect(result.status).toBe(2);
      expect(result.stderr.trim().split('\n')).toHaveLength(1);
      expect(result.stderr).toMatch(/rules\[acme-token\]\.regex: unsafe regular expression: .*catastrophic backtracking/);

      repo.write('.leakguard.json', JSON.stringify({ allowlist: { regexes: ['^(\\w+\\s?)*$'] } }));
      const allow = repo.cli(['scan', '--staged']);
      expect(allow.status).toBe(2);
      expect(allow.stderr).toMatch(/allowlist\.regexes\[0\]: unsafe regular expression/);
    } finally {
      repo.remove();
    }
  });
});
