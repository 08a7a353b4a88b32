/**
 * Correlation: rows from different sources that describe the same IRP are linked to one IRP lifetime.
 *
 * An IRP address is not an identity: the I/O manager recycles IRPs from lookaside lists, so one address carries
 * many requests over a trace. Timed rows (ETW events, anything with FILETIME ticks and an IRP pointer) are cut
 * into lifetimes per source and address: a dispatch call after a completion starts a new lifetime, and so does a
 * silence longer than the window. Untimed rows (a `!irp` dump, its IOCTL, a verifier line) are then matched to
 * the lifetimes of their address; the time they stand at is their incident's time (the debug session time of the
 * crash). A match needs the same address, a compatible FileObject and driver, and a lifetime alive at that time;
 * when more than one lifetime fits, nothing is linked and the row says why (docs/schema.md, "Correlation").
 */
import type { Connection } from './store.js';
import { driverKey } from './column-values.js';

/** How far apart two timed rows of one IRP may be, and how far a crash may be from the IRP's last event: 5 s. */
export const DEFAULT_WINDOW_TICKS = 5n * 10_000_000n;

export type LifetimeMark = 'start' | 'end' | 'during';

/**
 * Which rows open and close a request. ETW's driver IRP events: a dispatch call opens, IoCompleteRequest closes.
 * DiskIo logs ReadInit/WriteInit when a request is issued and Read/Write when it completes; FileIo logs the
 * operation when it starts and OpEnd when it ends. Other types are marked by the same words in their names.
 */
export function lifetimeMark(type: string, name: string | null): LifetimeMark {
  const n = name ?? '';
  if (type === 'driverIrp') return n === 'DriverMajorFunctionCall' ? 'start' : n === 'DriverCompleteRequest' ? 'end' : 'during';
  if (type === 'diskIo') return /Init$/.test(n) ? 'start' : /^(Read|Write|FlushBuffers)$/.test(n) ? 'end' : 'during';
  if (type === 'fileIo') return n === 'OpEnd' ? 'end' : n === 'Name' ? 'during' : 'start';
  if (/MajorFunctionCall|MjFnCall/i.test(n)) return 'start';
  if (/CompleteRequest$|ComplReq$/i.test(n)) return 'end';
  return 'during';
}

interface OpenLifetime {
  id: number;
  irp: string;
  firstTicks: bigint;
  lastTicks: bigint;
  firstLine: number;
  fileObject: string | null;
  driverKey: string | null;
  rows: number;
  completed: boolean;
}

/**
 * Cuts one source's timed rows into lifetimes as they stream in, so each row gets its lifetime id at insert and a
 * lifetime is written once, when it closes. Ids are handed out here (the source's transaction holds the write
 * lock, so nobody else takes them); `lifetime_id` columns carry no declared foreign key for that reason (a
 * deferred one would make SQLite search every child table each time a lifetime arrives).
 */
export class LifetimeTracker {
  private readonly open = new Map<string, OpenLifetime>();
  private nextId: number;
  private readonly insert;
  private written = 0;
  private newest = 0n;
  private sinceSweep = 0;

  constructor(private readonly db: Connection, private readonly sourceId: number, private readonly windowTicks = DEFAULT_WINDOW_TICKS) {
    const row = db.prepare('SELECT coalesce(max(id), 0) AS id FROM irp_lifetimes').get() as { id: bigint };
    this.nextId = Number(row.id) + 1;
    this.insert = db.rowWriter('INSERT INTO irp_lifetimes (id, source_id, irp, first_ticks, last_ticks, first_line, file_object, driver_key, row_count, completed) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)');
  }

  /** The lifetime this timed row belongs to. */
  assign(irp: string, ticks: bigint, line: number, mark: LifetimeMark, fileObject: string | null, driverKey: string | null): number {
    if (ticks > this.newest) this.newest = ticks;
    if (++this.sinceSweep >= 4096) this.sweep();
    let current = this.open.get(irp);
    const gap = current ? ticks - current.lastTicks : 0n;
    const reused = current !== undefined && ((current.completed && mark === 'start') || gap > this.windowTicks || gap < -this.windowTicks
      || (fileObject !== null && current.fileObject !== null && fileObject !== current.fileObject));
    if (!current || reused) {
      if (current) this.write(current);
      current = { id: this.nextId++, irp, firstTicks: ticks, lastTicks: ticks, firstLine: line, fileObject, driverKey, rows: 0, completed: false };
      this.open.set(irp, current);
    }
    current.rows++;
    if (ticks > current.lastTicks) current.lastTicks = ticks;
    if (ticks < current.firstTicks) current.firstTicks = ticks;
    current.fileObject ??= fileObject;
    current.driverKey ??= driverKey;
    if (mark === 'end') current.completed = true;
    return current.id;
  }

  /**
   * Writes out lifetimes silent for longer than the window: the next row at their address would start a new one
   * anyway. Keeps memory to the IRPs active in one window, however long the trace (a generated 1 M-row trace has
   * 700 k distinct addresses).
   */
  private sweep(): void {
    this.sinceSweep = 0;
    const horizon = this.newest - this.windowTicks;
    for (const [irp, l] of this.open) {
      if (l.lastTicks < horizon) {
        this.write(l);
        this.open.delete(irp);
      }
    }
  }

  private write(l: OpenLifetime): void {
    this.insert.write(l.id, this.sourceId, l.irp, l.firstTicks, l.lastTicks, l.firstLine, l.fileObject, l.driverKey, l.rows, l.completed ? 1 : 0);
    this.written++;
  }

  /** Writes the lifetimes still open; returns how many this source made. */
  finish(): number {
    for (const l of this.open.values()) this.write(l);
    this.open.clear();
    return this.written;
  }
}

interface LifetimeRow {
  id: bigint;
  source_id: bigint;
  first_ticks: bigint;
  last_ticks: bigint;
  file_object: string | null;
  driver_key: string | null;
  completed: bigint;
  /** When the next lifetime of the same address in the same source starts: this one ended by then. */
  next_ticks: bigint | null;
}

/** What an untimed row knows about its IRP. */
export interface IrpFacts {
  readonly irp: string;
  readonly fileObjects: readonly string[];
  readonly driverKeys: readonly string[];
  /** The time the row stands at (its incident's time), or null. */
  readonly ticks: bigint | null;
}

export type Match = { lifetimeId: number; note: null } | { lifetimeId: null; note: string | null };

/** Candidate lifetimes of one address with the time each one ended (its completion, or its successor's start). */
function lifetimesOf(db: Connection, irp: string): LifetimeRow[] {
  return db.prepare(`
    SELECT id, source_id, first_ticks, last_ticks, file_object, driver_key, completed,
      lead(first_ticks) OVER (PARTITION BY source_id ORDER BY first_ticks, id) AS next_ticks
    FROM irp_lifetimes WHERE irp = ? ORDER BY first_ticks, id`).all(irp) as LifetimeRow[];
}

export function matchLifetime(db: Connection, facts: IrpFacts, windowTicks = DEFAULT_WINDOW_TICKS): Match {
  const all = lifetimesOf(db, facts.irp);
  if (all.length === 0) return { lifetimeId: null, note: null };
  const fits = all.filter((l) => {
    if (l.file_object !== null && facts.fileObjects.length > 0 && !facts.fileObjects.includes(l.file_object)) return false;
    if (l.driver_key !== null && facts.driverKeys.length > 0 && !facts.driverKeys.includes(l.driver_key)) return false;
    if (facts.ticks === null) return true;
    // Alive at the crash: started no later than it, and not completed (or replaced) well before it.
    const end = l.completed ? l.last_ticks : l.next_ticks ?? null;
    return l.first_ticks <= facts.ticks + windowTicks && (end === null || end >= facts.ticks - windowTicks);
  });
  if (fits.length === 1) return { lifetimeId: Number(fits[0]!.id), note: null };
  if (fits.length === 0) {
    return { lifetimeId: null, note: `not linked: ${all.length} lifetime${all.length === 1 ? '' : 's'} of IRP ${facts.irp} in timed sources, none with the same FileObject/driver${facts.ticks === null ? '' : ' alive at this time'}` };
  }
  const why = facts.ticks === null ? 'this row has no time to choose between them' : 'more than one is alive in the window';
  return { lifetimeId: null, note: `not linked: IRP ${facts.irp} has ${fits.length} matching lifetimes (the address was reused) and ${why}` };
}

interface UntimedRow {
  table: 'irps' | 'ioctl_occurrences' | 'events';
  id: bigint;
  irp: string;
  ticks: bigint | null;
  file_object: string | null;
  driver_key: string | null;
}

/**
 * Links (or refuses, with a note) every untimed IRP-bearing row whose address the new source touches: its own
 * untimed rows, and other sources' rows whose address gained lifetimes. Re-evaluating the latter keeps the result
 * independent of ingest order: a dump ingested before its trace is linked when the trace arrives, and a link that
 * a newer trace makes ambiguous is withdrawn.
 */
export function linkUntimedRows(db: Connection, sourceId: number, windowTicks = DEFAULT_WINDOW_TICKS): { linked: number; refused: number } {
  // The time an untimed row stands at: its own ticks if any, else its incident's. Untimed rows are few (dumps),
  // lifetimes many (a trace): each untimed row asks whether the new source made a lifetime at its address.
  const touched = (column: string): string => `(${column.split('.')[0]}.source_id = :source
    OR EXISTS (SELECT 1 FROM irp_lifetimes l WHERE l.irp = ${column} AND l.source_id = :source))`;
  const rows = db.prepare(`
    SELECT 'irps' AS "table", r.id, r.address AS irp, i.time_ticks AS ticks,
      (SELECT s.file_object FROM stack_locations s WHERE s.irp_id = r.id AND s.current = 1) AS file_object, r.driver_key
      FROM irps r LEFT JOIN incidents i ON i.id = r.incident_id WHERE r.address IS NOT NULL AND ${touched('r.address')}
    UNION ALL
    SELECT 'ioctl_occurrences', o.id, o.irp, o.time_ticks, NULL, o.driver_key
      FROM ioctl_occurrences o WHERE o.irp IS NOT NULL AND o.time_from IS DISTINCT FROM 'source' AND ${touched('o.irp')}
    UNION ALL
    SELECT 'events', e.id, e.irp, i.time_ticks, e.file_object, e.driver_key
      FROM events e LEFT JOIN incidents i ON i.id = e.incident_id WHERE e.irp IS NOT NULL AND e.time_ticks IS NULL AND ${touched('e.irp')}`).all({ source: sourceId }) as UntimedRow[];
  const driversOfIrp = db.prepare('SELECT DISTINCT driver FROM stack_locations WHERE irp_id = ? AND driver IS NOT NULL');
  const update = {
    irps: db.prepare('UPDATE irps SET lifetime_id = ?, correlation_note = ? WHERE id = ?'),
    ioctl_occurrences: db.prepare('UPDATE ioctl_occurrences SET lifetime_id = ?, correlation_note = ? WHERE id = ?'),
    events: db.prepare('UPDATE events SET lifetime_id = ?, correlation_note = ? WHERE id = ?'),
  };
  let linked = 0;
  let refused = 0;
  for (const row of rows) {
    const driverKeys = new Set<string>();
    if (row.driver_key) driverKeys.add(row.driver_key);
    if (row.table === 'irps') {
      for (const d of driversOfIrp.all(row.id) as { driver: string }[]) {
        const key = driverKey(d.driver);
        if (key) driverKeys.add(key);
      }
    }
    const match = matchLifetime(db, { irp: row.irp, fileObjects: row.file_object ? [row.file_object] : [], driverKeys: [...driverKeys], ticks: row.ticks }, windowTicks);
    update[row.table].run(match.lifetimeId, match.note, row.id);
    if (match.lifetimeId !== null) linked++;
    else if (match.note !== null) refused++;
  }
  return { linked, refused };
}
