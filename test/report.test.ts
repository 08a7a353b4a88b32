/**
 * `irpscope report` and `irpscope timeline`: the report built from a store (golden text and JSON, with exact
 * assertions on the facts that matter), the HTML's escaping, and the real binary (dist/src/cli/main.js).
 */
import { freshStoreLocation } from './backend.js';
import { redactLocation } from '../db/connection.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Store } from '../db/store.js';
import { ticksFromText } from '../db/column-values.js';
import { buildReport, renderReportText, type Report } from '../src/cli/report-command.js';
import { escapeHtml, renderReportHtml } from '../src/cli/render-report-html.js';
import { EVIL_MODULE, reportStore, SIG_A, SIG_B, SIG_C } from './fixtures/store/report-store.js';
import { addIncident, addSource, emptyStore, signatureIdOf } from './fixtures/store/timeline-store.js';

const root = resolve(fileURLToPath(new URL('..', import.meta.url)));
const bin = join(root, 'dist', 'src', 'cli', 'main.js');

let store: Store;
let report: Report;
const NOW = ticksFromText('2024-05-07T12:00:00Z')!;

beforeAll(() => {
  store = reportStore();
  report = buildReport(store.db, 'tickets.db', { sinceTicks: null, driverKey: null, by: null, top: 5, nowTicks: NOW });
});

afterAll(() => store.close());

function irpscope(args: string[], env: Record<string, string> = {}) {
  const home = mkdtempSync(join(tmpdir(), 'irpscope-report-cli-'));
  const r = spawnSync(process.execPath, [bin, ...args], { env: { PATH: process.env.PATH ?? '', IRPSCOPE_HOME: home, ...env }, encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('report content', () => {
  it('states the store, the buckets by size with first/last seen and newest incident, and the timeline', () => {
    expect(report.store).toEqual({
      sources: 2, incidents: 10, untimedIncidents: 1, signedIncidents: 9, buckets: 3, ioctlOccurrences: 12, ioctlFailures: 11,
      firstIncident: '2024-05-01T10:00:00.0000000Z', lastIncident: '2024-05-06T00:00:00.0000000Z',
    });
    expect(report.buckets.map((b) => [b.signatureId, b.signature, b.incidents, b.untimed, b.firstSeen, b.lastSeen, b.newest.id, b.newest.time])).toEqual([
      [signatureIdOf(SIG_A), SIG_A, 6, 1, '2024-05-01T10:00:00.0000000Z', '2024-05-05T12:00:00.0000000Z', 5, '2024-05-05T12:00:00.0000000Z'],
      [signatureIdOf(SIG_B), SIG_B, 2, 0, '2024-05-04T10:00:00.0000000Z', '2024-05-04T11:00:00.0000000Z', 8, '2024-05-04T11:00:00.0000000Z'],
      [signatureIdOf(SIG_C), SIG_C, 1, 0, '2024-05-02T08:00:00.0000000Z', '2024-05-02T08:00:00.0000000Z', 9, '2024-05-02T08:00:00.0000000Z'],
    ]);
    expect(report.buckets.map((b) => [b.builds, b.machines, b.newestIncident, b.ruleVersions])).toEqual([[2, 1, 5, ['test-1']], [0, 1, 8, ['test-1']], [0, 1, 9, ['test-1']]]);
    expect(report.timeline.by).toBe('day');
    expect(report.timeline.series.map((p) => [p.period, p.count])).toEqual([
      ['2024-05-01', 3], ['2024-05-02', 1], ['2024-05-03', 0], ['2024-05-04', 3], ['2024-05-05', 1], ['2024-05-06', 1],
    ]);
    expect(report.timeline.untimed).toBe(1);
  });

  it('decodes the IOCTLs of the worst buckets, with names, headers and the statuses the store saw', () => {
    const a = report.buckets[0]!.ioctls;
    expect(a.map((io) => ({ code: io.code, inBucket: io.inBucket, drivers: io.drivers, statuses: io.statuses }))).toEqual([
      { code: '0x00222004', inBucket: 6, drivers: ['mydrv'], statuses: [{ status: null, name: null, count: 6 }, { status: '0xC0000010', name: 'STATUS_INVALID_DEVICE_REQUEST', count: 2 }, { status: '0x00000000', name: 'STATUS_SUCCESS', count: 1 }] },
      { code: '0x002D1400', inBucket: 2, drivers: ['mydrv'], statuses: [{ status: null, name: null, count: 2 }] },
    ]);
    const storage = a[1]!;
    expect(storage.names[0]).toEqual({ name: 'IOCTL_STORAGE_QUERY_PROPERTY', source: storage.names[0]!.source });
    expect(storage.names[0]!.source).toMatch(/ntddstor\.h$/);
    expect([storage.deviceType, storage.function, storage.method, storage.access]).toEqual([{ value: '0x002D', name: 'FILE_DEVICE_MASS_STORAGE' }, '0x500', 'METHOD_BUFFERED', 'FILE_ANY_ACCESS']);
    expect(report.buckets[2]!.ioctls).toEqual([]);
  });

  it('--since and --driver scope the buckets and the timeline', () => {
    const scoped = buildReport(store.db, 'tickets.db', { sinceTicks: ticksFromText('2024-05-04T00:00:00Z'), driverKey: 'mydrv', by: null, top: 5, nowTicks: NOW });
    expect(scoped.buckets.map((b) => [b.signatureId, b.incidents])).toEqual([[signatureIdOf(SIG_A), 2]]);
    expect(scoped.buckets[0]!.ioctls.map((io) => [io.code, io.inBucket])).toEqual([['0x00222004', 2]]);
    expect(scoped.timeline.series.map((p) => [p.period, p.count])).toEqual([['2024-05-04', 1], ['2024-05-05', 1], ['2024-05-06', 1], ['2024-05-07', 0]]);
    expect(scoped.filters).toEqual({ since: '2024-05-04T00:00:00.0000000Z', driver: 'mydrv' });
  });

  it('the timeline period is the finest with at most 60 bars, unless --by says', () => {
    const wide = emptyStore();
    try {
      const source = addSource(wide);
      for (const time of ['2024-01-01T00:00:00Z', '2024-04-30T23:00:00Z']) addIncident(wide, source, { time });
      const auto = buildReport(wide.db, 'wide.db', { sinceTicks: null, driverKey: null, by: null, top: 5, nowTicks: NOW });
      expect([auto.timeline.by, auto.timeline.series.length, auto.timeline.series[0]!.period, auto.timeline.series.at(-1)!.period]).toEqual(['week', 18, '2024-W01', '2024-W18']);
      const monthly = buildReport(wide.db, 'wide.db', { sinceTicks: null, driverKey: null, by: 'month', top: 5, nowTicks: NOW });
      expect(monthly.timeline.series.map((p) => [p.period, p.count])).toEqual([['2024-01', 1], ['2024-02', 0], ['2024-03', 0], ['2024-04', 1]]);
    } finally {
      wide.close();
    }
  });

  it('an empty store gives a page that says so, in text and HTML', () => {
    const empty = emptyStore();
    try {
      const r = buildReport(empty.db, 'empty.db', { sinceTicks: null, driverKey: null, by: null, top: 5, nowTicks: NOW });
      expect(renderReportText(r, 80, 'ascii')).toBe([
        'irpscope report', 'generated 2024-05-07T12:00:00Z from empty.db', 'scope: the whole store', '',
        'Store', '  sources            0', '  incidents          0 (0 without a time)', '  signed incidents   0 in 0 buckets',
        '  IOCTL occurrences  0 (0 failed)', '  incident times     - .. -', '',
        'Top buckets (0)', '  no signed incidents in scope', '',
        'Incidents per day, UTC', '  no incident with a time in scope', '',
        'Decoded IOCTLs of the worst buckets', '  no IOCTL is recorded in the listed buckets', '',
      ].join('\n'));
      const html = renderReportHtml(r);
      expect([(html.match(/<rect class="bar"/g) ?? []).length, html.includes('<td colspan="6">no signed incidents in scope</td>')]).toEqual([0, true]);
    } finally {
      empty.close();
    }
  });

  it('plain text: golden, ASCII at 80 columns', async () => {
    await expect(renderReportText(report, 80, 'ascii')).toMatchFileSnapshot('./fixtures/report/report.expected.txt');
  });

  it('JSON: golden', async () => {
    await expect(`${JSON.stringify(report, null, 2)}\n`).toMatchFileSnapshot('./fixtures/report/report.expected.json');
  });

  it('HTML: every input text escaped, no script, nothing external', () => {
    const html = renderReportHtml(report);
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toMatch(/\son\w+=/i);
    expect(html).not.toMatch(/(src|href)=/i);
    expect(html).not.toContain('\u001b');
    expect(html).toContain(escapeHtml(SIG_B));
    expect(escapeHtml(SIG_B)).toBe(`0xD1 | &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; | evil&quot;onmouseover=&quot;alert(1) | ${'A'.repeat(200)} | \\x1b[31mred`);
    expect(html).toContain(`in ${escapeHtml(EVIL_MODULE)}`);
    expect((html.match(/<rect class="bar"/g) ?? []).length).toBe(6);
  });
});

describe('the binary', () => {
  let db: string;
  beforeAll(() => {
    db = store.location;
  });

  it('timeline --json prints the series with its filters and what was left out', () => {
    const r = irpscope(['timeline', '--db', db, '--json', '--driver', 'MyDrv.sys']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({
      version: 1, by: 'day', counting: 'incidents',
      filters: { bucket: null, ioctl: null, driver: 'mydrv', since: null, until: null },
      counted: 6, untimed: 1, outOfRange: 0,
      series: [
        { period: '2024-05-01', start: '2024-05-01T00:00:00Z', end: '2024-05-02T00:00:00Z', count: 3 },
        { period: '2024-05-02', start: '2024-05-02T00:00:00Z', end: '2024-05-03T00:00:00Z', count: 0 },
        { period: '2024-05-03', start: '2024-05-03T00:00:00Z', end: '2024-05-04T00:00:00Z', count: 0 },
        { period: '2024-05-04', start: '2024-05-04T00:00:00Z', end: '2024-05-05T00:00:00Z', count: 1 },
        { period: '2024-05-05', start: '2024-05-05T00:00:00Z', end: '2024-05-06T00:00:00Z', count: 1 },
        { period: '2024-05-06', start: '2024-05-06T00:00:00Z', end: '2024-05-07T00:00:00Z', count: 1 },
      ],
    });
  });

  it('timeline --ioctl by name, --bucket by prefix, --since/--until, --csv with the left-out note on stderr', () => {
    const r = irpscope(['timeline', '--db', db, '--csv', '--ioctl', '0x222004', '--by', 'week']);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('period,start,end,count\n2024-W18,2024-04-29T00:00:00Z,2024-05-06T00:00:00Z,2\n');
    expect(r.stderr).toBe('irpscope: 7 IOCTL failures without a time are not on the chart (irpscope incidents lists them)\n');
    const named = irpscope(['timeline', '--db', db, '--json', '--ioctl', 'IOCTL_STORAGE_QUERY_PROPERTY']);
    expect(JSON.parse(named.stdout)).toMatchObject({ counting: 'ioctl-failures', filters: { ioctl: '0x002D1400' }, counted: 0, untimed: 2, series: [] });
    const bucket = irpscope(['timeline', '--db', db, '--json', '--bucket', signatureIdOf(SIG_B).slice(0, 6), '--since', '2024-05-03', '--until', '2024-05-05']);
    expect(bucket.code).toBe(0);
    const answer = JSON.parse(bucket.stdout) as { filters: unknown; series: { period: string; count: number }[] };
    expect(answer.filters).toEqual({ bucket: { signatureId: signatureIdOf(SIG_B), signature: SIG_B }, ioctl: null, driver: null, since: '2024-05-03T00:00:00.0000000Z', until: '2024-05-05T23:59:59.9999999Z' });
    expect(answer.series.map((p) => [p.period, p.count])).toEqual([['2024-05-03', 0], ['2024-05-04', 2], ['2024-05-05', 0]]);
  });

  it('timeline --ioctl takes a name from the private catalog; a damaged catalog stops a name, never a number', () => {
    const dir = mkdtempSync(join(tmpdir(), 'irpscope-report-catalog-'));
    const catalog = join(dir, 'catalog.json');
    expect(irpscope(['catalog', 'add', join(root, 'test/fixtures/catalog/mydrv_ioctl.h')], { IRPSCOPE_CATALOG: catalog }).code).toBe(0);
    // mydrv_ioctl.h:11 defines IOCTL_MYDRV_LEGACY as CTL_CODE(FILE_DEVICE_UNKNOWN, 0x801, METHOD_BUFFERED, FILE_ANY_ACCESS) = 0x222004.
    const named = irpscope(['timeline', '--db', db, '--json', '--by', 'week', '--ioctl', 'IOCTL_MYDRV_LEGACY'], { IRPSCOPE_CATALOG: catalog });
    expect(JSON.parse(named.stdout)).toMatchObject({ counting: 'ioctl-failures', filters: { ioctl: '0x00222004' }, counted: 2, untimed: 7 });
    writeFileSync(catalog, '{ not json');
    const broken = irpscope(['timeline', '--db', db, '--ioctl', 'IOCTL_MYDRV_LEGACY'], { IRPSCOPE_CATALOG: catalog });
    expect([broken.code, broken.stdout, broken.stderr.startsWith(`irpscope: --ioctl IOCTL_MYDRV_LEGACY: ${catalog}: `)]).toEqual([1, '', true]);
    expect(irpscope(['timeline', '--db', db, '--json', '--ioctl', '222004'], { IRPSCOPE_CATALOG: catalog }).code).toBe(0);
  });

  it('human chart: blocks in a UTF-8 locale, # with NO_COLOR or no locale, $COLUMNS wide when piped', () => {
    const utf8 = irpscope(['timeline', '--db', db], { LANG: 'C.UTF-8', COLUMNS: '40' });
    expect(utf8.code).toBe(0);
    // 40 columns: 10 label + 2 + 1 count + 2 + 1 spare leaves 24 cells; 1 of 3 is 8 cells.
    expect(utf8.stdout).toBe([
      'incidents per day, UTC: 2024-05-01 .. 2024-05-06, 9 counted',
      '2024-05-01  3  ████████████████████████',
      '2024-05-02  1  ████████',
      '2024-05-03  0',
      '2024-05-04  3  ████████████████████████',
      '2024-05-05  1  ████████',
      '2024-05-06  1  ████████',
      '1 incident without a time is not on the chart (irpscope incidents lists them)',
      '',
    ].join('\n'));
    const ascii = irpscope(['timeline', '--db', db], { LANG: 'C.UTF-8', COLUMNS: '40', NO_COLOR: '1' });
    expect(ascii.stdout).toBe(utf8.stdout.replaceAll('█', '#'));
    expect(irpscope(['timeline', '--db', db], { COLUMNS: '40' }).stdout).toBe(ascii.stdout);
  });

  it('bad usage exits 2 and says what to do; a missing database exits 1', () => {
    const long = irpscope(['timeline', '--db', db, '--by', 'hour', '--since', '2000-01-01', '--until', '2024-05-07']);
    expect({ code: long.code, stderr: long.stderr, stdout: long.stdout }).toEqual({
      code: 2, stdout: '', stderr: 'irpscope: --by hour would draw 213456 periods, more than 10000: use --by day (8894 periods) or narrow the range with --since/--until\n',
    });
    expect(irpscope(['timeline', '--db', db, '--by', 'fortnight']).stderr).toBe('irpscope: --by: expected one of hour, day, week, month, year, got "fortnight"\n');
    expect(irpscope(['timeline', '--db', db, '--bucket', 'zzzz']).code).toBe(2);
    expect(irpscope(['timeline', '--db', db, '--ioctl', 'NO_SUCH_IOCTL']).stderr).toBe('irpscope: --ioctl: unknown name "NO_SUCH_IOCTL" (looked in the ioctl table): no header in the tables and no catalog entry defines it\n');
    expect(irpscope(['timeline', '--db', db, '--since', '2024-05-05', '--until', '2024-05-01']).code).toBe(2);
    expect(irpscope(['timeline', '--db', db, '--json', '--csv']).code).toBe(2);
    expect(irpscope(['timeline', '--db', join(tmpdir(), 'irpscope-no-such-dir', 'none.db')]).code).toBe(1);
    expect(irpscope(['report', '--db', db, '--top', '0'])).toMatchObject({ code: 2, stdout: '', stderr: 'irpscope: --top: expected a positive whole number, got "0"\n' });
  });

  it('--help names the periods, the ISO weeks and gives examples', () => {
    const t = irpscope(['timeline', '--help']);
    expect(t.code).toBe(0);
    expect(t.stdout).toContain('weeks are ISO 8601 weeks,\nMonday to Sunday, named like 2020-W53.');
    expect(t.stdout).toContain('irpscope timeline --by week --driver mydrv.sys');
    expect(irpscope(['report', '--help']).stdout).toContain('irpscope report --since 30d --html ticket-1234.html');
  });

  it('report prints the same page the library builds; --json the same content; --html writes the file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'irpscope-report-html-'));
    const file = join(dir, 'ticket.html');
    const r = irpscope(['report', '--db', db, '--html', file, '--json']);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe(`irpscope: wrote ${file}\n`);
    const json = JSON.parse(r.stdout) as Report;
    // The CLI's "now" is the present: only generatedAt differs from the report built with a fixed clock.
    expect({ ...json, generatedAt: 'x' }).toEqual({ ...report, database: redactLocation(db), generatedAt: 'x' });
    const html = readFileSync(file, 'utf8');
    expect(html).toBe(renderReportHtml({ ...report, database: redactLocation(db), generatedAt: json.generatedAt }));
    const text = irpscope(['report', '--db', db], { COLUMNS: '80' });
    expect(text.stdout).toBe(renderReportText({ ...report, database: redactLocation(db), generatedAt: text.stdout.split('\n')[1]!.slice('generated '.length, 'generated '.length + 20) }, 80, 'ascii'));
  });
});

describe('on samples ingested (and signed) by the real binary', () => {
  const dir = mkdtempSync(join(tmpdir(), 'irpscope-report-ingest-'));
  const db = freshStoreLocation('irpscope-report-db-');
  const crash = 'test/fixtures/store/crash-mydrv.txt';
  const MYDRV = '0xC9/0x7 | mydrv!MyDispatchDeviceControl | IRP_MJ_DEVICE_CONTROL 0x222004';

  beforeAll(() => {
    const r = spawnSync(process.execPath, [bin, 'ingest', '--db', db, join(root, crash), join(root, 'test/fixtures/store/trace-mydrv.csv'), join(root, 'samples/windbg/winfsp-469.txt'), join(root, 'samples/verifier/scptoolkit-29.txt')], { encoding: 'utf8' });
    expect(r.status).toBe(0);
  });

  it('report lists the buckets exactly as `buckets --json` does, with the newest incident and the decoded IOCTL', () => {
    const buckets = JSON.parse(irpscope(['buckets', '--db', db, '--json']).stdout) as Record<string, unknown>[];
    const r = JSON.parse(irpscope(['report', '--db', db, '--json', '--top', '10']).stdout) as Report;
    expect(r.buckets.map(({ untimed: _u, newest: _n, ioctls: _i, ...bucket }) => bucket)).toEqual(buckets);
    const top = r.buckets[0]!;
    expect([top.signature, top.incidents, top.untimed, top.newest.source, top.newest.line, top.newest.time]).toEqual([MYDRV, 1, 0, join(root, crash), 25, '2016-08-04T17:42:12.3450000Z']);
    expect(top.ioctls.map((io) => [io.code, io.inBucket, io.drivers, io.method, io.access])).toEqual([['0x00222004', 1, ['mydrv'], 'METHOD_BUFFERED', 'FILE_ANY_ACCESS']]);
    expect(r.timeline.series.map((p) => [p.period, p.count])).toEqual([['2016-08-04', 1]]);
    expect([r.store.incidents, r.store.signedIncidents, r.timeline.untimed]).toEqual([3, 3, 2]);
  });

  it('timeline --bucket takes the id, a prefix or the signature text buckets prints', () => {
    const id = (JSON.parse(irpscope(['buckets', '--db', db, '--json']).stdout) as { signatureId: string; signature: string }[]).find((b) => b.signature === MYDRV)!.signatureId;
    for (const bucket of [id, id.slice(0, 5), MYDRV]) {
      const t = JSON.parse(irpscope(['timeline', '--db', db, '--json', '--by', 'month', '--bucket', bucket]).stdout) as { counted: number; untimed: number; series: { period: string; count: number }[] };
      expect({ bucket, counted: t.counted, untimed: t.untimed, series: t.series.map((p) => [p.period, p.count]) }).toEqual({ bucket, counted: 1, untimed: 0, series: [['2016-08', 1]] });
    }
  });
});
