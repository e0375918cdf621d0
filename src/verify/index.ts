/** Live verification, for the library API and the CLI (which loads it only when asked). */
export { verifyFindings, DEFAULT_CONCURRENCY, DEFAULT_TIMEOUT_MS, type VerifyOptions } from './verify.js';
export {
  httpsTransport,
  TransportError,
  type Transport,
  type OutgoingRequest,
  type IncomingResponse,
  type HttpsTransportOptions,
} from './transport.js';
export { verifySpecProblem } from '../rules/verify-spec/spec-check.js';
export { verifyForCli, failingFindings, type FailOn } from './cli-verify.js';
export type { Verification, VerificationStatus, VerifySpec, VerifyConfig } from '../rules/verify-spec/types.js';
