/**
 * "Which failures are the same failure?" Buckets are incidents grouped by signature (incident_signatures), with
 * their counts, when they were first and last seen, on how many builds, and the newest incident; and the
 * explanation of one incident's signature or of why a bucket's incidents share theirs.
 */
import { NO_FRAME, type FrameStep, type SignatureExplanation, type SignatureParts } from '../../src/signature/build.js';
import type { Connection } from '../store.js';
import type { Dialect } from '../connection.js';
import { num, timeOf } from './values.js';
import { isoFromTicks } from '../column-values.js';

export interface BucketQuery {
  /** FILETIME ticks: only incidents at or after (incidents without a time are left out when this is set). */
  readonly sinceTicks?: bigint | null;
  /** Only buckets whose signature frame is in this module, or whose incidents name it (MODULE_NAME, IMAGE_NAME). */
  readonly moduleKey?: string | null;
  readonly limit?: number;
}

export interface Bucket {
  readonly signatureId: string;
  readonly signature: string;
  readonly incidents: number;
  /** The earliest and latest incident time (ISO, UTC); null when no incident of the bucket has a time. */
  readonly firstSeen: string | null;
  readonly lastSeen: string | null;
  /** Distinct OS builds (incidents.os_build) among the incidents that print one. */
  readonly builds: number;
  /**
   * Distinct machines, from the `Machine Name:` the session header of each incident's source printed; null when
   * none of the bucket's incidents has one (minidumps print the line empty), never a guess.
   */
  readonly machines: number | null;
  /** The newest incident: latest time, else the last one stored. */
  readonly newestIncident: number;
  /** The module of the frame that ended the walk (null when the signature has no frame). */
  readonly module: string | null;
  /** The rule versions its incidents were signed with (more than one only in a store that was not resignatured). */
  readonly ruleVersions: readonly string[];
}

/**
 * The conditions (on `incident_signatures s JOIN incidents i`) that put an incident in a bucket query's scope, with
 * the parameters :since and :module. Shared with the report, so its per-bucket IOCTLs count the same incidents.
 */
export function bucketScopeConditions(q: BucketQuery): string[] {
  const where: string[] = [];
  if (q.sinceTicks !== undefined && q.sinceTicks !== null) where.push('i.time_ticks >= :since');
  if (q.moduleKey) {
    where.push(`(json_extract(s.parts, '$.module') = :module OR lower(i.module) = :module OR lower(i.image) = :module || '.sys' OR lower(i.image) = :module)`);
  }
  return where;
}

/**
 * Buckets, largest first (then most recently seen, then signature id). Machine names are looked up among the
 * session lines of the sources that hold incidents only (through events_by_source): the events table also holds
 * every ETW and Procmon row, and scanning it per query would cost more than the buckets themselves. Both CTEs are
 * MATERIALIZED: inlined, the machine look-up ran once per incident (1.07 s against 17 ms for 2 000 crashes).
 */
/**
 * The buckets' aggregate over incident_signatures and incidents, as rows of bucketRow's shape. `scanAll` reads the
 * signatures in table order (one pass, the incidents fetched in id order): over a whole store that is five times
 * faster than walking the signature_id index, whose order makes every incident fetch a random read (measured on
 * 1 M incidents: 3.3 s against 12 s). A few buckets (`where` on signature_id) go through the index.
 *
 * The newest incident is the bare maximum of one key (time first, an untimed incident below any timed one, then
 * the id), so no window function sorts the whole store.
 */
export function bucketAggregateSql(where: readonly string[], scanAll: boolean, dialect: Dialect): string {
  // NOT INDEXED is SQLite's; PostgreSQL's planner picks the sequential scan over a whole table itself.
  const notIndexed = scanAll && dialect === 'sqlite' ? 'NOT INDEXED ' : '';
  return `
    WITH machines AS MATERIALIZED (
      SELECT e.source_id, e.line, json_extract(e.record, '$.value') AS machine FROM events e
      WHERE e.source_id IN (SELECT DISTINCT source_id FROM incidents) AND e.type = 'session' AND e.name = 'machine-name'),
    picked AS (
      SELECT s.signature_id, s.signature, s.rule_version, s.parts, i.id, i.time_ticks, i.os_build,
        -- The machine the incident's source printed: the last one before the incident, else the first after.
        CASE WHEN EXISTS (SELECT 1 FROM machines) THEN
          coalesce((SELECT m.machine FROM machines m WHERE m.source_id = i.source_id AND m.line <= i.line ORDER BY m.line DESC LIMIT 1),
                   (SELECT m.machine FROM machines m WHERE m.source_id = i.source_id ORDER BY m.line LIMIT 1)) END AS machine
      FROM incident_signatures s ${notIndexed}JOIN incidents i ON i.id = s.incident_id
      ${where.length ? `WHERE ${where.join(' AND ')}` : ''})
    SELECT signature_id, min(signature) AS signature, count(*) AS incidents, min(time_ticks) AS first_ticks, max(time_ticks) AS last_ticks,
      count(DISTINCT os_build) AS builds, count(DISTINCT machine) AS machines, group_concat(DISTINCT rule_version) AS versions,
      json_extract(min(parts), '$.module') AS module,
      CAST(substr(max(printf('%020d%020d', coalesce(time_ticks + 1, 0), id)), 21) AS BIGINT) AS newest
    FROM picked GROUP BY signature_id`;
}

const BUCKET_ORDER = 'ORDER BY incidents DESC, last_ticks IS NULL, last_ticks DESC, signature_id';

function bucketRow(r: Record<string, unknown>): Bucket {
  return {
    signatureId: r.signature_id as string,
    signature: r.signature as string,
    incidents: num(r.incidents),
    firstSeen: r.first_ticks === null ? null : isoFromTicks(BigInt(r.first_ticks as bigint)),
    lastSeen: r.last_ticks === null ? null : isoFromTicks(BigInt(r.last_ticks as bigint)),
    builds: num(r.builds),
    machines: num(r.machines) === 0 ? null : num(r.machines),
    newestIncident: num(r.newest),
    module: r.module as string | null,
    ruleVersions: (r.versions as string).split(',').sort(),
  };
}

/**
 * The buckets, biggest first. The whole store is read from bucket_summaries (kept by ingest, resignature and the
 * migrations: db/bucket-summaries.ts), so the first screen of browse and a plain `buckets` cost the same on any
 * store; a scope (--since, --module) aggregates the incidents in it.
 */
export function selectBuckets(db: Connection, q: BucketQuery = {}): Bucket[] {
  const where = bucketScopeConditions(q);
  const limit = q.limit ?? 100;
  const rows = where.length === 0
    ? db.prepare(`SELECT signature_id, signature, incidents, first_ticks, last_ticks, builds, machines, versions, module, newest FROM bucket_summaries ${BUCKET_ORDER} LIMIT ?`).all(limit)
    : db.prepare(`SELECT * FROM (${bucketAggregateSql(where, true, db.dialect)}) AS buckets ${BUCKET_ORDER} LIMIT :limit`).all({ since: q.sinceTicks ?? null, module: q.moduleKey ?? null, limit });
  return (rows as Record<string, unknown>[]).map(bucketRow);
}

/** The rule versions the store's signatures were built with, with their counts (a warning when more than one). */
export function selectRuleVersions(db: Connection): { version: string; incidents: number }[] {
  return (db.prepare('SELECT rule_version AS version, count(*) AS n FROM incident_signatures GROUP BY rule_version ORDER BY rule_version').all() as { version: string; n: bigint }[])
    .map((r) => ({ version: r.version, incidents: num(r.n) }));
}

export interface IncidentExplanation {
  readonly kind: 'incident';
  readonly incident: number;
  readonly source: string;
  readonly line: number;
  readonly time: string | null;
  readonly signature: string;
  readonly signatureId: string;
  readonly ruleVersion: string;
  readonly signedAt: string;
  readonly parts: SignatureParts;
  readonly explanation: SignatureExplanation;
  /** How many incidents share the signature (this one included). */
  readonly bucketSize: number;
}

export interface SharedPart {
  readonly part: string;
  readonly value: string | null;
  readonly why: string;
}

export interface BucketMember {
  readonly incident: number;
  readonly source: string;
  readonly line: number;
  readonly time: string | null;
  readonly ruleVersion: string;
  /** Where its frames came from ('stack', 'symbol-name', ...). */
  readonly framesFrom: string;
  /** The signature frames as this incident printed them (offsets and all). */
  readonly printed: readonly string[];
  /** Frames the walk passed over (skipped or inline) before it ended. */
  readonly skipped: number;
}

export interface SignatureExplanationAnswer {
  readonly kind: 'signature';
  readonly signature: string;
  readonly signatureId: string;
  readonly incidents: readonly BucketMember[];
  /** What every incident of the bucket has in common: the parts of the signature, and why each reads so. */
  readonly shared: readonly SharedPart[];
  /** How the incidents differ underneath the shared parts: the printed forms of the signature frames. */
  readonly printedForms: readonly { readonly printed: string; readonly incidents: readonly number[] }[];
  readonly ruleVersions: readonly string[];
}

export type Explanation = IncidentExplanation | SignatureExplanationAnswer;

export class ExplainTargetError extends Error {}

const printedOf = (steps: readonly FrameStep[]): string[] => steps.filter((s) => s.outcome === 'kept' || s.outcome === 'prefix' || s.outcome === 'collapsed').map((s) => s.printed);

/** The stored explanation of one incident's signature. */
export function explainIncident(db: Connection, incidentId: number): IncidentExplanation | null {
  const r = db.prepare(`SELECT s.*, i.line, i.time_ticks, i.time_text, src.path,
      (SELECT count(*) FROM incident_signatures o WHERE o.signature = s.signature) AS bucket_size
    FROM incident_signatures s JOIN incidents i ON i.id = s.incident_id JOIN sources src ON src.id = i.source_id WHERE s.incident_id = ?`).get(incidentId) as Record<string, unknown> | undefined;
  if (!r) return null;
  return {
    kind: 'incident', incident: incidentId, source: r.path as string, line: num(r.line), time: timeOf(r.time_ticks, r.time_text),
    signature: r.signature as string, signatureId: r.signature_id as string, ruleVersion: r.rule_version as string, signedAt: r.signed_at as string,
    parts: JSON.parse(r.parts as string) as SignatureParts, explanation: JSON.parse(r.explanation as string) as SignatureExplanation, bucketSize: num(r.bucket_size),
  };
}

/** Why the incidents of one signature (by text or by id) share it. */
export function explainSignature(db: Connection, signatureOrId: string): SignatureExplanationAnswer | null {
  const rows = db.prepare(`SELECT s.*, i.line, i.time_ticks, i.time_text, src.path FROM incident_signatures s JOIN incidents i ON i.id = s.incident_id
    JOIN sources src ON src.id = i.source_id WHERE s.signature = :t OR s.signature_id = lower(:t) ORDER BY s.incident_id`).all({ t: signatureOrId }) as Record<string, unknown>[];
  if (rows.length === 0) return null;
  const signatures = new Set(rows.map((r) => r.signature as string));
  if (signatures.size > 1) throw new ExplainTargetError(`${signatureOrId}: matches ${signatures.size} signatures (a 12-digit id collision); give the signature text instead`);
  const members: BucketMember[] = rows.map((r) => {
    const explanation = JSON.parse(r.explanation as string) as SignatureExplanation;
    const parts = JSON.parse(r.parts as string) as SignatureParts;
    return {
      incident: num(r.incident_id), source: r.path as string, line: num(r.line), time: timeOf(r.time_ticks, r.time_text), ruleVersion: r.rule_version as string,
      framesFrom: parts.framesFrom, printed: printedOf(explanation.frames), skipped: explanation.frames.filter((s) => s.outcome === 'skipped').length,
    };
  });
  const first = JSON.parse(rows[0]!.explanation as string) as SignatureExplanation;
  const shared: SharedPart[] = first.parts.filter((p) => p.value !== null || p.part === 'frames').map((p) => {
    const whys = new Map<string, number[]>();
    for (const r of rows) {
      const why = (JSON.parse(r.explanation as string) as SignatureExplanation).parts.find((q) => q.part === p.part)?.why ?? '';
      whys.set(why, [...(whys.get(why) ?? []), num(r.incident_id)]);
    }
    const value = p.value ?? NO_FRAME;
    // The same part reached different ways (the IRP printed at another line, SYMBOL_NAME for one and the stack for
    // another): each way is listed with its incidents.
    const why = whys.size === 1 ? p.why : `every incident has ${value}: ${[...whys].map(([w, ids]) => `${w} (incident${ids.length === 1 ? '' : 's'} ${ids.join(', ')})`).join('; ')}`;
    return { part: p.part, value, why };
  });
  const forms = new Map<string, number[]>();
  for (const m of members) {
    const key = m.printed.join(' > ') || '(none)';
    forms.set(key, [...(forms.get(key) ?? []), m.incident]);
  }
  return {
    kind: 'signature', signature: [...signatures][0]!, signatureId: rows[0]!.signature_id as string, incidents: members, shared,
    printedForms: [...forms].map(([printed, incidents]) => ({ printed, incidents })), ruleVersions: [...new Set(members.map((m) => m.ruleVersion))].sort(),
  };
}

/** An incident id (digits), a signature id (12 hex digits) or a signature's text. */
export function explain(db: Connection, target: string): Explanation {
  const t = target.trim();
  if (/^\d+$/.test(t)) {
    const found = explainIncident(db, Number(t));
    if (!found) throw new ExplainTargetError(`${t}: no signed incident with this id (irpscope incidents lists them)`);
    return found;
  }
  const found = explainSignature(db, t);
  if (!found) throw new ExplainTargetError(`${JSON.stringify(t)}: no stored signature with this id or text (irpscope buckets lists them)`);
  return found;
}
