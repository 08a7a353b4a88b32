/** What the incident store knows about each audited code: how often it was seen, with which statuses, its last failure. */
import type { Connection } from '../../db/store.js';
import { selectIoctls, type StatusCount } from '../../db/queries/ioctls.js';
import { selectLastFailures, type IoctlFailure } from '../../db/queries/last.js';
import type { AuditRow } from './audit.js';

export interface CodeHistory {
  readonly occurrences: number;
  readonly statuses: readonly StatusCount[];
  readonly lastFailure: Pick<IoctlFailure, 'time' | 'status' | 'statusText' | 'driver' | 'source' | 'line'> | null;
}

export function historyOf(db: Connection, row: AuditRow): CodeHistory | null {
  if (!row.decoded) return null;
  const seen = selectIoctls(db, { code: row.decoded.value });
  const statuses = new Map<string, StatusCount>();
  for (const s of seen.flatMap((r) => r.statuses)) {
    const key = s.status ?? '';
    const before = statuses.get(key);
    statuses.set(key, before ? { ...before, count: before.count + s.count } : s);
  }
  const last = selectLastFailures(db, { code: row.decoded.value, limit: 1 })[0];
  return {
    occurrences: seen.reduce((n, r) => n + r.occurrences, 0),
    statuses: [...statuses.values()].sort((a, b) => b.count - a.count),
    lastFailure: last ? { time: last.time, status: last.status, statusText: last.statusText, driver: last.driver, source: last.source, line: last.line } : null,
  };
}
