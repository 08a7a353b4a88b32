/**
 * CSV records from decoded lines, for every CSV-shaped export (tracerpt, WPA, xperf dumper rows, Process Monitor).
 *
 * csv-parse is the authority on quoting, but it cannot read every row: on the bench's tracerpt file it manages about
 * 7 k rows/s here (bytes go one by one through JS, and relax_column_count builds a CsvError, JSON copies included,
 * for every record whose width differs from the first one: with tracerpt's varying User Data, most rows), against
 * the 120 k rows/s wanted. So the rows whose reading is exact without it are read natively:
 * - a line with no quote character is a record of unquoted fields: split on commas (exactly what CSV says), with
 *   csv-parse's ltrim characters dropped after each comma when asked;
 * - a line `"a","b",...,"z"` whose only quotes are the ones around its fields (Procmon writes such rows) is split on
 *   `","`: the line holds two quotes per field and no others, so no field holds a quote or a separator;
 * - otherwise the fields before the one holding the first quote are unquoted and split on commas; the rest of the
 *   record (the "tail") is, when it is one quoted field holding no other quote (tracerpt's string payloads, last on
 *   the row), that field's text; any other tail (doubled quotes, several quoted fields, a line break inside a field,
 *   a stray quote) goes to csv-parse, batched per push so its per-call set-up is paid once per batch.
 *
 * A quoted field can hold line breaks, so a tail whose quote count is odd continues on the next lines until the
 * count is even. Without parse errors that is exactly where csv-parse ends the record (a quote before a line break
 * always closes a field; doubled quotes never straddle one); with errors csv-parse rejects the tail and its lines
 * are reported as a problem. A record left open for MAX_RECORD_LINES lines, or at the end of input, gives up its
 * first line as "unterminated quote" and the lines after it are read again, so one stray quote costs one line.
 *
 * Decisions depend only on the text, never on how it was chunked: pushing lines in any batches gives the same rows.
 */
import { parse as parseCsv, type CsvError } from 'csv-parse/sync';
import type { SourceLine } from '../../src/text/index.js';

export interface CsvRow {
  /** First line of the record. */
  readonly line: number;
  /** Lines the record spans (more than one when a quoted field holds a line break). */
  readonly lineCount: number;
  readonly cells: string[];
  /** The record's text as read, its lines joined with "\n" (kept for skipped-line reports). */
  readonly text: string;
}

/** Lines that do not form a CSV record, with why. */
export interface CsvProblem {
  readonly lines: readonly SourceLine[];
  readonly reason: string;
}

export interface CsvBatch {
  readonly rows: CsvRow[];
  readonly problems: CsvProblem[];
}

export interface CsvReaderOptions {
  /** Drop spaces (and TAB, CR, LF, FF, as csv-parse's ltrim does) before each field: tracerpt pads its cells. */
  readonly ltrim: boolean;
  /** Whether a quoted field may hold a line break. Where it may not (xperf text), an odd quote count is a problem
   * of that line alone. */
  readonly multiline: boolean;
}

/** A quoted field longer than this many lines is taken for an unterminated quote. */
export const MAX_RECORD_LINES = 1000;
/** ... or longer than this many characters: memory stays bounded whatever the input. */
export const MAX_RECORD_CHARS = 4 << 20;

const QUOTE = 34;

function countQuotes(text: string, from: number): number {
  let n = 0;
  let i = text.indexOf('"', from);
  while (i !== -1) {
    n++;
    i = text.indexOf('"', i + 1);
  }
  return n;
}

function countCommas(text: string): number {
  let n = 0;
  let i = text.indexOf(',');
  while (i !== -1) {
    n++;
    i = text.indexOf(',', i + 1);
  }
  return n;
}

/** csv-parse's ltrim drops these before an unquoted field's text. */
const isTrimmable = (c: number): boolean => c === 32 || c === 9 || c === 13 || c === 10 || c === 12;

/** A comma and the characters csv-parse's ltrim drops after it: one native split does both. */
const LTRIM_SEPARATOR = /,[ \t\r\n\f]*/;

function splitUnquoted(text: string, ltrim: boolean): string[] {
  if (!ltrim) return text.split(',');
  const cells = text.split(LTRIM_SEPARATOR);
  const first = cells[0]!;
  if (first.length !== 0 && isTrimmable(first.charCodeAt(0))) {
    let i = 1;
    while (i < first.length && isTrimmable(first.charCodeAt(i))) i++;
    cells[0] = first.slice(i);
  }
  return cells;
}

/** A tail that is one quoted field with no other quote (`  "C:\\a, b.txt"`): its value, else null. */
function loneQuotedField(tail: string, ltrim: boolean): string[] | null {
  const n = tail.length;
  let start = 0;
  if (ltrim) while (start < n && isTrimmable(tail.charCodeAt(start))) start++;
  if (n - start < 2 || tail.charCodeAt(start) !== QUOTE || tail.charCodeAt(n - 1) !== QUOTE) return null;
  return tail.indexOf('"', start + 1) === n - 1 ? [tail.slice(start + 1, n - 1)] : null;
}

/** `"a","b","c"` with no other quote: the fields, else null. */
function splitFullyQuoted(text: string): string[] | null {
  const n = text.length;
  if (n < 2 || text.charCodeAt(0) !== QUOTE || text.charCodeAt(n - 1) !== QUOTE) return null;
  const cells = text.slice(1, n - 1).split('","');
  return countQuotes(text, 0) === 2 * cells.length ? cells : null;
}

function problemReason(error: unknown): string {
  const code = (error as Partial<CsvError>).code;
  if (code === 'CSV_QUOTE_NOT_CLOSED') return 'unterminated quote: a quoted field does not close before the end of the record';
  if (code === 'INVALID_OPENING_QUOTE') return 'misplaced quote: a quote inside an unquoted field';
  if (code === 'CSV_INVALID_CLOSING_QUOTE') return 'misplaced quote: text follows a closing quote in the same field';
  return `not a CSV record: ${(error as Error).message}`;
}

interface Deferred {
  readonly row: { line: number; lineCount: number; cells: string[]; text: string };
  readonly prefix: string[];
  readonly tail: string;
  readonly lines: readonly SourceLine[];
  failed: boolean;
}

interface OpenRecord {
  readonly prefix: string[];
  readonly parts: string[];
  readonly lines: SourceLine[];
  quotes: number;
  chars: number;
}

export class CsvRowReader {
  private open: OpenRecord | null = null;
  private deferred: Deferred[] = [];
  private readonly csvOptions;

  constructor(private readonly options: CsvReaderOptions) {
    this.csvOptions = {
      delimiter: ',',
      quote: '"',
      escape: '"',
      record_delimiter: '\n',
      bom: false,
      ltrim: options.ltrim,
      relax_column_count: true,
      skip_empty_lines: false,
    };
  }

  push(lines: readonly SourceLine[]): CsvBatch {
    const batch: CsvBatch = { rows: [], problems: [] };
    for (const line of lines) this.take(line, batch);
    this.resolve(batch);
    return batch;
  }

  finish(): CsvBatch {
    const batch: CsvBatch = { rows: [], problems: [] };
    while (this.open) this.abandon('unterminated quote: the input ends inside a quoted field that opens on this line', batch);
    this.resolve(batch);
    return batch;
  }

  private take(line: SourceLine, batch: CsvBatch): void {
    const open = this.open;
    if (open) {
      open.parts.push(line.text);
      open.lines.push(line);
      open.quotes += countQuotes(line.text, 0);
      open.chars += line.text.length + 1;
      if ((open.quotes & 1) === 0) {
        this.open = null;
        this.defer(open.prefix, open.parts.join('\n'), open.lines, batch);
      } else if (open.lines.length > MAX_RECORD_LINES || open.chars > MAX_RECORD_CHARS) {
        this.abandon(`unterminated quote: a quoted field opens on this line and does not close within ${MAX_RECORD_LINES} lines`, batch);
      }
      return;
    }
    const text = line.text;
    const q = text.indexOf('"');
    if (q === -1) {
      batch.rows.push({ line: line.line, lineCount: 1, cells: splitUnquoted(text, this.options.ltrim), text });
      return;
    }
    const quoted = q === 0 ? splitFullyQuoted(text) : null;
    if (quoted) {
      batch.rows.push({ line: line.line, lineCount: 1, cells: quoted, text });
      return;
    }
    const start = text.lastIndexOf(',', q) + 1;
    const prefix = start > 0 ? splitUnquoted(text.slice(0, start - 1), this.options.ltrim) : [];
    const tail = start > 0 ? text.slice(start) : text;
    const quotes = countQuotes(text, q);
    const lone = quotes === 2 ? loneQuotedField(tail, this.options.ltrim) : null;
    if (lone) batch.rows.push({ line: line.line, lineCount: 1, cells: prefix.length === 0 ? lone : (prefix.push(lone[0]!), prefix), text });
    else if ((quotes & 1) === 0) this.defer(prefix, tail, [line], batch);
    else if (!this.options.multiline) batch.problems.push({ lines: [line], reason: 'unterminated quote: a quoted field does not close on this line' });
    else this.open = { prefix, parts: [tail], lines: [line], quotes, chars: tail.length };
  }

  private defer(prefix: string[], tail: string, lines: readonly SourceLine[], batch: CsvBatch): void {
    const text = lines.length === 1 ? lines[0]!.text : lines.map((l) => l.text).join('\n');
    const row = { line: lines[0]!.line, lineCount: lines.length, cells: prefix, text };
    batch.rows.push(row);
    this.deferred.push({ row, prefix, tail, lines, failed: false });
  }

  /** The open record's first line is a problem; the lines after it are read again. */
  private abandon(reason: string, batch: CsvBatch): void {
    const open = this.open!;
    this.open = null;
    batch.problems.push({ lines: [open.lines[0]!], reason });
    for (let i = 1; i < open.lines.length; i++) this.take(open.lines[i]!, batch);
  }

  /** Reads every deferred tail with csv-parse: one call per group of tails with the same comma count. */
  private resolve(batch: CsvBatch): void {
    if (this.deferred.length === 0) return;
    const deferred = this.deferred;
    this.deferred = [];
    // Tails with the same number of commas almost always have the same number of fields, and csv-parse builds an
    // error object for every record whose width differs from the first of its call.
    const groups = new Map<number, Deferred[]>();
    for (const entry of deferred) {
      const commas = countCommas(entry.tail);
      const group = groups.get(commas);
      if (group) group.push(entry);
      else groups.set(commas, [entry]);
    }
    let failures = 0;
    for (const group of groups.values()) failures += this.readGroup(group, batch);
    if (failures > 0) {
      const failed = new Set(deferred.filter((d) => d.failed).map((d) => d.row));
      const kept = batch.rows.filter((row) => !failed.has(row));
      batch.rows.length = 0;
      batch.rows.push(...kept);
    }
  }

  /** Returns how many tails failed. */
  private readGroup(group: Deferred[], batch: CsvBatch): number {
    if (group.length === 1) return this.readAlone(group[0]!, batch);
    // Each tail is numbered in a first field of its own, so a record that csv-parse ended somewhere else than the
    // tail's end cannot be taken for the next tail's.
    try {
      const records = parseCsv(group.map((d, i) => `${i},${d.tail}`).join('\n'), this.csvOptions);
      if (records.length === group.length && records.every((record, i) => record[0] === String(i))) {
        for (let i = 0; i < group.length; i++) {
          const entry = group[i]!;
          const cells = records[i]!;
          cells.shift();
          entry.row.cells = entry.prefix.length === 0 ? cells : entry.prefix.concat(cells);
        }
        return 0;
      }
    } catch {
      // One bad tail fails the whole call: read them one by one to find which.
    }
    let failures = 0;
    for (const entry of group) failures += this.readAlone(entry, batch);
    return failures;
  }

  private readAlone(entry: Deferred, batch: CsvBatch): number {
    try {
      const records = parseCsv(entry.tail, this.csvOptions);
      if (records.length === 1) {
        entry.row.cells = entry.prefix.concat(records[0]!);
        return 0;
      }
      batch.problems.push({ lines: entry.lines, reason: `not one CSV record: csv-parse reads ${records.length} records in these lines` });
    } catch (error) {
      batch.problems.push({ lines: entry.lines, reason: problemReason(error) });
    }
    entry.failed = true;
    return 1;
  }
}
