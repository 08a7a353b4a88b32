/**
 * `xperf -a dumper` text. Each event type is described once by a header line, right-aligned like the rows
 * (`CSwitch,  TimeStamp, New Process Name ( PID),    New TID, ...`), in full dumps between `BeginHeader` and
 * `EndHeader`; each event is a row of space-padded comma-separated cells starting with its type and TimeStamp
 * (microseconds since the trace started), with `name (  pid)` process cells. Diagnostics such as `Error:
 * Description for thread state (9) could not be found` come between rows: they are noise, and an etwDiagnostic
 * record keeps their line and text. Authors' `...` elisions are noise.
 */
import type { CsvProblem, CsvRow } from './csv-rows.js';
import { etwRecords, readCount, UndecodableCell } from './event-records.js';
import { layoutOfAlias, normalizeName } from './kernel-events.js';
import { isBlankRow, RowParser, trimCell } from './row-parser.js';
import { NO_TIME, shiftDecimal } from './time.js';
import { processCell } from './wpa.js';

const HEADER_LINE = /^\s*[A-Za-z][\w\-/.]*\s*,\s*TimeStamp\s*(,|$)/;
const EVENT_LINE = /^\s*[A-Za-z][\w\-/.]*\s*,\s*\d+(\.\d+)?\s*(,|$)/;
const TYPE_NAME = /^[A-Za-z][\w\-/.]*$/;
const TIMESTAMP = /^\d+(\.\d+)?$/;

export const xperfHeaderLine = (line: string): boolean => HEADER_LINE.test(line);
export const xperfEventLine = (line: string): boolean => EVENT_LINE.test(line);

interface EventColumns {
  /** Every column name of the header line, the type and TimeStamp first. */
  readonly names: readonly string[];
  /** Indexes (into the cells) of the columns that give the record's process, thread and CPU. */
  readonly process: number;
  readonly tid: number;
  readonly cpu: number;
  /** The other columns, the payload: their indexes, and their names (one array per header, for plan caching). */
  readonly payload: readonly number[];
  readonly payloadNames: readonly string[];
}

function eventColumns(cells: readonly string[]): EventColumns {
  const names = cells.map((cell) => trimCell(cell));
  const find = (...spellings: string[]): number => names.findIndex((name, i) => i >= 2 && spellings.includes(normalizeName(name)));
  const process = find('processnamepid', 'processpid', 'process');
  const tid = find('threadid', 'tid');
  const cpu = find('cpu');
  const payload = names.map((_, i) => i).filter((i) => i >= 2 && i !== process && i !== tid && i !== cpu);
  return { names, process, tid, cpu, payload, payloadNames: payload.map((i) => names[i]!) };
}

export class XperfParser extends RowParser {
  private readonly headers = new Map<string, EventColumns>();

  constructor() {
    super({ ltrim: true, multiline: false });
  }

  /** A line with a lone quote is text the tool printed, not a broken event row. */
  protected override problem(problem: CsvProblem): void {
    const line = problem.lines[0]!;
    if (problem.lines.length === 1 && !EVENT_LINE.test(line.text)) return this.diagnostic(line.line, line.text);
    super.problem(problem);
  }

  protected row(row: CsvRow): void {
    const cells = row.cells;
    if (isBlankRow(cells)) return this.noise(1);
    const type = trimCell(cells[0]);
    if (cells.length === 1 && (type === 'BeginHeader' || type === 'EndHeader' || /^\.{3,}$/.test(type))) return this.noise(1);
    const second = trimCell(cells[1]);
    if (TYPE_NAME.test(type) && second === 'TimeStamp') {
      this.headers.set(type, eventColumns(cells));
      return this.noise(1);
    }
    if (!TYPE_NAME.test(type) || !TIMESTAMP.test(second)) return this.diagnostic(row.line, row.text);

    const columns = this.headers.get(type);
    if (columns && cells.length !== columns.names.length) {
      return this.skip(row, `wrong field count: ${cells.length} fields, the ${type} header has ${columns.names.length}`);
    }
    let process: string | null = null;
    let pid: number | null = null;
    if (columns && columns.process >= 0) [process, pid] = processCell(trimCell(cells[columns.process]));
    const tid = columns && columns.tid >= 0 ? readCount(trimCell(cells[columns.tid])) : null;
    if (tid === undefined) return this.skip(row, `undecodable cell: ThreadID ${JSON.stringify(cells[columns!.tid])} is not a number`);
    const processor = columns && columns.cpu >= 0 ? readCount(trimCell(cells[columns.cpu])) : null;
    if (processor === undefined) return this.skip(row, `undecodable cell: CPU ${JSON.stringify(cells[columns!.cpu])} is not a number`);

    const values = columns ? columns.payload.map((i) => trimCell(cells[i])) : cells.slice(2).map((cell) => trimCell(cell));
    // Without its header the payload's names are unknown, and xperf's column order is not the documented one.
    const layout = columns ? layoutOfAlias(type) : undefined;
    const records = etwRecords({
      line: row.line,
      format: 'xperf',
      provider: layout?.provider ?? type,
      name: layout?.name ?? type,
      time: { ...NO_TIME, timeText: second },
      sinceStart: shiftDecimal(second, 6),
      pid,
      tid,
      process,
      processor,
      attributes: layout ? { 'Event Type': type } : {},
      values,
      names: columns ? columns.payloadNames : null,
      layout,
    });
    if (records instanceof UndecodableCell) return this.skip(row, records.reason);
    this.record(row, records);
  }

  private diagnostic(line: number, text: string): void {
    this.noise(1);
    this.emit({ type: 'etwDiagnostic', line, format: 'xperf', text: text.trim() });
  }
}
