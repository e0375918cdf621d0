/**
 * Every built-in rule on adversarial text: long single lines of the rule's own
 * alphabet, near-misses of its keywords and literal prefixes repeated, and
 * thousands of repeated private-key headers. A slow rule is a catastrophic (or
 * quadratic) regex.
 *
 * Bounds are relative: calibrate() times a scan of ordinary source text with every
 * rule, in this run on this machine, and an input may take SLOWDOWN times that per
 * character (a linear rule on its worst input takes a few times the calibration; a
 * quadratic one, thousands). A slow measurement is taken again
 * (with a fresh calibration) before it counts, so a burst of load on a shared
 * machine does not fail the suite. The rules of a provider run together on their
 * inputs; only a group over its bound is timed rule by rule, to name the rule.
 *
 * No key-shaped literal appears here: headers and prefixes are built at run time.
 */
import path from 'node:path';
import { beforeAll, describe, expect, test } from '@jest/globals';
import { createDetector } from '../../src/detect/detector.js';
import type { Fragment } from '../../src/sources/fragment.js';
import { readFileSync, readdirSync } from 'node:fs';
import { createRng } from '../support/examples.js';
import { loadRuleFiles } from '../../scripts/rule-files.js';
import type { RuleSpec } from '../../src/rules/rule.js';
import { PROJECT_ROOT } from '../helpers/repo.js';

const RULES = loadRuleFiles(path.join(PROJECT_ROOT, 'rules'));
/** Per rule and input shape: one of the detector's smallest windows, where a cost quadratic in the window shows. */
const PIECE = 256 * 1024;
/** Private-key inputs and the calibration: where the old private-key rules took seconds. */
const SIZE = 512 * 1024;
/**
 * How many times the calibration an input may take. Measured (2 cores, load 8): the
 * slowest input of today's rules takes about 23 times it (thousands of short
 * near-miss keys on one line, each a candidate to check); the private-key rules
 * before they became linear took 45–95 times it on repeated BEGIN lines.
 */
const SLOWDOWN = 50;
/** Below this, timings are noise (timer, GC, a context switch): never a failure. */
const FLOOR_MS = 250;
const DASHES = '-'.repeat(5);

function fragment(text: string): Fragment {
  let lines = 1;
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) lines++;
  return { path: 'adversarial.txt', text, lineNumbers: Array.from({ length: lines }, (_, i) => i + 1), origin: 'stdin' };
}

/** `unit` repeated up to about `size` characters. */
function fill(unit: string, size = PIECE): string {
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
        for (let code = c.charCodeAt(0); code <= end.charCodeAt(0) && code - c.charCodeAt(0) < 128; code++)
          chars.add(String.fromCharCode(code));
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
    inputs.push({
      shape: `prefix "${prefix.slice(0, 3)}…" run`,
      text: prefix + fill(random(alphabet.replace(/[^A-Za-z0-9]/g, '') || 'a', 4096, 'run')),
    });
  }
  // 5. Keyword-led separators and quotes without a value (generic assignment rules).
  inputs.push({ shape: 'separator storm', text: fill(`${keywords[0]} = : => := "'\` `) });
  return inputs;
}

const PEM_KINDS = [
  'RSA PRIVATE KEY',
  'PRIVATE KEY',
  'OPENSSH PRIVATE KEY',
  'PGP PRIVATE KEY BLOCK',
  'EC PRIVATE KEY',
  'ENCRYPTED PRIVATE KEY',
];

function pemInputs(): Input[] {
  const body = random('ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/', 64, 'pem');
  const inputs: Input[] = [];
  for (const kind of PEM_KINDS) {
    const header = pemHeader(kind);
    inputs.push({ shape: `${kind}: repeated headers, one per line`, text: fill(`${header}\n`, SIZE) });
    inputs.push({ shape: `${kind}: repeated headers with bodies, no END`, text: fill(`${header}\n${body}\n${body}\n`, SIZE) });
    inputs.push({ shape: `${kind}: repeated headers with escaped bodies`, text: fill(`${header}\\n${body}\\n`, SIZE) });
    inputs.push({ shape: `${kind}: headers on one line`, text: fill(header, SIZE) });
    // The block matcher's own worst cases: long bodies without END, BEGIN lines inside body-like lines.
    inputs.push({ shape: `${kind}: repeated headers with long bodies, no END`, text: fill(`${header}\n${`${body}\n`.repeat(200)}`, SIZE) });
    inputs.push({ shape: `${kind}: headers inside armor-header lines`, text: fill(`Comment: ${header}\n`, SIZE) });
    inputs.push({ shape: `${kind}: headers after base64 on a line`, text: fill(`${body}${header}\n`, SIZE) });
  }
  inputs.push({ shape: 'PuTTY headers repeated', text: fill('PuTTY-User-Key-File-3: ssh-ed25519\nPrivate-Lines: 1\n', SIZE) });
  inputs.push({ shape: 'PuTTY headers on one line', text: fill('PuTTY-User-Key-File-2: ', SIZE) });
  inputs.push({ shape: 'service-account private_key repeated', text: fill(`"private_key": "${pemHeader('PRIVATE KEY')}\\n${body}`, SIZE) });
  return inputs;
}

/** Ordinary source text (this repository's own code), `size` characters. */
function plainText(size: number): string {
  const dir = path.join(PROJECT_ROOT, 'src', 'detect');
  const code = readdirSync(dir)
    .map((name) => readFileSync(path.join(dir, name), 'utf8'))
    .join('\n');
  return fill(code, size);
}

/** Milliseconds of one detection of `text` by a detector of `rules` (built beforehand, not timed). */
function timeDetection(rules: readonly RuleSpec[], text: string): number {
  const detector = createDetector(rules);
  const frag = fragment(text);
  const started = performance.now();
  detector.detect(frag);
  return performance.now() - started;
}

/** Milliseconds per character of a scan of ordinary text with every rule: the best of three, now. */
function calibrate(): number {
  const text = plainText(SIZE);
  const detector = createDetector(RULES);
  let best = Infinity;
  for (let i = 0; i < 3; i++) {
    const started = performance.now();
    detector.detect(fragment(text));
    best = Math.min(best, performance.now() - started);
  }
  return best / text.length;
}

let msPerChar = 0;
const boundFor = (length: number): number => Math.max(FLOOR_MS, SLOWDOWN * msPerChar * length);

/**
 * Whether `rules` take too long on `text`: measured again, after a fresh
 * calibration, before it counts. Returns the time and the bound when it does.
 */
function tooSlow(rules: readonly RuleSpec[], text: string): string | undefined {
  let ms = timeDetection(rules, text);
  if (ms <= boundFor(text.length)) return undefined;
  msPerChar = calibrate();
  ms = Math.min(ms, timeDetection(rules, text));
  const bound = boundFor(text.length);
  return ms > bound ? `${Math.round(ms)} ms (bound ${Math.round(bound)} ms)` : undefined;
}

/** The slow rules of a slow group, each on its own; the group itself when no single rule is. */
function slowRules(group: readonly RuleSpec[], text: string, shape: string): string[] {
  const groupSlow = tooSlow(group, text);
  if (!groupSlow) return [];
  const rules =
    group.length === 1
      ? []
      : group.flatMap((rule) => {
          const slow = tooSlow([rule], text);
          return slow ? [`${rule.id} on ${shape}: ${slow}`] : [];
        });
  return rules.length ? rules : [`${group.map((r) => r.id).join(' + ')} on ${shape}: ${groupSlow}`];
}

const GROUPS = [
  ...RULES.reduce((groups, rule) => groups.set(rule.provider, [...(groups.get(rule.provider) ?? []), rule]), new Map<string, RuleSpec[]>()),
];

describe('ReDoS: built-in rules on adversarial input', () => {
  beforeAll(() => {
    msPerChar = calibrate();
  });

  test('the rules load', () => {
    expect(RULES.length).toBeGreaterThan(20);
  });

  test.each(GROUPS)('%s rules run in bounded time on their worst cases', (_provider, group) => {
    // One text per input shape, holding every rule's own input of that shape on its own lines.
    const shapes = new Map<string, string[]>();
    for (const rule of group) {
      for (const input of inputsFor(rule)) {
        const shape = input.shape.replace(/ ".*"/, '');
        shapes.set(shape, [...(shapes.get(shape) ?? []), input.text]);
      }
    }
    const slow = [...shapes].flatMap(([shape, texts]) => slowRules(group, texts.join('\n'), shape));
    expect(slow).toEqual([]);
  });

  test.each(pemInputs().map((input) => [input.shape, input] as const))('every rule on %s', (_shape, input) => {
    const lower = input.text.slice(0, 4096).toLowerCase();
    // Rules whose keywords are absent never run their regex (the prefilter drops them).
    const rules = RULES.filter((r) => r.keywords.length === 0 || r.keywords.some((k) => lower.includes(k)));
    expect(slowRules(rules, input.text, input.shape)).toEqual([]);
  });

  test('all rules together on a line of mixed near-misses', () => {
    const unit = RULES.map((r) => `${r.keywords[0] ?? ''}${literalPrefix(r.regex)}${random(alphabetOf(r.regex), 8, r.id)} `).join('');
    expect(slowRules(RULES, fill(unit, 4 * SIZE), 'mixed near-misses')).toEqual([]);
  });
});
