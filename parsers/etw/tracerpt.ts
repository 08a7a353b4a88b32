/**
 * `tracerpt -of CSV` output: a header row of right-aligned names (`Event Name, Type, Event ID, ... Clock-Time,
 * Kernel(ms), User(ms), User Data`), then one row per event, values after `, `, `User Data` spilling into as many
 * trailing cells as the payload has values, strings in quotes, GUIDs in braces, `EventTrace`/`Header` first.
 *
 * Also the same file re-saved by a spreadsheet (FORMATS.md section 6): an extra leading index column, Clock-Time as
 * a float in scientific notation (the record says the time is lossy), and string values that the spreadsheet took
 * with their quotes, written back as `" ""PktMon"""`.
 *
 * Columns are found by name in the header; the header may come again (exports concatenated).
 */
import type { CsvRow } from './csv-rows.js';
import { etwRecords, readCount, UndecodableCell } from './event-records.js';
import { layoutOf } from './kernel-events.js';
import { attributeBuilder, isBlankRow, RowParser, trimCell, type AttributeBuilder } from './row-parser.js';
import { clockTime } from './time.js';

const FIXED = ['Event Name', 'Type', 'PID', 'TID', 'Processor Number', 'Clock-Time', 'User Data'] as const;

interface TracerptColumns {
  readonly eventName: number;
  readonly type: number;
  readonly pid: number;
  readonly tid: number;
  readonly processor: number;
  readonly clock: number;
  /** Index of the first payload cell. */
  readonly userData: number;
  /** Every other column, kept as attributes (cells come left-trimmed, and tracerpt pads only on the left; a
   * spreadsheet re-save is trimmed on both sides). */
  readonly attributes: AttributeBuilder;
  /** A spreadsheet re-save: string values keep tracerpt's quotes inside the cell. */
  readonly resaved: boolean;
}

/** The columns of a tracerpt header row, or null when the row is not one. */
export function tracerptHeader(cells: readonly string[]): TracerptColumns | null {
  if (cells[0] !== 'Event Name' && cells[1] !== 'Event Name' && trimCell(cells[0]) !== 'Event Name' && trimCell(cells[1]) !== 'Event Name') return null;
  const names = cells.map((cell) => trimCell(cell));
  const eventName = names.indexOf('Event Name');
  if (eventName < 0 || eventName > 1 || names[eventName + 1] !== 'Type') return null;
  if (!names.includes('Clock-Time') && !names.includes('User Data')) return null;
  const at = (name: string): number => names.indexOf(name);
  const userData = at('User Data') >= 0 ? at('User Data') : names.length;
  const taken = new Set<string>(FIXED);
  const others: [string, number][] = [];
  for (let i = 0; i < userData; i++) {
    if (taken.has(names[i]!)) continue;
    others.push([names[i] || (i === 0 ? 'Index' : `Column ${i + 1}`), i]);
  }
  return {
    eventName, type: eventName + 1, pid: at('PID'), tid: at('TID'), processor: at('Processor Number'), clock: at('Clock-Time'), userData,
    attributes: attributeBuilder(others, eventName === 1), resaved: eventName === 1,
  };
}

/** The value of a re-saved string cell without the quotes tracerpt wrote around it. */
function unquoteResaved(value: string): string {
  const v = value.trim();
  return v.length >= 2 && v.startsWith('"') && v.endsWith('"') ? v.slice(1, -1).replaceAll('""', '"') : v;
}

export class TracerptParser extends RowParser {
  private columns: TracerptColumns | null = null;

  constructor() {
    super({ ltrim: true, multiline: true });
  }

  protected row(row: CsvRow): void {
    const cells = row.cells;
    if (cells[0] === '' && isBlankRow(cells)) return this.noise(row.lineCount);
    const header = tracerptHeader(cells);
    if (header) {
      this.columns = header;
      return this.noise(row.lineCount);
    }
    const columns = this.columns;
    if (!columns) return this.skip(row, 'before the tracerpt header row ("Event Name, Type, Event ID, ...")');
    if (cells.length < columns.userData) {
      return this.skip(row, `wrong field count: ${cells.length} fields, the header has ${columns.userData} before User Data`);
    }
    const provider = trimCell(cells[columns.eventName]);
    const name = trimCell(cells[columns.type]);
    if (provider === '') return this.skip(row, 'undecodable cell: Event Name is empty');
    const pid = columns.pid < 0 ? null : readCount(trimCell(cells[columns.pid]));
    if (pid === undefined) return this.skip(row, `undecodable cell: PID ${JSON.stringify(cells[columns.pid])} is not a number`);
    const tid = columns.tid < 0 ? null : readCount(trimCell(cells[columns.tid]));
    if (tid === undefined) return this.skip(row, `undecodable cell: TID ${JSON.stringify(cells[columns.tid])} is not a number`);
    const processor = columns.processor < 0 ? null : readCount(trimCell(cells[columns.processor]));
    if (processor === undefined) return this.skip(row, `undecodable cell: Processor Number ${JSON.stringify(cells[columns.processor])} is not a number`);
    const time = clockTime(columns.clock < 0 ? '' : trimCell(cells[columns.clock]));
    if (time === undefined) return this.skip(row, `undecodable cell: Clock-Time ${JSON.stringify(cells[columns.clock])} is not a FILETIME`);
    const attributes = columns.attributes(cells);
    const values = cells.slice(columns.userData);
    // Payload cells come ltrimmed and hold no right padding; quoted strings keep every character they quote.
    if (columns.resaved) for (let i = 0; i < values.length; i++) values[i] = unquoteResaved(values[i]!);
    const records = etwRecords({
      line: row.line,
      format: 'tracerpt',
      provider,
      name,
      time,
      sinceStart: null,
      pid,
      tid,
      process: null,
      processor,
      attributes,
      values,
      names: null,
      layout: layoutOf(provider, name),
    });
    if (records instanceof UndecodableCell) return this.skip(row, records.reason);
    this.record(row, records);
  }
}
