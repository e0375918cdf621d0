/**
 * Values that have the shape of a key but are obviously not one: documentation
 * placeholders, template references, vendors' published example keys, and
 * strings made of repeated or sequential characters. Checked for every rule.
 */
import { sha256Hex } from './sha256.js';

const PLACEHOLDER_MARKERS = ['...', '…', 'xxxx', '****', '####', '<', '>', '${', '#{', '{{', '}}', '$(', '%(', 'example', 'password'];

const PLACEHOLDER_WORDS =
  /(?:your|my)[-_ ]?(?:api|secret|access|private)?[-_ ]?(?:key|token|secret)|placeholder|changeme|change[-_]me|redacted|replace[-_]?me|insert[-_]?(?:your|key|token)|dummy|(?<![a-z])fake(?![a-z])|not[-_]?a[-_]?real|todo(?![a-z])/i;

/**
 * Every match of PLACEHOLDER_WORDS contains one of these (lower case): a substring
 * search first spares compiling and running the regex for most candidates (real keys).
 */
const PLACEHOLDER_WORD_HINTS = ['your', 'my', 'placeholder', 'change', 'redacted', 'replace', 'insert', 'dummy', 'fake', 'not', 'todo'];

/** A value that only names what belongs there: `redis://default:PASSWORD@host`, `DB_PASS`, `password`. */
const NAMED_SLOT = /^(?:[a-z]+_)*[a-z]*(?:password|passwd|pass|pwd|secret|token|api_?key|key)(?:_[a-z]+)*$/i;

/** Lower-case words joined by `_ . - /`: an identifier, route or message key, not a secret (`_aj_hash_with_indifferent_access`). */
const IDENTIFIER = /^_?[a-z]+(?:[_./-][a-z]+)+[_./-]?$/;

function onlyChars(value: string, allowed: (code: number) => boolean): boolean {
  for (let i = 0; i < value.length; i++) if (!allowed(value.charCodeAt(i))) return false;
  return true;
}

const isLetter = (c: number): boolean => (c >= 97 && c <= 122) || (c >= 65 && c <= 90);
const isLetterOrUnderscore = (c: number): boolean => isLetter(c) || c === 95;
/** Lower-case letters and `_ . / -` (IDENTIFIER is case-sensitive). */
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
 * SHA-256 of vendors' published sample values (the Azurite development storage
 * key, jwt.io's sample token), kept as hashes so the repository holds no
 * key-shaped literal. Keyed by length, so only candidates of a sample's length
 * (and that passed every other check) are hashed.
 */
const PUBLISHED_SAMPLE_HASHES = new Map<number, readonly string[]>([
  [88, ['0011cc25eb4320717494d2703e8cba85743e71b500283c21c8b88147992f9059']], // Azurite account key
  [155, ['7f75367e7881255134e1375e723d1dea8ad5f6a4fdb79d938df1f1754a830606']], // jwt.io sample token (HS256, "John Doe")
]);

function isPublishedSample(secret: string): boolean {
  const hashes = PUBLISHED_SAMPLE_HASHES.get(secret.length);
  return hashes !== undefined && hashes.includes(sha256Hex(secret));
}


/** Runs this long or longer mean "made up"; long values (DER bodies, escaped PEM) tolerate longer runs. */
function runLimit(length: number): number {
  return length <= 64 ? 6 : Math.max(6, Math.floor(length / 8));
}

/** The reason a value is a placeholder, or undefined when it may be a real secret. */
export function placeholderReason(secret: string): string | undefined {
  return shapeReason(secret) ?? (isPublishedSample(secret) ? 'published sample value' : undefined);
}

function shapeReason(secret: string): string | undefined {
  const lower = secret.toLowerCase();
  for (const marker of PLACEHOLDER_MARKERS) {
    if (lower.includes(marker)) return `placeholder marker "${marker}"`;
  }
  if (PLACEHOLDER_WORD_HINTS.some((hint) => lower.includes(hint)) && PLACEHOLDER_WORDS.test(secret)) return 'placeholder word';
  // Both patterns allow letters and a few separators only: no digit, no other sign.
  if (onlyChars(secret, isLetterOrUnderscore) && NAMED_SLOT.test(secret)) return 'names its slot';
  if (onlyChars(secret, isIdentifierChar) && IDENTIFIER.test(secret)) return 'an identifier';
  // Multi-line secrets (PEM bodies) legitimately contain runs such as "AAAAAAAA".
  if (secret.includes('\n')) return undefined;
  const { repeated, sequential } = longestRuns(secret);
  const limit = runLimit(secret.length);
  if (repeated >= limit) return 'repeated characters';
  if (sequential >= limit) return 'sequential characters';
  return undefined;
}
