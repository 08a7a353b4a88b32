/**
 * `npm run bench`: deterministic inputs generated in the repo, each case run in its own process several times,
 * medians, rows/s and MB/s, peak RSS, and a peer measured in the same run on the same input.
 *
 * BENCH_MB (default 128) sets the size of the synthetic WinDbg log; the memory check also parses one 4x larger.
 * BENCH_ONLY=decode,windbg,etw,store,browse,postgres picks sections (default: all). The store section builds a 10 M-row store
 * once (a few minutes) and caches it in the bench folder.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { benchEtwProcmon } from './etw-procmon.js';
import { benchStore, generatedStore, withIncidents } from './store.js';
import { benchBrowse } from './browse.js';
import { benchPostgres } from './postgres.js';
import { WINDBG_GENERATOR_VERSION } from '../scripts/gen-windbg.js';

const dist = fileURLToPath(new URL('..', import.meta.url));
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const SIZE_MB = Number(process.env.BENCH_MB ?? 128);
const work = process.env.BENCH_DIR ?? join(tmpdir(), 'irpscope-bench');

interface CaseResult { ms: number; bytes: number; rows: number; records: number; peakRssMb: number }
export interface BenchRow { name: string; input: string; medianMs: number; rowsPerSec: number; mbPerSec: number; peakRssMb: number; note: string }

function runCase(args: string[]): CaseResult {
  const out = execFileSync(process.execPath, [join(dist, 'bench', 'case.js'), ...args], { encoding: 'utf8', maxBuffer: 1 << 20 });
  return JSON.parse(out.trim().split('\n').pop()!) as CaseResult;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

function measure(name: string, input: string, args: string[], note = '', runs = RUNS): BenchRow {
  const results = Array.from({ length: runs }, () => runCase(args));
  const ms = median(results.map((r) => r.ms));
  const first = results[0]!;
  return {
    name, input, medianMs: ms,
    rowsPerSec: first.rows / (ms / 1000),
    mbPerSec: first.bytes / (1024 * 1024) / (ms / 1000),
    peakRssMb: Math.max(...results.map((r) => r.peakRssMb)),
    note: note || `${first.rows} lines, ${first.records} records`,
  };
}

function timeCommand(name: string, input: string, file: string, command: string, args: string[], note: string): BenchRow | null {
  const which = spawnSync('sh', ['-c', `command -v ${command}`]);
  if (which.status !== 0) return null;
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const started = performance.now();
    spawnSync(command, args, { stdio: 'ignore' });
    times.push(performance.now() - started);
  }
  const ms = median(times);
  const bytes = statSync(file).size;
  return { name, input, medianMs: ms, rowsPerSec: Number.NaN, mbPerSec: bytes / (1024 * 1024) / (ms / 1000), peakRssMb: Number.NaN, note };
}

function generate(script: string, file: string, mb: number, seed = 1): string {
  if (!existsSync(file) || Math.abs(statSync(file).size - mb * 1024 * 1024) > 8 * 1024 * 1024) {
    execFileSync(process.execPath, [join(dist, 'scripts', script), file, String(mb), String(seed)], { stdio: ['ignore', 'ignore', 'inherit'] });
  }
  return file;
}

function format(rows: BenchRow[]): string {
  const header = ['case', 'input', 'median ms', 'rows/s', 'MB/s', 'peak RSS MB', 'note'];
  const body = rows.map((r) => [r.name, r.input, r.medianMs.toFixed(0), Number.isNaN(r.rowsPerSec) ? '-' : Math.round(r.rowsPerSec).toLocaleString('en-US'), r.mbPerSec ? r.mbPerSec.toFixed(1) : '-', Number.isNaN(r.peakRssMb) ? '-' : r.peakRssMb.toFixed(0), r.note]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((b) => b[i]!.length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
  return [line(header), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...body.map(line)].join('\n');
}

mkdirSync(work, { recursive: true });
const rows: BenchRow[] = [];
process.stderr.write(`bench: ${RUNS} runs per case, median; inputs in ${work}\n`);

const only = new Set((process.env.BENCH_ONLY ?? 'decode,windbg,etw,store,browse,postgres').split(',').map((s) => s.trim()));

if (only.has('decode')) rows.push(measure('decode', '1.1 M values', ['decode'], '1 M decodeIoctl on pseudo-random codes + 100 k lookups'));

if (only.has('windbg')) {
  const windbg = generate('gen-windbg.js', join(work, `windbg-${SIZE_MB}mb-v${WINDBG_GENERATOR_VERSION}.txt`), SIZE_MB);
  const windbgLabel = `windbg ${SIZE_MB} MB`;
  rows.push(measure('parse windbg', windbgLabel, ['parse', windbg, 'windbg']));
  rows.push(measure('peer: text stage alone', windbgLabel, ['lines', windbg], 'LineSplitter only: the floor the parser builds on'));
  // The ceiling: what any parser of this text into validated records pays before its own work (README, "Speed").
  const text = measure('floor: text stage + markdown', windbgLabel, ['text', windbg], 'LineSplitter + MarkdownUndamager, as the pipeline runs them');
  const validation = measure('floor: schema validation', windbgLabel, ['validation', windbg, 'windbg'], 'checkRecord on the same records, timed alone');
  rows.push(text, validation);
  const floorMs = text.medianMs + validation.medianMs;
  const bytes = statSync(windbg).size;
  rows.push({ name: 'ceiling: text + validation', input: windbgLabel, medianMs: floorMs, rowsPerSec: Number.NaN, mbPerSec: bytes / (1024 * 1024) / (floorMs / 1000), peakRssMb: Number.NaN,
    note: 'the two floors added: no parser emitting validated records can be faster' });
  const grep = timeCommand('peer: grep -c', windbgLabel, windbg, 'grep', ['-c', '-E', 'Arg[1-4]:|IRP_MJ_|STACK_TEXT', windbg], 'GNU grep counting key lines, same file');
  if (grep) rows.push(grep);
  const large = generate('gen-windbg.js', join(work, `windbg-${SIZE_MB * 4}mb-v${WINDBG_GENERATOR_VERSION}.txt`), SIZE_MB * 4, 2);
  rows.push(measure('parse windbg (memory check)', `windbg ${SIZE_MB * 4} MB`, ['parse', large, 'windbg'], 'peak RSS must match the smaller input', 1));
  // The command itself, output included: records and skipped lines are written as they come, never held.
  rows.push(measure('irpscope parse --json', windbgLabel, ['parse-json', windbg, 'windbg'], 'the command, JSON to /dev/null', 1));
  rows.push(measure('irpscope parse --json (memory check)', `windbg ${SIZE_MB * 4} MB`, ['parse-json', large, 'windbg'], 'peak RSS must match the smaller input', 1));
}

if (only.has('etw')) {
  for (const r of await benchEtwProcmon()) {
    rows.push({ name: r.name, input: `${r.rows.toLocaleString('en-US')} rows`, medianMs: r.medianMs, rowsPerSec: r.rowsPerSec, mbPerSec: r.mbPerSec, peakRssMb: r.peakRssMb, note: r.peer ? `peer ${r.peer.name}: ${Math.round(r.peer.rowsPerSec).toLocaleString('en-US')} rows/s` : '' });
  }
}

if (only.has('store')) for (const r of await benchStore()) rows.push(r);
if (only.has('postgres')) for (const r of await benchPostgres()) rows.push(r);

if (only.has('browse')) {
  // The same cached store as the query latencies (generated once, a few minutes, if missing).
  const size = Number(process.env.BENCH_STORE_QUERY_ROWS ?? 10_000_000);
  const incidents = Number(process.env.BENCH_STORE_INCIDENTS ?? 1_000_000);
  const label = `${(size / 1e6).toFixed(0)} M IOCTL rows, ${(incidents / 1e6).toFixed(0)} M incidents`;
  for (const r of benchBrowse(withIncidents(generatedStore(size), incidents), label)) rows.push(r);
}

process.stdout.write(`${format(rows)}\n`);
