/**
 * `irpscope show <incident>`: one incident and everything linked to it: parameters, frames, the IRPs dumped with
 * their stack locations, the IOCTLs, verifier flags, session context, and what other sources say about the same
 * IRPs (ETW timing, statuses), or why they were not linked.
 */
import type { Connection } from '../store.js';
import { matchLifetime } from '../correlate.js';
import { incidentSummary, type IncidentSummary } from './incidents.js';
import { hexCode, num, numOrNull, ticksText, timeOf } from './values.js';

export interface StackLocationView {
  readonly location: number;
  readonly current: boolean;
  readonly majorFunction: string | null;
  readonly minorFunction: string | null;
  readonly device: string | null;
  readonly fileObject: string | null;
  readonly driver: string | null;
  readonly completionRoutine: string | null;
  readonly args: readonly string[];
  readonly ioctl: string | null;
  readonly line: number;
}

export interface IrpView {
  readonly id: number;
  readonly address: string | null;
  readonly majorFunction: string | null;
  readonly minorFunction: string | null;
  readonly ioctl: string | null;
  readonly status: string | null;
  readonly statusName: string | null;
  readonly driver: string | null;
  readonly lifetime: number | null;
  readonly correlationNote: string | null;
  readonly source: string;
  readonly line: number;
  readonly locations: readonly StackLocationView[];
}

export interface IoctlView {
  readonly id: number;
  readonly code: string;
  readonly name: string | null;
  readonly via: string;
  readonly majorFunction: string | null;
  readonly driver: string | null;
  readonly irp: string | null;
  readonly status: string | null;
  readonly statusText: string | null;
  readonly time: string | null;
  readonly deviceType: string | null;
  readonly function: number | null;
  readonly method: string | null;
  readonly access: string | null;
  readonly lifetime: number | null;
  readonly correlationNote: string | null;
  readonly source: string;
  readonly line: number;
}

export interface FrameView {
  readonly frame: number | null;
  readonly symbol: string;
  readonly verifier: boolean;
  readonly line: number;
}

export interface FlagView {
  readonly name: string;
  readonly enabled: boolean;
  readonly bit: string | null;
  readonly line: number;
}

export interface EventView {
  readonly id: number;
  readonly type: string;
  readonly name: string | null;
  readonly time: string | null;
  readonly timeTicks: string | null;
  readonly irp: string | null;
  readonly fileObject: string | null;
  readonly status: string | null;
  readonly lifetime: number | null;
  readonly source: string;
  readonly line: number;
  readonly record: unknown;
}

/** One IRP request as the timed sources saw it, linked to this incident's IRP. */
export interface LifetimeView {
  readonly id: number;
  readonly irp: string;
  readonly first: string;
  readonly last: string;
  readonly completed: boolean;
  readonly source: string;
  readonly events: readonly EventView[];
  readonly ioctls: readonly IoctlView[];
}

export interface IncidentDetail {
  readonly incident: IncidentSummary & {
    readonly via: string;
    readonly irp: string | null;
    readonly failureHash: string | null;
    readonly bugcheckStr: string | null;
    readonly probablyCausedBy: string | null;
    readonly parameters: unknown;
    readonly cases: unknown;
    readonly details: Record<string, string>;
  };
  readonly frames: readonly FrameView[];
  readonly irps: readonly IrpView[];
  readonly ioctls: readonly IoctlView[];
  readonly verifierFlags: readonly FlagView[];
  readonly events: readonly EventView[];
  readonly lifetimes: readonly LifetimeView[];
  /** Why rows of this incident were not linked to a lifetime (pointer reuse, no time to choose). */
  readonly correlationNotes: readonly string[];
}

const IOCTL_COLUMNS = `o.id, o.code, c.name, o.via, o.major_function, o.driver, o.irp, o.status, o.status_text, o.time_ticks, o.time_text,
  c.device_type, c.function, c.method, c.access, o.lifetime_id, o.correlation_note, s.path, o.line`;

function ioctlView(r: Record<string, unknown>): IoctlView {
  return {
    id: num(r.id), code: hexCode(r.code)!, name: r.name as string | null, via: r.via as string, majorFunction: r.major_function as string | null,
    driver: r.driver as string | null, irp: r.irp as string | null, status: hexCode(r.status), statusText: r.status_text as string | null,
    time: timeOf(r.time_ticks, r.time_text), deviceType: r.device_type === null ? null : `0x${num(r.device_type).toString(16).toUpperCase().padStart(4, '0')}`,
    function: numOrNull(r.function), method: r.method as string | null, access: r.access as string | null,
    lifetime: numOrNull(r.lifetime_id), correlationNote: r.correlation_note as string | null, source: r.path as string, line: num(r.line),
  };
}

function eventView(r: Record<string, unknown>): EventView {
  return {
    id: num(r.id), type: r.type as string, name: r.name as string | null, time: timeOf(r.time_ticks, r.time_text), timeTicks: ticksText(r.time_ticks),
    irp: r.irp as string | null, fileObject: r.file_object as string | null, status: hexCode(r.status), lifetime: numOrNull(r.lifetime_id),
    source: r.path as string, line: num(r.line),
    record: JSON.parse(r.record as string) as unknown,
  };
}

export function selectIncident(db: Connection, id: number): IncidentDetail | null {
  const row = db.prepare('SELECT i.*, s.path FROM incidents i JOIN sources s ON s.id = i.source_id WHERE i.id = ?').get(id) as Record<string, unknown> | undefined;
  if (!row) return null;
  const incident = {
    ...incidentSummary(row),
    via: row.via as string,
    irp: row.irp as string | null,
    failureHash: row.failure_hash as string | null,
    bugcheckStr: row.bugcheck_str as string | null,
    probablyCausedBy: row.probably_caused_by as string | null,
    parameters: JSON.parse(row.parameters as string) as unknown,
    cases: JSON.parse(row.cases as string) as unknown,
    details: JSON.parse(row.details as string) as Record<string, string>,
  };
  const frames = (db.prepare('SELECT frame, symbol, verifier, line FROM frames WHERE incident_id = ? ORDER BY line, id').all(id) as Record<string, unknown>[])
    .map((f) => ({ frame: numOrNull(f.frame), symbol: f.symbol as string, verifier: num(f.verifier) === 1, line: num(f.line) }));
  const locations = db.prepare('SELECT * FROM stack_locations WHERE irp_id = ? ORDER BY location, id');
  const irps = (db.prepare('SELECT r.*, s.path FROM irps r JOIN sources s ON s.id = r.source_id WHERE r.incident_id = ? ORDER BY r.line, r.id').all(id) as Record<string, unknown>[])
    .map((r): IrpView => ({
      id: num(r.id), address: r.address as string | null, majorFunction: r.major_function as string | null, minorFunction: r.minor_function as string | null,
      ioctl: hexCode(r.ioctl), status: hexCode(r.status), statusName: r.status_name as string | null, driver: r.driver as string | null,
      lifetime: numOrNull(r.lifetime_id), correlationNote: r.correlation_note as string | null, source: r.path as string, line: num(r.line),
      locations: (locations.all(r.id) as Record<string, unknown>[]).map((l) => ({
        location: num(l.location), current: num(l.current) === 1, majorFunction: l.major_function as string | null, minorFunction: l.minor_function as string | null,
        device: l.device as string | null, fileObject: l.file_object as string | null, driver: l.driver as string | null,
        completionRoutine: l.completion_routine as string | null, args: JSON.parse(l.args as string) as string[], ioctl: hexCode(l.ioctl), line: num(l.line),
      })),
    }));
  const ioctls = (db.prepare(`SELECT ${IOCTL_COLUMNS} FROM ioctl_occurrences o JOIN sources s ON s.id = o.source_id LEFT JOIN ioctl_codes c ON c.code = o.code
    WHERE o.incident_id = ? ORDER BY o.line, o.id`).all(id) as Record<string, unknown>[]).map(ioctlView);
  const verifierFlags = (db.prepare('SELECT name, enabled, bit, line FROM verifier_flags WHERE incident_id = ? ORDER BY line, id').all(id) as Record<string, unknown>[])
    .map((f) => ({ name: f.name as string, enabled: num(f.enabled) === 1, bit: hexCode(f.bit), line: num(f.line) }));
  const events = (db.prepare(`SELECT e.*, s.path FROM events e JOIN sources s ON s.id = e.source_id WHERE e.incident_id = ? AND e.type <> 'bugcheck'
    ORDER BY e.line, e.id`).all(id) as Record<string, unknown>[]).map(eventView);

  // Lifetimes linked from this incident's rows, in time order.
  const lifetimeIds = new Set<number>();
  for (const r of [...irps, ...ioctls, ...events]) if (r.lifetime !== null) lifetimeIds.add(r.lifetime);
  const notes: string[] = [];
  // The IRP the bugcheck names, when no dump of it was linked: matched here by the same rules.
  if (incident.irp !== null && !irps.some((r) => r.address === incident.irp)) {
    const match = matchLifetime(db, { irp: incident.irp, fileObjects: [], driverKeys: [], ticks: row.time_ticks as bigint | null });
    if (match.lifetimeId !== null) lifetimeIds.add(match.lifetimeId);
    else if (match.note !== null) notes.push(`bugcheck IRP argument: ${match.note}`);
  }
  const lifetimeRow = db.prepare('SELECT l.*, s.path FROM irp_lifetimes l JOIN sources s ON s.id = l.source_id WHERE l.id = ?');
  const lifetimeEvents = db.prepare('SELECT e.*, s.path FROM events e JOIN sources s ON s.id = e.source_id WHERE e.lifetime_id = ? ORDER BY e.time_ticks, e.line');
  const lifetimeIoctls = db.prepare(`SELECT ${IOCTL_COLUMNS} FROM ioctl_occurrences o JOIN sources s ON s.id = o.source_id LEFT JOIN ioctl_codes c ON c.code = o.code
    WHERE o.lifetime_id = ? AND (o.incident_id IS NOT ? ) ORDER BY o.time_ticks, o.line`);
  const lifetimes = [...lifetimeIds].map((lid): LifetimeView => {
    const l = lifetimeRow.get(lid) as Record<string, unknown>;
    return {
      id: lid, irp: l.irp as string, first: timeOf(l.first_ticks, null)!, last: timeOf(l.last_ticks, null)!, completed: num(l.completed) === 1, source: l.path as string,
      events: (lifetimeEvents.all(lid) as Record<string, unknown>[]).map(eventView),
      ioctls: (lifetimeIoctls.all(lid, id) as Record<string, unknown>[]).map(ioctlView),
    };
  }).sort((a, b) => a.first.localeCompare(b.first) || a.id - b.id);
  const correlationNotes = [...new Set([...irps, ...ioctls].map((r) => r.correlationNote).filter((n): n is string => n !== null).concat(notes))];
  return { incident, frames, irps, ioctls, verifierFlags, events, lifetimes, correlationNotes };
}
