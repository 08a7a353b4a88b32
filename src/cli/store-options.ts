/** What every store command shares: where the database is, how it is opened, how answers are printed. */
import { join } from 'node:path';
import type { Command } from 'commander';
import { userDataDir } from '../locations.js';
import { NoDatabaseError, openStore, SchemaTooNewError, StoreError, type OpenOptions, type Store } from '../../db/store.js';
import { FailureError, UsageError } from './errors.js';
import { isPostgresLocation, redactLocation } from '../../db/connection.js';
import { PostgresError } from '../../db/postgres/connection.js';

/** $IRPSCOPE_DB, else irpscope.db in the user's data folder. */
export function defaultDatabasePath(env: NodeJS.ProcessEnv = process.env): string {
  return env.IRPSCOPE_DB || join(userDataDir(env), 'irpscope.db');
}

export function addDatabaseOption(command: Command): Command {
  return command.option('--db <path>', 'the database file, or a PostgreSQL team store postgres://user@host/db (default: $IRPSCOPE_DB, else irpscope.db in the data folder)');
}

export function addOutputOptions(command: Command): Command {
  return command.option('--json', 'print JSON (docs/schema.md, "Answers")').option('--csv', 'print CSV with a header row');
}

export type OutputMode = 'human' | 'json' | 'csv';

export function outputMode(options: { json?: boolean; csv?: boolean }): OutputMode {
  if (options.json && options.csv) throw new UsageError('--json and --csv exclude each other: choose one');
  return options.json ? 'json' : options.csv ? 'csv' : 'human';
}

/** Opens the store, turning its refusals into exit codes: a missing or too-new database is a failure (1). */
export function openForCommand(path: string | undefined, options: OpenOptions = {}): Store {
  const file = path ?? defaultDatabasePath();
  try {
    return openStore(file, options);
  } catch (error) {
    if (error instanceof NoDatabaseError || error instanceof SchemaTooNewError || error instanceof StoreError) throw new FailureError(error.message);
    const code = (error as { code?: string }).code;
    if (error instanceof PostgresError || isPostgresLocation(file)) throw new FailureError(`${redactLocation(file)}: cannot open the store (${redactLocation((error as Error).message)})`);
    if (code === 'SQLITE_NOTADB' || code === 'SQLITE_CANTOPEN' || code === 'SQLITE_CORRUPT') throw new FailureError(`${file}: cannot open the database (${(error as Error).message})`);
    throw error;
  }
}

/** Runs a command body with the store open, and closes it whatever happens. */
export async function withStore<T>(path: string | undefined, options: OpenOptions, work: (store: Store) => T | Promise<T>): Promise<T> {
  const store = openForCommand(path, options);
  try {
    return await work(store);
  } finally {
    store.close();
  }
}

/** "0x222004", "222004" (hex, as WinDbg prints), "0n2236420" (decimal) -> a 32-bit code. */
export function parseCodeOption(flag: string, text: string): number {
  const t = text.trim().replace(/`/g, '');
  const m = /^0n(\d+)$/i.exec(t);
  const value = m ? Number(m[1]) : /^(0x)?[0-9a-f]{1,8}$/i.test(t) ? Number.parseInt(t.replace(/^0x/i, ''), 16) : Number.NaN;
  if (!Number.isInteger(value) || value < 0 || value > 0xffffffff) throw new UsageError(`${flag}: expected a 32-bit code such as 0x222004 (hex) or 0n2236420 (decimal), got ${JSON.stringify(text)}`);
  return value;
}

export function parseLimit(text: string | undefined, fallback: number): number {
  if (text === undefined) return fallback;
  const n = Number(text);
  if (!Number.isInteger(n) || n <= 0) throw new UsageError(`--limit: expected a positive whole number, got ${JSON.stringify(text)}`);
  return n;
}
