/** The command line's own sentences: usage errors (yargs' messages, reworded), help texts, init and uninstall. */
import { closestMatch } from '../text/did-you-mean.js';

const flag = (name: string): string => (name.length === 1 ? `-${name}` : `--${name}`);
const list = (items: readonly string[]): string => items.join(', ');

/** Everything `--help` says after the commands and options: settings, environment, exit codes, allow comments. */
export const HELP_EPILOGUE = [
  'Exit codes: 0 nothing found, 1 secrets found, 2 an error (bad flag, bad config, not a repository, git failed, unreadable input; one line on stderr).',
  '',
  'A false alarm: add a `leakguard:allow` comment on its line (`gitleaks:allow` and `pragma: allowlist secret` work too),',
  'an allowlist entry in .leakguard.json, or record it in a baseline (`leakguard baseline`).',
  '',
  'Settings: .leakguard.json at the repository root (JSON with comments; `leakguard init` writes one):',
  '  rules, disabledRules, allowlist (paths, regexes, stopwords), skipLockfiles, verify.',
  '',
  'Environment:',
  '  LEAKGUARD_SKIP=1           skip the scan of `scan` and the hooks, and say so',
  '  LEAKGUARD_NO_PROMPT=1      never ask on the terminal: the hook blocks and prints the command to run',
  '  CI                         any value but "false" or "0" turns the prompt off too',
  '  LEAKGUARD_DEBUG=1          print the stack trace of an internal error',
  '  LEAKGUARD_NO_CODE_CACHE=1  do not keep a V8 code cache of the hook in $TMPDIR',
  '  LEAKGUARD_BACKUP_DAYS=N    keep the backups of `leakguard fix` (they hold keys in plain text) N days (default 7)',
  '  NO_COLOR                   no colour; FORCE_COLOR=1 forces it',
  '  HTTPS_PROXY, NO_PROXY      the proxy for `scan --verify`',
  '',
  'Shell completion: `leakguard completion >> ~/.bashrc` (or ~/.zshrc).',
].join('\n');

export const cliMessages = {
  /** What a usage error's message becomes; `argv` is the command line, `known` the options of the command given. */
  usage(message: string, argv: readonly string[], known: readonly string[], commands: readonly string[]): string {
    const unknown = /^Unknown arguments?: (.+)$/s.exec(message);
    if (unknown) return unknownArguments(unknown[1]!.split(', '), argv, known, commands);
    // yargs' own suggestion allows any three edits ("foo" → fix): ours is stricter.
    if (/^Did you mean .+\?$/.test(message)) return unknownCommand(argv.find((a) => !a.startsWith('-')) ?? '', commands);
    const invalid = /^Invalid values:\s+Argument: ([^,]+), Given: (.*), Choices: (.*)$/s.exec(message);
    if (invalid) {
      const choices = invalid[3]!.split(', ').map((c) => c.replace(/^"|"$/g, ''));
      return `${flag(invalid[1]!)} ${invalid[2]} is not one of: ${list(choices)}`;
    }
    const noValue = /^Not enough arguments following: (.+)$/.exec(message);
    if (noValue) return `${flag(noValue[1]!)} needs a value`;
    const exclusive = /^Arguments (\S+) and (\S+) are mutually exclusive$/.exec(message);
    if (exclusive) return `${flag(exclusive[1]!)} and ${flag(exclusive[2]!)} cannot be used together`;
    const missing = /^Missing required arguments?: (.+)$/.exec(message);
    if (missing) return `missing ${list(missing[1]!.split(', ').map(flag))}`;
    const oneLine = message.replace(/\s*\n\s*/g, '; ').trim();
    return oneLine.charAt(0).toLowerCase() + oneLine.slice(1);
  },
  switchWithValue: (name: string, value: string): string => `${flag(name)} is a switch and takes no value (given "${value}")`,
  optionTwice: (name: string): string => `${flag(name)} was given more than once; give it once`,
  optionEmpty: (name: string): string => `${flag(name)} needs a value`,
  outputFolderMissing: (option: string, file: string, folder: string): string =>
    `${option} ${file}: the folder ${folder} does not exist; create it first or choose another path`,
  outputNotWritable: (option: string, file: string, code: string): string => `${option} ${file}: cannot write there (${code})`,

  /** Outside a repository: what each command needs. */
  fixNeedsRepo: 'run it inside the git repository that holds the keys',
  installNeedsRepo: "run `git init` first, or run it inside your project's repository",
  uninstallNeedsRepo: 'run it inside the repository whose hooks run leakguard',

  // leakguard init
  initWrote: (file: string): string =>
    `leakguard: wrote ${file} (a starter configuration; your editor completes and checks it through its $schema)`,
  initExists: (file: string): string => `${file} already exists; edit it, or delete it and run \`leakguard init\` again`,
  initOfferInstall: "Add leakguard to this repository's pre-commit and pre-push hooks now? [Y/n] ",
  initNextStep: 'To block commits and pushes that add secrets, run:\n    npx leakguard install',
  initNoRepo: 'This folder is not a git repository: run `git init`, then `npx leakguard install` to add the hooks.',

  // leakguard uninstall
  uninstallRemoved: (hook: string, file: string): string => `leakguard: removed leakguard from the ${hook} hook (${file})`,
  uninstallDeleted: (hook: string, file: string): string => `leakguard: deleted the ${hook} hook leakguard had created (${file})`,
  uninstallNothing: 'leakguard: no hook of this repository runs leakguard; nothing to remove',
  uninstallUnparsable: (file: string): string =>
    `${file}: the script would not parse without leakguard's lines, so it was left as it is. Remove them by hand`,
} as const;

/**
 * "Unknown argument: stagged" → "unknown option --stagged: did you mean --staged?".
 * A word without dashes is an unknown command (first) or an extra argument.
 */
function unknownArguments(
  names: readonly string[],
  argv: readonly string[],
  known: readonly string[],
  commands: readonly string[],
): string {
  // yargs names a misspelt `--dry-rn` twice, also as `dryRn`.
  const kebab = (name: string) => name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
  const shown = names.filter((name) => !/[A-Z]/.test(name) || !names.includes(kebab(name)));
  const parts = shown.map((name) => {
    const asFlag = argv.some((a) => a === flag(name) || a.startsWith(`${flag(name)}=`) || a === `--no-${name}`);
    if (asFlag) {
      // `--no-such-flag` is read as the negation of `such-flag`: named as typed.
      const typed = argv.some((a) => a === flag(name) || a.startsWith(`${flag(name)}=`)) ? flag(name) : `--no-${name}`;
      const suggestion = closestMatch(name, known);
      return `unknown option ${typed}${suggestion ? `: did you mean ${typed.startsWith('--no-') ? `--no-${suggestion}` : flag(suggestion)}?` : ''}`;
    }
    return argv.some((a) => commands.includes(a)) ? `unexpected argument "${name}"` : unknownCommand(name, commands);
  });
  return parts.join('; ');
}

function unknownCommand(name: string, commands: readonly string[]): string {
  const suggestion = closestMatch(name, commands);
  return `unknown command "${name}"${suggestion ? `: did you mean \`leakguard ${suggestion}\`?` : ` (commands: ${list(commands)})`}`;
}
