import { closeSync, fstatSync, openSync, readSync } from 'node:fs';

/**
 * `bytes` random bytes, as hex, read from /dev/urandom where there is one: loading
 * node:crypto costs 3–5 ms of start-up (bench/perf/README.md), and the pre-push hook
 * needs one nonce. Elsewhere (Windows), node:crypto.
 */
export function randomHex(bytes: number): string {
  const buffer = Buffer.alloc(bytes);
  let fd: number | undefined;
  try {
    fd = openSync('/dev/urandom', 'r');
    if (fstatSync(fd).isCharacterDevice() && readSync(fd, buffer, 0, bytes, null) === bytes) return buffer.toString('hex');
  } catch {
    // no /dev/urandom
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
  return process.getBuiltinModule('node:crypto').randomBytes(bytes).toString('hex');
}
