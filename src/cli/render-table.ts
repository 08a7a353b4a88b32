/**
 * The three renderings of a command's rows: JSON (the typed rows), CSV (csv-stringify, the columns) and the human
 * table. Commands build rows once; the mode is chosen at the edge.
 */
import { stringify } from 'csv-stringify/sync';
import { visible, type Styler } from './terminal.js';
import type { OutputMode } from './store-options.js';

export type Cell = string | number | boolean | null;

export interface Column<R> {
  /** The CSV header: a stable machine name. */
  readonly key: string;
  /** The human table's header. */
  readonly title: string;
  readonly value: (row: R) => Cell;
  /** Right-align (counts). */
  readonly numeric?: boolean;
  /** Never shortened: a value whose every character matters (a crash signature), best as the last column. */
  readonly whole?: boolean;
  /** Shortened from the start, keeping the end: a file path, whose file name and line are what tell rows apart. */
  readonly keepEnd?: boolean;
}

const MAX_CELL = 60;

function cellText(cell: Cell): string {
  if (cell === null) return '-';
  return visible(String(cell));
}

export function renderTable<R>(style: Styler, rows: readonly R[], columns: readonly Column<R>[]): string {
  const cells = rows.map((row) => columns.map((c) => {
    const text = cellText(c.value(row));
    if (text.length <= MAX_CELL || c.whole) return text;
    return c.keepEnd ? `...${text.slice(text.length - (MAX_CELL - 3))}` : `${text.slice(0, MAX_CELL - 3)}...`;
  }));
  const widths = columns.map((c, i) => Math.max(c.title.length, ...cells.map((r) => r[i]!.length)));
  const pad = (text: string, i: number): string => (columns[i]!.numeric ? text.padStart(widths[i]!) : text.padEnd(widths[i]!));
  const header = style.bold(columns.map((c, i) => pad(c.title, i)).join('  ').trimEnd());
  return [header, ...cells.map((r) => r.map(pad).join('  ').trimEnd())].join('\n') + '\n';
}

/** Booleans as words in CSV. */
export const CSV_CAST = { boolean: (b: boolean): string => (b ? 'true' : 'false') };

/** CSV keeps values exact (no truncation); control characters are left to the CSV quoting, not escaped. */
export function renderCsv<R>(rows: readonly R[], columns: readonly Column<R>[]): string {
  return stringify([columns.map((c) => c.key), ...rows.map((row) => columns.map((c) => c.value(row)))], { cast: CSV_CAST });
}

export function renderRows<R>(mode: OutputMode, style: Styler, rows: readonly R[], columns: readonly Column<R>[], empty: string): string {
  if (mode === 'json') return `${JSON.stringify(rows, null, 2)}\n`;
  if (mode === 'csv') return renderCsv(rows, columns);
  if (rows.length === 0) return `${style.dim(empty)}\n`;
  return renderTable(style, rows, columns);
}
