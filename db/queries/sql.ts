/** `irpscope sql`: any read-only statement, on a connection that cannot write. */
import type { Connection } from '../store.js';

export class ReadOnlyError extends Error {}
export class SqlError extends Error {}

export interface SqlResult {
  readonly columns: readonly string[];
  readonly rows: readonly unknown[][];
}

/** A BigInt that fits a double exactly becomes a number; a larger one (FILETIME ticks) stays exact as a string. */
export function plainValue(value: unknown): unknown {
  if (typeof value === 'bigint') return value >= BigInt(Number.MIN_SAFE_INTEGER) && value <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(value) : value.toString();
  if (Buffer.isBuffer(value)) return `x'${value.toString('hex')}'`;
  return value;
}

/**
 * A write the database itself refused: SQLite's read-only handle, PostgreSQL's read-only transaction (SQLSTATE
 * 25006) or a role without the right (42501, the read-only role).
 */
function refusedWrite(error: unknown): boolean {
  const code = (error as { code?: string | null }).code ?? '';
  return code.startsWith('SQLITE_READONLY') || code === '25006' || code === '42501';
}

/** What only writes begin with. Anything else goes to the server, in a read-only transaction, which answers. */
const WRITE_VERB = /^\s*(INSERT|UPDATE|DELETE|MERGE|CREATE|DROP|ALTER|TRUNCATE|GRANT|REVOKE|COPY|VACUUM|REINDEX|CLUSTER|COMMENT|SECURITY|REFRESH|LOCK|CALL|DO)\b/i;

/**
 * Refused before it runs: SQLite knows a statement returns no rows once prepared (its query_only refuses an
 * `INSERT ... RETURNING` when it runs); PostgreSQL goes by the first word, since the server may report a
 * constraint the row breaks before it says the transaction is read-only.
 */
function refusedBeforeRunning(db: Connection, statement: { reader: boolean }, sql: string): boolean {
  return db.dialect === 'postgres' ? WRITE_VERB.test(sql) : !statement.reader;
}

/**
 * The rows of one read-only statement, one at a time, so that a result of any size goes out in bounded memory
 * (`irpscope sql --csv` of millions of rows). Refused before it runs when it cannot return rows; a write the
 * database refuses while it runs is a ReadOnlyError, any other failure a SqlError. `columns()` is known once the
 * first row was read or the rows ran out (PostgreSQL describes a result once it has one).
 */
export class ReadOnlySqlRows implements Iterable<unknown[]> {
  private readonly statement;

  constructor(db: Connection, sql: string, private readonly params: Record<string, string | number> = {}, private readonly what = 'irpscope sql') {
    try {
      this.statement = db.prepare(sql);
    } catch (error) {
      throw new SqlError((error as Error).message);
    }
    // A statement that returns no rows (INSERT, CREATE, a writing PRAGMA) is refused before it runs; query_only
    // and the read-only file handle refuse anything that gets past this (INSERT ... RETURNING).
    if (refusedBeforeRunning(db, this.statement, sql)) {
      throw new ReadOnlyError(`${what} is read-only: only statements that return rows (SELECT, WITH, EXPLAIN, read-only PRAGMAs) are run; to add data use irpscope ingest`);
    }
    this.statement.raw(true);
  }

  *[Symbol.iterator](): Iterator<unknown[]> {
    try {
      const rows = (Object.keys(this.params).length > 0 ? this.statement.iterate(this.params) : this.statement.iterate()) as IterableIterator<unknown[]>;
      for (const row of rows) yield row.map(plainValue);
    } catch (error) {
      throw this.failure(error);
    }
  }

  columns(): string[] {
    return this.statement.columns().map((c) => c.name);
  }

  private failure(error: unknown): Error {
    if (refusedWrite(error)) return new ReadOnlyError(`${this.what} is read-only: ${(error as Error).message}; to add data use irpscope ingest`);
    // PostgreSQL reads a result through a cursor, which refuses a writing WITH before the read-only transaction
    // would (SQLSTATE 0A000): the statement writes all the same.
    if ((error as { code?: string }).code === '0A000' && /data-modifying/i.test((error as Error).message)) {
      return new ReadOnlyError(`${this.what} is read-only: this statement changes data (a data-modifying WITH); to add data use irpscope ingest`);
    }
    return new SqlError((error as Error).message);
  }
}

export function runReadOnlySql(db: Connection, sql: string, params: Record<string, string | number> = {}): SqlResult {
  const result = new ReadOnlySqlRows(db, sql, params);
  const rows = [...result];
  return { columns: result.columns(), rows };
}

/**
 * The first `maxRows` rows of a read-only statement (the browser's SQL view: a huge result must not fill memory);
 * `truncated` says more rows exist. Same refusals as runReadOnlySql.
 */
export function runReadOnlySqlFirst(db: Connection, sql: string, maxRows: number): SqlResult & { readonly truncated: boolean } {
  const result = new ReadOnlySqlRows(db, sql, {}, 'the SQL view');
  const rows: unknown[][] = [];
  let truncated = false;
  for (const row of result) {
    if (rows.length === maxRows) {
      truncated = true;
      break;
    }
    rows.push(row);
  }
  return { columns: result.columns(), rows, truncated };
}
