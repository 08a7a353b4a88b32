/** What a database holds, asked of SQLite itself (no import of the store: migrations use it while they run). */
import type Database from 'better-sqlite3';

/** Whether the database has this table: for code that also runs inside a migration, or on a store at an older schema. */
export function hasTable(db: Database.Database, name: string): boolean {
  return db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(name) !== undefined;
}
