/** `irpscope parse`: files in, decoded records out, every line accounted for. */
import { closeSync, mkdtempSync, openSync, readSync, rmSync, statSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TextDecoder } from 'node:util';
import type { Command } from 'commander';
import { z } from 'zod';
import { PARSERS } from '../../parsers/registry.js';
import { FormatError, parseChunks, type ParseSink, type ParseStart, type ParseSummary } from '../../parsers/pipeline.js';
import { readFileChunks } from '../text/index.js';
import type { ParsedRecord, Skipped } from '../records/index.js';
import { FailureError, UsageError } from './errors.js';
import { colorWanted, styler, type Styler } from './terminal.js';
import { ParsedFileRenderer } from './render-records.js';
import { PIECE_CHARS, StdoutPieces } from './stdout-pieces.js';
import { progressFor } from './ingest-progress.js';

/** A regular file's size (what the bar counts towards), else null: a missing file fails in the parse, as before. */
function fileSize(path: string): number | null {
  try {
    const stat = statSync(path);
    return stat.isFile() ? stat.size : null;
  } catch {
    return null;
  }
}

const ParseOptions = z.object({
  format: z.string().default('auto'),
  json: z.boolean().optional(),
});

/** Skipped lines kept in memory, as JSON, before the rest goes to a temporary file. */
const SKIPPED_IN_MEMORY_CHARS = 1 << 20;

/**
 * The `skipped` array of one file's JSON object, which follows the records: its entries arrive among them and are
 * kept as JSON text, in memory up to a megabyte and past that in a temporary file, so that a file of nothing but
 * unknown lines still parses in bounded memory.
 */
class SkippedSpool {
  private parts: string[] = [];
  private size = 0;
  private file: { dir: string; fd: number } | null = null;
  private count = 0;

  add(skipped: Skipped): void {
    const json = JSON.stringify({ line: skipped.line, reason: skipped.reason });
    this.parts.push(this.count++ === 0 ? json : `,${json}`);
    this.size += json.length + 1;
    if (this.size >= SKIPPED_IN_MEMORY_CHARS) this.spill();
  }

  private spill(): void {
    if (!this.file) {
      const dir = mkdtempSync(join(tmpdir(), 'irpscope-skipped-'));
      this.file = { dir, fd: openSync(join(dir, 'skipped.json'), 'w+') };
    }
    writeSync(this.file.fd, this.parts.join(''));
    this.parts = [];
    this.size = 0;
  }

  /** Everything kept, in order, to `out`; then the temporary file is gone. */
  async drainTo(out: StdoutPieces): Promise<void> {
    if (this.file) {
      this.spill();
      const { fd } = this.file;
      const buffer = Buffer.allocUnsafe(PIECE_CHARS * 4);
      // JSON.stringify wrote the file as UTF-8: a piece may end inside a character, so the decoder carries it over.
      const decoder = new TextDecoder('utf-8');
      for (let at = 0; ;) {
        const read = readSync(fd, buffer, 0, buffer.length, at);
        if (read === 0) break;
        at += read;
        out.push(decoder.decode(buffer.subarray(0, read), { stream: true }));
        out.flush();
        await out.drained();
      }
      out.push(decoder.decode());
    } else out.push(this.parts.join(''));
    this.dispose();
  }

  dispose(): void {
    this.parts = [];
    if (!this.file) return;
    closeSync(this.file.fd);
    rmSync(this.file.dir, { recursive: true, force: true });
    this.file = null;
  }
}

/**
 * One file's JSON object (docs/json.md, "parse"), written as the parse goes: what is known first (path, format,
 * encoding), then the records one by one, then the skipped lines and the counts that only the end knows.
 */
class JsonFileWriter {
  private records = 0;
  private readonly skipped = new SkippedSpool();

  constructor(private readonly out: StdoutPieces) {}

  start(start: ParseStart): void {
    const head = JSON.stringify({ path: start.path, format: start.format, formatReason: start.formatReason, encoding: start.encoding });
    this.out.push(`${head.slice(0, -1)},"records":[`);
  }

  record(record: ParsedRecord): void {
    this.out.push(this.records++ === 0 ? JSON.stringify(record) : `,${JSON.stringify(record)}`);
  }

  skip(skipped: Skipped): void {
    this.skipped.add(skipped);
  }

  /** Ends `records` and writes the whole `skipped` array. */
  private async skippedArray(): Promise<void> {
    this.out.push('],"skipped":[');
    await this.skipped.drainTo(this.out);
    this.out.push(']');
  }

  async end(summary: ParseSummary): Promise<void> {
    await this.skippedArray();
    const tail = JSON.stringify({
      lines: summary.lines,
      counts: {
        records: this.records,
        recordLines: summary.account.recordLines,
        noiseLines: summary.account.noiseLines + summary.account.markdownNoise,
        skippedLines: summary.account.skippedLines,
      },
      truncatedLastLine: summary.truncatedLastLine,
    });
    this.out.push(`,${tail.slice(1)}\n`);
  }

  /** The parse failed after the object began: it is closed with what was read and the error, still one JSON line. */
  async fail(message: string): Promise<void> {
    await this.skippedArray();
    this.out.push(`,"error":${JSON.stringify(message)}}\n`);
  }

  /** The temporary file of skipped lines, if one is left (the output itself failed). */
  dispose(): void {
    this.skipped.dispose();
  }
}

async function* paced(chunks: AsyncIterable<Uint8Array>, out: StdoutPieces, read: (bytes: number) => void): AsyncGenerator<Uint8Array> {
  let bytes = 0;
  for await (const chunk of chunks) {
    await out.drained();
    bytes += chunk.length;
    read(bytes);
    yield chunk;
  }
}

/** What the stderr line says of one file. */
interface FileCounts {
  records: number;
}

/**
 * Parses one file (or stdin, `-`) and writes its output as it goes: the JSON object, or the human blocks.
 * Memory stays bounded whatever the size of the file (the bench's `parse --json` rows show it).
 */
export async function writeParsedFile(source: { path: string; chunks: AsyncIterable<Uint8Array> }, format: string, json: boolean, style: Styler,
  out: StdoutPieces = new StdoutPieces(), progress: (bytes: number, records: number) => void = () => undefined): Promise<{ summary: ParseSummary; counts: FileCounts }> {
  const counts: FileCounts = { records: 0 };
  const writer = json ? new JsonFileWriter(out) : null;
  const renderer = json ? null : new ParsedFileRenderer(style, source.path);
  let started = false;
  const sink: ParseSink = {
    start: (start) => {
      started = true;
      if (writer) writer.start(start);
      else out.push(renderer!.start(start.format, start.encoding));
    },
    record: (record) => {
      counts.records++;
      if (writer) writer.record(record);
      else out.push(renderer!.record(record));
    },
    skipped: (skipped) => {
      if (writer) writer.skip(skipped);
      else renderer!.skipped(skipped);
    },
  };
  try {
    const summary = await parseChunks(paced(source.chunks, out, (bytes) => progress(bytes, counts.records)), source.path, sink, format);
    if (writer) await writer.end(summary);
    else out.push(renderer!.end());
    out.flush();
    return { summary, counts };
  } catch (error) {
    if (started) {
      if (writer) await writer.fail((error as Error).message);
      else out.push(renderer!.end());
      out.flush();
    }
    throw error;
  } finally {
    writer?.dispose();
  }
}

export function registerParse(program: Command): void {
  const formats = ['auto', ...PARSERS.map((p) => p.id)];
  program
    .command('parse')
    .summary('parse WinDbg, Driver Verifier, ETW and Process Monitor text into decoded records')
    .description(`Parse files (or stdin: -) into decoded records: bugchecks, IRPs with their stack locations, IOCTLs,
frames, verifier flags, events. Every line is accounted for: part of a record, known noise, or skipped with
a reason. Formats: ${formats.join(', ')} (auto looks at the first lines and says what it chose and why).
Text may be UTF-8 or UTF-16 (with or without BOM), CRLF/LF/CR, quoted or indented by markdown.`)
    .argument('<file...>', 'files to parse; - reads stdin')
    .option('--format <format>', `force a format: ${formats.join(', ')}`, 'auto')
    .option('--json', 'one JSON object per file, one per line (docs/json.md)')
    .addHelpText('after', `
Examples:
  irpscope parse ticket-1234.txt
  irpscope parse --json crash.txt | jq '.records[] | select(.type == "ioctl")'
  pbpaste | irpscope parse --format windbg -`)
    .action(async (files: string[], rawOptions: unknown) => {
      const parsed = ParseOptions.safeParse(rawOptions);
      if (!parsed.success) throw new UsageError(parsed.error.issues.map((i) => i.message).join('; '));
      const options = parsed.data;
      if (!formats.includes(options.format)) throw new UsageError(`--format: unknown format ${JSON.stringify(options.format)} (known: ${formats.join(', ')})`);
      const style = styler(colorWanted(process.stdout));
      const out = new StdoutPieces();
      let failures = 0;
      for (const file of files) {
        // A bar on a terminal's stderr while the output goes elsewhere (`--json > out.json`): on the terminal
        // itself it would cut through the blocks being printed.
        const size = file !== '-' && process.stderr.isTTY && !process.stdout.isTTY ? fileSize(file) : null;
        const progress = size === null ? null : progressFor(process.stderr, 'records');
        progress?.start(file, size!);
        const report = (line: string): void => (progress ? progress.done(line) : void process.stderr.write(`${line}\n`));
        let parsed: Awaited<ReturnType<typeof writeParsedFile>>;
        try {
          const source = file === '-' ? { path: '<stdin>', chunks: process.stdin } : { path: file, chunks: readFileChunks(file) };
          parsed = await writeParsedFile(source, options.format, options.json === true, style, out,
            (bytes, records) => progress?.update({ bytes, totalBytes: size!, rows: records }));
        } catch (error) {
          failures++;
          const code = (error as NodeJS.ErrnoException).code;
          const message = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : (error as Error).message;
          if (error instanceof FormatError || code) report(`irpscope: ${file}: ${message}`);
          else throw error;
          continue;
        }
        const { summary, counts } = parsed;
        const a = summary.account;
        report(`${file}: ${summary.format} (${summary.formatReason}), ${summary.encoding}, ${summary.lines} lines: ${counts.records} records from ${a.recordLines} lines, ${a.noiseLines + a.markdownNoise} noise, ${a.skippedLines} skipped`);
      }
      if (failures > 0) throw new FailureError(`${failures} of ${files.length} file${files.length === 1 ? '' : 's'} could not be parsed`);
    });
}
