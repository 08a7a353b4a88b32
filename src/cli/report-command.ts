/**
 * `irpscope report`: one page to attach to a ticket: what the store holds, the worst buckets, the timeline, and the
 * IOCTLs of the worst buckets decoded. Built once as a typed `Report`; text, JSON and HTML are renderings of it.
 */
import { writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { z } from 'zod';
import type { Connection } from '../../db/store.js';
import { selectOverview, type StoreOverview } from '../../db/queries/overview.js';
import { selectBuckets, type Bucket } from '../../db/queries/buckets.js';
import { countUntimedInBucket, selectBucketIoctls, selectIncidentBrief, type IncidentBrief } from '../../db/queries/bucket-detail.js';
import { selectIoctls, type StatusCount } from '../../db/queries/ioctls.js';
import { PERIODS, selectTimeline, TimelineTooLongError, type Period, type Timeline } from '../../db/queries/timeline.js';
import { isoFromTicks, UNIX_EPOCH_TICKS } from '../../db/column-values.js';
import { decodeIoctl } from '../decode/ioctl.js';
import { parseSince } from './incidents-command.js';
import { parseDriverOption, parsePeriod, timelineOrUsage, untimedNote } from './timeline-command.js';
import { addDatabaseOption, withStore } from './store-options.js';
import { colorWanted, styler, visible, type Styler } from './terminal.js';
import { chartCharset, chartWidth, renderBars } from './render-bars.js';
import { renderReportHtml } from './render-report-html.js';
import { FailureError, UsageError } from './errors.js';

export interface DecodedBucketIoctl {
  readonly code: string;
  /** Every name the headers (or the catalog) give the code, each with where it comes from. */
  readonly names: readonly { readonly name: string; readonly source: string }[];
  readonly deviceType: { readonly value: string; readonly name: string | null };
  readonly function: string;
  readonly method: string;
  readonly access: string;
  /** Occurrences in the bucket's incidents. */
  readonly inBucket: number;
  readonly drivers: readonly string[];
  /** Every status the store saw this code end with (for these drivers), most frequent first. */
  readonly statuses: readonly StatusCount[];
}

/** A bucket as `irpscope buckets --json` gives it, with what the page adds. */
export interface ReportBucket extends Bucket {
  /** Incidents of the bucket without a time (first/last seen cannot include them). */
  readonly untimed: number;
  /** The newest incident (newestIncident) in brief. */
  readonly newest: IncidentBrief;
  readonly ioctls: readonly DecodedBucketIoctl[];
}

export interface Report {
  readonly version: 1;
  readonly generatedAt: string;
  readonly database: string;
  readonly filters: { readonly since: string | null; readonly driver: string | null };
  readonly store: StoreOverview;
  readonly buckets: readonly ReportBucket[];
  readonly timeline: Timeline;
}

export interface ReportQuery {
  readonly sinceTicks: bigint | null;
  readonly driverKey: string | null;
  /** null: the finest of day, week, month, year that draws at most AUTO_PERIODS bars. */
  readonly by: Period | null;
  readonly top: number;
  readonly nowTicks: bigint;
}

/** A chart a person reads at a glance on one page: more bars than this and the period gets coarser. */
export const AUTO_PERIODS = 60;

function chooseTimeline(db: Connection, q: ReportQuery): Timeline {
  const base = { driverKey: q.driverKey, sinceTicks: q.sinceTicks, nowTicks: q.nowTicks };
  if (q.by !== null) { const by = q.by; return timelineOrUsage(() => selectTimeline(db, { ...base, by })); }
  let last: Timeline | null = null;
  for (const by of PERIODS.slice(1)) {
    try {
      last = selectTimeline(db, { ...base, by });
      if (last.series.length <= AUTO_PERIODS) return last;
    } catch (error) {
      if (!(error instanceof TimelineTooLongError)) throw error;
    }
  }
  if (last === null) throw new FailureError('the incidents span more than 10000 years: no timeline can be drawn');
  return last;
}

function mergedStatuses(db: Connection, code: number, driverKeys: readonly string[], onlyDriver: string | null): StatusCount[] {
  // The occurrences in a crash rarely carry a status (the request was in flight); the statuses the same code ended
  // with elsewhere in the store, for the same drivers, are what tells a reader how it usually fails.
  const keys: (string | null)[] = onlyDriver !== null ? [onlyDriver] : driverKeys.length > 0 ? [...driverKeys] : [null];
  const rows = keys.flatMap((driverKey) => selectIoctls(db, { code, driverKey }));
  const counts = new Map<string, StatusCount>();
  for (const s of rows.flatMap((r) => r.statuses)) {
    const key = s.status ?? '';
    const seen = counts.get(key);
    counts.set(key, { status: s.status, name: s.name, count: (seen?.count ?? 0) + s.count });
  }
  return [...counts.values()].sort((a, b) => b.count - a.count || (a.status ?? '').localeCompare(b.status ?? ''));
}

function decodeBucketIoctls(db: Connection, bucket: Bucket, q: ReportQuery): DecodedBucketIoctl[] {
  return selectBucketIoctls(db, bucket.signatureId, { sinceTicks: q.sinceTicks, moduleKey: q.driverKey }).map((o) => {
    const d = decodeIoctl(o.code);
    return {
      code: d.code,
      names: d.names.map((n) => ({ name: n.name, source: n.source })),
      deviceType: { value: `0x${d.deviceType.value.toString(16).toUpperCase().padStart(4, '0')}`, name: d.deviceType.names[0]?.name ?? null },
      function: `0x${d.function.value.toString(16).toUpperCase()}`,
      method: d.method.names[0]?.name ?? String(d.method.value),
      access: d.access.names[0]?.name ?? String(d.access.value),
      inBucket: o.occurrences,
      drivers: o.driverKeys,
      statuses: mergedStatuses(db, o.code, o.driverKeys, q.driverKey),
    };
  });
}

export function buildReport(db: Connection, database: string, q: ReportQuery): Report {
  // The buckets are chosen as `irpscope buckets --since --module` chooses them; the timeline as `timeline --driver`.
  const scope = { sinceTicks: q.sinceTicks, moduleKey: q.driverKey };
  return {
    version: 1,
    generatedAt: isoFromTicks(q.nowTicks).replace(/\.\d+Z$/, 'Z'),
    database,
    filters: { since: q.sinceTicks === null ? null : isoFromTicks(q.sinceTicks), driver: q.driverKey },
    store: selectOverview(db),
    buckets: selectBuckets(db, { ...scope, limit: q.top }).map((b) => ({
      ...b,
      untimed: countUntimedInBucket(db, b.signatureId, scope),
      newest: selectIncidentBrief(db, b.newestIncident)!,
      ioctls: decodeBucketIoctls(db, b, q),
    })),
    timeline: chooseTimeline(db, q),
  };
}

const statusText = (statuses: readonly StatusCount[]): string =>
  statuses.length === 0 ? 'none stored' : statuses.map((s) => `${s.name ?? s.status ?? 'no status'} x${s.count}`).join(', ');

/** The plain-text page: fixed layout, every input text through visible(). */
export function renderReportText(report: Report, width: number, charset: 'unicode' | 'ascii', style: Styler = styler(false)): string {
  const out: string[] = [];
  const s = report.store;
  out.push(style.bold('irpscope report'), `generated ${report.generatedAt} from ${visible(report.database)}`);
  const scope = [report.filters.since ? `since ${report.filters.since}` : null, report.filters.driver ? `driver ${visible(report.filters.driver)}` : null].filter((x) => x !== null);
  out.push(`scope: ${scope.length ? scope.join(', ') : 'the whole store'}`, '');
  out.push(style.bold('Store'));
  out.push(`  sources            ${s.sources}`);
  out.push(`  incidents          ${s.incidents} (${s.untimedIncidents} without a time)`);
  out.push(`  signed incidents   ${s.signedIncidents} in ${s.buckets} bucket${s.buckets === 1 ? '' : 's'}${s.signedIncidents < s.incidents ? ` (${s.incidents - s.signedIncidents} not signed: irpscope resignature signs every incident)` : ''}`);
  out.push(`  IOCTL occurrences  ${s.ioctlOccurrences} (${s.ioctlFailures} failed)`);
  out.push(`  incident times     ${s.firstIncident ?? '-'} .. ${s.lastIncident ?? '-'}`, '');
  out.push(style.bold(`Top buckets (${report.buckets.length})`));
  if (report.buckets.length === 0) out.push('  no signed incidents in scope');
  report.buckets.forEach((b, i) => {
    out.push(`  ${i + 1}. ${b.signatureId}  ${b.incidents} incident${b.incidents === 1 ? '' : 's'}${b.untimed ? ` (${b.untimed} without a time)` : ''}  ${visible(b.signature)}`);
    out.push(`     first ${b.firstSeen ?? '-'}  last ${b.lastSeen ?? '-'}  builds ${b.builds}  machines ${b.machines ?? '-'}`);
    out.push(`     newest: incident ${b.newest.id}, ${b.newest.time === null ? 'no time' : visible(b.newest.time)}, ${b.newest.code ?? 'no bugcheck'}${b.newest.name ? ` ${visible(b.newest.name)}` : ''}${b.newest.module ? ` in ${visible(b.newest.module)}` : ''} (${visible(b.newest.source)}:${b.newest.line})`);
  });
  out.push('');
  const t = report.timeline;
  const first = t.series[0]?.period;
  const last = t.series[t.series.length - 1]?.period;
  out.push(style.bold(`Incidents per ${t.by}, UTC${first ? `: ${first} .. ${last}, ${t.counted} counted` : ''}`));
  const bars = renderBars(t.series.map((p) => ({ label: p.period, count: p.count })), width - 2, charset);
  if (bars === '') out.push('  no incident with a time in scope');
  else out.push(...bars.trimEnd().split('\n').map((l) => `  ${l}`));
  const note = untimedNote(t);
  if (note) out.push(...note.split('\n').map((l) => `  ${l}`));
  out.push('');
  out.push(style.bold('Decoded IOCTLs of the worst buckets'));
  const withIoctls = report.buckets.filter((b) => b.ioctls.length > 0);
  if (withIoctls.length === 0) out.push('  no IOCTL is recorded in the listed buckets');
  for (const b of withIoctls) {
    out.push(`  ${b.signatureId}  ${visible(b.signature)}`);
    for (const io of b.ioctls) {
      const names = io.names.length ? io.names.map((n) => `${visible(n.name)} (${visible(n.source)})`).join(', ') : 'no name in the headers or the catalog';
      out.push(`    ${io.code}  ${names}`);
      out.push(`      device ${io.deviceType.value}${io.deviceType.name ? ` ${io.deviceType.name}` : ''}, function ${io.function}, ${io.method}, ${io.access}`);
      out.push(`      in this bucket ${io.inBucket}x${io.drivers.length ? ` to ${io.drivers.map(visible).join(', ')}` : ''}; statuses seen: ${visible(statusText(io.statuses))}`);
    }
  }
  return `${out.join('\n')}\n`;
}

function parseTop(text: string | undefined): number {
  if (text === undefined) return 5;
  const n = Number(text);
  if (!Number.isInteger(n) || n <= 0) throw new UsageError(`--top: expected a positive whole number, got ${JSON.stringify(text)}`);
  return n;
}

const ReportOptions = z.object({
  html: z.string().optional(),
  since: z.string().optional(),
  driver: z.string().optional(),
  by: z.string().optional(),
  top: z.string().optional(),
  db: z.string().optional(),
  json: z.boolean().optional(),
});

export function registerReport(program: Command): void {
  addDatabaseOption(program
    .command('report')
    .summary('a one-page summary for a ticket: store, top buckets, timeline, decoded IOCTLs (text, JSON, HTML)')
    .description(`A one-page summary to attach to a ticket: what the store holds (sources,
incidents, their time span), the buckets with the most incidents (signature,
count, first and last seen, newest incident), the incidents per period, and
the IOCTLs of those buckets decoded (names with their headers, device type,
function, method, access, statuses seen).
Plain text on stdout; --html FILE also writes one self-contained HTML file
(inline CSS and SVG chart, no scripts, nothing loaded from elsewhere); --json
prints the same content as data. The period is the finest of day, week, month,
year that draws at most ${AUTO_PERIODS} bars, unless --by is given.`)
    .option('--html <file>', 'also write the page as one self-contained HTML file')
    .option('--since <when>', 'only incidents at or after a date (2024-05-01), a UTC time, or a span back from now (36h, 7d, 2w)')
    .option('--driver <driver>', 'only this driver (mydrv, mydrv.sys): buckets as buckets --module picks them, the timeline as timeline --driver')
    .option('--by <period>', `the timeline's period: ${PERIODS.join(', ')} (default: chosen to fit)`)
    .option('--top <n>', 'how many buckets to list (default 5)')
    .option('--json', 'print the report as JSON (docs/json.md)'))
    .addHelpText('after', `
Examples:
  irpscope report --since 30d --html ticket-1234.html
  irpscope report --driver mydrv.sys --json > report.json`)
    .action(async (raw: unknown) => {
      const options = ReportOptions.parse(raw);
      const nowTicks = BigInt(Date.now()) * 10_000n + UNIX_EPOCH_TICKS;
      const q: ReportQuery = {
        sinceTicks: options.since === undefined ? null : parseSince(options.since),
        driverKey: parseDriverOption(options.driver),
        by: options.by === undefined ? null : parsePeriod(options.by),
        top: parseTop(options.top),
        nowTicks,
      };
      if (options.html === '') throw new UsageError('--html: expected a file name');
      await withStore(options.db, { mustExist: true }, (store) => {
        const report = buildReport(store.db, store.path, q);
        if (options.html !== undefined) {
          try {
            writeFileSync(options.html, renderReportHtml(report));
          } catch (error) {
            throw new FailureError(`${options.html}: cannot write the HTML report (${(error as Error).message})`);
          }
        }
        if (options.json) process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
        else process.stdout.write(renderReportText(report, chartWidth(process.stdout), chartCharset(), styler(colorWanted(process.stdout))));
        if (options.html !== undefined) process.stderr.write(`irpscope: wrote ${visible(options.html)}\n`);
      });
    });
}
