/**
 * Store -> store: pushes the sources one store holds into another, typically a laptop's SQLite file into the team's
 * PostgreSQL server (`irpscope sync`). The target ends up as if it had ingested the same files itself: every row of
 * a source comes across with the ids the target assigns, and what ingest derives from a whole store (IOCTL counts,
 * correlation with the other sources, signatures and bucket summaries) is derived again, by the ingest's own code.
 *
 * One source is one write transaction on the target (db/write-lock.ts), so an interrupted sync leaves whole sources
 * only and a re-run finishes the job; a source the target already holds (same content hash and format) is
 * `unchanged`, checked again under the write lock so that two syncs, or a sync and an ingest, never store it twice.
 *
 * What is copied is read off the source database itself (its tables, their columns) and checked against
 * SYNCED_TABLES before anything is written: a table or a column this code does not know fails the sync loudly
 * instead of being left behind.
 */
import type { Connection, Store } from './store.js';
import { addIoctlCounts, dropIndexesForBulkLoad } from './ingest.js';
import { DEFAULT_WINDOW_TICKS, linkUntimedRows } from './correlate.js';
import { signSource } from './signatures.js';
import { beginWrite } from './write-lock.js';
import type { RuleSet } from '../src/signature/rules.js';

export class SyncError extends Error {}

/** Where a column's id points: a table of the same source, or, for `relinked`, maybe another source's row. */
interface ForeignId {
  readonly table: string;
  /**
   * Correlation links an untimed row (a `!irp` dump) to a lifetime of another source (an ETW trace). Such a link is
   * not copied as it stands: it is left NULL, and the correlation pass that ingest runs for a new source
   * (linkUntimedRows) links the row again against what the target holds, as it would for an ingest.
   */
  readonly relinked?: true;
}

/** search_index.ref_id: which table it points into depends on the row's `kind`; null: not an id, kept as it is. */
interface IdByKind {
  readonly kindColumn: string;
  readonly tables: Readonly<Record<string, string | null>>;
}

export interface SyncedTable {
  readonly name: string;
  /** The column that says which source a row belongs to (`id` for sources itself). */
  readonly sourceColumn: string;
  /** The row's own id: given anew by the target (max + 1, in the source's order), or, for `rowid`, left to it. */
  readonly key: 'id' | 'rowid';
  readonly foreign: Readonly<Record<string, ForeignId | IdByKind>>;
}

/**
 * The tables copied row by row, in the order they are written (a row's foreign ids point at rows written before
 * it). Columns not named under `foreign` are copied as they are.
 */
export const SYNCED_TABLES: readonly SyncedTable[] = [
  { name: 'sources', sourceColumn: 'id', key: 'id', foreign: {} },
  { name: 'incidents', sourceColumn: 'source_id', key: 'id', foreign: { source_id: { table: 'sources' } } },
  { name: 'irp_lifetimes', sourceColumn: 'source_id', key: 'id', foreign: { source_id: { table: 'sources' } } },
  { name: 'irps', sourceColumn: 'source_id', key: 'id', foreign: {
    source_id: { table: 'sources' }, incident_id: { table: 'incidents' }, lifetime_id: { table: 'irp_lifetimes', relinked: true } } },
  { name: 'stack_locations', sourceColumn: 'source_id', key: 'id', foreign: { irp_id: { table: 'irps' }, source_id: { table: 'sources' } } },
  { name: 'ioctl_occurrences', sourceColumn: 'source_id', key: 'id', foreign: {
    source_id: { table: 'sources' }, incident_id: { table: 'incidents' }, lifetime_id: { table: 'irp_lifetimes', relinked: true } } },
  { name: 'frames', sourceColumn: 'source_id', key: 'id', foreign: { source_id: { table: 'sources' }, incident_id: { table: 'incidents' } } },
  { name: 'verifier_flags', sourceColumn: 'source_id', key: 'id', foreign: { source_id: { table: 'sources' }, incident_id: { table: 'incidents' } } },
  { name: 'events', sourceColumn: 'source_id', key: 'id', foreign: {
    source_id: { table: 'sources' }, incident_id: { table: 'incidents' }, lifetime_id: { table: 'irp_lifetimes', relinked: true } } },
  { name: 'skipped_lines', sourceColumn: 'source_id', key: 'id', foreign: { source_id: { table: 'sources' } } },
  { name: 'driver_versions', sourceColumn: 'source_id', key: 'id', foreign: { source_id: { table: 'sources' }, incident_id: { table: 'incidents' } } },
  // Last: its rows point into every table above. kind 'ioctl' rows (source_id NULL, ref_id an IOCTL code) come
  // with the codes the source brings (see IOCTL_CODES).
  { name: 'search_index', sourceColumn: 'source_id', key: 'rowid', foreign: {
    source_id: { table: 'sources' },
    ref_id: { kindColumn: 'kind', tables: { source: 'sources', incident: 'incidents', frame: 'frames', irp: 'irps', event: 'events', skipped: 'skipped_lines', ioctl: null } } } },
];

/**
 * Shared by every source: a code the target lacks is inserted with the source's decoding and its search row; one it
 * has keeps the target's (whose names may come from another machine's private catalog).
 */
export const IOCTL_CODES = 'ioctl_codes';

/**
 * Tables not copied because the target derives them, as ingest does, from the rows copied: what is derived from
 * a store's whole content would be wrong copied from another store.
 */
export const DERIVED_TABLES: Readonly<Record<string, string>> = {
  ioctl_counts: 'added from the copied ioctl_occurrences (addIoctlCounts)',
  incident_signatures: 'the copied incidents are signed on the target (signSource)',
  rule_sets: 'recorded by signSource with the rules that sign',
  bucket_summaries: 'refreshed by signSource for the buckets it touches',
  schema_version: "the target's own migrations (openStore)",
};

export interface SyncedSource {
  /** The path the source store recorded (absolute for files). */
  readonly path: string;
  readonly contentHash: string;
  readonly format: string;
  readonly records: number;
  readonly status: 'ingested' | 'unchanged';
}

export interface SyncReport {
  readonly sources: SyncedSource[];
  readonly copied: number;
  readonly unchanged: number;
}

export interface SyncOptions {
  /** The rules the copied incidents are signed with (default: the built-in rules/). */
  readonly ruleSet?: RuleSet;
  /** Called once a source's rows are written, inside its open transaction (tests interrupt a sync here). */
  readonly afterSource?: (source: SyncedSource) => void;
  /** Called after the first check for a source and before the write lock (tests race another writer here). */
  readonly beforeWriteLock?: (source: SyncedSource) => void;
  /** Called after each source, committed or found unchanged (progress). */
  readonly onSource?: (source: SyncedSource) => void;
}

/**
 * Old ids to new ones, kept as runs: rows are written in the source's id order and get consecutive new ids, so a
 * source's million events are one run (a few numbers), not a million map entries.
 */
class IdMap {
  private readonly oldStarts: number[] = [];
  private readonly newStarts: number[] = [];
  private readonly lengths: number[] = [];

  add(oldId: number, newId: number): void {
    const last = this.oldStarts.length - 1;
    if (last >= 0 && this.oldStarts[last]! + this.lengths[last]! === oldId && this.newStarts[last]! + this.lengths[last]! === newId) {
      this.lengths[last]!++;
      return;
    }
    this.oldStarts.push(oldId);
    this.newStarts.push(newId);
    this.lengths.push(1);
  }

  get(oldId: number): number | undefined {
    let low = 0;
    let high = this.oldStarts.length - 1;
    while (low <= high) {
      const mid = (low + high) >> 1;
      const start = this.oldStarts[mid]!;
      if (oldId < start) high = mid - 1;
      else if (oldId >= start + this.lengths[mid]!) low = mid + 1;
      else return this.newStarts[mid]! + (oldId - start);
    }
    return undefined;
  }
}

const quoted = (name: string): string => `"${name.replace(/"/g, '""')}"`;

/** The tables of a database, without SQLite's own and the FTS5 index's shadow tables. */
function tablesOf(db: Connection): string[] {
  const rows = db.dialect === 'postgres'
    ? db.prepare("SELECT table_name AS name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY 1").all()
    : db.prepare("SELECT name FROM pragma_table_list WHERE schema = 'main' AND type IN ('table', 'virtual') AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY 1").all();
  return (rows as { name: string }[]).map((r) => r.name);
}

/** A table's stored columns in their order: no generated column (PostgreSQL's search_index.words), no hidden one. */
function columnsOf(db: Connection, table: string): string[] {
  const rows = db.dialect === 'postgres'
    ? db.prepare(`SELECT column_name AS name FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = ? AND is_generated = 'NEVER'
        ORDER BY ordinal_position`).all(table)
    : db.prepare('SELECT name FROM pragma_table_xinfo(?) WHERE hidden = 0 ORDER BY cid').all(table);
  return (rows as { name: string }[]).map((r) => r.name);
}

interface TablePlan {
  readonly table: SyncedTable;
  /** The columns copied (the source's), the key left out. */
  readonly columns: readonly string[];
}

/**
 * What will be copied, from the source's own catalogue; refuses a source table that is neither copied nor derived,
 * and a source column the target lacks (a target at an older schema, or a column added without teaching sync).
 */
function planSync(from: Connection, to: Connection): { plans: TablePlan[]; codeColumns: string[] } {
  const known = new Set([...SYNCED_TABLES.map((t) => t.name), IOCTL_CODES, ...Object.keys(DERIVED_TABLES)]);
  const unknown = tablesOf(from).filter((t) => !known.has(t));
  if (unknown.length > 0) {
    throw new SyncError(`the source store has table${unknown.length === 1 ? '' : 's'} ${unknown.join(', ')} that sync does not know how to copy (db/sync.ts, SYNCED_TABLES); nothing was copied`);
  }
  const checked = (table: string, key?: string): string[] => {
    const columns = columnsOf(from, table).filter((c) => c !== key);
    if (columns.length === 0) throw new SyncError(`the source store has no table ${table}; nothing was copied`);
    const target = new Set(columnsOf(to, table));
    const missing = columns.filter((c) => !target.has(c));
    if (missing.length > 0) {
      throw new SyncError(`the target store's table ${table} lacks column${missing.length === 1 ? '' : 's'} ${missing.join(', ')} that the source has; upgrade irpscope where the target is written, nothing was copied`);
    }
    return columns;
  };
  // The key is given anew: PostgreSQL's search_index.rowid is a column, SQLite's is not, and neither is copied.
  const plans = SYNCED_TABLES.map((table) => ({ table, columns: checked(table.name, table.key) }));
  for (const plan of plans) {
    for (const column of Object.keys(plan.table.foreign)) {
      if (!plan.columns.includes(column)) throw new SyncError(`the source store's table ${plan.table.name} has no column ${column} (db/sync.ts expects one)`);
    }
  }
  return { plans, codeColumns: checked(IOCTL_CODES) };
}

/** Rows per INSERT: one statement per few hundred rows, well under SQLite's 32 766 parameters. */
const BATCH_PARAMETERS = 8_000;
const MAX_BATCH_ROWS = 500;

/** Multi-row INSERTs through statements prepared once per size (on PostgreSQL one round trip per batch). */
class BatchInsert {
  private readonly pending: unknown[][] = [];
  private readonly statements = new Map<number, ReturnType<Connection['prepare']>>();
  private readonly batchRows: number;

  constructor(private readonly db: Connection, private readonly table: string, private readonly columns: readonly string[]) {
    this.batchRows = Math.max(1, Math.min(MAX_BATCH_ROWS, Math.floor(BATCH_PARAMETERS / columns.length)));
  }

  push(row: unknown[]): void {
    this.pending.push(row);
    if (this.pending.length >= this.batchRows) this.flush();
  }

  flush(): void {
    if (this.pending.length === 0) return;
    const rows = this.pending.length;
    let statement = this.statements.get(rows);
    if (!statement) {
      const tuple = `(${this.columns.map(() => '?').join(', ')})`;
      statement = this.db.prepare(`INSERT INTO ${this.table} (${this.columns.map(quoted).join(', ')}) VALUES ${Array.from({ length: rows }, () => tuple).join(', ')}`);
      // Only the full size is worth keeping: the last, shorter batch of a table comes once.
      if (rows === this.batchRows) this.statements.set(rows, statement);
    }
    statement.run(...this.pending.flat());
    this.pending.length = 0;
  }
}

const num = (value: unknown): number => Number(value as bigint | number);

/** Copies one source's rows into the target's open transaction; returns the new source id. */
class SourceCopy {
  private readonly maps = new Map<string, IdMap>();
  /** Ids given out per table; on PostgreSQL the identity sequences are moved past them at the end. */
  private readonly assigned = new Set<string>();
  /** The IOCTL codes this source brought to the target. */
  private codes: number[] = [];

  constructor(private readonly from: Connection, private readonly to: Connection, private readonly plans: readonly TablePlan[], private readonly codeColumns: readonly string[],
    private readonly search: SearchRows) {}

  private map(table: string): IdMap {
    let map = this.maps.get(table);
    if (!map) this.maps.set(table, (map = new IdMap()));
    return map;
  }

  /** The new value of a foreign id column (null stays null). */
  private foreignValue(plan: TablePlan, column: string, spec: ForeignId, value: unknown, oldKey: number): unknown {
    if (value === null || value === undefined) return null;
    const mapped = this.map(spec.table).get(num(value));
    // In the value's own type: better-sqlite3 binds a JS number as a REAL and a BigInt as an INTEGER, and
    // search_index (FTS5, no column types) keeps either as given; ingest stores its source_id as a REAL.
    if (mapped !== undefined) return typeof value === 'bigint' ? BigInt(mapped) : mapped;
    if (spec.relinked) return null;
    throw new SyncError(`${plan.table.name} row ${oldKey}: ${column} = ${String(value)} is not a row of ${spec.table} in the same source; the source store is inconsistent, nothing of this source was copied`);
  }

  /** Copies rows (`[key, ...plan.columns]`): by default, the source's rows of the table in key order. */
  private copyTable(plan: TablePlan, sourceId: number, rows?: Iterable<unknown[]>): void {
    const { table, columns } = plan;
    const keyed = table.key === 'id';
    const insert = new BatchInsert(this.to, table.name, keyed ? ['id', ...columns] : columns);
    let next = 0;
    if (keyed) {
      // Under the write lock: nobody else gives out ids until COMMIT. Ids the target assigns itself would not do:
      // irp_lifetimes ids are handed out as max + 1 by ingest (LifetimeTracker), never by a PostgreSQL sequence.
      next = num((this.to.prepare(`SELECT coalesce(max(id), 0) AS id FROM ${table.name}`).get() as { id: unknown }).id) + 1;
      this.assigned.add(table.name);
    }
    const foreign = Object.entries(table.foreign).map(([column, spec]) => ({ column, at: columns.indexOf(column), spec }));
    const kindAt = new Map(foreign.map((f) => [f.column, 'kindColumn' in f.spec ? columns.indexOf(f.spec.kindColumn) : -1]));
    const own = keyed ? this.map(table.name) : null;
    rows ??= this.from.prepare(`SELECT ${[table.key, ...columns].map(quoted).join(', ')} FROM ${table.name}
      WHERE ${quoted(table.sourceColumn)} = ? ORDER BY ${quoted(table.key)}`).raw(true).iterate(sourceId) as IterableIterator<unknown[]>;
    for (const raw of rows) {
      const oldKey = num(raw[0]);
      const row = raw.slice(1);
      for (const f of foreign) {
        let spec: ForeignId;
        if ('kindColumn' in f.spec) {
          const kind = row[kindAt.get(f.column)!] as string;
          const target = f.spec.tables[kind];
          if (target === null) continue;
          if (target === undefined) throw new SyncError(`${table.name} row ${oldKey}: kind ${JSON.stringify(kind)} names no table sync knows (db/sync.ts, SYNCED_TABLES); nothing of this source was copied`);
          spec = { table: target };
        } else {
          spec = f.spec;
        }
        row[f.at] = this.foreignValue(plan, f.column, spec, row[f.at], oldKey);
      }
      if (own) {
        own.add(oldKey, next);
        insert.push([BigInt(next++), ...row]);
      } else {
        insert.push(row);
      }
    }
    insert.flush();
  }

  /** The IOCTL codes the source's occurrences use and the target lacks; returns those inserted. */
  private copyCodes(sourceId: number): number[] {
    const select = this.from.prepare(`SELECT ${this.codeColumns.map(quoted).join(', ')} FROM ${IOCTL_CODES}
      WHERE code IN (SELECT code FROM ioctl_occurrences WHERE source_id = ?) ORDER BY code`).raw(true);
    const insert = this.to.prepare(`INSERT INTO ${IOCTL_CODES} (${this.codeColumns.map(quoted).join(', ')}) VALUES (${this.codeColumns.map(() => '?').join(', ')})
      ON CONFLICT (code) DO NOTHING`);
    const codeAt = this.codeColumns.indexOf('code');
    const inserted: number[] = [];
    for (const row of select.all(sourceId) as unknown[][]) {
      if (insert.run(...row).changes > 0) inserted.push(num(row[codeAt]));
    }
    return inserted;
  }

  copy(sourceId: number): number {
    let newSource = 0;
    for (const plan of this.plans) {
      // search_index last, with the search rows of the codes this source brought (SearchRows.of).
      if (plan === this.search.plan) continue;
      // The codes before the occurrences that point at them.
      if (plan.table.name === 'ioctl_occurrences') this.codes = this.copyCodes(sourceId);
      this.copyTable(plan, sourceId);
      if (plan.table.name === 'sources') newSource = this.map('sources').get(sourceId)!;
    }
    this.copyTable(this.search.plan, sourceId, this.search.of(sourceId, new Set(this.codes)));
    return newSource;
  }

  /** PostgreSQL: identity sequences past the ids given out here, so the next ingest's server-assigned ids are free. */
  advanceSequences(): void {
    if (this.to.dialect !== 'postgres') return;
    for (const table of this.assigned) {
      this.to.prepare(`SELECT setval(pg_get_serial_sequence(?, 'id'), (SELECT max(id) FROM ${table}))`).get(table);
    }
  }
}

/**
 * One source's search_index rows, found without reading the whole index for each source: SQLite's FTS5 table cannot
 * index source_id (an UNINDEXED column), so a lookup by source_id reads every row, 42 ms per source on a 58 k-row
 * index, a sync quadratic in the number of sources. Ingest writes a source's rows in its own transaction, so they
 * lie in one rowid range: the ranges are gathered in one pass at the start and each source's rows are read by rowid
 * (a store whose index was filled otherwise, by migration 2's backfill, still gets the right rows, only more slowly).
 * The 'ioctl' rows (source_id NULL, one per code) are few and kept in memory.
 */
class SearchRows {
  private readonly ranges = new Map<number, readonly [unknown, unknown]>();
  private readonly ioctlRows: unknown[][];
  private readonly inRange;
  private readonly refAt: number;

  constructor(db: Connection, readonly plan: TablePlan) {
    const columns = [plan.table.key, ...plan.columns].map(quoted).join(', ');
    const ranges = db.prepare('SELECT source_id, min(rowid) AS first, max(rowid) AS last FROM search_index WHERE source_id IS NOT NULL GROUP BY source_id').all() as
      { source_id: unknown; first: unknown; last: unknown }[];
    for (const r of ranges) this.ranges.set(num(r.source_id), [r.first, r.last]);
    this.ioctlRows = db.prepare(`SELECT ${columns} FROM search_index WHERE kind = 'ioctl' ORDER BY rowid`).raw(true).all() as unknown[][];
    this.inRange = db.prepare(`SELECT ${columns} FROM search_index WHERE rowid BETWEEN ? AND ? AND source_id = ? ORDER BY rowid`).raw(true);
    this.refAt = 1 + plan.columns.indexOf('ref_id');
  }

  /**
   * The source's rows, and the 'ioctl' rows of the codes it brings (`ref_id` is the code), in rowid order: the
   * target's index then ranks ties as the source's does.
   */
  *of(sourceId: number, codes: ReadonlySet<number>): Generator<unknown[]> {
    const ioctl = this.ioctlRows.filter((r) => codes.has(num(r[this.refAt])));
    let next = 0;
    const range = this.ranges.get(sourceId);
    if (range) {
      for (const row of this.inRange.iterate(range[0], range[1], sourceId) as IterableIterator<unknown[]>) {
        while (next < ioctl.length && num(ioctl[next]![0]) < num(row[0])) yield ioctl[next++]!;
        yield row;
      }
    }
    while (next < ioctl.length) yield ioctl[next++]!;
  }
}

interface SourceRow {
  id: bigint | number;
  path: string;
  content_hash: string;
  format: string;
  record_count: bigint | number;
  size_bytes: bigint | number;
}

function findInTarget(db: Connection, contentHash: string, format: string): boolean {
  return db.prepare('SELECT 1 FROM sources WHERE content_hash = ? AND format = ?').get(contentHash, format) !== undefined;
}

/**
 * Copies every source of `from` that `to` lacks, oldest first, one transaction each. Throws SyncError (before
 * writing anything) when the stores' tables or columns do not match what sync knows.
 */
export function syncStores(from: Store, to: Store, options: SyncOptions = {}): SyncReport {
  const { plans, codeColumns } = planSync(from.db, to.db);
  const search = new SearchRows(from.db, plans.find((p) => p.table.name === 'search_index')!);
  const sources = from.db.prepare('SELECT id, path, content_hash, format, record_count, size_bytes FROM sources ORDER BY id').all() as SourceRow[];
  const report: SyncedSource[] = [];
  for (const s of sources) {
    const synced = (status: SyncedSource['status']): SyncedSource => ({ path: s.path, contentHash: s.content_hash, format: s.format, records: num(s.record_count), status });
    if (findInTarget(to.db, s.content_hash, s.format)) {
      report.push(synced('unchanged'));
      options.onSource?.(report[report.length - 1]!);
      continue;
    }
    options.beforeWriteLock?.(synced('ingested'));
    const db = to.db;
    beginWrite(db);
    try {
      // Again under the lock: another sync or an ingest may have stored it while we waited.
      if (findInTarget(db, s.content_hash, s.format)) {
        db.exec('ROLLBACK');
        report.push(synced('unchanged'));
        options.onSource?.(report[report.length - 1]!);
        continue;
      }
      // As ingest does for a source large next to the store (SQLite): the random-key index rebuilt once, sorted.
      const rebuildIndexes = dropIndexesForBulkLoad(db, num(s.size_bytes));
      const copy = new SourceCopy(from.db, db, plans, codeColumns, search);
      const newId = copy.copy(num(s.id));
      rebuildIndexes();
      addIoctlCounts(db, newId);
      linkUntimedRows(db, newId, DEFAULT_WINDOW_TICKS);
      signSource(db, newId, options.ruleSet);
      copy.advanceSequences();
      options.afterSource?.(synced('ingested'));
      db.exec('COMMIT');
    } catch (error) {
      if (db.inTransaction) db.exec('ROLLBACK');
      throw error;
    }
    report.push(synced('ingested'));
    options.onSource?.(report[report.length - 1]!);
  }
  const copied = report.filter((s) => s.status === 'ingested').length;
  return { sources: report, copied, unchanged: report.length - copied };
}
