import { StringDecoder } from 'node:string_decoder';

/**
 * Turns a byte stream into text pieces and lines without holding the stream in
 * memory. `prefix` lets a caller consume a NUL-separated header (git's `--raw -z`
 * records) before the line-oriented part begins: it receives the buffered text
 * and returns how much of it it consumed, or -1 to see more text first.
 */
export async function* streamLines(
  chunks: AsyncIterable<Buffer>,
  prefix?: (text: string, ended: boolean) => number,
): AsyncGenerator<string> {
  const decoder = new StringDecoder('utf8');
  let pending = '';
  let inPrefix = prefix !== undefined;
  // Where the search for the next "\n" resumes: a line of megabytes arrives in many
  // chunks, and re-reading its start for every chunk would be quadratic.
  let searched = 0;
  for await (const chunk of chunks) {
    pending += decoder.write(chunk);
    if (inPrefix) {
      const used = prefix!(pending, false);
      if (used === -1) continue;
      pending = pending.slice(used);
      inPrefix = false;
    }
    let start = 0;
    for (let nl = pending.indexOf('\n', searched); nl !== -1; nl = pending.indexOf('\n', start)) {
      yield pending.slice(start, nl);
      start = nl + 1;
    }
    pending = pending.slice(start);
    searched = pending.length;
  }
  pending += decoder.end();
  if (inPrefix) {
    pending = pending.slice(Math.max(0, prefix!(pending, true)));
  }
  const rest = pending.split('\n');
  if (rest[rest.length - 1] === '') rest.pop();
  yield* rest;
}
