/**
 * "Is it getting worse?": counts per period (hour, day, ISO week, month, year, all UTC), empty periods included.
 *
 * One SQL GROUP BY on the tick column gives the periods that have rows; the axis between the two ends is filled in
 * here, so a quiet week shows as a zero instead of vanishing. Rows without a time cannot be placed on any axis: they
 * are counted apart (`untimed`) and every renderer says how many, never dropping them silently.
 */
import type { Connection } from '../store.js';
import { UNIX_EPOCH_TICKS } from '../column-values.js';
import { num } from './values.js';

export const PERIODS = ['hour', 'day', 'week', 'month', 'year'] as const;
export type Period = (typeof PERIODS)[number];

/** An hourly axis over ten years is 87 600 rows nobody reads; past this the caller must choose a coarser period. */
export const MAX_PERIODS = 10_000;

export interface TimelineQuery {
  readonly by: Period;
  /** Count the failures (failed = 1) of this IOCTL code instead of incidents. */
  readonly ioctl?: number | null;
  /** Incidents whose module or image is this driver; occurrences whose driver_key is it. */
  readonly driverKey?: string | null;
  /** Only incidents in this bucket (incident_signatures.signature_id); with `ioctl`, occurrences of those incidents. */
  readonly signatureId?: string | null;
  /** FILETIME ticks, inclusive. */
  readonly sinceTicks?: bigint | null;
  /** FILETIME ticks, inclusive. */
  readonly untilTicks?: bigint | null;
  /** Where the axis ends when --since is given without --until (the present); tests pass a fixed one. */
  readonly nowTicks?: bigint;
}

export interface TimelinePoint {
  /** The period's name: 2024-05-01T10 (hour), 2024-05-01 (day), 2020-W53 (ISO week), 2024-05 (month), 2024 (year). */
  readonly period: string;
  /** The first instant of the period, ISO 8601 UTC. */
  readonly start: string;
  /** The first instant of the next period (exclusive end). */
  readonly end: string;
  readonly count: number;
}

export interface Timeline {
  readonly by: Period;
  readonly counting: 'incidents' | 'ioctl-failures';
  /** Rows that matched the filters and have a time: the sum of the series. */
  readonly counted: number;
  /** Rows that matched the filters (other than --since/--until) but carry no time: not on the axis. */
  readonly untimed: number;
  /** Rows whose time lies past 9999-12-31 (a garbage clock value in a trace): no calendar holds them. */
  readonly outOfRange: number;
  readonly series: readonly TimelinePoint[];
}

export class TimelineTooLongError extends Error {
  constructor(
    readonly by: Period,
    readonly periods: number,
    /** The finest coarser period whose axis fits, or null when even years do not (a range past 10 000 years). */
    readonly suggestion: { readonly by: Period; readonly periods: number } | null,
  ) {
    super(`--by ${by} would draw ${periods} periods, more than ${MAX_PERIODS}${suggestion ? `: use --by ${suggestion.by} (${suggestion.periods} periods)` : ''} or narrow the range with --since/--until`);
  }
}

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

/** ms since 1970 -> ISO with a Z; years before 1000 keep four digits (FILETIME starts in 1601, so they do not occur). */
const isoOf = (ms: number): string => new Date(ms).toISOString().replace('.000Z', 'Z');

/** The start (ms since 1970, UTC) of the period holding `ms`. Weeks are ISO weeks: they start on Monday. */
export function periodStart(by: Period, ms: number): number {
  const d = new Date(ms);
  switch (by) {
    case 'hour':
      return Math.floor(ms / HOUR_MS) * HOUR_MS;
    case 'day':
      return Math.floor(ms / DAY_MS) * DAY_MS;
    case 'week': {
      const day = Math.floor(ms / DAY_MS) * DAY_MS;
      // getUTCDay: 0 Sunday .. 6 Saturday; days back to Monday: Sunday 6, Monday 0, Tuesday 1...
      return day - ((new Date(day).getUTCDay() + 6) % 7) * DAY_MS;
    }
    case 'month':
      return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1);
    case 'year':
      return Date.UTC(d.getUTCFullYear(), 0, 1);
  }
}

/** The start of the period after the one starting at `start`. */
export function nextPeriod(by: Period, start: number): number {
  const d = new Date(start);
  switch (by) {
    case 'hour':
      return start + HOUR_MS;
    case 'day':
      return start + DAY_MS;
    case 'week':
      return start + 7 * DAY_MS;
    case 'month':
      return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1);
    case 'year':
      return Date.UTC(d.getUTCFullYear() + 1, 0, 1);
  }
}

/** ISO 8601 week-numbering: the week belongs to the year of its Thursday; week 1 holds the year's first Thursday. */
export function isoWeekOf(monday: number): { year: number; week: number } {
  const thursday = new Date(monday + 3 * DAY_MS);
  const year = thursday.getUTCFullYear();
  const firstThursdayOffset = Math.floor((thursday.getTime() - Date.UTC(year, 0, 1)) / DAY_MS);
  return { year, week: Math.floor(firstThursdayOffset / 7) + 1 };
}

export function periodName(by: Period, start: number): string {
  const iso = isoOf(start);
  switch (by) {
    case 'hour':
      return iso.slice(0, 13);
    case 'day':
      return iso.slice(0, 10);
    case 'week': {
      const { year, week } = isoWeekOf(start);
      return `${year}-W${String(week).padStart(2, '0')}`;
    }
    case 'month':
      return iso.slice(0, 7);
    case 'year':
      return iso.slice(0, 4);
  }
}

/** How many periods from the one holding `fromMs` to the one holding `toMs`, both included; computed, not walked. */
export function periodCount(by: Period, fromMs: number, toMs: number): number {
  const a = periodStart(by, fromMs);
  const b = periodStart(by, toMs);
  if (b < a) return 0;
  const da = new Date(a);
  const db = new Date(b);
  switch (by) {
    case 'hour':
      return (b - a) / HOUR_MS + 1;
    case 'day':
      return Math.round((b - a) / DAY_MS) + 1;
    case 'week':
      return Math.round((b - a) / (7 * DAY_MS)) + 1;
    case 'month':
      return (db.getUTCFullYear() - da.getUTCFullYear()) * 12 + db.getUTCMonth() - da.getUTCMonth() + 1;
    case 'year':
      return db.getUTCFullYear() - da.getUTCFullYear() + 1;
  }
}

export const msOfTicks = (ticks: bigint): number => Number((ticks - UNIX_EPOCH_TICKS) / 10_000n) - (ticks < UNIX_EPOCH_TICKS && (ticks - UNIX_EPOCH_TICKS) % 10_000n !== 0n ? 1 : 0);

/**
 * SQL counts rows per hour (for --by hour) or per day (every coarser period): an integer division of the ticks,
 * exact because ticks are positive and FILETIME's 1601-01-01 starts a UTC day. The days are then gathered into
 * weeks, months and years by periodStart. Formatting a date per row in SQL (strftime) cost 0.6 s on 1 M incidents.
 */
const TICKS_PER_HOUR = 36_000_000_000n;
const TICKS_PER_DAY = 864_000_000_000n;

interface Counted {
  readonly byStart: Map<number, number>;
  readonly untimed: number;
  readonly outOfRange: number;
}

/** 9999-12-31T23:59:59.9999999Z: SQLite's date functions (and ISO 8601's four-digit years) end there. */
export const LAST_CALENDAR_TICKS = BigInt(Date.UTC(9999, 11, 31, 23, 59, 59, 999)) * 10_000n + UNIX_EPOCH_TICKS + 9_999n;

function countRows(db: Connection, q: TimelineQuery): Counted {
  const where: string[] = [];
  let table: string;
  let column: string;
  if (q.ioctl !== undefined && q.ioctl !== null) {
    table = 'ioctl_occurrences o';
    column = 'o.time_ticks';
    where.push('o.code = :code', 'o.failed = 1');
    if (q.driverKey) where.push('o.driver_key = :driver');
    if (q.signatureId) where.push('o.incident_id IN (SELECT incident_id FROM incident_signatures WHERE signature_id = :sig)');
  } else {
    table = 'incidents i';
    column = 'i.time_ticks';
    if (q.driverKey) where.push(`(lower(i.module) = :driver OR lower(i.image) = :driver OR lower(i.image) = :driver || '.sys' OR lower(i.module) = :driver || '.sys')`);
    if (q.signatureId) where.push('i.id IN (SELECT incident_id FROM incident_signatures WHERE signature_id = :sig)');
  }
  // Untimed rows are outside any --since/--until, but they matched everything else: they are what is left out.
  const range: string[] = [];
  if (q.sinceTicks !== undefined && q.sinceTicks !== null) range.push(`${column} >= :since`);
  if (q.untilTicks !== undefined && q.untilTicks !== null) range.push(`${column} <= :until`);
  const unitTicks = q.by === 'hour' ? TICKS_PER_HOUR : TICKS_PER_DAY;
  const timed = `${column} IS NOT NULL${range.map((r) => ` AND ${r}`).join('')}`;
  const rows = db.prepare(`
    SELECT CASE WHEN ${column} IS NULL THEN NULL WHEN ${column} > :last THEN -1 ELSE ${column} / :unit END AS unit, count(*) AS n
    FROM ${table}
    WHERE ${[...where, `(${column} IS NULL OR (${timed}))`].join(' AND ')}
    GROUP BY 1`).all({
    code: q.ioctl ?? null, driver: q.driverKey ?? null, sig: q.signatureId ?? null,
    since: q.sinceTicks ?? null, until: q.untilTicks ?? null, last: LAST_CALENDAR_TICKS, unit: unitTicks,
  }) as { unit: bigint | null; n: bigint }[];
  const byStart = new Map<number, number>();
  let untimed = 0;
  let outOfRange = 0;
  for (const row of rows) {
    if (row.unit === null) untimed += num(row.n);
    else if (row.unit < 0n) outOfRange += num(row.n);
    else {
      const start = periodStart(q.by, msOfTicks(row.unit * unitTicks));
      byStart.set(start, (byStart.get(start) ?? 0) + num(row.n));
    }
  }
  return { byStart, untimed, outOfRange };
}

/** The finest period coarser than `by` whose axis over the range fits, for the error's suggestion. */
function coarser(by: Period, fromMs: number, toMs: number): { by: Period; periods: number } | null {
  for (const p of PERIODS.slice(PERIODS.indexOf(by) + 1)) {
    const periods = periodCount(p, fromMs, toMs);
    if (periods <= MAX_PERIODS) return { by: p, periods };
  }
  return null;
}

/** Fills the axis from the period holding `fromMs` to the one holding `toMs`, zero where nothing was counted. */
export function fillSeries(by: Period, byStart: ReadonlyMap<number, number>, fromMs: number, toMs: number): TimelinePoint[] {
  const periods = periodCount(by, fromMs, toMs);
  if (periods > MAX_PERIODS) throw new TimelineTooLongError(by, periods, coarser(by, fromMs, toMs));
  const series: TimelinePoint[] = [];
  for (let start = periodStart(by, fromMs), last = periodStart(by, toMs); start <= last; ) {
    const end = nextPeriod(by, start);
    series.push({ period: periodName(by, start), start: isoOf(start), end: isoOf(end), count: byStart.get(start) ?? 0 });
    start = end;
  }
  return series;
}

/**
 * The series. The axis runs from --since (else the first counted period) to --until (else, when --since was given,
 * the present: "since 7d" shows the quiet days up to now; else the last counted period).
 */
export function selectTimeline(db: Connection, q: TimelineQuery): Timeline {
  const counting = q.ioctl !== undefined && q.ioctl !== null ? 'ioctl-failures' : 'incidents';
  const { byStart, untimed, outOfRange } = countRows(db, q);
  const starts = [...byStart.keys()].sort((a, b) => a - b);
  const counted = [...byStart.values()].reduce((a, b) => a + b, 0);
  const since = q.sinceTicks ?? null;
  const until = q.untilTicks ?? (since !== null ? (q.nowTicks ?? BigInt(Date.now()) * 10_000n + UNIX_EPOCH_TICKS) : null);
  const fromMs = since !== null ? msOfTicks(since) : starts[0];
  const toMs = until !== null ? msOfTicks(until) : starts[starts.length - 1];
  const series = fromMs === undefined || toMs === undefined ? [] : fillSeries(q.by, byStart, fromMs, toMs);
  return { by: q.by, counting, counted, untimed, outOfRange, series };
}
