/**
 * Which store backend the store and query tests run against. `npm test` runs them on SQLite, then again with
 * IRPSCOPE_TEST_BACKEND=postgres against the server in IRPSCOPE_TEST_PG (.ci/run starts one:
 * scripts/pg-test-server.sh). Each fresh store on PostgreSQL is a new schema on that server, named in the
 * connection string (?options=-c search_path=...), so tests never see each other's rows.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSchemaLocation } from '../db/postgres/connection.js';

export type Backend = 'sqlite' | 'postgres';

export const BACKEND: Backend = process.env.IRPSCOPE_TEST_BACKEND === 'postgres' ? 'postgres' : 'sqlite';

/** The test server, when there is one. */
export const TEST_PG_URL = process.env.IRPSCOPE_TEST_PG ?? null;

if (BACKEND === 'postgres' && !TEST_PG_URL) {
  throw new Error('IRPSCOPE_TEST_BACKEND=postgres needs IRPSCOPE_TEST_PG (scripts/pg-test-server.sh start prints it)');
}

let schemas = 0;

/** A new, empty schema on the test server; the connection string that opens a store in it. */
export function freshPostgresLocation(base: string = TEST_PG_URL!): string {
  return createSchemaLocation(base, `t_${process.pid}_${Date.now().toString(36)}_${++schemas}`);
}

/** A fresh, empty store location on the backend under test: a new file, or a new schema. */
export function freshStoreLocation(prefix = 'irpscope-store-', file = 'store.db'): string {
  return BACKEND === 'postgres' ? freshPostgresLocation() : join(mkdtempSync(join(tmpdir(), prefix)), file);
}
