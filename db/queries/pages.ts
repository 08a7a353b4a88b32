/**
 * "Show me a screenful": the browse views' rows, one page at a time, by keyset (seek) pagination.
 *
 * A view is an ordered list; a page is asked for from its start, from its end, or just after / just before the key
 * of a row already on screen. The WHERE clause seeks on the ordering key with a row-value comparison
 * (`(a, b) < (?, ?)`), so a page costs the same at row 10 and at row 10 000 000 (OFFSET would read and throw away
 * every row before it). One function per view builds its keyset; `selectPage` runs any of them.
 *
 * The ordering keys never contain NULL (a NULL would make the row-value comparison unknown and the row would
 * vanish from paging): incidents are read as two parts, the timed ones newest first, then the untimed ones.
 */
import type { Connection } from '../store.js';
import { codeColumn, driverKey, pointerColumn, ticksFromText } from '../column-values.js';

export type KeyValue = bigint | number | string;
export type PageFrom = { readonly from: 'first' } | { readonly from: 'last' } | { readonly from: 'after'; readonly key: readonly KeyValue[] }
  | { readonly from: 'before'; readonly key: readonly KeyValue[] } | { readonly from: 'at'; readonly key: readonly KeyValue[] };

export interface PageRow {
  /** The ordering key of this row: what the next and previous pages seek from. */
  readonly key: readonly KeyValue[];
  readonly values: Readonly<Record<string, unknown>>;
}

export interface Page {
  readonly rows: readonly PageRow[];
  /** More rows exist past the last row of the page, in the direction it was read. */
  readonly more: boolean;
}

/** One view as SQL: the select list and joins, the filters, the ordering key and its direction. */
export interface Keyset {
  readonly select: string;
  readonly from: string;
  readonly where: readonly string[];
  readonly params: Readonly<Record<string, unknown>>;
  /** SQL expressions, never NULL, that order the view and identify a row (when there are no segments). */
  readonly keys: readonly string[];
  /**
   * A view read as consecutive parts, each in the order of its own keys (a row's key is then [part, ...keys]).
   * Incidents: the timed ones by (time_ticks, id) through the time index, then the untimed ones by id; one
   * expression such as coalesce(time_ticks, -1) would order them the same way but no index can serve it, and
   * every page would sort the whole table (300 ms a page at 200 k incidents).
   */
  readonly segments?: readonly { readonly where: string; readonly keys: readonly string[] }[];
  readonly descending: boolean;
  /** Expressions `/` searches with LIKE (case-insensitive for ASCII). */
  readonly searchable: readonly string[];
  /** For a view of groups: the grouping columns (the keys are among them, so seeking happens before grouping). */
  readonly groupBy?: string;
}

/** What `f` narrows a view to. Every field is optional; a view ignores a field that means nothing to it. */
export interface ViewFilter {
  readonly bugcheck?: number | null;
  readonly bugcheckName?: string | null;
  readonly module?: string | null;
  readonly ioctl?: number | null;
  readonly status?: number | null;
  readonly sinceTicks?: bigint | null;
  readonly untilTicks?: bigint | null;
  /** Traces: the records of one IRP address, or of one IRP request (its lifetime id): what `f` follows. */
  readonly irp?: string | null;
  readonly request?: number | null;
}

export class FilterError extends Error {}

const FILTER_HELP = 'bugcheck=0x9F|NAME module=mydrv ioctl=0x222004 status=0xC0000010 since=2024-01-01 until=2024-02-01T12:00 irp=0xFFFF... request=N';

/** `bugcheck=0xC9 module=mydrv since=2024-01-01` -> a filter; an unknown field or a value that does not parse is an error. */
export function parseViewFilter(text: string): ViewFilter {
  const filter: { -readonly [K in keyof ViewFilter]: ViewFilter[K] } = {};
  for (const word of text.trim().split(/\s+/).filter((w) => w !== '')) {
    const m = /^([a-z]+)[=:](.+)$/i.exec(word);
    if (!m) throw new FilterError(`expected field=value (${FILTER_HELP}), got ${JSON.stringify(word)}`);
    const field = m[1]!.toLowerCase();
    const value = m[2]!;
    const code = (): number => {
      const c = codeColumn(value.replace(/`/g, ''));
      if (c === null) throw new FilterError(`${field}: expected a 32-bit hex code such as 0x222004, got ${JSON.stringify(value)}`);
      return c;
    };
    const time = (): bigint => {
      // A bare date is that day's midnight, UTC.
      const t = ticksFromText(/^\d{4}-\d{2}-\d{2}$/.test(value) ? `${value}T00:00:00` : value);
      if (t === null) throw new FilterError(`${field}: expected a UTC time such as 2024-01-01 or 2024-01-01T12:00:00, got ${JSON.stringify(value)}`);
      return t;
    };
    if (field === 'bugcheck') {
      if (/^(0x)?[0-9a-f]{1,8}$/i.test(value)) filter.bugcheck = code();
      else filter.bugcheckName = value;
    } else if (field === 'module' || field === 'driver') filter.module = driverKey(value);
    else if (field === 'ioctl') filter.ioctl = code();
    else if (field === 'status') filter.status = code();
    else if (field === 'since') filter.sinceTicks = time();
    else if (field === 'until') filter.untilTicks = time();
    else if (field === 'irp') {
      const irp = pointerColumn(value);
      if (irp === null) throw new FilterError(`irp: expected a pointer such as 0xFFFFE0012B4C8010, got ${JSON.stringify(value)}`);
      filter.irp = irp;
    } else if (field === 'request') {
      if (!/^\d+$/.test(value)) throw new FilterError(`request: expected an IRP request number (a whole number), got ${JSON.stringify(value)}`);
      filter.request = Number(value);
    }
    else throw new FilterError(`unknown filter field ${JSON.stringify(field)}: use ${FILTER_HELP}`);
  }
  if (/^\d{4}-\d{2}-\d{2}$/.test(text.match(/until[=:](\S+)/i)?.[1] ?? '') && filter.untilTicks !== undefined && filter.untilTicks !== null) {
    // until=2024-02-01 means the whole day.
    filter.untilTicks += 864_000_000_000n;
  }
  return filter;
}

function seek(keys: readonly string[], op: '<' | '>' | '<=' | '>='): string {
  const names = keys.map((_, i) => `:k${i}`);
  return keys.length === 1 ? `${keys[0]} ${op} ${names[0]}` : `(${keys.join(', ')}) ${op} (${names.join(', ')})`;
}

/** One page of a view. `search`, when given, keeps only the rows whose searchable text contains it. */
export function selectPage(db: Connection, set: Keyset, at: PageFrom, limit: number, search?: string | null): Page {
  const segments = set.segments ?? [{ where: '', keys: set.keys }];
  const segmented = set.segments !== undefined;
  // Reading forward follows the view's order; reading backward (before, last) reverses it and flips the page.
  const backward = at.from === 'before' || at.from === 'last';
  const seeking = at.from === 'after' || at.from === 'before' || at.from === 'at';
  const start = at.from === 'first' ? 0 : at.from === 'last' ? segments.length - 1 : segmented ? Number(at.key[0]) : 0;
  const rows: PageRow[] = [];
  for (let i = start; i >= 0 && i < segments.length && rows.length <= limit; i += backward ? -1 : 1) {
    const seekKey = seeking && i === start ? (segmented ? at.key.slice(1) : at.key) : null;
    const found = segmentRows(db, set, segments[i]!, seekKey, at.from, backward, limit + 1 - rows.length, search);
    rows.push(...found.map((r) => ({ key: segmented ? [i, ...r.key] : r.key, values: r.values })));
  }
  const more = rows.length > limit;
  const page = rows.slice(0, limit);
  if (backward) page.reverse();
  return { rows: page, more };
}

function segmentRows(db: Connection, set: Keyset, segment: { readonly where: string; readonly keys: readonly string[] }, seekKey: readonly KeyValue[] | null,
  from: PageFrom['from'], backward: boolean, limit: number, search?: string | null): PageRow[] {
  const where = [...set.where];
  if (segment.where) where.push(segment.where);
  const params: Record<string, unknown> = { ...set.params };
  const ascending = set.descending === backward;
  if (seekKey) {
    seekKey.forEach((k, i) => { params[`k${i}`] = k; });
    const forwardOp = set.descending ? '<' : '>';
    const backwardOp = set.descending ? '>' : '<';
    where.push(seek(segment.keys, from === 'after' ? forwardOp : from === 'before' ? backwardOp : `${forwardOp}=` as '<=' | '>='));
  }
  if (search) {
    params.search = `%${search.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    where.push(`(${set.searchable.map((s) => `${s} LIKE :search ESCAPE '\\'`).join(' OR ')})`);
  }
  const order = segment.keys.map((k) => `${k} ${ascending ? 'ASC' : 'DESC'}`).join(', ');
  const sql = `SELECT ${segment.keys.map((k, i) => `${k} AS _k${i}`).join(', ')}, ${set.select} FROM ${set.from}
    ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ${set.groupBy ? `GROUP BY ${set.groupBy}` : ''} ORDER BY ${order} LIMIT ${limit}`;
  const found = db.prepare(sql).all(params) as Record<string, unknown>[];
  return found.map((r) => ({ key: segment.keys.map((_, i) => r[`_k${i}`] as KeyValue), values: r }));
}

/** Every row of a view, a page at a time (export): memory holds one page, never the whole view. */
export function* everyRow(db: Connection, set: Keyset, pageSize = 1000): Generator<PageRow> {
  let at: PageFrom = { from: 'first' };
  for (;;) {
    const page = selectPage(db, set, at, pageSize);
    yield* page.rows;
    const last = page.rows[page.rows.length - 1];
    if (!page.more || !last) return;
    at = { from: 'after', key: last.key };
  }
}

/** `F`: how often each value of one column occurs in the view (filter applied), most frequent first. */
export function frequencySql(set: Keyset, expression: string, limit = 200): { sql: string; params: Record<string, unknown> } {
  return {
    sql: `SELECT value, count(*) AS count FROM (SELECT ${expression} AS value FROM ${set.from} ${set.where.length ? `WHERE ${set.where.join(' AND ')}` : ''}
      ${set.groupBy ? `GROUP BY ${set.groupBy}` : ''}) GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT ${limit}`,
    params: { ...set.params },
  };
}

const moduleMatch = (columns: readonly string[]): string =>
  `(${columns.map((c) => `lower(${c}) = :module OR lower(${c}) = :module || '.sys' OR lower(${c}) LIKE '%\\' || :module || '.sys' ESCAPE '!' OR lower(${c}) LIKE '%\\' || :module ESCAPE '!'`).join(' OR ')})`;

/** Incidents, newest first (untimed ones last, by id). */
export function incidentKeyset(f: ViewFilter = {}): Keyset {
  const where: string[] = [];
  if (f.bugcheck !== undefined && f.bugcheck !== null) where.push('i.bugcheck_code = :bugcheck');
  if (f.bugcheckName) where.push('upper(i.name) = upper(:bugcheckName)');
  if (f.module) where.push(moduleMatch(['i.module', 'i.image']));
  if (f.sinceTicks !== undefined && f.sinceTicks !== null) where.push('i.time_ticks >= :since');
  if (f.untilTicks !== undefined && f.untilTicks !== null) where.push('i.time_ticks < :until');
  if (f.ioctl !== undefined && f.ioctl !== null) where.push('EXISTS (SELECT 1 FROM ioctl_occurrences o WHERE o.incident_id = i.id AND o.code = :ioctl)');
  if (f.status !== undefined && f.status !== null) {
    where.push('(EXISTS (SELECT 1 FROM ioctl_occurrences o WHERE o.incident_id = i.id AND o.status = :status) OR EXISTS (SELECT 1 FROM irps r WHERE r.incident_id = i.id AND r.status = :status))');
  }
  return {
    select: `i.id, i.time_ticks, i.time_text, i.bugcheck_code, i.name, i.arg1, i.module, i.image, i.symbol, i.process, i.failure_bucket, i.line, s.path,
      (SELECT o.code FROM ioctl_occurrences o WHERE o.incident_id = i.id ORDER BY o.line LIMIT 1) AS ioctl,
      (SELECT c.name FROM ioctl_occurrences o JOIN ioctl_codes c ON c.code = o.code WHERE o.incident_id = i.id ORDER BY o.line LIMIT 1) AS ioctl_name`,
    from: 'incidents i JOIN sources s ON s.id = i.source_id',
    where,
    params: { bugcheck: f.bugcheck ?? null, bugcheckName: f.bugcheckName ?? null, module: f.module ?? null, since: f.sinceTicks ?? null, until: f.untilTicks ?? null, ioctl: f.ioctl ?? null, status: f.status ?? null },
    keys: [],
    segments: [{ where: 'i.time_ticks IS NOT NULL', keys: ['i.time_ticks', 'i.id'] }, { where: 'i.time_ticks IS NULL', keys: ['i.id'] }],
    descending: true,
    searchable: ['i.name', 'i.module', 'i.image', 'i.symbol', 'i.process', 'i.failure_bucket', 's.path', "printf('0x%08X', i.bugcheck_code)"],
  };
}

/**
 * Every IOCTL code seen, per driver, in code order, from the running totals (ioctl_counts): grouping reads the
 * primary key (code, driver_key, status) in order, so a page stops after its last group.
 */
export function ioctlKeyset(f: ViewFilter = {}): Keyset {
  const where: string[] = [];
  if (f.ioctl !== undefined && f.ioctl !== null) where.push('n.code = :ioctl');
  if (f.module) where.push('n.driver_key = :module');
  if (f.status !== undefined && f.status !== null) where.push('EXISTS (SELECT 1 FROM ioctl_counts m WHERE m.code = n.code AND m.driver_key = n.driver_key AND m.status = :status)');
  if (f.sinceTicks !== undefined && f.sinceTicks !== null) where.push('n.last_ticks >= :since');
  if (f.untilTicks !== undefined && f.untilTicks !== null) where.push('n.first_ticks < :until');
  return {
    select: `n.code, n.driver_key, min(nullif(n.driver, '')) AS driver, sum(n.occurrences) AS occurrences,
      sum(CASE WHEN n.status >= 0 AND (n.status & 0xC0000000) = 0xC0000000 THEN n.occurrences ELSE 0 END) AS failed,
      min(n.first_ticks) AS first_ticks, max(n.last_ticks) AS last_ticks, json_group_array(json_array(n.status, n.occurrences)) AS statuses,
      (SELECT c.name FROM ioctl_codes c WHERE c.code = n.code) AS name`,
    from: 'ioctl_counts n',
    where,
    params: { ioctl: f.ioctl ?? null, module: f.module ?? null, status: f.status ?? null, since: f.sinceTicks ?? null, until: f.untilTicks ?? null },
    keys: ['n.code', 'n.driver_key'],
    descending: false,
    groupBy: 'n.code, n.driver_key',
    searchable: ["printf('0x%08X', n.code)", 'n.driver', '(SELECT c.name FROM ioctl_codes c WHERE c.code = n.code)', '(SELECT c.names FROM ioctl_codes c WHERE c.code = n.code)'],
  };
}

/** Ingested files, newest ingest first. */
export function sourceKeyset(f: ViewFilter = {}): Keyset {
  const where: string[] = [];
  if (f.module) where.push("lower(s.path) LIKE '%' || :module || '%'");
  return {
    select: 's.id, s.path, s.format, s.encoding, s.ingested_at, s.line_count, s.record_count, s.skipped_count, s.size_bytes, s.format_reason',
    from: 'sources s',
    where,
    params: { module: f.module ?? null },
    keys: ['s.id'],
    descending: true,
    searchable: ['s.path', 's.format'],
  };
}

/**
 * The events of one ingested source in file order (an ETW or Procmon export is written in time order; the file
 * order also keeps events without a time, such as Procmon's time-of-day-only rows, in place), each with the IOCTL
 * the same line carried and the IRP request (lifetime) it belongs to, whose first row is the dispatch call.
 */
export function traceKeyset(sourceId: number, f: ViewFilter = {}): Keyset {
  const where = ['e.source_id = :source'];
  if (f.request !== undefined && f.request !== null) where.push('e.lifetime_id = :lifetime');
  if (f.irp) where.push('e.irp = :irp');
  if (f.status !== undefined && f.status !== null) where.push("(e.status = :status OR json_extract(e.record, '$.status') = printf('0x%08X', :status))");
  if (f.module) where.push(`(e.driver_key = :module OR ${moduleMatch(["json_extract(e.record, '$.driver')"])})`);
  if (f.sinceTicks !== undefined && f.sinceTicks !== null) where.push('e.time_ticks >= :since');
  if (f.untilTicks !== undefined && f.untilTicks !== null) where.push('e.time_ticks < :until');
  if (f.ioctl !== undefined && f.ioctl !== null) where.push('EXISTS (SELECT 1 FROM ioctl_occurrences o WHERE o.source_id = e.source_id AND o.line = e.line AND o.code = :ioctl)');
  return {
    select: `e.id, e.line, e.type, e.name, e.time_ticks, e.time_text, e.pid, e.process, e.irp, e.driver, e.status, e.lifetime_id, e.record,
      l.first_ticks AS call_ticks, l.last_ticks AS done_ticks, l.completed,
      (SELECT o.code FROM ioctl_occurrences o WHERE o.source_id = e.source_id AND o.line = e.line LIMIT 1) AS ioctl`,
    from: 'events e LEFT JOIN irp_lifetimes l ON l.id = e.lifetime_id',
    where,
    params: {
      source: sourceId, lifetime: f.request ?? null, irp: f.irp ?? null,
      status: f.status ?? null, module: f.module ?? null, since: f.sinceTicks ?? null, until: f.untilTicks ?? null, ioctl: f.ioctl ?? null,
    },
    keys: ['e.line', 'e.id'],
    descending: false,
    searchable: ['e.name', 'e.type', 'e.process', 'e.irp', 'e.driver', 'e.record'],
  };
}

/** The source a trace view opens on when none was chosen: the newest one that has events with a time. */
export function defaultTraceSource(db: Connection): number | null {
  const row = db.prepare("SELECT source_id FROM events WHERE time_ticks IS NOT NULL AND type <> 'session' ORDER BY source_id DESC LIMIT 1").get() as { source_id: bigint } | undefined;
  return row ? Number(row.source_id) : null;
}

/** Which views have anything to show: decides the first screen without counting a large table. */
export function storeContents(db: Connection): { incidents: boolean; ioctls: boolean; sources: boolean; events: boolean } {
  const any = (table: string): boolean => db.prepare(`SELECT 1 FROM ${table} LIMIT 1`).get() !== undefined;
  return { incidents: any('incidents'), ioctls: any('ioctl_counts'), sources: any('sources'), events: any('events') };
}
