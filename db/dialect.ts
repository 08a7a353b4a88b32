/**
 * The few places where one SQL text cannot serve both backends. Everything else is written once: SQLite's
 * functions the queries use exist on PostgreSQL too (db/postgres/compat.ts), placeholders are translated, and
 * NULL ordering follows SQLite's on both (db/postgres/sql-text.ts).
 */
import type { Dialect } from './connection.js';

/** The integers of a JSON array parameter (`[1, 2, 3]`), as a one-column subquery: `x IN (${jsonIntegers(...)})`. */
export function jsonIntegers(dialect: Dialect, parameter: string): string {
  return dialect === 'postgres'
    ? `SELECT value::bigint FROM jsonb_array_elements_text(CAST(${parameter} AS jsonb)) AS value`
    : `SELECT value FROM json_each(${parameter})`;
}

/**
 * The id the connection's last INSERT into `table` got, inside another statement: an ingest writes a row and its
 * search entry without reading the id back, so PostgreSQL can send both in one round trip with many others.
 * SQLite evaluates the VALUES before its own insert, so last_insert_rowid() is still the row just written.
 */
export function lastInsertedId(dialect: Dialect, table: string): string {
  return dialect === 'postgres' ? `currval('${table}_id_seq')` : 'last_insert_rowid()';
}

/** Case-insensitive LIKE for ASCII letters, as SQLite's LIKE is by default. */
export function caseInsensitiveLike(dialect: Dialect): string {
  return dialect === 'postgres' ? 'ILIKE' : 'LIKE';
}
