/**
 * bucket_summaries: one row per signature with what `irpscope buckets` and browse's buckets view show, kept in
 * the same transaction as the signatures it sums up (ingest, resignature, the migrations). Without it, the
 * buckets of a store of 1 M incidents took 12 s to list (bench: browse's first frame on the buckets view).
 */
import type { Connection } from './store.js';
import { bucketAggregateSql } from './queries/buckets.js';

const COLUMNS = 'signature_id, signature, incidents, first_ticks, last_ticks, builds, machines, versions, module, newest';

/** Sums up again the buckets named (after a source's incidents were signed), or every bucket (null). */
export function refreshBucketSummaries(db: Connection, signatureIds: readonly string[] | null): void {
  if (signatureIds === null) {
    db.exec('DELETE FROM bucket_summaries');
    db.exec(`INSERT INTO bucket_summaries (${COLUMNS}) ${bucketAggregateSql([], true, db.dialect)}`);
    return;
  }
  if (signatureIds.length === 0) return;
  // The session's own temporary schema: `temp` on SQLite, `pg_temp` on PostgreSQL.
  const touched = `${db.dialect === 'postgres' ? 'pg_temp' : 'temp'}.touched_signatures`;
  db.exec('CREATE TEMP TABLE IF NOT EXISTS touched_signatures (signature_id TEXT PRIMARY KEY)');
  db.exec(`DELETE FROM ${touched}`);
  const touch = db.prepare(`INSERT INTO ${touched} (signature_id) VALUES (?) ON CONFLICT DO NOTHING`);
  for (const id of signatureIds) touch.run(id);
  db.exec(`DELETE FROM bucket_summaries WHERE signature_id IN (SELECT signature_id FROM ${touched})`);
  db.exec(`INSERT INTO bucket_summaries (${COLUMNS}) ${bucketAggregateSql([`s.signature_id IN (SELECT signature_id FROM ${touched})`], false, db.dialect)}`);
  db.exec(`DELETE FROM ${touched}`);
}
