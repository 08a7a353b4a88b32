/**
 * Signing incidents in the store: gather an incident's own facts (its row, its stack, the request it carries, all
 * from its own source, so the ingest order of other files never changes a signature), build the signature with
 * src/signature/, and keep it with the rule version that built it.
 *
 * A rule set is recorded in `rule_sets` the first time it signs something. The same version with another digest
 * means the built-in rule text changed without a new rules/VERSION: refused (RuleDigestMismatchError), since it
 * would regroup incidents under a version that already means something else.
 */
import { refreshBucketSummaries } from './bucket-summaries.js';
import { buildSignature, type IncidentFacts, type Signature, type SignatureFrame, type SignatureRequest } from '../src/signature/build.js';
import { loadRuleSet, type RuleSet } from '../src/signature/rules.js';
import type { Connection } from './store.js';
import { hasTable } from './tables.js';
import { inWriteTransaction } from './write-lock.js';

export class RuleDigestMismatchError extends Error {}

let builtin: RuleSet | null = null;
/** The built-in rules (rules/), loaded once per process. */
export function builtinRuleSet(): RuleSet {
  builtin ??= loadRuleSet();
  return builtin;
}

/** Refuses a rule set whose version the store knows with another digest (read only: fit for a dry run). */
export function checkRuleSet(db: Connection, ruleSet: RuleSet): 'known' | 'new' {
  const stored = db.prepare('SELECT digest FROM rule_sets WHERE version = ?').get(ruleSet.version) as { digest: string } | undefined;
  if (stored === undefined) return 'new';
  if (stored.digest !== ruleSet.digest) {
    throw new RuleDigestMismatchError(`the rules changed but their version did not: version ${ruleSet.version} was recorded with digest ${stored.digest.slice(0, 12)}, the rules loaded now have ${ruleSet.digest.slice(0, 12)}; bump rules/VERSION (docs/signatures.md, "Versions") so old and new groupings stay apart`);
  }
  return 'known';
}

/** Records the rule set (first use) or checks that its version still means the same text. */
export function recordRuleSet(db: Connection, ruleSet: RuleSet, now = new Date().toISOString()): void {
  if (checkRuleSet(db, ruleSet) === 'new') {
    db.prepare('INSERT INTO rule_sets (version, digest, rules, first_used_at) VALUES (?, ?, ?, ?)').run(ruleSet.version, ruleSet.digest, JSON.stringify(ruleSet.files), now);
  }
}

const VIA_ORDER = `CASE via WHEN 'bugcheck-argument' THEN 0 WHEN 'irp-stack-location' THEN 1 WHEN 'ioctldecode' THEN 2 ELSE 3 END`;

const num = (v: unknown): number => Number(v as bigint | number);

/** Reads incidents' facts through statements prepared once (resignature reads every incident of the store). */
export class IncidentFactsReader {
  private readonly incident;
  private readonly irp;
  private readonly irpOccurrence;
  private readonly inFlight;
  private readonly frames;

  constructor(db: Connection) {
    this.incident = db.prepare('SELECT * FROM incidents WHERE id = ?');
    // `+source_id`: without the unary plus SQLite walks the source's IRPs in line order (irps_by_source) instead of
    // looking the address up (irps_by_address); measured 0.23 ms against 0.01 ms per incident on a 2 000-crash log.
    this.irp = db.prepare('SELECT line, major_function, ioctl FROM irps WHERE address = ? AND +source_id = ? ORDER BY line LIMIT 1');
    // By IRP through the partial index on untimed occurrences: an IOCTL printed in a crash's text (!irp, a bugcheck
    // argument) has no time of its own.
    this.irpOccurrence = db.prepare(`SELECT line, major_function, code FROM ioctl_occurrences WHERE irp = ? AND time_from IS DISTINCT FROM 'source' AND +source_id = ?
      ORDER BY ${VIA_ORDER}, line LIMIT 1`);
    this.inFlight = db.prepare(`SELECT line, major_function, code, via FROM ioctl_occurrences WHERE incident_id = ? AND source_id = ? AND status IS NULL
      ORDER BY ${VIA_ORDER}, line LIMIT 1`);
    this.frames = db.prepare('SELECT line, symbol, module, function, inline FROM frames WHERE incident_id = ? AND source_id = ? ORDER BY (incident_no IS DISTINCT FROM ?), line');
  }

  /** The request a crash carries: the IRP its arguments name, else the IOCTL that was in flight in its text. */
  private requestOf(incident: Record<string, unknown>): SignatureRequest | null {
    const source = incident.source_id;
    if (incident.irp !== null) {
      const irp = this.irp.get(incident.irp, source) as Record<string, unknown> | undefined;
      const occurrence = irp?.ioctl != null && irp.major_function !== null ? undefined : this.irpOccurrence.get(incident.irp, source) as Record<string, unknown> | undefined;
      const major = (irp?.major_function ?? occurrence?.major_function ?? null) as string | null;
      const ioctl = irp?.ioctl ?? occurrence?.code ?? null;
      if (major !== null || ioctl !== null) {
        return { major, ioctl: ioctl === null ? null : num(ioctl), from: `the IRP the bugcheck names (${incident.irp as string}), printed at line ${num(irp?.line ?? occurrence!.line)}` };
      }
    }
    const inFlight = this.inFlight.get(incident.id, source) as Record<string, unknown> | undefined;
    if (inFlight) {
      return { major: inFlight.major_function as string | null, ioctl: num(inFlight.code), from: `the IOCTL in flight in the crash's text (${inFlight.via as string}, line ${num(inFlight.line)})` };
    }
    return null;
  }

  /** The crash stack: the incident's frames from its own source, the first contiguous block of lines. */
  private stackOf(incident: Record<string, unknown>): SignatureFrame[] {
    const rows = this.frames.all(incident.id, incident.source_id, incident.incident_no) as Record<string, unknown>[];
    const frames: SignatureFrame[] = [];
    for (const r of rows) {
      const line = num(r.line);
      // A second stack printed for the same crash (a `k` after !analyze) starts after a gap: the first one is the
      // crash stack.
      if (frames.length > 0 && line !== frames[frames.length - 1]!.line + 1) break;
      frames.push({ line, symbol: r.symbol as string, module: r.module as string | null, function: r.function as string | null, inline: num(r.inline) === 1 });
    }
    return frames;
  }

  /** One incident's facts, or null when there is no such incident. */
  read(incidentId: number): IncidentFacts | null {
    const incident = this.incident.get(incidentId) as Record<string, unknown> | undefined;
    if (!incident) return null;
    return {
      code: incident.bugcheck_code === null ? null : num(incident.bugcheck_code),
      args: [incident.arg1, incident.arg2, incident.arg3, incident.arg4] as (string | null)[],
      symbol: incident.symbol as string | null,
      module: incident.module as string | null,
      image: incident.image as string | null,
      probablyCausedBy: incident.probably_caused_by as string | null,
      failureBucket: incident.failure_bucket as string | null,
      frames: this.stackOf(incident),
      request: this.requestOf(incident),
    };
  }
}

/** One incident's facts, read from the store. */
export function incidentFacts(db: Connection, incidentId: number): IncidentFacts | null {
  return new IncidentFactsReader(db).read(incidentId);
}

export function signIncident(db: Connection, incidentId: number, ruleSet: RuleSet, reader = new IncidentFactsReader(db)): Signature | null {
  const facts = reader.read(incidentId);
  return facts === null ? null : buildSignature(facts, ruleSet);
}

function writer(db: Connection): (incidentId: number, s: Signature, now: string) => void {
  const insert = db.prepare(`INSERT INTO incident_signatures (incident_id, signature, signature_id, rule_version, parts, explanation, signed_at) VALUES (?, ?, ?, ?, ?, ?, ?)
    ON CONFLICT (incident_id) DO UPDATE SET signature = excluded.signature, signature_id = excluded.signature_id, rule_version = excluded.rule_version,
      parts = excluded.parts, explanation = excluded.explanation, signed_at = excluded.signed_at`);
  return (incidentId, s, now) => {
    insert.run(incidentId, s.signature, s.signatureId, s.ruleVersion, JSON.stringify(s.parts), JSON.stringify(s.explanation), now);
  };
}

/** Signs every incident of one source (the ingest hook: inside the source's transaction). */
export function signSource(db: Connection, sourceId: number, ruleSet: RuleSet = builtinRuleSet()): number {
  // A store opened at an older schema (tests build one to prove the migrations) has no signature tables yet:
  // migration 3 signs its incidents when it arrives (signUnsigned).
  if (!hasTable(db, 'incident_signatures')) return 0;
  const ids = (db.prepare('SELECT id FROM incidents WHERE source_id = ? ORDER BY id').all(sourceId) as { id: bigint }[]).map((r) => num(r.id));
  if (ids.length === 0) return 0;
  const now = new Date().toISOString();
  recordRuleSet(db, ruleSet, now);
  const write = writer(db);
  const reader = new IncidentFactsReader(db);
  const touched = new Set<string>();
  for (const id of ids) {
    const signature = signIncident(db, id, ruleSet, reader)!;
    write(id, signature, now);
    touched.add(signature.signatureId);
  }
  // At schema 3 (migration 3's backfill runs before migration 4 makes the table, and fills it whole) there is none.
  if (hasTable(db, 'bucket_summaries')) refreshBucketSummaries(db, [...touched]);
  return ids.length;
}

/** Signs every incident that has no signature yet (migration 3's backfill of an older database). */
export function signUnsigned(db: Connection, ruleSet: RuleSet = builtinRuleSet()): number {
  const ids = (db.prepare('SELECT id FROM incidents WHERE id NOT IN (SELECT incident_id FROM incident_signatures) ORDER BY id').all() as { id: bigint }[]).map((r) => num(r.id));
  if (ids.length === 0) return 0;
  const now = new Date().toISOString();
  recordRuleSet(db, ruleSet, now);
  const write = writer(db);
  const reader = new IncidentFactsReader(db);
  for (const id of ids) write(id, signIncident(db, id, ruleSet, reader)!, now);
  if (hasTable(db, 'bucket_summaries')) refreshBucketSummaries(db, null);
  return ids.length;
}

export interface MovedIncident {
  readonly incident: number;
  readonly before: { readonly signature: string; readonly signatureId: string; readonly ruleVersion: string } | null;
  readonly after: { readonly signature: string; readonly signatureId: string };
}

export interface BucketChange {
  /** "split": incidents that shared a signature no longer do; "merged": incidents of several now share one. */
  readonly kind: 'split' | 'merged';
  readonly from: readonly string[];
  readonly to: readonly string[];
  readonly incidents: readonly number[];
}

export interface ResignatureReport {
  readonly dryRun: boolean;
  /** Rule versions the store held before, with their incident counts. */
  readonly versionsBefore: readonly { readonly version: string; readonly incidents: number }[];
  readonly versionAfter: string;
  readonly incidents: number;
  /** Incidents whose signature text changed (or that had none). */
  readonly moved: readonly MovedIncident[];
  /** Incidents whose signature stayed and only the rule version changed. */
  readonly relabelled: number;
  readonly unchanged: number;
  readonly bucketsBefore: number;
  readonly bucketsAfter: number;
  readonly changes: readonly BucketChange[];
}

/**
 * Recomputes every signature with `ruleSet` and says what moved; writes only when `dryRun` is false, in one
 * transaction (all incidents end up under the new version, or none does).
 */
export function resignature(db: Connection, ruleSet: RuleSet, dryRun: boolean): ResignatureReport {
  const run = (): ResignatureReport => {
    const versionsBefore = (db.prepare('SELECT rule_version AS version, count(*) AS n FROM incident_signatures GROUP BY rule_version ORDER BY rule_version').all() as { version: string; n: bigint }[])
      .map((r) => ({ version: r.version, incidents: num(r.n) }));
    const stored = new Map((db.prepare('SELECT incident_id, signature, signature_id, rule_version FROM incident_signatures').all() as Record<string, unknown>[])
      .map((r) => [num(r.incident_id), { signature: r.signature as string, signatureId: r.signature_id as string, ruleVersion: r.rule_version as string }]));
    const ids = (db.prepare('SELECT id FROM incidents ORDER BY id').all() as { id: bigint }[]).map((r) => num(r.id));
    // A dry run refuses what the real run would refuse.
    if (dryRun) checkRuleSet(db, ruleSet);
    else recordRuleSet(db, ruleSet);
    const write = dryRun ? null : writer(db);
    const reader = new IncidentFactsReader(db);
    const now = new Date().toISOString();
    const moved: MovedIncident[] = [];
    const after = new Map<number, string>();
    let relabelled = 0;
    let unchanged = 0;
    for (const id of ids) {
      const s = signIncident(db, id, ruleSet, reader)!;
      after.set(id, s.signatureId);
      const before = stored.get(id) ?? null;
      if (before === null || before.signature !== s.signature) moved.push({ incident: id, before, after: { signature: s.signature, signatureId: s.signatureId } });
      else if (before.ruleVersion !== s.ruleVersion) relabelled++;
      else unchanged++;
      write?.(id, s, now);
    }
    if (!dryRun) refreshBucketSummaries(db, null);
    const beforeIds = new Map([...stored].map(([id, s]) => [id, s.signatureId]));
    return {
      dryRun, versionsBefore, versionAfter: ruleSet.version, incidents: ids.length, moved, relabelled, unchanged,
      bucketsBefore: new Set(beforeIds.values()).size, bucketsAfter: new Set(after.values()).size, changes: bucketChanges(beforeIds, after),
    };
  };
  if (dryRun) return run();
  return inWriteTransaction(db, run);
}

/** Splits and merges between two groupings of the same incidents (signature ids by incident). */
export function bucketChanges(before: ReadonlyMap<number, string>, after: ReadonlyMap<number, string>): BucketChange[] {
  const group = (m: ReadonlyMap<number, string>): Map<string, number[]> => {
    const g = new Map<string, number[]>();
    for (const [id, sig] of m) g.set(sig, [...(g.get(sig) ?? []), id]);
    return g;
  };
  const changes: BucketChange[] = [];
  for (const [sig, ids] of [...group(before)].sort(([a], [b]) => a.localeCompare(b))) {
    const targets = [...new Set(ids.map((id) => after.get(id)).filter((s): s is string => s !== undefined))].sort();
    if (targets.length > 1) changes.push({ kind: 'split', from: [sig], to: targets, incidents: [...ids].sort((a, b) => a - b) });
  }
  for (const [sig, ids] of [...group(after)].sort(([a], [b]) => a.localeCompare(b))) {
    const sources = [...new Set(ids.map((id) => before.get(id)).filter((s): s is string => s !== undefined))].sort();
    if (sources.length > 1) changes.push({ kind: 'merged', from: sources, to: [sig], incidents: [...ids].sort((a, b) => a - b) });
  }
  return changes;
}
