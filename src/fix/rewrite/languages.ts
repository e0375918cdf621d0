/**
 * Which language a file is written in, and the expression that reads an
 * environment variable in it.
 */
import { goLookup, goOsImport } from './go-imports.js';

export type Language =
  | 'python'
  | 'javascript'
  | 'go'
  | 'ruby'
  | 'php'
  | 'java'
  | 'csharp'
  | 'shell'
  | 'dockerfile'
  | 'yaml'
  | 'github-actions'
  | 'npmrc';

/** `.env`, `.env.local`, `production.env` …: files that are themselves env files. */
export function isDotenvFile(path: string): boolean {
  const name = basename(path);
  return name === '.env' || name.startsWith('.env.') || name.endsWith('.env');
}

/** Language of a file from its path, then its shebang. `json` and unknown files get undefined. */
export function languageOf(path: string, content = ''): Language | undefined {
  const name = basename(path);
  const lower = name.toLowerCase();
  const ext = lower.includes('.') ? lower.slice(lower.lastIndexOf('.')) : '';
  if (/(^|\/)\.github\/workflows\/[^/]+\.ya?ml$/.test(path)) return 'github-actions';
  if (lower === 'dockerfile' || lower.startsWith('dockerfile.') || ext === '.dockerfile') return 'dockerfile';
  if (lower === '.npmrc') return 'npmrc';
  if (lower === 'rakefile' || lower === 'gemfile') return 'ruby';
  const byExt = EXTENSIONS[ext];
  if (byExt) return byExt;
  const shebang = /^(?:\uFEFF)?#!\s*(\S+)(?:\s+(\S+))?/.exec(content);
  if (shebang) {
    const program = basename(shebang[1] === '/usr/bin/env' || shebang[1]?.endsWith('/env') ? (shebang[2] ?? '') : shebang[1]!);
    if (/^python[0-9.]*$/.test(program)) return 'python';
    if (/^(ba|z|k|da)?sh$/.test(program)) return 'shell';
    if (program === 'node') return 'javascript';
    if (program === 'ruby') return 'ruby';
    if (program === 'php') return 'php';
  }
  return undefined;
}

const EXTENSIONS: Record<string, Language> = {
  '.py': 'python',
  '.pyw': 'python',
  '.js': 'javascript',
  '.mjs': 'javascript',
  '.cjs': 'javascript',
  '.jsx': 'javascript',
  '.ts': 'javascript',
  '.tsx': 'javascript',
  '.mts': 'javascript',
  '.cts': 'javascript',
  '.go': 'go',
  '.rb': 'ruby',
  '.php': 'php',
  '.java': 'java',
  '.cs': 'csharp',
  '.sh': 'shell',
  '.bash': 'shell',
  '.zsh': 'shell',
  '.yml': 'yaml',
  '.yaml': 'yaml',
};

/** The expression that reads NAME from the environment (for code languages). */
export function lookupExpression(language: Language, envVar: string, content = '', path = ''): string {
  switch (language) {
    case 'python':
      return `os.getenv("${envVar}")`;
    // TypeScript types process.env.X as string | undefined; `!` keeps a declared
    // `string` valid without inventing a value (`?? ''` would hide a missing key).
    case 'javascript':
      return isTypeScript(path) ? `process.env.${envVar}!` : `process.env.${envVar}`;
    case 'go':
      return goLookup(goOsImport(content), envVar);
    case 'ruby':
      return `ENV["${envVar}"]`;
    case 'php':
      return `getenv('${envVar}')`;
    case 'java':
      return `System.getenv("${envVar}")`;
    case 'csharp':
      return /^\s*using\s+System\s*;/m.test(content)
        ? `Environment.GetEnvironmentVariable("${envVar}")`
        : `System.Environment.GetEnvironmentVariable("${envVar}")`;
    case 'github-actions':
      return `\${{ secrets.${actionsSecretName(envVar)} }}`;
    default:
      return `\${${envVar}}`;
  }
}

export function isTypeScript(path: string): boolean {
  return /\.(ts|tsx|mts|cts)$/i.test(path);
}

/** docker compose files: compose itself fills ${NAME} from the .env beside the file. */
export function isComposeFile(path: string): boolean {
  return /(^|\/)(docker-)?compose(\.[\w-]+)?\.ya?ml$/i.test(path);
}

/** YAML whose ${NAME} the tool really expands from the environment: compose, Spring's application*.yml. */
export function yamlExpandsEnv(path: string): boolean {
  return isComposeFile(path) || /(^|\/)application(-[\w-]+)?\.ya?ml$/i.test(path);
}

/** GitHub reserves the GITHUB_ prefix (secrets.GITHUB_TOKEN is the workflow's own token). */
export function actionsSecretName(envVar: string): string {
  return envVar.startsWith('GITHUB_') ? `GH_${envVar.slice('GITHUB_'.length)}` : envVar;
}

export function basename(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}
