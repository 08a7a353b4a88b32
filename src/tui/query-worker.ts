/**
 * The thread long queries run on. better-sqlite3 is synchronous: a query on the render thread would freeze the
 * screen and could not be stopped. Here it blocks only this thread; the browser shows a spinner, and Esc
 * terminates the worker (Worker.terminate() stops the thread even inside SQLite's step loop, and the read-only
 * connection holds no write lock, so nothing is left half done). The next query starts a fresh worker.
 *
 * Messages in: { kind: 'sql', sql, maxRows } (the user's text, read-only checks of `irpscope sql`) or
 * { kind: 'frequency', sql, params } (built by db/queries/pages.ts). Out: { ok: true, columns, rows, truncated }
 * or { ok: false, message }.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { openStore } from '../../db/store.js';
import { plainValue, runReadOnlySqlFirst } from '../../db/queries/sql.js';

export type QueryMessage = { kind: 'sql'; sql: string; maxRows: number } | { kind: 'frequency'; sql: string; params: Record<string, unknown> };
export type QueryAnswer = { ok: true; columns: string[]; rows: unknown[][]; truncated: boolean } | { ok: false; message: string };

const store = openStore((workerData as { path: string }).path, { readonly: true });

parentPort!.on('message', (message: QueryMessage) => {
  let answer: QueryAnswer;
  try {
    if (message.kind === 'sql') {
      const result = runReadOnlySqlFirst(store.db, message.sql, message.maxRows);
      answer = { ok: true, columns: [...result.columns], rows: result.rows.map((r) => [...r]), truncated: result.truncated };
    } else {
      const statement = store.db.prepare(message.sql).raw(true);
      const rows = (statement.all(message.params) as unknown[][]).map((r) => r.map(plainValue));
      answer = { ok: true, columns: statement.columns().map((c) => c.name), rows, truncated: false };
    }
  } catch (error) {
    answer = { ok: false, message: (error as Error).message };
  }
  parentPort!.postMessage(answer);
});
