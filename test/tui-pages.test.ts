/** Keyset pages over a store built from samples/: forward, backward, last, search, filters, frequency. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rmSync } from 'node:fs';
import type { Store } from '../db/store.js';
import {
  everyRow, frequencySql, incidentKeyset, ioctlKeyset, parseViewFilter, selectPage, sourceKeyset, traceKeyset, FilterError, type Keyset, type PageFrom,
} from '../db/queries/pages.js';
import { samplesStore } from './tui-store.js';

let dir: string;
let store: Store;

beforeAll(async () => {
  ({ dir, store } = await samplesStore('pages'));
});

afterAll(() => {
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

const idsOf = (set: Keyset, at: PageFrom, limit: number, search?: string): number[] => selectPage(store.db, set, at, limit, search).rows.map((r) => Number(r.values.id));

describe('incident pages', () => {
  it('lists incidents newest first, untimed ones after by id, with the first IOCTL of each', () => {
    const page = selectPage(store.db, incidentKeyset(), { from: 'first' }, 100);
    expect(page.rows.map((r) => [Number(r.values.id), r.values.name, r.values.ioctl === null ? null : Number(r.values.ioctl)])).toEqual([
      [1, 'DRIVER_VERIFIER_IOMANAGER_VIOLATION', 0x222004], [7, 'SYSTEM_SERVICE_EXCEPTION', null], [6, 'DRIVER_POWER_STATE_FAILURE', null],
      [5, 'DRIVER_POWER_STATE_FAILURE', null], [4, 'DRIVER_VERIFIER_DETECTED_VIOLATION', null], [3, 'DRIVER_VERIFIER_IOMANAGER_VIOLATION', null], [2, 'WDF_VIOLATION', null],
    ]);
    expect(page.more).toBe(false);
    expect(page.rows.map((r) => r.key)).toEqual([[0, 131148061323450000n, 1n], [1, 7n], [1, 6n], [1, 5n], [1, 4n], [1, 3n], [1, 2n]]);
  });

  it('pages of 2 read forward and backward give the same order as one page', () => {
    const set = incidentKeyset();
    const forward: number[] = [];
    let at: PageFrom = { from: 'first' };
    for (;;) {
      const page = selectPage(store.db, set, at, 2);
      forward.push(...page.rows.map((r) => Number(r.values.id)));
      if (!page.more) break;
      at = { from: 'after', key: page.rows[page.rows.length - 1]!.key };
    }
    expect(forward).toEqual([1, 7, 6, 5, 4, 3, 2]);
    const last = selectPage(store.db, set, { from: 'last' }, 2);
    expect({ ids: last.rows.map((r) => Number(r.values.id)), more: last.more }).toEqual({ ids: [3, 2], more: true });
    expect(idsOf(set, { from: 'before', key: last.rows[0]!.key }, 2)).toEqual([5, 4]);
    expect(idsOf(set, { from: 'at', key: last.rows[0]!.key }, 2)).toEqual([3, 2]);
    expect([...everyRow(store.db, set, 3)].map((r) => Number(r.values.id))).toEqual([1, 7, 6, 5, 4, 3, 2]);
    // Across the boundary between the timed part and the untimed part, both ways.
    expect(selectPage(store.db, set, { from: 'before', key: [1, 6n] }, 5)).toMatchObject({ more: false, rows: [{ key: [0, 131148061323450000n, 1n] }, { key: [1, 7n] }] });
    expect(idsOf(set, { from: 'after', key: [0, 131148061323450000n, 1n] }, 2)).toEqual([7, 6]);
  });

  it('filters by bugcheck code or name, module, IOCTL and time', () => {
    expect(idsOf(incidentKeyset(parseViewFilter('bugcheck=0x9f')), { from: 'first' }, 10)).toEqual([6, 5]);
    expect(idsOf(incidentKeyset(parseViewFilter('bugcheck=wdf_violation')), { from: 'first' }, 10)).toEqual([2]);
    expect(idsOf(incidentKeyset(parseViewFilter('module=PCI.SYS')), { from: 'first' }, 10)).toEqual([5]);
    expect(idsOf(incidentKeyset(parseViewFilter('ioctl=0x222004')), { from: 'first' }, 10)).toEqual([1]);
    expect(idsOf(incidentKeyset(parseViewFilter('since=2016-08-04 until=2016-08-04')), { from: 'first' }, 10)).toEqual([1]);
    expect(idsOf(incidentKeyset(parseViewFilter('since=2016-08-05')), { from: 'first' }, 10)).toEqual([]);
  });

  it('searches from a row onward, in either direction, over the whole view', () => {
    const set = incidentKeyset();
    expect(idsOf(set, { from: 'first' }, 1, 'power_state')).toEqual([6]);
    expect(idsOf(set, { from: "after", key: [1, 6n] }, 1, 'power_state')).toEqual([5]);
    expect(idsOf(set, { from: "after", key: [1, 5n] }, 1, 'power_state')).toEqual([]);
    expect(idsOf(set, { from: "before", key: [1, 5n] }, 1, 'POWER_STATE')).toEqual([6]);
    // LIKE wildcards in the text are literal.
    expect(idsOf(set, { from: 'first' }, 10, '%')).toEqual([]);
  });
});

describe('filters', () => {
  it('reads every field and refuses what it cannot read, naming the field', () => {
    expect(parseViewFilter('bugcheck=0xC9 module=\\Driver\\MyDrv ioctl=222004 status=0xc0000010 irp=ffffe001`2b4c8010 request=4')).toEqual({
      bugcheck: 0xc9, module: 'mydrv', ioctl: 0x222004, status: 0xc0000010, irp: '0xFFFFE0012B4C8010', request: 4,
    });
    expect(parseViewFilter('')).toEqual({});
    expect(() => parseViewFilter('ioctl=IOCTL_X')).toThrow(new FilterError('ioctl: expected a 32-bit hex code such as 0x222004, got "IOCTL_X"'));
    expect(() => parseViewFilter('since=yesterday')).toThrow(new FilterError('since: expected a UTC time such as 2024-01-01 or 2024-01-01T12:00:00, got "yesterday"'));
    expect(() => parseViewFilter('mydrv')).toThrow(FilterError);
  });
});

describe('other views', () => {
  it('lists IOCTL codes per driver in code order, with failed counts', () => {
    const page = selectPage(store.db, ioctlKeyset(), { from: 'first' }, 100);
    expect(page.rows.map((r) => [Number(r.values.code), r.values.driver_key, Number(r.values.occurrences), Number(r.values.failed)])).toEqual([
      [589992, '', 1, 0], [590400, '', 1, 0], [590571, '', 1, 0], [1114120, 'fltmgr', 1, 0], [1114120, 'npfs', 1, 0],
      [2228227, 'usbehci', 1, 0], [2236420, 'mydrv', 1, 0], [2253008, 'tedrdrv', 1, 0],
    ]);
    const second = selectPage(store.db, ioctlKeyset(), { from: 'after', key: page.rows[3]!.key }, 2);
    expect(second.rows.map((r) => r.values.driver_key)).toEqual(['npfs', 'usbehci']);
    expect(selectPage(store.db, ioctlKeyset(parseViewFilter('module=npfs')), { from: 'first' }, 10).rows.map((r) => r.key)).toEqual([[1114120n, 'npfs']]);
  });

  it('lists sources newest ingest first with their skipped counts', () => {
    const page = selectPage(store.db, sourceKeyset(), { from: 'first' }, 3);
    expect(page.rows.map((r) => [Number(r.values.id), String(r.values.path).replace(/^.*samples\//, ''), Number(r.values.skipped_count)])).toEqual([
      [14, 'windbg/winfsp-469.txt', 0], [13, 'windbg/openzfs-562.txt', 0], [12, 'windbg/msdocs-irp-fsctl-x86.txt', 0],
    ]);
  });

  it('reads a trace in file order with each IRP request, and follows one request', () => {
    const set = traceKeyset(2);
    const rows = selectPage(store.db, set, { from: 'first' }, 100).rows;
    expect(rows.map((r) => [Number(r.values.line), r.values.name, r.values.lifetime_id === null ? null : Number(r.values.lifetime_id)])).toEqual([
      [2, 'Header', null], [3, 'DriverMajorFunctionCall', 1], [4, 'DriverMajorFunctionReturn', 1], [5, 'DriverCompleteRequest', 1],
      [6, 'DriverMajorFunctionCall', 2], [7, 'DriverMajorFunctionCall', 3], [8, 'DriverMajorFunctionCall', 4], [9, 'DriverMajorFunctionReturn', 4],
    ]);
    const followed = selectPage(store.db, traceKeyset(2, parseViewFilter('request=1')), { from: 'first' }, 100).rows;
    expect(followed.map((r) => Number(r.values.line))).toEqual([3, 4, 5]);
    const byIrp = selectPage(store.db, traceKeyset(2, parseViewFilter('irp=0xFFFFE0012B4C8010')), { from: 'first' }, 100).rows;
    expect(byIrp.map((r) => Number(r.values.line))).toEqual([3, 4, 5, 8, 9]);
  });

  it('builds the frequency of a column over the filtered view', () => {
    const { sql, params } = frequencySql(incidentKeyset(), 'i.name');
    expect(store.db.prepare(sql).raw(true).all(params).map((r) => (r as unknown[]).map((x) => (typeof x === 'bigint' ? Number(x) : x)))).toEqual([
      ['DRIVER_POWER_STATE_FAILURE', 2], ['DRIVER_VERIFIER_IOMANAGER_VIOLATION', 2], ['DRIVER_VERIFIER_DETECTED_VIOLATION', 1], ['SYSTEM_SERVICE_EXCEPTION', 1], ['WDF_VIOLATION', 1],
    ]);
    const grouped = frequencySql(ioctlKeyset(), "nullif(n.driver_key, '')");
    expect(store.db.prepare(grouped.sql).raw(true).all(grouped.params).map((r) => (r as unknown[]).map((x) => (typeof x === 'bigint' ? Number(x) : x)))).toEqual([
      [null, 3], ['fltmgr', 1], ['mydrv', 1], ['npfs', 1], ['tedrdrv', 1], ['usbehci', 1],
    ]);
  });
});
