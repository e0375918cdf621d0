/**
 * Values that have the shape of a key but are obviously not one: documentation
 * placeholders, template references, vendors' published example keys, and
 * strings made of repeated or sequential characters. Checked for every rule.
 */
import { sha256Hex } from './sha256.js';

const PLACEHOLDER_MARKERS = ['...', '…', 'xxxx', '****', '####', 'example', 'password'];

/**
 * Template references and slots: `${DB_PASSWORD}`, `{{ .Values.token }}`, `#{key}`, `$(cat f)`,
 * `%(pw)s`, `<your-key>`. Each opens and closes, and what it holds is an expression, which
 * balances its brackets; a password that merely contains `${`, `{{` or `>` among other symbols
 * (`p${e]n(o>`) is not a template.
 */
const TEMPLATE_REFERENCE = /\$\{[^{}]*\}|\{\{[^{}]*\}\}|#\{[^{}]*\}|\$\([^()]*\)|%\([^()]*\)|<[^<>]*>/g;
const TEMPLATE_HINTS = ['${', '{{', '#{', '$(', '%(', '<'];
const BRACKET_PAIRS: Record<string, string> = { ')': '(', ']': '[', '}': '{' };

/** Whether ()[]{} inside a reference's body pair up. */
function balanced(body: string): boolean {
  const open: string[] = [];
  for (const c of body) {
    if (c === '(' || c === '[' || c === '{') open.push(c);
    else if (c in BRACKET_PAIRS && open.pop() !== BRACKET_PAIRS[c]) return false;
  }
  return open.length === 0;
}

/** The opener of a template reference in the value, or of one the value starts or ends with (cut short: `${DB_PASSWORD`, `sk-{{`). */
function templateReference(secret: string): string | undefined {
  const hint = TEMPLATE_HINTS.find((h) => secret.includes(h));
  if (hint === undefined) return undefined;
  const cut = TEMPLATE_HINTS.find((h) => secret.startsWith(h) || secret.endsWith(h));
  if (cut) return cut;
  for (const m of secret.matchAll(TEMPLATE_REFERENCE)) {
    const ref = m[0];
    const inner = ref.startsWith('<') ? ref.slice(1, -1) : ref.slice(2, ref.startsWith('{{') ? -2 : -1);
    if (balanced(inner)) return ref.startsWith('<') ? '<' : ref.slice(0, 2);
  }
  return undefined;
}

const PLACEHOLDER_WORDS =
  /(?:your|my)[-_ ]?(?:api|secret|access|private)?[-_ ]?(?:key|token|secret)|placeholder|changeme|change[-_]me|redacted|replace[-_]?me|insert[-_]?(?:your|key|token)|dummy|(?<![a-z])fake(?![a-z])|not[-_]?a[-_]?real|todo(?![a-z])/i;

/**
 * Every match of PLACEHOLDER_WORDS contains one of these (lower case): a substring
 * search first spares compiling and running the regex for most candidates (real keys).
 */
const PLACEHOLDER_WORD_HINTS = ['your', 'my', 'placeholder', 'change', 'redacted', 'replace', 'insert', 'dummy', 'fake', 'not', 'todo'];

/** A value that only names what belongs there: `redis://default:PASSWORD@host`, `DB_PASS`, `password`. */
const NAMED_SLOT = /^(?:[a-z]+_)*[a-z]*(?:password|passwd|pass|pwd|secret|token|api_?key|key)(?:_[a-z]+)*$/i;

/** A host name (`project-1.hasura.app`, `db.internal.example.com`): where a service lives, not a secret. */
const HOST_NAME = /^(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,12}$/;

/** Lower-case words joined by `_ . - /`: an identifier, route or message key, not a secret (`_aj_hash_with_indifferent_access`). */
const IDENTIFIER = /^_?[a-z]+(?:[_./-][a-z]+)+[_./-]?$/;

function onlyChars(value: string, allowed: (code: number) => boolean): boolean {
  for (let i = 0; i < value.length; i++) if (!allowed(value.charCodeAt(i))) return false;
  return true;
}

const isLetter = (c: number): boolean => (c >= 97 && c <= 122) || (c >= 65 && c <= 90);
const isLetterOrUnderscore = (c: number): boolean => isLetter(c) || c === 95;
/** Lower-case letters and `_ . / -` (IDENTIFIER is case-sensitive). */
/** Lower-case letters, digits, `.` and `-` (HOST_NAME). */
const isHostChar = (c: number): boolean => (c >= 97 && c <= 122) || (c >= 48 && c <= 57) || c === 46 || c === 45;
const isIdentifierChar = (c: number): boolean => (c >= 97 && c <= 122) || c === 95 || c === 46 || c === 47 || c === 45;

/** Longest run of one repeated character, and of characters that rise or fall by one. */
function longestRuns(value: string): { repeated: number; sequential: number } {
  let repeated = 1;
  let sequential = 1;
  let rep = 1;
  let up = 1;
  let down = 1;
  for (let i = 1; i < value.length; i++) {
    const d = value.charCodeAt(i) - value.charCodeAt(i - 1);
    rep = d === 0 ? rep + 1 : 1;
    up = d === 1 ? up + 1 : 1;
    down = d === -1 ? down + 1 : 1;
    if (rep > repeated) repeated = rep;
    if (up > sequential) sequential = up;
    if (down > sequential) sequential = down;
  }
  return { repeated, sequential };
}

/**
 * Longest run of letters that count up or down by one in either case (`aBcDeFgH`): the
 * case-sensitive check above sees no run there. Held to eight, as a mixed-case run of six
 * (`abcDEF`) is still found in values a test calls real.
 */
function longestFoldedCount(value: string): number {
  let longest = 1;
  let up = 1;
  let down = 1;
  for (let i = 1; i < value.length; i++) {
    const a = value.charCodeAt(i - 1) | 32;
    const b = value.charCodeAt(i) | 32;
    const letters = a >= 97 && a <= 122 && b >= 97 && b <= 122;
    up = letters && b - a === 1 ? up + 1 : 1;
    down = letters && b - a === -1 ? down + 1 : 1;
    if (up > longest) longest = up;
    if (down > longest) longest = down;
  }
  return longest;
}

/**
 * How many runs of four or more of one letter or digit the value holds (`AAAABBBBCCCC`). A random
 * key of up to 128 characters holds one with odds of about 1 in 2,000; three mean the value was
 * typed. Longer values are left alone: base64 of binary (OpenSSH keys, DER) repeats `A` for zero bytes.
 */
function runsOfFour(value: string): number {
  let runs = 0;
  let run = 1;
  for (let i = 1; i < value.length; i++) {
    const c = value.charCodeAt(i);
    const alnum = (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
    run = alnum && c === value.charCodeAt(i - 1) ? run + 1 : 1;
    if (run === 4) runs++;
  }
  return runs;
}

/** Whether `b` counts on from `a`: the next letter (either case) or the next digit, 9 then 0. */
function countingStep(a: number, b: number): boolean {
  if (a >= 65 && a <= 90) a += 32;
  if (b >= 65 && b <= 90) b += 32;
  if (a >= 97 && a <= 122 && b >= 97 && b <= 122) return b - a === 1;
  if (a >= 48 && a <= 57 && b >= 48 && b <= 57) return b - a === 1 || (a === 57 && b === 48);
  return false;
}

/**
 * Longest stretch, over the letters and digits only, where every character follows the one
 * two places before it: two counts interleaved, `a1b2c3d4`, `1a2B3c4D`, `A1B2C3…` — typed by
 * hand, never issued (a random key holds one of eight characters with odds of about 36^-6).
 */
function longestInterleavedCount(value: string): number {
  let longest = 0;
  let run = 0;
  let before = -1;
  let last = -1;
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    const alnum = (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
    if (!alnum) continue;
    run = before >= 0 && countingStep(before, c) ? (run === 0 ? 3 : run + 1) : 0;
    if (run > longest) longest = run;
    before = last;
    last = c;
  }
  return longest;
}

/**
 * SHA-256 of vendors' published sample values (the Azurite development storage
 * key, jwt.io's sample token), kept as hashes so the repository holds no
 * key-shaped literal. Keyed by length, so only candidates of a sample's length
 * (and that passed every other check) are hashed.
 */
const PUBLISHED_SAMPLE_HASHES = new Map<number, readonly string[]>([
  // The sample ClearTextPassword values of NuGet's nuget.config reference (learn.microsoft.com), copied into many configs.
  [11, ['dba72c00f41f4e4c435e2491a5e1ce0140c7b5a6a498dc4847396b5e6368970c']],
  [14, ['a0702bc91d699f600970f4dc4992b13ede1a29d49fa0942dd4bed2b5e4b1016e']],
  // The Kubernetes documentation's Secret example password (base64 MWYy…), once decoded.
  [12, ['13fe7a38a57c46053ee3a4716358619ff37ebc5674976f1a09fc189be5a3e5dd']],
  // Stripe's documentation test keys (sk_test_4eC3…, sk_test_BQok…); the search-only Algolia key
  // every Yarn Berry bundle ships (6fe4…, yarnpkg/berry#6201).
  [
    32,
    [
      '2cafc0970149a84f3b9e62eaf169f36f59907a3b3e31f7b82e68c69cd27f7326',
      'f2d6ca16515033e5dce14eba840b979d27b5cbae24bb3e5bf484339667f86397',
      '2f21fd9c81678e396751af8b2472e2bd209ff5ce38da144052fb6c024485982f',
    ],
  ],
  // Google API keys published in the Firebase Android SDK's tests and samples (allow-listed by gitleaks too).
  [
    39,
    [
      'f56e323494a6ffc2064e7a955908957d84f0755e5f975dabd64328d0359a8f7c',
      '2037abcaffb2b77785da716cf7ccff4ff4d00c4ea930db0167b7d71f50af7eb4',
      '3f370c9dd8225c63b5c77de1f785edc9712958f18bb612d5fa2e0ae33aeca682',
      'e4a5542bb7fd7b67e943c71ad29c34b5972c9840597e7eda53e666f44d5da0b9',
      'a19f89ab3555eac10c40741f6df79ecf0935998f15569f8db9d67bce0181fff6',
      '0b476bdf9acf2123d547b5ae76f1e59884d8ec9553ee0c47e9f31fd4768f3f3c',
      'eb540d2b6ee2a0a47c5779bc8a0141784c6b753840d4c6f4e2428a6e86e9e0b1',
      '37f8f09bdf12c2f2eae4ead7273a62ddb0c23459cbf902892f282b57f7ed6619',
      '8731261cb72d86267a32a532ebd3df429e2144e5e4ced7e13568bc9e6c8fb1b1',
      '49f777db995e8260da7ca9ffdf0c08d66f0453e97ec967018baf2cdfe3b582d0',
      '27a9a42931dff7eb2f8434e20a9bce976ea364e7bee49187f19d5cfeca9c7045',
      'dc0fcf046c61640cbd1e8b999ada3262d722c2ca4bf42dceac999020ffdbb614',
      '4c98242dcadc8b29005c6b4aad526552d5ea1842149154c0694adeec75847583',
      'ea9bb1082cf95663f5faca23b8b15ef2aa0fce0a5c6df9c32dcb85b2e0a4513d',
      '3a8b61d0f636b007840c0d40ba12bcf48465dc054cdc1a68704a33521d84b665',
      'a6c814bc555ae62c7bd8b58ec07bf559c7ed3a009976a1e0acc9cef0d4473b41',
    ],
  ],
  // GitHub's documentation OAuth token (gho_16C7…).
  [40, ['bc3ae723f57c6b9e3fd80b699fcc420f6074b0b1718039669d22631d508ac0a7']],
  [88, ['0011cc25eb4320717494d2703e8cba85743e71b500283c21c8b88147992f9059']], // Azurite account key
  [155, ['7f75367e7881255134e1375e723d1dea8ad5f6a4fdb79d938df1f1754a830606']], // jwt.io sample token (HS256, "John Doe")
]);

function isPublishedSample(secret: string): boolean {
  const hashes = PUBLISHED_SAMPLE_HASHES.get(secret.length);
  return (hashes !== undefined && hashes.includes(sha256Hex(secret))) || isJwtIoSample(secret) || isSignedWithJwtIoSecret(secret);
}

const JWT = /^eyJ[A-Za-z0-9_-]+\.(eyJ[A-Za-z0-9_-]+)\.[A-Za-z0-9_-]*$/;

/**
 * A JWT carrying jwt.io's sample payload (`{"sub":"1234567890","name":"John Doe","iat":1516239022}`,
 * `"admin":true` in the newer one): the debugger signs it again with whatever algorithm and key
 * is picked, so every variant of the documentation token is covered, not only one string.
 * A payload with any other claim or value is someone's own token.
 */
function isJwtIoSample(secret: string): boolean {
  if (!secret.startsWith('eyJ') || secret.length > 4096) return false;
  const payload = JWT.exec(secret)?.[1];
  if (!payload) return false;
  let claims: unknown;
  try {
    claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
  } catch {
    return false;
  }
  if (typeof claims !== 'object' || claims === null) return false;
  const { sub, name, iat, admin, ...rest } = claims as Record<string, unknown>;
  return (
    sub === '1234567890' &&
    name === 'John Doe' &&
    (iat === undefined || iat === 1516239022) &&
    (admin === undefined || admin === true) &&
    Object.keys(rest).length === 0
  );
}

/** The keys jwt.io's debugger fills in for HMAC tokens: the current one, and the older one per algorithm. */
const JWT_IO_SECRETS = ['a-string-secret-at-least-256-bits-long', 'your-256-bit-secret', 'your-384-bit-secret', 'your-512-bit-secret']; // leakguard:allow (jwt.io's published default keys)
const HMAC_HASH: Readonly<Record<string, string>> = { HS256: 'sha256', HS384: 'sha384', HS512: 'sha512' };
const SIGNED_JWT = /^(eyJ[A-Za-z0-9_-]+)\.eyJ[A-Za-z0-9_-]+\.([A-Za-z0-9_-]{43,86})$/;

/**
 * An HMAC-signed JWT whose signature checks out with a key jwt.io publishes as its default:
 * whatever its claims, anyone can mint it, so it grants nothing (a tutorial's or a test's token).
 * node:crypto is loaded only when such a token turns up, never on the hook's usual path.
 */
function isSignedWithJwtIoSecret(secret: string): boolean {
  const match = SIGNED_JWT.exec(secret);
  if (!match) return false;
  let alg: unknown;
  try {
    alg = (JSON.parse(Buffer.from(match[1]!, 'base64url').toString('utf8')) as { alg?: unknown }).alg;
  } catch {
    return false;
  }
  const hash = typeof alg === 'string' ? HMAC_HASH[alg] : undefined;
  if (!hash) return false;
  const signed = secret.slice(0, secret.length - match[2]!.length - 1);
  const { createHmac } = process.getBuiltinModule('node:crypto') as typeof import('node:crypto');
  return JWT_IO_SECRETS.some((key) => createHmac(hash, key).update(signed).digest('base64url') === match[2]);
}

/** Runs this long or longer mean "made up"; long values (DER bodies, escaped PEM) tolerate longer runs. */
function runLimit(length: number): number {
  return length <= 64 ? 6 : Math.max(6, Math.floor(length / 8));
}

/** The reason a value is a placeholder, or undefined when it may be a real secret. */
export function placeholderReason(secret: string): string | undefined {
  return shapeReason(secret) ?? (isPublishedSample(secret) ? 'published sample value' : undefined) ?? encodedPlaceholderReason(secret);
}

const BASE64_VALUE = /^[A-Za-z0-9+/]{8,}={0,2}$/;

/**
 * A standard-base64 value whose bytes are printable text is judged by that text:
 * `cGFzc3dvcmQxMjM=` (a Kubernetes `data:` value, a Basic credential) encodes a
 * placeholder, not a secret. Random key bytes are almost never all printable, so
 * real base64 keys are not decoded past the first few bytes.
 */
function encodedPlaceholderReason(secret: string): string | undefined {
  if (secret.length % 4 !== 0 || secret.length > 4096 || !BASE64_VALUE.test(secret)) return undefined;
  const bytes = Buffer.from(secret, 'base64');
  for (const byte of bytes) if (byte < 0x20 || byte > 0x7e) return undefined;
  const decoded = bytes.toString('latin1');
  const reason = shapeReason(decoded) ?? (isPublishedSample(decoded) ? 'published sample value' : undefined);
  return reason && `base64 of a placeholder (${reason})`;
}

/** What follows a value that was redacted or cut short: `…[Redacted]`, `****`, `...`. */
const REDACTED_AFTER = /^(?:\.{2,}|\u2026|\*{3,}|\[(?:redacted|masked|hidden|truncated)\]|<(?:redacted|masked)>)/i;

/**
 * Whether the value at text[start, end) is shown redacted or truncated: the text
 * right after it is a redaction mark, or the value itself ends with two dots.
 */
export function isRedacted(text: string, start: number, end: number): boolean {
  if (end - start >= 2 && text.charCodeAt(end - 1) === 46 && text.charCodeAt(end - 2) === 46) return true;
  return REDACTED_AFTER.test(text.slice(end, end + 16));
}

/** What follows a value that is part of something else: a printf template (`…%s`), an asset's file name (`….png`). */
const NOT_A_KEY_AFTER =
  /^(?:%[-+ #]?[sdicxvqfu](?![A-Za-z0-9])|\.(?:png|jpe?g|gif|svg|webp|ico|css|m?js|map|woff2?|ttf|eot|html?)(?![A-Za-z0-9]))/i;

/**
 * Why the value at text[start, end) is not a key, judged by what follows it, or undefined:
 * `apikey=…%c` is filled in by a format call; `app.ico-<hash>.png` is a fingerprinted file name.
 */
export function notAKeyByWhatFollows(text: string, start: number, end: number): string | undefined {
  if (end - start < 1) return undefined;
  const after = text.slice(end, end + 8);
  if (!NOT_A_KEY_AFTER.test(after)) return undefined;
  return after.startsWith('%') ? 'a format string (printf conversion)' : 'part of a file name';
}

/** The end of a line that assigns nothing: `API_KEY=` written against its name, as in .env, shell and .properties. */
const EMPTY_ASSIGNMENT_END = /[A-Za-z0-9_.\]-]=[ \t]*\r?$/;

/**
 * Whether the value at `start` opens its line (after indentation and a quote) under a line
 * that ends in an empty `NAME=`: that assignment is empty, and the next line is not its value.
 * `const apiKey =` (a space before `=`) and YAML's `key:` do continue on the next line.
 */
export function followsEmptyAssignment(text: string, start: number): boolean {
  const lineStart = text.lastIndexOf('\n', start - 1) + 1;
  if (lineStart === 0 || !/^[ \t]*["'`\u2018\u201c\u00ab]?$/.test(text.slice(lineStart, start))) return false;
  const previousStart = text.lastIndexOf('\n', lineStart - 2) + 1;
  return EMPTY_ASSIGNMENT_END.test(text.slice(Math.max(previousStart, lineStart - 200), lineStart - 1));
}

function shapeReason(secret: string): string | undefined {
  const lower = secret.toLowerCase();
  for (const marker of PLACEHOLDER_MARKERS) {
    if (lower.includes(marker)) return `placeholder marker "${marker}"`;
  }
  const reference = templateReference(secret);
  if (reference) return `placeholder marker "${reference}"`;
  if (PLACEHOLDER_WORD_HINTS.some((hint) => lower.includes(hint)) && PLACEHOLDER_WORDS.test(secret)) return 'placeholder word';
  // Both patterns allow letters and a few separators only: no digit, no other sign.
  if (onlyChars(secret, isLetterOrUnderscore) && NAMED_SLOT.test(secret)) return 'names its slot';
  if (onlyChars(secret, isIdentifierChar) && IDENTIFIER.test(secret)) return 'an identifier';
  if (secret.includes('.') && onlyChars(secret, isHostChar) && HOST_NAME.test(secret)) return 'a host name';
  // Multi-line secrets (PEM bodies) legitimately contain runs such as "AAAAAAAA".
  if (secret.includes('\n')) return undefined;
  const { repeated, sequential } = longestRuns(secret);
  const limit = runLimit(secret.length);
  if (repeated >= limit) return 'repeated characters';
  if (sequential >= limit) return 'sequential characters';
  if (longestInterleavedCount(secret) >= 8) return 'two counts interleaved (a1b2c3…)';
  if (longestFoldedCount(secret) >= 8) return 'sequential characters';
  if (secret.length <= 128 && runsOfFour(secret) >= 3) return 'runs of one character (AAAABBBB…)';
  if (secret.includes('%') && PRINTF_CONVERSION.test(secret)) return 'a format string (printf conversion)';
  return undefined;
}

/**
 * A printf conversion (`%s`, `%d`, `%c`, `%v`) that is no URL escape: the value is a
 * template filled in at run time. `%2B` and `%cd` are escapes (two hex digits).
 */
const PRINTF_CONVERSION = /%[-+ #]?[sdicxvqfu](?![A-Za-z0-9])/;

/**
 * Whether the value is a password that only repeats its user name, as in
 * `mongodb://mongodb:mongodb@localhost`, or curl given the same name twice: a local default, not
 * a secret.
 */
export function echoesUserName(text: string, start: number, end: number): boolean {
  if (text.charCodeAt(start - 1) !== 58 /* : */) return false;
  const userStart = start - 1 - (end - start);
  if (userStart < 1 || text.slice(userStart, start - 1) !== text.slice(start, end)) return false;
  return '/ \t"\'='.includes(text[userStart - 1]!);
}
