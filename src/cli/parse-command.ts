/** `irpscope parse`: files in, decoded records out, every line accounted for. */
import type { Command } from 'commander';
import { z } from 'zod';
import { PARSERS } from '../../parsers/registry.js';
import { FormatError, parseChunks, parseFile, type ParseSummary } from '../../parsers/pipeline.js';
import type { ParsedRecord, Skipped } from '../records/index.js';
import { FailureError, UsageError } from './errors.js';
import { colorWanted, styler } from './terminal.js';
import { renderParsedFile } from './render-records.js';

const ParseOptions = z.object({
  format: z.string().default('auto'),
  json: z.boolean().optional(),
});

/** The JSON object printed per file (docs/json.md, "parse"). */
export function parseResultJson(summary: ParseSummary, records: readonly ParsedRecord[], skipped: readonly Skipped[]): object {
  return {
    path: summary.path,
    format: summary.format,
    formatReason: summary.formatReason,
    encoding: summary.encoding,
    lines: summary.lines,
    counts: {
      records: records.length,
      recordLines: summary.account.recordLines,
      noiseLines: summary.account.noiseLines + summary.account.markdownNoise,
      skippedLines: summary.account.skippedLines,
    },
    truncatedLastLine: summary.truncatedLastLine,
    records,
    skipped: skipped.map((s) => ({ line: s.line, reason: s.reason })),
  };
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
      let failures = 0;
      for (const file of files) {
        const records: ParsedRecord[] = [];
        const skipped: Skipped[] = [];
        const sink = { record: (r: ParsedRecord) => records.push(r), skipped: (s: Skipped) => skipped.push(s) };
        let summary: ParseSummary;
        try {
          summary = file === '-' ? await parseChunks(process.stdin, '<stdin>', sink, options.format) : await parseFile(file, sink, options.format);
        } catch (error) {
          failures++;
          const code = (error as NodeJS.ErrnoException).code;
          const message = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : (error as Error).message;
          if (error instanceof FormatError || code) process.stderr.write(`irpscope: ${file}: ${message}\n`);
          else throw error;
          continue;
        }
        if (options.json) process.stdout.write(`${JSON.stringify(parseResultJson(summary, records, skipped))}\n`);
        else process.stdout.write(renderParsedFile(style, summary, records, skipped));
        const a = summary.account;
        process.stderr.write(`${file}: ${summary.format} (${summary.formatReason}), ${summary.encoding}, ${summary.lines} lines: ${records.length} records from ${a.recordLines} lines, ${a.noiseLines + a.markdownNoise} noise, ${a.skippedLines} skipped\n`);
      }
      if (failures > 0) throw new FailureError(`${failures} of ${files.length} file${files.length === 1 ? '' : 's'} could not be parsed`);
    });
}
