/**
 * The few ANSI styles the text report uses, as 16-colour codes. The colour decision
 * is made once by the CLI (src/cli/output.ts useColor), so no terminal detection is
 * needed here, and the hook's path loads no colour library.
 */
export interface Styles {
  red(text: string): string;
  green(text: string): string;
  yellow(text: string): string;
  bold(text: string): string;
  dim(text: string): string;
  underline(text: string): string;
}

const CODES: Record<keyof Styles, [open: number, close: number]> = {
  red: [31, 39],
  green: [32, 39],
  yellow: [33, 39],
  bold: [1, 22],
  dim: [2, 22],
  underline: [4, 24],
};

const plain = (text: string): string => text;

export function ansiStyles(enabled: boolean): Styles {
  const styles = {} as Styles;
  for (const name of Object.keys(CODES) as Array<keyof Styles>) {
    const [open, close] = CODES[name].map((code) => `\x1b[${code}m`) as [string, string];
    // Closed before each line break and opened again after it, so a pager or a CI log
    // that shows one line at a time never carries a colour onto the next line.
    styles[name] = enabled ? (text) => `${open}${text.replaceAll('\n', `${close}\n${open}`)}${close}` : plain;
  }
  return styles;
}
