/**
 * What `leakguard scan` does with --verify / --only-verified / --fail-on live, loaded
 * only when one of them (or the config, in a hook) asks for verification. Writes its
 * stderr lines through `warn`; the report itself is the reporters' job.
 */
import type { Finding } from '../detect/finding.js';
import type { RuleSpec } from '../rules/rule.js';
import { verifyMessages } from './messages.js';
import { verificationBlocked, verifyConfigOf } from './policy.js';
import { proxyFromEnv } from './proxy.js';
import type { Transport } from './transport.js';
import type { VerifyConfig } from '../rules/verify-spec/types.js';
import { verifyFindings } from './verify.js';

export type FailOn = 'any' | 'live';

export interface CliVerifyInput {
  findings: Finding[];
  rules: readonly RuleSpec[];
  config: boolean | VerifyConfig | undefined;
  inHook: boolean;
  failOn: FailOn;
  onlyVerified: boolean;
  warn: (line: string) => void;
  env?: NodeJS.ProcessEnv;
  transport?: Transport;
}

export interface CliVerifyOutput {
  /** The findings to report: verified, and only the live ones with --only-verified. */
  findings: Finding[];
  /** What sets exit 1 in the end: `any` when verification could not run here. */
  failOn: FailOn;
}

export async function verifyForCli(input: CliVerifyInput): Promise<CliVerifyOutput> {
  const env = input.env ?? process.env;
  const blocked = verificationBlocked({ inHook: input.inHook, config: verifyConfigOf(input.config), env });
  if (blocked) {
    // Fail closed: nothing hidden, everything counts.
    input.warn(verifyMessages.skipped(blocked));
    return { findings: input.findings, failOn: 'any' };
  }
  const verified = await verifyFindings(input.findings, input.rules, {
    transport: input.transport,
    onPlan: (hosts) => {
      const proxied = hosts.map((h) => proxyFromEnv(env, h)).find((p) => p && 'display' in p);
      input.warn(verifyMessages.contacting(hosts, proxied && 'display' in proxied ? proxied.display : undefined));
    },
  });
  if (!input.onlyVerified) return { findings: verified, failOn: input.failOn };
  const live = verified.filter((f) => f.verification?.status === 'live');
  if (live.length < verified.length) input.warn(verifyMessages.hiddenByOnlyVerified(verified.length - live.length));
  return { findings: live, failOn: input.failOn };
}

/** Exit 1 or 0 for the findings that are reported. */
export function failingFindings(findings: readonly Finding[], failOn: FailOn): boolean {
  return failOn === 'live' ? findings.some((f) => f.verification?.status === 'live') : findings.length > 0;
}
