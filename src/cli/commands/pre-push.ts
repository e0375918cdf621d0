/**
 * `leakguard pre-push [REMOTE] [URL]`: what the installed pre-push hook runs. Reads
 * git's ref lines on stdin, scans the commits the push would publish and blocks it
 * (exit 1) when one adds a key. Never asks anything: the report names
 * `leakguard fix --unpushed`.
 */
import { parsePrePushInput, revisionsToScan } from '../../git/pre-push-input.js';
import { maskFindings } from '../../redact.js';
import { REPORTERS } from '../../report/reporters/index.js';
import { scan } from '../../scan.js';
import { emitReport, STDOUT_FD, useColor } from '../output.js';
import { toolVersion } from '../version.js';
import { readStdin } from '../../sources/stdin.js';

export async function prePushCommand(cwd = process.cwd(), input: string = readStdin()): Promise<number> {
  const revisions = revisionsToScan(parsePrePushInput(input));
  if (!revisions) return 0;
  const result = await scan({ cwd, source: { kind: 'unpushed', revisions } });
  const textReporter = await REPORTERS.text();
  const report = textReporter(maskFindings(result.findings, false), {
    stats: result.stats,
    source: result.source,
    baselined: result.baselined,
    color: useColor(STDOUT_FD, undefined),
    rules: result.rules,
    // Read from package.json only by a report that prints it (SARIF, HTML): ~1 ms the hooks' text report does not need.
    get toolVersion() {
      return toolVersion();
    },
  });
  await emitReport(report, undefined, cwd);
  return result.findings.length ? 1 : 0;
}
