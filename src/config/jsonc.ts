/**
 * JSON with comments, as editors write `.leakguard.json` (VS Code's "jsonc"):
 * `// line` and `/* block *\/` comments and trailing commas are allowed.
 *
 * The text is turned into plain JSON of the same length, with each comment and
 * trailing comma replaced by spaces (line breaks kept), so JSON.parse's error
 * positions are positions in the file the user wrote. Nothing inside a string is
 * touched. An unterminated block comment is left as it is, for JSON.parse to
 * report where it starts.
 */
export function jsoncToJson(text: string): string {
  if (!text.includes('/') && !/,\s*[}\]]/.test(text)) return text; // plain JSON, as most configs are
  let out = '';
  let i = 0;
  /** Where the last comma outside a string is in `out`, while only blanks and comments follow it. */
  let pendingComma = -1;
  while (i < text.length) {
    const c = text[i]!;
    if (c === '"') {
      const end = stringEnd(text, i);
      out += text.slice(i, end);
      i = end;
      pendingComma = -1;
    } else if (c === '/' && text[i + 1] === '/') {
      let end = text.indexOf('\n', i);
      if (end === -1) end = text.length;
      out += blank(text.slice(i, end));
      i = end;
    } else if (c === '/' && text[i + 1] === '*') {
      const close = text.indexOf('*/', i + 2);
      if (close === -1) {
        out += text.slice(i);
        break;
      }
      out += blank(text.slice(i, close + 2));
      i = close + 2;
    } else if (c === ',') {
      pendingComma = out.length;
      out += c;
      i++;
    } else if ((c === '}' || c === ']') && pendingComma !== -1) {
      out = `${out.slice(0, pendingComma)} ${out.slice(pendingComma + 1)}${c}`;
      pendingComma = -1;
      i++;
    } else {
      if (!/\s/.test(c)) pendingComma = -1;
      out += c;
      i++;
    }
  }
  return out;
}

/** The index just past the string starting at `start` (a quote), or the end of the line if it never closes. */
function stringEnd(text: string, start: number): number {
  for (let i = start + 1; i < text.length; i++) {
    const c = text[i];
    if (c === '\\') i++;
    else if (c === '"') return i + 1;
    else if (c === '\n') return i;
  }
  return text.length;
}

/** Spaces in place of each character, line breaks kept (so lines and columns stay where they were). */
function blank(text: string): string {
  return text.replace(/[^\r\n]/g, ' ');
}

/**
 * JSON.parse of JSON with comments. A syntax error always says where it is
 * (`… at position N`, N an offset in `text`): V8 leaves the position out of some
 * messages ("Unexpected token 'u', "…" is not valid JSON") and quotes the text
 * instead, which may hold a secret; such a message is replaced.
 */
export function parseJsonc(text: string): unknown {
  const json = jsoncToJson(text);
  try {
    return JSON.parse(json);
  } catch (error) {
    if (!(error instanceof SyntaxError) || /at position \d+/.test(error.message) || /end of JSON input/.test(error.message)) throw error;
    const at = syntaxErrorOffset(json);
    throw new SyntaxError(at === undefined ? 'Unexpected token in JSON' : `Unexpected token in JSON at position ${at}`);
  }
}

/** The offset of the first character that is not valid JSON, or undefined when none is found. */
export function syntaxErrorOffset(json: string): number | undefined {
  let i = 0;
  const space = () => {
    while (i < json.length && ' \t\n\r'.includes(json[i]!)) i++;
  };
  const fail = (): never => {
    throw i;
  };
  const literal = (word: string) => {
    for (const c of word) if (json[i++] !== c) return void (i--, fail());
  };
  const string = () => {
    i++;
    while (i < json.length && json[i] !== '"') {
      const code = json.charCodeAt(i);
      if (code < 0x20) fail();
      if (json[i] === '\\') {
        i++;
        if (json[i] === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(json.slice(i + 1, i + 5))) fail();
          i += 4;
        } else if (!'"\\/bfnrt'.includes(json[i] ?? 'x')) fail();
      }
      i++;
    }
    if (json[i] !== '"') fail();
    i++;
  };
  const number = () => {
    const match = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/.exec(json.slice(i, i + 400));
    if (!match) fail();
    i += match![0].length;
  };
  const value = (): void => {
    space();
    const c = json[i];
    if (c === '{') {
      i++;
      space();
      if (json[i] === '}') return void i++;
      for (;;) {
        space();
        if (json[i] !== '"') fail();
        string();
        space();
        if (json[i] !== ':') fail();
        i++;
        value();
        space();
        if (json[i] === ',') i++;
        else if (json[i] === '}') return void i++;
        else fail();
      }
    }
    if (c === '[') {
      i++;
      space();
      if (json[i] === ']') return void i++;
      for (;;) {
        value();
        space();
        if (json[i] === ',') i++;
        else if (json[i] === ']') return void i++;
        else fail();
      }
    }
    if (c === '"') return void string();
    if (c === 't') return void literal('true');
    if (c === 'f') return void literal('false');
    if (c === 'n') return void literal('null');
    if (c === '-' || (c !== undefined && c >= '0' && c <= '9')) return void number();
    fail();
  };
  try {
    value();
    space();
    return i < json.length ? i : undefined;
  } catch (at) {
    if (typeof at === 'number') return at;
    throw at;
  }
}
