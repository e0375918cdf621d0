import { READ_LIMITS, readBoundedText } from '../fs/bounded-read.js';
import { ConfigError } from '../errors.js';
import type { Finding } from './finding.js';

export const DEFAULT_BASELINE_FILE = '.leakguard-baseline.json';

/**
 * A baseline records fingerprints only (hash of rule + path + secret): never a
 * secret, no timestamps, sorted, so it does not churn in review.
 */
export interface Baseline {
  version: 1;
  fingerprints: string[];
}

export function createBaseline(findings: readonly Finding[]): Baseline {
  return { version: 1, fingerprints: [...new Set(findings.map((f) => f.fingerprint))].sort() };
}

export function serializeBaseline(baseline: Baseline): string {
  return `${JSON.stringify(baseline, null, 2)}\n`;
}

export async function loadBaseline(file: string): Promise<Set<string>> {
  let text: string;
  try {
    text = readBoundedText(file, { maxBytes: READ_LIMITS.baseline });
  } catch (error) {
    throw new ConfigError(file, undefined, `cannot read baseline (${(error as NodeJS.ErrnoException).code})`);
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    throw new ConfigError(file, undefined, 'baseline is not valid JSON');
  }
  const fingerprints = (data as Partial<Baseline>)?.fingerprints;
  if (!Array.isArray(fingerprints) || !fingerprints.every((f) => typeof f === 'string')) {
    throw new ConfigError(file, 'fingerprints', 'must be an array of strings');
  }
  return new Set(fingerprints);
}

export function filterBaseline(findings: readonly Finding[], known: ReadonlySet<string>): Finding[] {
  return findings.filter((f) => !known.has(f.fingerprint));
}
