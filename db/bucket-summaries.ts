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
    db.exec(`INSERT INTO bucket_summaries (${COLUMNS}) ${bucketAggregateSql([], true)}`);
    return;
  }
  if (signatureIds.length === 0) return;
  db.exec('CREATE TEMP TABLE IF NOT EXISTS touched_signatures (signature_id TEXT PRIMARY KEY)');
  db.exec('DELETE FROM temp.touched_signatures');
  const touch = db.prepare('INSERT OR IGNORE INTO temp.touched_signatures (signature_id) VALUES (?)');
  for (const id of signatureIds) touch.run(id);
  db.exec('DELETE FROM bucket_summaries WHERE signature_id IN (SELECT signature_id FROM temp.touched_signatures)');
  db.exec(`INSERT INTO bucket_summaries (${COLUMNS}) ${bucketAggregateSql(['s.signature_id IN (SELECT signature_id FROM temp.touched_signatures)'], false)}`);
  db.exec('DELETE FROM temp.touched_signatures');
}
