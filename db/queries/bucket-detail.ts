/**
 * "What else does the report say about a bucket?": its newest incident in brief, how many of its incidents have no
 * time (first/last seen cannot include them), and the IOCTLs its incidents carried. The buckets themselves come
 * from selectBuckets (db/queries/buckets.ts); the scope here is the same one (bucketScopeConditions).
 */
import type { Connection } from '../store.js';
import { bucketScopeConditions, type BucketQuery } from './buckets.js';
import { hexCode, num, timeOf } from './values.js';

export type BucketScope = Pick<BucketQuery, 'sinceTicks' | 'moduleKey'>;

export interface IncidentBrief {
  readonly id: number;
  readonly time: string | null;
  readonly code: string | null;
  readonly name: string | null;
  readonly module: string | null;
  readonly source: string;
  readonly line: number;
}

export interface BucketIoctl {
  readonly code: number;
  /** Occurrences of the code in the bucket's incidents. */
  readonly occurrences: number;
  /** The driver keys it was sent to (mydrv), sorted. */
  readonly driverKeys: readonly string[];
}

const inBucket = (q: BucketScope): string =>
  `SELECT i.id FROM incident_signatures s JOIN incidents i ON i.id = s.incident_id WHERE ${[...bucketScopeConditions(q), 's.signature_id = :sig'].join(' AND ')}`;

const params = (signatureId: string, q: BucketScope) => ({ since: q.sinceTicks ?? null, module: q.moduleKey ?? null, sig: signatureId });

export function selectIncidentBrief(db: Connection, id: number): IncidentBrief | null {
  const r = db.prepare(`SELECT i.id, i.time_ticks, i.time_text, i.bugcheck_code, i.name, i.module, i.image, i.line, src.path
    FROM incidents i JOIN sources src ON src.id = i.source_id WHERE i.id = ?`).get(id) as Record<string, unknown> | undefined;
  if (!r) return null;
  return {
    id: num(r.id),
    time: timeOf(r.time_ticks, r.time_text),
    code: hexCode(r.bugcheck_code),
    name: r.name as string | null,
    module: (r.module ?? r.image) as string | null,
    source: r.path as string,
    line: num(r.line),
  };
}

/** The bucket's incidents in scope that carry no time. */
export function countUntimedInBucket(db: Connection, signatureId: string, q: BucketScope = {}): number {
  const r = db.prepare(`SELECT count(*) AS n FROM incidents WHERE time_ticks IS NULL AND id IN (${inBucket(q)})`).get(params(signatureId, q)) as { n: bigint };
  return num(r.n);
}

/** The IOCTLs the bucket's incidents (in scope) carried, most frequent first. */
export function selectBucketIoctls(db: Connection, signatureId: string, q: BucketScope = {}): BucketIoctl[] {
  const rows = db.prepare(`
    SELECT o.code, count(*) AS n, json_group_array(DISTINCT o.driver_key) AS drivers
    FROM ioctl_occurrences o
    WHERE o.incident_id IN (${inBucket(q)})
    GROUP BY o.code ORDER BY n DESC, o.code`).all(params(signatureId, q)) as Record<string, unknown>[];
  return rows.map((r) => ({
    code: num(r.code),
    occurrences: num(r.n),
    driverKeys: (JSON.parse(r.drivers as string) as (string | null)[]).filter((d): d is string => d !== null).sort(),
  }));
}
