/**
 * Offline checksum validators, referenced by name from a rule's `checksum` field.
 * (Stub: filled in by the rules work.)
 */
export type ChecksumValidator = (secret: string) => boolean;

export const CHECKSUMS: Readonly<Record<string, ChecksumValidator>> = {};

export function isKnownChecksum(name: string): boolean {
  return Object.hasOwn(CHECKSUMS, name);
}

export function validateChecksum(name: string, secret: string): boolean {
  const validator = CHECKSUMS[name];
  return validator ? validator(secret) : false;
}
