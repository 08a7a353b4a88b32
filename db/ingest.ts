/**
 * Records -> rows. One source (one file) is one write transaction: BEGIN IMMEDIATE before the first row, COMMIT
 * after the last, so an interrupted ingest (Ctrl-C, kill -9, a crash, a full disk) leaves the database exactly as
 * it was before that file, and running the ingest again finishes the job. Inside the transaction records are
 * buffered and written in batches through prepared statements; nothing holds a whole file in memory.
 */
import { createHash } from 'node:crypto';
import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseChunks } from '../parsers/pipeline.js';
import { readFileChunks } from '../src/text/index.js';
import type { Bugcheck, Frame, IoctlOccurrence, Irp, ParsedRecord, Skipped, VerifierFlag } from '../src/records/index.js';
import { DriverVersionWriter } from './driver-versions.js';
import type { Connection, Store } from './store.js';
import { codeColumn, driverKey, pointerColumn, ticksFromText, ticksFromValue } from './column-values.js';
import { DEFAULT_WINDOW_TICKS, LifetimeTracker, lifetimeMark, linkUntimedRows } from './correlate.js';
import { eventSearchText, incidentSearchText, irpSearchText } from './search-text.js';
import { signSource } from './signatures.js';
import { beginWrite } from './write-lock.js';
import { RowIds } from './row-ids.js';
import type { RuleSet } from '../src/signature/rules.js';

/** A record type the store has no table for (yet): it is kept whole in `events`, with the common columns filled. */
export interface GenericRecord {
  readonly type: string;
  readonly line: number;
  readonly [field: string]: unknown;
}
export type StoreRecord = ParsedRecord | GenericRecord;

export interface RecordSink {
  record(record: StoreRecord): void;
  skipped(skipped: Skipped): void;
}

/** What a parser run says about the source once it is done. */
export interface ProducedSource {
  readonly format: string;
  readonly formatReason: string;
  readonly encoding: string;
  readonly lines: number;
}

/** Streams one source's records into the sink (the parser pipeline, or a test's hand-made records). */
export type RecordProducer = (sink: RecordSink) => Promise<ProducedSource>;

export interface SourceIdentity {
  /** Where the text came from, as stored (absolute for files). */
  readonly path: string;
  /** sha256 of the bytes, hex. */
  readonly contentHash: string;
  readonly sizeBytes: number;
}

export interface IngestProgress {
  readonly bytes: number;
  readonly totalBytes: number;
  readonly rows: number;
}

export interface IngestOptions {
  /** Forced format (parser id); undefined or "auto" detects. */
  readonly format?: string;
  readonly onProgress?: (progress: IngestProgress) => void;
  /** Called after each batch is written, inside the open transaction (the interruption test stops here). */
  readonly afterBatch?: (batch: number) => void;
  readonly batchRows?: number;
  readonly windowTicks?: bigint;
  /** The signature rules new incidents are signed with (default: the built-in rules/). */
  readonly ruleSet?: RuleSet;
}

export interface IngestOutcome {
  readonly sourceId: number;
  readonly path: string;
  readonly format: string;
  readonly records: number;
  readonly skipped: number;
  readonly status: 'ingested' | 'unchanged';
  /** The first skipped lines of this ingest (all of them up to KEPT_SKIPPED); `skipped` has the full count. */
  readonly skippedLines: readonly Skipped[];
}

export class SourceChangedError extends Error {}

/**
 * Records buffered before a write loop. 10 000 kept that many records alive on the heap and took a 1 M-row ETW
 * ingest to 308 MB peak RSS (236 MB at 100 k); 2 000 writes as fast and stays at 228-260 MB (bench/store.ts).
 */
export const BATCH_ROWS = 2_000;
const KEPT_SKIPPED = 1_000;
const KEPT_SESSIONS = 10_000;

const NT_ERROR = 0xc0000000;

interface IncidentDraft {
  incidentNo: number;
  line: number;
  via: string;
  code: number | null;
  name: string | null;
  args: (string | null)[];
  parameters: Bugcheck['parameters'];
  cases: Bugcheck['cases'];
  image: string | null;
  module: string | null;
  symbol: string | null;
  failureBucket: string | null;
  failureHash: string | null;
  bugcheckStr: string | null;
  process: string | null;
  probablyCausedBy: string | null;
  driverVersion: string | null;
  osBuild: string | null;
  details: Record<string, string>;
}

const FIRST_WINS = ['name', 'image', 'module', 'symbol', 'failureBucket', 'failureHash', 'bugcheckStr', 'process', 'probablyCausedBy', 'osBuild'] as const;

function mergeBugcheck(draft: IncidentDraft | undefined, b: Bugcheck): IncidentDraft {
  const code = b.code === null ? null : codeColumn(b.code);
  if (!draft) {
    return {
      incidentNo: b.incident, line: b.line, via: b.via, code, name: b.name, args: [...b.args], parameters: b.parameters, cases: b.cases,
      image: b.image, module: b.module, symbol: b.symbol, failureBucket: b.failureBucket, failureHash: b.failureHash, bugcheckStr: b.bugcheckStr,
      process: b.process, probablyCausedBy: b.probablyCausedBy, driverVersion: b.imageVersion, osBuild: b.osBuild, details: { ...b.details },
    };
  }
  // Several announcements of one crash (a Fatal System Error line, then !analyze -v) fill each other's gaps; the
  // first value printed wins, and every announcement is also kept whole in `events`.
  draft.line = Math.min(draft.line, b.line);
  draft.code ??= code;
  for (const key of FIRST_WINS) draft[key] ??= b[key];
  draft.driverVersion ??= b.imageVersion;
  draft.args = draft.args.map((a, i) => a ?? b.args[i] ?? null);
  draft.parameters = draft.parameters.map((p, i) => p ?? b.parameters[i] ?? null) as Bugcheck['parameters'];
  if (b.cases.length > draft.cases.length) draft.cases = b.cases;
  draft.details = { ...b.details, ...draft.details };
  return draft;
}

const ZERO_POINTER = '0x0000000000000000';
/** A zero IRP or FileObject pointer (ETW prints 0 for "none") names nothing and must not match anything. */
const nonZero = (pointer: string | null): string | null => (pointer === ZERO_POINTER ? null : pointer);

/** Pulls the columns queries filter on out of any record, known or not, by the field names records use. */
export function eventColumns(record: StoreRecord): {
  name: string | null; ticks: bigint | null; timeText: string | null; pid: number | null; tid: number | null; process: string | null;
  irp: string | null; fileObject: string | null; driver: string | null; status: number | null;
} {
  const r = record as Record<string, unknown>;
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

function json(value: unknown): string {
  try {
    return JSON.stringify(value);
  } catch {
    // A record carrying a BigInt (exact ticks from a newer parser) is stored with it as a decimal string.
    return JSON.stringify(value, (_key, v: unknown) => (typeof v === 'bigint' ? v.toString() : v));
  }
}

const bit = (value: boolean | null): number | null => (value === null ? null : value ? 1 : 0);

/**
 * Adds one source's IOCTL occurrences to ioctl_counts, inside its transaction: the ingest's last step before
 * correlation, and `irpscope sync`'s for a copied source, so both leave the same counts.
 */
export function addIoctlCounts(db: Connection, source: number): void {
  db.prepare(`INSERT INTO ioctl_counts (code, driver_key, driver, status, occurrences, first_ticks, last_ticks)
      SELECT code, coalesce(driver_key, ''), coalesce(min(driver), ''), coalesce(status, -1), count(*), min(time_ticks), max(time_ticks)
      FROM ioctl_occurrences WHERE source_id = ? GROUP BY code, coalesce(driver_key, ''), coalesce(status, -1) ORDER BY 1, 2, 4
    ON CONFLICT (code, driver_key, status) DO UPDATE SET occurrences = ioctl_counts.occurrences + excluded.occurrences,
      first_ticks = CASE WHEN ioctl_counts.first_ticks IS NULL OR excluded.first_ticks < ioctl_counts.first_ticks
        THEN coalesce(excluded.first_ticks, ioctl_counts.first_ticks) ELSE ioctl_counts.first_ticks END,
      last_ticks = CASE WHEN ioctl_counts.last_ticks IS NULL OR excluded.last_ticks > ioctl_counts.last_ticks
        THEN coalesce(excluded.last_ticks, ioctl_counts.last_ticks) ELSE ioctl_counts.last_ticks END`).run(source);
}

/** Writes one source's records inside the caller's open transaction. */
export class SourceWriter {
  private pending: StoreRecord[] = [];
  private pendingSkipped: Skipped[] = [];
  private batches = 0;
  records = 0;
  skippedCount = 0;
  readonly keptSkipped: Skipped[] = [];
  private readonly incidents = new Map<number, IncidentDraft>();
  private readonly sessions: { line: number; key: string; value: string }[] = [];
  private readonly knownCodes = new Set<number>();
  private readonly lifetimes: LifetimeTracker;
  private readonly versions: DriverVersionWriter;
  private readonly insert;
  private readonly ids: RowIds;
  private readonly batchRows: number;

  constructor(private readonly db: Connection, readonly sourceId: number, private readonly options: IngestOptions = {}) {
    this.batchRows = options.batchRows ?? BATCH_ROWS;
    this.lifetimes = new LifetimeTracker(db, sourceId, options.windowTicks ?? DEFAULT_WINDOW_TICKS);
    this.versions = new DriverVersionWriter(db, sourceId);
    // Rows with ids the writer hands out (db/row-ids.ts), written through row writers: nothing here reads an id
    // back, so PostgreSQL gets them in bulk; the ioctl_codes upsert, whose answer matters, is a statement.
    this.insert = {
      irp: db.rowWriter(`INSERT INTO irps (id, source_id, line, via, address, major_function, minor_function, ioctl, status, status_name, device, driver, driver_key,
        thread, stack_count, current_location, completed, pending_returned) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`),
      location: db.rowWriter(`INSERT INTO stack_locations (irp_id, source_id, line, location, current, major, major_function, minor, minor_function, flags, control,
        device, file_object, completion, context, driver, completion_routine, args, ioctl) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`),
      code: db.prepare(`INSERT INTO ioctl_codes (code, hex, name, names, device_type, device_type_name, function, method, access) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
        ON CONFLICT (code) DO UPDATE SET name = excluded.name, names = excluded.names, device_type_name = excluded.device_type_name WHERE excluded.names <> ioctl_codes.names`),
      ioctl: db.rowWriter(`INSERT INTO ioctl_occurrences (source_id, line, code, via, major_function, driver, driver_key, irp, status, status_text, time_ticks, time_text,
        time_from, process, failed, lifetime_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`),
      frame: db.rowWriter(`INSERT INTO frames (id, source_id, line, incident_no, frame, child_sp, return_address, args, symbol, module, function, "offset", inline, source_file,
        annotation, verifier) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`),
      flag: db.rowWriter('INSERT INTO verifier_flags (source_id, line, form, level, bit, name, enabled, flag_group) VALUES (?, ?, ?, ?, ?, ?, ?, ?)'),
      event: db.rowWriter(`INSERT INTO events (id, source_id, line, type, name, time_ticks, time_text, pid, tid, process, irp, file_object, driver, driver_key, status,
        lifetime_id, record) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`),
      skipped: db.rowWriter('INSERT INTO skipped_lines (id, source_id, line, reason, text) VALUES (?, ?, ?, ?, ?)'),
      search: db.rowWriter('INSERT INTO search_index (body, kind, source_id, line, ref_id) VALUES (?, ?, ?, ?, ?)'),
    };
    this.ids = new RowIds(db);
  }

  record(record: StoreRecord): void {
    this.pending.push(record);
    if (this.pending.length + this.pendingSkipped.length >= this.batchRows) this.flush();
  }

  skipped(skipped: Skipped): void {
    this.pendingSkipped.push(skipped);
    if (this.pending.length + this.pendingSkipped.length >= this.batchRows) this.flush();
  }

  get rows(): number {
    return this.records + this.skippedCount + this.pending.length + this.pendingSkipped.length;
  }

  flush(): void {
    for (const record of this.pending) this.write(record);
    for (const s of this.pendingSkipped) {
      const id = this.ids.take('skipped_lines');
      this.insert.skipped.write(id, this.sourceId, s.line, s.reason, s.text);
      this.insert.search.write(s.text, 'skipped', this.sourceId, s.line, id);
      if (this.keptSkipped.length < KEPT_SKIPPED) this.keptSkipped.push(s);
    }
    this.records += this.pending.length;
    this.skippedCount += this.pendingSkipped.length;
    const wrote = this.pending.length + this.pendingSkipped.length;
    this.pending = [];
    this.pendingSkipped = [];
    if (wrote > 0) this.options.afterBatch?.(++this.batches);
  }

  private write(record: StoreRecord): void {
    switch (record.type) {
      case 'bugcheck': {
        const b = record as Bugcheck;
        this.incidents.set(b.incident, mergeBugcheck(this.incidents.get(b.incident), b));
        this.writeEvent(record);
        return;
      }
      case 'irp':
        this.writeIrp(record as Irp);
        return;
      case 'ioctl':
        this.writeIoctl(record as IoctlOccurrence);
        return;
      case 'frame': {
        const f = record as Frame;
        const id = this.ids.take('frames');
        this.insert.frame.write(id, this.sourceId, f.line, f.incident, f.index, f.childSp, f.returnAddress, JSON.stringify(f.args), f.symbol, f.module, f.function,
          f.offset, f.inline ? 1 : 0, f.source, f.annotation, f.verifier ? 1 : 0);
        this.insert.search.write(f.source ? `${f.symbol} ${f.source}` : f.symbol, 'frame', this.sourceId, f.line, id);
        return;
      }
      case 'verifierFlag': {
        const v = record as VerifierFlag;
        this.insert.flag.write(this.sourceId, v.line, v.form, codeColumn(v.level), codeColumn(v.bit), v.name, v.enabled ? 1 : 0, v.group);
        return;
      }
      case 'session': {
        const s = record as { line: number; key: string; value: string };
        if (this.sessions.length < KEPT_SESSIONS) this.sessions.push({ line: s.line, key: s.key, value: s.value });
        this.writeEvent(record);
        return;
      }
      default:
        this.writeEvent(record);
        // An lm module entry or a Procmon row with a Version column also says which version of an image this is.
        this.versions.fromRecord(record);
    }
  }

  private writeIrp(irp: Irp): void {
    const id = this.ids.take('irps');
    this.insert.irp.write(id, this.sourceId, irp.line, irp.via, irp.address, irp.majorFunction, irp.minorFunction, codeColumn(irp.ioctl), codeColumn(irp.status),
      irp.statusName, irp.device, irp.driver, driverKey(irp.driver), irp.thread, irp.stackCount, irp.currentLocation, bit(irp.completed), bit(irp.pendingReturned));
    for (const l of irp.locations) {
      this.insert.location.write(id, this.sourceId, l.line, l.index, l.current ? 1 : 0, l.major, l.majorFunction, l.minor, l.minorFunction, l.flags, l.control,
        l.device, l.file, l.completion, l.context, l.driver, l.completionRoutine, JSON.stringify(l.args), codeColumn(l.ioctl));
    }
    const words = irpSearchText(irp.driver, irp.majorFunction, irp.locations);
    if (words) this.insert.search.write(words, 'irp', this.sourceId, irp.line, id);
  }

  private writeIoctl(o: IoctlOccurrence): void {
    const code = codeColumn(o.code)!;
    if (!this.knownCodes.has(code)) {
      const names = JSON.stringify(o.names);
      const changed = this.insert.code.run(code, o.code, o.names[0]?.name ?? null, names, o.deviceType.value, o.deviceType.names[0] ?? null, o.function, o.method, o.access).changes;
      if (changed > 0 && o.names.length > 0) this.insert.search.write(o.names.map((n) => n.name).join(' '), 'ioctl', null, null, code);
      this.knownCodes.add(code);
    }
    const status = codeColumn(o.status);
    const ticks = ticksFromText(o.time);
    const key = driverKey(o.driver);
    const lifetime = ticks !== null && o.irp !== null ? this.lifetimes.assign(o.irp, ticks, o.line, 'during', null, key) : null;
    this.insert.ioctl.write(this.sourceId, o.line, code, o.via, o.majorFunction, o.driver, key, o.irp, status, o.statusText, ticks, o.time, ticks === null ? null : 'source', o.process,
      status !== null && status >= NT_ERROR ? 1 : 0, lifetime);
  }

  private writeEvent(record: StoreRecord): void {
    const c = eventColumns(record);
    const key = driverKey(c.driver);
    const lifetime = c.ticks !== null && c.irp !== null ? this.lifetimes.assign(c.irp, c.ticks, record.line, lifetimeMark(record.type, c.name), c.fileObject, key) : null;
    const id = this.ids.take('events');
    this.insert.event.write(id, this.sourceId, record.line, record.type, c.name, c.ticks, c.timeText, c.pid, c.tid, c.process, c.irp, c.fileObject, c.driver, key,
      c.status, lifetime, json(record));
    const words = eventSearchText(record as Record<string, unknown>);
    if (words) this.insert.search.write(words, 'event', this.sourceId, record.line, id);
  }

  /** The session fact of `key` for an incident at `line`: the last one printed before it, else the first after. */
  private sessionFact(keys: readonly string[], line: number): string | null {
    let before: string | null = null;
    let after: string | null = null;
    for (const s of this.sessions) {
      if (!keys.includes(s.key)) continue;
      if (s.line <= line) before = s.value;
      else after ??= s.value;
    }
    return before ?? after;
  }

  /** Everything that needs the whole source: incidents, their links, counts, correlation. */
  finish(rebuildIndexes: () => void = () => undefined): { records: number; skipped: number } {
    this.flush();
    this.lifetimes.finish();
    rebuildIndexes();
    const db = this.db;
    const source = this.sourceId;
    const insertIncident = db.prepare(`INSERT INTO incidents (source_id, line, incident_no, via, bugcheck_code, name, arg1, arg2, arg3, arg4, parameters, cases, image, module,
      symbol, failure_bucket, failure_hash, bugcheck_str, process, probably_caused_by, driver_version, os_build, time_ticks, time_text, irp, details)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
    for (const d of [...this.incidents.values()].sort((a, b) => a.line - b.line)) {
      const timeText = this.sessionFact(['session-time'], d.line);
      const osBuild = d.osBuild ?? this.sessionFact(['build-lab', 'os'], d.line);
      // The IRP the crash names (0xC9's Arg3, 0x44's Arg1, ...), from the parameter meanings the core decoded.
      const irpIndex = d.parameters.findIndex((p) => p?.kind === 'irp');
      const irp = irpIndex >= 0 ? d.args[irpIndex] ?? null : null;
      const id = insertIncident.run(source, d.line, d.incidentNo, d.via, d.code, d.name, d.args[0] ?? null, d.args[1] ?? null, d.args[2] ?? null, d.args[3] ?? null,
        JSON.stringify(d.parameters), JSON.stringify(d.cases), d.image, d.module, d.symbol, d.failureBucket, d.failureHash, d.bugcheckStr, d.process,
        d.probablyCausedBy, d.driverVersion, osBuild, ticksFromText(timeText), timeText, irp, JSON.stringify(d.details)).lastInsertRowid;
      const words = incidentSearchText(d);
      if (words) this.insert.search.write(words, 'incident', source, d.line, id);
      this.versions.fromIncident(Number(id), d.line, d.image ?? d.module, d.driverVersion);
    }
    if (this.incidents.size > 0) {
      db.prepare(`UPDATE frames SET incident_id = (SELECT id FROM incidents i WHERE i.source_id = frames.source_id AND i.incident_no = frames.incident_no)
        WHERE source_id = ? AND incident_no IS NOT NULL`).run(source);
      // A record without an incident number belongs to the crash printed before it; context printed before the
      // first crash (session headers) belongs to the first.
      for (const table of ['irps', 'ioctl_occurrences', 'frames', 'verifier_flags', 'events', 'driver_versions']) {
        db.prepare(`UPDATE ${table} SET incident_id = coalesce(
            (SELECT id FROM incidents i WHERE i.source_id = ${table}.source_id AND i.line <= ${table}.line ORDER BY i.line DESC LIMIT 1),
            (SELECT id FROM incidents i WHERE i.source_id = ${table}.source_id ORDER BY i.line LIMIT 1))
          WHERE source_id = ? AND incident_id IS NULL`).run(source);
      }
      // An IOCTL without a status inside a crash is the request that was in flight when it happened; without a
      // time of its own it happened at the crash.
      db.prepare('UPDATE ioctl_occurrences SET failed = 1 WHERE source_id = ? AND incident_id IS NOT NULL AND status IS NULL').run(source);
      db.prepare(`UPDATE ioctl_occurrences SET time_from = 'incident', time_ticks = (SELECT time_ticks FROM incidents i WHERE i.id = ioctl_occurrences.incident_id)
        WHERE source_id = ? AND time_ticks IS NULL AND incident_id IS NOT NULL
          AND (SELECT time_ticks FROM incidents i WHERE i.id = ioctl_occurrences.incident_id) IS NOT NULL`).run(source);
    }
    addIoctlCounts(db, source);
    linkUntimedRows(db, source, this.options.windowTicks ?? DEFAULT_WINDOW_TICKS);
    // Last, once the source's frames and requests are linked: each new incident gets its signature (db/signatures.ts).
    signSource(db, source, this.options.ruleSet);
    return { records: this.records, skipped: this.skippedCount };
  }
}

/** Bytes of text per stored row, roughly (a tracerpt event is ~420 bytes): sizes the bulk-load decision. */
const BYTES_PER_ROW = 400;
/** Indexes on random keys (IRP addresses), cheaper built once, sorted, than kept up row by row in a big load. */
const BULK_INDEXES = ['irp_lifetimes_by_irp'];

/**
 * When a source is large next to what the store already holds, drops the random-key indexes for the load and
 * returns what rebuilds them, in the same transaction (an interrupted ingest gets them back with the rollback).
 * Against a large store the rebuild would cost more than it saves, so it stays row by row.
 */
export function dropIndexesForBulkLoad(db: Connection, sizeBytes: number): () => void {
  const incoming = sizeBytes / BYTES_PER_ROW;
  // PostgreSQL: other machines may be reading the table; the index stays (and its rebuild would lock them out).
  if (incoming < 50_000 || db.dialect !== 'sqlite') return () => undefined;
  const existing = Number((db.prepare('SELECT coalesce(max(id), 0) AS n FROM irp_lifetimes').get() as { n: bigint }).n);
  if (existing > incoming) return () => undefined;
  const definitions = BULK_INDEXES.map((name) => db.prepare("SELECT sql FROM sqlite_master WHERE type = 'index' AND name = ?").get(name) as { sql: string } | undefined)
    .filter((d): d is { sql: string } => d !== undefined);
  for (const name of BULK_INDEXES) db.exec(`DROP INDEX IF EXISTS ${name}`);
  return () => {
    for (const d of definitions) db.exec(d.sql);
  };
}

interface StoredSource {
  id: bigint;
  format: string;
  record_count: bigint;
  skipped_count: bigint;
}

function findSource(db: Connection, contentHash: string, format: string | undefined): StoredSource | undefined {
  const forced = format && format !== 'auto' ? format : null;
  return db.prepare('SELECT id, format, record_count, skipped_count FROM sources WHERE content_hash = ? AND (? IS NULL OR format = ?) ORDER BY id LIMIT 1')
    .get(contentHash, forced, forced) as StoredSource | undefined;
}

function unchanged(stored: StoredSource, path: string): IngestOutcome {
  return { sourceId: Number(stored.id), path, format: stored.format, records: Number(stored.record_count), skipped: Number(stored.skipped_count), status: 'unchanged', skippedLines: [] };
}

/**
 * Ingests one source in one transaction. `identity.contentHash` decides `unchanged`; the producer streams the
 * records; `verify` (optional) runs before COMMIT and may throw to roll everything back.
 */
export async function ingestSource(store: Store, identity: SourceIdentity, displayPath: string, produce: RecordProducer, options: IngestOptions = {}, verify?: () => void): Promise<IngestOutcome> {
  const db = store.db;
  const before = findSource(db, identity.contentHash, options.format);
  if (before) return unchanged(before, displayPath);
  // Take the write lock before reading again: two ingests of the same file must not both store it.
  beginWrite(db);
  try {
    const raced = findSource(db, identity.contentHash, options.format);
    if (raced) {
      db.exec('ROLLBACK');
      return unchanged(raced, displayPath);
    }
    const rebuild = dropIndexesForBulkLoad(db, identity.sizeBytes);
    const sourceId = Number(db.prepare(`INSERT INTO sources (path, content_hash, size_bytes, format, format_reason, encoding, ingested_at, line_count, record_count, skipped_count)
      VALUES (?, ?, ?, '', '', '', ?, 0, 0, 0)`).run(identity.path, identity.contentHash, identity.sizeBytes, new Date().toISOString()).lastInsertRowid);
    const writer = new SourceWriter(db, sourceId, options);
    const produced = await produce(writer);
    const totals = writer.finish(rebuild);
    const sameFormat = findSource(db, identity.contentHash, produced.format);
    if (sameFormat && Number(sameFormat.id) !== sourceId) {
      db.exec('ROLLBACK');
      return unchanged(sameFormat, displayPath);
    }
    db.prepare('UPDATE sources SET format = ?, format_reason = ?, encoding = ?, line_count = ?, record_count = ?, skipped_count = ? WHERE id = ?')
      .run(produced.format, produced.formatReason, produced.encoding, produced.lines, totals.records, totals.skipped, sourceId);
    db.prepare("INSERT INTO search_index (body, kind, source_id, line, ref_id) VALUES (?, 'source', ?, 1, ?)").run(identity.path, sourceId, sourceId);
    verify?.();
    db.exec('COMMIT');
    return { sourceId, path: displayPath, format: produced.format, records: totals.records, skipped: totals.skipped, status: 'ingested', skippedLines: writer.keptSkipped };
  } catch (error) {
    if (db.inTransaction) db.exec('ROLLBACK');
    throw error;
  }
}

/** sha256 of a file, streamed. */
export async function hashFile(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of readFileChunks(path)) hash.update(chunk);
  return hash.digest('hex');
}

/** Parses a file into the store: detection, the parser, one transaction. */
export async function ingestFile(store: Store, path: string, options: IngestOptions = {}): Promise<IngestOutcome> {
  const absolute = resolve(path);
  const totalBytes = statSync(absolute).size;
  const contentHash = await hashFile(absolute);
  // The bytes parsed are hashed again: a file rewritten between the two reads must not be stored under the
  // first hash.
  const parsedHash = createHash('sha256');
  let bytes = 0;
  let writer: RecordSink & { rows: number } | null = null;
  async function* chunks(): AsyncGenerator<Uint8Array> {
    for await (const chunk of readFileChunks(absolute)) {
      parsedHash.update(chunk);
      bytes += chunk.length;
      options.onProgress?.({ bytes, totalBytes, rows: writer?.rows ?? 0 });
      yield chunk;
    }
  }
  const produce: RecordProducer = async (sink) => {
    writer = sink as RecordSink & { rows: number };
    const summary = await parseChunks(chunks(), path, sink, options.format);
    return { format: summary.format, formatReason: summary.formatReason, encoding: summary.encoding, lines: summary.lines };
  };
  const verify = (): void => {
    if (parsedHash.digest('hex') !== contentHash) throw new SourceChangedError(`${path}: the file changed while it was being ingested; nothing was stored, run the ingest again`);
  };
  return ingestSource(store, { path: absolute, contentHash, sizeBytes: totalBytes }, path, produce, options, verify);
}
