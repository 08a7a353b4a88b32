/**
 * The read-only role of a team store: people who only query (`irpscope sql`, `browse`, the canned questions) get
 * SELECT on the store's tables and nothing else. Granted by `irpscope grant-read ROLE --db postgres://owner@...`
 * (docs/postgres.md); the role itself is the server administrator's to create (CREATE ROLE alice LOGIN ...).
 */
import type { Connection } from '../connection.js';

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_$]{0,62}$/;

export class RoleNameError extends Error {}

/** The statements that give `role` read access to the store in the connection's schema, today's tables and later ones. */
export function readOnlyGrants(role: string, schema: string): string[] {
  for (const name of [role, schema]) if (!IDENTIFIER.test(name)) throw new RoleNameError(`${JSON.stringify(name)} is not a plain PostgreSQL name (letters, digits, _ and $, at most 63)`);
  return [
    `GRANT USAGE ON SCHEMA ${schema} TO ${role}`,
    `GRANT SELECT ON ALL TABLES IN SCHEMA ${schema} TO ${role}`,
    // Tables a later migration adds are readable too.
    `ALTER DEFAULT PRIVILEGES IN SCHEMA ${schema} GRANT SELECT ON TABLES TO ${role}`,
  ];
}

export function grantReadOnly(db: Connection, role: string): string[] {
  const schema = (db.prepare('SELECT current_schema() AS schema').get() as { schema: string }).schema;
  const statements = readOnlyGrants(role, schema);
  db.exec('BEGIN');
  try {
    for (const s of statements) db.exec(s);
    db.exec('COMMIT');
  } catch (error) {
    if (db.inTransaction) db.exec('ROLLBACK');
    throw error;
  }
  return statements;
}
