/**
 * The incident store's share of `npm run bench`: ETW CSV ingest beside `sqlite3 .import` of the same rows, peak RSS
 * at 100 k and 1 M rows, and query latency on a generated store of 10 M IOCTL occurrences.
 *
 * Every measured ingest runs in its own process (so its peak RSS is its own), into a fresh database. The 10 M-row
 * store is generated with direct inserts (not through the parser: that is what the ingest rows measure) and cached
 * in the bench folder. BENCH_STORE_ROWS (default 200 000) sets the size of the ingest-speed input,
 * BENCH_STORE_MEMORY_ROWS (default "100000,1000000") the memory check, BENCH_STORE_QUERY_ROWS (default 10 M) the
 * query store.
 *
 *   node dist/bench/store.js                     all store cases, as a table
 *   node dist/bench/store.js ingest FILE DB      one ingest, prints one JSON line (used by the cases above)
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openStore } from '../db/store.js';
import { ingestFile } from '../db/ingest.js';
import { refreshBucketSummaries } from '../db/bucket-summaries.js';
import { LATEST_VERSION } from '../db/migrations/index.js';
import { selectLastFailures } from '../db/queries/last.js';
import { countByDriver } from '../db/queries/ioctls.js';
import { searchText } from '../db/queries/search.js';
import { decodeIoctl } from '../src/decode/ioctl.js';
import { tracerptLines, writeLines } from '../scripts/gen-tracerpt.js';
import { seededRandom } from '../scripts/seeded-random.js';

const here = fileURLToPath(import.meta.url);
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const INGEST_ROWS = Number(process.env.BENCH_STORE_ROWS ?? 200_000);
const work = process.env.BENCH_DIR ?? join(tmpdir(), 'irpscope-bench');

/** The same shape as bench/index.ts's rows, so the lead's table prints them beside the parser cases. */
export interface StoreBenchRow {
  name: string;
  input: string;
  medianMs: number;
  rowsPerSec: number;
  mbPerSec: number;
  peakRssMb: number;
  note: string;
}

/** `cpuMs`: user + system CPU of the ingest (every thread), the figure a loaded machine disturbs least. */
interface IngestResult { ms: number; cpuMs: number; bytes: number; records: number; skipped: number; peakRssMb: number }

const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

function fresh(db: string): string {
  for (const suffix of ['', '-wal', '-shm']) rmSync(`${db}${suffix}`, { force: true });
  return db;
}

/** The child side: one ingest, measured from inside. */
async function ingestCase(file: string, db: string): Promise<IngestResult> {
  const store = openStore(fresh(db));
  const started = performance.now();
  const cpu = process.cpuUsage();
  const outcome = await ingestFile(store, file);
  const ms = performance.now() - started;
  const used = process.cpuUsage(cpu);
  store.close();
  return { ms, cpuMs: (used.user + used.system) / 1000, bytes: statSync(file).size, records: outcome.records, skipped: outcome.skipped, peakRssMb: process.resourceUsage().maxRSS / 1024 };
}

export function runIngest(file: string, db: string): IngestResult {
  const out = execFileSync(process.execPath, [here, 'ingest', file, db], { encoding: 'utf8', maxBuffer: 1 << 20 });
  return JSON.parse(out.trim().split('\n').pop()!) as IngestResult;
}

export function tracerpt(rows: number, seed = 1): string {
  const file = join(work, `tracerpt-${rows}.csv`);
  if (!existsSync(file)) writeLines(file, tracerptLines(rows, seed), false);
  return file;
}

/**
 * sqlite3's own CSV import of the same file into one table with as many columns as the widest row. Timed by bash's
 * `time` (wall, and the CPU it took, which other processes on the machine disturb less).
 */
/** The parser alone on the file, in its own process (bench/case.ts): records counted, not kept. */
function parseAlone(file: string): number {
  const out = execFileSync(process.execPath, [join(dirname(here), 'case.js'), 'parse', file, 'etw-tracerpt'], { encoding: 'utf8', maxBuffer: 1 << 20 });
  return (JSON.parse(out.trim().split('\n').pop()!) as { ms: number }).ms;
}

function sqliteImport(file: string): { ms: number; cpuMs: number; rows: number } | null {
  if (spawnSync('sh', ['-c', 'command -v sqlite3']).status !== 0) return null;
  const lines = readFileSync(file, 'utf8').split('\r\n').filter((l) => l !== '');
  // tracerpt's User Data spills into as many cells as the payload has values: size the table for the widest row,
  // counting cells outside quotes as .import will.
  let widest = 0;
  for (const line of lines) widest = Math.max(widest, line.split(/,(?=(?:[^"]*"[^"]*")*[^"]*$)/).length);
  const db = fresh(join(work, 'sqlite3-import.db'));
  const columns = Array.from({ length: widest }, (_, i) => `c${i + 1} TEXT`).join(', ');
  const times: number[] = [];
  const cpuTimes: number[] = [];
  for (let run = 0; run < RUNS; run++) {
    fresh(db);
    execFileSync('sqlite3', [db, `CREATE TABLE rows (${columns});`]);
    const timed = execFileSync('bash', ['-c', 'TIMEFORMAT="%3R %3U %3S"; { time sqlite3 "$1" -cmd ".mode csv" ".import --skip 1 $2 rows" >/dev/null 2>&1; } 2>&1', 'bash', db, file], { encoding: 'utf8' });
    const [real, user, system] = timed.trim().split(/\s+/).slice(-3).map(Number) as [number, number, number];
    times.push(real * 1000);
    cpuTimes.push((user + system) * 1000);
  }
  const rows = Number(execFileSync('sqlite3', [db, 'SELECT count(*) FROM rows;'], { encoding: 'utf8' }).trim());
  return { ms: median(times), cpuMs: median(cpuTimes), rows };
}

const DRIVERS = Array.from({ length: 40 }, (_, i) => `drv${String(i).padStart(2, '0')}`);

/** 10 M IOCTL occurrences, generated straight into the tables, cached: the query latencies read it. */
export function generatedStore(rows: number): string {
  const path = join(work, `store-${rows}.db`);
  if (existsSync(path)) {
    try {
      // A store from an older irpscope is migrated in place (migrations add tables and columns; the generated
      // rows stay what they are) rather than generated again, which takes minutes.
      openStore(path).close();
      const check = openStore(path, { readonly: true });
      const n = Number((check.db.prepare('SELECT count(*) AS n FROM ioctl_occurrences').get() as { n: bigint }).n);
      check.close();
      if (n === rows) return path;
    } catch {
      // An older schema or a half-written file from an interrupted run: generate it again.
    }
  }
  const started = performance.now();
  const store = openStore(fresh(path));
  const db = store.db;
  const random = seededRandom(42);
  const codes = Array.from({ length: 300 }, (_, i) => (0x22 << 16) | ((0x800 + i) << 2) | (i % 4));
  db.exec('BEGIN');
  const source = db.prepare(`INSERT INTO sources (path, content_hash, size_bytes, format, format_reason, encoding, ingested_at, line_count, record_count, skipped_count)
    VALUES (?, ?, 0, 'procmon', 'generated', 'utf-8', '2024-01-01T00:00:00Z', ?, ?, 0)`);
  for (let s = 0; s < 100; s++) source.run(`/bench/generated-${s}.csv`, `generated-${s}`, rows / 100, rows / 100);
  const code = db.prepare('INSERT INTO ioctl_codes (code, hex, name, names, device_type, device_type_name, function, method, access) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)');
  for (const c of codes) {
    const d = decodeIoctl(c);
    code.run(c, `0x${c.toString(16).toUpperCase().padStart(8, '0')}`, d.names[0]?.name ?? null, JSON.stringify(d.names), d.deviceType.value, d.deviceType.names[0]?.name ?? null, d.function.value, d.method.names[0]?.name ?? String(d.method.value), d.access.names[0]?.name ?? String(d.access.value));
  }
  // Bulk load without the secondary indexes, then build them once, sorted: the way ingest's numbers are meant.
  const indexes = db.prepare("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'ioctl_occurrences' AND sql IS NOT NULL").all() as { name: string; sql: string }[];
  for (const i of indexes) db.exec(`DROP INDEX ${i.name}`);
  const insert = db.prepare(`INSERT INTO ioctl_occurrences (source_id, line, code, via, major_function, driver, driver_key, irp, status, status_text, time_ticks, time_text, time_from, process, failed)
    VALUES (?, ?, ?, 'procmon', 'IRP_MJ_DEVICE_CONTROL', ?, ?, NULL, ?, NULL, ?, NULL, 'source', NULL, ?)`);
  const statuses = [0, 0, 0, 0, 0, 0xc0000010, 0xc0000022, 0x80000005, 0xc000000d, 0x103];
  let ticks = 133_000_000_000_000_000n;
  for (let i = 0; i < rows; i++) {
    // A skewed mix: a few codes and drivers carry most of the traffic, as in real captures.
    const c = codes[Math.floor(random() ** 3 * codes.length)]!;
    const driver = DRIVERS[Math.floor(random() ** 2 * DRIVERS.length)]!;
    const status = statuses[Math.floor(random() * statuses.length)]!;
    ticks += BigInt(1 + Math.floor(random() * 20_000));
    insert.run(1 + (i % 100), 1 + Math.floor(i / 100), c, `${driver}.sys`, driver, status, ticks, status >= 0xc0000000 ? 1 : 0);
  }
  for (const i of indexes) db.exec(i.sql);
  db.exec(`INSERT INTO ioctl_counts (code, driver_key, driver, status, occurrences, first_ticks, last_ticks)
    SELECT code, driver_key, min(driver), status, count(*), min(time_ticks), max(time_ticks) FROM ioctl_occurrences GROUP BY code, driver_key, status`);
  // Words to search: stack frames and paths, 1 for every 20 occurrences.
  const search = db.prepare("INSERT INTO search_index (body, kind, source_id, line, ref_id) VALUES (?, 'frame', ?, ?, ?)");
  for (let i = 0; i < rows / 20; i++) {
    const driver = DRIVERS[Math.floor(random() * DRIVERS.length)]!;
    search.run(`${driver}!Dispatch${['DeviceControl', 'Create', 'Close', 'Read', 'Write', 'Power', 'Pnp'][i % 7]}+0x${(i % 4096).toString(16)} C:\\src\\${driver}\\dispatch${i % 97}.c`, 1 + (i % 100), i + 1, i + 1);
  }
  db.exec('COMMIT');
  db.exec('ANALYZE');
  store.close();
  process.stderr.write(`bench: generated ${rows} IOCTL rows in ${((performance.now() - started) / 1000).toFixed(0)} s (${path})\n`);
  return path;
}

const BUGCHECKS = [0xc4, 0xc9, 0x9f, 0x3b, 0x7e, 0xd1, 0x10d, 0x133, 0x1e, 0x50];

/**
 * Crashes for browse's incidents and buckets views: `count` incidents (times spread over four years, a skewed mix
 * of bugchecks and modules) and their signatures (about 6 000 distinct, most incidents in a few hundred), added to
 * the cached store once. Signatures are written straight, not computed: this measures reading them.
 */
export function withIncidents(path: string, count: number): string {
  const store = openStore(path);
  const db = store.db;
  const have = Number((db.prepare('SELECT count(*) AS n FROM incidents').get() as { n: bigint }).n);
  if (have >= count) {
    store.close();
    return path;
  }
  const started = performance.now();
  const random = seededRandom(7);
  db.exec('BEGIN');
  db.exec('DELETE FROM incident_signatures');
  db.exec('DELETE FROM incidents');
  db.prepare(`INSERT OR IGNORE INTO rule_sets (version, digest, rules, first_used_at) VALUES ('bench', 'generated', '[]', '2024-01-01T00:00:00Z')`).run();
  const incident = db.prepare(`INSERT INTO incidents (id, source_id, line, incident_no, via, bugcheck_code, name, arg1, parameters, cases, image, module, symbol, os_build,
    driver_version, time_ticks, time_text, details) VALUES (?, ?, ?, ?, 'analyze', ?, NULL, ?, '[]', '[]', ?, ?, ?, ?, ?, ?, NULL, '{}')`);
  const signature = db.prepare(`INSERT INTO incident_signatures (incident_id, signature, signature_id, rule_version, parts, explanation, signed_at)
    VALUES (?, ?, ?, 'bench', '{}', '{}', '2024-01-01T00:00:00Z')`);
  const first = 132_539_328_000_000_000n; // 2021-01-01
  const span = 4 * 365 * 86_400 * 10_000_000;
  for (let i = 1; i <= count; i++) {
    const code = BUGCHECKS[Math.floor(random() ** 2 * BUGCHECKS.length)]!;
    const driver = DRIVERS[Math.floor(random() ** 2 * DRIVERS.length)]!;
    const fn = Math.floor(random() ** 3 * 150);
    const sub = Math.floor(random() * 4);
    const ticks = first + BigInt(Math.floor(random() * span));
    const symbol = `${driver}!Function${fn}`;
    incident.run(i, 1 + (i % 100), 1_000_000 + i, 1_000_000 + i, code, `0x${sub.toString(16).toUpperCase().padStart(16, '0')}`, `${driver}.sys`, driver, `${symbol}+0x${(i % 4096).toString(16)}`,
      `19041.${1 + (i % 30)}.amd64fre.vb_release`, `1.0.${i % 7}.0`, ticks);
    const text = `0x${code.toString(16).toUpperCase()}/0x${sub} | ${symbol}`;
    signature.run(i, text, createHash('sha256').update(text).digest('hex').slice(0, 12));
  }
  refreshBucketSummaries(db, null);
  db.exec('COMMIT');
  db.exec('ANALYZE');
  store.close();
  process.stderr.write(`bench: added ${count} incidents and their signatures in ${((performance.now() - started) / 1000).toFixed(0)} s (${path})\n`);
  return path;
}

export function latency(name: string, input: string, work: () => number, runs = 20): StoreBenchRow {
  work();
  const times: number[] = [];
  let rows = 0;
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    rows = work();
    times.push(performance.now() - started);
  }
  return { name, input, medianMs: median(times), rowsPerSec: Number.NaN, mbPerSec: Number.NaN, peakRssMb: Number.NaN, note: `${rows} rows returned; median of ${runs}, warm` };
}

export async function benchStore(): Promise<StoreBenchRow[]> {
  mkdirSync(work, { recursive: true });
  const rows: StoreBenchRow[] = [];
  const db = join(work, 'ingest.db');

  const file = tracerpt(INGEST_ROWS);
  const label = `tracerpt ${INGEST_ROWS.toLocaleString('en-US')} rows`;
  const mb = statSync(file).size / (1024 * 1024);
  const results = Array.from({ length: RUNS }, () => runIngest(file, db));
  const ms = median(results.map((r) => r.ms));
  const ingestRate = results[0]!.records / (ms / 1000);
  const cpuMs = median(results.map((r) => r.cpuMs));
  const peer = sqliteImport(file);
  const peerRate = peer ? peer.rows / (peer.ms / 1000) : Number.NaN;
  rows.push({
    name: 'ingest ETW CSV (parse+store)', input: label, medianMs: ms, rowsPerSec: ingestRate, mbPerSec: mb / (ms / 1000),
    peakRssMb: Math.max(...results.map((r) => r.peakRssMb)),
    note: peer ? `${results[0]!.records} records; ${(ingestRate / peerRate).toFixed(2)} x sqlite3 .import; CPU ${(cpuMs / 1000).toFixed(1)} s vs ${(peer.cpuMs / 1000).toFixed(1)} s (${((peer.cpuMs / peer.rows) / (cpuMs / results[0]!.records)).toFixed(2)} x per row)` : `${results[0]!.records} records; sqlite3 CLI not installed (apt-get install sqlite3): no .import peer`,
  });
  if (peer) rows.push({ name: 'peer: sqlite3 .import', input: label, medianMs: peer.ms, rowsPerSec: peerRate, mbPerSec: mb / (peer.ms / 1000), peakRssMb: Number.NaN, note: `${peer.rows} rows as plain CSV into one table, same file` });
  // The store's own share: the same file parsed alone (records counted, not kept) in the same run, taken from the
  // ingest's time. No parser speed-up takes an ingest past what is left.
  const parseMs = median(Array.from({ length: RUNS }, () => parseAlone(file)));
  const storeRate = results[0]!.records / ((ms - parseMs) / 1000);
  rows.push({
    name: 'floor: the store\'s share (ingest - parse alone)', input: label, medianMs: ms - parseMs, rowsPerSec: storeRate, mbPerSec: Number.NaN, peakRssMb: Number.NaN,
    note: `parse alone ${(parseMs / 1000).toFixed(2)} s${peer ? `; ${(storeRate / peerRate).toFixed(2)} x sqlite3 .import` : ''}: the ceiling with parsing for free`,
  });

  const memorySizes = (process.env.BENCH_STORE_MEMORY_ROWS ?? '100000,1000000').split(',').map(Number);
  for (const n of memorySizes) {
    const r = runIngest(tracerpt(n), db);
    rows.push({ name: 'ingest ETW CSV (memory)', input: `tracerpt ${n.toLocaleString('en-US')} rows`, medianMs: r.ms, rowsPerSec: r.records / (r.ms / 1000), mbPerSec: statSync(tracerpt(n)).size / (1024 * 1024) / (r.ms / 1000), peakRssMb: r.peakRssMb, note: 'one run: peak RSS must stay flat from 100 k to 1 M' });
  }

  const size = Number(process.env.BENCH_STORE_QUERY_ROWS ?? 10_000_000);
  const store = openStore(generatedStore(size), { readonly: true });
  const input = `${(size / 1e6).toFixed(0)} M IOCTL rows`;
  const hot = store.db.prepare('SELECT code, driver_key FROM ioctl_counts ORDER BY occurrences DESC LIMIT 1').get() as { code: bigint; driver_key: string };
  rows.push(latency('query: last --ioctl X --driver Y', input, () => selectLastFailures(store.db, { code: Number(hot.code), driverKey: hot.driver_key, limit: 100 }).length));
  rows.push(latency('query: last --ioctl X', input, () => selectLastFailures(store.db, { code: Number(hot.code), limit: 100 }).length));
  rows.push(latency('query: counts by driver', input, () => countByDriver(store.db).length));
  rows.push(latency('query: counts by driver (scan)', input, () => (store.db.prepare('SELECT driver_key, count(*) FROM ioctl_occurrences GROUP BY driver_key').all() as unknown[]).length, 3));
  rows.push(latency('query: search', input, () => searchText(store.db, 'drv07 DispatchDeviceControl', { limit: 50 }).length));
  store.close();
  rows.push({ name: 'store schema', input: `version ${LATEST_VERSION}`, medianMs: Number.NaN, rowsPerSec: Number.NaN, mbPerSec: Number.NaN, peakRssMb: Number.NaN, note: `bench folder ${work}` });
  return rows;
}

function table(rows: readonly StoreBenchRow[]): string {
  const header = ['case', 'input', 'median ms', 'rows/s', 'MB/s', 'peak RSS MB', 'note'];
  const fmt = (n: number, digits = 0): string => (Number.isNaN(n) ? '-' : n.toFixed(digits));
  const body = rows.map((r) => [r.name, r.input, fmt(r.medianMs, r.medianMs < 10 ? 2 : 0), Number.isNaN(r.rowsPerSec) ? '-' : Math.round(r.rowsPerSec).toLocaleString('en-US'), fmt(r.mbPerSec, 1), fmt(r.peakRssMb), r.note]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((b) => b[i]!.length)));
  const line = (cells: string[]): string => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
  return [line(header), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...body.map(line)].join('\n');
}

if (process.argv[1] === here) {
  const [mode, file, db] = process.argv.slice(2);
  if (mode === 'ingest') process.stdout.write(`${JSON.stringify(await ingestCase(file!, db!))}\n`);
  else process.stdout.write(`${table(await benchStore())}\n`);
}
