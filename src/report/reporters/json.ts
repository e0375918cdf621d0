import { jsonText } from '../escape.js';
import type { Reporter } from '../report-context.js';

/** `{"version": 1, "findings": [...], "stats": {...}}` — the public JSON contract (exact values, no raw control character). */
export const jsonReporter: Reporter = (findings, context) =>
  `${jsonText({ version: 1, findings, stats: { ...context.stats, baselined: context.baselined } })}\n`;
