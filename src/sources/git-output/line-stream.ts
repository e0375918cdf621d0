import { StringDecoder } from 'node:string_decoder';

/**
 * Turns a byte stream into lines without holding the stream in memory. `prefix`
 * lets a caller consume a NUL-separated header (git's `--raw -z` records) before
 * the line-oriented part begins: it receives the buffered text and returns how
 * much of it it consumed, or -1 to see more text first.
 *
 * A line of megabytes arrives in many chunks: its pieces are kept in a list and
 * joined once, so every byte is searched and copied a bounded number of times.
 * Lines come in batches (the complete lines of each chunk): a history has millions
 * of lines, and an async step per line would cost more than reading them.
 */
export async function* streamLines(
  chunks: AsyncIterable<Buffer> | Iterable<Buffer>,
  prefix?: (text: string, ended: boolean) => number,
): AsyncGenerator<string[]> {
  const decoder = new StringDecoder('utf8');
  let header = prefix ? '' : undefined;
  let partial: string[] = [];
  function split(text: string): string[] {
    const lines: string[] = [];
    let start = 0;
    for (let nl = text.indexOf('\n'); nl !== -1; nl = text.indexOf('\n', start)) {
      const piece = text.slice(start, nl);
      if (partial.length) {
        partial.push(piece);
        lines.push(partial.join(''));
        partial = [];
      } else {
        lines.push(piece);
      }
      start = nl + 1;
    }
    if (start < text.length) partial.push(text.slice(start));
    return lines;
  }
  for await (const chunk of chunks) {
    let text = decoder.write(chunk);
    if (header !== undefined) {
      header += text;
      const used = prefix!(header, false);
      if (used === -1) continue;
      text = header.slice(used);
      header = undefined;
    }
    const lines = split(text);
    if (lines.length) yield lines;
  }
  let text = decoder.end();
  if (header !== undefined) {
    header += text;
    text = header.slice(Math.max(0, prefix!(header, true)));
  }
  const lines = split(text);
  if (partial.length) lines.push(partial.join(''));
  if (lines.length) yield lines;
}
