/**
 * One writer at a time, on either backend. SQLite's BEGIN IMMEDIATE takes the database's write lock; on PostgreSQL
 * an advisory lock held to the end of the transaction does the same for irpscope's writers (ingest, resignature,
 * sync, migrations), while readers never wait. Ingests from several machines into one server thus queue up as they
 * do on one SQLite file, and a source checked under the lock is stored once however many machines send it.
 */
import type { Connection } from './connection.js';

/** A fixed key for the advisory lock ("irps"). */
export const POSTGRES_WRITE_LOCK = 0x69727073;

/** Opens a write transaction and, on PostgreSQL, waits for the write lock. */
export function beginWrite(db: Connection): void {
  db.exec('BEGIN IMMEDIATE');
  if (db.dialect === 'postgres') {
    try {
      db.prepare('SELECT pg_advisory_xact_lock(?)').get(POSTGRES_WRITE_LOCK);
    } catch (error) {
      db.exec('ROLLBACK');
      throw error;
    }
  }
}

/** Runs `work` in a write transaction: COMMIT when it returns, ROLLBACK when it throws. */
export function inWriteTransaction<T>(db: Connection, work: () => T): T {
  beginWrite(db);
  try {
    const result = work();
    db.exec('COMMIT');
    return result;
  } catch (error) {
    if (db.inTransaction) db.exec('ROLLBACK');
    throw error;
  }
}
