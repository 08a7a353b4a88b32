/**
 * A horizontal bar chart for the terminal: one line per period, `label  count  bar`, bars scaled so the largest
 * count fills the width left after the label and count columns.
 *
 * Unicode bars use the eighth blocks (U+2589..U+258F) after full blocks, so 3 and 3.5 cells differ; ASCII bars are
 * whole `#` cells. A count above zero always shows at least the smallest mark (one eighth, or one `#`): a single
 * crash next to a thousand must not look like no crash. Zero shows no bar at all.
 */
import { visible } from './terminal.js';

export type BarCharset = 'unicode' | 'ascii';

export interface BarRow {
  readonly label: string;
  readonly count: number;
}

/** Index n: a bar n/8 of a cell wide. */
const EIGHTHS = ['', '\u258f', '\u258e', '\u258d', '\u258c', '\u258b', '\u258a', '\u2589'];
const FULL = '\u2588';

/** The narrowest bar area worth drawing: below it, a narrow terminal gets this much anyway and lines wrap. */
export const MIN_BAR_WIDTH = 10;

/**
 * Blocks only where the output can show them: never with NO_COLOR (its users asked for plain output), and only when
 * the locale says UTF-8. The locale is read as C does: the first of LC_ALL, LC_CTYPE, LANG that is set decides; none
 * set is the C locale, which is ASCII. Whether stdout is a terminal does not decide: a chart piped to a file for a
 * ticket keeps its blocks when the locale is UTF-8 (docs: README "Time views").
 */
export function chartCharset(env: NodeJS.ProcessEnv = process.env): BarCharset {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return 'ascii';
  const locale = [env.LC_ALL, env.LC_CTYPE, env.LANG].find((v) => v !== undefined && v !== '') ?? '';
  return /utf-?8/i.test(locale) ? 'unicode' : 'ascii';
}

/** The width to draw for: the terminal's columns, else $COLUMNS, else 80 (a file or pipe gets a stable width). */
export function chartWidth(stream: { isTTY?: boolean; columns?: number }, env: NodeJS.ProcessEnv = process.env): number {
  if (stream.isTTY && stream.columns && stream.columns > 0) return stream.columns;
  const columns = Number(env.COLUMNS);
  return Number.isInteger(columns) && columns > 0 ? columns : 80;
}

/** One bar, `cells` wide at most, for `count` out of `max`. */
export function bar(count: number, max: number, cells: number, charset: BarCharset): string {
  if (count <= 0 || max <= 0) return '';
  if (charset === 'ascii') return '#'.repeat(Math.max(1, Math.round((count / max) * cells)));
  const eighths = Math.max(1, Math.round((count / max) * cells * 8));
  return FULL.repeat(Math.floor(eighths / 8)) + EIGHTHS[eighths % 8];
}

export function renderBars(rows: readonly BarRow[], width: number, charset: BarCharset): string {
  if (rows.length === 0) return '';
  const labels = rows.map((r) => visible(r.label));
  const counts = rows.map((r) => String(r.count));
  const labelWidth = Math.max(...labels.map((l) => l.length));
  const countWidth = Math.max(...counts.map((c) => c.length));
  const cells = Math.max(MIN_BAR_WIDTH, width - labelWidth - countWidth - 5);
  const max = Math.max(...rows.map((r) => r.count));
  return rows.map((r, i) => `${labels[i]!.padEnd(labelWidth)}  ${counts[i]!.padStart(countWidth)}  ${bar(r.count, max, cells, charset)}`.trimEnd()).join('\n') + '\n';
}
