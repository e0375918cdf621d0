/**
 * Per rewritten file: does the program still get its key after the fix? Either
 * the fix adds the project's own loader call (the library is a dependency), the
 * project loads `.env` another way (compose, `node --env-file` in a script), or
 * the user is told the exact command that runs it with `.env`. Pure decisions on
 * what dotenv-loaders.ts found.
 */
import { shellWord } from '../git/shell-word.js';
import { fileLoadsDotenv, nodeProject, projectLoader, pythonManifests, type ProjectLoader } from './dotenv-loaders.js';
import { DOTENV_CALL_LINES, isComposeFile, type DotenvCall, type Language } from './rewrite/index.js';

export interface RunAdvice {
  file: string;
  language: Language;
  /** The loader the project depends on, if any. */
  loader: ProjectLoader | null;
  /** The file loads `.env` already (before the fix). */
  alreadyLoads: boolean;
  /** The call the fix adds to the file. */
  dotenvCall?: DotenvCall;
  /** The lines that call adds, for the preview and the report. */
  addedLines?: readonly string[];
  /** When nothing loads `.env`: how to run the program with it. */
  command?: string;
  /** What to add by hand (a loader library the fix does not call for you). */
  manual?: string;
  /** No loader: what the fix offers to add (interactive only; never added without a yes). */
  offer?: LoaderOffer;
  /** The offer was accepted: the fix adds it (the call, and the dependency if any). */
  offerAccepted?: boolean;
}

/**
 * The loader the fix can add on request: python-dotenv (a new line in a
 * requirements file, and load_dotenv() in the file), or Node's built-in
 * process.loadEnvFile() (no dependency).
 */
export type LoaderOffer =
  | { kind: 'python-dotenv'; call: 'python-dotenv'; requirements: string; createRequirements: boolean }
  | { kind: 'node-load-env-file'; call: 'node-load-env-file' };

/** Languages whose programs read the environment at run time (YAML workflows, .npmrc … do not). */
const RUNNABLE = new Set<Language>(['python', 'javascript', 'go', 'ruby', 'php', 'java', 'csharp', 'shell', 'dockerfile']);

/** `acceptOffer`: the user said yes to adding the loader the fix offers (see LoaderOffer). */
export function runAdviceFor(repoRoot: string, file: string, language: Language, content: string, acceptOffer = false): RunAdvice | null {
  if (!RUNNABLE.has(language) && !(language === 'yaml' && isComposeFile(file))) return null;
  const loader = projectLoader(repoRoot, file, language);
  const alreadyLoads = fileLoadsDotenv(content, language);
  const advice: RunAdvice = { file, language, loader, alreadyLoads };
  if (loader?.id === 'compose' || loader?.id === 'node-env-file' || alreadyLoads) return advice;
  const call = loader?.callable ? dotenvCallFor(repoRoot, file, language, content) : undefined;
  if (/\.ipynb$/i.test(file)) {
    const manual = '%load_ext dotenv then %dotenv in the first cell also works (python-dotenv)';
    return { ...advice, command: `${WITH_ENV} jupyter lab ${shellWord(file)}`, manual };
  }
  if (call) return { ...advice, dotenvCall: call, addedLines: DOTENV_CALL_LINES[call] };
  const offer = loader ? undefined : loaderOffer(repoRoot, file, language);
  if (offer && acceptOffer)
    return { ...advice, offer, offerAccepted: true, dotenvCall: offer.call, addedLines: DOTENV_CALL_LINES[offer.call] };
  return { ...advice, command: runCommand(file, language), manual: manualStep(loader, language, file), offer };
}

/** The oldest Node with process.loadEnvFile(). */
const LOAD_ENV_FILE_SINCE = [20, 12] as const;

export function nodeHasLoadEnvFile(version = process.versions.node): boolean {
  const [major, minor] = version.split('.').map(Number) as [number, number];
  return major > LOAD_ENV_FILE_SINCE[0] || (major === LOAD_ENV_FILE_SINCE[0] && minor >= LOAD_ENV_FILE_SINCE[1]);
}

/**
 * What the fix may offer when the project has no loader. Python: python-dotenv in
 * the nearest requirements.txt (created at the root when the project has no Python
 * manifest at all; a pyproject.toml, Pipfile or setup.* project is left to the
 * user). Node (plain .js/.cjs/.mjs, on a Node that has it): process.loadEnvFile().
 */
function loaderOffer(repoRoot: string, file: string, language: Language): LoaderOffer | undefined {
  if (language === 'python') {
    const manifests = pythonManifests(repoRoot, file);
    if (manifests === null)
      return { kind: 'python-dotenv', call: 'python-dotenv', requirements: 'requirements.txt', createRequirements: true };
    const requirements = manifests.find((m) => m === 'requirements.txt' || m.endsWith('/requirements.txt'));
    return requirements ? { kind: 'python-dotenv', call: 'python-dotenv', requirements, createRequirements: false } : undefined;
  }
  if (language === 'javascript' && /\.(c|m)?js$/i.test(file) && nodeHasLoadEnvFile())
    return { kind: 'node-load-env-file', call: 'node-load-env-file' };
  return undefined;
}

function dotenvCallFor(repoRoot: string, file: string, language: Language, content: string): DotenvCall | undefined {
  if (language === 'python') return 'python-dotenv';
  if (language === 'ruby') return 'ruby-dotenv';
  if (language !== 'javascript') return undefined;
  if (/\.(mjs|mts)$/i.test(file)) return 'node-dotenv-esm';
  if (/\.(cjs|cts)$/i.test(file)) return 'node-dotenv-cjs';
  if (/^\s*(import|export)\s/m.test(content)) return 'node-dotenv-esm';
  return nodeProject(repoRoot, file).esm ? 'node-dotenv-esm' : 'node-dotenv-cjs';
}

/** `.env` exported into the environment of one command: works for every language, no dependency. */
const WITH_ENV = 'set -a; . ./.env; set +a;';

/** The exact command that runs the rewritten program with `.env` (from the repository root). */
export function runCommand(file: string, language: Language): string {
  const path = shellWord(file);
  switch (language) {
    case 'python':
      return `${WITH_ENV} python3 ${path}`;
    case 'javascript':
      return /\.(c|m)?js$/i.test(file) ? `node --env-file=.env ${path}` : `${WITH_ENV} npx tsx ${path}`;
    case 'ruby':
      return `${WITH_ENV} ruby ${path}`;
    case 'php':
      return `${WITH_ENV} php ${path}`;
    case 'go':
      return `${WITH_ENV} go run .`;
    case 'java':
      return `${WITH_ENV} <your usual java command>`;
    case 'csharp':
      return `${WITH_ENV} dotnet run`;
    case 'shell':
      return `${WITH_ENV} sh ${path}`;
    case 'dockerfile':
      return 'docker run --env-file .env IMAGE';
    default:
      return `${WITH_ENV} <your usual command>`;
  }
}

function manualStep(loader: ProjectLoader | null, language: Language, file: string): string | undefined {
  const path = shellWord(file);
  switch (loader?.id) {
    case 'godotenv':
      return `godotenv is in ${loader.manifest}: call godotenv.Load() at the start of main()`;
    case 'phpdotenv':
      return `vlucas/phpdotenv is in ${loader.manifest}: call Dotenv\\Dotenv::createUnsafeImmutable(__DIR__)->safeLoad() before getenv() runs`;
    case 'spring-config-import':
      return `${loader.manifest} imports .env into Spring's Environment, which System.getenv() does not read: inject the value with @Value("\${NAME}") or run with the command above`;
    default:
      break;
  }
  switch (language) {
    case 'dockerfile':
      return 'to use the key while building: RUN --mount=type=secret,id=NAME,env=NAME … and docker build --secret id=NAME,env=NAME .';
    case 'python':
      return `or add python-dotenv to your dependencies and call load_dotenv() at the start of ${path}; with python-dotenv[cli], \`python3 -m dotenv run -- python3 ${path}\` works too`;
    case 'javascript':
      return 'Node ≥ 20.12 can also call process.loadEnvFile() at start-up; or add the dotenv package and import "dotenv/config"';
    case 'ruby':
      return "or add the dotenv gem and require 'dotenv/load'";
    default:
      return undefined;
  }
}
