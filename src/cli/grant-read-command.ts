/** `irpscope grant-read ROLE --db postgres://...`: lets a role query the team store, and nothing more. */
import type { Command } from 'commander';
import { isPostgresLocation } from '../../db/connection.js';
import { grantReadOnly, RoleNameError } from '../../db/postgres/roles.js';
import { addDatabaseOption, defaultDatabasePath, withStore } from './store-options.js';
import { UsageError } from './errors.js';

export function registerGrantRead(program: Command): void {
  addDatabaseOption(program
    .command('grant-read <role>')
    .summary('give a PostgreSQL role read-only access to the team store')
    .description('Grants ROLE (an existing PostgreSQL role) SELECT on every table of the team store, today\'s and those later '
      + 'migrations add, and nothing else: enough for sql, browse and the canned questions, never for ingest. Run it as the '
      + 'store\'s owner. PostgreSQL stores only; see docs/postgres.md.'))
    .addHelpText('after', `
Example:
  psql -c "CREATE ROLE alice LOGIN PASSWORD '...'"      # the server administrator
  irpscope grant-read alice --db postgres://irpscope@db.example/triage
  irpscope sql "SELECT count(*) FROM incidents" --db postgres://alice@db.example/triage`)
    .action(async (role: string, options: { db?: string }) => {
      const location = options.db ?? defaultDatabasePath();
      if (!isPostgresLocation(location)) throw new UsageError('grant-read works on a PostgreSQL store (--db postgres://...); a SQLite file is protected by its file permissions');
      await withStore(location, {}, (store) => {
        let statements: string[];
        try {
          statements = grantReadOnly(store.db, role);
        } catch (error) {
          if (error instanceof RoleNameError) throw new UsageError(error.message);
          throw error;
        }
        process.stdout.write(`${statements.map((s) => `${s};`).join('\n')}\n`);
      });
    });
}
