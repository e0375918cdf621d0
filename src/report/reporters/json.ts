import type { Reporter } from '../report-context.js';

/** `{"version": 1, "findings": [...], "stats": {...}}` — the public JSON contract. */
export const jsonReporter: Reporter = (findings, context) =>
  `${JSON.stringify({ version: 1, findings, stats: { ...context.stats, baselined: context.baselined } }, null, 2)}\n`;
