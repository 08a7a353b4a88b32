/**
 * "Which signatures and which IOCTL failures are new, gone, more or less frequent between two builds of a driver
 * (or before and after a date)?"
 *
 * Which version applies to an incident, for driver D:
 *   1. the incident's own IMAGE_VERSION, when its IMAGE_NAME (else MODULE_NAME) is D;
 *   2. otherwise every version of D its source printed and the ingest linked to it (lmvm / lm vm entries, a
 *      Procmon Version column): a row belongs to the crash printed before it, else to the first crash of the
 *      source, as every other row does.
 * An incident belongs to build V when V is among the versions that apply. A source that printed two versions of D
 * for one crash (two lmvm of different builds) puts it on both sides; an incident no version applies to is on
 * neither side, and counted as `unplaced` when its image is D.
 *
 * An IOCTL failure (ioctl_occurrences.failed) belongs to build V through its incident (the versions that apply to
 * it), or, when it has no incident, when its source printed version V of D. A request is counted once: the same
 * IRP and code at several stack locations of one source is one failure.
 *
 * Date mode splits by time instead: incidents by their debug session time, IOCTL failures by their own time (or
 * their crash's). Side A is everything before `before`, side B everything at or after `after`. With a driver,
 * only incidents whose image is D or that a version of D applies to, and IOCTL failures sent to D or belonging to
 * those incidents, are counted. Incidents and failures without a time are `unplaced`.
 */
import { ntstatusName } from '../../src/decode/ntstatus.js';
import { driverKey } from '../column-values.js';
import type { Connection } from '../store.js';
import { jsonIntegers } from '../dialect.js';
import { hexCode, num } from './values.js';

export type SideSpec = { readonly build: string } | { readonly beforeTicks: bigint; readonly label: string } | { readonly fromTicks: bigint; readonly label: string };

export interface CompareQuery {
  /** The driver key (mydrv); required with builds. */
  readonly driverKey: string | null;
  readonly a: SideSpec;
  readonly b: SideSpec;
}

export type Change = 'new' | 'gone' | 'more' | 'less' | 'same';

export interface SideSummary {
  /** The build version, or "before <date>" / "after <date>". */
  readonly label: string;
  readonly incidents: number;
  /** Incidents on this side that have no signature yet (never signed, e.g. stored before signatures existed). */
  readonly unsignedIncidents: number;
  readonly ioctlFailures: number;
  readonly sources: number;
}

export interface SignatureChange {
  readonly signatureId: string;
  readonly signature: string;
  readonly a: number;
  readonly b: number;
  readonly delta: number;
  readonly change: Change;
}

export interface IoctlFailureChange {
  readonly code: string;
  readonly name: string | null;
  /** The NTSTATUS the request ended with; null when it was in flight at the crash (no status of its own). */
  readonly status: string | null;
  readonly statusName: string | null;
  readonly a: number;
  readonly b: number;
  readonly delta: number;
  readonly change: Change;
}

export interface Comparison {
  readonly driver: string | null;
  readonly mode: 'build' | 'time';
  readonly a: SideSummary;
  readonly b: SideSummary;
  /** Build mode: incidents whose image is the driver and to which no version applies. Time mode: in-scope incidents without a time. */
  readonly unplacedIncidents: number;
  /** Time mode: in-scope IOCTL failures without a time (build mode: 0, they follow their incident or source). */
  readonly unplacedIoctlFailures: number;
  readonly signatures: SignatureChange[];
  readonly ioctlFailures: IoctlFailureChange[];
}

export interface DriverVersionSeen {
  readonly version: string;
  /** How the versions were printed: image_version, lmvm, procmon. */
  readonly via: string[];
  readonly sources: number;
}

/** Every version of a driver the store has seen, with how it was printed and in how many sources. */
export function driverVersionsOf(db: Connection, key: string): DriverVersionSeen[] {
  const rows = db.prepare(`SELECT version, group_concat(DISTINCT via) AS via, count(DISTINCT source_id) AS sources FROM driver_versions WHERE driver_key = ?
    GROUP BY version ORDER BY version`).all(key) as { version: string; via: string; sources: bigint }[];
  return rows.map((r) => ({ version: r.version, via: r.via.split(',').sort(), sources: num(r.sources) }));
}

interface VersionRow {
  incident_id: bigint | null;
  source_id: bigint;
  version: string;
  via: string;
}

interface IncidentImage {
  id: bigint;
  image: string | null;
  module: string | null;
  driver_version: string | null;
}

/** Per incident, the versions of the driver that apply (the rule above); and per incident-less source, those it printed. */
function versionsByIncident(db: Connection, key: string): { byIncident: Map<number, Set<string>>; bySource: Map<number, Set<string>>; imageIncidents: Set<number> } {
  const rows = db.prepare('SELECT incident_id, source_id, version, via FROM driver_versions WHERE driver_key = ?').all(key) as VersionRow[];
  const own = new Map<number, Set<string>>();
  const printed = new Map<number, Set<string>>();
  const bySource = new Map<number, Set<string>>();
  const add = (map: Map<number, Set<string>>, id: number, version: string): void => {
    let set = map.get(id);
    if (!set) map.set(id, (set = new Set()));
    set.add(version);
  };
  for (const r of rows) {
    if (r.incident_id === null) add(bySource, num(r.source_id), r.version);
    else add(r.via === 'image_version' ? own : printed, num(r.incident_id), r.version);
  }
  // incidents.driver_version for that image too: a store ingested before driver_versions existed has only that.
  const imageIncidents = new Set<number>();
  const like = `%${key}%`;
  const images = db.prepare('SELECT id, image, module, driver_version FROM incidents WHERE lower(image) LIKE ? OR lower(module) LIKE ?').all(like, like) as IncidentImage[];
  for (const i of images) {
    if (driverKey(i.image ?? i.module) !== key) continue;
    imageIncidents.add(num(i.id));
    if (i.driver_version !== null && i.driver_version.trim() !== '') add(own, num(i.id), i.driver_version.trim());
  }
  const byIncident = new Map(printed);
  for (const [id, versions] of own) byIncident.set(id, versions);
  return { byIncident, bySource, imageIncidents };
}

interface Side {
  incidents: number[];
  /** Sources whose IOCTL failures without an incident count on this side. */
  sources: number[];
}

interface Occurrence {
  id: bigint;
  source_id: bigint;
  incident_id: bigint | null;
  irp: string | null;
  code: bigint;
  status: bigint | null;
  time_ticks: bigint | null;
  driver_key: string | null;
}

const changeOf = (a: number, b: number): Change => (a === 0 ? 'new' : b === 0 ? 'gone' : b > a ? 'more' : b < a ? 'less' : 'same');
const RANK: Record<Change, number> = { new: 0, gone: 1, more: 2, less: 3, same: 4 };

function sideLabel(spec: SideSpec): string {
  return 'build' in spec ? spec.build : spec.label;
}

/** The failures of one side, one per request: (source, IRP or row, code) -> (code, status). */
function countFailures(rows: readonly Occurrence[]): Map<string, { code: number; status: number | null; count: number }> {
  const requests = new Map<string, { code: number; status: number | null }>();
  for (const o of rows) {
    const request = `${o.source_id}:${o.irp ?? `row${o.id}`}:${o.code}`;
    const known = requests.get(request);
    // A request seen twice keeps a status if either sighting printed one.
    if (!known || (known.status === null && o.status !== null)) requests.set(request, { code: num(o.code), status: o.status === null ? null : num(o.status) });
  }
  const counts = new Map<string, { code: number; status: number | null; count: number }>();
  for (const r of requests.values()) {
    const key = `${r.code}:${r.status ?? ''}`;
    const c = counts.get(key);
    if (c) c.count++;
    else counts.set(key, { ...r, count: 1 });
  }
  return counts;
}

export function compareBuilds(db: Connection, q: CompareQuery): Comparison {
  const key = q.driverKey;
  const failedIn = db.prepare(`SELECT id, source_id, incident_id, irp, code, status, time_ticks, driver_key FROM ioctl_occurrences
    WHERE failed = 1 AND (incident_id IN (${jsonIntegers(db.dialect, ':incidents')}) OR (incident_id IS NULL AND source_id IN (${jsonIntegers(db.dialect, ':sources')})))`);
  let sides: [Side, Side];
  let failures: [Occurrence[], Occurrence[]];
  let unplacedIncidents = 0;
  let unplacedIoctlFailures = 0;
  const mode = 'build' in q.a ? 'build' : 'time';
  if ('build' in q.a && 'build' in q.b) {
    if (key === null) throw new Error('compare by build needs a driver');
    const { byIncident, bySource, imageIncidents } = versionsByIncident(db, key);
    const side = (version: string): Side => ({
      incidents: [...byIncident].filter(([, v]) => v.has(version)).map(([id]) => id).sort((x, y) => x - y),
      sources: [...bySource].filter(([, v]) => v.has(version)).map(([id]) => id).sort((x, y) => x - y),
    });
    sides = [side(q.a.build), side(q.b.build)];
    for (const id of imageIncidents) if (!byIncident.has(id)) unplacedIncidents++;
    failures = sides.map((s) => failedIn.all({ incidents: JSON.stringify(s.incidents), sources: JSON.stringify(s.sources) }) as Occurrence[]) as [Occurrence[], Occurrence[]];
  } else if ('beforeTicks' in q.a && 'fromTicks' in q.b) {
    const before = q.a.beforeTicks;
    const from = q.b.fromTicks;
    let scope: Set<number> | null = null;
    if (key !== null) {
      const { byIncident, imageIncidents } = versionsByIncident(db, key);
      scope = new Set([...byIncident.keys(), ...imageIncidents]);
    }
    // Only rows on a side (or without a time, to count them) leave SQLite; the driver scope is applied here.
    const inScope = (incident: bigint | null): boolean => scope === null || (incident !== null && scope.has(num(incident)));
    const incidents = (db.prepare('SELECT id, time_ticks FROM incidents WHERE time_ticks IS NULL OR time_ticks < ? OR time_ticks >= ? ORDER BY id')
      .all(before, from) as { id: bigint; time_ticks: bigint | null }[]).filter((i) => inScope(i.id));
    const a: number[] = [];
    const b: number[] = [];
    for (const i of incidents) {
      if (i.time_ticks === null) unplacedIncidents++;
      else if (i.time_ticks < before) a.push(num(i.id));
      if (i.time_ticks !== null && i.time_ticks >= from) b.push(num(i.id));
    }
    sides = [{ incidents: a, sources: [] }, { incidents: b, sources: [] }];
    const all = (db.prepare(`SELECT id, source_id, incident_id, irp, code, status, time_ticks, driver_key FROM ioctl_occurrences
      WHERE failed = 1 AND (time_ticks IS NULL OR time_ticks < ? OR time_ticks >= ?) AND (? IS NULL OR driver_key = ? OR incident_id IS NOT NULL)`)
      .all(before, from, key, key) as Occurrence[])
      .filter((o) => scope === null || o.driver_key === key || inScope(o.incident_id));
    failures = [[], []];
    for (const o of all) {
      if (o.time_ticks === null) unplacedIoctlFailures++;
      else if (o.time_ticks < before) failures[0].push(o);
      if (o.time_ticks !== null && o.time_ticks >= from) failures[1].push(o);
    }
  } else {
    throw new Error('compare: both sides must be builds, or before/after dates');
  }

  const signaturesOf = db.prepare(`SELECT s.incident_id, s.signature_id, s.signature FROM incident_signatures s WHERE s.incident_id IN (${jsonIntegers(db.dialect, '?')})`);
  const signatureCounts = sides.map((s) => {
    const rows = signaturesOf.all(JSON.stringify(s.incidents)) as { incident_id: bigint; signature_id: string; signature: string }[];
    const counts = new Map<string, { signature: string; count: number }>();
    for (const r of rows) {
      const c = counts.get(r.signature_id);
      if (c) c.count++;
      else counts.set(r.signature_id, { signature: r.signature, count: 1 });
    }
    return { counts, signed: rows.length };
  });
  const signatureIds = new Set([...signatureCounts[0]!.counts.keys(), ...signatureCounts[1]!.counts.keys()]);
  const signatures: SignatureChange[] = [...signatureIds].map((id) => {
    const a = signatureCounts[0]!.counts.get(id)?.count ?? 0;
    const b = signatureCounts[1]!.counts.get(id)?.count ?? 0;
    const signature = (signatureCounts[0]!.counts.get(id) ?? signatureCounts[1]!.counts.get(id))!.signature;
    return { signatureId: id, signature, a, b, delta: b - a, change: changeOf(a, b) };
  }).sort((x, y) => RANK[x.change] - RANK[y.change] || Math.abs(y.delta) - Math.abs(x.delta) || x.signature.localeCompare(y.signature));

  const failureCounts = failures.map(countFailures);
  const failureKeys = new Set([...failureCounts[0]!.keys(), ...failureCounts[1]!.keys()]);
  const nameOf = db.prepare('SELECT name FROM ioctl_codes WHERE code = ?');
  const ioctlFailures: IoctlFailureChange[] = [...failureKeys].map((k) => {
    const first = (failureCounts[0]!.get(k) ?? failureCounts[1]!.get(k))!;
    const a = failureCounts[0]!.get(k)?.count ?? 0;
    const b = failureCounts[1]!.get(k)?.count ?? 0;
    const name = (nameOf.get(first.code) as { name: string | null } | undefined)?.name ?? null;
    return {
      code: hexCode(first.code)!, name, status: first.status === null ? null : hexCode(first.status), statusName: first.status === null ? null : ntstatusName(first.status),
      a, b, delta: b - a, change: changeOf(a, b),
    };
  }).sort((x, y) => RANK[x.change] - RANK[y.change] || Math.abs(y.delta) - Math.abs(x.delta) || x.code.localeCompare(y.code) || (x.status ?? '').localeCompare(y.status ?? ''));

  const incidentSources = db.prepare(`SELECT DISTINCT source_id FROM incidents WHERE id IN (${jsonIntegers(db.dialect, '?')})`);
  const summary = (i: 0 | 1, spec: SideSpec): SideSummary => {
    const s = sides[i];
    const sources = new Set((incidentSources.all(JSON.stringify(s.incidents)) as { source_id: bigint }[]).map((r) => num(r.source_id)));
    for (const o of failures[i]) sources.add(num(o.source_id));
    return {
      label: sideLabel(spec),
      incidents: s.incidents.length,
      unsignedIncidents: s.incidents.length - signatureCounts[i]!.signed,
      ioctlFailures: [...failureCounts[i]!.values()].reduce((n, c) => n + c.count, 0),
      sources: sources.size,
    };
  };
  return { driver: key, mode, a: summary(0, q.a), b: summary(1, q.b), unplacedIncidents, unplacedIoctlFailures, signatures, ioctlFailures };
}
