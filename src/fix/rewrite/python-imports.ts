/** Python: `import os` added once, where Python allows it. */
import { lineEndingOf } from '../text-codec.js';

/**
 * Adds `import os` once: after a shebang, encoding line, leading comments, the module
 * docstring and `from __future__` imports (which must stay first), before other code.
 */
export function ensurePythonImportOs(content: string): string {
  if (pythonImportsOs(content)) return content;
  const eol = lineEndingOf(content);
  const lines = content.split('\n');
  const at = pythonImportLine(lines);
  if (at >= lines.length) {
    const needsNewline = content.length > 0 && !content.endsWith('\n');
    return content + (needsNewline ? eol : '') + 'import os' + eol;
  }
  const importLine = 'import os' + (eol === '\r\n' ? '\r' : '');
  if (at === 0 && lines[0]!.startsWith('\uFEFF')) {
    // The BOM must stay the first character of the file.
    lines.splice(0, 1, '\uFEFF' + importLine, lines[0]!.slice(1));
  } else {
    lines.splice(at, 0, importLine);
  }
  return lines.join('\n');
}

function pythonImportsOs(content: string): boolean {
  for (const match of content.matchAll(/^import[ \t]+([^\n#;]*)/gm)) {
    const modules = match[1]!.split(',').map((m) => m.trim());
    if (modules.some((m) => /^os(\.\w+)*$/.test(m))) return true;
  }
  return false;
}

/** Index of the line before which `import os` goes. */
export function pythonImportLine(lines: readonly string[]): number {
  const text = (i: number) => (lines[i] ?? '').replace(/^\uFEFF/, '').replace(/\r$/, '');
  const isBlankOrComment = (i: number) => /^\s*(#.*)?$/.test(text(i));
  let i = 0;
  const skipBlankAndComments = () => {
    while (i < lines.length && isBlankOrComment(i)) i++;
  };
  skipBlankAndComments(); // shebang, encoding line and licence headers are comments
  const docstring = /^[rRuU]?("""|'''|"|')/.exec(text(i));
  if (docstring) i = endOfPythonString(lines, i, docstring[0].length - docstring[1]!.length, docstring[1]!) + 1;
  skipBlankAndComments();
  while (/^from[ \t]+__future__[ \t]+import\b/.test(text(i))) {
    i = endOfPythonStatement(lines, i) + 1;
    skipBlankAndComments();
  }
  return i;
}

function endOfPythonString(lines: readonly string[], line: number, column: number, quote: string): number {
  let rest = lines[line]!.replace(/^\uFEFF/, '').slice(column + quote.length);
  for (let i = line; i < lines.length; i++) {
    if (i > line) rest = lines[i]!;
    if (rest.replace(/\\./g, '').includes(quote)) return i;
    if (quote.length === 1) return i;
  }
  return lines.length - 1;
}

function endOfPythonStatement(lines: readonly string[], line: number): number {
  let depth = 0;
  for (let i = line; i < lines.length; i++) {
    const code = lines[i]!.replace(/#.*$/, '').replace(/\r$/, '');
    depth += (code.match(/\(/g)?.length ?? 0) - (code.match(/\)/g)?.length ?? 0);
    if (depth <= 0 && !code.endsWith('\\')) return i;
  }
  return lines.length - 1;
}
