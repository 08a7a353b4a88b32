/**
 * `irpscope sync`: pushes one store's history into another, typically a laptop's SQLite file into the team's
 * PostgreSQL store. A source the target already holds is `unchanged`; each copied source is one transaction.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { isPostgresLocation, redactLocation } from '../../db/connection.js';
import { PostgresError } from '../../db/postgres/connection.js';
import type { OpenOptions, Store } from '../../db/store.js';
import { syncStores, SyncError, type SyncedSource, type SyncReport } from '../../db/sync.js';
import { checkRuleSet, RuleDigestMismatchError } from '../../db/signatures.js';
import { FailureError, UsageError } from './errors.js';
import { colorWanted, styler, visible, type Styler } from './terminal.js';
import { defaultDatabasePath, openForCommand } from './store-options.js';
import { renderTable, type Column } from './render-table.js';
import { ruleSetFor } from './buckets-command.js';

const SOURCE_COLUMNS: Column<SyncedSource>[] = [
  { key: 'path', title: 'file', value: (s) => s.path, keepEnd: true },
  { key: 'format', title: 'format', value: (s) => s.format },
  { key: 'records', title: 'records', value: (s) => s.records, numeric: true },
  { key: 'status', title: 'status', value: (s) => s.status },
];

/** The `--json` object (docs/json.md, "sync"). */
export function syncJson(report: SyncReport): object {
  return {
    sources: report.sources.map((s) => ({ path: s.path, contentHash: s.contentHash, format: s.format, records: s.records, status: s.status })),
    copied: report.copied,
    unchanged: report.unchanged,
  };
}

export function renderSyncReport(style: Styler, report: SyncReport, from: string, to: string): string {
  const out: string[] = [];
  if (report.sources.length > 0) out.push(renderTable(style, report.sources, SOURCE_COLUMNS).trimEnd());
  const records = report.sources.filter((s) => s.status === 'ingested').reduce((n, s) => n + s.records, 0);
  const n = report.sources.length;
  out.push(`${n} source${n === 1 ? '' : 's'} (${report.copied} copied, ${report.unchanged} unchanged): ${records} records copied from ${visible(from)} to ${visible(to)}`);
  return `${out.join('\n')}\n`;
}

/** Opens one side; a server that cannot be reached (or refuses the login) is a failure, with the password hidden. */
function openSide(location: string, options: OpenOptions): Store {
  try {
    return openForCommand(location, options);
  } catch (error) {
    if (error instanceof PostgresError) throw new FailureError(`${redactLocation(location)}: ${redactLocation(error.message)}`);
    throw error;
  }
}

/** The same store named twice (the same file under two spellings, or the same URL). */
function sameStore(from: string, to: string): boolean {
  if (isPostgresLocation(from) || isPostgresLocation(to)) return from === to;
  return resolve(from) === resolve(to);
}

export function registerSync(program: Command): void {
  program
    .command('sync')
    .summary("push one store's sources into another (a local file into the team's PostgreSQL store)")
    .description(`Copies every source (file) of one store into another that lacks it, with all its records, as if the
target had ingested the same files: the target gives the rows its own ids, and counts, IRP correlation and crash
signatures (with the target's rules) are worked out there again. A source the target already holds (same content
and format) is reported "unchanged" and adds nothing, so running sync again is safe; each copied source is one
transaction, so an interrupted sync leaves whole sources only. The source store is only read. Give a server's
password in PGPASSWORD or ~/.pgpass rather than in the URL; it is never printed either way.`)
    .requiredOption('--to <store>', 'the store to copy into: a SQLite file, or postgres://user@host/database (created and migrated if new)')
    .option('--from <store>', 'the store to copy from (default: $IRPSCOPE_DB, else irpscope.db in the data folder)')
    .option('--rules <dir>', 'sign the copied incidents with these team rules on top of the built-in ones (default $IRPSCOPE_RULES; docs/signatures.md)')
    .option('--json', 'print { sources: [{ path, contentHash, format, records, status }], copied, unchanged }')
    .addHelpText('after', `
Examples:
  irpscope sync --from ~/irpscope.db --to postgres://alice@db.team.example/irpscope
  PGPASSWORD=... irpscope sync --from laptop.db --to postgres://alice@db.team.example/irpscope --json
  irpscope sync --from postgres://alice@db.team.example/irpscope --to offline-copy.db

Exit codes: 0 ok, 1 failure (store missing, server unreachable, tables that do not match), 2 bad usage.`)
    .action((options: { from?: string; to: string; rules?: string; json?: boolean }) => {
      const from = options.from ?? defaultDatabasePath();
      if (sameStore(from, options.to)) throw new UsageError(`--from and --to name the same store (${redactLocation(options.to)}): nothing to copy`);
      if (!isPostgresLocation(from) && !existsSync(from)) throw new FailureError(`--from: no store at ${from}${options.from === undefined ? ' (the default store; name one with --from)' : ''}`);
      const ruleSet = ruleSetFor(options.rules);
      const source = openSide(from, { readonly: true });
      try {
        const target = openSide(options.to, {});
        try {
          // Before any copying: rules that changed under an unchanged version would be refused at the first crash.
          checkRuleSet(target.db, ruleSet);
          const progress = !options.json && process.stderr.isTTY === true;
          let done = 0;
          const report = syncStores(source, target, {
            ruleSet,
            ...(progress ? { onSource: (s: SyncedSource) => process.stderr.write(`irpscope: ${++done}: ${visible(s.path)}: ${s.status}\n`) } : {}),
          });
          if (options.json) process.stdout.write(`${JSON.stringify(syncJson(report), null, 2)}\n`);
          else process.stdout.write(renderSyncReport(styler(colorWanted(process.stdout)), report, source.path, target.path));
        } catch (error) {
          if (error instanceof SyncError || error instanceof RuleDigestMismatchError) throw new FailureError(error.message);
          if (error instanceof PostgresError) throw new FailureError(`${target.path}: ${redactLocation(error.message)}`);
          throw error;
        } finally {
          target.close();
        }
      } finally {
        source.close();
      }
    });
}
