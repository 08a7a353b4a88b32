/** `irpscope sql "SELECT ..."`: anything else, on a connection that cannot write. */
import type { Command } from 'commander';
import { stringify } from 'csv-stringify/sync';
import { ReadOnlyError, ReadOnlySqlRows, SqlError } from '../../db/queries/sql.js';
import { colorWanted, styler, type Styler } from './terminal.js';
import { addDatabaseOption, addOutputOptions, outputMode, withStore, type OutputMode } from './store-options.js';
import { CSV_CAST, renderTable, type Column } from './render-table.js';
import { FailureError, UsageError } from './errors.js';
import { StdoutPieces } from './stdout-pieces.js';

/** Rows the human table shows: its column widths need every row it prints. --csv and --json print them all. */
export const SQL_TABLE_ROWS = 1_000;
/** Rows written between two waits for stdout to drain. */
const ROWS_PER_WAIT = 256;

/**
 * A result of any size, written as its rows are read: JSON and CSV whole (the same text as printing them in one
 * piece), the human table on the first SQL_TABLE_ROWS rows with a count of the rest.
 */
export async function writeSqlRows(result: ReadOnlySqlRows, mode: OutputMode, style: Styler, out: StdoutPieces = new StdoutPieces()): Promise<number> {
  const rows = result[Symbol.iterator]();
  // The first row is read before anything is printed: a statement that fails as it starts prints nothing.
  let next = rows.next();
  const columns = result.columns();
  let count = 0;
  const table: unknown[][] = [];
  for (; !next.done; next = rows.next()) {
    const row = next.value;
    if (mode === 'json') {
      const object = JSON.stringify(Object.fromEntries(columns.map((name, i) => [name, row[i]])), null, 2).replaceAll('\n', '\n  ');
      out.push(count === 0 ? `[\n  ${object}` : `,\n  ${object}`);
    } else if (mode === 'csv') out.push(stringify(count === 0 ? [columns, row] : [row], { cast: CSV_CAST }));
    else if (count < SQL_TABLE_ROWS) table.push(row);
    if (++count % ROWS_PER_WAIT === 0) await out.drained();
  }
  if (mode === 'json') out.push(count === 0 ? '[]\n' : '\n]\n');
  else if (mode === 'csv') {
    if (count === 0) out.push(stringify([columns], { cast: CSV_CAST }));
  } else if (count === 0) out.push(`${style.dim('(no rows)')}\n`);
  else {
    const cells: Column<unknown[]>[] = columns.map((name, i) => ({ key: name, title: name, value: (row) => row[i] as string | number | null }));
    out.push(renderTable(style, table, cells));
    if (count > SQL_TABLE_ROWS) out.push(`${style.dim(`... ${count - SQL_TABLE_ROWS} more rows (${count} in all): --csv or --json prints every row`)}\n`);
  }
  out.flush();
  return count;
}

function parseParams(pairs: readonly string[]): Record<string, string | number> {
  const params: Record<string, string | number> = {};
  for (const pair of pairs) {
    const eq = pair.indexOf('=');
    if (eq <= 0) throw new UsageError(`--param: expected name=value, got ${JSON.stringify(pair)}`);
    const value = pair.slice(eq + 1);
    // Numbers bind as integers (0x hex too) so `code = :c` matches an INTEGER column; anything else is text.
    params[pair.slice(0, eq)] = /^-?\d+$/.test(value) ? Number(value) : /^0x[0-9a-f]{1,13}$/i.test(value) ? Number.parseInt(value.slice(2), 16) : value;
  }
  return params;
}

export function registerSql(program: Command): void {
  addOutputOptions(addDatabaseOption(program
    .command('sql')
    .summary('run a read-only SQL query on the store (schema: docs/schema.md)')
    .description(`Run one SQL statement on the store, read-only: SELECT, WITH, EXPLAIN and read-only PRAGMAs. Anything
that would write is refused. The tables and example questions are in docs/schema.md. 64-bit values are hex
text, 32-bit codes integers (write them as 0x222004), times FILETIME ticks (exact, printed as text in JSON).
--csv and --json print every row as it is read (any size, in bounded memory); the table shows the first
${SQL_TABLE_ROWS.toLocaleString('en-US')} and says how many more there are.`)
    .argument('<statement>', 'the SQL statement')
    .option('-p, --param <name=value...>', 'bind :name parameters (whole numbers and 0x hex bind as integers)')))
    .addHelpText('after', `
Examples:
  irpscope sql "SELECT driver, count(*) AS n FROM ioctl_occurrences GROUP BY driver ORDER BY n DESC"
  irpscope sql "SELECT * FROM incidents WHERE bugcheck_code = :code" -p code=0xC9 --csv`)
    .action(async (statement: string, options: { param?: string[]; db?: string; json?: boolean; csv?: boolean }) => {
      const mode = outputMode(options);
      const params = parseParams(options.param ?? []);
      // A database from an older irpscope is migrated first: the read-only connection below cannot do it.
      await withStore(options.db, { mustExist: true }, () => undefined);
      await withStore(options.db, { readonly: true }, async (store) => {
        try {
          await writeSqlRows(new ReadOnlySqlRows(store.db, statement, params), mode, styler(colorWanted(process.stdout)));
        } catch (error) {
          if (error instanceof ReadOnlyError) throw new FailureError(error.message);
          if (error instanceof SqlError) throw new UsageError(`sql: ${error.message}`);
          throw error;
        }
      });
    });
}
