import { Chalk, type ChalkInstance } from 'chalk';

/**
 * The colours of every human report, through chalk. The colour decision is made
 * once by the CLI (src/cli/output.ts useColor: TTY, NO_COLOR, FORCE_COLOR), so the
 * instance gets an explicit level and chalk's own terminal detection is not used:
 * level 1 is the 16 basic colours. Chalk closes a style before each line break and
 * opens it again after, so a pager or a CI log never carries a colour to the next line.
 */
export type Styles = ChalkInstance;

export function ansiStyles(enabled: boolean): Styles {
  return new Chalk({ level: enabled ? 1 : 0 });
}
