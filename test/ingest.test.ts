/**
 * `irpscope ingest` and the query commands through the real binary (dist/, built by `npm test` first): real
 * parsers on the hand-made fixtures, unchanged re-ingest, a changed file, an ingest killed mid-source, two ingests
 * at once, output modes and exit codes.
 */
import { describe, expect, it } from 'vitest';
import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readdirSync, statSync, writeFileSync, appendFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openStore } from '../db/store.js';
import { freshStoreLocation } from './backend.js';
import { isPostgresLocation } from '../db/connection.js';
import { parseText } from '../parsers/pipeline.js';
import { readFileSync } from 'node:fs';
import { tracerptLines, writeLines } from '../scripts/gen-tracerpt.js';

const root = resolve(fileURLToPath(new URL('..', import.meta.url)));
const bin = join(root, 'dist', 'src', 'cli', 'main.js');
const fixtures = join(root, 'test', 'fixtures', 'store');
const CRASH = join(fixtures, 'crash-mydrv.txt');
const TRACE = join(fixtures, 'trace-mydrv.csv');

function irpscope(args: string[], env: Record<string, string> = {}) {
  const result = spawnSync(process.execPath, [bin, ...args], { env: { PATH: process.env.PATH ?? '', IRPSCOPE_HOME: mkdtempSync(join(tmpdir(), 'irpscope-home-')), ...env }, encoding: 'utf8' });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

const tempDb = (): string => freshStoreLocation('irpscope-ingest-');

/** Every table's rows, to compare a database before and after. */
function snapshot(path: string): Record<string, unknown[]> {
  const store = openStore(path, { readonly: true });
  const db = store.db;
  try {
    const tables = (db.prepare(db.dialect === 'postgres'
      ? 'SELECT table_name AS name FROM information_schema.tables WHERE table_schema = current_schema() ORDER BY 1'
      : "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'search_index_%' AND name NOT LIKE 'sqlite_%'").all() as { name: string }[]).map((t) => t.name);
    return Object.fromEntries(tables.map((t) => [t, db.prepare(`SELECT * FROM ${t} ORDER BY 1, 2, 3`).all()]));
  } finally {
    store.close();
  }
}

function count(path: string, sql: string): number {
  const store = openStore(path, { readonly: true });
  try {
    return Number((store.db.prepare(sql).get() as { n: number | bigint }).n);
  } finally {
    store.close();
  }
}

/** A generated tracerpt CSV big enough for several write batches. */
function bigTrace(rows: number, seed: number): string {
  const path = join(mkdtempSync(join(tmpdir(), 'irpscope-trace-')), `trace-${seed}.csv`);
  writeLines(path, tracerptLines(rows, seed), false);
  return path;
}

describe('ingest', () => {
  it('stores what parse prints, prints the documented JSON, and links the crash IRP to the trace', async () => {
    const db = tempDb();
    const r = irpscope(['ingest', CRASH, TRACE, '--db', db, '--json']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const crash = await parseText(readFileSync(CRASH), undefined, CRASH);
    const trace = await parseText(readFileSync(TRACE), undefined, TRACE);
    expect(JSON.parse(r.stdout)).toEqual({
      files: [
        { path: CRASH, format: crash.summary.format, records: crash.records.length, skipped: crash.skipped.length, status: 'ingested' },
        { path: TRACE, format: 'etw-tracerpt', records: trace.records.length, skipped: trace.skipped.length, status: 'ingested' },
      ],
      records: crash.records.length + trace.records.length,
      skipped: crash.skipped.length + trace.skipped.length,
    });
    // Every record has a row: its typed table, or events.
    const typed: Record<string, string> = { bugcheck: 'events', irp: 'irps', ioctl: 'ioctl_occurrences', frame: 'frames', verifierFlag: 'verifier_flags' };
    const expected = new Map<string, number>();
    for (const rec of [...crash.records, ...trace.records]) expected.set(typed[rec.type] ?? 'events', (expected.get(typed[rec.type] ?? 'events') ?? 0) + 1);
    for (const [table, n] of expected) expect([table, count(db, `SELECT count(*) AS n FROM ${table}`)]).toEqual([table, n]);
    expect(count(db, 'SELECT count(*) AS n FROM skipped_lines')).toBe(crash.skipped.length + trace.skipped.length);
    expect(count(db, 'SELECT count(*) AS n FROM incidents')).toBe(1);

    const show = irpscope(['show', '1', '--db', db, '--json']);
    expect(show.code).toBe(0);
    const detail = JSON.parse(show.stdout) as { incident: { code: string; irp: string; time: string; build: string }; irps: { address: string; ioctl: string; lifetime: number | null }[];
      lifetimes: { irp: string; first: string; completed: boolean; events: { name: string; line: number }[] }[]; correlationNotes: string[] };
    expect(detail.incident).toMatchObject({ code: '0x000000C9', irp: '0xFFFFE0012B4C8010', time: '2016-08-04T17:42:12.3450000Z', build: '14393.0.amd64fre.rs1_release.160715-1616' });
    expect(detail.irps.map((i) => [i.address, i.ioctl])).toEqual([['0xFFFFE0012B4C8010', '0x00222004']]);
    expect(detail.lifetimes.map((l) => [l.irp, l.first, l.completed, l.events.map((e) => [e.name, e.line])])).toEqual([
      ['0xFFFFE0012B4C8010', '2016-08-04T17:42:11.9000000Z', false, [['DriverMajorFunctionCall', 8], ['DriverMajorFunctionReturn', 9]]],
    ]);
    expect(detail.correlationNotes).toEqual([]);

    // Again: nothing added, every file unchanged; the human table says so.
    const before = snapshot(db);
    const again = irpscope(['ingest', fixtures, '--db', db], { NO_COLOR: '1' });
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('crash-mydrv.txt');
    expect(again.stdout).toMatch(/trace-mydrv\.csv\s+etw-tracerpt\s+\d+\s+0\s+unchanged/);
    expect(again.stdout).not.toContain('\u001b[');
    const after = snapshot(db);
    // records.ts (a TypeScript helper in the same folder) is new text to the store; the rest is untouched.
    expect(after.incidents).toEqual(before.incidents);
    expect(after.events!.length).toBe(before.events!.length);
    expect(after.sources!.slice(0, 2)).toEqual(before.sources);
  });

  it('a changed file at the same path becomes a new source; the old one is kept', () => {
    const dir = mkdtempSync(join(tmpdir(), 'irpscope-changed-'));
    const file = join(dir, 'ticket.txt');
    copyFileSync(CRASH, file);
    const db = tempDb();
    expect(JSON.parse(irpscope(['ingest', file, '--db', db, '--json']).stdout).files[0].status).toBe('ingested');
    appendFileSync(file, '\n0: kd> !irp ffffe0012b4c8010\n');
    const second = JSON.parse(irpscope(['ingest', file, '--db', db, '--json']).stdout) as { files: { status: string }[] };
    expect(second.files.map((f) => f.status)).toEqual(['ingested']);
    expect(count(db, 'SELECT count(*) AS n FROM sources')).toBe(2);
    expect(count(db, 'SELECT count(DISTINCT path) AS n FROM sources')).toBe(1);
    expect(count(db, 'SELECT count(*) AS n FROM incidents')).toBe(2);
  });

  it('an ingest killed mid-source leaves the database as it was; a re-run completes', async () => {
    const db = tempDb();
    expect(irpscope(['ingest', CRASH, '--db', db]).code).toBe(0);
    const before = snapshot(db);
    const trace = bigTrace(6_000, 7);
    // The fault hook stalls after the first batch (2 000 rows) is written inside the open transaction.
    const child = spawn(process.execPath, [bin, 'ingest', trace, '--db', db, '--json'], { env: { PATH: process.env.PATH ?? '', IRPSCOPE_FAULT: 'stall-after-batch' } });
    await new Promise<void>((done, fail) => {
      let stderr = '';
      child.stderr.on('data', (chunk: Buffer) => {
        stderr += chunk.toString();
        if (stderr.includes('stalled after batch 1')) {
          child.kill('SIGKILL');
          done();
        }
      });
      child.on('exit', (code) => fail(new Error(`ingest ended on its own (${code}) before it was killed: ${stderr}`)));
    });
    await new Promise((done) => child.on('close', done));
    expect(snapshot(db)).toEqual(before);
    const rerun = irpscope(['ingest', trace, '--db', db, '--json']);
    expect(rerun.code).toBe(0);
    const parsed = await parseText(readFileSync(trace), undefined, trace);
    expect(JSON.parse(rerun.stdout).files).toEqual([{ path: trace, format: 'etw-tracerpt', records: parsed.records.length, skipped: parsed.skipped.length, status: 'ingested' }]);
    expect(count(db, 'SELECT count(*) AS n FROM sources')).toBe(2);
    expect(count(db, "SELECT count(*) AS n FROM events e JOIN sources s ON s.id = e.source_id WHERE s.format = 'etw-tracerpt'"))
      .toBe(parsed.records.filter((r) => r.type !== 'ioctl').length);
  });

  it('two ingests at once into one database both finish, nothing lost or doubled', async () => {
    const db = tempDb();
    expect(irpscope(['ingest', CRASH, '--db', db]).code).toBe(0);
    const a = bigTrace(6_000, 11);
    const b = bigTrace(6_000, 12);
    const run = (files: string[]) => new Promise<{ code: number | null; stdout: string; stderr: string }>((done) => {
      const child = spawn(process.execPath, [bin, 'ingest', ...files, '--db', db, '--json'], { env: { PATH: process.env.PATH ?? '' } });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
      child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
      child.on('close', (code) => done({ code, stdout, stderr }));
    });
    // Both processes also ingest the other's file: each file must be stored once, by whichever gets there first.
    const [first, second] = await Promise.all([run([a, b]), run([b, a])]);
    expect([first.code, first.stderr, second.code, second.stderr]).toEqual([0, '', 0, '']);
    const statuses = [...JSON.parse(first.stdout).files, ...JSON.parse(second.stdout).files].map((f: { path: string; status: string }) => `${f.path === a ? 'a' : 'b'} ${f.status}`).sort();
    expect(statuses).toEqual(['a ingested', 'a unchanged', 'b ingested', 'b unchanged']);
    const pa = await parseText(readFileSync(a), undefined, a);
    const pb = await parseText(readFileSync(b), undefined, b);
    expect(count(db, 'SELECT count(*) AS n FROM sources')).toBe(3);
    expect(count(db, "SELECT count(*) AS n FROM events e JOIN sources s ON s.id = e.source_id WHERE s.format = 'etw-tracerpt'"))
      .toBe([...pa.records, ...pb.records].filter((r) => r.type !== 'ioctl').length);
    // Two ingests of 6 000 rows each, one after the other under the write lock, on a 2-core machine under load.
  }, 120_000);

  it('ingests the bundled samples: what each file parses to, files no parser reads listed and passed over', async () => {
    const db = tempDb();
    const samples = join(root, 'samples');
    const r = irpscope(['ingest', samples, '--db', db, '--json']);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as { files: { path: string; format: string; records: number; skipped: number; status: string }[] };
    const walk = (dir: string): string[] => readdirSync(dir).sort().flatMap((name) => {
      const path = join(dir, name);
      if (name.startsWith('.') || name.endsWith('.json') || name === 'README.md' || name === 'SOURCES.md') return [];
      return statSync(path).isDirectory() ? walk(path) : [path];
    });
    const expected: unknown[] = [];
    for (const file of walk(samples)) {
      try {
        const p = await parseText(readFileSync(file), undefined, file);
        expected.push({ path: file, format: p.summary.format, records: p.records.length, skipped: p.skipped.length, status: 'ingested' });
      } catch {
        expect(r.stderr).toContain(`${file}: not ingested: no parser recognises this text`);
      }
    }
    expect(out.files).toEqual(expected);
  });

  it('a named file no parser reads is a failure (exit 1); a bad option is bad usage (exit 2)', () => {
    const db = tempDb();
    const prose = join(mkdtempSync(join(tmpdir(), 'irpscope-prose-')), 'notes.txt');
    writeFileSync(prose, 'Meeting notes.\nNothing here looks like a debugger, a trace or a Procmon export.\n');
    const r = irpscope(['ingest', prose, '--db', db]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('notes.txt: not ingested: no parser recognises this text');
    expect(irpscope(['ingest', CRASH, '--db', db, '--format', 'nonsense']).code).toBe(2);
    expect(irpscope(['ingest', join(root, 'no-such-file.txt'), '--db', db]).code).toBe(1);
  });
});

describe('query commands', () => {
  const db = tempDb();
  const ready = irpscope(['ingest', CRASH, TRACE, '--db', db]);

  it('every command has --help with an example, and exits 0', () => {
    expect(ready.code).toBe(0);
    for (const command of ['ingest', 'last', 'incidents', 'ioctls', 'show', 'sql', 'search']) {
      const help = irpscope([command, '--help']);
      expect([command, help.code]).toEqual([command, 0]);
      expect(help.stdout).toMatch(/Examples?:\n {2}irpscope /);
    }
  });

  it('last: JSON, CSV and the human table are the same rows', () => {
    const json = JSON.parse(irpscope(['last', '--ioctl', '0x222004', '--driver', 'mydrv.sys', '--db', db, '--json']).stdout) as { code: string; status: string | null; time: string; source: string; line: number; build: string }[];
    expect(json.map((r) => [r.code, r.status, r.time, r.source, r.line, r.build])).toEqual([['0x00222004', null, '2016-08-04T17:42:12.3450000Z', CRASH, 80, '14393.0.amd64fre.rs1_release.160715-1616']]);
    const csv = irpscope(['last', '--ioctl', '222004', '--db', db, '--csv']).stdout;
    expect(csv).toBe(`time,code,status,status_text,driver,build,process,incident,source\n2016-08-04T17:42:12.3450000Z,0x00222004,,,\\Driver\\mydrv,14393.0.amd64fre.rs1_release.160715-1616,,1,${CRASH}:80\n`);
    const human = irpscope(['last', '--ioctl', '222004', '--db', db], { NO_COLOR: '1' }).stdout;
    expect(human.split('\n')[0]).toMatch(/^time\s+IOCTL\s+status/);
    expect(irpscope(['last', '--ioctl', '0x12zz', '--db', db]).code).toBe(2);
    expect(irpscope(['last', '--ioctl', '1', '--json', '--csv', '--db', db]).code).toBe(2);
  });

  it('incidents, ioctls, search and show answer; a missing database or incident is a failure', () => {
    const incidents = JSON.parse(irpscope(['incidents', '--bugcheck', 'c9', '--module', 'mydrv.sys', '--db', db, '--json']).stdout) as { id: number; name: string }[];
    expect(incidents.map((i) => [i.id, i.name])).toEqual([[1, 'DRIVER_VERIFIER_IOMANAGER_VIOLATION']]);
    expect(JSON.parse(irpscope(['incidents', '--since', '2017-01-01', '--db', db, '--json']).stdout)).toEqual([]);
    expect(irpscope(['incidents', '--since', 'yesterday-ish', '--db', db]).code).toBe(2);
    const ioctls = JSON.parse(irpscope(['ioctls', '--driver', '\\Driver\\mydrv', '--db', db, '--json']).stdout) as { code: string; occurrences: number; method: string }[];
    expect(ioctls.map((i) => [i.code, i.occurrences, i.method])).toEqual([['0x00222004', 1, 'METHOD_BUFFERED']]);
    const hits = JSON.parse(irpscope(['search', 'MyDispatchDeviceControl', '--db', db, '--json']).stdout) as { kind: string; incident: number }[];
    expect(hits.map((h) => [h.kind, h.incident]).sort()).toEqual([['frame', 1], ['incident', 1]]);
    const show = irpscope(['show', '1', '--db', db], { NO_COLOR: '1' });
    expect(show.code).toBe(0);
    expect(show.stdout).toContain('The same IRPs in other sources');
    expect(show.stdout).toContain('DriverMajorFunctionCall file 0xFFFFE00130A5B070');
    expect(irpscope(['show', '99', '--db', db]).code).toBe(1);
    expect(irpscope(['show', 'one', '--db', db]).code).toBe(2);
    const missing = irpscope(['incidents', '--db', join(tmpdir(), 'irpscope-no-such', 'x.db')]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('no database at');
  });

  it('sql reads with the same output flags and refuses writes clearly', () => {
    const rows = JSON.parse(irpscope(['sql', 'SELECT code, count(*) AS n FROM ioctl_occurrences WHERE code = :c GROUP BY code', '-p', 'c=0x222004', '--db', db, '--json']).stdout);
    expect(rows).toEqual([{ code: 0x222004, n: 1 }]);
    expect(irpscope(['sql', "SELECT path FROM sources WHERE format = 'etw-tracerpt'", '--db', db, '--csv']).stdout).toBe(`path\n${TRACE}\n`);
    // The statement kinds are covered one by one in queries.test.ts; here the door: exit 1, a clear message.
    for (const write of ['DELETE FROM incidents', 'INSERT INTO skipped_lines (source_id, line, reason, text) VALUES (1, 1, 1, 1) RETURNING id']) {
      const r = irpscope(['sql', write, '--db', db]);
      expect([write, r.code]).toEqual([write, 1]);
      expect(r.stderr).toMatch(/irpscope sql is read-only/);
    }
    expect(count(db, 'SELECT count(*) AS n FROM incidents')).toBe(1);
    expect(irpscope(['sql', 'SELEKT 1', '--db', db]).code).toBe(2);
  });

  it('never prints raw control characters from inputs', () => {
    const dir = mkdtempSync(join(tmpdir(), 'irpscope-ctl-'));
    const file = join(dir, 'evil\u001b[31m.txt');
    writeFileSync(file, readFileSync(CRASH, 'utf8').replace('mytool.exe', 'my\u001b]0;pwned\u0007tool.exe'));
    const evil = tempDb();
    const r = irpscope(['ingest', file, '--db', evil]);
    expect(r.code).toBe(0);
    expect(r.stdout).not.toContain('\u001b');
    expect(r.stdout).toContain('evil\\x1b[31m.txt');
    const show = irpscope(['show', '1', '--db', evil]);
    expect(show.stdout).not.toMatch(/[\u0000-\u0008\u000b-\u001f]/);
    if (!isPostgresLocation(evil)) expect(existsSync(evil)).toBe(true);
  });
});
