/** Go: how the file imports "os", and adding the import where it is missing. */
import { lineEndingOf } from '../text-codec.js';

export type GoOsImport = { kind: 'none' } | { kind: 'named'; name: string };

/** How the Go file already imports "os", if it does (`os`, an alias, or dot-import). */
export function goOsImport(content: string): GoOsImport {
  for (const spec of goImportSpecs(content)) {
    if (spec.path !== 'os' || spec.alias === '_') continue;
    return { kind: 'named', name: spec.alias ?? 'os' };
  }
  return { kind: 'none' };
}

export function goLookup(imported: GoOsImport, envVar: string): string {
  if (imported.kind === 'named' && imported.name === '.') return `Getenv("${envVar}")`;
  const name = imported.kind === 'named' ? imported.name : 'os';
  return `${name}.Getenv("${envVar}")`;
}

interface GoImportSpec {
  alias?: string;
  path: string;
}

const GO_SPEC = /^\s*(?:([A-Za-z_][A-Za-z0-9_]*|\.|_)\s+)?"([^"]+)"/;

function goImportSpecs(content: string): GoImportSpec[] {
  const specs: GoImportSpec[] = [];
  for (const match of content.matchAll(/^import\s*\(([\s\S]*?)^\)/gm)) {
    for (const line of match[1]!.split('\n')) {
      const spec = GO_SPEC.exec(line);
      if (spec) specs.push({ alias: spec[1], path: spec[2]! });
    }
  }
  for (const match of content.matchAll(/^import[ \t]+((?:[A-Za-z_][A-Za-z0-9_]*|\.|_)[ \t]+)?"([^"]+)"/gm)) {
    specs.push({ alias: match[1]?.trim(), path: match[2]! });
  }
  return specs;
}

/** Adds "os" to the imports: into the first group (sorted), a single import becomes a group. */
export function ensureGoImportOs(content: string): string {
  if (goOsImport(content).kind !== 'none') return content;
  const eol = lineEndingOf(content);
  const cr = eol === '\r\n' ? '\r' : '';

  const group = /^import\s*\(\r?\n/m.exec(content);
  if (group) {
    const bodyStart = group.index + group[0].length;
    const lines = content.slice(bodyStart).split('\n');
    let insertAt = 0;
    let indent = '\t';
    for (let i = 0; i < lines.length; i++) {
      const line = lines[i]!.replace(/\r$/, '');
      if (/^\s*\)/.test(line) || line.trim() === '') break; // end of group or of the first sub-group
      const spec = GO_SPEC.exec(line);
      indent = /^\s*/.exec(line)![0] || indent;
      if (spec && spec[2]! > 'os') break;
      insertAt = i + 1;
    }
    lines.splice(insertAt, 0, `${indent}"os"${cr}`);
    return content.slice(0, bodyStart) + lines.join('\n');
  }

  const single = /^import[ \t]+((?:[A-Za-z_][A-Za-z0-9_]*|\.|_)[ \t]+)?"([^"]+)"[ \t]*(?=\r?\n|$)/m.exec(content);
  if (single) {
    const existing = `\t${single[1] ?? ''}"${single[2]}"`;
    const specs = [existing, '\t"os"'].sort((a, b) => goPath(a).localeCompare(goPath(b)));
    const replacement = ['import (', ...specs, ')'].join(eol);
    return content.slice(0, single.index) + replacement + content.slice(single.index + single[0].length);
  }

  const pkg = /^package[ \t]+\w+[^\n]*\n/m.exec(content);
  if (!pkg) return `import "os"${eol}${eol}${content}`;
  const at = pkg.index + pkg[0].length;
  return `${content.slice(0, at)}${eol}import "os"${eol}${content.slice(at)}`;
}

function goPath(spec: string): string {
  return /"([^"]+)"/.exec(spec)?.[1] ?? '';
}
