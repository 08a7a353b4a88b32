/** "Which crashes, since when, with which bugcheck, in which module?" */
import type { Connection } from '../store.js';
import { hexCode, num, ticksText, timeOf } from './values.js';

export interface IncidentQuery {
  /** FILETIME ticks: incidents at or after (incidents without a time are left out when this is set). */
  readonly sinceTicks?: bigint | null;
  readonly bugcheck?: number | null;
  /** A bugcheck name instead of a code (DRIVER_IRQL_NOT_LESS_OR_EQUAL), matched without case. */
  readonly bugcheckName?: string | null;
  /** Matches MODULE_NAME or IMAGE_NAME by driver key (mydrv, mydrv.sys). */
  readonly moduleKey?: string | null;
  readonly limit?: number;
}

export interface IncidentSummary {
  readonly id: number;
  readonly time: string | null;
  readonly timeTicks: string | null;
  readonly code: string | null;
  readonly name: string | null;
  readonly args: readonly (string | null)[];
  readonly module: string | null;
  readonly image: string | null;
  readonly symbol: string | null;
  readonly failureBucket: string | null;
  readonly build: string | null;
  readonly driverVersion: string | null;
  readonly process: string | null;
  readonly source: string;
  readonly line: number;
}

export function incidentSummary(r: Record<string, unknown>): IncidentSummary {
  return {
    id: num(r.id),
    time: timeOf(r.time_ticks, r.time_text),
    timeTicks: ticksText(r.time_ticks),
    code: hexCode(r.bugcheck_code),
    name: r.name as string | null,
    args: [r.arg1, r.arg2, r.arg3, r.arg4] as (string | null)[],
    module: r.module as string | null,
    image: r.image as string | null,
    symbol: r.symbol as string | null,
    failureBucket: r.failure_bucket as string | null,
    build: r.os_build as string | null,
    driverVersion: r.driver_version as string | null,
    process: r.process as string | null,
    source: r.path as string,
    line: num(r.line),
  };
}

export function selectIncidents(db: Connection, q: IncidentQuery = {}): IncidentSummary[] {
  const where: string[] = [];
  if (q.sinceTicks !== undefined && q.sinceTicks !== null) where.push('i.time_ticks >= :since');
  if (q.bugcheck !== undefined && q.bugcheck !== null) where.push('i.bugcheck_code = :code');
  if (q.bugcheckName) where.push('upper(i.name) = upper(:name)');
  if (q.moduleKey) {
    where.push(`(lower(i.module) = :module OR lower(i.image) = :module OR lower(i.image) = :module || '.sys' OR lower(i.module) = :module || '.sys')`);
  }
  const rows = db.prepare(`
    SELECT i.*, s.path FROM incidents i JOIN sources s ON s.id = i.source_id
    ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
    ORDER BY i.time_ticks IS NULL, i.time_ticks DESC, i.id DESC
    LIMIT :limit`).all({ since: q.sinceTicks ?? null, code: q.bugcheck ?? null, name: q.bugcheckName ?? null, module: q.moduleKey ?? null, limit: q.limit ?? 100 }) as Record<string, unknown>[];
  return rows.map(incidentSummary);
}
