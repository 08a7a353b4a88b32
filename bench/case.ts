/**
 * One bench case in its own process, so its peak RSS is its own: prints one JSON line.
 *   node dist/bench/case.js <case> <file>
 */
import { statSync, createReadStream } from 'node:fs';
import { parseFile } from '../parsers/pipeline.js';
import { LineSplitter } from '../src/text/index.js';
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
else if (name === 'decode') result = decodeCase();
else throw new Error(`unknown bench case ${name}`);
process.stdout.write(`${JSON.stringify(result)}\n`);
