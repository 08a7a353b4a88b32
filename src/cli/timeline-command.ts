/** `irpscope timeline`: incidents (or one IOCTL's failures) per hour, day, ISO week, month or year, gaps as zero. */
import type { Command } from 'commander';
import { z } from 'zod';
import { PERIODS, selectTimeline, TimelineTooLongError, type Period, type Timeline, type TimelinePoint } from '../../db/queries/timeline.js';
import { BucketLookupError, findBucket, type BucketRef } from '../../db/queries/bucket-lookup.js';
import { driverKey, isoFromTicks, UNIX_EPOCH_TICKS } from '../../db/column-values.js';
import type { Connection } from '../../db/store.js';
import { lookup, parseNumber } from '../decode/lookup.js';
import { CatalogError, loadCatalog } from '../decode/catalog.js';
import type { NameCatalog } from '../decode/catalog-names.js';
import { defaultCatalogPath } from '../locations.js';
import { hex32 } from '../records/index.js';
import { parseSince } from './incidents-command.js';
import { colorWanted, styler, visible } from './terminal.js';
import { addDatabaseOption, outputMode, withStore } from './store-options.js';
import { renderCsv, type Column } from './render-table.js';
import { chartCharset, chartWidth, renderBars } from './render-bars.js';
import { FailureError, UsageError } from './errors.js';

/** What the filters resolved to, as every rendering (and the report) states them. */
export interface TimelineScope {
  readonly bucket: BucketRef | null;
  readonly ioctl: string | null;
  readonly driver: string | null;
  readonly since: string | null;
  readonly until: string | null;
}

export interface TimelineAnswer extends Timeline {
  readonly version: 1;
  readonly filters: TimelineScope;
}

export const TIMELINE_COLUMNS: Column<TimelinePoint>[] = [
  { key: 'period', title: 'period', value: (p) => p.period },
  { key: 'start', title: 'start', value: (p) => p.start },
  { key: 'end', title: 'end', value: (p) => p.end },
  { key: 'count', title: 'count', value: (p) => p.count, numeric: true },
];

/** --until: a plain date means through the end of that day; a time or span (2d = two days ago) is the instant. */
export function parseUntil(text: string, now = Date.now()): bigint {
  if (/^\d{4}-\d{2}-\d{2}$/.test(text.trim())) {
    const start = parseSince(text, now);
    return start + 24n * 3600n * 10_000_000n - 1n;
  }
  try {
    return parseSince(text, now);
  } catch {
    throw new UsageError(`--until: expected a date (2024-05-31, through the end of that day), a UTC time (2024-05-31T18:00:00Z) or a span back from now (36h, 7d, 2w), got ${JSON.stringify(text)}`);
  }
}

export function parsePeriod(text: string): Period {
  const by = text.trim().toLowerCase();
  if (!(PERIODS as readonly string[]).includes(by)) throw new UsageError(`--by: expected one of ${PERIODS.join(', ')}, got ${JSON.stringify(text)}`);
  return by as Period;
}

/** --ioctl takes a code as WinDbg prints it (0x222004, 222004, 0n2236420) or a name from the headers or the catalog. */
export function parseIoctlOption(text: string, catalogPath = defaultCatalogPath()): number {
  // The private catalog is read only for a name: a number needs no names, and a damaged catalog must not stop it.
  const byNumber = parseNumber(text);
  let catalog: NameCatalog | undefined;
  if (!byNumber.ok) {
    try {
      catalog = loadCatalog(catalogPath);
    } catch (error) {
      if (error instanceof CatalogError) throw new FailureError(`--ioctl ${text}: ${error.message}`);
      throw error;
    }
  }
  const found = lookup(text, catalog ? { as: 'ioctl', catalog } : { as: 'ioctl' });
  if (!found.ok) throw new UsageError(`--ioctl: ${found.reason}`);
  return found.decoding.value;
}

export function parseDriverOption(text: string | undefined): string | null {
  if (text === undefined) return null;
  const key = driverKey(text);
  if (key === null) throw new UsageError('--driver: expected a driver name such as mydrv.sys');
  return key;
}

export function resolveBucket(db: Connection, text: string | undefined): BucketRef | null {
  if (text === undefined) return null;
  try {
    return findBucket(db, text);
  } catch (error) {
    if (error instanceof BucketLookupError) throw new UsageError(error.message);
    throw error;
  }
}

const nowTicks = (): bigint => BigInt(Date.now()) * 10_000n + UNIX_EPOCH_TICKS;

export function timelineOrUsage(run: () => Timeline): Timeline {
  try {
    return run();
  } catch (error) {
    if (error instanceof TimelineTooLongError) throw new UsageError(error.message);
    throw error;
  }
}

const noun = (t: Timeline, n: number): string =>
  t.counting === 'incidents' ? (n === 1 ? 'incident' : 'incidents') : n === 1 ? 'IOCTL failure' : 'IOCTL failures';

/** The line every human rendering ends with when rows were left off the axis: never a silent drop. */
export function untimedNote(t: Timeline): string | null {
  const notes: string[] = [];
  if (t.untimed > 0) notes.push(`${t.untimed} ${noun(t, t.untimed)} without a time ${t.untimed === 1 ? 'is' : 'are'} not on the chart (irpscope incidents lists them)`);
  if (t.outOfRange > 0) notes.push(`${t.outOfRange} ${noun(t, t.outOfRange)} with a time past 9999-12-31 ${t.outOfRange === 1 ? 'is' : 'are'} not on the chart (a garbage clock value in the source)`);
  return notes.length === 0 ? null : notes.join('\n');
}

export function renderTimelineText(answer: TimelineAnswer, width: number, charset: 'unicode' | 'ascii', bold: (s: string) => string = (s) => s): string {
  const f = answer.filters;
  const scope = [
    f.bucket ? `bucket ${f.bucket.signatureId}` : null,
    f.ioctl ? `IOCTL ${f.ioctl}` : null,
    f.driver ? `driver ${f.driver}` : null,
  ].filter((s) => s !== null);
  const what = `${answer.counting === 'incidents' ? 'incidents' : 'IOCTL failures'}${scope.length ? ` (${scope.join(', ')})` : ''} per ${answer.by}, UTC`;
  const lines: string[] = [];
  if (answer.series.length === 0) {
    lines.push(`${visible(what)}: nothing with a time matches`);
  } else {
    const first = answer.series[0]!.period;
    const last = answer.series[answer.series.length - 1]!.period;
    lines.push(bold(`${visible(what)}: ${first} .. ${last}, ${answer.counted} counted`));
  }
  const note = untimedNote(answer);
  return `${lines.join('\n')}\n${renderBars(answer.series.map((p) => ({ label: p.period, count: p.count })), width, charset)}${note ? `${note}\n` : ''}`;
}

const TimelineOptions = z.object({
  by: z.string().default('day'),
  bucket: z.string().optional(),
  ioctl: z.string().optional(),
  driver: z.string().optional(),
  since: z.string().optional(),
  until: z.string().optional(),
  db: z.string().optional(),
  json: z.boolean().optional(),
  csv: z.boolean().optional(),
});

export function registerTimeline(program: Command): void {
  addDatabaseOption(program
    .command('timeline')
    .summary('incidents or IOCTL failures per hour/day/week/month/year, as a bar chart or a series')
    .description(`How many incidents (or, with --ioctl, failures of that IOCTL) fell in each
period, empty periods shown as zero. Periods are UTC; weeks are ISO 8601 weeks,
Monday to Sunday, named like 2020-W53. The axis runs from --since (else the
first period with a count) to --until (else now when --since is given, else the
last period with a count). Rows without a time cannot be placed: how many were
left out is printed, never dropped silently. At most 10000 periods: a longer
axis is refused, naming a coarser --by that fits.
The chart uses Unicode blocks when the locale (LC_ALL, LC_CTYPE, LANG) says
UTF-8, and # otherwise or with NO_COLOR. It is as wide as the terminal; when
the output is not a terminal, $COLUMNS or 80 columns wide.`)
    .option('--by <period>', `the period: ${PERIODS.join(', ')}`, 'day')
    .option('--bucket <signature>', 'only incidents in this bucket: a signature id, a unique prefix of one (4+ hex digits), or the whole signature')
    .option('--ioctl <code>', 'count the failures of this IOCTL instead: a code (0x222004, 222004, 0n2236420) or a name (IOCTL_STORAGE_QUERY_PROPERTY)')
    .option('--driver <driver>', 'only incidents in this module/image, or IOCTL failures of this driver (mydrv, mydrv.sys)')
    .option('--since <when>', 'from a date (2024-05-01), a UTC time, or a span back from now (36h, 7d, 2w)')
    .option('--until <when>', 'through a date (2024-05-31, the whole day), a UTC time, or a span back from now')
    .option('--json', 'print the series with its filters and the count left out (docs/json.md)')
    .option('--csv', 'print the series as CSV: period,start,end,count'))
    .addHelpText('after', `
Examples:
  irpscope timeline --by week --driver mydrv.sys
  irpscope timeline --ioctl IOCTL_STORAGE_QUERY_PROPERTY --by month --json
  irpscope timeline --bucket 3f2a9c01b7de --since 2024-01-01 --until 2024-06-30 --csv > bucket.csv`)
    .action(async (raw: unknown) => {
      const options = TimelineOptions.parse(raw);
      const mode = outputMode(options);
      const by = parsePeriod(options.by);
      const ioctl = options.ioctl === undefined ? null : parseIoctlOption(options.ioctl);
      const driver = parseDriverOption(options.driver);
      const since = options.since === undefined ? null : parseSince(options.since);
      const until = options.until === undefined ? null : parseUntil(options.until);
      if (since !== null && until !== null && until < since) throw new UsageError(`--until (${isoFromTicks(until)}) is before --since (${isoFromTicks(since)})`);
      await withStore(options.db, { mustExist: true }, (store) => {
        const bucket = resolveBucket(store.db, options.bucket);
        const timeline = timelineOrUsage(() => selectTimeline(store.db, { by, ioctl, driverKey: driver, signatureId: bucket?.signatureId ?? null, sinceTicks: since, untilTicks: until, nowTicks: nowTicks() }));
        const answer: TimelineAnswer = {
          version: 1,
          by: timeline.by,
          counting: timeline.counting,
          filters: { bucket, ioctl: ioctl === null ? null : hex32(BigInt(ioctl)), driver, since: since === null ? null : isoFromTicks(since), until: until === null ? null : isoFromTicks(until) },
          counted: timeline.counted,
          untimed: timeline.untimed,
          outOfRange: timeline.outOfRange,
          series: timeline.series,
        };
        if (mode === 'json') process.stdout.write(`${JSON.stringify(answer, null, 2)}\n`);
        else if (mode === 'csv') {
          process.stdout.write(renderCsv(answer.series, TIMELINE_COLUMNS));
          const note = untimedNote(answer);
          if (note) process.stderr.write(`${note.split('\n').map((l) => `irpscope: ${l}`).join('\n')}\n`);
        } else {
          const style = styler(colorWanted(process.stdout));
          process.stdout.write(renderTimelineText(answer, chartWidth(process.stdout), chartCharset(), style.bold));
        }
      });
    });
}
