/**
 * Property tests (fast-check): the diff parser never throws on arbitrary input;
 * on random edits in a real repository every added line maps to git's own line
 * number; the fix rewriter changes only the key literal; `.env` planning never
 * loses a byte of the existing content.
 */
import { afterAll, describe, expect, test } from '@jest/globals';
import fc from 'fast-check';
import { diffFragments } from '../../src/sources/git-output/paired-diff.js';
import { PatchParser } from '../../src/sources/git-output/patch-parser.js';
import { parseRawRecords } from '../../src/sources/git-output/raw-records.js';
import { streamLines } from '../../src/sources/git-output/line-stream.js';
import { emptyStats } from '../../src/sources/source-stats.js';
import { BlobReader } from '../../src/sources/blob-reader.js';
import { GitOutputError } from '../../src/errors.js';
import { tmpdir } from 'node:os';
import { stagedFragments } from '../../src/sources/staged.js';
import { planEnvFile } from '../../src/fix/env-file.js';
import { planEnvExample, planIgnoreFile } from '../../src/fix/gitignore.js';
import { rewriteSecrets } from '../../src/fix/rewrite/index.js';
import { openaiKey } from '../helpers/keys.js';
import { TempRepo } from '../helpers/repo.js';

async function* chunksOf(buffers: Uint8Array[]): AsyncGenerator<Buffer> {
  for (const b of buffers) yield Buffer.from(b);
}

async function drain<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}

const diffish = fc.array(
  fc.oneof(
    fc.constantFrom(
      'diff --git a/x b/x',
      'diff --cc x',
      '@@ -1 +1 @@',
      '@@ -0,0 +1,3 @@',
      '@@@ -1,2 -1,2 +1,3 @@@',
      '+added',
      '-removed',
      ' ctx',
      '\\ No newline at end of file',
      'Binary files a and b differ',
      '++both',
      ' +x',
      '',
    ),
    fc.string(),
  ),
);

describe('the diff parser never throws', () => {
  test('PatchParser on arbitrary lines', () => {
    fc.assert(
      fc.property(diffish, fc.integer({ min: 1, max: 64 }), (lines, flush) => {
        const parser = new PatchParser(() => undefined, flush);
        for (const line of lines) parser.line(line);
        parser.end();
        parser.reset();
      }),
      { numRuns: 500 },
    );
  });

  test('parseRawRecords on arbitrary strings', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom(':', ' ', '\0', 'A', 'R', '1', 'x', '\n') }), fc.string(), (a, b) => {
        const parsed = parseRawRecords(a + b);
        expect(parsed.offset).toBeLessThanOrEqual((a + b).length);
      }),
      { numRuns: 500 },
    );
  });

  test('streamLines and the whole staged-diff reader on arbitrary bytes', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.uint8Array({ maxLength: 64 }), { maxLength: 8 }), async (buffers) => {
        await drain(streamLines(chunksOf(buffers)));
        await drain(streamLines(chunksOf(buffers), (text, ended) => (ended ? text.length : -1)));
        // Output that does not pair patches with records fails closed, with a typed error only.
        const context = { blobs: new BlobReader(tmpdir()), folder: async () => [] };
        await drain(diffFragments(chunksOf(buffers), emptyStats(), {}, 'staged', context)).catch((error: unknown) => {
          if (!(error instanceof GitOutputError)) throw error;
        });
      }),
      { numRuns: 300 },
    );
  });
});

describe('staged line numbers match git on random edits in a real repository', () => {
  const repo = new TempRepo();
  afterAll(() => repo.remove());
  let round = 0;

  test('every added line is reported at the line git has it', async () => {
    const line = fc.oneof(
      fc.constantFrom('', ' ', 'x', 'same', '\t', '}'),
      fc.string({ unit: fc.constantFrom('a', 'b', ' ', '{', 'é', '\r'), maxLength: 12 }),
    );
    await fc.assert(
      fc.asyncProperty(
        fc.array(line, { maxLength: 25 }),
        fc.array(line, { maxLength: 25 }),
        fc.boolean(),
        async (before, after, finalNewline) => {
          const file = `f${round++}.txt`;
          repo.write(file, before.join('\n') + '\n');
          repo.git('add', file);
          repo.commit();
          const next = after.join('\n') + (finalNewline ? '\n' : '');
          repo.write(file, next);
          repo.git('add', file);
          const fragments = await drain(stagedFragments(repo.root, emptyStats()));
          const staged = repo.git('show', `:${file}`).split('\n');
          for (const fragment of fragments.filter((f) => f.path === file)) {
            fragment.text.split('\n').forEach((text, i) => {
              expect(staged[fragment.lineNumbers[i]! - 1]).toBe(text);
            });
          }
          repo.commit();
        },
      ),
      { numRuns: 30 },
    );
  });
});

describe('the fix rewriter changes only the key literal', () => {
  const KEY = openaiKey('property');
  const codeLine = fc.oneof(
    fc.constantFrom(
      'const a = 1;',
      'function f() { return 2; }',
      '',
      '  x += 3;',
      'let s = `t`;',
      'let q = "ok";',
      "let r = 'fine';",
      '// note',
      '/* block */',
    ),
    fc.string({ unit: fc.constantFrom('a', 'b', ' ', '(', ')', ';', '=', '1'), maxLength: 20 }),
  );

  test('JavaScript: everything outside the literal is byte-identical', () => {
    let rewritten = 0;
    fc.assert(
      fc.property(
        fc.array(codeLine, { maxLength: 8 }),
        fc.array(codeLine, { maxLength: 8 }),
        fc.constantFrom('"', "'", '`'),
        fc.constantFrom('\n', '\r\n'),
        (pre, post, quote, eol) => {
          const prefix = pre.map((l) => l + eol).join('') + 'client.apiKey = ';
          const suffix = ';' + eol + post.join(eol);
          const source = prefix + quote + KEY + quote + suffix;
          const result = rewriteSecrets('app.js', source, [{ secret: KEY, envVar: 'OPENAI_API_KEY' }]);
          if (!result.ok) return; // refusing is always allowed: the file is left untouched
          expect(result.content).toBe(prefix + 'process.env.OPENAI_API_KEY' + suffix);
          rewritten++;
        },
      ),
      { numRuns: 400 },
    );
    expect(rewritten).toBeGreaterThan(100); // the property is not vacuous
  });
});

describe('.env planning never loses a byte', () => {
  test('the existing content is a prefix of the planned content', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: fc.constantFrom('A', '=', '"', "'", '\n', '\r', '#', ' ', 'x', '\\', '\uFEFF', 'é') }),
        fc.array(
          fc.record({ envVar: fc.constantFrom('A', 'OPENAI_API_KEY', 'x-y', '1A'), value: fc.string({ minLength: 1, maxLength: 20 }) }),
          { maxLength: 4 },
        ),
        (existing, requests) => {
          const plan = planEnvFile(existing, requests);
          expect(plan.content.startsWith(existing)).toBe(true);
          expect(plan.names).toHaveLength(requests.length);
        },
      ),
      { numRuns: 500 },
    );
  });

  test('.gitignore and .env.example planning never lose a byte of the existing file', () => {
    const content = fc.string({ unit: fc.constantFrom('.env', '*', '\n', '\r\n', '#', ' ', 'x', '=', 'A', '\uFEFF', '/', '!') });
    const names = fc.array(fc.constantFrom('.env', '.env*', 'OPENAI_API_KEY', 'A', 'x'), { maxLength: 4 });
    fc.assert(
      fc.property(content, names, (existing, added) => {
        const ignore = planIgnoreFile(existing, added);
        expect(ignore.startsWith(existing)).toBe(true);
        expect(planIgnoreFile(ignore, added)).toBe(ignore); // once only
        expect(
          planEnvExample(
            existing,
            added.filter((n) => /^[A-Z_]+$/.test(n)),
          ).startsWith(existing),
        ).toBe(true);
      }),
      { numRuns: 500 },
    );
  });
});
