/**
 * One bench case in its own process, so its peak RSS is its own: prints one JSON line.
 *   node dist/bench/case.js <case> <file>
 */
import { statSync, createReadStream, createWriteStream } from 'node:fs';
import { writeParsedFile } from '../src/cli/parse-command.js';
import { StdoutPieces } from '../src/cli/stdout-pieces.js';
import { styler } from '../src/cli/terminal.js';
import { parseFile } from '../parsers/pipeline.js';
import { LineSplitter, MarkdownUndamager, readFileChunks } from '../src/text/index.js';
import { checkRecord } from '../src/records/validate.js';
import type { ParsedRecord } from '../src/records/index.js';
import { decodeIoctl } from '../src/decode/ioctl.js';
import { lookup } from '../src/decode/lookup.js';

interface CaseResult { ms: number; bytes: number; rows: number; records: number; peakRssMb: number }

async function parseCase(file: string, format?: string): Promise<CaseResult> {
  let records = 0;
  const started = performance.now();
  const summary = await parseFile(file, { record: () => records++, skipped: () => undefined }, format);
  const ms = performance.now() - started;
  return { ms, bytes: statSync(file).size, rows: summary.lines, records, peakRssMb: process.resourceUsage().maxRSS / 1024 };
}

async function linesCase(file: string): Promise<CaseResult> {
  const started = performance.now();
  const splitter = new LineSplitter();
  let lines = 0;
  for await (const chunk of createReadStream(file, { highWaterMark: 1 << 20 })) lines += splitter.push(chunk as Buffer).length;
  lines += splitter.finish().length;
  return { ms: performance.now() - started, bytes: statSync(file).size, rows: lines, records: 0, peakRssMb: process.resourceUsage().maxRSS / 1024 };
}

/** `irpscope parse --json` as the command runs it, its output written to /dev/null through a stream. */
async function parseJsonCase(file: string, format?: string): Promise<CaseResult> {
  const sink = createWriteStream('/dev/null');
  const started = performance.now();
  const { summary, counts } = await writeParsedFile({ path: file, chunks: readFileChunks(file) }, format ?? 'auto', true, styler(false), new StdoutPieces(sink));
  await new Promise<void>((done) => sink.end(done));
  return { ms: performance.now() - started, bytes: statSync(file).size, rows: summary.lines, records: counts.records, peakRssMb: process.resourceUsage().maxRSS / 1024 };
}

/**
 * The text stage as the WinDbg pipeline runs it (LineSplitter, then MarkdownUndamager, in 64 KB slices): what any
 * WinDbg parser pays before it looks at a line.
 */
async function textCase(file: string): Promise<CaseResult> {
  const started = performance.now();
  const splitter = new LineSplitter();
  const undamager = new MarkdownUndamager();
  let lines = 0;
  for await (const chunk of readFileChunks(file)) {
    for (let at = 0; at < chunk.length; at += 64 * 1024) lines += undamager.push(splitter.push(chunk.subarray(at, Math.min(chunk.length, at + 64 * 1024)))).lines.length;
  }
  lines += undamager.push(splitter.finish()).lines.length + undamager.finish().lines.length;
  return { ms: performance.now() - started, bytes: statSync(file).size, rows: lines, records: 0, peakRssMb: process.resourceUsage().maxRSS / 1024 };
}

/**
 * Schema validation alone: the parser's records checked again (checkRecord, what the parser runs on each), timed by
 * batches of 4 096 while they are fresh. `ms` is the validation time only: the cost any parser emitting these
 * records pays, whatever it does before.
 */
async function validationCase(file: string, format?: string): Promise<CaseResult> {
  let ms = 0;
  let records = 0;
  let batch: ParsedRecord[] = [];
  const check = (): void => {
    const started = performance.now();
    for (const record of batch) checkRecord(record);
    ms += performance.now() - started;
    records += batch.length;
    batch = [];
  };
  const summary = await parseFile(file, { record: (r) => (batch.push(r) === 4096 ? check() : undefined), skipped: () => undefined }, format);
  check();
  return { ms, bytes: statSync(file).size, rows: summary.lines, records, peakRssMb: process.resourceUsage().maxRSS / 1024 };
}

function decodeCase(): CaseResult {
  let x = 0x12345678;
  const started = performance.now();
  let named = 0;
  const n = 1_000_000;
  for (let i = 0; i < n; i++) {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    if (decodeIoctl(x).names.length > 0) named++;
  }
  for (let i = 0; i < 100_000; i++) if (lookup(i % 2 ? 'IOCTL_STORAGE_QUERY_PROPERTY' : 'c0000005').ok) named++;
  return { ms: performance.now() - started, bytes: 0, rows: n + 100_000, records: named, peakRssMb: process.resourceUsage().maxRSS / 1024 };
}

const [name, file, format] = process.argv.slice(2);
let result: CaseResult;
if (name === 'parse') result = await parseCase(file!, format);
else if (name === 'lines') result = await linesCase(file!);
else if (name === 'text') result = await textCase(file!);
else if (name === 'parse-json') result = await parseJsonCase(file!, format);
else if (name === 'validation') result = await validationCase(file!, format);
else if (name === 'decode') result = decodeCase();
else throw new Error(`unknown bench case ${name}`);
process.stdout.write(`${JSON.stringify(result)}\n`);
