/**
 * Line-by-line parser for unified diffs produced with `-U0` (zero context). It
 * keeps only added lines with their line numbers in the new file. Files are
 * identified by their order ("diff --git" headers), never by parsing the quoted
 * paths in the headers: callers pair them with NUL-separated `--raw` records, and
 * check each pairing against the header they are given.
 */
export interface FilePatch {
  /** 0-based position of the file among the "diff --git" headers since the last reset. */
  index: number;
  /** The file's header line ("diff --git a/x b/x", "diff --cc x"). */
  header: string;
  binary: boolean;
  /** An added line of this file so far held a NUL byte (UTF-16/32 or binary shown as text). */
  nul: boolean;
  /** Added lines, without the leading "+" (a trailing "\r" of CRLF files is kept). */
  lines: string[];
  lineNumbers: number[];
  /** False when more of the same file follows (large files are emitted in pieces). */
  final: boolean;
}

const HUNK_HEADER = /^@@@* -\d+(?:,\d+)?(?: -\d+(?:,\d+)?)* \+(\d+)(?:,(\d+))? @@/;
const TWO_WAY_HUNK = /^@@ -\d+(?:,(\d+))? \+(\d+)(?:,(\d+))? @@/;
const DEFAULT_FLUSH_CHARS = 1 << 20;

export class PatchParser {
  private index = -1;
  private binary = false;
  private nul = false;
  private header = '';
  private inHunk = false;
  private oldRemaining = 0;
  private newRemaining = 0;
  private nextLine = 0;
  private lines: string[] = [];
  private lineNumbers: number[] = [];
  private chars = 0;
  private parents = 1;
  private fileOpen = false;

  constructor(
    private readonly emit: (patch: FilePatch) => void,
    private readonly flushChars = DEFAULT_FLUSH_CHARS,
  ) {}

  /** Feeds one line of the diff, without its "\n". */
  line(text: string): void {
    if (this.inHunk) {
      // Combined diffs give no exact count of old lines: a line without a marker ends the hunk.
      const combinedEnd = this.parents > 1 && !/^[ +\\-]/.test(text);
      if (!combinedEnd) {
        this.hunkLine(text);
        return;
      }
      this.inHunk = false;
    }
    if (text.startsWith('diff --git ') || text.startsWith('diff --cc ') || text.startsWith('diff --combined ')) {
      this.finishFile();
      this.index++;
      this.fileOpen = true;
      this.binary = false;
      this.nul = false;
      this.header = text;
      this.parents = text.startsWith('diff --git ') ? 1 : 2;
    } else if (text.startsWith('@@')) {
      this.startHunk(text);
    } else if (text.startsWith('Binary files ') || text === 'GIT binary patch') {
      this.binary = true;
    }
  }

  /**
   * Feeds the lines of `text[from, to)` (each ended by "\n" or by `to`), as line()
   * would one by one: the lines of a two-way hunk are read in place, and only an
   * added line is copied out (a history's diffs are mostly hunk lines).
   */
  block(text: string, from: number, to: number): void {
    while (from < to) {
      let nl = text.indexOf('\n', from);
      if (nl === -1 || nl > to) nl = to;
      if (this.inHunk && this.parents === 1) {
        const c = text.charCodeAt(from);
        if (c === 0x2b) this.added(text.slice(from + 1, nl));
        else if (c === 0x2d) this.oldRemaining--;
        else if (c !== 0x5c) {
          this.nextLine++;
          this.newRemaining--;
          this.oldRemaining--;
        }
        if (this.newRemaining <= 0 && this.oldRemaining <= 0) this.inHunk = false;
      } else {
        this.line(text.slice(from, nl));
      }
      from = nl + 1;
    }
  }

  /** How many file headers were seen since the last reset. */
  get files(): number {
    return this.index + 1;
  }

  /** Ends the current file; call at the end of the stream or before a new commit. */
  end(): void {
    this.finishFile();
    this.inHunk = false;
  }

  /** Starts counting files from zero again (one commit's patch after another). */
  reset(): void {
    this.end();
    this.index = -1;
  }

  private startHunk(header: string): void {
    if (header.charCodeAt(2) !== 0x40) {
      // "@@ -a[,b] +c[,d] @@": two-way, the common case, read in one match.
      const two = TWO_WAY_HUNK.exec(header);
      if (!two) return;
      this.parents = 1;
      this.oldRemaining = two[1] === undefined ? 1 : Number(two[1]);
      this.nextLine = Number(two[2]);
      this.newRemaining = two[3] === undefined ? 1 : Number(two[3]);
      this.inHunk = this.newRemaining > 0 || this.oldRemaining > 0;
      return;
    }
    const match = HUNK_HEADER.exec(header);
    if (!match) return;
    // Combined diffs (merges) have one "-" range per parent; only the "+" range matters.
    const atCount = header.match(/^@+/)![0].length;
    this.parents = Math.max(1, atCount - 1);
    this.nextLine = Number(match[1]);
    this.newRemaining = match[2] === undefined ? 1 : Number(match[2]);
    const old = / -\d+(?:,(\d+))?/.exec(header)!;
    this.oldRemaining = old[1] === undefined ? 1 : Number(old[1]);
    this.inHunk = this.parents > 1 || this.newRemaining > 0 || this.oldRemaining > 0;
  }

  private hunkLine(text: string): void {
    const c = text.charCodeAt(0);
    if (c === 0x5c) return; // "\ No newline at end of file"
    if (this.parents === 1) {
      if (c === 0x2b) this.added(text.slice(1));
      else if (c === 0x2d) this.oldRemaining--;
      else {
        this.nextLine++;
        this.newRemaining--;
        this.oldRemaining--;
      }
      if (this.newRemaining <= 0 && this.oldRemaining <= 0) this.inHunk = false;
      return;
    }
    const marks = text.slice(0, this.parents);
    if (marks.includes('+') && !marks.includes('-')) {
      this.added(text.slice(this.parents));
    } else if (!marks.includes('-')) {
      this.nextLine++;
      this.newRemaining--;
    }
  }

  private added(content: string): void {
    if (!this.binary) {
      if (!this.nul && content.includes('\0')) this.nul = true;
      this.lines.push(content);
      this.lineNumbers.push(this.nextLine);
      this.chars += content.length + 1;
      if (this.chars >= this.flushChars) this.flush(false);
    }
    this.nextLine++;
    this.newRemaining--;
  }

  private flush(final: boolean): void {
    this.emit({
      index: this.index,
      header: this.header,
      binary: this.binary,
      nul: this.nul,
      lines: this.lines,
      lineNumbers: this.lineNumbers,
      final,
    });
    this.lines = [];
    this.lineNumbers = [];
    this.chars = 0;
  }

  private finishFile(): void {
    if (this.fileOpen) this.flush(true);
    this.fileOpen = false;
  }
}
