/**
 * WPA exporter CSV (`wpaexporter`, one file per table). Columns are found by their header name, never by position:
 * the provider, task and opcode name the event; Time (s), Process, ThreadId and Cpu give the header facts; `Field N`
 * columns (and columns named like a documented payload field of the event) are the payload; every other column is
 * kept as an attribute.
 */
import type { CsvRow } from './csv-rows.js';
import { etwRecords, readCount, UndecodableCell } from './event-records.js';
import { fieldSpellings, layoutOf, normalizeName, type KernelEventLayout } from './kernel-events.js';
import { isBlankRow, RowParser, trimCell } from './row-parser.js';
import { NO_TIME, shiftDecimal } from './time.js';

type Role = 'provider' | 'task' | 'opcode' | 'time' | 'process' | 'pid' | 'tid' | 'cpu';

const ROLE_NAMES: Record<Role, readonly string[]> = {
  provider: ['Provider Name', 'Provider'],
  task: ['Task Name', 'Task'],
  opcode: ['Opcode Name', 'Opcode', 'Event Name'],
  time: ['Time', 'TimeStamp', 'Timestamp', 'Time Stamp'],
  process: ['Process', 'Process Name'],
  pid: ['PID', 'Process Id', 'ProcessId', 'Process ID'],
  tid: ['ThreadId', 'Thread Id', 'Thread ID', 'TID'],
  cpu: ['Cpu', 'CPU', 'Processor'],
};

/** Column names WPA tables use that say "this is a WPA export" without a role here. */
const OTHER_WPA_NAMES = ['Id', 'Event Type', 'Message', 'Thread Name', 'Count', 'Line', 'Thread Activity Tag', 'Stack', 'IO Type', 'Path Name', 'Init Time', 'Complete Time', 'Disk Service Time', 'Priority', 'Irp', 'File Object', 'Major Function'];

const UNIT_PLACES: Record<string, number> = { s: 0, ms: 3, us: 6, µs: 6, ns: 9 };
/** `Time (s)` -> name "Time", unit "s". */
const UNIT = /^(.*?)\s*\((s|ms|us|µs|ns)\)$/;
const FIELD_N = /^Field\s*(\d+)$/i;

export interface WpaColumns {
  readonly roles: Partial<Record<Role, number>>;
  /** Decimal places to shift the time column's values by to get seconds. */
  readonly timePlaces: number;
  /** `Field N` columns: [N - 1, index]. */
  readonly fields: readonly (readonly [number, number])[];
  /** Every other column: [name, index]. */
  readonly others: readonly (readonly [string, number])[];
  /** The names this header shares with WPA tables (for sniffing). */
  readonly known: readonly string[];
  readonly width: number;
}

export function wpaHeader(cells: readonly string[]): WpaColumns {
  const roles: Partial<Record<Role, number>> = {};
  const fields: [number, number][] = [];
  const others: [string, number][] = [];
  const known: string[] = [];
  let timePlaces = 0;
  cells.forEach((raw, index) => {
    const name = trimCell(raw);
    const unit = UNIT.exec(name);
    const bare = unit ? unit[1]! : name;
    const field = FIELD_N.exec(name);
    if (field) {
      fields.push([Number(field[1]) - 1, index]);
      known.push(name);
      return;
    }
    for (const role of Object.keys(ROLE_NAMES) as Role[]) {
      if (roles[role] === undefined && ROLE_NAMES[role].includes(bare) && (role !== 'time' || unit)) {
        roles[role] = index;
        if (role === 'time') timePlaces = UNIT_PLACES[unit![2]!]!;
        known.push(name);
        return;
      }
    }
    if (OTHER_WPA_NAMES.includes(bare)) known.push(name);
    others.push([name || `Column ${index + 1}`, index]);
  });
  return { roles, timePlaces, fields, others, known, width: cells.length };
}

/** "1,234.5" (thousands separators in a quoted cell) -> "1234.5". */
function plainNumber(text: string): string {
  return /^\d{1,3}(,\d{3})+(\.\d+)?$/.test(text) ? text.replaceAll(',', '') : text;
}

/** "System (4)" -> ["System", 4]; a bare name -> [name, null]. */
export function processCell(text: string): [string | null, number | null] {
  const m = /^(.*?)\s*\(\s*(\d+)\s*\)$/.exec(text);
  if (!m) return [text === '' ? null : text, null];
  return [m[1]! === '' ? null : m[1]!, Number(m[2])];
}

export class WpaParser extends RowParser {
  private columns: WpaColumns | null = null;
  /** Per event layout: which `others` columns are payload fields of it. */
  private readonly payloadColumns = new Map<KernelEventLayout, Set<number>>();
  private readonly namesByKey = new Map<string, (string | null)[]>();

  constructor() {
    super({ ltrim: false, multiline: true });
  }

  protected row(row: CsvRow): void {
    const cells = row.cells;
    if (isBlankRow(cells)) return this.noise(row.lineCount);
    const columns = this.columns;
    if (!columns) {
      this.columns = wpaHeader(cells);
      return this.noise(row.lineCount);
    }
    if (cells.length !== columns.width) return this.skip(row, `wrong field count: ${cells.length} fields, the header has ${columns.width}`);
    const cell = (role: Role): string => (columns.roles[role] === undefined ? '' : trimCell(cells[columns.roles[role]!]));
    const task = cell('task');
    const opcode = cell('opcode');
    const layout = task !== '' ? layoutOf(task, opcode) : undefined;
    const providerName = cell('provider');
    const provider = layout ? task : providerName || task;
    const name = opcode || task;

    const timeText = plainNumber(cell('time'));
    const sinceStart = timeText === '' ? null : shiftDecimal(timeText, columns.timePlaces);
    if (sinceStart === null && timeText !== '') return this.skip(row, `undecodable cell: time ${JSON.stringify(timeText)} is not a number`);
    const [process, processPid] = processCell(cell('process'));
    const pidText = cell('pid');
    const pid = pidText === '' ? processPid : readCount(plainNumber(pidText));
    if (pid === undefined) return this.skip(row, `undecodable cell: PID ${JSON.stringify(pidText)} is not a number`);
    const tid = readCount(plainNumber(cell('tid')));
    if (tid === undefined) return this.skip(row, `undecodable cell: thread id ${JSON.stringify(cell('tid'))} is not a number`);
    const processor = readCount(cell('cpu'));
    if (processor === undefined) return this.skip(row, `undecodable cell: CPU ${JSON.stringify(cell('cpu'))} is not a number`);

    const values: string[] = [];
    const names: (string | null)[] = [];
    for (const [n, index] of columns.fields) {
      values.push(trimCell(cells[index]));
      names.push(layout?.fields[n] ?? null);
    }
    const payloadColumns = layout ? this.payloadColumnsOf(layout, columns) : null;
    const attributes: Record<string, string> = {};
    if (layout && providerName !== '') attributes['Provider Name'] = providerName;
    if (!layout && providerName !== '' && task !== '') attributes['Task Name'] = task;
    for (const [column, index] of columns.others) {
      const value = trimCell(cells[index]);
      if (payloadColumns?.has(index)) {
        values.push(value);
        names.push(column);
      } else attributes[column] = value;
    }
    // Trailing empty Field N cells are columns other events of the table needed.
    while (values.length > 0 && values[values.length - 1] === '' && names[names.length - 1] === null) {
      values.pop();
      names.pop();
    }
    const records = etwRecords({
      line: row.line,
      format: 'wpa',
      provider,
      name,
      time: { ...NO_TIME, timeText: timeText === '' ? null : timeText },
      sinceStart,
      pid,
      tid,
      process,
      processor,
      attributes,
      values,
      names: this.intern(names),
      layout,
    });
    if (records instanceof UndecodableCell) return this.skip(row, records.reason);
    this.record(row, records);
  }

  /** The same names array for every row with the same payload names: payload plans are cached per array. */
  private intern(names: (string | null)[]): readonly (string | null)[] {
    const key = names.map((name) => (name === null ? '\u0000' : name)).join('\u0001');
    let interned = this.namesByKey.get(key);
    if (!interned) {
      if (this.namesByKey.size > 10_000) this.namesByKey.clear();
      this.namesByKey.set(key, (interned = names));
    }
    return interned;
  }

  private payloadColumnsOf(layout: KernelEventLayout, columns: WpaColumns): Set<number> {
    let set = this.payloadColumns.get(layout);
    if (set) return set;
    const spellings = new Set(layout.fields.flatMap((field) => fieldSpellings(field)));
    set = new Set(columns.others.filter(([name]) => spellings.has(normalizeName(name))).map(([, index]) => index));
    this.payloadColumns.set(layout, set);
    return set;
  }
}
