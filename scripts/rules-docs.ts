/**
 * docs/rules.md: every built-in rule with its provider, the shape of the key it
 * finds, the environment variable the fix uses, the revoke page, and the known
 * false alarms it does not report (its negative examples). Generated from
 * rules/*.yaml by `npm run docs:rules`; test/rules-docs.test.ts keeps it current.
 *
 * Shapes are described from the example templates, never expanded: the page holds
 * no key-shaped text (this repository's own hook scans it).
 */
import type { RuleSpec } from '../src/rules/rule.js';

export const RULES_DOC = 'docs/rules.md';

const ALPHABET_NAMES: Record<string, string> = {
  alnum: 'letters and digits',
  hex: 'lowercase hex digits',
  HEX: 'uppercase hex digits',
  lower: 'lowercase letters',
  upper: 'uppercase letters',
  alpha: 'letters',
  digits: 'digits',
  base64: 'base64 characters',
  base64url: 'base64url characters',
  upperdigits: 'uppercase letters and digits',
  lowerdigits: 'lowercase letters and digits',
  base32: 'base32 characters',
  bech32: 'bech32 characters',
  word: 'letters, digits and _',
};

const SPECIAL: Record<string, (args: string[]) => string> = {
  crc32b62: ([n]) => `${n} letters and digits + their 6-character CRC-32`,
  crc32b62bad: ([n]) => `${n} letters and digits + a wrong CRC-32`,
  pem: ([kind]) => `a whole ${kind} private-key block (PEM)`,
  jwt: () => 'a signed JWT',
  jwtunsigned: () => 'an unsigned JWT',
  jwtnone: () => 'a JWT with alg "none"',
  jwtbad: () => 'three dot-separated parts that are not JSON',
  uuid: () => 'a UUID',
  ulid: () => 'a ULID',
  pypi: () => 'a PyPI macaroon for pypi.org',
  pypitest: () => 'a PyPI macaroon for test.pypi.org',
  pypibad: () => 'a macaroon of another service',
  discordbot: () => 'a Discord bot token (user id, timestamp, signature)',
  discordbotbad: () => 'a Discord-bot-like token whose id part is not a user id',
  sentryorg: () => 'a Sentry organization token (base64 JSON payload + signature)',
  sentryorgbad: () => 'a Sentry-like token without its JSON payload',
  repeat: ([c, n]) => `"${c}" ${n} times`,
  seq: ([n]) => `${n} sequential characters`,
};

/** {{empty}} splits a documented value in two so that no file holds it whole; the page keeps the split visible. */
const EMPTY = '{{}}';

const TOKEN = /\{\{([A-Za-z0-9/]+(?::[^{}\s]*)*)\}\}/g;

function describeToken(token: string): string | undefined {
  const [name = '', ...args] = token.split(':');
  if (name === 'dashes') return undefined; // literal "-----", handled by the caller
  if (name === 'secret' || name === '/secret') return '';
  if (name === 'empty') return EMPTY;
  if (Object.hasOwn(ALPHABET_NAMES, name)) return `${args[0]} ${ALPHABET_NAMES[name]}`;
  return Object.hasOwn(SPECIAL, name) ? SPECIAL[name]!(args) : name;
}

/** "`sk-` + 20 letters and digits + `T3BlbkFJ` + 20 letters and digits": a template, described. */
export function describeShape(template: string): string {
  const parts: string[] = [];
  let literal = '';
  let at = 0;
  const flush = () => {
    if (literal) parts.push(code(literal));
    literal = '';
  };
  for (const match of template.matchAll(TOKEN)) {
    literal += template.slice(at, match.index);
    at = match.index + match[0].length;
    const described = describeToken(match[1]!);
    if (described === undefined) literal += '-----';
    else if (described === EMPTY) flush();
    else if (described) {
      flush();
      parts.push(described);
    }
  }
  literal += template.slice(at);
  flush();
  return parts.join(' + ');
}

/** A template with its tokens written as {{what they stand for}}: readable, and holding no key-shaped text. */
export function describeExample(template: string): string {
  const text = template
    .replace(TOKEN, (_all, token: string) => {
      const described = describeToken(token);
      return described === undefined ? '-----' : described === EMPTY ? EMPTY : described ? `{{${described}}}` : '';
    })
    // PEM armour lines are shown as [BEGIN …] / [END …]: the page holds no key-shaped header.
    .replace(/-----(BEGIN|END) ([A-Z0-9 ]*)-----/g, '[$1 $2]')
    .replace(/\r/g, '\\r')
    .replace(/\n/g, '\\n')
    .replace(/\t/g, '\\t');
  return code(text.length > 160 ? `${text.slice(0, 157)}…` : text);
}

/** The part of a positive template the finding reports. */
function secretPart(template: string): string {
  const start = template.indexOf('{{secret}}');
  const end = template.indexOf('{{/secret}}');
  return start === -1 || end === -1 ? template : template.slice(start + '{{secret}}'.length, end);
}

/** Inline code that holds any text (a fence longer than any run of backticks in it). */
function code(text: string): string {
  const longest = Math.max(0, ...(text.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(longest + 1);
  const pad = text.startsWith('`') || text.endsWith('`') || text.startsWith(' ') ? ' ' : '';
  return `${fence}${pad}${text}${pad}${fence}`;
}

export function renderRulesDoc(rules: readonly RuleSpec[]): string {
  const providers = new Map<string, RuleSpec[]>();
  for (const rule of rules) {
    if (!providers.has(rule.provider)) providers.set(rule.provider, []);
    providers.get(rule.provider)!.push(rule);
  }
  const out: string[] = [
    '# Built-in rules',
    '',
    '<!-- Generated from rules/*.yaml by `npm run docs:rules`; do not edit by hand. -->',
    '',
    `${rules.length} rules over ${providers.size} providers. For each: the shape of the key it finds, the environment`,
    'variable `leakguard fix` moves it into, where to revoke it, and look-alikes it does not report.',
    '`{{…}}` in an example stands for random characters of that kind; `{{}}` marks where a documented value is cut in two,',
    'so that this page holds no key-shaped text.',
    'Turn a rule off with `"disabledRules": ["<id>"]` in `.leakguard.json`; `npx leakguard rules` lists the rules that run here.',
    '',
  ];
  for (const [provider, list] of providers) {
    out.push(`## ${provider}`, '');
    for (const rule of list) {
      out.push(`### ${rule.id}`, '', rule.description, '');
      const positive = rule.examples.positive[0];
      if (positive) out.push(`- Looks like: ${describeShape(secretPart(positive))}`);
      if (rule.keywords.length) out.push(`- Runs when the text holds: ${rule.keywords.map(code).join(', ')}`);
      if (rule.checksum) out.push(`- Checked offline: ${code(rule.checksum)}`);
      if (rule.confidence && rule.confidence !== 'high') out.push(`- Confidence: ${rule.confidence}`);
      out.push(`- Environment variable: ${code(rule.envVar)}`);
      if (rule.revokeUrl) out.push(`- Revoke: <${rule.revokeUrl}>`);
      if (rule.examples.negative.length) {
        out.push('- Not reported:');
        for (const negative of rule.examples.negative) out.push(`  - ${describeExample(negative)}`);
      }
      out.push('');
    }
  }
  return `${out.join('\n').replace(/\n+$/, '')}\n`;
}
