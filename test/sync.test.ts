/**
 * `irpscope sync`: a store's sources pushed into another store (SQLite -> SQLite, SQLite -> PostgreSQL) must leave
 * the target as an ingest of the same files would: the same rows (ids included when the target started empty), the
 * same answers to every canned question, and nothing added by a second run.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { spawn, spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openStore, type Connection, type Store } from '../db/store.js';
import { ingestFile } from '../db/ingest.js';
import { syncStores, SyncError, DERIVED_TABLES, IOCTL_CODES, SYNCED_TABLES, type SyncReport } from '../db/sync.js';
import { inputFiles } from '../src/cli/ingest-command.js';
import { FormatError } from '../parsers/pipeline.js';
import { selectIncidents } from '../db/queries/incidents.js';
import { countByDriver, selectIoctls } from '../db/queries/ioctls.js';
import { selectLastFailures } from '../db/queries/last.js';
import { explainIncident, selectBuckets, selectRuleVersions } from '../db/queries/buckets.js';
import { selectIncident } from '../db/queries/show.js';
import { selectOverview } from '../db/queries/overview.js';
import { selectTimeline } from '../db/queries/timeline.js';
import { driverVersionsOf } from '../db/queries/compare.js';
import { searchText } from '../db/queries/search.js';
import { PostgresConnection } from '../db/postgres/connection.js';

const root = resolve(fileURLToPath(new URL('..', import.meta.url)));
const samples = join(root, 'samples');
const bin = join(root, 'dist', 'src', 'cli', 'main.js');

/** Every sample file a parser recognises, in the order `irpscope ingest samples/` takes them. */
let sampleFiles: string[] = [];
const TRACE = join(samples, 'correlated', 'trace-mydrv.csv');
const CRASH = join(samples, 'correlated', 'crash-mydrv.txt');

async function ingestAll(store: Store, files: readonly string[]): Promise<void> {
  for (const file of files) await ingestFile(store, file);
}

function tempFile(name: string): string {
  return join(mkdtempSync(join(tmpdir(), 'irpscope-sync-')), name);
}

/** Columns that say when something was written on this store, not what it holds. */
const WRITTEN_AT: Readonly<Record<string, readonly string[]>> = { incident_signatures: ['signed_at'], rule_sets: ['first_used_at'] };

/**
 * Every table's rows, as the tests compare them: columns read off the SQLite store, ordered by their key.
 * `acrossBackends`: SQLite keeps a whole number bound as a JS number as a REAL (ingest's search_index.source_id
 * and line), which reads back as a number, where PostgreSQL's BIGINT reads back as a BigInt: both become BigInt.
 * `skip`: columns that say when a row was written, not what it holds.
 */
function dumpTables(db: Connection, tables: readonly { name: string; columns: readonly string[]; order: string }[],
  options: { acrossBackends?: boolean; skip?: Readonly<Record<string, readonly string[]>> } = {}): Record<string, unknown[][]> {
  const dump: Record<string, unknown[][]> = {};
  const skip = { ...WRITTEN_AT, ...options.skip };
  for (const t of tables) {
    const columns = t.columns.filter((c) => !(skip[t.name] ?? []).includes(c));
    const rows = db.prepare(`SELECT ${columns.map((c) => `"${c}"`).join(', ')} FROM ${t.name} ORDER BY ${t.order}`).raw(true).all() as unknown[][];
    dump[t.name] = options.acrossBackends ? rows.map((r) => r.map((v) => (typeof v === 'number' && Number.isInteger(v) ? BigInt(v) : v))) : rows;
  }
  return dump;
}

const ORDER: Readonly<Record<string, string>> = {
  search_index: 'rowid', ioctl_codes: 'code', ioctl_counts: 'code, driver_key, status', incident_signatures: 'incident_id', rule_sets: 'version',
  bucket_summaries: 'signature_id', schema_version: 'version',
};

/** The tables of a SQLite store and their stored columns (search_index with its rowid, so row order counts too). */
function tablesOf(db: Connection): { name: string; columns: string[]; order: string }[] {
  const names = (db.prepare("SELECT name FROM pragma_table_list WHERE schema = 'main' AND type IN ('table', 'virtual') AND name NOT LIKE 'sqlite%' ORDER BY name").all() as { name: string }[])
    .map((r) => r.name).filter((n) => n !== 'schema_version');
  return names.map((name) => {
    const columns = (db.prepare('SELECT name FROM pragma_table_xinfo(?) WHERE hidden = 0 ORDER BY cid').all(name) as { name: string }[]).map((r) => r.name);
    return { name, columns: name === 'search_index' ? ['rowid', ...columns] : columns, order: ORDER[name] ?? 'id' };
  });
}

function rowCounts(db: Connection, tables: readonly { name: string }[]): Record<string, number> {
  return Object.fromEntries(tables.map((t) => [t.name, Number((db.prepare(`SELECT count(*) AS n FROM ${t.name}`).get() as { n: bigint }).n)]));
}

/** `signedAt` says when this store signed an incident (at ingest, or at sync): the one answer that may differ. */
function withoutSigningTime(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutSigningTime);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, k === 'signedAt' ? 'when signed' : withoutSigningTime(v)]));
}

/** The answers of every canned question the CLI and the browser ask, for every incident, code and driver. */
function cannedAnswers(db: Connection, options: { search: boolean }): Record<string, unknown> {
  const incidents = selectIncidents(db, { limit: 1000 });
  const codes = (db.prepare('SELECT code FROM ioctl_codes ORDER BY code').all() as { code: bigint }[]).map((r) => Number(r.code));
  const drivers = (db.prepare('SELECT DISTINCT driver_key FROM driver_versions ORDER BY 1').all() as { driver_key: string }[]).map((r) => r.driver_key);
  return withoutSigningTime({
    overview: selectOverview(db),
    incidents,
    ioctls: selectIoctls(db),
    byDriver: countByDriver(db),
    last: codes.map((code) => selectLastFailures(db, { code, limit: 1000 })),
    buckets: selectBuckets(db, { limit: 1000 }),
    ruleVersions: selectRuleVersions(db),
    shown: incidents.map((i) => selectIncident(db, i.id)),
    explained: incidents.map((i) => explainIncident(db, i.id)),
    timeline: selectTimeline(db, { by: 'year' }),
    versions: drivers.map((d) => driverVersionsOf(db, d)),
    // Ranking and snippets are each backend's own (FTS5 bm25 against ts_rank): compared on one backend only.
    ...(options.search ? { search: ['mydrv', 'IRP_MJ_DEVICE_CONTROL', 'KeBugCheckEx', 'tedrdrv'].map((w) => searchText(db, w)) } : {}),
  }) as Record<string, unknown>;
}

const statuses = (report: SyncReport): string[] => report.sources.map((s) => s.status);

/**
 * Several `irpscope sync` processes started at once into one store: each waits for the write lock in turn, and a
 * source another one stored meanwhile must be found under the lock.
 */
function syncsAtOnce(to: string, runs: number): Promise<{ code: number | null; stdout: string; stderr: string }[]> {
  return Promise.all(Array.from({ length: runs }, () => new Promise<{ code: number | null; stdout: string; stderr: string }>((done, fail) => {
    const child = spawn(process.execPath, [bin, 'sync', '--from', reference.path, '--to', to, '--json'], { env: { PATH: process.env.PATH ?? '' } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', fail);
    child.on('close', (code) => done({ code, stdout, stderr }));
  })));
}

/** Each source stored by exactly one of the runs, the others finding it unchanged. */
function expectEachSourceOnce(runs: readonly { code: number | null; stdout: string; stderr: string }[]): void {
  expect(runs.map((r) => ({ code: r.code, stderr: r.stderr }))).toEqual(runs.map(() => ({ code: 0, stderr: '' })));
  const reports = runs.map((r) => JSON.parse(r.stdout) as { sources: { path: string; status: string }[]; copied: number });
  expect(reports.reduce((n, r) => n + r.copied, 0)).toBe(sampleFiles.length);
  for (const [i, file] of sampleFiles.entries()) {
    expect({ file, ingested: reports.filter((r) => r.sources[i]!.path === file && r.sources[i]!.status === 'ingested').length }).toEqual({ file, ingested: 1 });
  }
}

let reference: Store;
let referenceTables: { name: string; columns: string[]; order: string }[];

beforeAll(async () => {
  const found = inputFiles([samples]).files.map((f) => f.path);
  reference = openStore(tempFile('reference.db'));
  for (const file of found) {
    try {
      await ingestFile(reference, file);
      sampleFiles.push(file);
    } catch (error) {
      // samples/codes.txt is a list of codes for `decode`, not a log: no parser takes it.
      if (!(error instanceof FormatError)) throw error;
    }
  }
  referenceTables = tablesOf(reference.db);
}, 120_000);

afterAll(() => {
  reference.close();
});

describe('the table description', () => {
  it('covers every table of the schema: copied, upserted or derived, nothing left over', () => {
    const described = [...SYNCED_TABLES.map((t) => t.name), IOCTL_CODES, ...Object.keys(DERIVED_TABLES)].sort();
    expect(described).toEqual([...referenceTables.map((t) => t.name), 'schema_version'].sort());
  });

  it('the samples make every copied table hold rows, so the comparisons below compare something', () => {
    const counts = rowCounts(reference.db, referenceTables);
    expect(sampleFiles.length).toBe(15);
    for (const table of [...SYNCED_TABLES.map((t) => t.name), IOCTL_CODES, 'ioctl_counts', 'incident_signatures', 'bucket_summaries']) {
      expect({ table, rows: counts[table]! > 0 }).toEqual({ table, rows: true });
    }
    // The correlated pair links the dump's IRP to the trace's lifetime: a link across sources that sync must remake.
    const crossSource = reference.db.prepare(`SELECT count(*) AS n FROM irps r JOIN irp_lifetimes l ON l.id = r.lifetime_id WHERE l.source_id <> r.source_id`).get() as { n: bigint };
    expect(Number(crossSource.n)).toBeGreaterThan(0);
  });
});

describe('SQLite -> SQLite', () => {
  let target: Store;
  let first: SyncReport;

  beforeAll(() => {
    target = openStore(tempFile('target.db'));
    const from = openStore(reference.path, { readonly: true });
    try {
      first = syncStores(from, target);
    } finally {
      from.close();
    }
  }, 120_000);

  afterAll(() => target.close());

  it('copies every source, oldest first, with its path, hash, format and record count', () => {
    const stored = reference.db.prepare('SELECT path, content_hash, format, record_count FROM sources ORDER BY id').all() as Record<string, unknown>[];
    expect(first.sources).toEqual(stored.map((s) => ({ path: s.path, contentHash: s.content_hash, format: s.format, records: Number(s.record_count), status: 'ingested' })));
    expect(first.copied).toBe(sampleFiles.length);
    expect(first.unchanged).toBe(0);
  });

  it('into an empty store: every row of every table equal, ids included', () => {
    expect(dumpTables(target.db, referenceTables)).toEqual(dumpTables(reference.db, referenceTables));
  });

  it('every canned question gets the same answer, search included', () => {
    expect(cannedAnswers(target.db, { search: true })).toEqual(cannedAnswers(reference.db, { search: true }));
  });

  it('a second run finds everything unchanged and adds nothing', () => {
    const before = rowCounts(target.db, referenceTables);
    const from = openStore(reference.path, { readonly: true });
    try {
      const again = syncStores(from, target);
      expect(statuses(again)).toEqual(sampleFiles.map(() => 'unchanged'));
      expect({ copied: again.copied, unchanged: again.unchanged }).toEqual({ copied: 0, unchanged: sampleFiles.length });
    } finally {
      from.close();
    }
    expect(rowCounts(target.db, referenceTables)).toEqual(before);
  });
});

describe('into a store that already holds some of the files', () => {
  it('reports the ingested file unchanged and ends as an ingest of the files in the same order would', async () => {
    // The trace first: the dump synced later links to its lifetimes at once (the reference store linked them when
    // the trace arrived after the dump), and every id of the copied rows is shifted by the trace's rows.
    const target = openStore(tempFile('partial.db'));
    const expected = openStore(tempFile('expected.db'));
    try {
      await ingestFile(target, TRACE);
      const from = openStore(reference.path, { readonly: true });
      let report: SyncReport;
      try {
        report = syncStores(from, target);
      } finally {
        from.close();
      }
      expect(report.sources.filter((s) => s.status === 'unchanged').map((s) => s.path)).toEqual([TRACE]);
      expect(report.copied).toBe(sampleFiles.length - 1);
      await ingestAll(expected, [TRACE, ...sampleFiles.filter((f) => f !== TRACE)]);
      // The copied sources keep the time they were first ingested; the expected store's are from just now.
      const skip = { sources: ['ingested_at'] };
      expect(dumpTables(target.db, referenceTables, { skip })).toEqual(dumpTables(expected.db, referenceTables, { skip }));
      expect(cannedAnswers(target.db, { search: true })).toEqual(cannedAnswers(expected.db, { search: true }));
      const crash = selectIncidents(target.db, { limit: 1000 }).find((i) => i.source === CRASH)!;
      expect(selectIncident(target.db, crash.id)!.lifetimes.map((l) => l.source)).toEqual([TRACE]);
    } finally {
      target.close();
      expected.close();
    }
  });
});

describe('one transaction per source', () => {
  it('a sync interrupted inside a source leaves the sources before it whole and nothing of that one', () => {
    const target = openStore(tempFile('interrupted.db'));
    const from = openStore(reference.path, { readonly: true });
    try {
      let seen = 0;
      expect(() => syncStores(from, target, { afterSource: () => {
        if (++seen === 3) throw new Error('interrupted');
      } })).toThrow('interrupted');
      const stored = (target.db.prepare('SELECT path FROM sources ORDER BY id').all() as { path: string }[]).map((r) => r.path);
      expect(stored).toEqual(sampleFiles.slice(0, 2));
      // The third source's rows went with the rollback: nothing points at a source that is not there.
      for (const table of SYNCED_TABLES.filter((t) => t.name !== 'sources')) {
        const orphans = target.db.prepare(`SELECT count(*) AS n FROM ${table.name} WHERE source_id IS NOT NULL AND source_id NOT IN (SELECT id FROM sources)`).get() as { n: bigint };
        expect({ table: table.name, orphans: Number(orphans.n) }).toEqual({ table: table.name, orphans: 0 });
      }
      // The re-run finishes the job, and the store is then the one a single run makes.
      const rerun = syncStores(from, target);
      expect(statuses(rerun)).toEqual(sampleFiles.map((_, i) => (i < 2 ? 'unchanged' : 'ingested')));
      expect(dumpTables(target.db, referenceTables)).toEqual(dumpTables(reference.db, referenceTables));
    } finally {
      from.close();
      target.close();
    }
  });

  it('a source stored by another writer while sync waited for the lock is reported unchanged, not stored twice', () => {
    const location = tempFile('raced.db');
    const target = openStore(location);
    const from = openStore(reference.path, { readonly: true });
    try {
      const firstFile = sampleFiles[0]!;
      let raced = 0;
      const report = syncStores(from, target, {
        beforeWriteLock: (source) => {
          if (source.path !== firstFile) return;
          // Another process ingests the same file after sync's first look: the look under the lock must see it.
          const other = spawnSync(process.execPath, [bin, 'ingest', firstFile, '--db', location, '--json'], { encoding: 'utf8' });
          expect(other.status).toBe(0);
          raced++;
        },
      });
      expect(raced).toBe(1);
      expect(report.sources[0]).toEqual({ path: firstFile, contentHash: expect.any(String) as string, format: report.sources[0]!.format, records: report.sources[0]!.records, status: 'unchanged' });
      expect(report.copied).toBe(sampleFiles.length - 1);
      expect((target.db.prepare('SELECT path FROM sources ORDER BY id').all() as { path: string }[]).map((r) => r.path)).toEqual(sampleFiles);
    } finally {
      from.close();
      target.close();
    }
  });
});

describe('syncs at once', () => {
  it('three processes syncing into one SQLite file store each source once, in the source order', async () => {
    const to = tempFile('shared.db');
    expectEachSourceOnce(await syncsAtOnce(to, 3));
    const target = openStore(to);
    try {
      expect(dumpTables(target.db, referenceTables)).toEqual(dumpTables(reference.db, referenceTables));
    } finally {
      target.close();
    }
  }, 120_000);
});

describe('refusals', () => {
  it('a source column the target lacks fails the sync before anything is written, naming table and column', () => {
    const extra = openStore(tempFile('newer.db'));
    const target = openStore(tempFile('older.db'));
    try {
      extra.db.exec('ALTER TABLE frames ADD COLUMN frame_note TEXT');
      expect(() => syncStores(extra, target)).toThrow(new SyncError("the target store's table frames lacks column frame_note that the source has; upgrade irpscope where the target is written, nothing was copied"));
      expect(Number((target.db.prepare('SELECT count(*) AS n FROM sources').get() as { n: bigint }).n)).toBe(0);
    } finally {
      extra.close();
      target.close();
    }
  });

  it('a new column on both sides comes across', async () => {
    const from = openStore(tempFile('from-noted.db'));
    const target = openStore(tempFile('to-noted.db'));
    try {
      await ingestFile(from, CRASH);
      from.db.exec("ALTER TABLE frames ADD COLUMN frame_note TEXT; UPDATE frames SET frame_note = 'n' || line");
      target.db.exec('ALTER TABLE frames ADD COLUMN frame_note TEXT');
      syncStores(from, target);
      const notes = (db: Connection): unknown[] => db.prepare('SELECT id, frame_note FROM frames ORDER BY id').raw(true).all();
      expect(notes(target.db)).toEqual(notes(from.db));
      expect(notes(target.db).length).toBeGreaterThan(0);
    } finally {
      from.close();
      target.close();
    }
  });

  it('a table sync does not know fails the sync, naming it', () => {
    const extra = openStore(tempFile('unknown-table.db'));
    const target = openStore(tempFile('unknown-target.db'));
    try {
      extra.db.exec('CREATE TABLE crash_notes (id INTEGER PRIMARY KEY, note TEXT) STRICT');
      expect(() => syncStores(extra, target)).toThrow("the source store has table crash_notes that sync does not know how to copy (db/sync.ts, SYNCED_TABLES); nothing was copied");
    } finally {
      extra.close();
      target.close();
    }
  });
});

/** The test server: $IRPSCOPE_TEST_PG, else the throwaway one scripts/pg-test-server.sh starts. */
const GIVEN_PG_URL = process.env.IRPSCOPE_TEST_PG || undefined;
const PG_URL = GIVEN_PG_URL ?? 'postgres://irpscope_admin:irpscope-test-secret@127.0.0.1:54329/postgres';

function serverAnswers(url: string): boolean {
  try {
    const c = new PostgresConnection(url);
    c.close();
    return true;
  } catch {
    return false;
  }
}

const pgAvailable = GIVEN_PG_URL !== undefined || serverAnswers(PG_URL);
const skipReason = `skipped: IRPSCOPE_TEST_PG is unset and no server answers at ${PG_URL.replace(/:[^:@/]*@/, ':***@')} (scripts/pg-test-server.sh start)`;
if (!pgAvailable) process.stderr.write(`sync.test.ts: SQLite -> PostgreSQL ${skipReason}\n`);

(pgAvailable ? describe : describe.skip)(pgAvailable ? 'SQLite -> PostgreSQL' : `SQLite -> PostgreSQL (${skipReason})`, () => {
  const databases: string[] = [];
  let target: Store;
  let targetUrl: string;
  let first: SyncReport;

  /** A new database on the test server, dropped after the tests. */
  function freshDatabase(): string {
    const name = `sync_${process.pid}_${Date.now().toString(36)}_${databases.length}`;
    const admin = new PostgresConnection(PG_URL);
    try {
      admin.exec(`CREATE DATABASE ${name}`);
    } finally {
      admin.close();
    }
    databases.push(name);
    const url = new URL(PG_URL);
    url.pathname = `/${name}`;
    return url.toString();
  }

  beforeAll(() => {
    targetUrl = freshDatabase();
    target = openStore(targetUrl);
    const from = openStore(reference.path, { readonly: true });
    try {
      first = syncStores(from, target);
    } finally {
      from.close();
    }
  }, 120_000);

  afterAll(() => {
    target?.close();
    const admin = new PostgresConnection(PG_URL);
    try {
      for (const name of databases) admin.exec(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    } finally {
      admin.close();
    }
  }, 60_000);

  it('copies every source', () => {
    expect(statuses(first)).toEqual(sampleFiles.map(() => 'ingested'));
    expect(target.path).not.toContain('irpscope-test-secret');
  });

  it('every row of every table equal to the SQLite store it came from, ids included', () => {
    expect(dumpTables(target.db, referenceTables, { acrossBackends: true })).toEqual(dumpTables(reference.db, referenceTables, { acrossBackends: true }));
  });

  it('every canned question gets the same answer', () => {
    expect(cannedAnswers(target.db, { search: false })).toEqual(cannedAnswers(reference.db, { search: false }));
  });

  it('a second run finds everything unchanged and adds nothing', () => {
    const before = rowCounts(target.db, referenceTables);
    const from = openStore(reference.path, { readonly: true });
    try {
      expect(statuses(syncStores(from, target))).toEqual(sampleFiles.map(() => 'unchanged'));
    } finally {
      from.close();
    }
    expect(rowCounts(target.db, referenceTables)).toEqual(before);
  });

  it('the CLI into the server: all unchanged, and the password of the URL appears nowhere in what it prints', () => {
    const r = spawnSync(process.execPath, [bin, 'sync', '--from', reference.path, '--to', targetUrl], { encoding: 'utf8', env: { PATH: process.env.PATH ?? '' } });
    expect(r.status).toBe(0);
    const password = new URL(targetUrl).password;
    expect(password.length).toBeGreaterThan(0);
    expect(`${r.stdout}${r.stderr}`).not.toContain(password);
    expect(r.stdout.trimEnd().split('\n').at(-1)).toBe(`${sampleFiles.length} sources (0 copied, ${sampleFiles.length} unchanged): 0 records copied from ${reference.path} to ${targetUrl.replace(`:${password}@`, ':***@')}`);
  });

  it('three processes syncing into one server store each source once (the advisory write lock)', async () => {
    const url = freshDatabase();
    expectEachSourceOnce(await syncsAtOnce(url, 3));
    const shared = openStore(url, { readonly: true });
    try {
      expect(dumpTables(shared.db, referenceTables, { acrossBackends: true })).toEqual(dumpTables(reference.db, referenceTables, { acrossBackends: true }));
    } finally {
      shared.close();
    }
  }, 120_000);

  it('ids given by sync leave room for the next ingest on the server', async () => {
    const more = openStore(tempFile('more.db'));
    try {
      // A file the reference store does not hold: the samples' trace with one more line.
      const file = tempFile('trace-plus.csv');
      writeFileSync(file, `${readFileSync(TRACE, 'utf8')}\n`);
      const outcome = await ingestFile(target, file);
      expect(outcome.status).toBe('ingested');
      expect(Number((target.db.prepare('SELECT max(id) AS n FROM sources').get() as { n: bigint }).n)).toBe(sampleFiles.length + 1);
      // And sync from PostgreSQL back to a file: the round trip gives the same rows again.
      const server = openStore(targetUrl, { readonly: true });
      try {
        expect(syncStores(server, more).copied).toBe(sampleFiles.length + 1);
      } finally {
        server.close();
      }
      expect(dumpTables(more.db, referenceTables, { acrossBackends: true })).toEqual(dumpTables(target.db, referenceTables, { acrossBackends: true }));
    } finally {
      more.close();
    }
  });
});

describe('irpscope sync (the built CLI)', () => {
  function irpscope(args: string[]) {
    const result = spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', env: { PATH: process.env.PATH ?? '', IRPSCOPE_HOME: mkdtempSync(join(tmpdir(), 'irpscope-sync-home-')) } });
    return { code: result.status, stdout: result.stdout, stderr: result.stderr };
  }

  it('--help explains with examples; a missing --to is bad usage (2), a missing source a failure (1)', () => {
    const help = irpscope(['sync', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('irpscope sync --from ~/irpscope.db --to postgres://alice@db.team.example/irpscope');
    const noTarget = irpscope(['sync', '--from', reference.path]);
    expect(noTarget.code).toBe(2);
    expect(noTarget.stderr).toContain("required option '--to <store>' not specified");
    const missing = tempFile('missing.db');
    const noSource = irpscope(['sync', '--from', missing, '--to', tempFile('to.db')]);
    expect({ code: noSource.code, stderr: noSource.stderr }).toEqual({ code: 1, stderr: `irpscope: --from: no store at ${missing}\n` });
    const same = irpscope(['sync', '--from', reference.path, '--to', reference.path]);
    expect(same.code).toBe(2);
  });

  it('--json lists every source with its status and the totals; the second run finds all unchanged', () => {
    const to = tempFile('cli-target.db');
    const first = irpscope(['sync', '--from', reference.path, '--to', to, '--json']);
    expect(first.code).toBe(0);
    const stored = reference.db.prepare('SELECT path, content_hash, format, record_count FROM sources ORDER BY id').all() as Record<string, unknown>[];
    const expected = (status: string) => stored.map((s) => ({ path: s.path, contentHash: s.content_hash, format: s.format, records: Number(s.record_count), status }));
    expect(JSON.parse(first.stdout)).toEqual({ sources: expected('ingested'), copied: stored.length, unchanged: 0 });
    const second = irpscope(['sync', '--from', reference.path, '--to', to, '--json']);
    expect(JSON.parse(second.stdout)).toEqual({ sources: expected('unchanged'), copied: 0, unchanged: stored.length });
    const human = irpscope(['sync', '--from', reference.path, '--to', to]);
    expect(human.code).toBe(0);
    expect(human.stdout.trimEnd().split('\n').at(-1)).toBe(`${stored.length} sources (0 copied, ${stored.length} unchanged): 0 records copied from ${reference.path} to ${to}`);
    expect(human.stdout.split('\n')[0]).toMatch(/^file +format +records +status$/);
  });

  it('a server that does not answer is a failure (1), and the password in the URL is never printed', () => {
    const r = irpscope(['sync', '--from', reference.path, '--to', 'postgres://alice:s3cret-pw@127.0.0.1:1/team']);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('irpscope: postgres://alice:***@127.0.0.1:1/team: cannot open the store (connect ECONNREFUSED 127.0.0.1:1)\n');
    expect(r.stdout).toBe('');
  });
});
