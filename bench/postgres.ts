/**
 * The PostgreSQL team store beside the SQLite one, same rows, same run: ETW CSV ingest (the whole ingest, one
 * source in one transaction) into a fresh store of each kind, then the canned questions on both stores.
 *
 * The server: $BENCH_PG or $IRPSCOPE_TEST_PG, else a throwaway one started on loopback by
 * scripts/pg-test-server.sh (synchronous_commit=off, the match for SQLite's synchronous=NORMAL in WAL mode).
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openStore } from '../db/store.js';
import { createSchemaLocation } from '../db/postgres/connection.js';
import { countByDriver, selectIoctls } from '../db/queries/ioctls.js';
import { searchText } from '../db/queries/search.js';
import { latency, runIngest, tracerpt } from './store.js';
import type { BenchRow } from './index.js';

const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const ROWS = Number(process.env.BENCH_PG_ROWS ?? 20_000);
const work = process.env.BENCH_DIR ?? join(tmpdir(), 'irpscope-bench');
const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
/** A port of its own: stopping the bench's server never stops one that someone else started. */
const serverEnv = { ...process.env, IRPSCOPE_PG_PORT: process.env.IRPSCOPE_PG_PORT ?? '54332' };

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

export async function benchPostgres(): Promise<BenchRow[]> {
  mkdirSync(work, { recursive: true });
  let base = process.env.BENCH_PG ?? process.env.IRPSCOPE_TEST_PG ?? '';
  let started = false;
  if (!base) {
    const start = spawnSync('bash', [join(root, 'scripts', 'pg-test-server.sh'), 'start'], { encoding: 'utf8', env: serverEnv });
    if (start.status !== 0) {
      process.stderr.write(`bench: no PostgreSQL server could be started, the postgres section is left out (${start.stderr.trim().split('\n').pop()})\n`);
      return [];
    }
    base = start.stdout.trim();
    started = true;
  }
  try {
    const rows: BenchRow[] = [];
    const file = tracerpt(ROWS);
    const label = `tracerpt ${ROWS.toLocaleString('en-US')} rows`;
    const mb = statSync(file).size / (1024 * 1024);
    const sqliteDb = join(work, 'pg-peer.db');
    let pgLocation = '';
    for (const backend of ['sqlite', 'postgres'] as const) {
      const results = Array.from({ length: RUNS }, (_, run) => {
        const location = backend === 'sqlite' ? sqliteDb : (pgLocation = createSchemaLocation(base, `bench_ingest_${run}`, true));
        return runIngest(file, location);
      });
      const ms = median(results.map((r) => r.ms));
      rows.push({
        name: `ingest ETW CSV on ${backend === 'sqlite' ? 'SQLite' : 'PostgreSQL'}`, input: label, medianMs: ms, rowsPerSec: results[0]!.records / (ms / 1000),
        mbPerSec: mb / (ms / 1000), peakRssMb: Math.max(...results.map((r) => r.peakRssMb)), note: `${results[0]!.records} records, one transaction, fresh store each run`,
      });
    }
    for (const [backend, location] of [['SQLite', sqliteDb], ['PostgreSQL', pgLocation]] as const) {
      const store = openStore(location, { readonly: true });
      try {
        // The generated trace's IOCTLs (FileIo FSCTLs) carry no status, so `last` (failures) has nothing to list
        // here; the bench's 10 M-row SQLite store times it. `ioctls` lists every code with its counts.
        const input = `${backend}, ${label}`;
        rows.push(latency(`query on ${backend}: ioctls (every code, counted)`, input, () => selectIoctls(store.db).length));
        rows.push(latency(`query on ${backend}: counts by driver`, input, () => countByDriver(store.db).length));
        rows.push(latency(`query on ${backend}: search`, input, () => searchText(store.db, 'HarddiskVolume3 Temp', { limit: 50 }).length));
      } finally {
        store.close();
      }
    }
    return rows;
  } finally {
    if (started) spawnSync('bash', [join(root, 'scripts', 'pg-test-server.sh'), 'stop'], { stdio: 'ignore', env: serverEnv });
  }
}
