import { fixMessages, runFix } from '../../fix/index.js';
import { scan, type ScanResult } from '../../scan.js';
import { renderFixResult } from './fix.js';

/**
 * Inside `git commit`: offer the fix on the terminal. When every key was moved and
 * the staged changes re-scan clean, the commit goes on (exit 0) with the fixed
 * content; otherwise it stays blocked. Without a terminal nothing waits; in
 * `git commit <paths>` nothing is fixed (git commits a temporary index there).
 */
export async function offerFixInHook(result: ScanResult, cwd: string, configFile: string | undefined): Promise<number> {
  const outcome = await runFix({ repoRoot: result.repoRoot ?? cwd, findings: result.findings, mode: 'interactive' });
  // The report above already says the commit is blocked and names `leakguard fix`: said once.
  if (outcome.status === 'blocked-no-terminal') return 1;
  if (outcome.status === 'blocked-partial-commit') {
    process.stderr.write(`${fixMessages.blockedPartialCommit([...new Set(outcome.skipped.map((s) => s.file))])}\n`);
    return 1;
  }
  process.stderr.write(renderFixResult(outcome));
  if (!outcome.clean) return 1;
  const rescan = await scan({ cwd, source: { kind: 'staged' }, configFile });
  return rescan.findings.length ? 1 : 0;
}
