/** The canned questions, `sql` and search over a store filled with hand-made records, and correlation. */
import { describe, expect, it, beforeAll, afterAll } from 'vitest';
import { BACKEND, freshStoreLocation } from './backend.js';
import { openStore, type Store } from '../db/store.js';
import { ingestSource } from '../db/ingest.js';
import { selectLastFailures } from '../db/queries/last.js';
import { selectIncidents } from '../db/queries/incidents.js';
import { countByDriver, selectIoctls } from '../db/queries/ioctls.js';
import { selectIncident } from '../db/queries/show.js';
import { searchText } from '../db/queries/search.js';
import { ReadOnlyError, ReadOnlySqlRows, runReadOnlySql } from '../db/queries/sql.js';
import { SQL_TABLE_ROWS, writeSqlRows } from '../src/cli/sql-command.js';
import { StdoutPieces } from '../src/cli/stdout-pieces.js';
import { renderCsv, type Column } from '../src/cli/render-table.js';
import { styler } from '../src/cli/terminal.js';
import { Writable } from 'node:stream';
import { CRASH_IRP, FILE_OBJECT, REUSED_IRP, crashRecords, identityOf, producerOf, traceRecords } from './fixtures/store/records.js';

let location: string;
let store: Store;

beforeAll(async () => {
  location = freshStoreLocation('irpscope-queries-');
  store = openStore(location);
  // The dump first and the trace second: correlation must not depend on the order sources arrive in.
  const crash = crashRecords();
  await ingestSource(store, identityOf('/tickets/crash.txt', crash), 'crash.txt', producerOf(crash, 'windbg', [{ line: 70, reason: 'not a recognised debugger line', text: 'garbage in mydrv' }]));
  const trace = traceRecords();
  await ingestSource(store, identityOf('/traces/trace.csv', trace), 'trace.csv', producerOf(trace, 'etw-tracerpt'));
  const undated = crashRecords({ withSessionTime: false, irp: REUSED_IRP });
  await ingestSource(store, identityOf('/tickets/undated.txt', undated), 'undated.txt', producerOf(undated, 'windbg'));
});

afterAll(() => {
  store.close();
});

describe('last --ioctl', () => {
  it('lists the failures newest first: the crash, then the error status from the trace', () => {
    const rows = selectLastFailures(store.db, { code: 0x222004 });
    expect(rows.map((r) => ({ status: r.status, time: r.time, timeFrom: r.timeFrom, build: r.build, source: r.source, line: r.line, incident: r.incident }))).toEqual([
      { status: null, time: '2016-08-04T17:42:12.3450000Z', timeFrom: 'incident', build: '14393.0.amd64fre.rs1_release.160715-1616', source: '/tickets/crash.txt', line: 49, incident: 1 },
      { status: '0xC0000010', time: '2016-08-04T17:40:00.0010000Z', timeFrom: 'source', build: null, source: '/traces/trace.csv', line: 4, incident: null },
      // The undated dump's crash IOCTL has no time at all: it sorts last.
      { status: null, time: null, timeFrom: null, build: '14393.0.amd64fre.rs1_release.160715-1616', source: '/tickets/undated.txt', line: 49, incident: 2 },
    ]);
    expect(rows[1]!.statusText).toBe('STATUS_INVALID_DEVICE_REQUEST');
    expect(rows[0]!.driverVersion).toBe('1.2.3.4');
  });

  it('filters by driver under any spelling, and by exact status', () => {
    expect(selectLastFailures(store.db, { code: 0x222004, driverKey: 'mydrv' }).length).toBe(3);
    expect(selectLastFailures(store.db, { code: 0x222004, driverKey: 'otherdrv' })).toEqual([]);
    expect(selectLastFailures(store.db, { code: 0x222004, status: 0xc0000010 }).map((r) => r.line)).toEqual([4]);
    expect(selectLastFailures(store.db, { code: 0x222008 })).toEqual([]);
  });
});

describe('incidents and ioctls', () => {
  it('incidents carry the merged bugcheck, session facts and the crash IRP', () => {
    const rows = selectIncidents(store.db);
    expect(rows.map((r) => ({ id: r.id, code: r.code, name: r.name, module: r.module, time: r.time, build: r.build, args: r.args }))).toEqual([
      { id: 1, code: '0x000000C9', name: 'DRIVER_VERIFIER_IOMANAGER_VIOLATION', module: 'mydrv', time: '2016-08-04T17:42:12.3450000Z', build: '14393.0.amd64fre.rs1_release.160715-1616',
        args: ['0x0000000000000007', '0xFFFFF80012345678', CRASH_IRP, '0x0000000000000000'] },
      { id: 2, code: '0x000000C9', name: 'DRIVER_VERIFIER_IOMANAGER_VIOLATION', module: 'mydrv', time: null, build: '14393.0.amd64fre.rs1_release.160715-1616',
        args: ['0x0000000000000007', '0xFFFFF80012345678', REUSED_IRP, '0x0000000000000000'] },
    ]);
    expect(selectIncidents(store.db, { bugcheck: 0xc9, moduleKey: 'mydrv' }).length).toBe(2);
    expect(selectIncidents(store.db, { bugcheckName: 'driver_verifier_iomanager_violation' }).length).toBe(2);
    expect(selectIncidents(store.db, { sinceTicks: 131_148_000_000_000_000n }).map((r) => r.id)).toEqual([1]);
    expect(selectIncidents(store.db, { moduleKey: 'otherdrv' })).toEqual([]);
  });

  it('ioctls: decoded, counted per driver, with statuses and first/last seen', () => {
    expect(selectIoctls(store.db)).toEqual([{
      code: '0x00222004', name: null, names: [], deviceType: '0x0022', deviceTypeName: 'FILE_DEVICE_UNKNOWN', function: 0x801, method: 'METHOD_BUFFERED', access: 'FILE_ANY_ACCESS',
      driver: '\\Driver\\mydrv', occurrences: 3, firstSeen: '2016-08-04T17:40:00.0010000Z', lastSeen: '2016-08-04T17:42:12.3450000Z',
      firstSeenTicks: '131148060000010000', lastSeenTicks: '131148061323450000',
      statuses: [{ status: null, name: null, count: 2 }, { status: '0xC0000010', name: 'STATUS_INVALID_DEVICE_REQUEST', count: 1 }],
    }]);
    expect(countByDriver(store.db)).toEqual([{ driver: '\\Driver\\mydrv', codes: 1, occurrences: 3 }]);
  });
});

describe('correlation', () => {
  it('links the dumped IRP to the trace request alive at the crash, not the earlier one at the same address', () => {
    const detail = selectIncident(store.db, 1)!;
    expect(detail.irps.map((r) => ({ address: r.address, note: r.correlationNote, linked: r.lifetime !== null }))).toEqual([{ address: CRASH_IRP, note: null, linked: true }]);
    expect(detail.lifetimes.map((l) => ({ irp: l.irp, first: l.first, last: l.last, completed: l.completed, source: l.source, events: l.events.map((e) => [e.name, e.time, e.line]) }))).toEqual([{
      irp: CRASH_IRP, first: '2016-08-04T17:42:11.9000000Z', last: '2016-08-04T17:42:11.9004000Z', completed: false, source: '/traces/trace.csv',
      events: [['DriverMajorFunctionCall', '2016-08-04T17:42:11.9000000Z', 6], ['DriverMajorFunctionReturn', '2016-08-04T17:42:11.9004000Z', 7]],
    }]);
    expect(detail.lifetimes[0]!.events[0]!.fileObject).toBe(FILE_OBJECT);
    expect(detail.correlationNotes).toEqual([]);
  });

  it('refuses to link when the address was reused and the dump has no time to choose', () => {
    const detail = selectIncident(store.db, 2)!;
    expect(detail.lifetimes).toEqual([]);
    expect(detail.correlationNotes).toEqual([
      `not linked: IRP ${REUSED_IRP} has 2 matching lifetimes (the address was reused) and this row has no time to choose between them`,
    ]);
  });

  it('the earlier request keeps its own lifetime with its status', () => {
    const rows = runReadOnlySql(store.db, `SELECT l.first_line, l.row_count, l.completed, o.status FROM irp_lifetimes l LEFT JOIN ioctl_occurrences o ON o.lifetime_id = l.id
      WHERE l.irp = '${CRASH_IRP}' ORDER BY l.first_ticks`);
    expect(rows.rows).toEqual([[2, 4, 1, 0xc0000010], [6, 2, 0, null]]);
  });
});

describe('show', () => {
  it('lists everything linked to the incident, decoded', () => {
    const d = selectIncident(store.db, 1)!;
    expect(d.incident).toMatchObject({ id: 1, irp: CRASH_IRP, driverVersion: '1.2.3.4', failureBucket: '0xc9_7_mydrv!MyDispatchDeviceControl', source: '/tickets/crash.txt', line: 12 });
    expect(d.frames.map((f) => [f.frame, f.symbol, f.verifier])).toEqual([[0, 'nt!KeBugCheckEx', false], [1, 'nt!VerifierBugCheckIfAppropriate+0x3c', true], [2, 'mydrv!MyDispatchDeviceControl+0x4a', false]]);
    expect(d.irps[0]!.locations.map((l) => [l.location, l.current, l.majorFunction, l.driver, l.fileObject, l.ioctl])).toEqual([
      [1, false, null, null, null, null], [2, true, 'IRP_MJ_DEVICE_CONTROL', '\\Driver\\mydrv', FILE_OBJECT, '0x00222004'],
    ]);
    expect(d.ioctls.map((o) => [o.code, o.via, o.deviceType, o.function, o.method, o.irp])).toEqual([['0x00222004', 'irp-stack-location', '0x0022', 0x801, 'METHOD_BUFFERED', CRASH_IRP]]);
    expect(d.verifierFlags).toEqual([{ name: 'I/O verification', enabled: true, bit: '0x00000010', line: 60 }]);
    expect(d.events.map((e) => [e.type, e.name, e.line])).toEqual([['session', 'build-lab', 3], ['session', 'session-time', 5]]);
    expect(selectIncident(store.db, 99)).toBeNull();
  });
});

describe('search', () => {
  it('finds symbols, skipped lines and paths; ranks; resolves incidents', () => {
    const hits = searchText(store.db, 'MyDispatchDeviceControl');
    expect(hits.map((h) => [h.kind, h.source, h.incident]).sort()).toEqual([
      ['frame', '/tickets/crash.txt', 1], ['frame', '/tickets/undated.txt', 2], ['incident', '/tickets/crash.txt', 1], ['incident', '/tickets/undated.txt', 2],
    ]);
    expect(searchText(store.db, 'garbage').map((h) => [h.kind, h.line, h.snippet])).toEqual([['skipped', 70, '[garbage] in mydrv']]);
    expect(searchText(store.db, 'traces').map((h) => h.kind)).toEqual(['source']);
    expect(searchText(store.db, 'nothing-like-this')).toEqual([]);
    // Every word must be there; a word with punctuation is a phrase of its letter-and-digit runs.
    expect(searchText(store.db, 'garbage mydrv').map((h) => [h.kind, h.line])).toEqual([['skipped', 70]]);
    expect(searchText(store.db, 'garbage otherdrv')).toEqual([]);
    expect(searchText(store.db, 'mydrv!MyDispatchDeviceControl').map((h) => h.kind).sort()).toEqual(['frame', 'frame', 'incident', 'incident']);
  });
});

/** What `irpscope sql` prints for a statement, written row by row as the command does. */
async function printed(sql: string, mode: 'json' | 'csv' | 'human'): Promise<string> {
  let text = '';
  const sink = new Writable({ write(chunk: Buffer, _encoding, done) { text += chunk.toString(); done(); } });
  await writeSqlRows(new ReadOnlySqlRows(store.db, sql), mode, styler(false), new StdoutPieces(sink));
  return text;
}

describe('sql', () => {
  it('prints JSON and CSV row by row, the same text as the whole result in one piece', async () => {
    const statements = [
      'SELECT id, source_id, line, name, irp, time_ticks, time_text, status FROM events ORDER BY id',
      "SELECT path, 'a, \"quoted\" value' AS q, NULL AS absent FROM sources ORDER BY id",
      'SELECT id FROM events WHERE id < 0',
    ];
    for (const sql of statements) {
      const whole = runReadOnlySql(store.db, sql);
      const objects = whole.rows.map((row) => Object.fromEntries(whole.columns.map((name, i) => [name, row[i]])));
      expect(await printed(sql, 'json')).toBe(`${JSON.stringify(objects, null, 2)}\n`);
      const columns: Column<unknown[]>[] = whole.columns.map((name, i) => ({ key: name, title: name, value: (row) => row[i] as string | number | null }));
      expect(await printed(sql, 'csv')).toBe(renderCsv(whole.rows, columns));
    }
    expect(await printed('SELECT id FROM events WHERE id < 0', 'human')).toBe('(no rows)\n');
  });

  it('the human table shows the first rows and says how many more --csv and --json print', async () => {
    const sql = `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ${SQL_TABLE_ROWS + 5}) SELECT i FROM n`;
    const lines = (await printed(sql, 'human')).split('\n');
    expect(lines[0]).toBe('i');
    expect(lines[SQL_TABLE_ROWS]).toBe(String(SQL_TABLE_ROWS));
    expect(lines.slice(SQL_TABLE_ROWS + 1)).toEqual([`... 5 more rows (${SQL_TABLE_ROWS + 5} in all): --csv or --json prints every row`, '']);
    expect((await printed(sql, 'csv')).split('\n')).toHaveLength(SQL_TABLE_ROWS + 7);
  });

  it('answers reads with exact values: pointers as hex text, ticks exact', () => {
    const r = runReadOnlySql(store.db, 'SELECT irp, first_ticks FROM irp_lifetimes WHERE irp = :irp ORDER BY first_ticks', { irp: CRASH_IRP });
    expect(r).toEqual({ columns: ['irp', 'first_ticks'], rows: [[CRASH_IRP, '131148060000000000'], [CRASH_IRP, '131148061319000000']] });
  });

  it('refuses writes on a read-only connection, clearly', () => {
    const ro = openStore(location, { readonly: true });
    try {
      expect(() => runReadOnlySql(ro.db, 'DELETE FROM incidents')).toThrow(ReadOnlyError);
      expect(() => runReadOnlySql(ro.db, 'DROP TABLE incidents')).toThrow(/read-only/);
      expect(() => runReadOnlySql(ro.db, 'INSERT INTO sources (path) VALUES (1) RETURNING id')).toThrow(/read-only/);
      expect(runReadOnlySql(ro.db, 'SELECT count(*) AS n FROM incidents').rows).toEqual([[2]]);
    } finally {
      ro.close();
    }
  });
});
