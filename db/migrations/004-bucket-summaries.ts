/**
 * Migration 4: one row per crash signature with its counts, so listing buckets does not aggregate every incident
 * (db/bucket-summaries.ts keeps it; filled here from the signatures a store already holds).
 */
import type { Migration } from './index.js';
import { refreshBucketSummaries } from '../bucket-summaries.js';

export const bucketSummaries: Migration = {
  version: 4,
  name: 'bucket-summaries',
  sql: `
CREATE TABLE bucket_summaries (
  signature_id TEXT PRIMARY KEY,
  signature TEXT NOT NULL,
  incidents INTEGER NOT NULL,
  first_ticks INTEGER,
  last_ticks INTEGER,
  builds INTEGER NOT NULL,
  machines INTEGER NOT NULL,
  -- The rule versions of its incidents, comma-separated.
  versions TEXT NOT NULL,
  module TEXT,
  newest INTEGER NOT NULL
) STRICT, WITHOUT ROWID;
CREATE INDEX bucket_summaries_by_size ON bucket_summaries (incidents DESC, last_ticks DESC);
`,
  after: (db) => refreshBucketSummaries(db, null),
};
