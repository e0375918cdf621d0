/**
 * Cuts the `git log -z` byte stream into commits at the marker that starts every
 * commit header (`<marker><fields>\0`). A commit's body must be read to its end
 * before the next header is asked for. Nothing but the current chunk and a tail
 * shorter than the marker is ever held.
 */
export class CommitSplitter {
  private buffer: Buffer = Buffer.alloc(0);
  private ended = false;
  /** The chunks are all read (by more()); `ended` once a caller has been told. */
  private exhausted = false;

  constructor(
    private readonly chunks: AsyncIterator<Buffer>,
    private readonly marker: Buffer,
  ) {}

  /** The header fields (after the marker) of the next commit, or undefined at the end. */
  async nextHeader(): Promise<string | undefined> {
    let start = this.buffer.indexOf(this.marker);
    while (start === -1) {
      // Anything before a marker is a separator; keep only a possible partial marker.
      this.buffer = this.buffer.subarray(Math.max(0, this.buffer.length - this.marker.length + 1));
      if (!(await this.fill())) return undefined;
      start = this.buffer.indexOf(this.marker);
    }
    const fieldsStart = start + this.marker.length;
    let end = this.buffer.indexOf(0, fieldsStart);
    while (end === -1) {
      if (!(await this.fill())) {
        end = this.buffer.length;
        break;
      }
      end = this.buffer.indexOf(0, fieldsStart);
    }
    const header = this.buffer.subarray(fieldsStart, end).toString('utf8');
    this.buffer = this.buffer.subarray(Math.min(end + 1, this.buffer.length));
    return header;
  }

  /** The bytes of the current commit's diff, up to the next marker. */
  async *body(): AsyncGenerator<Buffer> {
    // git separates a header from its diff with "\n" or "\0"; a diff starts with ":" or "diff".
    for (;;) {
      let skip = 0;
      while (skip < this.buffer.length && (this.buffer[skip] === 0 || this.buffer[skip] === 0x0a)) skip++;
      this.buffer = this.buffer.subarray(skip);
      if (this.buffer.length) break;
      if (!(await this.fill())) return;
    }
    for (;;) {
      const next = this.buffer.indexOf(this.marker);
      if (next !== -1) {
        if (next > 0) yield this.buffer.subarray(0, next);
        this.buffer = this.buffer.subarray(next);
        return;
      }
      const safe = this.buffer.length - this.marker.length + 1;
      if (safe > 0) {
        const out = this.buffer.subarray(0, safe);
        this.buffer = this.buffer.subarray(safe);
        yield out;
      }
      if (!(await this.fill())) {
        if (this.buffer.length) yield this.buffer;
        this.buffer = Buffer.alloc(0);
        return;
      }
    }
  }

  /**
   * The next commit whole, header fields and body bytes (a view of the buffer, no
   * copy), when the buffer holds all of it: the marker after it, or the end of the
   * stream. Otherwise undefined, and nothing is consumed (`more`, or `nextHeader`
   * and `body` for a commit too large to hold). Never reads: a caller takes every
   * commit a chunk completes without an async step.
   */
  takeCommit(): { header: string; body: Buffer } | undefined {
    const marker = this.marker;
    const start = this.buffer.indexOf(marker);
    if (start === -1) {
      this.buffer = this.ended ? Buffer.alloc(0) : this.buffer.subarray(Math.max(0, this.buffer.length - marker.length + 1));
      return undefined;
    }
    const fieldsStart = start + marker.length;
    let end = this.buffer.indexOf(0, fieldsStart);
    if (end === -1) {
      if (!this.ended) return undefined;
      end = this.buffer.length;
    }
    // git separates a header from its diff with "\n" or "\0"; a diff starts with ":" or "diff".
    let bodyStart = end + 1;
    while (bodyStart < this.buffer.length && (this.buffer[bodyStart] === 0 || this.buffer[bodyStart] === 0x0a)) bodyStart++;
    let next = bodyStart < this.buffer.length ? this.buffer.indexOf(marker, bodyStart) : -1;
    if (next === -1) {
      if (!this.ended) return undefined;
      next = this.buffer.length;
    }
    const header = this.buffer.toString('utf8', fieldsStart, end);
    const body = this.buffer.subarray(Math.min(bodyStart, next), next);
    this.buffer = this.buffer.subarray(next);
    return { header, body };
  }

  /**
   * Reads more chunks if fewer than `limit` bytes are held: up to one that holds a
   * marker (a commit may end there), or to `limit`, or to the end of the stream;
   * false when no chunk was read (the end, or the limit). The chunks are joined to
   * what is held once, not one by one: joining each chunk as it came copied a large
   * commit's bytes once per chunk (express' history: ~85 MB copied for 16 MB of
   * output, and its search for the next marker read them as often).
   */
  async more(limit: number): Promise<boolean> {
    if (this.buffer.length >= limit) return false;
    if (this.ended || this.exhausted) return this.fill();
    const marker = this.marker;
    const parts: Buffer[] = [this.buffer];
    let held = this.buffer.length;
    let seam = this.buffer.subarray(Math.max(0, this.buffer.length - marker.length + 1));
    while (held < limit) {
      const next = await this.chunks.next();
      if (next.done) {
        // Reported by the next fill(), as if this call had read its chunks one at a time.
        this.exhausted = true;
        break;
      }
      const chunk = next.value;
      parts.push(chunk);
      held += chunk.length;
      // A marker inside the chunk, or one that starts in the bytes held before it.
      const found = chunk.indexOf(marker) !== -1 || Buffer.concat([seam, chunk.subarray(0, marker.length - 1)]).indexOf(marker) !== -1;
      if (found) break;
      seam =
        chunk.length >= marker.length - 1
          ? chunk.subarray(chunk.length - marker.length + 1)
          : Buffer.concat([seam, chunk]).subarray(Math.max(0, seam.length + chunk.length - marker.length + 1));
    }
    if (parts.length === 1) return this.fill();
    const joined = parts[0]!.length ? parts : parts.slice(1);
    this.buffer = joined.length === 1 ? joined[0]! : Buffer.concat(joined, held);
    return true;
  }

  private async fill(): Promise<boolean> {
    if (this.ended) return false;
    if (this.exhausted) {
      this.ended = true;
      return false;
    }
    const next = await this.chunks.next();
    if (next.done) {
      this.ended = true;
      return false;
    }
    this.buffer = this.buffer.length ? Buffer.concat([this.buffer, next.value]) : next.value;
    return true;
  }
}
