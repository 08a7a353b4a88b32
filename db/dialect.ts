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

/** Case-insensitive LIKE for ASCII letters, as SQLite's LIKE is by default. */
export function caseInsensitiveLike(dialect: Dialect): string {
  return dialect === 'postgres' ? 'ILIKE' : 'LIKE';
}
