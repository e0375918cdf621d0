// Obvious placeholders in other projects' positive test cases: leakguard ignores them on
// purpose, so a positive case whose key is one is dropped (and counted), not scored.

const b64url = (json) => Buffer.from(JSON.stringify(json)).toString('base64url');
/** jwt.io's sample token (header + payload), pasted into docs and tests everywhere. */
const JWT_IO = `${b64url({ alg: 'HS256', typ: 'JWT' })}.${b64url({ sub: '1234567890', name: 'John Doe', iat: 1516239022 })}`;

function windows(alphabet, size) {
  const out = [];
  for (let i = 0; i + size <= alphabet.length; i++) out.push(alphabet.slice(i, i + size));
  return out;
}

/** Eight letters or digits in alphabet order (abcdefgh…, 12345678…). */
const ALPHABET_RUN = new RegExp(`(?:${[...windows('abcdefghijklmnopqrstuvwxyz', 8), ...windows('0123456789', 8)].join('|')})`, 'i');
/** Eight times the same letter or digit (xxxxxxxx, 00000000, ZZZZZZZZ…). */
const ONE_CHAR_RUN = /([A-Za-z0-9])\1{7,}/;
/** Key-shaped words: the parts of a text a placeholder check looks at. */
const WORD = /[A-Za-z0-9+/=_.-]{8,}/g;

/**
 * Why `values` (the case's keys, or its whole text when the key is not known) is an
 * obvious placeholder, or undefined. A run of one character counts only when it is at
 * least a third of its word, so that the A-runs inside OpenSSH and DER key bodies do not.
 */
export function placeholderReason(values, text) {
  if (text.includes(JWT_IO)) return 'jwt.io sample token';
  for (const value of values) {
    for (const word of value.match(WORD) ?? []) {
      if (word.includes('EXAMPLE')) return 'EXAMPLE';
      const run = word.match(ONE_CHAR_RUN);
      if (run && run[0].length * 3 >= word.length) return 'run of one character';
      if (ALPHABET_RUN.test(word)) return 'alphabet run';
    }
  }
  return undefined;
}
