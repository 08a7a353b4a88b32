/**
 * A PostgreSQL connection with the synchronous surface of better-sqlite3 (db/connection.ts), so that the ingest,
 * the queries and the browser run unchanged against a team's server. Each call blocks the calling thread until the
 * worker (db/postgres/worker.ts) has the answer: the same trade the SQLite store makes, where every query also runs
 * to completion on the calling thread.
 */
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createSyncFn } from 'synckit';
import type { ColumnDescription, Connection, RowWriter, RunResult, Statement } from '../connection.js';
import { redactLocation } from '../connection.js';
import { bindText, splitPlaceholders, withSqliteNullOrder } from './sql-text.js';
import type { QueryAnswer, WorkerAnswer, WorkerRequest } from './worker.js';

type WorkerCall = (request: WorkerRequest) => WorkerAnswer;

let workerCall: WorkerCall | null = null;
let nextHandle = 1;

/** The compiled worker: beside this file in dist/, or dist's copy when this file runs from source (the tests). */
function workerPath(): string {
  const here = fileURLToPath(import.meta.url);
  return here.endsWith('.ts') ? resolve(dirname(here), '../../dist/db/postgres/worker.js') : join(dirname(here), 'worker.js');
}

function callWorker(request: WorkerRequest): WorkerAnswer {
  workerCall ??= createSyncFn(workerPath()) as unknown as WorkerCall;
  return workerCall(request);
}

/** A server error, with its SQLSTATE as `code` (e.g. 25006: a write in a read-only transaction). */
export class PostgresError extends Error {
  constructor(message: string, readonly code: string | null) {
    super(message);
  }
}

/** Tables whose `id` the server assigns: an INSERT into one of them returns it, as SQLite's lastInsertRowid. */
const ROWID_TABLES = new Set<string>();

export function registerRowidTables(names: Iterable<string>): void {
  for (const name of names) ROWID_TABLES.add(name);
}

const FIRST_WORD = /^\s*(?:--[^\n]*\n\s*|\/\*[\s\S]*?\*\/\s*)*([A-Za-z]+)/;

function firstWord(sql: string): string {
  return (FIRST_WORD.exec(sql)?.[1] ?? '').toUpperCase();
}

class PostgresStatement implements Statement {
  readonly reader: boolean;
  private readonly pieces;
  private rowMode: 'array' | 'object' = 'object';
  private lastFields: string[] | null = null;
  private readonly returnsId: boolean;

  constructor(private readonly connection: PostgresConnection, readonly source: string) {
    const word = firstWord(source);
    const returning = /\bRETURNING\b/i.test(source);
    const into = /^\s*INSERT\s+INTO\s+([A-Za-z_][A-Za-z0-9_]*)/i.exec(source);
    this.returnsId = into !== null && !returning && ROWID_TABLES.has(into[1]!.toLowerCase());
    const text = withSqliteNullOrder(source);
    this.pieces = splitPlaceholders(this.returnsId ? `${text.replace(/;\s*$/, '')} RETURNING id` : text);
    this.reader = ['SELECT', 'WITH', 'VALUES', 'TABLE', 'EXPLAIN', 'SHOW'].includes(word) || returning;
  }

  private query(params: unknown[]): QueryAnswer {
    const answer = this.connection.query(bindText(this.pieces, params), this.rowMode);
    this.lastFields = answer.fields;
    return answer;
  }

  run(...params: unknown[]): RunResult {
    // Inside a transaction nobody else can see the write before COMMIT (which sends the queue first), so it may
    // wait; outside one, run() returning means the row is stored, as on SQLite.
    if (!this.reader && this.connection.inTransaction) return this.connection.queueWrite(bindText(this.pieces, params));
    const answer = this.query(params);
    const first = answer.rows[0] as Record<string, unknown> | unknown[] | undefined;
    const id = this.returnsId && first !== undefined ? (Array.isArray(first) ? first[first.length - 1] : first.id) : 0;
    return { changes: answer.rowCount, lastInsertRowid: (id as bigint | number | undefined) ?? 0 };
  }

  get(...params: unknown[]): unknown {
    return this.query(params).rows[0];
  }

  all(...params: unknown[]): unknown[] {
    return this.query(params).rows;
  }

  *iterate(...params: unknown[]): IterableIterator<unknown> {
    // A server-side cursor, so a huge result is fetched a page at a time and a `break` stops the work.
    const text = bindText(this.pieces, params);
    const own = !this.connection.inTransaction;
    const cursor = `irpscope_cursor_${this.connection.nextCursor()}`;
    if (own) this.connection.exec('BEGIN');
    try {
      this.connection.query(`DECLARE ${cursor} NO SCROLL CURSOR FOR ${text}`, 'object');
      for (;;) {
        const page = this.connection.query(`FETCH 500 FROM ${cursor}`, this.rowMode);
        this.lastFields = page.fields;
        if (page.rows.length === 0) break;
        yield* page.rows;
      }
      this.connection.query(`CLOSE ${cursor}`, 'object');
    } finally {
      if (own) this.connection.exec(this.connection.failed ? 'ROLLBACK' : 'COMMIT');
    }
  }

  raw(toggle = true): this {
    this.rowMode = toggle ? 'array' : 'object';
    return this;
  }

  columns(): ColumnDescription[] {
    if (this.lastFields === null) throw new Error('the columns of a PostgreSQL statement are known once it has run: call columns() after all() or iterate()');
    return this.lastFields.map((name) => ({ name }));
  }
}

/**
 * The answer of a queued write: known once the queue has been sent. Reading it sends the queue at once, so code that
 * uses lastInsertRowid right away still gets it; code that does not (most of an ingest) pays one round trip per
 * few hundred statements instead of one each.
 */
class QueuedRunResult implements RunResult {
  private answer: { rowCount: number; id: unknown } | null = null;

  constructor(private readonly connection: PostgresConnection) {}

  settle(answer: { rowCount: number; id: unknown }): void {
    this.answer = answer;
  }

  private settled(): { rowCount: number; id: unknown } {
    if (this.answer === null) this.connection.flushWrites();
    return this.answer ?? { rowCount: 0, id: 0 };
  }

  get changes(): number {
    return this.settled().rowCount;
  }

  get lastInsertRowid(): number | bigint {
    return (this.settled().id as number | bigint | undefined) ?? 0;
  }
}

/** Statements or bytes of SQL held before the queue is sent. */
const QUEUE_STATEMENTS = 500;
const QUEUE_BYTES = 2 * 1024 * 1024;
/** Rows in one multi-row INSERT. */
const ROWS_PER_INSERT = 500;

/**
 * Makes an empty schema on the server (dropping one of that name first when `replace`) and returns the connection
 * string that opens a store in it (?options=-c search_path=...): the tests and the bench keep stores apart this way.
 */
export function createSchemaLocation(base: string, schema: string, replace = false): string {
  const admin = new PostgresConnection(base);
  try {
    if (replace) admin.exec(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    admin.exec(`CREATE SCHEMA ${schema}`);
  } finally {
    admin.close();
  }
  const url = new URL(base);
  url.searchParams.set('options', `-c search_path=${schema}`);
  return url.toString();
}

export interface PostgresOpenOptions {
  readonly readonly?: boolean;
}

export class PostgresConnection implements Connection {
  readonly dialect = 'postgres' as const;
  private readonly handle = nextHandle++;
  private open = false;
  private transactionDepth = 0;
  private cursors = 0;
  /** The open transaction hit an error: only ROLLBACK is accepted until it ends. */
  failed = false;
  /** The location with its password hidden, for messages. */
  readonly location: string;

  constructor(url: string, options: PostgresOpenOptions = {}) {
    this.location = redactLocation(url);
    this.request({ op: 'open', handle: this.handle, url, readonly: options.readonly ?? false });
    this.open = true;
  }

  get inTransaction(): boolean {
    return this.transactionDepth > 0;
  }

  nextCursor(): number {
    return ++this.cursors;
  }

  private request(request: WorkerRequest): QueryAnswer | null {
    const answer = callWorker(request);
    if (!answer.ok) {
      if (this.transactionDepth > 0) this.failed = true;
      const error = new PostgresError(redactLocation(answer.message), answer.code);
      // The statement, for a developer's eyes (IRPSCOPE_DEBUG); messages stay short.
      if (process.env.IRPSCOPE_DEBUG && 'text' in request) error.message += `\n  in: ${request.text.slice(0, 2000)}`;
      throw error;
    }
    return answer.answer;
  }

  private queued: { text: string; result: QueuedRunResult }[] = [];
  private queuedBytes = 0;
  /** Rows of the row writers, by statement head (`INSERT INTO t (a, b) VALUES `), not yet queued. */
  private readonly rows = new Map<string, string[]>();
  private rowBytes = 0;

  rowWriter(sql: string): RowWriter {
    const m = /^\s*(INSERT\s+INTO\s+[A-Za-z_][A-Za-z0-9_]*\s*\([^)]*\)\s*VALUES\s*)(\([^;]*\))\s*;?\s*$/i.exec(sql);
    if (!m) throw new Error(`a row writer takes INSERT INTO table (columns) VALUES (...) and nothing else, got: ${sql.slice(0, 120)}`);
    const head = m[1]!;
    const row = splitPlaceholders(m[2]!);
    return {
      write: (...params: unknown[]) => {
        if (!this.inTransaction) {
          this.query(head + bindText(row, params), 'object');
          return;
        }
        const text = bindText(row, params);
        let list = this.rows.get(head);
        if (!list) this.rows.set(head, (list = []));
        list.push(text);
        this.rowBytes += text.length;
        if (list.length >= ROWS_PER_INSERT || this.rowBytes >= QUEUE_BYTES) this.queueRows();
      },
    };
  }

  /** The row writers' rows as multi-row INSERTs at the end of the write queue. */
  private queueRows(): void {
    if (this.rows.size === 0) return;
    const statements: string[] = [];
    for (const [head, list] of this.rows) if (list.length > 0) statements.push(head + list.join(',\n'));
    this.rows.clear();
    this.rowBytes = 0;
    for (const text of statements) this.enqueue(text);
  }

  queueWrite(text: string): RunResult {
    // Rows written before this statement reach the server before it.
    this.queueRows();
    return this.enqueue(text);
  }

  private enqueue(text: string): RunResult {
    const result = new QueuedRunResult(this);
    this.queued.push({ text, result });
    this.queuedBytes += text.length;
    if (this.queued.length >= QUEUE_STATEMENTS || this.queuedBytes >= QUEUE_BYTES) this.flushWrites();
    return result;
  }

  /** Sends the queued writes; their order with every other statement is kept, as nothing else runs before this. */
  flushWrites(): void {
    this.queueRows();
    if (this.queued.length === 0) return;
    const batch = this.queued;
    this.queued = [];
    this.queuedBytes = 0;
    let answer: QueryAnswer | null;
    try {
      answer = this.request({ op: 'writes', handle: this.handle, texts: batch.map((q) => q.text) });
    } catch (error) {
      (error as Error).message += ` (in a batch of ${batch.length} queued write${batch.length === 1 ? '' : 's'})`;
      throw error;
    }
    batch.forEach((q, i) => q.result.settle(answer?.writes?.[i] ?? { rowCount: 0, id: 0 }));
  }

  query(text: string, rowMode: 'array' | 'object'): QueryAnswer {
    this.flushWrites();
    return this.request({ op: 'query', handle: this.handle, text, rowMode })!;
  }

  prepare(sql: string): Statement {
    return new PostgresStatement(this, sql);
  }

  exec(sql: string): this {
    // SQLite's BEGIN IMMEDIATE takes the write lock up front; a PostgreSQL writer that needs one takes an advisory
    // lock itself (db/write-lock.ts), so plain BEGIN is the translation.
    const text = withSqliteNullOrder(sql.replace(/^\s*BEGIN\s+(IMMEDIATE|EXCLUSIVE|DEFERRED)\b/i, 'BEGIN'));
    const word = firstWord(text);
    try {
      this.flushWrites();
      this.request({ op: 'batch', handle: this.handle, texts: [text] });
    } finally {
      if (word === 'BEGIN' || word === 'START') {
        this.transactionDepth = 1;
        this.failed = false;
      } else if (word === 'COMMIT' || word === 'END' || (word === 'ROLLBACK' && !/^\s*ROLLBACK\s+TO\b/i.test(text))) {
        this.transactionDepth = 0;
        this.failed = false;
      }
    }
    return this;
  }

  close(): void {
    if (!this.open) return;
    this.open = false;
    try {
      this.flushWrites();
    } finally {
      this.request({ op: 'close', handle: this.handle });
    }
  }
}
