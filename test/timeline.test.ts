/** Time views: the series per period with gaps as zero, its filters, the left-out accounting, the cap and the bars. */
import { inWriteTransaction } from '../db/write-lock.js';
import { afterEach, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { Store } from '../db/store.js';
import { isoWeekOf, MAX_PERIODS, periodCount, periodName, periodStart, PERIODS, selectTimeline, TimelineTooLongError, type Period, type TimelineQuery } from '../db/queries/timeline.js';
import { BucketLookupError, findBucket } from '../db/queries/bucket-lookup.js';
import { bar, chartCharset, renderBars } from '../src/cli/render-bars.js';
import { untimedNote } from '../src/cli/timeline-command.js';
import { addIncident, addOccurrence, addSignature, addSource, emptyStore, ticksOf } from './fixtures/store/timeline-store.js';

let stores: Store[] = [];
afterEach(() => {
  for (const s of stores) s.close();
  stores = [];
});

function storeWith(times: readonly (string | null)[], extra: { module?: string } = {}): Store {
  const store = emptyStore();
  stores.push(store);
  const source = addSource(store);
  for (const time of times) addIncident(store, source, { time, module: extra.module ?? 'mydrv' });
  return store;
}

const series = (store: Store, q: TimelineQuery) => selectTimeline(store.db, q).series.map((p) => [p.period, p.count] as const);

describe('timeline series: gaps are zeros, boundaries are UTC calendar boundaries', () => {
  it('by hour across a year boundary', () => {
    const store = storeWith(['2019-12-31T22:30:00Z', '2019-12-31T22:59:59.9999999Z', '2020-01-01T01:00:00Z']);
    const t = selectTimeline(store.db, { by: 'hour' });
    expect(t.series).toEqual([
      { period: '2019-12-31T22', start: '2019-12-31T22:00:00Z', end: '2019-12-31T23:00:00Z', count: 2 },
      { period: '2019-12-31T23', start: '2019-12-31T23:00:00Z', end: '2020-01-01T00:00:00Z', count: 0 },
      { period: '2020-01-01T00', start: '2020-01-01T00:00:00Z', end: '2020-01-01T01:00:00Z', count: 0 },
      { period: '2020-01-01T01', start: '2020-01-01T01:00:00Z', end: '2020-01-01T02:00:00Z', count: 1 },
    ]);
    expect({ by: t.by, counting: t.counting, counted: t.counted, untimed: t.untimed }).toEqual({ by: 'hour', counting: 'incidents', counted: 3, untimed: 0 });
  });

  it('by day over a leap day, and a time given with an offset lands on its UTC day', () => {
    const store = storeWith(['2020-02-28T23:59:59Z', '2020-03-01T00:30:00+01:00', '2020-03-01T00:00:00Z']);
    expect(series(store, { by: 'day' })).toEqual([['2020-02-28', 1], ['2020-02-29', 1], ['2020-03-01', 1]]);
    const noLeap = storeWith(['2021-02-28T10:00:00Z', '2021-03-01T10:00:00Z']);
    expect(series(noLeap, { by: 'day' })).toEqual([['2021-02-28', 1], ['2021-03-01', 1]]);
  });

  it('by ISO week: Monday starts, week 53 of 2020, and a week that straddles the new year', () => {
    // 2020-12-31 is a Thursday: ISO week 2020-W53 runs Monday 2020-12-28 .. Sunday 2021-01-03.
    const store = storeWith(['2020-12-28T00:00:00Z', '2021-01-03T23:59:59Z', '2021-01-04T00:00:00Z', '2021-01-17T12:00:00Z']);
    const t = selectTimeline(store.db, { by: 'week' });
    expect(t.series).toEqual([
      { period: '2020-W53', start: '2020-12-28T00:00:00Z', end: '2021-01-04T00:00:00Z', count: 2 },
      { period: '2021-W01', start: '2021-01-04T00:00:00Z', end: '2021-01-11T00:00:00Z', count: 1 },
      { period: '2021-W02', start: '2021-01-11T00:00:00Z', end: '2021-01-18T00:00:00Z', count: 1 },
    ]);
    // 2019-12-30 (Monday) starts 2020-W01 although it lies in 2019.
    const early = storeWith(['2019-12-29T12:00:00Z', '2019-12-30T12:00:00Z']);
    expect(series(early, { by: 'week' })).toEqual([['2019-W52', 1], ['2020-W01', 1]]);
  });

  it('by month across a year boundary, February of a leap year whole', () => {
    const store = storeWith(['2019-11-15T00:00:00Z', '2020-02-29T23:59:59Z', '2020-02-01T00:00:00Z']);
    const t = selectTimeline(store.db, { by: 'month' });
    expect(t.series).toEqual([
      { period: '2019-11', start: '2019-11-01T00:00:00Z', end: '2019-12-01T00:00:00Z', count: 1 },
      { period: '2019-12', start: '2019-12-01T00:00:00Z', end: '2020-01-01T00:00:00Z', count: 0 },
      { period: '2020-01', start: '2020-01-01T00:00:00Z', end: '2020-02-01T00:00:00Z', count: 0 },
      { period: '2020-02', start: '2020-02-01T00:00:00Z', end: '2020-03-01T00:00:00Z', count: 2 },
    ]);
  });

  it('by year, with years without incidents', () => {
    const store = storeWith(['2016-08-04T17:42:12.345Z', '2019-12-31T23:59:59.9999999Z', '2020-01-01T00:00:00Z']);
    expect(series(store, { by: 'year' })).toEqual([['2016', 1], ['2017', 0], ['2018', 0], ['2019', 1], ['2020', 1]]);
  });

  it('rows without a time are counted apart, never on the axis; an all-untimed store has an empty series', () => {
    const store = storeWith(['2020-01-01T00:00:00Z', null, null]);
    const t = selectTimeline(store.db, { by: 'day' });
    expect({ counted: t.counted, untimed: t.untimed, series: t.series.map((p) => p.count) }).toEqual({ counted: 1, untimed: 2, series: [1] });
    const none = storeWith([null]);
    expect(selectTimeline(none.db, { by: 'day' })).toEqual({ by: 'day', counting: 'incidents', counted: 0, untimed: 1, outOfRange: 0, series: [] });
  });

  it('a time past 9999-12-31 (a garbage trace clock) is counted apart, not taken for no time', () => {
    const store = storeWith(['2020-01-01T00:00:00Z', '9999-12-31T23:59:59.9999999Z', null]);
    store.db.prepare('UPDATE incidents SET time_ticks = ? WHERE time_ticks IS NULL').run(3_000_000_000_000_000_000n);
    addIncident(store, addSource(store, '/tickets/undated.txt'), { time: null });
    const t = selectTimeline(store.db, { by: 'year' });
    expect({ counted: t.counted, untimed: t.untimed, outOfRange: t.outOfRange, first: t.series[0]!.period, last: t.series.at(-1)!.period, periods: t.series.length })
      .toEqual({ counted: 2, untimed: 1, outOfRange: 1, first: '2020', last: '9999', periods: 7980 });
    expect(untimedNote(t)).toBe('1 incident without a time is not on the chart (irpscope incidents lists them)\n1 incident with a time past 9999-12-31 is not on the chart (a garbage clock value in the source)');
  });

  it('--since/--until bound the axis (zeros at both ends); --since alone runs to now', () => {
    const store = storeWith(['2020-01-02T10:00:00Z', '2020-01-05T10:00:00Z', null]);
    const t = selectTimeline(store.db, { by: 'day', sinceTicks: ticksOf('2020-01-01T00:00:00Z'), untilTicks: ticksOf('2020-01-03T23:59:59Z') });
    expect(t.series.map((p) => [p.period, p.count])).toEqual([['2020-01-01', 0], ['2020-01-02', 1], ['2020-01-03', 0]]);
    expect({ counted: t.counted, untimed: t.untimed }).toEqual({ counted: 1, untimed: 1 });
    const open = selectTimeline(store.db, { by: 'day', sinceTicks: ticksOf('2020-01-04T00:00:00Z'), nowTicks: ticksOf('2020-01-07T08:00:00Z')! });
    expect(open.series.map((p) => [p.period, p.count])).toEqual([['2020-01-04', 0], ['2020-01-05', 1], ['2020-01-06', 0], ['2020-01-07', 0]]);
  });

  it('refuses an axis past the cap, naming the coarser period that fits', () => {
    const store = storeWith(['2014-01-01T00:00:00Z', '2024-01-01T00:00:00Z']);
    let error: unknown;
    try {
      selectTimeline(store.db, { by: 'hour' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(TimelineTooLongError);
    expect((error as Error).message).toBe('--by hour would draw 87649 periods, more than 10000: use --by day (3653 periods) or narrow the range with --since/--until');
    expect(selectTimeline(store.db, { by: 'day' }).series.length).toBe(3653);
  });
});

describe('timeline filters', () => {
  function mixedStore(): { store: Store; bucketA: string; bucketB: string } {
    const store = emptyStore();
    stores.push(store);
    const source = addSource(store);
    const i1 = addIncident(store, source, { time: '2024-05-01T10:00:00Z', module: 'mydrv' });
    const i2 = addIncident(store, source, { time: '2024-05-03T10:00:00Z', module: null, image: 'MyDrv.sys' });
    const i3 = addIncident(store, source, { time: '2024-05-03T11:00:00Z', module: 'otherdrv' });
    const i4 = addIncident(store, source, { time: null, module: 'mydrv' });
    const bucketA = addSignature(store, i1, '0xC9/0x7 | mydrv!MyDispatchDeviceControl | IRP_MJ_DEVICE_CONTROL | 0x00222004');
    addSignature(store, i2, '0xC9/0x7 | mydrv!MyDispatchDeviceControl | IRP_MJ_DEVICE_CONTROL | 0x00222004');
    addSignature(store, i4, '0xC9/0x7 | mydrv!MyDispatchDeviceControl | IRP_MJ_DEVICE_CONTROL | 0x00222004');
    const bucketB = addSignature(store, i3, '0xD1 | otherdrv!ReadComplete');
    addOccurrence(store, source, { code: 0x222004, time: '2024-05-01T09:59:00Z', failed: true, driver: 'mydrv.sys', incidentId: i1 });
    addOccurrence(store, source, { code: 0x222004, time: '2024-05-02T09:00:00Z', failed: true, driver: 'mydrv.sys', status: 0xc0000010 });
    addOccurrence(store, source, { code: 0x222004, time: '2024-05-02T09:30:00Z', failed: false, driver: 'mydrv.sys', status: 0 });
    addOccurrence(store, source, { code: 0x222004, time: '2024-05-03T09:00:00Z', failed: true, driver: 'otherdrv.sys', status: 0xc0000001 });
    addOccurrence(store, source, { code: 0x222004, time: null, failed: true, driver: 'mydrv.sys', status: 0xc0000001 });
    addOccurrence(store, source, { code: 0x2d1400, time: '2024-05-02T12:00:00Z', failed: true, driver: 'mydrv.sys', status: 0xc0000002 });
    return { store, bucketA, bucketB };
  }

  it('--driver matches the module or the image under any spelling', () => {
    const { store } = mixedStore();
    const t = selectTimeline(store.db, { by: 'day', driverKey: 'mydrv' });
    expect({ series: t.series.map((p) => [p.period, p.count]), untimed: t.untimed }).toEqual({ series: [['2024-05-01', 1], ['2024-05-02', 0], ['2024-05-03', 1]], untimed: 1 });
    expect(series(store, { by: 'day', driverKey: 'otherdrv' })).toEqual([['2024-05-03', 1]]);
  });

  it('--bucket counts the incidents signed into it', () => {
    const { store, bucketA, bucketB } = mixedStore();
    const t = selectTimeline(store.db, { by: 'day', signatureId: bucketA });
    expect({ series: t.series.map((p) => [p.period, p.count]), counted: t.counted, untimed: t.untimed }).toEqual({ series: [['2024-05-01', 1], ['2024-05-02', 0], ['2024-05-03', 1]], counted: 2, untimed: 1 });
    expect(series(store, { by: 'day', signatureId: bucketB })).toEqual([['2024-05-03', 1]]);
  });

  it('--ioctl counts that code\'s failures only (failed = 1), by driver_key with --driver, in a bucket with --bucket', () => {
    const { store, bucketA } = mixedStore();
    const all = selectTimeline(store.db, { by: 'day', ioctl: 0x222004 });
    expect({ counting: all.counting, series: all.series.map((p) => [p.period, p.count]), untimed: all.untimed }).toEqual({
      counting: 'ioctl-failures', series: [['2024-05-01', 1], ['2024-05-02', 1], ['2024-05-03', 1]], untimed: 1,
    });
    expect(series(store, { by: 'day', ioctl: 0x222004, driverKey: 'mydrv' })).toEqual([['2024-05-01', 1], ['2024-05-02', 1]]);
    expect(series(store, { by: 'day', ioctl: 0x222004, signatureId: bucketA })).toEqual([['2024-05-01', 1]]);
    expect(series(store, { by: 'day', ioctl: 0x2d1400 })).toEqual([['2024-05-02', 1]]);
    expect(selectTimeline(store.db, { by: 'day', ioctl: 0x12345678 })).toEqual({ by: 'day', counting: 'ioctl-failures', counted: 0, untimed: 0, outOfRange: 0, series: [] });
  });

  it('a bucket is found by id, unique id prefix or whole signature; an ambiguous or unknown one is refused', () => {
    const { store, bucketA, bucketB } = mixedStore();
    const a = { signatureId: bucketA, signature: '0xC9/0x7 | mydrv!MyDispatchDeviceControl | IRP_MJ_DEVICE_CONTROL | 0x00222004' };
    expect(findBucket(store.db, bucketA)).toEqual(a);
    expect(findBucket(store.db, bucketA.slice(0, 6).toUpperCase())).toEqual(a);
    expect(findBucket(store.db, '0xD1 | otherdrv!ReadComplete')).toEqual({ signatureId: bucketB, signature: '0xD1 | otherdrv!ReadComplete' });
    expect(() => findBucket(store.db, 'ffffffffffff')).toThrow(BucketLookupError);
    expect(() => findBucket(store.db, bucketA.slice(0, 3))).toThrow('--bucket "' + bucketA.slice(0, 3) + '": no bucket has this signature id, id prefix or signature (an id prefix needs at least 4 hex digits); irpscope buckets lists them');
    // Two ids sharing a prefix: written directly with chosen ids.
    const source = addSource(store, '/tickets/other.txt');
    for (const [id, sig] of [['abcd00000001', 'one'], ['abcd00000002', 'two']] as const) {
      const incident = addIncident(store, source, { time: null });
      store.db.prepare(`INSERT INTO incident_signatures (incident_id, signature, signature_id, rule_version, parts, explanation, signed_at) VALUES (?, ?, ?, 'test-1', '{}', '[]', 'x')`).run(incident, sig, id);
    }
    expect(() => findBucket(store.db, 'abcd')).toThrow('--bucket abcd fits 2 buckets: abcd00000001, abcd00000002; type more of the id');
    expect(findBucket(store.db, 'abcd00000002').signature).toBe('two');
  });
});

describe('period arithmetic', () => {
  it('ISO week numbers at the edges of years', () => {
    const week = (iso: string) => { const w = isoWeekOf(periodStart('week', Date.parse(iso))); return `${w.year}-W${w.week}`; };
    expect(['2015-12-31', '2016-01-03', '2016-01-04', '2018-12-31', '2021-01-01', '2026-12-31', '2027-01-01'].map((d) => week(`${d}T12:00:00Z`)))
      .toEqual(['2015-W53', '2015-W53', '2016-W1', '2019-W1', '2020-W53', '2026-W53', '2026-W53']);
  });

  it('period names for each period', () => {
    const ms = Date.parse('2024-02-29T13:45:00Z');
    expect(PERIODS.map((p) => periodName(p, periodStart(p, ms)))).toEqual(['2024-02-29T13', '2024-02-29', '2024-W09', '2024-02', '2024']);
  });
});

describe('timeline properties', () => {
  const periodArb = fc.constantFrom<Period>(...PERIODS);
  // 2015-01-01 .. 2025-12-31 in seconds, plus some untimed rows.
  const timeArb = fc.option(fc.integer({ min: 1_420_070_400, max: 1_767_139_200 }).map((s) => new Date(s * 1000).toISOString()), { freq: 8 });

  it('the series sums to the timed rows, is contiguous, and agrees with counting each row in JS', () => {
    const store = emptyStore();
    stores.push(store);
    const source = addSource(store);
    fc.assert(fc.property(periodArb, fc.array(timeArb, { maxLength: 25 }), (by, times) => {
      inWriteTransaction(store.db, () => {
        store.db.exec('DELETE FROM incidents');
        for (const time of times) addIncident(store, source, { time });
      });
      const timed = times.filter((t): t is string => t !== null).map((t) => Date.parse(t));
      const spanned = timed.length === 0 ? 0 : periodCount(by, Math.min(...timed), Math.max(...timed));
      if (spanned > MAX_PERIODS) {
        expect(() => selectTimeline(store.db, { by })).toThrow(TimelineTooLongError);
        return;
      }
      const t = selectTimeline(store.db, { by });
      expect(t.counted).toBe(timed.length);
      expect(t.untimed).toBe(times.length - timed.length);
      expect(t.series.reduce((a, p) => a + p.count, 0)).toBe(timed.length);
      expect(t.series.length).toBe(spanned);
      // One comparison per property run: expect() per period costs seconds over 4000-day axes.
      const broken = t.series.filter((p, i) => !(Number.isInteger(p.count) && p.count >= 0) || !(Date.parse(p.start) < Date.parse(p.end)) || (i > 0 && p.start !== t.series[i - 1]!.end));
      expect(broken).toEqual([]);
      const counts = new Map<string, number>();
      for (const ms of timed) {
        const start = new Date(periodStart(by, ms)).toISOString().replace('.000Z', 'Z');
        counts.set(start, (counts.get(start) ?? 0) + 1);
      }
      expect(t.series.filter((p) => p.count > 0).map((p) => [p.start, p.count])).toEqual([...counts.entries()].sort(([a], [b]) => a.localeCompare(b)));
    }), { numRuns: 150 });
  });
});

describe('bars', () => {
  const rows = [{ label: '2024-05-01', count: 8 }, { label: '2024-05-02', count: 0 }, { label: '2024-05-03', count: 3 }, { label: '2024-05-04', count: 1 }];

  it('Unicode: full blocks then an eighth block; the largest count fills the width', () => {
    // width 33: 10 label + 2 + 1 count + 2 + 1 spare = 16 columns taken, 17 cells of bar.
    expect(renderBars(rows, 33, 'unicode')).toBe([
      '2024-05-01  8  █████████████████',
      '2024-05-02  0',
      '2024-05-03  3  ██████▍',
      '2024-05-04  1  ██▏',
      '',
    ].join('\n'));
  });

  it('ASCII: whole # cells, a count above zero never vanishes', () => {
    expect(renderBars([...rows, { label: '2024-05-05', count: 1000 }], 33, 'ascii')).toBe([
      '2024-05-01     8  #',
      '2024-05-02     0',
      '2024-05-03     3  #',
      '2024-05-04     1  #',
      '2024-05-05  1000  ##############',
      '',
    ].join('\n'));
    expect([bar(1, 1000, 10, 'unicode'), bar(5, 8, 2, 'unicode'), bar(0, 5, 10, 'ascii'), bar(0, 0, 10, 'unicode')]).toEqual(['▏', '█▎', '', '']);
  });

  it('labels from input are escaped, and a narrow terminal still gets a minimum bar width', () => {
    expect(renderBars([{ label: 'a\u001b[31mb', count: 2 }], 5, 'ascii')).toBe('a\\x1b[31mb  2  ##########\n');
  });

  it('chooses blocks only for a UTF-8 locale without NO_COLOR', () => {
    expect([
      chartCharset({ LANG: 'en_US.UTF-8' }),
      chartCharset({ LANG: 'en_US.utf8' }),
      chartCharset({ LANG: 'en_US.UTF-8', NO_COLOR: '1' }),
      chartCharset({ LANG: 'en_US.UTF-8', NO_COLOR: '' }),
      chartCharset({ LC_ALL: 'C', LANG: 'en_US.UTF-8' }),
      chartCharset({ LC_CTYPE: 'de_DE.ISO-8859-1', LANG: 'en_US.UTF-8' }),
      chartCharset({ LC_ALL: '', LC_CTYPE: 'C.UTF-8' }),
      chartCharset({}),
    ]).toEqual(['unicode', 'unicode', 'ascii', 'unicode', 'ascii', 'ascii', 'unicode', 'ascii']);
  });
});
