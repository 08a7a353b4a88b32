/** `irpscope ingest`: files and folders in, one transaction per file, a report of what was stored. */
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { PARSERS } from '../../parsers/registry.js';
import { FormatError } from '../../parsers/pipeline.js';
import { ingestFile, SourceChangedError, type IngestOutcome } from '../../db/ingest.js';
import type { Store } from '../../db/store.js';
import { FailureError, UsageError } from './errors.js';
import { colorWanted, styler, visible, type Styler } from './terminal.js';
import { addDatabaseOption, withStore } from './store-options.js';
import { ruleSetFor } from './buckets-command.js';
import { checkRuleSet, RuleDigestMismatchError } from '../../db/signatures.js';
import type { RuleSet } from '../signature/rules.js';
import { progressFor, silentProgress, type ProgressReporter } from './ingest-progress.js';
import { renderTable, type Column } from './render-table.js';

const MAX_SKIPPED_SHOWN = 20;

/**
 * Files that describe a folder rather than hold input: golden outputs, the folder's own notes, and SQLite files
 * (a store kept next to the tickets it was made from is not a ticket).
 */
const NOT_INPUT = (name: string): boolean => name.startsWith('.') || name.endsWith('.json') || name === 'README.md' || name === 'SOURCES.md'
  || /\.db(-wal|-shm|-journal)?$/.test(name);

export interface InputFile {
  readonly path: string;
  /** Named on the command line (a failure is an error), or found by walking a folder (unrecognised is a note). */
  readonly named: boolean;
}

/** Every input under the given paths, folders walked depth-first in name order so runs are repeatable. */
export function inputFiles(paths: readonly string[]): { files: InputFile[]; missing: string[] } {
  const files: InputFile[] = [];
  const missing: string[] = [];
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
      if (NOT_INPUT(entry.name)) continue;
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.isFile()) files.push({ path, named: false });
    }
  };
  for (const path of paths) {
    let isDirectory: boolean;
    try {
      isDirectory = statSync(path).isDirectory();
    } catch {
      missing.push(path);
      continue;
    }
    if (isDirectory) walk(path);
    else files.push({ path, named: true });
  }
  return { files, missing };
}

export interface IngestReport {
  readonly outcomes: IngestOutcome[];
  /** Files that were not stored, with why (unrecognised format, unreadable, changed while read). */
  readonly problems: { path: string; reason: string; named: boolean }[];
}

export interface IngestRunOptions {
  readonly format?: string;
  readonly progress?: ProgressReporter;
  readonly afterBatch?: (batch: number) => void;
  readonly ruleSet?: RuleSet;
}

/** Ingests every input in order; a file that fails is reported and the others still go in. */
export async function ingestInputs(store: Store, paths: readonly string[], options: IngestRunOptions = {}): Promise<IngestReport> {
  const { files, missing } = inputFiles(paths);
  const progress = options.progress ?? silentProgress();
  const report: IngestReport = { outcomes: [], problems: missing.map((path) => ({ path, reason: 'no such file or folder', named: true })) };
  for (const file of files) {
    const started = performance.now();
    progress.start(file.path, statSync(file.path).size);
    try {
      const outcome = await ingestFile(store, file.path, {
        ...(options.format ? { format: options.format } : {}),
        onProgress: (p) => progress.update(p),
        ...(options.afterBatch ? { afterBatch: options.afterBatch } : {}),
        ...(options.ruleSet ? { ruleSet: options.ruleSet } : {}),
      });
      report.outcomes.push(outcome);
      const seconds = ((performance.now() - started) / 1000).toFixed(1);
      progress.done(`${visible(file.path)}: ${outcome.status} (${outcome.format}), ${outcome.records} records, ${outcome.skipped} skipped lines, ${seconds} s`);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      let reason: string;
      if (error instanceof FormatError || error instanceof SourceChangedError) reason = error.message;
      else if (code === 'EACCES' || code === 'ENOENT' || code === 'EISDIR') reason = `cannot read (${code})`;
      else throw error;
      report.problems.push({ path: file.path, reason, named: file.named });
      progress.done(`${visible(file.path)}: not ingested: ${visible(reason)}`);
    }
  }
  return report;
}

const FILE_COLUMNS: Column<IngestOutcome>[] = [
  { key: 'path', title: 'file', value: (o) => o.path, keepEnd: true },
  { key: 'format', title: 'format', value: (o) => o.format },
  { key: 'records', title: 'records', value: (o) => o.records, numeric: true },
  { key: 'skipped', title: 'skipped', value: (o) => o.skipped, numeric: true },
  { key: 'status', title: 'status', value: (o) => o.status },
];

/** The `--json` object (docs/schema.md, "ingest --json"). */
export function ingestJson(report: IngestReport): { files: object[]; records: number; skipped: number } {
  return {
    files: report.outcomes.map((o) => ({ path: o.path, format: o.format, records: o.records, skipped: o.skipped, status: o.status })),
    records: report.outcomes.reduce((n, o) => n + o.records, 0),
    skipped: report.outcomes.reduce((n, o) => n + o.skipped, 0),
  };
}

export function renderIngestReport(style: Styler, report: IngestReport, database: string): string {
  const out: string[] = [];
  if (report.outcomes.length > 0) out.push(renderTable(style, report.outcomes, FILE_COLUMNS).trimEnd());
  const totals = ingestJson(report);
  const ingested = report.outcomes.filter((o) => o.status === 'ingested').length;
  out.push(`${report.outcomes.length} file${report.outcomes.length === 1 ? '' : 's'} (${ingested} ingested, ${report.outcomes.length - ingested} unchanged): ${totals.records} records, ${totals.skipped} skipped lines; database ${visible(database)}`);
  const skipped = report.outcomes.flatMap((o) => o.skippedLines.map((s) => ({ path: o.path, ...s })));
  const skippedTotal = report.outcomes.filter((o) => o.status === 'ingested').reduce((n, o) => n + o.skipped, 0);
  if (skippedTotal > 0) {
    out.push('', style.yellow(`skipped lines (${skippedTotal}):`));
    for (const s of skipped.slice(0, MAX_SKIPPED_SHOWN)) out.push(`  ${visible(s.path)}:${s.line}: ${visible(s.reason)}`);
    if (skippedTotal > MAX_SKIPPED_SHOWN) out.push(style.dim(`  ... ${skippedTotal - MAX_SKIPPED_SHOWN} more: irpscope sql "SELECT * FROM skipped_lines"`));
  }
  return `${out.join('\n')}\n`;
}

/** Test-only fault injection: stall inside the open transaction so a test can kill the process mid-source. */
function faultHook(env: NodeJS.ProcessEnv): ((batch: number) => void) | undefined {
  if (env.IRPSCOPE_FAULT !== 'stall-after-batch') return undefined;
  return (batch) => {
    process.stderr.write(`irpscope: IRPSCOPE_FAULT: stalled after batch ${batch}\n`);
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 10 * 60 * 1000);
  };
}

export function registerIngest(program: Command): void {
  const formats = ['auto', ...PARSERS.map((p) => p.id)];
  addDatabaseOption(program
    .command('ingest')
    .summary('store files (or whole folders) of WinDbg, verifier, ETW and Procmon text in the incident store')
    .description(`Parse files, or every file under folders, and store their records in the incident store: one
transaction per file, so an interrupted ingest leaves the database as it was before that file and a re-run
finishes the job. A file whose content is already stored is reported "unchanged" and adds nothing; a changed
file at the same path becomes a new source (history is kept). In folders, *.json, *.db, README.md, SOURCES.md
and dot-files are passed over, and files no parser recognises are listed, not stored.`)
    .argument('<path...>', 'files and folders'))
    .option('--format <format>', `force a format for every file: ${formats.join(', ')}`, 'auto')
    .option('--json', 'print { files: [{ path, format, records, skipped, status }], records, skipped } and no progress')
    .option('--rules <dir>', 'sign new incidents with these team rules on top of the built-in ones (default $IRPSCOPE_RULES; docs/signatures.md)')
    .addHelpText('after', `
Examples:
  irpscope ingest tickets/
  irpscope ingest crash.txt trace.csv --db team.db --json`)
    .action(async (paths: string[], options: { db?: string; format: string; json?: boolean; rules?: string }) => {
      if (!formats.includes(options.format)) throw new UsageError(`--format: unknown format ${JSON.stringify(options.format)} (known: ${formats.join(', ')})`);
      const ruleSet = ruleSetFor(options.rules);
      await withStore(options.db, {}, async (store) => {
        // Before any parsing: rules that changed under an unchanged version would be refused at the first crash.
        try {
          checkRuleSet(store.db, ruleSet);
        } catch (error) {
          if (error instanceof RuleDigestMismatchError) throw new FailureError(error.message);
          throw error;
        }
        const afterBatch = faultHook(process.env);
        const report = await ingestInputs(store, paths, {
          format: options.format,
          progress: options.json ? silentProgress() : progressFor(process.stderr),
          ...(afterBatch ? { afterBatch } : {}),
          ruleSet,
        }).catch((error: unknown) => {
          if (error instanceof RuleDigestMismatchError) throw new FailureError(error.message);
          throw error;
        });
        if (options.json) process.stdout.write(`${JSON.stringify(ingestJson(report), null, 2)}\n`);
        else process.stdout.write(renderIngestReport(styler(colorWanted(process.stdout)), report, store.path));
        const walked = report.problems.filter((p) => !p.named);
        if (walked.length > 0) process.stderr.write(walked.map((p) => `irpscope: ${visible(p.path)}: not ingested: ${visible(p.reason)}\n`).join(''));
        const failed = report.problems.filter((p) => p.named);
        if (failed.length > 0) {
          throw new FailureError(failed.map((p) => `${p.path}: not ingested: ${p.reason}`).join('\n'));
        }
      });
    });
}
