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

/**
 * Rows for one INSERT statement, written in bulk: PostgreSQL sends them as one multi-row INSERT per few hundred rows
 * (a third of the server's time for single-row statements). Rows of different writers may reach the table in
 * another order than they were written, so they must not depend on each other (give them explicit ids); anything
 * else the connection runs afterwards sees them all.
 */
export interface RowWriter {
  write(...params: unknown[]): void;
}

export interface Connection {
  readonly dialect: Dialect;
  /** `INSERT INTO table (a, b) VALUES (?, ?)` (nothing after the VALUES list). */
  rowWriter(sql: string): RowWriter;
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
