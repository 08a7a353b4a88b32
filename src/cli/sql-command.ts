/** `irpscope sql "SELECT ..."`: anything else, on a connection that cannot write. */
import type { Command } from 'commander';
import { ReadOnlyError, runReadOnlySql, SqlError } from '../../db/queries/sql.js';
import { colorWanted, styler } from './terminal.js';
import { addDatabaseOption, addOutputOptions, outputMode, withStore } from './store-options.js';
import { renderRows, type Column } from './render-table.js';
import { FailureError, UsageError } from './errors.js';

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
text, 32-bit codes integers (write them as 0x222004), times FILETIME ticks (exact, printed as text in JSON).`)
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
      await withStore(options.db, { readonly: true }, (store) => {
        let result;
        try {
          result = runReadOnlySql(store.db, statement, params);
        } catch (error) {
          if (error instanceof ReadOnlyError) throw new FailureError(error.message);
          if (error instanceof SqlError) throw new UsageError(`sql: ${error.message}`);
          throw error;
        }
        const columns: Column<unknown[]>[] = result.columns.map((name, i) => ({ key: name, title: name, value: (row) => row[i] as string | number | null }));
        if (mode === 'json') {
          const objects = result.rows.map((row) => Object.fromEntries(result.columns.map((name, i) => [name, row[i]])));
          process.stdout.write(`${JSON.stringify(objects, null, 2)}\n`);
        } else process.stdout.write(renderRows(mode, styler(colorWanted(process.stdout)), result.rows, columns, '(no rows)'));
      });
    });
}
