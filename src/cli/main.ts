import yargs, { type Argv, type Options } from 'yargs';
import { hideBin } from 'yargs/helpers';
import { UsageError } from '../errors.js';
import { reportError } from './report-error.js';
import { FORMATS, type Format } from '../report/reporters/index.js';
import { cliMessages, HELP_EPILOGUE } from './cli-messages.js';
import { checkOptionValues } from './option-values.js';
import { checkOutputPath } from './output-path.js';
import { toolVersion } from './version.js';

/**
 * The bin entry: parse arguments, run one command, map the outcome to an exit
 * code in this one place — 0 clean, 1 findings, 2 any error (one line on stderr).
 * A bare `leakguard` prints the help.
 */
export async function main(argv: string[] = hideBin(process.argv)): Promise<number> {
  let exitCode = 0;
  const setExit = (code: number): void => {
    exitCode = code;
  };
  try {
    await buildParser(argv.length ? argv : ['--help'], setExit).parseAsync();
  } catch (error) {
    return reportError(error);
  }
  return exitCode;
}

/** What to scan: one of these, or PATH... (shared by `scan` and `baseline`, whose defaults differ). */
const sourceOptions = (stagedDefault: string) =>
  ({
    staged: { type: 'boolean', describe: `staged changes${stagedDefault}` },
    range: { type: 'string', requiresArg: true, describe: 'every commit in A..B or A...B, added lines only' },
    history: { type: 'boolean', describe: 'every commit reachable from any ref' },
    unpushed: { type: 'boolean', describe: 'commits of HEAD that no remote-tracking ref contains (what a push publishes)' },
    stdin: { type: 'boolean', describe: 'text from standard input' },
    config: { type: 'string', requiresArg: true, describe: 'config file (default: .leakguard.json at the repository root)' },
    'trust-head-config': {
      type: 'boolean',
      describe: "with --range: use the checked-out config and baseline, not the range's base commit's",
    },
    'ignore-file': {
      type: 'string',
      requiresArg: true,
      describe: 'fingerprints of false alarms, one a line (default: .leakguardignore at the repository root)',
    },
    debug: { type: 'boolean', describe: 'log why each candidate was skipped' },
  }) satisfies Record<string, Options>;

const SCAN_OPTIONS = {
  ...sourceOptions(' (the default inside a git repository when no PATH or other source is given)'),
  format: { choices: FORMATS, default: 'text' as Format, requiresArg: true, describe: 'report format' },
  output: { type: 'string', requiresArg: true, describe: 'write the report to FILE instead of stdout' },
  'output-sarif': {
    type: 'string',
    requiresArg: true,
    describe: 'also write a SARIF report to FILE (one scan gives CI its annotations and code scanning)',
  },
  baseline: { type: 'string', requiresArg: true, describe: 'findings recorded in FILE are not reported' },
  'show-secrets': { type: 'boolean', describe: 'print secrets in full (default: redacted)' },
  verify: { type: 'boolean', describe: "check each distinct key with its provider's read-only endpoint (opt-in; contacts the network)" },
  'only-verified': { type: 'boolean', describe: 'report live keys only (implies --verify)' },
  'fail-on': {
    choices: ['any', 'live'] as const,
    requiresArg: true,
    describe: 'what sets exit 1: any finding (default) or a live key (implies --verify)',
  },
} satisfies Record<string, Options>;

const BASELINE_OPTIONS = {
  ...sourceOptions(' (without a source flag or PATH, the baseline records the whole work tree)'),
  output: { type: 'string', requiresArg: true, describe: 'baseline file (default: .leakguard-baseline.json at the repository root)' },
} satisfies Record<string, Options>;

const AUDIT_OPTIONS = {
  ...sourceOptions(' (without a source flag or PATH, the audit walks the whole work tree)'),
} satisfies Record<string, Options>;

const FIX_OPTIONS = {
  yes: { type: 'boolean', describe: 'apply without asking' },
  unpushed: {
    type: 'boolean',
    describe: 'rewrite the commits no remote has yet so that none holds a key (the old tip is kept under refs/leakguard/backup/)',
  },
  'dry-run': { type: 'boolean', describe: 'print the planned edits as a diff; change nothing' },
  undo: { type: 'boolean', describe: 'restore the files and index entries saved by the last fix' },
  force: { type: 'boolean', describe: 'with --undo: undo even after later edits or a commit' },
  clean: { type: 'boolean', describe: 'delete every fix backup now (they hold keys in plain text)' },
  config: { type: 'string', requiresArg: true, describe: 'config file' },
} satisfies Record<string, Options>;

const RULES_OPTIONS = {
  format: { choices: ['text', 'json'] as const, default: 'text' as const, requiresArg: true, describe: 'list format' },
  config: { type: 'string', requiresArg: true, describe: 'config file (its custom rules are listed too)' },
} satisfies Record<string, Options>;

const INIT_OPTIONS = {
  yes: { type: 'boolean', describe: 'do not ask; print the command that adds the hooks' },
} satisfies Record<string, Options>;

/** Each command's options: for "did you mean" on a misspelt flag, and for checkOptionValues. */
const COMMAND_OPTION_SPECS: Record<string, Readonly<Record<string, Options>>> = {
  scan: SCAN_OPTIONS,
  baseline: BASELINE_OPTIONS,
  audit: AUDIT_OPTIONS,
  fix: FIX_OPTIONS,
  rules: RULES_OPTIONS,
  init: INIT_OPTIONS,
  install: {},
  uninstall: {},
  'pre-push': {},
  completion: {},
};
const COMMAND_OPTIONS: Record<string, readonly string[]> = Object.fromEntries(
  Object.entries(COMMAND_OPTION_SPECS).map(([command, options]) => [command, Object.keys(options)]),
);
const COMMANDS = Object.keys(COMMAND_OPTIONS);
const GLOBAL_OPTIONS = ['help', 'version'];

function knownOptions(argv: readonly string[]): string[] {
  const command = argv.find((a) => COMMANDS.includes(a));
  const own = command ? COMMAND_OPTIONS[command]! : [...new Set(Object.values(COMMAND_OPTIONS).flat())];
  return [...own, ...GLOBAL_OPTIONS];
}

function buildParser(argv: string[], setExit: (code: number) => void): Argv {
  const command = argv.find((a) => COMMANDS.includes(a));
  return yargs(argv)
    .scriptName('leakguard')
    .middleware(() => checkOptionValues(argv, command ? COMMAND_OPTION_SPECS[command]! : {}), true)
    .usage('leakguard <command> [options]\n\nStops API keys from reaching a git history.')
    .command(
      'scan [paths..]',
      'scan for secrets: the staged changes by default, or what the flags and PATHs say',
      (y) => y.positional('paths', { type: 'string', array: true, describe: 'files or folders to scan' }).options(SCAN_OPTIONS),
      async (args) => {
        checkOutputPath(args.output, '--output');
        checkOutputPath(args.outputSarif, '--output-sarif');
        const { scanCommand } = await import('./commands/scan.js');
        setExit(await scanCommand({ ...args, paths: args.paths, showSecrets: args.showSecrets }));
      },
    )
    .command(
      'baseline [paths..]',
      "record today's findings (the whole work tree by default) so that only new ones block",
      (y) => y.positional('paths', { type: 'string', array: true, describe: 'files or folders to record' }).options(BASELINE_OPTIONS),
      async (args) => {
        checkOutputPath(args.output, '--output');
        const { baselineCommand } = await import('./commands/baseline.js');
        setExit(await baselineCommand({ ...args, paths: args.paths }));
      },
    )
    .command(
      'audit [paths..]',
      'walk the findings on the terminal: real, false alarm (added to .leakguardignore) or skip',
      (y) => y.positional('paths', { type: 'string', array: true, describe: 'files or folders to audit' }).options(AUDIT_OPTIONS),
      async (args) => {
        const { auditCommand } = await import('./commands/audit.js');
        setExit(await auditCommand({ ...args, paths: args.paths }));
      },
    )
    .command(
      'fix',
      'move staged keys into .env and read them from the environment',
      (y) =>
        y
          .options(FIX_OPTIONS)
          .conflicts('yes', 'dry-run')
          .conflicts('undo', ['yes', 'dry-run'])
          .conflicts('clean', ['yes', 'dry-run', 'undo']),
      async (args) => {
        if (args.unpushed) {
          const { fixUnpushedCommand } = await import('./commands/fix-unpushed.js');
          setExit(await fixUnpushedCommand({ dryRun: args.dryRun, undo: args.undo, force: args.force, config: args.config }));
          return;
        }
        const { fixCommand } = await import('./commands/fix.js');
        setExit(
          await fixCommand({
            yes: args.yes,
            dryRun: args.dryRun,
            undo: args.undo,
            force: args.force,
            clean: args.clean,
            config: args.config,
          }),
        );
      },
    )
    .command(
      'init',
      'write a starter .leakguard.json (with comments and a $schema) and offer to install the hooks',
      (y) => y.options(INIT_OPTIONS),
      async (args) => {
        const { initCommand } = await import('./commands/init.js');
        setExit(await initCommand({ yes: args.yes }));
      },
    )
    .command(
      'install',
      'add leakguard to the pre-commit and pre-push hooks (husky, or plain git hooks)',
      (y) => y,
      async () => {
        const { installCommand } = await import('./commands/install.js');
        setExit(await installCommand());
      },
    )
    .command(
      'uninstall',
      'remove what `leakguard install` added to the hooks',
      (y) => y,
      async () => {
        const { uninstallCommand } = await import('./commands/uninstall.js');
        setExit(await uninstallCommand());
      },
    )
    .command(
      'pre-push [remote] [url]',
      "what the pre-push hook runs: scans the commits a push publishes (git's ref lines on stdin)",
      (y) => y.positional('remote', { type: 'string' }).positional('url', { type: 'string' }),
      async () => {
        const { prePushCommand } = await import('./commands/pre-push.js');
        setExit(await prePushCommand());
      },
    )
    .command(
      'rules',
      'list the rules',
      (y) => y.options(RULES_OPTIONS),
      async (args) => {
        const { rulesCommand } = await import('./commands/rules.js');
        setExit(await rulesCommand(args));
      },
    )
    .completion('completion', 'print a shell completion script (bash or zsh): leakguard completion >> ~/.bashrc')
    .recommendCommands()
    .strict()
    .version('version', 'print the version number', toolVersion())
    .alias('v', 'version')
    .help('help', 'print this help')
    .alias('h', 'help')
    .epilogue(HELP_EPILOGUE)
    .wrap(null)
    .fail((message, error) => {
      // Errors of the commands pass through; yargs' own become one line in our words.
      if (error && error.name !== 'YError') throw error;
      throw new UsageError(cliMessages.usage(message ?? error?.message ?? '', argv, knownOptions(argv), COMMANDS));
    });
}
