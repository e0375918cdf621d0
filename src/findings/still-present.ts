/**
 * Whether each key a history scan found is still in the current tree: the file it
 * was found in, as HEAD has it, still holds the secret. One `git grep -F` over HEAD
 * with the distinct secrets as patterns on standard input (never on the command
 * line, where other users could read them), so the answer costs one process
 * whatever the number of findings.
 */
import type { Finding } from '../detect/finding.js';
import { plumbing } from '../git/git-client.js';

/**
 * fingerprint → still in HEAD's version of its file. Findings whose secret cannot
 * be searched for as text (decoded from base64) are left out: unknown.
 */
export async function stillPresentAtHead(repoRoot: string, findings: readonly Finding[]): Promise<Map<string, boolean>> {
  const present = new Map<string, boolean>();
  const searchable = findings.filter((f) => !f.encoding && f.commit);
  if (!searchable.length) return present;
  const head = await plumbing(repoRoot, ['rev-parse', '--verify', '--quiet', 'HEAD^{commit}'], { okCodes: [1] });
  if (head.code !== 0) return present; // no commit yet: nothing to compare with
  const patterns = new Set(searchable.map((f) => pattern(f.secret)).filter((p) => p.length >= 8));
  const found = new Set<string>();
  if (patterns.size) {
    const { stdout } = await plumbing(
      repoRoot,
      ['grep', '--no-color', '--no-line-number', '--no-column', '-z', '-o', '-a', '--no-recurse-submodules', '-F', '-f', '-', 'HEAD', '--'],
      {
        input: `${[...patterns].join('\n')}\n`,
        okCodes: [1],
      },
    );
    // Records are `HEAD:path NUL match LF`; a match never holds a line break (one pattern a line), a path may.
    const pieces = stdout.split('\0');
    let name = pieces[0] ?? '';
    for (let i = 1; i < pieces.length; i++) {
      const piece = pieces[i]!;
      const eol = piece.indexOf('\n');
      const match = eol === -1 ? piece : piece.slice(0, eol);
      found.add(`${name.replace(/^HEAD:/, '')}\0${match}`);
      name = eol === -1 ? '' : piece.slice(eol + 1);
    }
  }
  for (const f of searchable) present.set(f.fingerprint, found.has(`${f.file}\0${pattern(f.secret)}`));
  return present;
}

/** What to search for: the secret, or for a multi-line one (a private key) its longest line. */
function pattern(secret: string): string {
  if (!/[\r\n]/.test(secret)) return secret;
  return secret.split(/\r?\n/).reduce((a, b) => (b.length > a.length ? b : a), '');
}
