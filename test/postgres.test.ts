/**
 * What only a PostgreSQL store has: the schema the SQLite migrations generate, roles, passwords kept out of every
 * message, and several machines ingesting the same file at once. Runs in the PostgreSQL pass of `npm test`
 * (scripts/test-postgres.ts); the SQLite pass lists it as skipped, by name.
 */
import { describe, expect, it } from 'vitest';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openStore, SchemaTooNewError } from '../db/store.js';
import { PostgresConnection } from '../db/postgres/connection.js';
import { BACKEND, freshPostgresLocation, TEST_PG_URL } from './backend.js';
import { BrowserSession } from '../src/tui/session.js';

const root = resolve(fileURLToPath(new URL('..', import.meta.url)));
const bin = join(root, 'dist', 'src', 'cli', 'main.js');
const CRASH = join(root, 'test', 'fixtures', 'store', 'crash-mydrv.txt');
const TRACE = join(root, 'test', 'fixtures', 'store', 'trace-mydrv.csv');

function irpscope(args: string[]) {
  const result = spawnSync(process.execPath, [bin, ...args], { env: { PATH: process.env.PATH ?? '', IRPSCOPE_HOME: mkdtempSync(join(tmpdir(), 'irpscope-home-')) }, encoding: 'utf8' });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

function withCredentials(location: string, user: string, password: string): string {
  const url = new URL(location);
  url.username = user;
  url.password = password;
  return url.toString();
}

const PASSWORD = TEST_PG_URL ? decodeURIComponent(new URL(TEST_PG_URL).password) : '';

describe.skipIf(BACKEND !== 'postgres')('PostgreSQL store (the PostgreSQL pass of npm test)', () => {
  it('has the tables and columns of the SQLite store, generated from the same migrations', () => {
    const sqlite = openStore(join(mkdtempSync(join(tmpdir(), 'irpscope-parity-')), 'store.db'));
    const pg = openStore(freshPostgresLocation());
    try {
      const sqliteTables = (sqlite.db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'search_index_%' ORDER BY name").all() as { name: string }[]).map((t) => t.name);
      const columnsOf = (table: string): string[] => (sqlite.db.prepare(`SELECT name FROM pragma_table_info(?) ORDER BY cid`).all(table) as { name: string }[]).map((c) => c.name);
      const pgColumns = pg.db.prepare(`SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = current_schema() ORDER BY table_name, ordinal_position`).all() as { table_name: string; column_name: string }[];
      const pgTables = [...new Set(pgColumns.map((c) => c.table_name))].sort();
      expect(pgTables).toEqual(sqliteTables);
      for (const table of sqliteTables) {
        const mine = pgColumns.filter((c) => c.table_name === table).map((c) => c.column_name);
        // The PostgreSQL search index keeps its words in a column of its own (FTS5 keeps them out of sight) and
        // numbers rows with an explicit rowid.
        expect(table === 'search_index' ? mine.filter((c) => c !== 'words' && c !== 'rowid') : mine).toEqual(columnsOf(table));
      }
      expect(Number((pg.db.prepare('SELECT max(version) AS v FROM schema_version').get() as { v: bigint }).v)).toBe(sqlite.version);
    } finally {
      sqlite.close();
      pg.close();
    }
  });

  it('refuses a store from a newer irpscope, naming it without its password', () => {
    const location = freshPostgresLocation();
    const store = openStore(location);
    store.db.prepare("INSERT INTO schema_version (version, name, applied_at) VALUES (99, 'future', 'later')").run();
    store.close();
    expect(() => openStore(location)).toThrow(SchemaTooNewError);
    try {
      openStore(location);
    } catch (error) {
      expect((error as Error).message).toContain('schema version 99, newer than this irpscope knows');
      expect((error as Error).message).toContain(':***@');
      expect((error as Error).message).not.toContain(PASSWORD);
    }
  });

  it('never prints the password: a wrong one, a missing database, a store path in output', () => {
    const location = freshPostgresLocation();
    const wrong = withCredentials(location, new URL(location).username, 'not-the-password-42');
    const refused = irpscope(['incidents', '--db', wrong]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('password authentication failed');
    expect(refused.stderr).not.toContain('not-the-password-42');
    const url = new URL(location);
    url.pathname = '/no_such_database_here';
    const missing = irpscope(['ingest', CRASH, '--db', url.toString()]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('no_such_database_here');
    expect(missing.stderr).not.toContain(PASSWORD);
    const ok = irpscope(['ingest', CRASH, '--db', location, '--json']);
    expect(ok.code).toBe(0);
    const report = irpscope(['report', '--db', location, '--json']);
    expect(report.code).toBe(0);
    expect(report.stdout).not.toContain(PASSWORD);
    expect(JSON.parse(report.stdout).database).toContain(':***@');
  });

  it('a read-only role queries (sql, canned questions, browse) and cannot write', async () => {
    const location = freshPostgresLocation();
    expect(irpscope(['ingest', CRASH, TRACE, '--db', location]).code).toBe(0);
    const role = `irpscope_reader_${process.pid}`;
    const admin = new PostgresConnection(TEST_PG_URL!);
    admin.exec(`DROP ROLE IF EXISTS ${role}`);
    admin.exec(`CREATE ROLE ${role} LOGIN PASSWORD 'reader-secret-7'`);
    admin.close();
    const granted = irpscope(['grant-read', role, '--db', location]);
    expect(granted.code).toBe(0);
    expect(granted.stdout).toContain(`GRANT SELECT ON ALL TABLES IN SCHEMA`);
    const reader = withCredentials(location, role, 'reader-secret-7');

    const counted = irpscope(['sql', 'SELECT count(*) AS n FROM incidents', '--db', reader, '--json']);
    expect(counted.code).toBe(0);
    expect(JSON.parse(counted.stdout)).toEqual([{ n: 1 }]);
    expect(irpscope(['incidents', '--db', reader, '--json']).code).toBe(0);
    expect(JSON.parse(irpscope(['last', '--ioctl', '0x222004', '--db', reader, '--json']).stdout).length).toBeGreaterThan(0);

    const write = irpscope(['sql', 'WITH gone AS (DELETE FROM incidents RETURNING id) SELECT count(*) FROM gone', '--db', reader]);
    expect(write.code).toBe(1);
    expect(write.stderr).toContain('read-only');
    const ingest = irpscope(['ingest', join(root, 'samples', 'windbg'), '--db', reader]);
    expect(ingest.code).toBe(1);
    expect(ingest.stderr).toContain('permission denied');
    expect(ingest.stderr).not.toContain('reader-secret-7');

    // browse: the reader's first page and the SQL view (run on the query worker, itself a read-only connection).
    const store = openStore(reader, { mustExist: true });
    try {
      const session = new BrowserSession(store.db, store.location, 100, 30);
      session.send({ type: 'start', view: 'incidents', traceSource: null, empty: false });
      expect(session.state.lists.incidents.rows.length).toBe(1);
      session.send({ type: 'input', input: ';', key: {} });
      session.send({ type: 'input', input: 'SELECT count(*) AS n FROM events', key: {} });
      session.send({ type: 'input', input: '', key: { return: true } });
      for (let i = 0; i < 500 && session.state.task; i++) await new Promise((r) => setTimeout(r, 20));
      expect(session.state.sql.columns).toEqual(['n']);
      expect(session.state.message?.tone).not.toBe('error');
      session.close();
    } finally {
      store.close();
    }
    const cleanup = new PostgresConnection(TEST_PG_URL!);
    cleanup.exec(`DROP OWNED BY ${role}`).exec(`DROP ROLE ${role}`);
    cleanup.close();
  });

  it('several machines ingesting the same file at once store it once', async () => {
    const location = freshPostgresLocation();
    expect(irpscope(['ingest', TRACE, '--db', location]).code).toBe(0);
    const runs = await Promise.all([0, 1, 2].map(() => new Promise<string>((done) => {
      const child = spawn(process.execPath, [bin, 'ingest', CRASH, '--db', location, '--json'], { env: { PATH: process.env.PATH ?? '', IRPSCOPE_HOME: mkdtempSync(join(tmpdir(), 'irpscope-home-')) } });
      let out = '';
      child.stdout.on('data', (d: Buffer) => { out += d.toString(); });
      child.on('close', () => done(out));
    })));
    const statuses = runs.map((r) => (JSON.parse(r) as { files: { status: string }[] }).files[0]!.status).sort();
    expect(statuses).toEqual(['ingested', 'unchanged', 'unchanged']);
    const store = openStore(location, { readonly: true });
    try {
      expect(store.db.prepare('SELECT count(*) AS n FROM sources').get()).toEqual({ n: 2n });
      expect(store.db.prepare('SELECT count(*) AS n FROM incidents').get()).toEqual({ n: 1n });
    } finally {
      store.close();
    }
  });
});
