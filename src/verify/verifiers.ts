/**
 * Checks that cannot be written as data in a rule: each one is named by a rule's
 * `verify: { verifier: NAME }` and builds its own request to a host fixed here.
 */
import { signV4 } from './sigv4.js';
import type { VERIFIER_NAMES } from '../rules/verify-spec/spec-check.js';
import type { IncomingResponse, OutgoingRequest } from './transport.js';
import type { VerificationStatus } from '../rules/verify-spec/types.js';

export interface Outcome {
  status: VerificationStatus;
  reason?: string;
}

export interface PlannedCheck {
  request: OutgoingRequest;
  /** Maps a response that is neither a redirect nor a rate limit. */
  classify(response: IncomingResponse): Outcome;
}

export interface NamedVerifier {
  /** The request for this key, or why it cannot be checked. */
  plan(secret: string, companion: string | undefined, now: Date): PlannedCheck | Outcome;
}

const AWS_KEY_ID = /^(?:AKIA|ASIA|ABIA|ACCA)[A-Z2-7]{16}$/;
const AWS_SECRET = /^[A-Za-z0-9/+]{40}$/;
const STS_HOST = 'sts.amazonaws.com';
const STS_BODY = 'Action=GetCallerIdentity&Version=2011-06-15';

/**
 * STS GetCallerIdentity, signed with SigV4 (us-east-1, the global endpoint). It needs
 * no permission: any working key pair may call it, and it changes nothing.
 */
const awsSts: NamedVerifier = {
  plan(secret, companion, now) {
    const pair = [secret, companion ?? ''];
    const keyId = pair.find((v) => AWS_KEY_ID.test(v));
    const secretKey = pair.find((v) => AWS_SECRET.test(v) && v !== keyId);
    if (!keyId || !secretKey) return { status: 'unknown', reason: 'needs the access key id and the secret access key together' };
    if (keyId.startsWith('ASIA'))
      return { status: 'unknown', reason: 'temporary credentials (ASIA…) cannot be checked without their session token' };
    const headers = signV4({
      method: 'POST',
      host: STS_HOST,
      path: '/',
      headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' },
      body: STS_BODY,
      region: 'us-east-1',
      service: 'sts',
      accessKeyId: keyId,
      secretAccessKey: secretKey,
      date: now,
    });
    return {
      request: { method: 'POST', url: new URL(`https://${STS_HOST}/`), headers, body: STS_BODY },
      classify: ({ status, body }) => {
        if (status === 200 && body.includes('GetCallerIdentityResult')) return { status: 'live' };
        if (status === 403 && /InvalidClientTokenId|SignatureDoesNotMatch/.test(body)) return { status: 'revoked' };
        return { status: 'unknown', reason: `unexpected answer (HTTP ${status})` };
      },
    };
  },
};

const MAILCHIMP_KEY = /^[a-f0-9]{32}-(us[0-9]{1,2})$/;

/** Mailchimp's data centre is the key's suffix: the host is `<dc>.api.mailchimp.com`, built here, never from a rule. */
const mailchimpPing: NamedVerifier = {
  plan(secret) {
    const dc = MAILCHIMP_KEY.exec(secret)?.[1];
    if (!dc) return { status: 'unknown', reason: 'the key has no data-centre suffix (-usN)' };
    return {
      request: {
        method: 'GET',
        url: new URL(`https://${dc}.api.mailchimp.com/3.0/ping`),
        headers: { authorization: `Basic ${Buffer.from(`leakguard:${secret}`).toString('base64')}` },
      },
      classify: ({ status }) =>
        status === 200
          ? { status: 'live' }
          : status === 401
            ? { status: 'revoked' }
            : { status: 'unknown', reason: `unexpected answer (HTTP ${status})` },
    };
  },
};

export const VERIFIERS: Record<(typeof VERIFIER_NAMES)[number], NamedVerifier> = {
  'aws-sts': awsSts,
  'mailchimp-ping': mailchimpPing,
};
