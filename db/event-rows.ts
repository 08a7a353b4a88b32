/**
 * Records -> the values of one `events` row: the columns queries filter on, the record as JSON, the words full-text
 * search sees. Pure (no connection, no state), so the parse worker (db/parse-worker.ts) computes them next to the
 * parser and the main thread only binds them; an ingest on the main thread computes the very same values here.
 */
import { DiskIoSchema, DriverIrpSchema, EtwEventSchema, FileIoSchema } from '../src/records/etw.js';
import { codeColumn, pointerColumn, ticksFromText, ticksFromValue, driverKey } from './column-values.js';
import { lifetimeMark, type LifetimeMark } from './correlate.js';
import { eventSearchText } from './search-text.js';

/** A record as the store takes it: a parsed record, or any typed object with a line (kept whole in `events`). */
export interface TypedRecord {
  readonly type: string;
  readonly line: number;
}

/**
 * Record types that have a table of their own or feed one besides `events` (incidents, versions, session facts):
 * the writer needs the record itself. Every other type is one `events` row and nothing else.
 */
const NEEDS_WRITER = new Set(['bugcheck', 'irp', 'ioctl', 'frame', 'verifierFlag', 'session', 'moduleVersion', 'procmonEvent']);

/** Whether a record of this type is written as one `events` row and nothing else (and can be prepared apart). */
export const isPlainEvent = (type: string): boolean => !NEEDS_WRITER.has(type);

const ZERO_POINTER = '0x0000000000000000';
/** A zero IRP or FileObject pointer (ETW prints 0 for "none") names nothing and must not match anything. */
const nonZero = (pointer: string | null): string | null => (pointer === ZERO_POINTER ? null : pointer);

export interface EventColumns {
  name: string | null; ticks: bigint | null; timeText: string | null; pid: number | null; tid: number | null; process: string | null;
  irp: string | null; fileObject: string | null; driver: string | null; status: number | null;
}

/** Pulls the columns queries filter on out of any record, known or not, by the field names records use. */
export function eventColumns(record: TypedRecord): EventColumns {
  const r = record as unknown as Record<string, unknown>;
  const str = (...keys: string[]): string | null => {
    for (const k of keys) if (typeof r[k] === 'string' && r[k] !== '') return r[k] as string;
    return null;
  };
  const int = (...keys: string[]): number | null => {
    for (const k of keys) {
      const v = r[k];
      if (typeof v === 'number' && Number.isSafeInteger(v)) return v;
    }
    return null;
  };
  // ETW records carry FILETIME ticks as a decimal string in `time` and the ISO form in `isoTime`; other records
  // print a time (ISO, or a time of day) in `time`. A spreadsheet's float re-save ("lossy-float") only keeps six
  // digits of the ticks: no exact time, so no ticks (the text stays).
  let ticks: bigint | null = null;
  if (r.timePrecision !== 'lossy-float') {
    for (const k of ['ticks', 'time', 'fileTime']) {
      ticks = ticksFromValue(r[k]);
      if (ticks !== null) break;
    }
    ticks ??= ticksFromText(str('isoTime', 'time', 'timeStamp', 'dateTime'));
  }
  return {
    // driverIrp: the documented event (DriverMajorFunctionCall), not tracerpt's abbreviation (DrvMjFnCall).
    name: str('event', 'operation', 'name', 'key', 'function'),
    ticks,
    timeText: str('timeText', 'isoTime', 'time', 'timeStamp', 'dateTime'),
    pid: int('pid'),
    tid: int('tid', 'thread'),
    process: str('process'),
    irp: nonZero(pointerColumn(r.irp ?? null)),
    fileObject: nonZero(pointerColumn(r.fileObject ?? null)),
    driver: str('driver'),
    status: codeColumn(r.statusCode ?? r.status ?? null),
  };
}

/** A record as JSON, whole (what `parse --json` prints for it). */
export function recordJson(value: unknown): string {
  try {
    return JSON.stringify(value);
  } catch {
    // A record carrying a BigInt (exact ticks from a newer parser) is stored with it as a decimal string.
    return JSON.stringify(value, (_key, v: unknown) => (typeof v === 'bigint' ? v.toString() : v));
  }
}

/** Everything the `events` insert binds for one record, except the ids only the writer knows (source, lifetime). */
export interface PreparedEvent extends EventColumns {
  readonly line: number;
  readonly type: string;
  readonly driverKey: string | null;
  /** Whether this row opens or closes an IRP's lifetime (correlation cuts lifetimes with it). */
  readonly mark: LifetimeMark;
  readonly json: string;
  /** What full-text search indexes for this row, or null. */
  readonly words: string | null;
}

export function prepareEvent(record: TypedRecord): PreparedEvent {
  const c = eventColumns(record);
  const key = driverKey(c.driver);
  return {
    line: record.line, type: record.type, name: c.name, ticks: c.ticks, timeText: c.timeText, pid: c.pid, tid: c.tid, process: c.process, irp: c.irp,
    fileObject: c.fileObject, driver: c.driver, driverKey: key, status: c.status,
    mark: c.ticks !== null && c.irp !== null ? lifetimeMark(record.type, c.name) : 'during',
    json: storedJson(record, c),
    words: eventSearchText(record as unknown as Record<string, unknown>),
  };
}

/*
 * ETW exports run to millions of rows, and their records as JSON were twice the size of the input line: half the
 * bytes an ETW ingest wrote, and most of its time in SQLite. Much of each record is already in the row's columns
 * (type, line, the time three times over, pid, tid, process, IRP, FileObject, the event name) or is null. So an ETW
 * record of a fixed-shape type is stored without those fields, and `storedRecord` puts them back from the columns,
 * in the schema's key order: the record read back is the record parsed, to the byte of its JSON
 * (test/event-rows.test.ts checks it on the bundled ETW and Procmon samples).
 *
 * A field is left out only when putting it back gives the same value; a null field without a column is left out
 * too (json_extract reads a missing key as NULL, as it reads a JSON null). A stored record without "type" is such a
 * compact one; every other record (other types, or any record whose keys are not its schema's, in order) is
 * stored whole, as are records written before this change.
 */

/** The `events` columns a compact record is completed from, as SQLite returns them. */
export interface StoredEventRow {
  readonly type: unknown;
  readonly line: unknown;
  readonly name: unknown;
  readonly time_ticks: unknown;
  readonly time_text: unknown;
  readonly pid: unknown;
  readonly tid: unknown;
  readonly process: unknown;
  readonly irp: unknown;
  readonly file_object: unknown;
  readonly record: unknown;
}

/** What the columns say, in the record's terms: the values left-out fields are put back from. */
interface ColumnFacts {
  readonly type: string;
  readonly line: number;
  readonly ticks: string | null;
  readonly timeText: string | null;
  readonly pid: number | null;
  readonly tid: number | null;
  readonly process: string | null;
  readonly irp: string | null;
  readonly fileObject: string | null;
  readonly name: string | null;
}

const UNIX_EPOCH_SECONDS = 11_644_473_600;
let isoSecond = Number.NaN;
let isoPrefix = '';

/**
 * FILETIME ticks (decimal digits, no leading zero) as ISO 8601 UTC with 7 fractional digits, as ETW records write
 * `isoTime`. Consecutive events share their second: its date part is formatted once. Both the writer (to decide
 * that `isoTime` can be left out) and the reader (to put it back) use this one function.
 */
function isoOfTicks(ticks: string): string | null {
  const seconds = ticks.length > 7 ? Number(ticks.slice(0, -7)) : 0;
  if (!Number.isSafeInteger(seconds)) return null;
  if (seconds !== isoSecond) {
    const date = new Date((seconds - UNIX_EPOCH_SECONDS) * 1000);
    if (Number.isNaN(date.getTime())) return null;
    isoSecond = seconds;
    isoPrefix = date.toISOString().slice(0, 19);
  }
  return `${isoPrefix}.${ticks.length > 7 ? ticks.slice(-7) : ticks.padStart(7, '0')}Z`;
}

/** The value a left-out field had; undefined for a field no column gives back (it was null). */
function derived(key: string, nameKey: string, f: ColumnFacts): unknown {
  switch (key) {
    case 'type': return f.type;
    case 'line': return f.line;
    case 'time': return f.ticks;
    case 'isoTime': return f.ticks === null ? null : isoOfTicks(f.ticks);
    case 'timeText': return f.timeText;
    case 'pid': return f.pid;
    case 'tid': return f.tid;
    case 'process': return f.process;
    case 'irp': return f.irp;
    case 'fileObject': return f.fileObject;
    default: return key === nameKey ? f.name : undefined;
  }
}

interface CompactShape {
  /** The schema's keys, in the order records carry them. */
  readonly keys: readonly string[];
  /** The key the `name` column holds: the documented event (driverIrp), the operation (diskIo, fileIo), the name. */
  readonly nameKey: string;
}

const COMPACT_SHAPES: ReadonlyMap<string, CompactShape> = new Map([
  ['driverIrp', { keys: Object.keys(DriverIrpSchema.shape), nameKey: 'event' }],
  ['diskIo', { keys: Object.keys(DiskIoSchema.shape), nameKey: 'operation' }],
  ['fileIo', { keys: Object.keys(FileIoSchema.shape), nameKey: 'operation' }],
  ['event', { keys: Object.keys(EtwEventSchema.shape), nameKey: 'name' }],
]);

/** The JSON `events.record` holds for this record: compact when its type has a fixed shape, else whole. */
export function storedJson(record: TypedRecord, c: EventColumns): string {
  const shape = COMPACT_SHAPES.get(record.type);
  if (!shape) return recordJson(record);
  const r = record as unknown as Record<string, unknown>;
  const keys = Object.keys(r);
  const expected = shape.keys;
  if (keys.length !== expected.length) return recordJson(record);
  for (let i = 0; i < keys.length; i++) if (keys[i] !== expected[i]) return recordJson(record);
  const facts: ColumnFacts = {
    type: record.type, line: record.line, ticks: c.ticks === null ? null : String(c.ticks), timeText: c.timeText, pid: c.pid, tid: c.tid,
    process: c.process, irp: c.irp, fileObject: c.fileObject, name: c.name,
  };
  // A copy in the record's own shape; a left-out field is set to undefined, which JSON.stringify skips.
  const compact: Record<string, unknown> = { ...r };
  for (const key of keys) {
    const value = r[key];
    const put = derived(key, shape.nameKey, facts);
    if (put === undefined ? value === null : put === value) compact[key] = undefined;
  }
  return recordJson(compact);
}

/** The record a stored row holds, whole: a compact record is completed from the row's columns. */
export function storedRecord(row: StoredEventRow): unknown {
  const stored = JSON.parse(String(row.record)) as Record<string, unknown>;
  if ('type' in stored) return stored;
  const shape = COMPACT_SHAPES.get(String(row.type));
  if (!shape) return stored;
  const integer = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));
  const text = (v: unknown): string | null => (v === null || v === undefined ? null : String(v));
  const facts: ColumnFacts = {
    type: String(row.type), line: Number(row.line), ticks: text(row.time_ticks), timeText: text(row.time_text), pid: integer(row.pid), tid: integer(row.tid),
    process: text(row.process), irp: text(row.irp), fileObject: text(row.file_object), name: text(row.name),
  };
  const record: Record<string, unknown> = {};
  for (const key of shape.keys) record[key] = key in stored ? stored[key] : derived(key, shape.nameKey, facts) ?? null;
  return record;
}

/** `storedRecord` as JSON text, for readers that hand the record on as text. */
export function storedRecordJson(row: StoredEventRow): string {
  const stored = String(row.record);
  return stored.startsWith('{"type":') ? stored : recordJson(storedRecord(row));
}
