/**
 * Process Monitor CSV: a header row naming the columns (the default seven, `Time of Day, Process Name, PID,
 * Operation, Path, Result, Detail`, plus whichever a user added: Sequence, Date & Time, Duration, TID, Category,
 * Image Path, ...), mapped by name; then one row per event. Procmon quotes every field; a spreadsheet re-save drops
 * the quotes where it can and shortens the time. Quoted fields can hold bare CRs, TABs, doubled quotes and other
 * control characters (corpus/procmon/prsp0007-samples-logfile.csv): the splitter keeps lone CRs in the line.
 *
 * A DeviceIoControl, InternalDeviceIoControl or FileSystemControl row with a known control code gives an `ioctl`
 * record and then its `procmonEvent` (which keeps the path, the detail and what Procmon printed about the code);
 * every other row gives a `procmonEvent`.
 */
import type { IoctlOccurrence, ParsedRecord } from '../../src/records/index.js';
import type { ProcmonEvent } from '../../src/records/procmon.js';
import type { CsvRow } from '../etw/csv-rows.js';
import { attributeBuilder, isBlankRow, RowParser, type AttributeBuilder } from '../etw/row-parser.js';
import { ioctlOccurrence } from '../decoded.js';
import { CONTROL_OPERATIONS, procmonControl } from './control.js';
import { resultStatus } from './result.js';
import { procmonTime } from './time.js';

type Role = 'time' | 'process' | 'pid' | 'operation' | 'path' | 'result' | 'detail' | 'sequence' | 'dateTime' | 'duration' | 'tid' | 'category';

const ROLE_BY_HEADER: ReadonlyMap<string, Role> = new Map([
  ['Time of Day', 'time'],
  ['Process Name', 'process'],
  ['PID', 'pid'],
  ['Operation', 'operation'],
  ['Path', 'path'],
  ['Result', 'result'],
  ['Detail', 'detail'],
  ['Sequence', 'sequence'],
  ['Date & Time', 'dateTime'],
  ['Duration', 'duration'],
  ['TID', 'tid'],
  ['Category', 'category'],
]);

export interface ProcmonColumns {
  readonly roles: Partial<Record<Role, number>>;
  /** Every other column (Image Path, Command Line, ...), kept as attributes. */
  readonly attributes: AttributeBuilder;
  readonly width: number;
}

/** The columns of a Procmon header row, or null when the row is not one (it must name an Operation column). */
export function procmonHeader(cells: readonly string[]): ProcmonColumns | null {
  // Asked of every row (a second export may be appended): a cheap look for the one name a header must have.
  if (!cells.some((cell) => cell.length >= 9 && cell.length <= 24 && cell.trim() === 'Operation')) return null;
  const names = cells.map((cell) => cell.trim());
  if (!names.includes('Operation')) return null;
  if (!names.some((name) => name === 'Process Name' || name === 'Time of Day' || name === 'PID' || name === 'Path')) return null;
  const roles: Partial<Record<Role, number>> = {};
  const others: [string, number][] = [];
  names.forEach((name, index) => {
    const role = ROLE_BY_HEADER.get(name);
    if (role !== undefined && roles[role] === undefined) roles[role] = index;
    else others.push([name || `Column ${index + 1}`, index]);
  });
  return { roles, attributes: attributeBuilder(others, false), width: names.length };
}

const COUNT = /^\d{1,15}$/;

export class ProcmonParser extends RowParser {
  private columns: ProcmonColumns | null = null;
  /** Decodings by code and major: a log repeats a handful of codes, and decoding builds every name with its sources. */
  private readonly decodings = new Map<string, IoctlOccurrence>();

  private decoding(code: string, majorFunction: string): IoctlOccurrence {
    const key = `${code} ${majorFunction}`;
    let decoding = this.decodings.get(key);
    if (!decoding) {
      if (this.decodings.size > 4096) this.decodings.clear();
      this.decodings.set(key, (decoding = ioctlOccurrence(Number(code), 1, { via: 'procmon', majorFunction })));
    }
    return decoding;
  }

  constructor() {
    super({ ltrim: false, multiline: true });
  }

  protected row(row: CsvRow): void {
    const cells = row.cells;
    if (cells[0]!.trim() === '' && isBlankRow(cells)) return this.noise(row.lineCount);
    const header = procmonHeader(cells);
    if (header) {
      this.columns = header;
      return this.noise(row.lineCount);
    }
    const columns = this.columns;
    if (!columns) return this.skip(row, 'before the Process Monitor header row ("Time of Day","Process Name","PID","Operation",...)');
    if (cells.length !== columns.width) return this.skip(row, `wrong field count: ${cells.length} fields, the header has ${columns.width}`);
    const roles = columns.roles;
    const cell = (role: Role): string | null => {
      const index = roles[role];
      if (index === undefined) return null;
      const value = cells[index]!;
      return value === '' ? null : value;
    };
    const count = (role: Role, title: string): number | null | string => {
      const text = cell(role);
      if (text === null) return null;
      return COUNT.test(text.trim()) ? Number(text.trim()) : `undecodable cell: ${title} ${JSON.stringify(text)} is not a number`;
    };
    const operation = cell('operation');
    if (operation === null) return this.skip(row, 'undecodable cell: Operation is empty');
    const pid = count('pid', 'PID');
    if (typeof pid === 'string') return this.skip(row, pid);
    const tid = count('tid', 'TID');
    if (typeof tid === 'string') return this.skip(row, tid);
    const sequence = count('sequence', 'Sequence');
    if (typeof sequence === 'string') return this.skip(row, sequence);
    const time = cell('time');
    const clock = time === null ? null : procmonTime(time.trim());
    if (clock === undefined) return this.skip(row, `undecodable cell: Time of Day ${JSON.stringify(time)} is not h:mm:ss.fffffff (12 or 24 hour) or a spreadsheet's mm:ss.f`);
    const result = cell('result');
    const status = result === null ? null : resultStatus(result.trim());
    const detail = cell('detail');
    const process = cell('process');
    const majorFunction = CONTROL_OPERATIONS.get(operation.trim());
    const control = majorFunction !== undefined && detail !== null ? procmonControl(detail.trim()) : null;

    const attributes = columns.attributes(cells);
    const event: ProcmonEvent = {
      type: 'procmonEvent',
      line: row.line,
      sequence,
      time,
      timeOfDay: clock?.timeOfDay ?? null,
      timePrecision: clock?.precision ?? null,
      dateTime: cell('dateTime'),
      process,
      pid,
      tid,
      operation,
      path: cell('path'),
      result,
      status: status?.code ?? null,
      statusName: status?.name ?? null,
      detail,
      duration: cell('duration'),
      category: cell('category'),
      control,
      attributes,
    };
    const records: ParsedRecord[] = [];
    if (control?.code) {
      records.push({
        ...this.decoding(control.code, majorFunction!),
        line: row.line,
        status: status?.code ?? null,
        statusText: result,
        time,
        process: process === null ? null : `${process} (${pid ?? '?'})`,
      });
    }
    records.push(event);
    this.record(row, records);
  }
}
