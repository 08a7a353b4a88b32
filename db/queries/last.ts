/** "When did this IOCTL last fail, with what status, on which build?" */
import type { Connection } from '../store.js';
import { hexCode, num, numOrNull, ticksText, timeOf } from './values.js';

export interface LastQuery {
  readonly code: number;
  readonly driverKey?: string | null;
  /** An exact status: every occurrence with it, failed or not. Without it: the failures (NT_ERROR or in a crash). */
  readonly status?: number | null;
  readonly limit?: number;
}

export interface IoctlFailure {
  readonly occurrence: number;
  readonly code: string;
  readonly name: string | null;
  readonly driver: string | null;
  readonly status: string | null;
  readonly statusText: string | null;
  readonly time: string | null;
  readonly timeTicks: string | null;
  readonly timeFrom: 'source' | 'incident' | null;
  readonly build: string | null;
  readonly driverVersion: string | null;
  readonly process: string | null;
  readonly via: string;
  readonly irp: string | null;
  readonly incident: number | null;
  readonly source: string;
  readonly line: number;
}

export function selectLastFailures(db: Connection, q: LastQuery): IoctlFailure[] {
  const where = ['o.code = :code'];
  if (q.status !== undefined && q.status !== null) where.push('o.status = :status');
  else where.push('o.failed = 1');
  if (q.driverKey) where.push('o.driver_key = :driver');
  // Written so the partial index (code, driver_key, time_ticks) WHERE failed = 1 serves the newest-first walk.
  const rows = db.prepare(`
    SELECT o.id, o.code, c.name, o.driver, o.status, o.status_text, o.time_ticks, o.time_text, o.time_from, i.os_build, i.driver_version,
      o.process, o.via, o.irp, o.incident_id, s.path, o.line
    FROM ioctl_occurrences o
    JOIN sources s ON s.id = o.source_id
    LEFT JOIN incidents i ON i.id = o.incident_id
    LEFT JOIN ioctl_codes c ON c.code = o.code
    WHERE ${where.join(' AND ')}
    ORDER BY o.time_ticks DESC, o.id DESC
    LIMIT :limit`).all({ code: q.code, status: q.status ?? null, driver: q.driverKey ?? null, limit: q.limit ?? 100 }) as Record<string, unknown>[];
  return rows.map((r) => ({
    occurrence: num(r.id),
    code: hexCode(r.code)!,
    name: r.name as string | null,
    driver: r.driver as string | null,
    status: hexCode(r.status),
    statusText: r.status_text as string | null,
    time: timeOf(r.time_ticks, r.time_text),
    timeTicks: ticksText(r.time_ticks),
    timeFrom: r.time_from as IoctlFailure['timeFrom'],
    build: r.os_build as string | null,
    driverVersion: r.driver_version as string | null,
    process: r.process as string | null,
    via: r.via as string,
    irp: r.irp as string | null,
    incident: numOrNull(r.incident_id),
    source: r.path as string,
    line: num(r.line),
  }));
}
