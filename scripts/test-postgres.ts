/**
 * The second half of `npm test`: the store and query tests again, against PostgreSQL (test/backend.ts).
 *
 * With IRPSCOPE_TEST_PG set, that server is used. Otherwise a throwaway server is started on loopback
 * (scripts/pg-test-server.sh, which installs PostgreSQL from Debian's packages when it is missing) and stopped at the
 * end. When no server can be started the run says so, loudly, and passes; with IRPSCOPE_REQUIRE_PG=1 (CI) that is
 * a failure instead.
 */
import { spawnSync } from 'node:child_process';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { redactLocation } from '../db/connection.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const serverScript = join(root, 'scripts', 'pg-test-server.sh');

/** The test files that open a store: each runs on both backends. */
export const STORE_TEST_FILES = [
  'test/queries.test.ts', 'test/ingest.test.ts', 'test/signatures.test.ts', 'test/signatures-cli.test.ts', 'test/timeline.test.ts',
  'test/compare.test.ts', 'test/report.test.ts', 'test/tui-pages.test.ts', 'test/tui-session.test.ts', 'test/postgres.test.ts',
];

const serverEnv = { ...process.env, IRPSCOPE_PG_PORT: process.env.IRPSCOPE_PG_PORT ?? '54331' };

function main(): number {
  let url = process.env.IRPSCOPE_TEST_PG ?? '';
  let started = false;
  if (!url) {
    // A port of its own, so that stopping it at the end never stops a server someone else started.
    const start = spawnSync('bash', [serverScript, 'start'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], env: serverEnv });
    if (start.status === 0 && start.stdout.trim()) {
      url = start.stdout.trim();
      started = true;
    } else {
      const why = (start.stderr || start.error?.message || 'no output').trim().split('\n').slice(-3).join(' / ');
      const message = `PostgreSQL store tests NOT RUN: no PostgreSQL server could be started (${why}). Set IRPSCOPE_TEST_PG=postgres://... to use a server.`;
      if (process.env.IRPSCOPE_REQUIRE_PG === '1') {
        console.error(`irpscope tests: ${message}`);
        return 1;
      }
      console.error(`\n*** ${message} ***\n`);
      return 0;
    }
  }
  try {
    console.error(`irpscope tests: the store and query tests again, on PostgreSQL (${redactLocation(url)})`);
    const run = spawnSync(process.execPath, [join(root, 'node_modules', 'vitest', 'vitest.mjs'), 'run',
      // Every CLI call in these tests connects to a server (and starts the pg worker): a test of twenty calls takes
      // three times as long as on a SQLite file, more on a loaded 2-core machine.
      '--testTimeout=120000', ...STORE_TEST_FILES], {
      cwd: root, stdio: 'inherit', env: { ...process.env, IRPSCOPE_TEST_BACKEND: 'postgres', IRPSCOPE_TEST_PG: url },
    });
    return run.status ?? 1;
  } finally {
    if (started) spawnSync('bash', [serverScript, 'stop'], { stdio: 'ignore', env: serverEnv });
  }
}

process.exitCode = main();
