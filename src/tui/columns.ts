/**
 * The columns of each list view: title, width, which columns drop first on a narrow terminal (priority), the SQL
 * expression `F` counts, and how a stored value reads as a cell (decoded, control characters escaped). Pure: the
 * views draw these strings, the reducer counts the columns, the export writes the same cells.
 */
import { isoFromTicks } from '../../db/column-values.js';
import { decodeIoctlHere } from './decoding.js';
import { ntstatusName } from '../decode/ntstatus.js';
import { hex32 } from '../decode/names.js';
import { visible } from '../cli/terminal.js';
import { sep } from 'node:path';

type Values = Readonly<Record<string, unknown>>;

export interface ColumnSpec {
  readonly id: string;
  readonly title: string;
  /** Preferred width; a `flex` column takes what is left and shrinks to `min`. */
  readonly width: number;
  readonly min?: number;
  readonly flex?: boolean;
  /** Lower numbers stay longer: on a narrow terminal the highest priorities are dropped first. */
  readonly priority: number;
  readonly align?: 'right';
  /** What `F` counts for this column (an SQL expression over the view's tables); null: not countable. */
  readonly sql: string | null;
  /** The cell's text; `width` is the room it gets on screen (a bar scales to it), absent in exports. */
  readonly cell: (v: Values, width?: number) => string;
}

const text = (value: unknown): string => (value === null || value === undefined ? '' : visible(String(value)));
const big = (value: unknown): bigint | null => (value === null || value === undefined ? null : BigInt(value as bigint | number));
const code = (value: unknown): string => (value === null || value === undefined ? '' : hex32(Number(value)));

/** "2016-08-04 17:40:00" (the detail pane shows the full 100 ns). */
export function shortTime(ticks: unknown, printed: unknown): string {
  const t = big(ticks);
  if (t !== null) return isoFromTicks(t).slice(0, 19).replace('T', ' ');
  return text(printed);
}

/** The time of day to the 100 ns, for traces, where events are microseconds apart. */
function traceTime(ticks: unknown, printed: unknown): string {
  const t = big(ticks);
  if (t !== null) return isoFromTicks(t).slice(11, 27);
  return text(printed);
}

/** 100 ns ticks as a duration a person reads: 1.0 ms, 250 us, 61.9 s. */
export function duration(ticks: bigint): string {
  const us = Number(ticks) / 10;
  if (us < 1000) return `${us.toFixed(us < 10 ? 1 : 0)} us`;
  if (us < 1_000_000) return `${(us / 1000).toFixed(1)} ms`;
  return `${(us / 1_000_000).toFixed(1)} s`;
}

export const ioctlName = (value: unknown): string => {
  if (value === null || value === undefined) return '';
  const d = decodeIoctlHere(Number(value));
  return d.names[0]?.name ?? d.code;
};

const statusCell = (value: unknown): string => (value === null || value === undefined ? '' : (ntstatusName(Number(value)) ?? hex32(Number(value))));
const baseName = (path: unknown): string => text(String(path ?? '').replace(/^.*[\\/]/, ''));

/** A stored path as the user reads it: relative to the working folder when it lies inside it. */
export function displayPath(path: unknown, cwd = process.cwd()): string {
  const p = String(path ?? '');
  const base = cwd.endsWith(sep) ? cwd : `${cwd}${sep}`;
  return text(p.startsWith(base) ? p.slice(base.length) : p);
}

export const INCIDENT_COLUMNS: readonly ColumnSpec[] = [
  { id: 'id', title: 'id', width: 4, priority: 3, align: 'right', sql: null, cell: (v) => text(v.id) },
  { id: 'time', title: 'time', width: 19, priority: 2, sql: "coalesce(substr(i.time_text, 1, 10), 'no time')", cell: (v) => shortTime(v.time_ticks, v.time_text) },
  { id: 'code', title: 'code', width: 10, priority: 1, sql: "printf('0x%08X', i.bugcheck_code)", cell: (v) => code(v.bugcheck_code) },
  { id: 'name', title: 'bugcheck', width: 24, min: 16, flex: true, priority: 0, sql: 'i.name', cell: (v) => text(v.name) },
  { id: 'module', title: 'module', width: 12, priority: 1, sql: 'coalesce(i.module, i.image)', cell: (v) => text(v.module ?? v.image) },
  { id: 'ioctl', title: 'IOCTL', width: 24, priority: 2, sql: '(SELECT c.name FROM ioctl_occurrences o JOIN ioctl_codes c ON c.code = o.code WHERE o.incident_id = i.id ORDER BY o.line LIMIT 1)', cell: (v) => (v.ioctl === null ? '' : ioctlName(v.ioctl)) },
  { id: 'source', title: 'source', width: 30, priority: 4, sql: 's.path', cell: (v) => `${baseName(v.path)}:${text(v.line)}` },
];

export const IOCTL_COLUMNS: readonly ColumnSpec[] = [
  { id: 'code', title: 'code', width: 10, priority: 0, sql: "printf('0x%08X', n.code)", cell: (v) => code(v.code) },
  { id: 'name', title: 'name', width: 36, min: 14, flex: true, priority: 0, sql: '(SELECT c.name FROM ioctl_codes c WHERE c.code = n.code)', cell: (v) => (decodeIoctlHere(Number(v.code)).names[0]?.name ?? '-') },
  { id: 'driver', title: 'driver', width: 12, priority: 1, sql: "nullif(n.driver_key, '')", cell: (v) => text(v.driver_key) },
  { id: 'seen', title: 'seen', width: 7, priority: 1, align: 'right', sql: 'sum(n.occurrences)', cell: (v) => text(v.occurrences) },
  { id: 'failed', title: 'failed', width: 6, priority: 2, align: 'right', sql: null, cell: (v) => text(v.failed) },
  { id: 'statuses', title: 'statuses', width: 34, priority: 3, sql: null, cell: (v) => statusSummary(v.statuses) },
  { id: 'last', title: 'last seen', width: 19, priority: 4, sql: null, cell: (v) => shortTime(v.last_ticks, null) },
];

/** `[[status, count], ...]` (status -1: none printed) -> "STATUS_SUCCESS 5, STATUS_ACCESS_DENIED 2". */
export function statusSummary(json: unknown): string {
  if (typeof json !== 'string') return '';
  const pairs = (JSON.parse(json) as [number, number][]).sort((a, b) => b[1] - a[1] || a[0] - b[0]);
  return pairs.map(([s, n]) => `${s < 0 ? 'no status' : statusCell(s)} ${n}`).join(', ');
}

export const SOURCE_COLUMNS: readonly ColumnSpec[] = [
  { id: 'id', title: 'id', width: 4, priority: 2, align: 'right', sql: null, cell: (v) => text(v.id) },
  { id: 'path', title: 'file', width: 44, min: 16, flex: true, priority: 0, sql: 's.path', cell: (v) => displayPath(v.path) },
  { id: 'format', title: 'format', width: 13, priority: 1, sql: 's.format', cell: (v) => text(v.format) },
  { id: 'lines', title: 'lines', width: 8, priority: 3, align: 'right', sql: null, cell: (v) => text(v.line_count) },
  { id: 'records', title: 'records', width: 8, priority: 2, align: 'right', sql: null, cell: (v) => text(v.record_count) },
  { id: 'skipped', title: 'skipped', width: 7, priority: 0, align: 'right', sql: 's.skipped_count', cell: (v) => text(v.skipped_count) },
  { id: 'ingested', title: 'ingested', width: 19, priority: 4, sql: 'substr(s.ingested_at, 1, 10)', cell: (v) => text(String(v.ingested_at ?? '').slice(0, 19).replace('T', ' ')) },
];

/** The fields a trace row shows, read from the stored record (each format names them its own way). */
export interface TraceFields {
  readonly major: string | null;
  readonly ioctl: number | null;
  readonly status: number | null;
  readonly driver: string | null;
  readonly process: string | null;
}

export function traceFields(v: Values): TraceFields {
  const r = (typeof v.record === 'string' ? JSON.parse(v.record) : {}) as Record<string, unknown>;
  const hex = (x: unknown): number | null => (typeof x === 'string' && /^0x[0-9a-f]+$/i.test(x) ? Number.parseInt(x.slice(2), 16) : null);
  const control = r.control as { code?: string } | null | undefined;
  const ioctl = v.ioctl !== null && v.ioctl !== undefined ? Number(v.ioctl) : hex(r.fsctl) ?? hex(control?.code);
  const status = v.status !== null && v.status !== undefined ? Number(v.status) : hex(r.status);
  const major = (r.majorFunction as string | null | undefined) ?? (ioctl !== null ? (r.type === 'fileIo' || r.operation === 'FileSystemControl' ? 'IRP_MJ_FILE_SYSTEM_CONTROL' : null) : null);
  return { major, ioctl, status, driver: (v.driver as string | null) ?? (r.driver as string | null | undefined) ?? null, process: (v.process as string | null) ?? (r.process as string | null | undefined) ?? null };
}

/** Call -> this row: for the dispatch call of a completed request, its whole time to completion ("done in"). */
export function gapCell(v: Values): string {
  const call = big(v.call_ticks);
  const at = big(v.time_ticks);
  if (call === null || at === null) return '';
  if (at === call) {
    const done = big(v.done_ticks);
    return Number(v.completed) === 1 && done !== null ? `done ${duration(done - call)}` : 'open';
  }
  return `+${duration(at - call)}`;
}

const shortMajor = (m: string | null): string => (m ? m.replace(/^IRP_MJ_/, '') : '');

export const TRACE_COLUMNS: readonly ColumnSpec[] = [
  { id: 'line', title: 'line', width: 5, priority: 3, align: 'right', sql: null, cell: (v) => text(v.line) },
  { id: 'time', title: 'time', width: 16, priority: 1, sql: null, cell: (v) => traceTime(v.time_ticks, v.time_text) },
  { id: 'event', title: 'event', width: 24, min: 12, flex: true, priority: 0, sql: 'e.name', cell: (v) => text(v.name ?? v.type) },
  { id: 'major', title: 'IRP major', width: 18, priority: 1, sql: "json_extract(e.record, '$.majorFunction')", cell: (v) => shortMajor(traceFields(v).major) },
  { id: 'ioctl', title: 'IOCTL', width: 24, priority: 2, sql: "(SELECT printf('0x%08X', o.code) FROM ioctl_occurrences o WHERE o.source_id = e.source_id AND o.line = e.line LIMIT 1)", cell: (v) => ioctlName(traceFields(v).ioctl) },
  { id: 'status', title: 'status', width: 22, priority: 2, sql: "coalesce(printf('0x%08X', e.status), json_extract(e.record, '$.status'))", cell: (v) => statusCell(traceFields(v).status) },
  { id: 'gap', title: 'call->', width: 11, priority: 1, sql: null, cell: gapCell },
  { id: 'driver', title: 'driver', width: 12, priority: 4, sql: "coalesce(e.driver, json_extract(e.record, '$.driver'))", cell: (v) => text(traceFields(v).driver) },
  { id: 'process', title: 'process', width: 14, priority: 4, sql: 'e.process', cell: (v) => text(traceFields(v).process) },
  { id: 'irp', title: 'IRP', width: 18, priority: 5, sql: 'e.irp', cell: (v) => text(v.irp) },
];

/**
 * The columns that fit `width`: every column keeps its preferred width and a space between; columns are dropped
 * from the highest priority number down until the rest fit at their preferred widths; the flex column then takes
 * the room left over (down to its minimum when a single column is left).
 */
export function fitColumns(columns: readonly ColumnSpec[], width: number): { column: ColumnSpec; width: number }[] {
  const kept = [...columns];
  const need = (cs: readonly ColumnSpec[]): number => cs.reduce((n, c) => n + c.width, 0) + Math.max(0, cs.length - 1);
  while (kept.length > 1 && need(kept) > width) {
    const drop = kept.reduce((worst, c) => (c.priority >= worst.priority ? c : worst));
    kept.splice(kept.indexOf(drop), 1);
  }
  const fixed = kept.reduce((n, c) => n + (c.flex ? 0 : c.width), 0) + Math.max(0, kept.length - 1);
  const flex = kept.find((c) => c.flex);
  return kept.map((c) => ({ column: c, width: c === flex ? Math.max(c.min ?? 1, width - fixed) : Math.min(c.width, width) }));
}

/** Pads or cuts a cell to exactly `width` characters ("..." marks a cut). */
export function fit(cell: string, width: number, align: 'left' | 'right' = 'left'): string {
  const chars = [...cell];
  if (chars.length > width) return width <= 1 ? chars.slice(0, width).join('') : `${chars.slice(0, width - 1).join('')}~`;
  const pad = ' '.repeat(width - chars.length);
  return align === 'right' ? pad + cell : cell + pad;
}

/** Buckets: rows of db/queries/buckets.ts's `selectBuckets` (the signatures module's answer, not recomputed here). */
export const BUCKET_COLUMNS: readonly ColumnSpec[] = [
  { id: 'incidents', title: 'count', width: 5, priority: 0, align: 'right', sql: null, cell: (v) => text(v.incidents) },
  { id: 'signature', title: 'signature', width: 50, min: 20, flex: true, priority: 0, sql: null, cell: (v) => text(v.signature) },
  { id: 'module', title: 'module', width: 12, priority: 2, sql: null, cell: (v) => text(v.module) },
  { id: 'lastSeen', title: 'last seen', width: 19, priority: 3, sql: null, cell: (v) => text(typeof v.lastSeen === 'string' ? v.lastSeen.slice(0, 19).replace('T', ' ') : '') },
  { id: 'builds', title: 'builds', width: 6, priority: 4, align: 'right', sql: null, cell: (v) => text(v.builds) },
  { id: 'signatureId', title: 'id', width: 12, priority: 5, sql: null, cell: (v) => text(v.signatureId) },
];

/** Timeline: one row per period of db/queries/timeline.ts's series; `share` is count / the largest count. */
export const TIMELINE_COLUMNS: readonly ColumnSpec[] = [
  { id: 'period', title: 'period', width: 13, priority: 0, sql: null, cell: (v) => text(v.period) },
  { id: 'count', title: 'count', width: 8, priority: 0, align: 'right', sql: null, cell: (v) => text(v.count) },
  { id: 'bar', title: '', width: 40, min: 10, flex: true, priority: 1, sql: null, cell: (v, width) => '#'.repeat(Math.round(Number(v.share) * (width ?? 40))) },
];
