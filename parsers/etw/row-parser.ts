/**
 * What the CSV-shaped parsers (tracerpt, WPA, xperf, Process Monitor) share: lines go through a CsvRowReader, each
 * row or problem is handed over in line order, and every line is counted once as record, noise or skipped.
 */
import type { SourceLine } from '../../src/text/index.js';
import type { ParsedRecord, Skipped } from '../../src/records/index.js';
import { validateRecord } from '../../src/records/validate.js';
import type { LineAccount, LineParser, ParseBatch } from '../types.js';
import { CsvRowReader, type CsvBatch, type CsvProblem, type CsvReaderOptions, type CsvRow } from './csv-rows.js';

/** Lines read into rows at a time within one push. */
const WINDOW_LINES = 256;

export abstract class RowParser implements LineParser {
  private readonly reader: CsvRowReader;
  private readonly counts: LineAccount = { lines: 0, recordLines: 0, noiseLines: 0, skippedLines: 0, records: 0 };
  private records: ParsedRecord[] = [];
  private skippedLines: Skipped[] = [];
  /**
   * Record types already checked against the contract. Only the first record of each type is: every record of a
   * type is built by the same code, so the first one shows a shape bug, and checking all of them would cost more
   * than the parse itself (about 20 us a record against a budget of 8). The tests check every record.
   */

  constructor(options: CsvReaderOptions) {
    this.reader = new CsvRowReader(options);
  }

  push(lines: readonly SourceLine[]): ParseBatch {
    this.counts.lines += lines.length;
    // Rows are read and turned into records a window at a time, so the cells of a whole chunk (some 80 000 strings
    // for a 1 MiB push of tracerpt) are never alive at once, and csv-parse still gets tails in batches.
    if (lines.length <= WINDOW_LINES) this.consume(this.reader.push(lines));
    else for (let i = 0; i < lines.length; i += WINDOW_LINES) this.consume(this.reader.push(lines.slice(i, i + WINDOW_LINES)));
    return this.batch();
  }

  finish(): ParseBatch {
    this.consume(this.reader.finish());
    return this.batch();
  }

  account(): LineAccount {
    return { ...this.counts };
  }

  /** One CSV record, in line order. It must end in exactly one of record(), noise() or skip(). */
  protected abstract row(row: CsvRow): void;

  /** Lines that are not a CSV record. Parsers where such lines are expected text may take them otherwise. */
  protected problem(problem: CsvProblem): void {
    for (const line of problem.lines) this.skipLine(line.line, line.text, problem.reason);
  }

  /** The row's lines are the records emitted for it. */
  protected record(row: CsvRow, records: readonly ParsedRecord[]): void {
    this.counts.recordLines += row.lineCount;
    for (const record of records) this.emit(record);
  }

  /** A record that stands for noise lines (a diagnostic a tool printed): its line counts as noise. */
  protected emit(record: ParsedRecord): void {
    // Every record is validated by its schema (compiled once per type: src/records/validate.ts).
    this.records.push(validateRecord(record));
    this.counts.records++;
  }

  protected noise(lineCount: number): void {
    this.counts.noiseLines += lineCount;
  }

  protected skip(row: CsvRow, reason: string): void {
    if (row.lineCount === 1) this.skipLine(row.line, row.text, reason);
    else row.text.split('\n').forEach((text, i) => this.skipLine(row.line + i, text, reason));
  }

  private skipLine(line: number, text: string, reason: string): void {
    this.skippedLines.push({ line, reason, text });
    this.counts.skippedLines++;
  }

  private consume(batch: CsvBatch): void {
    const { rows, problems } = batch;
    if (problems.length === 0) {
      for (const row of rows) this.decodedRow(row);
      return;
    }
    // Problems come from the same lines as the rows: hand both over in line order.
    problems.sort((a, b) => a.lines[0]!.line - b.lines[0]!.line);
    let p = 0;
    for (const row of rows) {
      while (p < problems.length && problems[p]!.lines[0]!.line < row.line) this.problem(problems[p++]!);
      this.decodedRow(row);
    }
    while (p < problems.length) this.problem(problems[p++]!);
  }

  /** The text stage reads bytes that are not valid UTF-8 as U+FFFD: such a row's cells are not what was written. */
  private decodedRow(row: CsvRow): void {
    if (row.text.includes('\uFFFD')) this.skip(row, 'broken encoding: the row holds bytes that are not valid UTF-8 (read as U+FFFD)');
    else this.row(row);
  }

  private batch(): ParseBatch {
    const out = { records: this.records, skipped: this.skippedLines };
    this.records = [];
    this.skippedLines = [];
    return out;
  }
}

/** Cells without the padding spaces tools put on either side. */
export function trimCell(cell: string | undefined): string {
  if (cell === undefined || cell === '') return '';
  const last = cell.charCodeAt(cell.length - 1);
  const first = cell.charCodeAt(0);
  return last === 32 || last === 9 || first === 32 || first === 9 ? cell.trim() : cell;
}

/** A row whose every cell is empty or blank. */
export function isBlankRow(cells: readonly string[]): boolean {
  for (const cell of cells) if (cell !== '' && /\S/.test(cell)) return false;
  return true;
}

/** Builds a row's attributes object from its cells. */
export type AttributeBuilder = (cells: readonly string[]) => Record<string, string>;

/**
 * An attribute builder for one header: the object is created as one literal with every key (an empty cell is ""),
 * which V8 allocates with its final shape; adding the keys one by one costs ten times more, and this runs once per
 * row. The keys are header text, written into the literal with JSON.stringify, so any text is a valid key; cell
 * values are passed as data.
 */
export function attributeBuilder(columns: readonly (readonly [string, number])[], trim: boolean): AttributeBuilder {
  const unique = new Map<string, number>();
  for (const [name, index] of columns) if (!unique.has(name)) unique.set(name, index);
  const body = [...unique].map(([name, index]) => `${JSON.stringify(name)}: ${trim ? `t(c[${index}])` : `c[${index}] ?? ''`}`).join(', ');
  const build = new Function('t', 'c', `return { ${body} };`) as (t: (cell: string | undefined) => string, c: readonly string[]) => Record<string, string>;
  return (cells) => build(trimCell, cells);
}
