/**
 * "Which buckets hurt most?": signatures by incident count, with first and last seen and the newest incident, and
 * the IOCTLs their incidents carried. Read from incident_signatures (migration 3's contract), whoever filled it.
 */
import type { Connection } from '../store.js';
import { hexCode, num, timeOf } from './values.js';

export interface BucketScope {
  /** FILETIME ticks: only incidents at or after (untimed incidents are then out of scope). */
  readonly sinceTicks?: bigint | null;
  /** Incidents whose module or image is this driver. */
  readonly driverKey?: string | null;
}

export interface NewestIncident {
  readonly id: number;
  readonly time: string | null;
  readonly code: string | null;
  readonly name: string | null;
  readonly module: string | null;
  readonly source: string;
  readonly line: number;
}

export interface TopBucket {
  readonly signatureId: string;
  readonly signature: string;
  readonly incidents: number;
  /** Incidents of the bucket without a time (first/last seen cannot include them). */
  readonly untimed: number;
  readonly firstSeen: string | null;
  readonly lastSeen: string | null;
  readonly newest: NewestIncident;
}

export interface BucketIoctl {
  readonly code: number;
  /** Occurrences of the code in the bucket's incidents. */
  readonly occurrences: number;
  /** The drivers it was sent to, as printed, by key (mydrv), sorted. */
  readonly driverKeys: readonly string[];
}

function scopeSql(q: BucketScope): string {
  const where: string[] = [];
  if (q.sinceTicks !== undefined && q.sinceTicks !== null) where.push('i.time_ticks >= :since');
  if (q.driverKey) where.push(`(lower(i.module) = :driver OR lower(i.image) = :driver OR lower(i.image) = :driver || '.sys' OR lower(i.module) = :driver || '.sys')`);
  return where.length ? `WHERE ${where.join(' AND ')}` : '';
}

const params = (q: BucketScope) => ({ since: q.sinceTicks ?? null, driver: q.driverKey ?? null });

export function selectTopBuckets(db: Connection, q: BucketScope & { readonly limit?: number } = {}): TopBucket[] {
  const rows = db.prepare(`
    WITH scoped AS (
      SELECT s.signature_id, s.signature, i.id, i.time_ticks,
        row_number() OVER (PARTITION BY s.signature_id ORDER BY i.time_ticks IS NULL, i.time_ticks DESC, i.id DESC) AS rank
      FROM incident_signatures s JOIN incidents i ON i.id = s.incident_id
      ${scopeSql(q)}
    ), buckets AS (
      SELECT signature_id, min(signature) AS signature, count(*) AS n, sum(time_ticks IS NULL) AS untimed,
        min(time_ticks) AS first_ticks, max(time_ticks) AS last_ticks, max(CASE WHEN rank = 1 THEN id END) AS newest
      FROM scoped GROUP BY signature_id
    )
    SELECT b.*, i.time_ticks, i.time_text, i.bugcheck_code, i.name, i.module, i.image, i.line, src.path
    FROM buckets b JOIN incidents i ON i.id = b.newest JOIN sources src ON src.id = i.source_id
    ORDER BY b.n DESC, b.last_ticks IS NULL, b.last_ticks DESC, b.signature_id
    LIMIT :limit`).all({ ...params(q), limit: q.limit ?? 10 }) as Record<string, unknown>[];
  return rows.map((r) => ({
    signatureId: r.signature_id as string,
    signature: r.signature as string,
    incidents: num(r.n),
    untimed: num(r.untimed),
    firstSeen: timeOf(r.first_ticks, null),
    lastSeen: timeOf(r.last_ticks, null),
    newest: {
      id: num(r.newest),
      time: timeOf(r.time_ticks, r.time_text),
      code: hexCode(r.bugcheck_code),
      name: r.name as string | null,
      module: (r.module ?? r.image) as string | null,
      source: r.path as string,
      line: num(r.line),
    },
  }));
}

/** The IOCTLs the bucket's incidents (in scope) carried, most frequent first. */
export function selectBucketIoctls(db: Connection, signatureId: string, q: BucketScope = {}): BucketIoctl[] {
  const rows = db.prepare(`
    SELECT o.code, count(*) AS n, json_group_array(DISTINCT o.driver_key) AS drivers
    FROM ioctl_occurrences o
    WHERE o.incident_id IN (SELECT i.id FROM incident_signatures s JOIN incidents i ON i.id = s.incident_id ${scopeSql(q) || 'WHERE 1'} AND s.signature_id = :sig)
    GROUP BY o.code ORDER BY n DESC, o.code`).all({ ...params(q), sig: signatureId }) as Record<string, unknown>[];
  return rows.map((r) => ({
    code: num(r.code),
    occurrences: num(r.n),
    driverKeys: (JSON.parse(r.drivers as string) as (string | null)[]).filter((d): d is string => d !== null).sort(),
  }));
}
