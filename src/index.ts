/** Library API: the same core the CLI uses. */
export { scan, type ScanOptions, type ScanResult } from './scan.js';
export { createDetector, detectText, type Detector, type DetectorOptions } from './detect/detector.js';
export type { Finding } from './detect/finding.js';
export type { Fragment } from './sources/fragment.js';
export type { ScanSource } from './sources/index.js';
export type { RuleSpec } from './rules/rule.js';
export { loadBuiltinRules } from './rules/load-rules.js';
export { redactSecret, maskFindings } from './redact.js';
export { REPORTERS } from './report/reporters/index.js';
export * from './errors.js';
export { runFix, undoLastFix, type RunFixOptions, type FixResult } from './fix/index.js';
export {
  verifyFindings,
  httpsTransport,
  TransportError,
  type VerifyOptions,
  type Transport,
  type OutgoingRequest,
  type IncomingResponse,
  type HttpsTransportOptions,
  type Verification,
  type VerificationStatus,
  type VerifySpec,
} from './verify/index.js';
