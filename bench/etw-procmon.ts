/**
 * Bench of the ETW and Process Monitor parsers: `irpscope parse` (parse alone: records counted, not kept) on
 * tracerpt-style and Procmon CSV from scripts/gen-tracerpt.ts (deterministic by seed), at 100 k and 1 M rows, beside
 * csv-parse alone reading the same file (ltrim, array records: the peer the issue measured). Every run is its own
 * process, so its peak RSS is its own; figures are medians of BENCH_RUNS runs (default 3).
 *
 * No worker thread: records must reach the sink on the main thread, and moving one across costs more there than
 * building it (structured clone about 14 us a record, JSON.parse about 7 us, building about 6 us, measured here).
 *
 *   node dist/bench/etw-procmon.js                         the table
 *   node dist/bench/etw-procmon.js case parse|peer FILE [FORMAT]   one run, one JSON line (used by the above)
 */
import { execFileSync } from 'node:child_process';
import { createReadStream, existsSync, mkdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as csvParse } from 'csv-parse';
import { parseFile } from '../parsers/pipeline.js';
import { GENERATOR_VERSION, procmonLines, tracerptLines, writeLines } from '../scripts/gen-tracerpt.js';

export interface BenchResult {
  name: string;
  rows: number;
  bytes: number;
  medianMs: number;
  rowsPerSec: number;
  mbPerSec: number;
  peakRssMb: number;
  peer?: { name: string; medianMs: number; rowsPerSec: number };
}

interface RunResult {
  ms: number;
  rows: number;
  records: number;
  skipped: number;
  bytes: number;
  peakRssMb: number;
}

const SELF = fileURLToPath(import.meta.url);
const RUNS = Math.max(3, Number(process.env.BENCH_RUNS ?? 3));
const WORK = process.env.BENCH_DIR ?? join(tmpdir(), 'irpscope-bench');
const SEED = 1;
/**
 * Runs of the peer on the 1 M-row inputs. csv-parse's relax_column_count builds an error object for every record
 * whose width differs from the first record's, which on tracerpt's varying User Data is most rows: it reads the
 * 1 M-row file in minutes, so by default once.
 */
const PEER_RUNS_LARGE = Math.max(1, Number(process.env.BENCH_PEER_RUNS ?? 1));

/** One run in this process: parse the file, or let csv-parse alone read it. */
async function runOnce(kind: string, file: string, format: string | undefined): Promise<RunResult> {
  const bytes = statSync(file).size;
  let records = 0;
  let skipped = 0;
  let rows = 0;
  const started = performance.now();
  if (kind === 'parse') {
    const summary = await parseFile(file, { record: () => records++, skipped: () => skipped++ }, format);
    rows = summary.account.recordLines;
  } else if (kind === 'peer') {
    const parser = createReadStream(file, { highWaterMark: 1 << 20 }).pipe(csvParse({ ltrim: true, relax_column_count: true, bom: true }));
    for await (const record of parser) {
      void record;
      rows++;
    }
    records = rows;
  } else throw new Error(`unknown bench case ${kind}`);
  const ms = performance.now() - started;
  return { ms, rows, records, skipped, bytes, peakRssMb: process.resourceUsage().maxRSS / 1024 };
}

function runChild(kind: string, file: string, format?: string): RunResult {
  const out = execFileSync(process.execPath, [SELF, 'case', kind, file, ...(format ? [format] : [])], { encoding: 'utf8', maxBuffer: 1 << 20 });
  return JSON.parse(out.trim().split('\n').pop()!) as RunResult;
}

const median = (values: readonly number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

function measure(kind: string, file: string, format?: string, count = RUNS): { medianMs: number; runs: RunResult[] } {
  const runs = Array.from({ length: count }, () => runChild(kind, file, format));
  return { medianMs: median(runs.map((r) => r.ms)), runs };
}

/** The input file for a format and size, generated once per seed into BENCH_DIR. */
function input(kind: 'tracerpt' | 'procmon', rows: number): string {
  mkdirSync(WORK, { recursive: true });
  const file = join(WORK, `${kind}-${rows}-seed${SEED}-v${GENERATOR_VERSION}.csv`);
  if (!existsSync(file)) {
    process.stderr.write(`bench: generating ${file}\n`);
    // tracerptLines counts the EventTrace header row among its rows; Procmon's header row is extra.
    if (kind === 'tracerpt') writeLines(file, tracerptLines(rows + 1, SEED), false);
    else writeLines(file, procmonLines(rows, SEED), true);
  }
  return file;
}

export async function benchEtwProcmon(): Promise<BenchResult[]> {
  const results: BenchResult[] = [];
  for (const [kind, format] of [['tracerpt', 'etw-tracerpt'], ['procmon', 'procmon']] as const) {
    for (const rows of [100_000, 1_000_000]) {
      const file = input(kind, rows);
      // csv-parse alone needs minutes for the 1 M-row tracerpt file (see the note at PEER_RUNS_LARGE).
      const peerRuns = rows >= 1_000_000 ? PEER_RUNS_LARGE : RUNS;
      process.stderr.write(`bench: ${kind} ${rows} rows: ${RUNS} runs of parse, ${peerRuns} of csv-parse alone\n`);
      const parsed = measure('parse', file, format);
      const peer = measure('peer', file, undefined, peerRuns);
      const first = parsed.runs[0]!;
      if (first.skipped !== 0) throw new Error(`bench: ${file}: ${first.skipped} lines skipped; the generated input should parse whole`);
      results.push({
        name: `parse ${format} ${rows / 1000} k rows`,
        rows: first.rows,
        bytes: first.bytes,
        medianMs: parsed.medianMs,
        rowsPerSec: first.rows / (parsed.medianMs / 1000),
        mbPerSec: first.bytes / (1024 * 1024) / (parsed.medianMs / 1000),
        peakRssMb: Math.max(...parsed.runs.map((r) => r.peakRssMb)),
        peer: { name: 'csv-parse alone (ltrim, array records)', medianMs: peer.medianMs, rowsPerSec: peer.runs[0]!.rows / (peer.medianMs / 1000) },
      });
    }
  }
  return results;
}

function table(results: readonly BenchResult[]): string {
  const header = ['case', 'rows', 'MB', 'median ms', 'rows/s', 'MB/s', 'peak RSS MB', 'csv-parse alone rows/s'];
  const body = results.map((r) => [
    r.name, r.rows.toLocaleString('en-US'), (r.bytes / (1024 * 1024)).toFixed(1), r.medianMs.toFixed(0), Math.round(r.rowsPerSec).toLocaleString('en-US'),
    r.mbPerSec.toFixed(1), r.peakRssMb.toFixed(0), r.peer ? Math.round(r.peer.rowsPerSec).toLocaleString('en-US') : '-',
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((b) => b[i]!.length)));
  const line = (cells: string[]): string => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
  return [line(header), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...body.map(line)].join('\n');
}

if (process.argv[1] === SELF) {
  const [command, kind, file, format] = process.argv.slice(2);
  if (command === 'case') process.stdout.write(`${JSON.stringify(await runOnce(kind!, file!, format))}\n`);
  else process.stdout.write(`${table(await benchEtwProcmon())}\n`);
}
