/**
 * After the fix, the program must still get its key: how does this project load
 * `.env`? Per language, the manifest nearest to the rewritten file (up to the
 * repository root) is read for the usual loader library, and the rewritten file
 * for a call to it. The answer decides whether the fix adds the loader call
 * (the library is already a dependency) or prints how to run the program with
 * `.env` (it is not: no dependency is ever added silently).
 *
 * Reads only small manifests, never through a link; parsing is plain text
 * matching (no TOML/YAML parser on this path).
 */
import { readdirSync } from 'node:fs';
import { dirname, join, posix } from 'node:path';
import { UnsafeFileError } from '../errors.js';
import { READ_LIMITS } from '../fs/bounded-read.js';
import { readWriteTarget } from '../fs/write-target.js';
import { isComposeFile, type Language } from './rewrite/index.js';

export type LoaderId =
  | 'python-dotenv'
  | 'dotenv'
  | 'node-env-file'
  | 'dotenv-gem'
  | 'godotenv'
  | 'phpdotenv'
  | 'spring-config-import'
  | 'compose';

export interface ProjectLoader {
  id: LoaderId;
  /** The manifest that names it, relative to the repository root. */
  manifest: string;
  /** The fix can add the call to the rewritten file itself (library loaders of Python, Node, Ruby). */
  callable: boolean;
}

/** Node: whether a file without its own hint is an ES module (package.json "type": "module"). */
export interface NodeProject {
  esm: boolean;
}

const MANIFEST_LIMIT = READ_LIMITS.config;

/** The loader the project already depends on for files of `language` under `file`'s folder, or null. */
export function projectLoader(repoRoot: string, file: string, language: Language): ProjectLoader | null {
  switch (language) {
    case 'python':
      return findUp(repoRoot, file, (dir) => {
        const names = listDir(repoRoot, dir).filter(isPythonManifest);
        for (const name of names.sort()) {
          const text = readSmall(repoRoot, join(dir, name));
          if (text && /(^|["'\s,[])python-dotenv\b/im.test(text)) return { id: 'python-dotenv', manifest: rel(dir, name), callable: true };
        }
        return undefined;
      });
    case 'javascript':
      return findUp(repoRoot, file, (dir) => {
        const text = readSmall(repoRoot, join(dir, 'package.json'));
        if (text === null) return undefined;
        const manifest = rel(dir, 'package.json');
        const pkg = parseJson(text);
        const deps = { ...(pkg?.dependencies ?? {}), ...(pkg?.devDependencies ?? {}) } as Record<string, unknown>;
        if ('dotenv' in deps) return { id: 'dotenv', manifest, callable: true };
        const scripts = Object.values((pkg?.scripts ?? {}) as Record<string, unknown>).join('\n');
        if (/--env-file\b/.test(scripts)) return { id: 'node-env-file', manifest, callable: false };
        return null; // the nearest package.json decides
      });
    case 'ruby':
      return manifestMentions(repoRoot, file, ['Gemfile'], /^\s*gem\s+['"]dotenv(-rails)?['"]/m, 'dotenv-gem', true);
    case 'go':
      return manifestMentions(repoRoot, file, ['go.mod'], /github\.com\/joho\/godotenv/, 'godotenv', false);
    case 'php':
      return manifestMentions(repoRoot, file, ['composer.json'], /"vlucas\/phpdotenv"/, 'phpdotenv', false);
    case 'java':
      return findUp(repoRoot, file, (dir) => {
        for (const name of [
          'src/main/resources/application.properties',
          'src/main/resources/application.yml',
          'src/main/resources/application.yaml',
          'application.properties',
          'application.yml',
        ]) {
          const text = readSmall(repoRoot, join(dir, name));
          if (text && /config[.-]?import[\s\S]{0,200}\.env/.test(text))
            return { id: 'spring-config-import', manifest: rel(dir, name), callable: false };
        }
        return undefined;
      });
    case 'yaml':
      // docker compose expands ${VAR} from the .env beside the compose file by itself.
      return isComposeFile(file) ? { id: 'compose', manifest: file, callable: false } : null;
    default:
      return null;
  }
}

/** The Python manifests of the folder nearest to `file` that has any (repository-relative), or null when none has. */
export function pythonManifests(repoRoot: string, file: string): string[] | null {
  for (let dir = dirname(file); ; dir = dirname(dir)) {
    const normalized = dir === '.' ? '' : dir;
    const names = listDir(repoRoot, normalized).filter(isPythonManifest).sort();
    if (names.length) return names.map((name) => rel(normalized, name));
    if (normalized === '') return null;
  }
}

function isPythonManifest(name: string): boolean {
  return (
    /^requirements[\w.-]*\.(txt|in)$/i.test(name) ||
    name === 'pyproject.toml' ||
    name === 'Pipfile' ||
    name === 'setup.cfg' ||
    name === 'setup.py'
  );
}

export function nodeProject(repoRoot: string, file: string): NodeProject {
  const found = findUp(repoRoot, file, (dir) => {
    const text = readSmall(repoRoot, join(dir, 'package.json'));
    if (text === null) return undefined;
    return { id: 'dotenv' as const, manifest: parseJson(text)?.type === 'module' ? 'esm' : 'cjs', callable: false };
  });
  return { esm: found?.manifest === 'esm' };
}

/** True when the file itself already loads `.env` (then nothing is added). */
export function fileLoadsDotenv(content: string, language: Language): boolean {
  switch (language) {
    case 'python':
      return /\bload_dotenv\s*\(|\bdotenv_values\s*\(/.test(content);
    case 'javascript':
      return /\bdotenv\b|\bloadEnvFile\s*\(/.test(content);
    case 'ruby':
      return /require\s*\(?\s*['"]dotenv/.test(content) || /Dotenv\.load/.test(content);
    case 'go':
      return /godotenv\./.test(content);
    case 'php':
      return /Dotenv\\?\s*Dotenv|Dotenv::create/.test(content);
    default:
      return false;
  }
}

function manifestMentions(
  repoRoot: string,
  file: string,
  names: string[],
  pattern: RegExp,
  id: LoaderId,
  callable: boolean,
): ProjectLoader | null {
  return findUp(repoRoot, file, (dir) => {
    for (const name of names) {
      const text = readSmall(repoRoot, join(dir, name));
      if (text === null) continue;
      return pattern.test(text) ? { id, manifest: rel(dir, name), callable } : null;
    }
    return undefined;
  });
}

/**
 * Walks from the file's folder up to the root; `probe` returns a loader (found),
 * null (this folder's manifest decides: none) or undefined (look further up).
 */
function findUp(repoRoot: string, file: string, probe: (dir: string) => ProjectLoader | null | undefined): ProjectLoader | null {
  for (let dir = dirname(file); ; dir = dirname(dir)) {
    const normalized = dir === '.' ? '' : dir;
    const found = probe(normalized);
    if (found !== undefined) return found;
    if (normalized === '') return null;
  }
}

function rel(dir: string, name: string): string {
  return dir ? posix.join(dir, name) : name;
}

function listDir(repoRoot: string, dir: string): string[] {
  try {
    return readdirSync(join(repoRoot, dir));
  } catch {
    return [];
  }
}

function readSmall(repoRoot: string, path: string): string | null {
  try {
    return readWriteTarget(repoRoot, path, MANIFEST_LIMIT)?.toString('utf8') ?? null;
  } catch (error) {
    if (error instanceof UnsafeFileError) return null; // a link or a huge file: not ours to read
    throw error;
  }
}

function parseJson(text: string): Record<string, unknown> | null {
  try {
    const value = JSON.parse(text) as unknown;
    return value && typeof value === 'object' ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}
