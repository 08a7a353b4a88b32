/** What a database holds, asked of the database itself (no import of the store: migrations use it while they run). */
import type { Connection } from './connection.js';

/** Whether the database has this table: for code that also runs inside a migration, or on a store at an older schema. */
export function hasTable(db: Connection, name: string): boolean {
  const sql = db.dialect === 'postgres'
    ? 'SELECT 1 FROM information_schema.tables WHERE table_schema = current_schema() AND table_name = ?'
    : "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?";
  return db.prepare(sql).get(name) !== undefined;
}
