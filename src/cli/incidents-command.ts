/** `irpscope incidents`: crashes newest first, filtered by time, bugcheck and module. */
import type { Command } from 'commander';
import { selectIncidents, type IncidentSummary } from '../../db/queries/incidents.js';
import { driverKey, ticksFromText, UNIX_EPOCH_TICKS } from '../../db/column-values.js';
import { colorWanted, styler } from './terminal.js';
import { addDatabaseOption, addOutputOptions, outputMode, parseCodeOption, parseLimit, withStore } from './store-options.js';
import { renderRows, type Column } from './render-table.js';
import { UsageError } from './errors.js';

export const INCIDENT_COLUMNS: Column<IncidentSummary>[] = [
  { key: 'id', title: 'id', value: (r) => r.id, numeric: true },
  { key: 'time', title: 'time', value: (r) => r.time },
  { key: 'code', title: 'bugcheck', value: (r) => r.code },
  { key: 'name', title: 'name', value: (r) => r.name },
  { key: 'module', title: 'module', value: (r) => r.module ?? r.image },
  { key: 'failure_bucket', title: 'failure bucket', value: (r) => r.failureBucket ?? r.symbol },
  { key: 'build', title: 'build', value: (r) => r.build },
  { key: 'source', title: 'source', value: (r) => `${r.source}:${r.line}`, keepEnd: true },
];

/** "2024-05-01", "2024-05-01T10:00:00Z", or a span back from now: "36h", "7d", "2w". */
export function parseSince(text: string, now = Date.now()): bigint {
  const span = /^(\d+)\s*(h|d|w)$/i.exec(text.trim());
  if (span) {
    const hours = Number(span[1]) * ({ h: 1, d: 24, w: 168 } as const)[span[2]!.toLowerCase() as 'h' | 'd' | 'w'];
    return BigInt(now - hours * 3_600_000) * 10_000n + UNIX_EPOCH_TICKS;
  }
  const date = /^\d{4}-\d{2}-\d{2}$/.test(text.trim()) ? `${text.trim()}T00:00:00Z` : text;
  const ticks = ticksFromText(date);
  if (ticks === null) throw new UsageError(`--since: expected a date (2024-05-01), a UTC time (2024-05-01T10:00:00Z) or a span (36h, 7d, 2w), got ${JSON.stringify(text)}`);
  return ticks;
}

export function registerIncidents(program: Command): void {
  addOutputOptions(addDatabaseOption(program
    .command('incidents')
    .summary('stored crashes, newest first: bugcheck, module, bucket, build, source')
    .description('Stored crashes (incidents), newest first, with their bugcheck, module, failure bucket, OS build and source file:line.')
    .option('--since <when>', 'only incidents at or after a date (2024-05-01), a UTC time, or a span back from now (36h, 7d, 2w)')
    .option('--bugcheck <code>', 'only this bugcheck: a code (c9, 0xC9) or a name (DRIVER_VERIFIER_IOMANAGER_VIOLATION)')
    .option('--module <module>', 'only crashes in this module or image (mydrv, mydrv.sys)')
    .option('--limit <n>', 'at most this many (default 100)')))
    .addHelpText('after', `
Examples:
  irpscope incidents --since 7d --module mydrv.sys
  irpscope incidents --bugcheck c9 --json`)
    .action(async (options: { since?: string; bugcheck?: string; module?: string; limit?: string; db?: string; json?: boolean; csv?: boolean }) => {
      const mode = outputMode(options);
      const sinceTicks = options.since === undefined ? null : parseSince(options.since);
      let bugcheck: number | null = null;
      let bugcheckName: string | null = null;
      if (options.bugcheck !== undefined) {
        if (/^[A-Z][A-Z0-9_]+$/i.test(options.bugcheck) && !/^(0x)?[0-9a-f]+$/i.test(options.bugcheck)) bugcheckName = options.bugcheck;
        else bugcheck = parseCodeOption('--bugcheck', options.bugcheck);
      }
      const moduleKey = options.module === undefined ? null : driverKey(options.module);
      const limit = parseLimit(options.limit, 100);
      await withStore(options.db, { mustExist: true }, (store) => {
        const rows = selectIncidents(store.db, { sinceTicks, bugcheck, bugcheckName, moduleKey, limit });
        process.stdout.write(renderRows(mode, styler(colorWanted(process.stdout)), rows, INCIDENT_COLUMNS, 'no incidents stored that match'));
      });
    });
}

