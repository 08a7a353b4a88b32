/** Opening the store: pragmas, migrations (an older database is migrated, a newer one refused), exact values, atomic sources. */
import { describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { openStore, SchemaTooNewError, NoDatabaseError } from '../db/store.js';
import { LATEST_VERSION, MIGRATIONS } from '../db/migrations/index.js';
import { ingestSource } from '../db/ingest.js';
import { searchText } from '../db/queries/search.js';
import { isoFromTicks, pointerColumn, ticksFromText, driverKey, codeColumn } from '../db/column-values.js';
import { CRASH_IRP, crashRecords, identityOf, producerOf, traceRecords } from './fixtures/store/records.js';

const fresh = (name = 'store.db'): string => join(mkdtempSync(join(tmpdir(), 'irpscope-store-')), name);

describe('openStore', () => {
  it('creates the schema at the latest version, in WAL mode with foreign keys and a busy timeout', () => {
    const store = openStore(fresh());
    expect(store.version).toBe(LATEST_VERSION);
    expect(LATEST_VERSION).toBe(4);
    expect(store.db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(Number(store.db.pragma('foreign_keys', { simple: true }))).toBe(1);
    expect(Number(store.db.pragma('busy_timeout', { simple: true }))).toBe(600_000);
    expect(Number(store.db.pragma('user_version', { simple: true }))).toBe(4);
    const applied = store.db.prepare('SELECT version, name FROM schema_version ORDER BY version').all() as { version: bigint; name: string }[];
    expect(applied.map((m) => [Number(m.version), m.name])).toEqual([[1, 'first-schema'], [2, 'search-index'], [3, 'signatures-and-versions'], [4, 'bucket-summaries']]);
    const tables = (store.db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'search_index_%' ORDER BY name").all() as { name: string }[]).map((t) => t.name);
    expect(tables).toEqual(['bucket_summaries', 'driver_versions', 'events', 'frames', 'incident_signatures', 'incidents', 'ioctl_codes', 'ioctl_counts', 'ioctl_occurrences', 'irp_lifetimes', 'irps', 'rule_sets', 'schema_version', 'search_index',
      'skipped_lines', 'sources', 'stack_locations', 'verifier_flags']);
    store.close();
  });

  it('refuses a database from a newer irpscope and leaves it untouched', () => {
    const path = fresh();
    openStore(path).close();
    const raw = new Database(path);
    raw.prepare("INSERT INTO schema_version (version, name, applied_at) VALUES (5, 'from-the-future', '2030-01-01T00:00:00Z')").run();
    raw.close();
    expect(() => openStore(path)).toThrow(SchemaTooNewError);
    expect(() => openStore(path)).toThrow(`${path}: the database has schema version 5, newer than this irpscope knows (4); upgrade irpscope to use it (the file was left untouched)`);
    expect(() => openStore(path, { readonly: true })).toThrow(SchemaTooNewError);
    const check = new Database(path, { readonly: true });
    expect(check.prepare('SELECT max(version) AS v FROM schema_version').get()).toEqual({ v: 5 });
    check.close();
  });

  it('says there is nothing to query when the file is missing, without creating it', () => {
    const path = fresh('missing.db');
    expect(() => openStore(path, { mustExist: true })).toThrow(NoDatabaseError);
    expect(() => openStore(path, { readonly: true })).toThrow(`no database at ${path}: ingest something first (irpscope ingest FILE), or pass --db PATH`);
  });

  it('migrates a version-1 database holding data: rows kept, the search index filled from them', async () => {
    const path = fresh();
    const old = openStore(path, { migrations: MIGRATIONS.slice(0, 1) });
    expect(old.version).toBe(1);
    expect(old.db.prepare("SELECT count(*) AS n FROM sqlite_master WHERE name = 'search_index'").get()).toEqual({ n: 0n });
    // Version 1 has no search index: write the rows as a version-1 irpscope did (no search_index inserts).
    const crash = crashRecords();
    old.db.exec('CREATE TEMP TABLE search_index (body, kind, source_id, line, ref_id)');
    // Nor driver_versions (migration 3): today's writer fills it, so it gets a throw-away table here too.
    old.db.exec('CREATE TEMP TABLE driver_versions (id INTEGER PRIMARY KEY, source_id, line, incident_id, driver, driver_key, version, via)');
    await ingestSource(old, identityOf('/tickets/crash.txt', crash), 'crash.txt', producerOf(crash, 'windbg', [{ line: 70, reason: 'not a recognised debugger line', text: 'stray words' }]));
    old.close();

    const store = openStore(path);
    expect(store.version).toBe(4);
    expect(store.db.prepare('SELECT count(*) AS n FROM incidents').get()).toEqual({ n: 1n });
    expect(searchText(store.db, 'MyDispatchDeviceControl').map((h) => h.kind).sort()).toEqual(['frame', 'incident']);
    expect(searchText(store.db, 'stray words').map((h) => [h.kind, h.line])).toEqual([['skipped', 70]]);
    expect(searchText(store.db, 'crash.txt').map((h) => h.kind)).toEqual(['source']);
    // Migration 3 signs the incidents the old database already held, with the built-in rules.
    expect(store.db.prepare('SELECT incident_id, signature, rule_version FROM incident_signatures').all())
      .toEqual([{ incident_id: 1n, signature: '0xC9/0x7 | mydrv!MyDispatchDeviceControl | IRP_MJ_DEVICE_CONTROL 0x222004', rule_version: '1' }]);
    expect(store.db.prepare('SELECT version FROM rule_sets').all()).toEqual([{ version: '1' }]);
    // ... and gives their IMAGE_VERSION a driver_versions row, as ingest does today.
    expect(store.db.prepare('SELECT source_id, line, incident_id, driver, driver_key, version, via FROM driver_versions').all())
      .toEqual([{ source_id: 1n, line: 12n, incident_id: 1n, driver: 'mydrv.sys', driver_key: 'mydrv', version: '1.2.3.4', via: 'image_version' }]);
    // Opening again applies nothing twice.
    store.close();
    const again = openStore(path);
    expect((again.db.prepare('SELECT count(*) AS n FROM schema_version').get() as { n: bigint }).n).toBe(4n);
    expect(searchText(again.db, 'MyDispatchDeviceControl').length).toBe(2);
    again.close();
  });
});

describe('values', () => {
  it('keeps 64-bit pointers exact as fixed-width hex text; the schema refuses any other spelling', async () => {
    const store = openStore(fresh());
    const crash = crashRecords();
    await ingestSource(store, identityOf('/t/crash.txt', crash), 'crash.txt', producerOf(crash, 'windbg'));
    const row = store.db.prepare('SELECT address, typeof(address) AS t FROM irps').get();
    expect(row).toEqual({ address: CRASH_IRP, t: 'text' });
    expect(store.db.prepare('SELECT arg2 FROM incidents').get()).toEqual({ arg2: '0xFFFFF80012345678' });
    expect(() => store.db.prepare("UPDATE irps SET address = '0xffffe0012b4c8010'").run()).toThrow(/CHECK constraint failed/);
    expect(() => store.db.prepare('UPDATE irps SET address = 1.5').run()).toThrow(/cannot store REAL value in TEXT column|CHECK constraint failed/);
    expect(() => store.db.prepare('UPDATE incidents SET time_ticks = 1.5').run()).toThrow(/cannot store REAL value in INTEGER column/);
    store.close();
  });

  it('converts times and codes exactly', () => {
    expect(ticksFromText('Thu Aug  4 10:42:12.345 2016 (UTC - 7:00)')).toBe(ticksFromText('2016-08-04T17:42:12.345Z'));
    expect(ticksFromText('2016-08-04T17:42:12.3456789Z')! - ticksFromText('2016-08-04T17:42:12Z')!).toBe(3_456_789n);
    expect(ticksFromText('2016-08-04T19:42:12+02:00')).toBe(ticksFromText('2016-08-04T17:42:12Z'));
    expect(ticksFromText('3:58:47.7286806 PM')).toBeNull();
    expect(ticksFromText('2016-02-30T00:00:00Z')).toBeNull();
    expect(isoFromTicks(131148061323456789n)).toBe('2016-08-04T17:42:12.3456789Z');
    expect(isoFromTicks(ticksFromText('1601-01-01T00:00:00Z')!)).toBe('1601-01-01T00:00:00.0000000Z');
    expect(pointerColumn('ffffe001`2b4c8010')).toBe(CRASH_IRP);
    expect(pointerColumn(0xffffe0012b4c8010n)).toBe(CRASH_IRP);
    expect(pointerColumn('0x1234')).toBe('0x0000000000001234');
    expect(pointerColumn('not hex')).toBeNull();
    expect(codeColumn('0xC0000010')).toBe(0xc0000010);
    expect(driverKey('\\Driver\\MyDrv')).toBe('mydrv');
    expect(driverKey('mydrv.sys')).toBe('mydrv');
    expect(driverKey('C:\\Windows\\System32\\drivers\\mydrv.sys')).toBe('mydrv');
  });
});

describe('one source, one transaction', () => {
  it('a producer that fails mid-way leaves the database exactly as it was, and a re-run stores it', async () => {
    const store = openStore(fresh());
    const trace = traceRecords();
    await ingestSource(store, identityOf('/t/trace.csv', trace), 'trace.csv', producerOf(trace, 'etw-tracerpt'));
    const snapshot = (): unknown => ['sources', 'events', 'ioctl_occurrences', 'irp_lifetimes', 'ioctl_counts', 'incidents', 'frames', 'irps', 'search_index']
      .map((t) => store.db.prepare(`SELECT * FROM ${t} ORDER BY 1`).all());
    const before = snapshot();
    const crash = crashRecords();
    const failing = async (sink: Parameters<ReturnType<typeof producerOf>>[0]) => {
      for (const r of crash) sink.record(r);
      throw new Error('disk full (simulated)');
    };
    await expect(ingestSource(store, identityOf('/t/crash.txt', crash), 'crash.txt', failing, { batchRows: 2 })).rejects.toThrow('disk full (simulated)');
    expect(store.db.inTransaction).toBe(false);
    expect(snapshot()).toEqual(before);
    const outcome = await ingestSource(store, identityOf('/t/crash.txt', crash), 'crash.txt', producerOf(crash, 'windbg'), { batchRows: 2 });
    expect(outcome).toMatchObject({ status: 'ingested', records: crash.length, skipped: 0 });
    store.close();
  });

  it('is idempotent by content hash, whatever the path', async () => {
    const store = openStore(fresh());
    const crash = crashRecords();
    const first = await ingestSource(store, identityOf('/t/crash.txt', crash), 'crash.txt', producerOf(crash, 'windbg'));
    const second = await ingestSource(store, identityOf('/elsewhere/copy.txt', crash), 'copy.txt', producerOf(crash, 'windbg'));
    expect(first).toEqual({ sourceId: 1, path: 'crash.txt', format: 'windbg', records: crash.length, skipped: 0, status: 'ingested', skippedLines: [] });
    expect(second).toEqual({ sourceId: 1, path: 'copy.txt', format: 'windbg', records: crash.length, skipped: 0, status: 'unchanged', skippedLines: [] });
    expect(store.db.prepare('SELECT count(*) AS n FROM incidents').get()).toEqual({ n: 1n });
    store.close();
  });

  it('keeps every record: typed tables for known types, events (whole record) for the rest', async () => {
    const store = openStore(fresh());
    const crash = crashRecords();
    const trace = traceRecords();
    await ingestSource(store, identityOf('/t/crash.txt', crash), 'crash.txt', producerOf(crash, 'windbg'));
    await ingestSource(store, identityOf('/t/trace.csv', trace), 'trace.csv', producerOf(trace, 'etw-tracerpt'));
    const count = (sql: string): number => Number((store.db.prepare(sql).get() as { n: bigint }).n);
    expect({
      incidents: count('SELECT count(*) AS n FROM incidents'),
      frames: count('SELECT count(*) AS n FROM frames'),
      irps: count('SELECT count(*) AS n FROM irps'),
      locations: count('SELECT count(*) AS n FROM stack_locations'),
      ioctls: count('SELECT count(*) AS n FROM ioctl_occurrences'),
      flags: count('SELECT count(*) AS n FROM verifier_flags'),
      events: count('SELECT count(*) AS n FROM events'),
      lifetimes: count('SELECT count(*) AS n FROM irp_lifetimes'),
    }).toEqual({ incidents: 1, frames: 3, irps: 1, locations: 2, ioctls: 2, flags: 1, events: 3 + 7 + 1, lifetimes: 4 });
    const types = store.db.prepare('SELECT type, name, count(*) AS n FROM events GROUP BY type, name ORDER BY type, name').all();
    expect(types).toEqual([
      { type: 'bugcheck', name: 'DRIVER_VERIFIER_IOMANAGER_VIOLATION', n: 1n },
      { type: 'driverIrp', name: 'DriverCompleteRequest', n: 1n },
      { type: 'driverIrp', name: 'DriverMajorFunctionCall', n: 4n },
      { type: 'driverIrp', name: 'DriverMajorFunctionReturn', n: 2n },
      { type: 'futureEvent', name: 'SomethingNew', n: 1n },
      { type: 'session', name: 'build-lab', n: 1n },
      { type: 'session', name: 'session-time', n: 1n },
    ]);
    const future = store.db.prepare("SELECT time_ticks, record FROM events WHERE type = 'futureEvent'").get() as { time_ticks: bigint; record: string };
    expect(future.time_ticks).toBe(ticksFromText('2016-08-04T17:42:12Z'));
    expect(JSON.parse(future.record)).toEqual(trace[8]);
    expect(searchText(store.db, 'newer parser').map((h) => h.kind)).toEqual(['event']);
    // Every row leads back to its source file and line.
    for (const table of ['incidents', 'frames', 'irps', 'stack_locations', 'ioctl_occurrences', 'verifier_flags', 'events']) {
      expect(count(`SELECT count(*) AS n FROM ${table} t JOIN sources s ON s.id = t.source_id WHERE t.line >= 1`)).toBe(count(`SELECT count(*) AS n FROM ${table}`));
    }
    store.close();
  });
});
