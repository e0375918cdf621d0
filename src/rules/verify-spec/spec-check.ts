/**
 * Checks of a rule's `verify` block that rules/schema.json cannot express: the URL
 * is https with a host written out in full (the key may never choose where it is
 * sent), template fields are known, status lists are sane, the named verifier exists.
 * Used when rules/*.yaml are validated (build and tests).
 */
import { TEMPLATE_FIELDS, templateFields } from './template.js';
import type { HttpVerifySpec, NamedVerifySpec, VerifySpec } from './types.js';

/** Named verifiers implemented in src/verify/verifiers.ts. */
export const VERIFIER_NAMES = ['aws-sts', 'mailchimp-ping'] as const;

export interface SpecProblem {
  field: string;
  reason: string;
}

const HTTP_KEYS = new Set([
  'method',
  'url',
  'headers',
  'basicAuth',
  'body',
  'live',
  'revoked',
  'liveBody',
  'revokedBody',
  'prefixes',
  'companion',
  'note',
]);
const HEADER_NAME = /^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/;
const FORBIDDEN_HEADERS = new Set(['host', 'content-length', 'transfer-encoding', 'connection', 'proxy-authorization', 'cookie']);
/** `https://` + lowercase DNS name, then the path (or nothing). No port, no user info, no field. */
const URL_SHAPE = /^https:\/\/(?<host>[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)+)(?<rest>[/?].*)?$/;

/** The host a spec's URL names, or undefined when the URL does not have the required shape. */
export function fixedHost(url: string): string | undefined {
  return URL_SHAPE.exec(url)?.groups?.host;
}

export function verifySpecProblem(spec: VerifySpec): SpecProblem | undefined {
  if ('unsupported' in spec) {
    return typeof spec.unsupported === 'string' && spec.unsupported.trim()
      ? undefined
      : { field: 'verify.unsupported', reason: 'must say why' };
  }
  if ('verifier' in spec) return namedProblem(spec);
  return httpProblem(spec);
}

function namedProblem(spec: NamedVerifySpec): SpecProblem | undefined {
  if (!(VERIFIER_NAMES as readonly string[]).includes(spec.verifier)) {
    return { field: 'verify.verifier', reason: `unknown verifier "${spec.verifier}" (known: ${VERIFIER_NAMES.join(', ')})` };
  }
  return companionProblem(spec.companion);
}

function companionProblem(companion: NamedVerifySpec['companion']): SpecProblem | undefined {
  if (!companion) return undefined;
  if (!companion.rules?.length) return { field: 'verify.companion.rules', reason: 'must name at least one rule' };
  if (companion.within !== undefined && (!Number.isInteger(companion.within) || companion.within < 0 || companion.within > 50)) {
    return { field: 'verify.companion.within', reason: 'must be a whole number of lines from 0 to 50' };
  }
  return undefined;
}

function httpProblem(spec: HttpVerifySpec): SpecProblem | undefined {
  for (const key of Object.keys(spec)) if (!HTTP_KEYS.has(key)) return { field: `verify.${key}`, reason: 'unknown field' };
  if (!['GET', 'POST', 'HEAD'].includes(spec.method)) return { field: 'verify.method', reason: 'must be GET, POST or HEAD' };
  if (typeof spec.url !== 'string' || !fixedHost(spec.url)) {
    return {
      field: 'verify.url',
      reason: 'must be https:// followed by a fixed lowercase host name (no port, no user info, no template field), then the path',
    };
  }
  try {
    new URL(spec.url.replace(/\{\{[^}]*\}\}/g, 'x'));
  } catch {
    return { field: 'verify.url', reason: 'is not a valid URL' };
  }
  const texts: [string, string][] = [['verify.url', spec.url]];
  for (const [name, value] of Object.entries(spec.headers ?? {})) {
    if (!HEADER_NAME.test(name)) return { field: `verify.headers.${name}`, reason: 'is not a valid header name' };
    if (FORBIDDEN_HEADERS.has(name.toLowerCase()))
      return { field: `verify.headers.${name}`, reason: 'is set by the transport, not by a rule' };
    if (name.toLowerCase() === 'authorization' && spec.basicAuth)
      return { field: `verify.headers.${name}`, reason: 'conflicts with basicAuth' };
    if (typeof value !== 'string' || /[\r\n]/.test(value)) return { field: `verify.headers.${name}`, reason: 'must be a one-line string' };
    texts.push([`verify.headers.${name}`, value]);
  }
  if (spec.basicAuth) {
    texts.push(['verify.basicAuth.username', spec.basicAuth.username], ['verify.basicAuth.password', spec.basicAuth.password]);
    if (spec.basicAuth.username.includes(':')) return { field: 'verify.basicAuth.username', reason: 'must not contain ":"' };
  }
  if (spec.body !== undefined) {
    if (spec.method !== 'POST') return { field: 'verify.body', reason: 'only a POST has a body' };
    texts.push(['verify.body', spec.body]);
  }
  let usesSecret = false;
  for (const [field, text] of texts) {
    for (const name of templateFields(text)) {
      if (!(TEMPLATE_FIELDS as readonly string[]).includes(name))
        return { field, reason: `unknown template field {{${name}}} (known: ${TEMPLATE_FIELDS.map((f) => `{{${f}}}`).join(', ')})` };
      if (name === 'companion' && !spec.companion) return { field, reason: 'uses {{companion}} without a companion' };
      if (name === 'secret') usesSecret = true;
    }
  }
  if (!usesSecret) return { field: 'verify', reason: 'the request never sends {{secret}}' };
  for (const list of ['live', 'revoked'] as const) {
    const codes = spec[list];
    if (!Array.isArray(codes) || codes.some((c) => !Number.isInteger(c) || c < 100 || c > 599))
      return { field: `verify.${list}`, reason: 'must be a list of HTTP status codes' };
    if (codes.some((c) => c >= 300 && c < 400))
      return { field: `verify.${list}`, reason: 'a redirect is never followed, so a 3xx means nothing' };
    if (codes.includes(429)) return { field: `verify.${list}`, reason: '429 (rate limited) says nothing about the key' };
  }
  if (!spec.live.length) return { field: 'verify.live', reason: 'must list at least one status' };
  if (!spec.revoked.length && !spec.revokedBody?.length)
    return { field: 'verify.revoked', reason: 'needs a status or a revokedBody text that means the key was refused' };
  const both = spec.live.filter((c) => spec.revoked.includes(c));
  if (both.length && !spec.liveBody) return { field: 'verify.revoked', reason: `status ${both[0]} is both live and revoked` };
  return companionProblem(spec.companion);
}
