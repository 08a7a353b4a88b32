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

export function runReadOnlySql(db: Connection, sql: string, params: Record<string, string | number> = {}): SqlResult {
  let statement;
  try {
    statement = db.prepare(sql);
  } catch (error) {
    throw new SqlError((error as Error).message);
  }
  // A statement that returns no rows (INSERT, CREATE, a writing PRAGMA) is refused before it runs; query_only
  // and the read-only file handle refuse anything that gets past this (INSERT ... RETURNING).
  if (!statement.reader) throw new ReadOnlyError('irpscope sql is read-only: only statements that return rows (SELECT, WITH, EXPLAIN, read-only PRAGMAs) are run; to add data use irpscope ingest');
  try {
    statement.raw(true);
    const columns = statement.columns().map((c) => c.name);
    const rows = ((Object.keys(params).length > 0 ? statement.all(params) : statement.all()) as unknown[][]).map((row) => row.map(plainValue));
    return { columns, rows };
  } catch (error) {
    const code = (error as { code?: string }).code ?? '';
    if (code.startsWith('SQLITE_READONLY')) throw new ReadOnlyError(`irpscope sql is read-only: ${(error as Error).message}; to add data use irpscope ingest`);
    throw new SqlError((error as Error).message);
  }
}

/**
 * The first `maxRows` rows of a read-only statement (the browser's SQL view: a huge result must not fill memory);
 * `truncated` says more rows exist. Same refusals as runReadOnlySql.
 */
export function runReadOnlySqlFirst(db: Connection, sql: string, maxRows: number): SqlResult & { readonly truncated: boolean } {
  let statement;
  try {
    statement = db.prepare(sql);
  } catch (error) {
    throw new SqlError((error as Error).message);
  }
  if (!statement.reader) throw new ReadOnlyError('the SQL view is read-only: only statements that return rows (SELECT, WITH, EXPLAIN, read-only PRAGMAs) are run; to add data use irpscope ingest');
  try {
    statement.raw(true);
    const columns = statement.columns().map((c) => c.name);
    const rows: unknown[][] = [];
    let truncated = false;
    for (const row of statement.iterate() as IterableIterator<unknown[]>) {
      if (rows.length === maxRows) {
        truncated = true;
        break;
      }
      rows.push(row.map(plainValue));
    }
    return { columns, rows, truncated };
  } catch (error) {
    const code = (error as { code?: string }).code ?? '';
    if (code.startsWith('SQLITE_READONLY')) throw new ReadOnlyError(`the SQL view is read-only: ${(error as Error).message}; to add data use irpscope ingest`);
    throw new SqlError((error as Error).message);
  }
}
