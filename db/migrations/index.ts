/**
 * The numbered migrations, oldest first. A migration is never edited once shipped: a change to the schema is a new
 * file with the next number, and `openStore` applies what a database lacks in one transaction.
 */
import type { Connection } from '../connection.js';
import { firstSchema } from './001-first-schema.js';
import { searchIndex } from './002-search-index.js';
import { signaturesAndVersions } from './003-signatures-and-versions.js';
import { bucketSummaries } from './004-bucket-summaries.js';

export interface Migration {
  readonly version: number;
  readonly name: string;
  /** The schema change in SQLite's dialect; db/postgres/schema.ts derives PostgreSQL's from it. */
  readonly sql: string;
  /** PostgreSQL's text, for a migration whose SQL has no mechanical translation (a virtual table). */
  readonly postgres?: string;
  /** Work SQL alone cannot do (a backfill that reuses the ingest code), run after `sql` in the same transaction. */
  readonly after?: (db: Connection) => void;
}

export const MIGRATIONS: readonly Migration[] = [firstSchema, searchIndex, signaturesAndVersions, bucketSummaries];

export const LATEST_VERSION = MIGRATIONS[MIGRATIONS.length - 1]!.version;
