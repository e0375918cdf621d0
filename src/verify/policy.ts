/**
 * Where `--verify` may run without being asked for in the config: anywhere but a git
 * hook and a pull request from a fork. A fork's pull request runs the CI of the base
 * repository on commits someone else wrote; its log is public, so it would tell the
 * author whether any key they put in the pull request works.
 */
import { readFileSync } from 'node:fs';
import { verifyMessages } from './messages.js';
import type { VerifyConfig } from '../rules/verify-spec/types.js';

/** The config's "verify" field, normalised: `true` is `{ hook: true }`. */
export function verifyConfigOf(value: boolean | VerifyConfig | undefined): VerifyConfig {
  if (value === true) return { hook: true };
  if (!value) return {};
  return value;
}

/** Why verification may not run here, or undefined when it may. */
export function verificationBlocked(context: { inHook: boolean; config: VerifyConfig; env: NodeJS.ProcessEnv }): string | undefined {
  if (context.inHook && !context.config.hook) return verifyMessages.notAllowedInHook;
  if (isForkPullRequest(context.env) && !context.config.forkPullRequests) return verifyMessages.notAllowedOnFork;
  return undefined;
}

/**
 * GitHub Actions: a pull_request(_target) event whose head repository is not the
 * base repository. An event file that cannot be read counts as a fork.
 */
export function isForkPullRequest(env: NodeJS.ProcessEnv): boolean {
  const event = env.GITHUB_EVENT_NAME;
  if (event !== 'pull_request' && event !== 'pull_request_target') return false;
  try {
    const payload = JSON.parse(readFileSync(env.GITHUB_EVENT_PATH ?? '', 'utf8')) as {
      pull_request?: { head?: { repo?: { full_name?: string } | null }; base?: { repo?: { full_name?: string } } };
    };
    const head = payload.pull_request?.head?.repo?.full_name;
    const base = payload.pull_request?.base?.repo?.full_name;
    return !head || !base || head !== base;
  } catch {
    return true;
  }
}
