/**
 * `leakguard init`: writes a starter `.leakguard.json` (commented, with a `$schema`
 * so editors complete and check it) at the repository root, then offers to add the
 * hooks: asked on a terminal; with --yes or without one, the command is printed.
 */
import { lstatSync } from 'node:fs';
import path from 'node:path';
import { DEFAULT_CONFIG_FILE } from '../../config/load-config.js';
import { InputError } from '../../errors.js';
import { openTerminal } from '../../fix/prompt.js';
import { writeFileAtomic } from '../../fs/atomic-write.js';
import { findRepoRoot } from '../../git/repo.js';
import { escapeForDisplay } from '../../report/escape.js';
import { cliMessages } from '../cli-messages.js';
import { emitReport } from '../output.js';

/** Where the published schema is once leakguard is a dev dependency (package.json "files": schema/). */
export const SCHEMA_REFERENCE = './node_modules/leakguard/schema/leakguard.schema.json';

/** The starter file: every setting, at its default, with a comment saying what it does. */
export const STARTER_CONFIG = `// leakguard's settings for this repository (JSON with comments).
// Your editor completes and checks this file through "$schema".
// A single false alarm is easier to allow with a \`leakguard:allow\` comment on its line.
{
  "$schema": "${SCHEMA_REFERENCE}",

  "allowlist": {
    // Paths that are never reported (picomatch globs, from the repository root).
    "paths": [
      // "test/fixtures/**",
    ],
    // Regular expressions: a secret that matches one is not reported.
    "regexes": [],
    // Case-insensitive substrings: a secret that contains one is not reported.
    "stopwords": []
  },

  // Ids of rules that never run (\`npx leakguard rules\` lists them).
  "disabledRules": [],

  // Lockfiles beside their manifest hold integrity hashes, not keys: skipped unless false.
  "skipLockfiles": true

  // Your own rules run beside the built-in ones, for example:
  // "rules": [
  //   {
  //     "id": "acme-token",
  //     "description": "ACME internal token",
  //     "regex": "(?<secret>acme_[A-Za-z0-9]{32})",
  //     "keywords": ["acme_"],
  //     "envVar": "ACME_TOKEN"
  //   }
  // ]
}
`;

export interface InitArgs {
  /** Do not ask: print the install command instead. */
  yes?: boolean;
}

export async function initCommand(args: InitArgs, cwd = process.cwd()): Promise<number> {
  const root = await findRepoRoot(cwd);
  const file = path.join(root ?? cwd, DEFAULT_CONFIG_FILE);
  const shown = escapeForDisplay(path.relative(cwd, file) || file);
  if (exists(file)) throw new InputError(cliMessages.initExists(shown));
  await writeFileAtomic(file, STARTER_CONFIG);
  const say = (text: string) => emitReport(`${text}\n`, undefined, cwd);
  await say(cliMessages.initWrote(shown));
  if (!root) {
    await say(cliMessages.initNoRepo);
    return 0;
  }
  if (!args.yes && process.stdin.isTTY && (await askToInstall())) {
    const { installCommand } = await import('./install.js');
    return installCommand(cwd);
  }
  await say(cliMessages.initNextStep);
  return 0;
}

function exists(file: string): boolean {
  try {
    lstatSync(file);
    return true;
  } catch {
    return false;
  }
}

/** Asked on the terminal (never when CI or LEAKGUARD_NO_PROMPT says nobody is there); Enter means yes. */
async function askToInstall(): Promise<boolean> {
  const terminal = openTerminal();
  if (!terminal) return false;
  try {
    terminal.write(cliMessages.initOfferInstall);
    const answer = (await terminal.readLine())?.trim().toLowerCase();
    return answer === '' || answer === 'y' || answer === 'yes';
  } finally {
    terminal.close?.();
  }
}
