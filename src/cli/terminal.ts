/** What the terminal allows: colour only on a TTY and never with NO_COLOR; no raw control characters from inputs. */

export interface Styler {
  readonly color: boolean;
  bold(text: string): string;
  dim(text: string): string;
  cyan(text: string): string;
  yellow(text: string): string;
  red(text: string): string;
  green(text: string): string;
}

export function colorWanted(stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv = process.env): boolean {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '0') return true;
  return stream.isTTY === true && env.TERM !== 'dumb';
}

export function styler(color: boolean): Styler {
  const wrap = (open: number, close: number) => (text: string): string => (color ? `\u001b[${open}m${text}\u001b[${close}m` : text);
  return { color, bold: wrap(1, 22), dim: wrap(2, 22), cyan: wrap(36, 39), yellow: wrap(33, 39), red: wrap(31, 39), green: wrap(32, 39) };
}

/**
 * Makes text from an input safe to print: C0 and C1 control characters (except TAB) and DEL become visible escapes
 * (`\x1b`), so a pasted escape sequence can never drive the user's terminal.
 */
export function visible(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u0008\u000a-\u001f\u007f-\u009f]/g, (ch) => `\\x${ch.charCodeAt(0).toString(16).padStart(2, '0')}`);
}
