/**
 * Bytes -> lines -> (markdown undamaged) -> parser -> records, for one file or stream. Format detection looks at a
 * bounded prefix of decoded lines, says which parser it chose and why; nothing here grows with the input.
 */
import { LineSplitter, MarkdownUndamager, readFileChunks, type SourceLine, type TextEncoding, type UndamageReport } from '../src/text/index.js';
import type { ParsedRecord, Skipped } from '../src/records/index.js';
import { SNIFF_LINES, type LineAccount, type LineParser, type ParseBatch, type ParserModule } from './types.js';
import { PARSERS, parserById } from './registry.js';

export interface Detection {
  readonly format: string;
  readonly reason: string;
  readonly forced: boolean;
}

export interface ParseSummary {
  readonly path: string;
  readonly format: string;
  readonly formatReason: string;
  readonly encoding: TextEncoding;
  /** Decoded lines, including markdown fences that were dropped. */
  readonly lines: number;
  readonly account: LineAccount & { markdownNoise: number };
  readonly undamage: UndamageReport | null;
  readonly truncatedLastLine: boolean;
  readonly nulBytesRemoved: number;
  readonly invalidSequences: number;
}

/** What is known of a file once its format is chosen, before its first record. */
export interface ParseStart {
  readonly path: string;
  readonly format: string;
  readonly formatReason: string;
  readonly encoding: TextEncoding;
}

export interface ParseSink {
  /** Called once, after detection and before any record or skipped line (a streaming writer's header). */
  start?(start: ParseStart): void;
  record(record: ParsedRecord): void;
  skipped(skipped: Skipped): void;
}

export class FormatError extends Error {}

/** Bytes handed to the line splitter at a time (see parseChunks). */
const SLICE_BYTES = 64 * 1024;

/** Chooses a parser from a prefix of lines: the highest score wins; ties go to registry order. */
export function detect(prefix: readonly string[], forced?: string): Detection {
  if (forced && forced !== 'auto') {
    if (!parserById(forced)) throw new FormatError(`unknown format ${JSON.stringify(forced)} (known: auto, ${PARSERS.map((p) => p.id).join(', ')})`);
    return { format: forced, reason: `--format ${forced}`, forced: true };
  }
  let best: { module: ParserModule; score: number; reason: string } | null = null;
  for (const module of PARSERS) {
    const { score, reason } = module.sniff(prefix);
    if (score > 0 && (!best || score > best.score)) best = { module, score, reason };
  }
  if (!best) throw new FormatError(`no parser recognises this text (looked at the first ${prefix.length} lines); use --format to force one`);
  return { format: best.module.id, reason: best.reason, forced: false };
}

/**
 * Streams chunks through the text stage and the chosen parser. A chunk need only stay valid until the next is asked
 * for (a reader may reuse its buffer); what is kept longer is copied here. Records and skipped lines go to the sink as they
 * complete, so a caller that does not keep them parses in bounded memory.
 */
export async function parseChunks(chunks: AsyncIterable<Uint8Array>, path: string, sink: ParseSink, forcedFormat?: string): Promise<ParseSummary> {
  // The splitter's handling of lone CR depends on the format, which is known only after sniffing: decode the
  // prefix with CRs kept as line breaks for sniffing, then re-split from the raw bytes with the chosen rule.
  const prefixBytes: Uint8Array[] = [];
  let prefixLines: SourceLine[] = [];
  const sniffSplitter = new LineSplitter();
  const iterator = chunks[Symbol.asyncIterator]();
  let done = false;
  while (prefixLines.length < SNIFF_LINES) {
    const next = await iterator.next();
    if (next.done) {
      done = true;
      break;
    }
    // Copied: a chunk may be a reused buffer, valid only until the next one is read (src/text/file-chunks.ts).
    prefixBytes.push(Uint8Array.prototype.slice.call(next.value));
    prefixLines = prefixLines.concat(sniffSplitter.push(next.value));
  }
  if (done) prefixLines = prefixLines.concat(sniffSplitter.finish());
  const detection = detect(prefixLines.slice(0, SNIFF_LINES).map((l) => l.text), forcedFormat);
  const module = parserById(detection.format)!;
  // The encoding is decided on the first 64 bytes (src/text/encoding.ts), before any line comes out.
  sink.start?.({ path, format: detection.format, formatReason: detection.reason, encoding: sniffSplitter.report().encoding });

  const splitter = new LineSplitter({ loneCR: module.loneCR });
  const undamager = module.undamage ? new MarkdownUndamager() : null;
  const parser: LineParser = module.create({ source: path });
  let markdownNoise = 0;
  // The sink sees, per input chunk, that chunk's records and then its skipped lines. A chunk is parsed in slices
  // (below), so the slices' records go out as they come and their skipped lines wait for the end of the chunk.
  let heldSkipped: Skipped[] = [];
  const deliver = (batch: ParseBatch): void => {
    for (const record of batch.records) sink.record(record);
    if (batch.skipped.length !== 0) heldSkipped = heldSkipped.length === 0 ? batch.skipped : heldSkipped.concat(batch.skipped);
  };
  const endChunk = (): void => {
    const skipped = heldSkipped;
    heldSkipped = [];
    for (const s of skipped) sink.skipped(s);
  };
  const feed = (lines: SourceLine[]): void => {
    let parserLines = lines;
    if (undamager) {
      const result = undamager.push(lines);
      markdownNoise += result.dropped.length;
      parserLines = result.lines;
    }
    if (parserLines.length === 0) return;
    deliver(parser.push(parserLines));
  };
  // Large chunks are split into slices: the lines of one slice and what is made of them die young (a 1 MB chunk's
  // lines and records outlive several scavenges and are copied to the old generation, which costs more than the
  // parse). The splitter gives the same lines for any cut.
  const feedChunk = (bytes: Uint8Array): void => {
    const n = bytes.length;
    if (n <= SLICE_BYTES) feed(splitter.push(bytes));
    else for (let at = 0; at < n; at += SLICE_BYTES) feed(splitter.push(bytes.subarray(at, Math.min(n, at + SLICE_BYTES))));
    endChunk();
  };
  for (const bytes of prefixBytes) feedChunk(bytes);
  if (!done) {
    for (;;) {
      const next = await iterator.next();
      if (next.done) break;
      feedChunk(next.value);
    }
  }
  feed(splitter.finish());
  endChunk();
  if (undamager) {
    const tail = undamager.finish();
    markdownNoise += tail.dropped.length;
    if (tail.lines.length > 0) {
      deliver(parser.push(tail.lines));
      endChunk();
    }
  }
  deliver(parser.finish());
  endChunk();
  const report = splitter.report();
  const account = parser.account();
  return {
    path,
    format: detection.format,
    formatReason: detection.reason,
    encoding: report.encoding,
    lines: report.lines,
    account: { ...account, markdownNoise },
    undamage: undamager ? undamager.report() : null,
    truncatedLastLine: report.truncatedLastLine,
    nulBytesRemoved: report.nulBytesRemoved,
    invalidSequences: report.invalidSequences,
  };
}

export function parseFile(path: string, sink: ParseSink, forcedFormat?: string): Promise<ParseSummary> {
  return parseChunks(readFileChunks(path), path, sink, forcedFormat);
}

/** Whole-text convenience for tests and the library: every record and skipped line, collected. */
export async function parseText(text: string | Uint8Array, forcedFormat?: string, path = '<text>'): Promise<{ summary: ParseSummary; records: ParsedRecord[]; skipped: Skipped[] }> {
  const bytes = typeof text === 'string' ? Buffer.from(text, 'utf8') : text;
  const records: ParsedRecord[] = [];
  const skipped: Skipped[] = [];
  async function* one(): AsyncGenerator<Uint8Array> {
    yield bytes;
  }
  const summary = await parseChunks(one(), path, { record: (r) => records.push(r), skipped: (s) => skipped.push(s) }, forcedFormat);
  return { summary, records, skipped };
}
