/**
 * `--verify`: asks each key's provider whether it still works. Each distinct request
 * (so each distinct key, or key pair) is sent once, with at most `concurrency` under
 * way and a time-out on each. Never prints: the hosts are handed to `onPlan` before
 * the first request, and each finding comes back with its `verification`.
 */
import type { Finding } from '../detect/finding.js';
import type { RuleSpec } from '../rules/rule.js';
import { verifyMessages } from './messages.js';
import { isSafeValue, renderTemplate, type TemplateValues } from '../rules/verify-spec/template.js';
import { httpsTransport, TransportError, type IncomingResponse, type OutgoingRequest, type Transport } from './transport.js';
import type { HttpVerifySpec, Verification, VerifySpec } from '../rules/verify-spec/types.js';
import { VERIFIERS, type Outcome, type PlannedCheck } from './verifiers.js';

export const DEFAULT_TIMEOUT_MS = 3000;
export const DEFAULT_CONCURRENCY = 8;
const DEFAULT_WITHIN = 5;

export interface VerifyOptions {
  /** How requests are sent; default HTTPS with the environment's proxy. Tests pass their own. */
  transport?: Transport;
  timeoutMs?: number;
  concurrency?: number;
  now?: () => Date;
  /** Called once, before the first request, with the hosts that will be contacted (sorted). */
  onPlan?: (hosts: string[]) => void;
}

/** A rule's `verify` block, when the rule has one. */
export type RuleWithVerify = Pick<RuleSpec, 'id'> & { verify?: VerifySpec };

interface Job {
  check: PlannedCheck;
  findings: number[];
}

/** The findings, each with a `verification`; the order is kept. */
export async function verifyFindings(
  findings: readonly Finding[],
  rules: readonly RuleWithVerify[],
  options: VerifyOptions = {},
): Promise<Finding[]> {
  const now = options.now ?? (() => new Date());
  const specs = new Map(rules.map((r) => [r.id, r.verify]));
  const outcomes: (Outcome | undefined)[] = findings.map(() => undefined);
  const jobs = new Map<string, Job>();
  const started = now();

  findings.forEach((finding, i) => {
    const planned = plan(finding, specs.get(finding.ruleId), findings, started);
    if (!('request' in planned)) {
      outcomes[i] = planned;
      return;
    }
    const key = requestKey(planned.request);
    const job = jobs.get(key);
    if (job) job.findings.push(i);
    else jobs.set(key, { check: planned, findings: [i] });
  });

  if (jobs.size) {
    options.onPlan?.([...new Set([...jobs.values()].map((j) => j.check.request.url.hostname))].sort());
    const transport = options.transport ?? httpsTransport();
    const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    await runLimited([...jobs.values()], options.concurrency ?? DEFAULT_CONCURRENCY, async (job) => {
      const outcome = await runCheck(job.check, transport, timeoutMs);
      for (const i of job.findings) outcomes[i] = outcome;
    });
  }

  // A finding of a rule without a check (a generic rule, say) takes the answer given for the same key elsewhere.
  const known = new Map<string, { outcome: Outcome; provider: string }>();
  findings.forEach((f, i) => {
    const o = outcomes[i];
    if (o && o.status !== 'unknown' && !known.has(f.secret)) known.set(f.secret, { outcome: o, provider: f.provider });
  });
  const checkedAt = now().toISOString();
  return findings.map((f, i) => {
    let outcome = outcomes[i] ?? { status: 'unknown' as const, reason: verifyMessages.noCheck };
    let provider = f.provider;
    const other = known.get(f.secret);
    if (outcome.status === 'unknown' && other) ({ outcome, provider } = other);
    const verification: Verification = { status: outcome.status, provider, checkedAt };
    if (outcome.status === 'unknown') verification.reason = outcome.reason ?? verifyMessages.noCheck;
    else if (outcome.status === 'revoked' && outcome.reason) verification.reason = outcome.reason;
    return { ...f, verification };
  });
}

function plan(finding: Finding, spec: VerifySpec | undefined, all: readonly Finding[], now: Date): PlannedCheck | Outcome {
  if (!spec) return { status: 'unknown', reason: verifyMessages.noCheck };
  if ('unsupported' in spec) return { status: 'unknown', reason: verifyMessages.unsupported(spec.unsupported) };
  if (spec.prefixes && !spec.prefixes.some((p) => finding.secret.startsWith(p)))
    return { status: 'unknown', reason: verifyMessages.kindNotChecked };
  if (!isSafeValue(finding.secret)) return { status: 'unknown', reason: verifyMessages.unsafeValue };
  let companion: string | undefined;
  if (spec.companion) {
    companion = companionOf(finding, spec.companion.rules, spec.companion.within ?? DEFAULT_WITHIN, all);
    if (companion === undefined)
      return { status: 'unknown', reason: verifyMessages.noCompanion(spec.companion.name, spec.companion.within ?? DEFAULT_WITHIN) };
    if (!isSafeValue(companion)) return { status: 'unknown', reason: verifyMessages.unsafeValue };
  }
  if ('verifier' in spec) {
    const verifier = VERIFIERS[spec.verifier as keyof typeof VERIFIERS];
    return verifier ? verifier.plan(finding.secret, companion, now) : { status: 'unknown', reason: verifyMessages.noCheck };
  }
  return planHttp(spec, { secret: finding.secret, companion });
}

/** The nearest finding of a companion rule in the same file and commit, at most `within` lines away. */
function companionOf(finding: Finding, rules: readonly string[], within: number, all: readonly Finding[]): string | undefined {
  let best: Finding | undefined;
  for (const other of all) {
    if (!rules.includes(other.ruleId) || other.secret === finding.secret) continue;
    if (other.file !== finding.file || (other.commit ?? '') !== (finding.commit ?? '')) continue;
    const distance = Math.abs(other.line - finding.line);
    if (distance > within) continue;
    if (!best || distance < Math.abs(best.line - finding.line)) best = other;
  }
  return best?.secret;
}

export function planHttp(spec: HttpVerifySpec, values: TemplateValues): PlannedCheck {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(spec.headers ?? {})) headers[name.toLowerCase()] = renderTemplate(value, values);
  if (spec.basicAuth) {
    const user = renderTemplate(spec.basicAuth.username, values);
    const password = renderTemplate(spec.basicAuth.password, values);
    headers.authorization = `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
  }
  const request: OutgoingRequest = {
    method: spec.method,
    url: new URL(renderTemplate(spec.url, values, encodeUrlValue)),
    headers,
    ...(spec.body !== undefined ? { body: renderTemplate(spec.body, values) } : {}),
  };
  return { request, classify: (response) => classifyHttp(spec, response) };
}

/** A value in a URL: percent-encoded, except ':' (a Telegram bot token is `id:secret` in the path). */
function encodeUrlValue(value: string): string {
  return encodeURIComponent(value).replace(/%3A/gi, ':');
}

export function classifyHttp(spec: HttpVerifySpec, { status, body }: IncomingResponse): Outcome {
  if (spec.live.includes(status) && (spec.liveBody === undefined || body.includes(spec.liveBody))) return { status: 'live' };
  const note = spec.note ? { reason: spec.note } : {};
  if (spec.revoked.includes(status) || spec.revokedBody?.some((text) => body.includes(text))) return { status: 'revoked', ...note };
  return { status: 'unknown', reason: `${verifyMessages.unexpected(status)}${spec.note ? `; ${spec.note}` : ''}` };
}

async function runCheck(check: PlannedCheck, transport: Transport, timeoutMs: number): Promise<Outcome> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  try {
    const response = await Promise.race([
      transport(check.request, controller.signal),
      new Promise<never>((_, reject) =>
        controller.signal.addEventListener('abort', () => reject(new TransportError('timeout')), { once: true }),
      ),
    ]);
    if (response.status >= 300 && response.status < 400) return { status: 'unknown', reason: verifyMessages.redirect(response.status) };
    if (response.status === 429) return { status: 'unknown', reason: verifyMessages.rateLimited };
    return check.classify(response);
  } catch (error) {
    return { status: 'unknown', reason: verifyMessages.transportFailed(error instanceof TransportError ? error : undefined, timeoutMs) };
  } finally {
    clearTimeout(timer);
    controller.abort();
  }
}

/** One key per distinct request: method, URL, headers and body (the key is in them; AWS requests share one signing time). */
function requestKey(request: OutgoingRequest): string {
  return JSON.stringify([request.method, request.url.href, Object.entries(request.headers).sort(), request.body ?? '']);
}

async function runLimited<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) await work(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
}
