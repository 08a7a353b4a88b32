/**
 * The worker thread behind PostgresConnection: it owns the `pg` clients (one per open connection) and answers one
 * request at a time while the calling thread waits (synckit: Atomics.wait on a shared buffer). The query layer was
 * written against better-sqlite3's synchronous API; this is what lets the same code run against a server.
 *
 * Values come back as the SQLite store gives them: 64-bit integers as BigInt (FILETIME ticks do not fit a double),
 * NUMERIC sums as BigInt when whole, JSON as its text.
 */
import pg from 'pg';
import { runAsWorker } from 'synckit';

const INT8 = 20;
const NUMERIC = 1700;
const JSON_OID = 114;
const JSONB = 3802;

const types = {
  getTypeParser(oid: number, format?: 'text' | 'binary'): (value: string) => unknown {
    if (oid === INT8) return (value: string) => BigInt(value);
    if (oid === NUMERIC) return (value: string) => (/^-?\d+$/.test(value) ? BigInt(value) : Number(value));
    if (oid === JSON_OID || oid === JSONB) return (value: string) => value;
    return pg.types.getTypeParser(oid, format ?? 'text') as (value: string) => unknown;
  },
};

export type WorkerRequest =
  | { op: 'open'; handle: number; url: string; readonly: boolean }
  | { op: 'query'; handle: number; text: string; rowMode: 'array' | 'object' }
  | { op: 'batch'; handle: number; texts: string[] }
  | { op: 'writes'; handle: number; texts: string[] }
  | { op: 'close'; handle: number };

export interface QueryAnswer {
  readonly rows: unknown[];
  readonly fields: string[];
  readonly rowCount: number;
  readonly command: string;
  /** For 'writes': each statement's row count and the first value of its first row (the RETURNING id). */
  readonly writes?: { rowCount: number; id: unknown }[];
}

export type WorkerAnswer = { ok: true; answer: QueryAnswer | null } | { ok: false; message: string; code: string | null; position: number | null };

const clients = new Map<number, pg.Client>();

function client(handle: number): pg.Client {
  const found = clients.get(handle);
  if (!found) throw new Error('the PostgreSQL connection is closed');
  return found;
}

async function answer(request: WorkerRequest): Promise<QueryAnswer | null> {
  switch (request.op) {
    case 'open': {
      // A read-only opening (irpscope sql, browse, the canned queries) cannot write even by mistake: every
      // transaction it starts is READ ONLY, on top of whatever the role may do. Options the URL carries
      // (?options=-c search_path=team) are kept.
      const given = new URL(request.url).searchParams.get('options');
      // Literals are written with standard quoting ('' for a quote, a backslash as itself): the server must read
      // them so whatever its configuration says.
      const options = [given, '-c standard_conforming_strings=on', request.readonly ? '-c default_transaction_read_only=on' : null].filter(Boolean).join(' ');
      const c = new pg.Client({ connectionString: request.url, types, application_name: 'irpscope', options });
      // An error on an idle connection (server restart) must not kill the process: the next query reports it.
      c.on('error', () => undefined);
      await c.connect();
      clients.set(request.handle, c);
      return null;
    }
    case 'query': {
      const c = client(request.handle);
      const result: pg.QueryResult | pg.QueryArrayResult = request.rowMode === 'array' ? await c.query({ text: request.text, rowMode: 'array' }) : await c.query(request.text);
      return { rows: result.rows as unknown[], fields: result.fields.map((f) => f.name), rowCount: result.rowCount ?? 0, command: result.command };
    }
    case 'batch': {
      // Several statements in one round trip (the simple query protocol); the last one's result is returned.
      const results = await client(request.handle).query(request.texts.join(';\n'));
      const last = (Array.isArray(results) ? results[results.length - 1] : results) as pg.QueryResult | undefined;
      return last ? { rows: last.rows as unknown[], fields: (last.fields ?? []).map((f) => f.name), rowCount: last.rowCount ?? 0, command: last.command } : null;
    }
    case 'writes': {
      // Queued INSERTs and UPDATEs whose answers nobody has asked for yet: one round trip for all of them.
      const results = await client(request.handle).query(request.texts.join(';\n'));
      const list = (Array.isArray(results) ? results : [results]) as pg.QueryResult[];
      return {
        rows: [], fields: [], rowCount: 0, command: 'BATCH',
        writes: list.map((r) => ({ rowCount: r.rowCount ?? 0, id: r.rows?.[0] ? Object.values(r.rows[0] as object)[0] : undefined })),
      };
    }
    case 'close': {
      const c = clients.get(request.handle);
      clients.delete(request.handle);
      await c?.end();
      return null;
    }
  }
}

runAsWorker(async (request: WorkerRequest): Promise<WorkerAnswer> => {
  try {
    return { ok: true, answer: await answer(request) };
  } catch (error) {
    const e = error as { message?: string; code?: string; position?: string };
    return { ok: false, message: e.message ?? String(error), code: e.code ?? null, position: e.position ? Number(e.position) : null };
  }
});
