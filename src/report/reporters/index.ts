import type { Reporter } from '../report-context.js';
import { githubReporter } from './github.js';
import { htmlReporter } from './html.js';
import { jsonReporter } from './json.js';
import { sarifReporter } from './sarif.js';
import { textReporter } from './text.js';

/** Format name → reporter. Adding a format touches this map and one file. */
export const REPORTERS: Record<string, Reporter> = {
  text: textReporter,
  json: jsonReporter,
  sarif: sarifReporter,
  github: githubReporter,
  html: htmlReporter,
};

export const FORMATS = ['text', 'json', 'sarif', 'github', 'html'] as const;
export type Format = (typeof FORMATS)[number];
