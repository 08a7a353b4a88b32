/**
 * A browse session: the reducer's state plus the store it reads. Actions go through `send`; when the new state
 * carries a request, the session runs it: page and search queries right away (keyset seeks, milliseconds on any
 * size of store), long ones (SQL, frequency) on a worker thread that Esc can terminate; export writes the view
 * a page at a time. Views subscribe to it (useSyncExternalStore); tests drive it without rendering.
 */
import { existsSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { stringify } from 'csv-stringify/sync';
import type { Connection } from '../../db/store.js';
import {
  everyRow, frequencySql, incidentKeyset, ioctlKeyset, selectPage, sourceKeyset, traceKeyset, type Keyset, type Page, type PageRow,
} from '../../db/queries/pages.js';
import { browserReducer, initialState, LIST_COLUMNS, PAGE_SIZE, type Action, type BrowserState, type ListViewId, type Request, type ViewId } from './state/browser.js';
import type { QueryAnswer, QueryMessage } from './query-worker.js';
import { selectBuckets } from '../../db/queries/buckets.js';
import { selectTimeline, TimelineTooLongError, type Period, type Timeline } from '../../db/queries/timeline.js';
import type { ViewFilter } from '../../db/queries/pages.js';

/**
 * Buckets come from the signatures module's own question (selectBuckets), largest first. They are groups, as many
 * as distinct signatures, so they are read in one page of at most MAX_BUCKETS; the view says when more exist.
 */
export const MAX_BUCKETS = 1000;

function bucketPage(db: Connection, f: ViewFilter): Page {
  const buckets = selectBuckets(db, { sinceTicks: f.sinceTicks ?? null, moduleKey: f.module ?? null, limit: MAX_BUCKETS + 1 });
  return { rows: buckets.slice(0, MAX_BUCKETS).map((b, i) => ({ key: [i], values: { ...b } })), more: false };
}

/** Rows the SQL view keeps of a result (the rest is counted as cut, and `irpscope sql` gives all of it). */
export const SQL_MAX_ROWS = 10_000;

const here = fileURLToPath(import.meta.url);
// Built code runs the compiled worker beside this file; the tests run the TypeScript sources, whose worker is the
// compiled one under dist/ (npm test builds first).
const WORKER_FILE = here.endsWith('.ts') ? join(dirname(here), '..', '..', 'dist', 'src', 'tui', 'query-worker.js') : join(dirname(here), 'query-worker.js');

export function keysetOf(state: BrowserState, view: Exclude<ListViewId, 'buckets' | 'timeline'>): Keyset {
  const filter = state.filters[view].filter;
  switch (view) {
    case 'incidents': return incidentKeyset(filter);
    case 'ioctls': return ioctlKeyset(filter);
    case 'sources': return sourceKeyset(filter);
    case 'traces': return traceKeyset(state.traceSource ?? -1, filter);
  }
}

export class BrowserSession {
  private current: BrowserState;
  private readonly listeners = new Set<() => void>();
  private worker: Worker | null = null;
  private lastRequest = 0;

  constructor(readonly db: Connection, readonly dbPath: string, width: number, height: number) {
    this.current = initialState(width, height);
  }

  get state(): BrowserState {
    return this.current;
  }

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  getState = (): BrowserState => this.current;

  send = (action: Action): void => {
    this.current = browserReducer(this.current, action);
    const request = this.current.request;
    if (request && request.id > this.lastRequest) {
      this.lastRequest = request.id;
      this.run(request);
    }
    for (const l of this.listeners) l();
  };

  close(): void {
    void this.worker?.terminate();
    this.worker = null;
  }

  private run(request: Request): void {
    try {
      switch (request.kind) {
        case 'page': {
          if (request.view === 'sql') return;
          if (request.view === 'buckets') {
            this.send({ type: 'page', view: 'buckets', fetch: request.fetch, page: bucketPage(this.db, this.current.filters.buckets.filter) });
            return;
          }
          if (request.view === 'timeline') {
            this.send({ type: 'page', view: 'timeline', fetch: request.fetch, page: this.timelinePage() });
            return;
          }
          const page = selectPage(this.db, keysetOf(this.current, request.view), request.fetch.at, PAGE_SIZE);
          this.send({ type: 'page', view: request.view, fetch: request.fetch, page });
          return;
        }
        case 'search': {
          if (request.view === 'buckets' || request.view === 'timeline') {
            this.searchLoaded(request.view, request.direction, request.text);
            return;
          }
          const set = keysetOf(this.current, request.view);
          const list = this.current.lists[request.view];
          const at = list.rows[list.cursor];
          const from = at ? { from: request.direction === 'next' ? 'after' as const : 'before' as const, key: at.key } : { from: 'first' as const };
          const hit = selectPage(this.db, set, from, 1, request.text).rows[0];
          const page = hit ? selectPage(this.db, set, { from: 'at', key: hit.key }, PAGE_SIZE) : null;
          this.send({ type: 'search-result', view: request.view, page, text: request.text });
          return;
        }
        case 'frequency': {
          if (request.view === 'buckets' || request.view === 'timeline') return;
          const { sql, params } = frequencySql(keysetOf(this.current, request.view), request.column.sql!);
          this.query({ kind: 'frequency', sql, params }, request.id, (answer) => {
            this.send({ type: 'frequency-result', request: request.id, title: request.column.title, rows: answer.rows.map((r) => [r[0] === null ? '(none)' : String(r[0]), Number(r[1])] as const) });
          });
          return;
        }
        case 'sql': {
          this.query({ kind: 'sql', sql: request.text, maxRows: SQL_MAX_ROWS }, request.id, (answer) => {
            const rows: PageRow[] = answer.rows.map((values, i) => ({ key: [i], values: Object.fromEntries(answer.columns.map((c, j) => [c, values[j]])) }));
            const note = `${rows.length} row${rows.length === 1 ? '' : 's'}${answer.truncated ? ` (the first ${SQL_MAX_ROWS}; irpscope sql gives all)` : ''}`;
            this.send({ type: 'sql-result', request: request.id, columns: answer.columns, page: { rows, more: false }, note });
          });
          return;
        }
        case 'export': {
          const rows = this.exportView(request.view, request.file);
          this.send({ type: 'exported', file: request.file, rows });
          return;
        }
        case 'cancel': {
          void this.worker?.terminate();
          this.worker = null;
          return;
        }
      }
    } catch (error) {
      this.send({ type: 'failed', request: null, message: (error as Error).message });
    }
  }

  /**
   * The timeline's series (db/queries/timeline.ts, the time-view work's question). When the period asked for would
   * draw more than MAX_PERIODS bars, the coarser period it suggests is taken and the status line says so.
   */
  private timelinePage(): Page {
    const f = this.current.filters.timeline.filter;
    const ask = (by: Period): Timeline => selectTimeline(this.db, { by, ioctl: f.ioctl ?? null, driverKey: f.module ?? null, sinceTicks: f.sinceTicks ?? null, untilTicks: f.untilTicks ?? null });
    let timeline: Timeline;
    try {
      timeline = ask(this.current.timelineBy);
    } catch (error) {
      if (!(error instanceof TimelineTooLongError) || !error.suggestion) throw error;
      this.send({ type: 'timeline-by', by: error.suggestion.by, note: `by ${error.by} would draw ${error.periods} periods: showing by ${error.suggestion.by}` });
      timeline = ask(error.suggestion.by);
    }
    const max = Math.max(1, ...timeline.series.map((p) => p.count));
    const apart = [timeline.untimed ? `${timeline.untimed} without a time` : '', timeline.outOfRange ? `${timeline.outOfRange} past year 9999` : ''].filter((t) => t !== '');
    if (apart.length > 0) this.send({ type: 'note', text: `${timeline.counted} ${timeline.counting === 'incidents' ? 'incidents' : 'IOCTL failures'} by ${timeline.by}; not on the axis: ${apart.join(', ')}` });
    return { rows: timeline.series.map((p, i) => ({ key: [i], values: { ...p, share: p.count / max, counting: timeline.counting } })), more: false };
  }

  /** `/` in a view that is loaded whole: the next row (either way) whose cells contain the text, ignoring case. */
  private searchLoaded(view: ListViewId, direction: 'next' | 'previous', text: string): void {
    const list = this.current.lists[view];
    const wanted = text.toLowerCase();
    const hits = (i: number): boolean => LIST_COLUMNS[view].some((c) => c.cell(list.rows[i]!.values).toLowerCase().includes(wanted));
    const step = direction === 'next' ? 1 : -1;
    for (let i = list.cursor + step; i >= 0 && i < list.rows.length; i += step) {
      if (hits(i)) {
        this.send({ type: 'select', view, index: i });
        return;
      }
    }
    this.send({ type: 'search-result', view, page: null, text });
  }

  /** Runs one message on the worker (started on first use); a terminated worker simply never answers. */
  private query(message: QueryMessage, id: number, done: (answer: Extract<QueryAnswer, { ok: true }>) => void): void {
    this.worker ??= new Worker(WORKER_FILE, { workerData: { path: this.dbPath } });
    const worker = this.worker;
    const onMessage = (answer: QueryAnswer): void => {
      worker.off('error', onError);
      if (answer.ok) done(answer);
      else this.send({ type: 'failed', request: id, message: answer.message });
    };
    const onError = (error: Error): void => {
      worker.off('message', onMessage);
      if (this.worker === worker) this.worker = null;
      this.send({ type: 'failed', request: id, message: error.message });
    };
    worker.once('message', onMessage);
    worker.once('error', onError);
    worker.postMessage(message);
  }

  /** The rows of a view as the columns show them, a page at a time; .json gives objects, anything else CSV. */
  private exportView(view: ViewId, file: string): number {
    if (existsSync(file)) throw new Error(`${file} exists: choose another name (export never overwrites)`);
    let header: string[];
    let cells: string[][];
    if (view === 'sql') {
      header = [...this.current.sql.columns];
      cells = this.current.lists.sql.rows.map((r) => header.map((c) => (r.values[c] === null || r.values[c] === undefined ? '' : String(r.values[c]))));
    } else {
      const columns = LIST_COLUMNS[view];
      header = columns.map((c) => c.id);
      cells = [];
      const rows = view === 'buckets' || view === 'timeline' ? this.current.lists[view].rows : everyRow(this.db, keysetOf(this.current, view));
      for (const row of rows) cells.push(columns.map((c) => c.cell(row.values)));
    }
    const body = file.toLowerCase().endsWith('.json')
      ? `${JSON.stringify(cells.map((c) => Object.fromEntries(header.map((h, i) => [h, c[i]]))), null, 2)}\n`
      : stringify([header, ...cells]);
    writeFileSync(file, body);
    return cells.length;
  }
}

export type { Page };
