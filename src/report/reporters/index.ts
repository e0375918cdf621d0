import type { Reporter } from '../report-context.js';

export const FORMATS = ['text', 'json', 'sarif', 'github', 'html'] as const;
export type Format = (typeof FORMATS)[number];

/**
 * Format name → its reporter, loaded when asked for: a run loads only the reporters
 * it prints with. Adding a format touches this map and one file. The build bundles
 * the text and JSON reporters into the hooks' bundle (HOT_DYNAMIC in scripts/build.mjs)
 * and the others into dist/full.cjs.
 */
export const REPORTERS: Record<Format, () => Promise<Reporter>> = {
  text: () => import('./text.js').then((m) => m.textReporter),
  json: () => import('./json.js').then((m) => m.jsonReporter),
  sarif: () => import('./sarif.js').then((m) => m.sarifReporter),
  github: () => import('./github.js').then((m) => m.githubReporter),
  html: () => import('./html.js').then((m) => m.htmlReporter),
};
