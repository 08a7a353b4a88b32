/**
 * The whole browser as one reducer: which view, each view's list window, the detail pane, the prompt, overlays,
 * the running long query. Pure: key presses and query answers come in as actions; anything that must touch the
 * store leaves as `request` (with a fresh id), which the app runs and answers with another action. Tested
 * without rendering (test/tui-state.test.ts).
 */
import { FilterError, parseViewFilter, type Page, type ViewFilter } from '../../../db/queries/pages.js';
import { commandFor, keyNameOf, type Command, type PressedKey } from '../keys.js';
import { BUCKET_COLUMNS, INCIDENT_COLUMNS, IOCTL_COLUMNS, SOURCE_COLUMNS, TIMELINE_COLUMNS, TRACE_COLUMNS, type ColumnSpec } from '../columns.js';
import { PERIODS, type Period } from '../../../db/queries/timeline.js';
import { emptyList, moveBy, PAGE_SIZE, selectedRow, toFirst, toLast, withCursor, withPage, type ListState, type PageFetch } from './list.js';

export type ListViewId = 'incidents' | 'buckets' | 'ioctls' | 'traces' | 'sources' | 'timeline';
export type ViewId = ListViewId | 'sql';
export const VIEW_ORDER: readonly ViewId[] = ['incidents', 'buckets', 'ioctls', 'traces', 'sources', 'timeline', 'sql'];
export const VIEW_TITLES: Record<ViewId, string> = { incidents: 'incidents', buckets: 'buckets', timeline: 'timeline', ioctls: 'IOCTLs', traces: 'trace', sources: 'sources', sql: 'SQL' };

export const LIST_COLUMNS: Record<ListViewId, readonly ColumnSpec[]> = {
  incidents: INCIDENT_COLUMNS, buckets: BUCKET_COLUMNS, timeline: TIMELINE_COLUMNS, ioctls: IOCTL_COLUMNS, traces: TRACE_COLUMNS, sources: SOURCE_COLUMNS,
};

export type PromptKind = 'search' | 'filter' | 'sql' | 'export';
export const PROMPT_LABELS: Record<PromptKind, string> = { search: '/', filter: 'filter: ', sql: 'sql> ', export: 'export to: ' };

export type Request =
  | { readonly id: number; readonly kind: 'page'; readonly view: ViewId; readonly fetch: PageFetch }
  | { readonly id: number; readonly kind: 'search'; readonly view: ListViewId; readonly direction: 'next' | 'previous'; readonly text: string }
  | { readonly id: number; readonly kind: 'frequency'; readonly view: ListViewId; readonly column: ColumnSpec }
  | { readonly id: number; readonly kind: 'sql'; readonly text: string }
  | { readonly id: number; readonly kind: 'export'; readonly view: ViewId; readonly file: string }
  | { readonly id: number; readonly kind: 'cancel' };
type RequestBody = Request extends infer R ? R extends { id: number } ? Omit<R, 'id'> : never : never;

export type Overlay = { readonly kind: 'help'; readonly scroll: number }
  | { readonly kind: 'frequency'; readonly title: string; readonly rows: readonly (readonly [string, number])[]; readonly scroll: number };

export interface BrowserState {
  readonly view: ViewId;
  readonly width: number;
  readonly height: number;
  readonly lists: Readonly<Record<ViewId, ListState>>;
  readonly filters: Readonly<Record<ListViewId, { readonly text: string; readonly filter: ViewFilter }>>;
  readonly search: string | null;
  /** The source the trace view shows. */
  readonly traceSource: number | null;
  /** The timeline's period (h / l: finer / coarser). */
  readonly timelineBy: Period;
  readonly pane: { readonly focus: 'list' | 'detail'; readonly scroll: number } | null;
  readonly prompt: { readonly kind: PromptKind; readonly text: string } | null;
  readonly overlay: Overlay | null;
  /** A long query running off the screen (spinner; Esc cancels). */
  readonly task: { readonly kind: 'sql' | 'frequency'; readonly label: string; readonly request: number } | null;
  readonly sql: { readonly text: string; readonly columns: readonly string[]; readonly note: string | null };
  readonly message: { readonly text: string; readonly tone: 'info' | 'error' } | null;
  /** True when the store has nothing at all: the screen says how to ingest. */
  readonly empty: boolean;
  readonly request: Request | null;
  readonly nextId: number;
  readonly quit: boolean;
}

export type Action =
  | { readonly type: 'start'; readonly view: ViewId; readonly traceSource: number | null; readonly empty: boolean }
  | { readonly type: 'input'; readonly input: string; readonly key: PressedKey }
  | { readonly type: 'resize'; readonly width: number; readonly height: number }
  | { readonly type: 'page'; readonly view: ViewId; readonly fetch: PageFetch; readonly page: Page }
  | { readonly type: 'search-result'; readonly view: ListViewId; readonly page: Page | null; readonly text: string }
  | { readonly type: 'frequency-result'; readonly request: number; readonly title: string; readonly rows: readonly (readonly [string, number])[] }
  | { readonly type: 'sql-result'; readonly request: number; readonly columns: readonly string[]; readonly page: Page; readonly note: string }
  | { readonly type: 'failed'; readonly request: number | null; readonly message: string }
  | { readonly type: 'exported'; readonly file: string; readonly rows: number }
  /** A search hit among the rows already loaded (views read whole, such as buckets). */
  | { readonly type: 'select'; readonly view: ListViewId; readonly index: number }
  /** The timeline took another period (the asked one would draw too many) and says why. */
  | { readonly type: 'timeline-by'; readonly by: Period; readonly note: string | null }
  | { readonly type: 'note'; readonly text: string };

/** Rows of the list on screen: the frame takes a title line, a header line and a status line; a pane takes 60 %. */
export function listHeight(s: Pick<BrowserState, 'height' | 'pane'>): number {
  const body = Math.max(1, s.height - 3);
  return s.pane ? Math.max(1, Math.floor(body * 0.4) - 1) : body;
}

export function initialState(width: number, height: number): BrowserState {
  const lists = { incidents: emptyList, buckets: emptyList, timeline: emptyList, ioctls: emptyList, traces: emptyList, sources: emptyList, sql: { ...emptyList, loaded: true } };
  const noFilter = { text: '', filter: {} };
  return {
    view: 'incidents', width, height, lists, filters: { incidents: noFilter, buckets: noFilter, timeline: noFilter, ioctls: noFilter, traces: noFilter, sources: noFilter },
    search: null, traceSource: null, timelineBy: 'day', pane: null, prompt: null, overlay: null, task: null, sql: { text: '', columns: [], note: null },
    message: null, empty: false, request: null, nextId: 1, quit: false,
  };
}

function ask(s: BrowserState, body: RequestBody): BrowserState {
  return { ...s, request: { ...body, id: s.nextId } as Request, nextId: s.nextId + 1 };
}

const isList = (v: ViewId): v is ListViewId => v !== 'sql';

function setList(s: BrowserState, view: ViewId, list: ListState): BrowserState {
  return { ...s, lists: { ...s.lists, [view]: list } };
}

function applyMove(s: BrowserState, result: { list: ListState; fetch: PageFetch | null }): BrowserState {
  const next = setList({ ...s, pane: s.pane ? { ...s.pane, scroll: 0 } : null }, s.view, result.list);
  return result.fetch ? ask(next, { kind: 'page', view: s.view, fetch: result.fetch }) : next;
}

/** Shows a view; a list view that never loaded asks for its first page. */
export function showView(s: BrowserState, view: ViewId): BrowserState {
  const next: BrowserState = { ...s, view, pane: null, overlay: null, message: null };
  if (view === 'traces' && s.traceSource === null) return { ...next, message: { text: 'no ETW or Procmon source with events: ingest one (irpscope ingest trace.csv)', tone: 'info' } };
  if (!next.lists[view].loaded) return ask(next, { kind: 'page', view, fetch: { at: { from: 'first' }, placement: 'first', move: 0 } });
  return next;
}

function reload(s: BrowserState, view: ViewId): BrowserState {
  return ask(setList(s, view, { ...emptyList, column: s.lists[view].column }), { kind: 'page', view, fetch: { at: { from: 'first' }, placement: 'first', move: 0 } });
}

function columnCount(s: BrowserState): number {
  return isList(s.view) ? LIST_COLUMNS[s.view].length : s.sql.columns.length;
}

/** The filter `f` starts from: in a trace, the selected row's IRP request (or address), so Enter follows it. */
function filterSeed(s: BrowserState): string {
  if (s.view === 'traces') {
    const row = selectedRow(s.lists.traces);
    if (row?.values.lifetime_id !== null && row?.values.lifetime_id !== undefined) return `request=${String(row.values.lifetime_id)}`;
    if (typeof row?.values.irp === 'string') return `irp=${row.values.irp}`;
  }
  return isList(s.view) ? s.filters[s.view].text : '';
}

function submitPrompt(s: BrowserState): BrowserState {
  const prompt = s.prompt!;
  const closed: BrowserState = { ...s, prompt: null, message: null };
  const text = prompt.text.trim();
  switch (prompt.kind) {
    case 'search': {
      if (text === '' || !isList(s.view)) return closed;
      return ask({ ...closed, search: text }, { kind: 'search', view: s.view, direction: 'next', text });
    }
    case 'filter': {
      if (!isList(s.view)) return closed;
      let filter: ViewFilter;
      try {
        filter = parseViewFilter(text);
      } catch (error) {
        if (error instanceof FilterError) return { ...s, message: { text: error.message, tone: 'error' } };
        throw error;
      }
      const next = { ...closed, pane: null, filters: { ...s.filters, [s.view]: { text, filter } } };
      return reload(next, s.view);
    }
    case 'sql': {
      if (text === '') return closed;
      const next = ask({ ...closed, view: 'sql' as ViewId, sql: { ...s.sql, text } }, { kind: 'sql', text });
      return { ...next, task: { kind: 'sql', label: 'running the query', request: next.request!.id } };
    }
    case 'export': {
      if (text === '') return closed;
      return ask(closed, { kind: 'export', view: s.view, file: text });
    }
  }
}

function editPrompt(s: BrowserState, input: string, key: PressedKey): BrowserState {
  const prompt = s.prompt!;
  const name = keyNameOf(input, key);
  if (name === 'escape' || name === 'ctrl-c') return { ...s, prompt: null };
  if (name === 'return') return submitPrompt(s);
  if (key.backspace || key.delete) return { ...s, prompt: { ...prompt, text: [...prompt.text].slice(0, -1).join('') } };
  if (name === 'ctrl-u') return { ...s, prompt: { ...prompt, text: '' } };
  if (key.ctrl || key.tab || key.upArrow || key.downArrow || key.leftArrow || key.rightArrow || key.pageUp || key.pageDown) return s;
  // Pasted text arrives as one input: keep printable characters only (a pasted newline or escape is dropped).
  // eslint-disable-next-line no-control-regex
  const typed = input.replace(/[\u0000-\u001f\u007f-\u009f]/g, '');
  return typed ? { ...s, prompt: { ...prompt, text: prompt.text + typed } } : s;
}

function runCommand(s: BrowserState, command: Command): BrowserState {
  const height = listHeight(s);
  const list = s.lists[s.view];
  // Overlays take the movement keys and close on back.
  if (s.overlay) {
    if (command === 'back' || command === 'help') return { ...s, overlay: null };
    if (command === 'quit') return { ...s, quit: true };
    const delta = command === 'move-down' ? 1 : command === 'move-up' ? -1 : command === 'page-down' ? height : command === 'page-up' ? -height : command === 'first' ? -1e9 : command === 'last' ? 1e9 : 0;
    return { ...s, overlay: { ...s.overlay, scroll: Math.max(0, s.overlay.scroll + delta) } };
  }
  if (s.pane?.focus === 'detail') {
    const delta = command === 'move-down' ? 1 : command === 'move-up' ? -1 : command === 'page-down' ? 10 : command === 'page-up' ? -10 : command === 'first' ? -1e9 : command === 'last' ? 1e9 : null;
    if (delta !== null) return { ...s, pane: { ...s.pane, scroll: Math.max(0, s.pane.scroll + delta) } };
  }
  switch (command) {
    case 'move-down': return applyMove(s, moveBy(list, 1, height));
    case 'move-up': return applyMove(s, moveBy(list, -1, height));
    case 'page-down': return applyMove(s, moveBy(list, height, height));
    case 'page-up': return applyMove(s, moveBy(list, -height, height));
    case 'first': return applyMove(s, toFirst(list, height));
    case 'last': return applyMove(s, toLast(list, height));
    case 'column-left':
    case 'column-right':
      if (s.view === 'timeline') {
        const at = PERIODS.indexOf(s.timelineBy) + (command === 'column-left' ? -1 : 1);
        const by = PERIODS[Math.max(0, Math.min(PERIODS.length - 1, at))]!;
        return by === s.timelineBy ? s : reload({ ...s, timelineBy: by, pane: null }, 'timeline');
      }
      return setList(s, s.view, { ...list, column: command === 'column-left' ? Math.max(0, list.column - 1) : Math.min(Math.max(0, columnCount(s) - 1), list.column + 1) });
    case 'open': {
      if (!selectedRow(list) || s.view === 'sql') return s;
      if (s.view === 'sources') return runCommand(s, 'trace-of-source');
      return { ...s, pane: { focus: 'list', scroll: 0 } };
    }
    case 'switch-pane': {
      if (s.pane) return { ...s, pane: { focus: s.pane.focus === 'list' ? 'detail' : 'list', scroll: s.pane.scroll } };
      return showView(s, VIEW_ORDER[(VIEW_ORDER.indexOf(s.view) + 1) % VIEW_ORDER.length]!);
    }
    case 'next-view': return showView(s, VIEW_ORDER[(VIEW_ORDER.indexOf(s.view) + 1) % VIEW_ORDER.length]!);
    case 'previous-view': return showView(s, VIEW_ORDER[(VIEW_ORDER.indexOf(s.view) + VIEW_ORDER.length - 1) % VIEW_ORDER.length]!);
    case 'back': {
      if (s.task) return { ...ask(s, { kind: 'cancel' }), task: null, message: { text: `cancelled: ${s.task.label}`, tone: 'info' } };
      if (s.pane) return { ...s, pane: null };
      if (isList(s.view) && s.filters[s.view].text !== '') {
        return reload({ ...s, filters: { ...s.filters, [s.view]: { text: '', filter: {} } }, message: { text: 'filter cleared', tone: 'info' } }, s.view);
      }
      return { ...s, quit: true };
    }
    case 'quit': return s.task ? { ...ask(s, { kind: 'cancel' }), task: null, quit: true } : { ...s, quit: true };
    case 'search': return isList(s.view) ? { ...s, prompt: { kind: 'search', text: '' } } : s;
    case 'search-next':
    case 'search-previous': {
      if (!s.search || !isList(s.view)) return { ...s, message: { text: 'no search yet: press / first', tone: 'info' } };
      return ask(s, { kind: 'search', view: s.view, direction: command === 'search-next' ? 'next' : 'previous', text: s.search });
    }
    case 'filter': return isList(s.view) ? { ...s, prompt: { kind: 'filter', text: filterSeed(s) } } : s;
    case 'frequency': {
      if (!isList(s.view)) return s;
      const column = LIST_COLUMNS[s.view][list.column];
      if (!column?.sql) return { ...s, message: { text: `F counts columns backed by a stored value; "${column?.title ?? '?'}" is computed per row: move to another column (h/l)`, tone: 'info' } };
      const next = ask(s, { kind: 'frequency', view: s.view, column });
      return { ...next, task: { kind: 'frequency', label: `counting ${column.title}`, request: next.request!.id } };
    }
    case 'sql': return { ...s, view: 'sql', pane: null, overlay: null, prompt: { kind: 'sql', text: s.sql.text } };
    case 'export': return { ...s, prompt: { kind: 'export', text: `irpscope-${s.view}.csv` } };
    case 'help': return { ...s, overlay: { kind: 'help', scroll: 0 } };
    case 'trace-of-source': {
      const row = s.view === 'sources' ? selectedRow(list) : null;
      if (!row) return s;
      const traceSource = Number(row.values.id);
      return reload({ ...s, traceSource, view: 'traces', pane: null, filters: { ...s.filters, traces: { text: '', filter: {} } } }, 'traces');
    }
    case 'view-incidents': return showView(s, 'incidents');
    case 'view-ioctls': return showView(s, 'ioctls');
    case 'view-traces': return showView(s, 'traces');
    case 'view-sources': return showView(s, 'sources');
    case 'view-sql': return showView(s, 'sql');
    case 'view-buckets': return showView(s, 'buckets');
    case 'view-timeline': return showView(s, 'timeline');
  }
}

export function browserReducer(s: BrowserState, a: Action): BrowserState {
  switch (a.type) {
    case 'start': return showView({ ...s, traceSource: a.traceSource, empty: a.empty }, a.view);
    case 'resize': {
      const next = { ...s, width: a.width, height: a.height };
      return setList(next, s.view, withCursor(s.lists[s.view], s.lists[s.view].cursor, listHeight(next)));
    }
    case 'input': {
      if (s.prompt) return editPrompt(s, a.input, a.key);
      // Keys typed faster than the terminal is read arrive as one string ("\tG", "jjj"): each is its own press.
      if ([...a.input].length > 1 && !a.key.ctrl && !a.key.escape && !a.input.startsWith('\u001b')) {
        return [...a.input].reduce<BrowserState>((st, ch) => browserReducer(st, {
          type: 'input', input: ch === '\t' || ch === '\r' ? '' : ch, key: ch === '\t' ? { tab: true } : ch === '\r' ? { return: true } : {},
        }), s);
      }
      const command = commandFor(a.input, a.key);
      // A message stays until the next key.
      return command ? runCommand({ ...s, request: null, message: null }, command) : s;
    }
    case 'page': return setList(s, a.view, withPage(s.lists[a.view], a.fetch, a.page, listHeight(s)));
    case 'search-result': {
      if (!a.page || a.page.rows.length === 0) return { ...s, message: { text: `no more matches for "${a.text}"`, tone: 'info' } };
      return setList({ ...s, message: null }, a.view, withPage(s.lists[a.view], { at: { from: 'first' }, placement: 'jump', move: 0 }, a.page, listHeight(s)));
    }
    case 'frequency-result': {
      if (s.task?.request !== a.request) return s;
      return { ...s, task: null, overlay: { kind: 'frequency', title: a.title, rows: a.rows, scroll: 0 } };
    }
    case 'sql-result': {
      if (s.task?.request !== a.request) return s;
      const list = withPage({ ...emptyList }, { at: { from: 'first' }, placement: 'first', move: 0 }, a.page, listHeight(s));
      return { ...setList(s, 'sql', list), task: null, sql: { ...s.sql, columns: a.columns, note: a.note } };
    }
    case 'failed': {
      if (a.request !== null && s.task && s.task.request !== a.request) return s;
      return { ...s, task: a.request !== null ? null : s.task, message: { text: a.message, tone: 'error' } };
    }
    case 'exported': return { ...s, message: { text: `wrote ${a.rows} rows to ${a.file}`, tone: 'info' } };
    case 'select': return setList(s, a.view, withCursor(s.lists[a.view], a.index, listHeight(s)));
    case 'timeline-by': return { ...s, timelineBy: a.by, message: a.note ? { text: a.note, tone: 'info' } : s.message };
    case 'note': return { ...s, message: { text: a.text, tone: 'info' } };
  }
}

export { PAGE_SIZE };
