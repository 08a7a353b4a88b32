/**
 * What the store code asks of a database connection, whichever the backend: the synchronous surface of
 * better-sqlite3 that the ingest, the queries and the browser were written against. The SQLite store is a
 * better-sqlite3 Database as it is; the PostgreSQL store (db/postgres/connection.ts) presents the same surface.
 *
 * SQL handed to `prepare` uses SQLite's placeholders (`?`, `:name`, `@name`); the PostgreSQL connection turns them
 * into literals. Where the two SQL dialects differ, the query asks `db.dialect` (db/dialect.ts has the fragments).
 */
export type Dialect = 'sqlite' | 'postgres';

export interface RunResult {
  readonly changes: number;
  readonly lastInsertRowid: number | bigint;
}

export interface ColumnDescription {
  readonly name: string;
}

export interface Statement {
  /** Whether the statement returns rows (SELECT, WITH, EXPLAIN, ... RETURNING). */
  readonly reader: boolean;
  run(...params: unknown[]): RunResult;
  get(...params: unknown[]): unknown;
  all(...params: unknown[]): unknown[];
  iterate(...params: unknown[]): IterableIterator<unknown>;
  /** Rows as arrays of values instead of objects. */
  raw(toggle?: boolean): this;
  /** The result's columns. PostgreSQL knows them once the statement has run: call after all/iterate. */
  columns(): ColumnDescription[];
}

export interface Connection {
  readonly dialect: Dialect;
  prepare(sql: string): Statement;
  /** One or more statements without parameters. */
  exec(sql: string): this;
  readonly inTransaction: boolean;
  close(): void;
}

/** `postgres://` and `postgresql://` name a server; anything else is a SQLite file. */
export function isPostgresLocation(location: string): boolean {
  return /^postgres(?:ql)?:\/\//i.test(location);
}

/** A connection string with its password replaced by `***`, for messages, logs and `store.path`. */
export function redactLocation(text: string): string {
  return text.replace(/(postgres(?:ql)?:\/\/[^:/@\s]*:)[^@\s]*@/gi, '$1***@').replace(/([?&]password=)[^&\s]*/gi, '$1***');
}
