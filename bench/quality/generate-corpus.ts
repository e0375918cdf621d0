/**
 * Seeded generator of the labelled quality corpus: small files in ~20 languages and
 * file types holding synthetic keys of ~60 providers (normal cases), hard cases, and
 * about 40% harmless look-alikes. Same seed and size, same corpus, byte for byte.
 *
 *   const corpus = generateCorpus({ seed: 'leakguard', files: 500 });
 *   await writeCorpus(corpus, 'bench/out/quality-corpus');   // files + labels.json
 *
 * Every key is generated at run time (test/support/examples.ts): nothing key-shaped is
 * stored in this repository.
 */
import { mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { createRng, type Rng } from '../../test/support/examples.js';
import { HARD_CASES, renderHardCase } from './hard-cases.js';
import { FILE_TYPES, pick, type FileType, type Placed } from './languages.js';
import { LOOKALIKE_FAMILIES, renderLookalike } from './lookalikes.js';
import { KEY_SPECS, type KeySpec } from './providers.js';

export const DEFAULT_SEED = 'leakguard-quality-v1';
export const DEFAULT_FILES = 500;
export const DEFAULT_OUT = 'bench/out/quality-corpus';

export interface LabelSecret {
  provider: string;
  kind: string;
  /** The key as a scanner should report it. */
  secret: string;
  /** Other spellings that count as finding it (the encoded form in the file, halves of a split key). */
  alternates?: string[];
  /** 1-based lines of the key in the (decoded) file. */
  line: number;
  endLine: number;
  hard: boolean;
  hardCase?: string;
}

export interface FileLabel {
  /** POSIX path relative to the corpus root. */
  file: string;
  category: 'normal' | 'hard' | 'lookalike';
  /** Language / file type (normal), hard case, or look-alike family. */
  type: string;
  secrets: LabelSecret[];
}

export interface Labels {
  version: 1;
  seed: string;
  files: FileLabel[];
}

export interface CorpusFile {
  file: string;
  data: Buffer;
}

export interface Corpus {
  labels: Labels;
  files: CorpusFile[];
}

export interface CorpusOptions {
  seed?: string;
  /** Total number of files (default 500). */
  files?: number;
  /** Share of harmless look-alike files (default 0.4). */
  lookalikeShare?: number;
  /** Share of hard-case files (default 0.15). */
  hardShare?: number;
}

function shuffle<T>(items: readonly T[], rng: Rng): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

/** Endless round-robin over a reshuffled list, so every item comes up evenly. */
function cycler<T>(items: readonly T[], rng: Rng): () => T {
  let queue: T[] = [];
  return () => {
    if (queue.length === 0) queue = shuffle(items, rng);
    return queue.shift()!;
  };
}

/** 1-based line of `offset` in `text`. */
function lineOf(text: string, offset: number): number {
  let line = 1;
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) line++;
  return line;
}

function locate(text: string, needle: string, file: string): { line: number; endLine: number } {
  const at = text.indexOf(needle);
  if (at === -1) throw new Error(`corpus bug: value not found in ${file}`);
  return { line: lineOf(text, at), endLine: lineOf(text, at + needle.length - 1) };
}

function encode(content: string, encoding: 'utf16le-bom' | 'utf16be-bom' | undefined): Buffer {
  if (encoding === 'utf16le-bom') return Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(content, 'utf16le')]);
  if (encoding === 'utf16be-bom') return Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(content, 'utf16le').swap16()]);
  return Buffer.from(content, 'utf8');
}

const GENERIC_NAMES = ['API_KEY', 'TOKEN', 'ACCESS_TOKEN', 'SECRET', 'AUTH_TOKEN', 'CLIENT_SECRET'];

function nameFor(spec: KeySpec, rng: Rng): string {
  if (spec.named || spec.multiline || rng.next() < 0.75) return spec.env;
  return pick(rng, GENERIC_NAMES);
}

/** Label for a multi-line value: a distinctive inner line, with the first line as an alternate. */
function multilineLabel(value: string, secret: string): { secret: string; alternates: string[]; locate: string } {
  const lines = value.split(/\r?\n/);
  if (secret !== value) return { secret, alternates: [lines[0]!], locate: lines[0]! };
  const body =
    lines
      .slice(1, -1)
      .filter((l) => l.length >= 20)
      .sort((a, b) => b.length - a.length)[0] ?? lines[0]!;
  return { secret: body, alternates: [lines[0]!], locate: lines[0]! };
}

export function generateCorpus(options: CorpusOptions = {}): Corpus {
  const seed = options.seed ?? DEFAULT_SEED;
  const total = options.files ?? DEFAULT_FILES;
  const rng = createRng(seed);
  const lookalikes = Math.round(total * (options.lookalikeShare ?? 0.4));
  const hard = Math.round(total * (options.hardShare ?? 0.15));
  const normal = total - lookalikes - hard;

  const labels: FileLabel[] = [];
  const files: CorpusFile[] = [];
  let counter = 0;
  const folder = (): string => `p${String(++counter).padStart(4, '0')}`;
  const add = (label: FileLabel, data: Buffer): void => {
    labels.push(label);
    files.push({ file: label.file, data });
  };

  // Normal cases: every key kind in turn, one to three keys per file, every file type in turn.
  const nextSpec = cycler(
    KEY_SPECS.filter((s) => !s.multiline),
    rng,
  );
  const nextMultiline = cycler(
    KEY_SPECS.filter((s) => s.multiline),
    rng,
  );
  const singleTypes = FILE_TYPES.filter((t) => !t.multilineOnly);
  const nextType = cycler(singleTypes, rng);
  const nextMultiType = cycler(
    FILE_TYPES.filter((t) => t.multiline),
    rng,
  );
  for (let i = 0; i < normal; i++) {
    const withKeyFile = i % 9 === 4;
    let type: FileType;
    const specs: KeySpec[] = [];
    if (withKeyFile) {
      type = nextMultiType();
      specs.push(nextMultiline());
      if (type.multilineOnly && specs[0]!.kind === 'putty') {
        // A .ppk file holds exactly one key.
      } else if (!type.multilineOnly && rng.next() < 0.5) specs.push(nextSpec());
    } else {
      type = nextType();
      const count = 1 + (rng.next() < 0.35 ? 1 : 0) + (rng.next() < 0.1 ? 1 : 0);
      for (let k = 0; k < count; k++) specs.push(nextSpec());
    }
    const placed: Placed[] = [];
    const used = new Set<string>();
    const keyLabels: Array<{ spec: KeySpec; value: string; secret: string }> = [];
    for (const spec of specs) {
      let name = nameFor(spec, rng);
      if (used.has(name)) name = `${name}_${used.size + 1}`;
      used.add(name);
      const { value, secret } = spec.make(rng);
      placed.push({ spec, value, name });
      keyLabels.push({ spec, value, secret });
    }
    const rendered = type.render(placed, rng);
    const file = `${folder()}/${rendered.path}`;
    const secrets: LabelSecret[] = keyLabels.map(({ spec, value, secret }) => {
      if (value.includes('\n')) {
        const m = multilineLabel(value, secret);
        const first = locate(rendered.content, m.locate, file);
        const lastLine = value.split('\n').at(-1)!;
        const last = locate(rendered.content.slice(rendered.content.indexOf(m.locate)), lastLine, file);
        return {
          provider: spec.provider,
          kind: spec.kind,
          secret: m.secret,
          alternates: m.alternates,
          line: first.line,
          endLine: first.line + last.endLine - 1,
          hard: false,
        };
      }
      return { provider: spec.provider, kind: spec.kind, secret, ...locate(rendered.content, secret, file), hard: false };
    });
    add({ file, category: 'normal', type: type.id, secrets }, encode(rendered.content, undefined));
  }

  // Hard cases: every case in turn.
  const nextCase = cycler(HARD_CASES, rng);
  for (let i = 0; i < hard; i++) {
    const h = renderHardCase(nextCase(), rng);
    const file = `${folder()}/${h.path}`;
    const secrets: LabelSecret[] = h.secrets.map((s) => ({
      provider: s.spec.provider,
      kind: s.spec.kind,
      secret: s.secret,
      ...(s.alternates.length ? { alternates: s.alternates } : {}),
      ...locate(h.content, s.locate, file),
      hard: true,
      hardCase: h.hardCase,
    }));
    add({ file, category: 'hard', type: h.hardCase, secrets }, encode(h.content, h.encoding));
  }

  // Look-alikes: every family in turn.
  const nextFamily = cycler(LOOKALIKE_FAMILIES, rng);
  for (let i = 0; i < lookalikes; i++) {
    const l = renderLookalike(nextFamily(), rng);
    add({ file: `${folder()}/${l.path}`, category: 'lookalike', type: l.family, secrets: [] }, encode(l.content, undefined));
  }

  return { labels: { version: 1, seed, files: labels }, files };
}

/**
 * Writes the corpus under `dir` (emptied first) and its labels beside it, in
 * `<dir>.labels.json`: outside the scanned folder, so no scanner ever reads the labels.
 */
export async function writeCorpus(corpus: Corpus, dir: string): Promise<{ dir: string; labelsFile: string }> {
  const root = path.resolve(dir);
  await rm(root, { recursive: true, force: true });
  await mkdir(root, { recursive: true });
  for (const f of corpus.files) {
    const target = path.join(root, ...f.file.split('/'));
    await mkdir(path.dirname(target), { recursive: true });
    await writeFile(target, f.data);
  }
  const labelsFile = labelsPathFor(root);
  await writeFile(labelsFile, JSON.stringify(corpus.labels, null, 2) + '\n');
  return { dir: root, labelsFile };
}

/** labels.json sits beside the corpus folder (not inside it, so scanners never read it). */
export function labelsPathFor(dir: string): string {
  const root = path.resolve(dir);
  return path.join(path.dirname(root), `${path.basename(root)}.labels.json`);
}

/** Counts that describe a corpus (for the report and the test). */
export function describeCorpus(labels: Labels): {
  files: number;
  lookalikeShare: number;
  types: number;
  normal: number;
  hard: number;
  providers: number;
} {
  const files = labels.files.length;
  const lookalike = labels.files.filter((f) => f.category === 'lookalike').length;
  const types = new Set(labels.files.filter((f) => f.category === 'normal').map((f) => f.type)).size;
  const all = labels.files.flatMap((f) => f.secrets);
  return {
    files,
    lookalikeShare: lookalike / files,
    types,
    normal: all.filter((s) => !s.hard).length,
    hard: all.filter((s) => s.hard).length,
    providers: new Set(all.map((s) => s.provider)).size,
  };
}
