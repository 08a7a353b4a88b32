/** "Every IOCTL seen, decoded, with counts, first and last seen, statuses", read from the running totals. */
import { ntstatusName } from '../../src/decode/ntstatus.js';
import type { Connection } from '../store.js';
import { hexCode, num, ticksText, timeOf } from './values.js';

export interface IoctlQuery {
  readonly driverKey?: string | null;
  readonly code?: number | null;
}

export interface StatusCount {
  /** null: the occurrences whose source gave no status. */
  readonly status: string | null;
  readonly name: string | null;
  readonly count: number;
}

export interface IoctlSeen {
  readonly code: string;
  readonly name: string | null;
  readonly names: readonly string[];
  readonly deviceType: string;
  readonly deviceTypeName: string | null;
  readonly function: number;
  readonly method: string;
  readonly access: string;
  readonly driver: string | null;
  readonly occurrences: number;
  readonly firstSeen: string | null;
  readonly lastSeen: string | null;
  readonly firstSeenTicks: string | null;
  readonly lastSeenTicks: string | null;
  readonly statuses: readonly StatusCount[];
}

export function selectIoctls(db: Connection, q: IoctlQuery = {}): IoctlSeen[] {
  const where: string[] = [];
  if (q.driverKey) where.push('n.driver_key = :driver');
  if (q.code !== undefined && q.code !== null) where.push('n.code = :code');
  const rows = db.prepare(`
    SELECT n.code, n.driver_key, min(nullif(n.driver, '')) AS driver, sum(n.occurrences) AS occurrences, min(n.first_ticks) AS first_ticks, max(n.last_ticks) AS last_ticks,
      json_group_array(json_array(n.status, n.occurrences)) AS statuses,
      -- One ioctl_codes row per code: min() only names its columns in a way both SQLite and PostgreSQL accept.
      min(c.name) AS name, min(c.names) AS names, min(c.device_type) AS device_type, min(c.device_type_name) AS device_type_name,
      min(c.function) AS function, min(c.method) AS method, min(c.access) AS access
    FROM ioctl_counts n JOIN ioctl_codes c ON c.code = n.code
    ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
    GROUP BY n.code, n.driver_key
    ORDER BY sum(n.occurrences) DESC, n.code, n.driver_key`).all({ driver: q.driverKey ?? null, code: q.code ?? null }) as Record<string, unknown>[];
  return rows.map((r) => {
    const statuses = (JSON.parse(r.statuses as string) as [number, number][])
      .map(([status, count]) => ({ status: status < 0 ? null : hexCode(status), name: status < 0 ? null : ntstatusName(status), count }))
      .sort((a, b) => b.count - a.count || (a.status ?? '').localeCompare(b.status ?? ''));
    return {
      code: hexCode(r.code)!,
      name: r.name as string | null,
      names: (JSON.parse(r.names as string) as { name: string }[]).map((n) => n.name),
      deviceType: `0x${num(r.device_type).toString(16).toUpperCase().padStart(4, '0')}`,
      deviceTypeName: r.device_type_name as string | null,
      function: num(r.function),
      method: r.method as string,
      access: r.access as string,
      driver: r.driver as string | null,
      occurrences: num(r.occurrences),
      firstSeen: timeOf(r.first_ticks, null),
      lastSeen: timeOf(r.last_ticks, null),
      firstSeenTicks: ticksText(r.first_ticks),
      lastSeenTicks: ticksText(r.last_ticks),
      statuses,
    };
  });
}

export interface DriverCount {
  readonly driver: string | null;
  readonly codes: number;
  readonly occurrences: number;
}

/** IOCTL occurrences per driver (the running totals, so this never scans the occurrences). */
export function countByDriver(db: Connection): DriverCount[] {
  const rows = db.prepare(`SELECT driver_key, min(nullif(driver, '')) AS driver, count(DISTINCT code) AS codes, sum(occurrences) AS occurrences
    FROM ioctl_counts GROUP BY driver_key ORDER BY sum(occurrences) DESC, driver_key`).all() as Record<string, unknown>[];
  return rows.map((r) => ({ driver: r.driver as string | null, codes: num(r.codes), occurrences: num(r.occurrences) }));
}
