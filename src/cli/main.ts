import yargs, { type Argv } from 'yargs';
import { hideBin } from 'yargs/helpers';
import { UsageError } from '../errors.js';
import { reportError } from './report-error.js';
import { FORMATS, type Format } from '../report/reporters/index.js';
import { toolVersion } from './version.js';

/**
 * The bin entry: parse arguments, run one command, map the outcome to an exit
 * code in this one place — 0 clean, 1 findings, 2 any error (one line on stderr).
 */
export async function main(argv: string[] = hideBin(process.argv)): Promise<number> {
  let exitCode = 0;
  const setExit = (code: number): void => {
    exitCode = code;
  };
  try {
    await buildParser(argv, setExit).parseAsync();
  } catch (error) {
    return reportError(error);
  }
  return exitCode;
}

function sourceOptions<T>(y: Argv<T>) {
  return y
    .positional('paths', { type: 'string', array: true, describe: 'files or folders to scan' })
    .option('staged', { type: 'boolean', describe: 'staged changes (default inside a git repository)' })
    .option('range', { type: 'string', describe: 'every commit in A..B or A...B, added lines only' })
    .option('history', { type: 'boolean', describe: 'every commit reachable from any ref' })
    .option('unpushed', { type: 'boolean', describe: 'commits of HEAD that no remote-tracking ref contains (what a push publishes)' })
    .option('stdin', { type: 'boolean', describe: 'text from standard input' })
    .option('config', { type: 'string', describe: 'config file (default: .leakguard.json at the repository root)' })
    .option('trust-head-config', {
      type: 'boolean',
      describe: "with --range: use the checked-out config and baseline, not the range's base commit's",
    })
    .option('debug', { type: 'boolean', describe: 'log why each candidate was skipped' });
}

function buildParser(argv: string[], setExit: (code: number) => void): Argv {
  return yargs(argv)
    .scriptName('leakguard')
    .command(
      'scan [paths..]',
      'scan for secrets',
      (y) =>
        sourceOptions(y)
          .option('format', { choices: FORMATS, default: 'text' as Format, describe: 'report format' })
          .option('output', { type: 'string', describe: 'write the report to FILE instead of stdout' })
          .option('baseline', { type: 'string', describe: 'findings recorded in FILE are not reported' })
          .option('show-secrets', { type: 'boolean', describe: 'print secrets in full (default: redacted)' })
          .option('verify', { type: 'boolean', describe: "check each distinct key with its provider's read-only endpoint (opt-in; contacts the network)" })
          .option('only-verified', { type: 'boolean', describe: 'report live keys only (implies --verify)' })
          .option('fail-on', { choices: ['any', 'live'] as const, describe: 'what sets exit 1: any finding (default) or a live key (implies --verify)' }),
      async (args) => {
        const { scanCommand } = await import('./commands/scan.js');
        setExit(await scanCommand({ ...args, paths: args.paths, showSecrets: args.showSecrets }));
      },
    )
    .command(
      'baseline [paths..]',
      "record today's findings so that only new ones block",
      (y) => sourceOptions(y).option('output', { type: 'string', describe: 'baseline file (default: .leakguard-baseline.json)' }),
      async (args) => {
        const { baselineCommand } = await import('./commands/baseline.js');
        setExit(await baselineCommand({ ...args, paths: args.paths }));
      },
    )
    .command(
      'fix',
      'move staged keys into .env and read them from the environment',
      (y) =>
        y
          .option('yes', { type: 'boolean', describe: 'apply without asking' })
          .option('unpushed', { type: 'boolean', describe: 'rewrite the commits no remote has yet so that none holds a key (the old tip is kept under refs/leakguard/backup/)' })
          .option('dry-run', { type: 'boolean', describe: 'print the planned edits as a diff; change nothing' })
          .option('undo', { type: 'boolean', describe: 'restore the files and index entries saved by the last fix' })
          .option('force', { type: 'boolean', describe: 'with --undo: undo even after later edits or a commit' })
          .option('config', { type: 'string', describe: 'config file' })
          .conflicts('yes', 'dry-run')
          .conflicts('undo', ['yes', 'dry-run']),
      async (args) => {
        if (args.unpushed) {
          const { fixUnpushedCommand } = await import('./commands/fix-unpushed.js');
          setExit(await fixUnpushedCommand({ dryRun: args.dryRun, undo: args.undo, force: args.force, config: args.config }));
          return;
        }
        const { fixCommand } = await import('./commands/fix.js');
        setExit(await fixCommand({ yes: args.yes, dryRun: args.dryRun, undo: args.undo, force: args.force, config: args.config }));
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
      (y) =>
        y
          .option('format', { choices: ['text', 'json'] as const, default: 'text' as const })
          .option('config', { type: 'string', describe: 'config file' }),
      async (args) => {
        const { rulesCommand } = await import('./commands/rules.js');
        setExit(await rulesCommand(args));
      },
    )
    .demandCommand(1, 'name a command: scan, fix, install, baseline or rules')
    .strict()
    .version(toolVersion())
    .help()
    .wrap(null)
    .fail((message, error) => {
      throw error ?? new UsageError(message);
    });
}

