import { messages } from '../messages.js';
import { reportError } from './report-error.js';

/**
 * The pre-commit hook runs `leakguard scan [--staged]` on every commit, so that
 * exact call skips the argument parser (and everything else it would load).
 */
const HOT_PATH_ARGS = new Set(['--staged', '--format=text', '--format=json']);

function isHotPath(argv: readonly string[]): boolean {
  return argv[0] === 'scan' && argv.slice(1).every((a) => HOT_PATH_ARGS.has(a));
}

async function run(argv: string[]): Promise<number> {
  if ((argv[0] === 'scan' || argv[0] === 'pre-push') && process.env.LEAKGUARD_SKIP === '1') {
    process.stderr.write(`${messages.skipped}\n`);
    return 0;
  }
  if (isHotPath(argv)) {
    const { scanCommand } = await import('./commands/scan.js');
    const format = argv.includes('--format=json') ? 'json' : 'text';
    return scanCommand({ staged: true, format });
  }
  // The pre-push hook's call: no argument parser either (its arguments are git's remote name and URL).
  if (argv[0] === 'pre-push') {
    const { prePushCommand } = await import('./commands/pre-push.js');
    return prePushCommand();
  }
  const { main } = await import('./main.js');
  return main(argv);
}

run(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.exitCode = reportError(error);
  },
);
