/** The browser's state without rendering: list windows over pages, keys to commands, prompts, back, requests. */
import { describe, expect, it } from 'vitest';
import type { Page, PageRow } from '../db/queries/pages.js';
import { emptyList, MAX_LOADED, moveBy, toFirst, toLast, withPage, type ListState } from '../src/tui/state/list.js';
import { browserReducer, initialState, listHeight, type Action, type BrowserState } from '../src/tui/state/browser.js';
import { readFileSync } from 'node:fs';
import { commandFor, helpLines, KEY_TABLE, keyNameOf, keyTableMarkdown } from '../src/tui/keys.js';

const rows = (from: number, count: number): PageRow[] => Array.from({ length: count }, (_, i) => ({ key: [from + i], values: { id: from + i } }));
const page = (from: number, count: number, more: boolean): Page => ({ rows: rows(from, count), more });
const ids = (l: ListState): number[] => l.rows.map((r) => Number(r.values.id));

describe('list window', () => {
  const first = withPage(emptyList, { at: { from: 'first' }, placement: 'first', move: 0 }, page(1, 100, true), 10);

  it('takes the first page with the cursor on top and more after', () => {
    expect({ cursor: first.cursor, top: first.top, before: first.before, after: first.after, count: first.rows.length, loaded: first.loaded })
      .toEqual({ cursor: 0, top: 0, before: false, after: true, count: 100, loaded: true });
  });

  it('moves inside the window without a fetch, keeping the cursor on screen', () => {
    const r = moveBy(first, 12, 10);
    expect({ fetch: r.fetch, cursor: r.list.cursor, top: r.list.top }).toEqual({ fetch: null, cursor: 12, top: 3 });
  });

  it('asks for the page after the last loaded key when a move runs past the window, then finishes the move', () => {
    const atEnd = moveBy(first, 99, 10).list;
    const r = moveBy(atEnd, 5, 10);
    expect(r.fetch).toEqual({ at: { from: 'after', key: [100] }, placement: 'append', move: 5 });
    const next = withPage(r.list, r.fetch!, page(101, 100, false), 10);
    expect({ cursor: next.cursor, selected: next.rows[next.cursor]!.values.id, count: next.rows.length, after: next.after, top: next.top })
      .toEqual({ cursor: 104, selected: 105, count: 200, after: false, top: 95 });
  });

  it('drops the far end past MAX_LOADED rows and remembers that rows exist before', () => {
    let list = first;
    for (let p = 1; p <= 10; p++) {
      const r = moveBy(moveBy(list, list.rows.length - 1 - list.cursor, 10).list, 1, 10);
      list = withPage(r.list, r.fetch!, page(1 + p * 100, 100, true), 10);
    }
    expect(list.rows.length).toBe(MAX_LOADED);
    expect({ firstId: ids(list)[0], selected: list.rows[list.cursor]!.values.id, before: list.before }).toEqual({ firstId: 101, selected: 1001, before: true });
    const back = toFirst(list, 10);
    expect(back.fetch).toEqual({ at: { from: 'first' }, placement: 'first', move: 0 });
  });

  it('reads backwards before the first loaded key and keeps the selected row under the cursor', () => {
    const jumped = withPage(emptyList, { at: { from: 'first' }, placement: 'jump', move: 0 }, page(500, 100, true), 10);
    const r = moveBy(jumped, -1, 10);
    expect(r.fetch).toEqual({ at: { from: 'before', key: [500] }, placement: 'prepend', move: -1 });
    const next = withPage(r.list, r.fetch!, { rows: rows(400, 100), more: true }, 10);
    expect({ selected: next.rows[next.cursor]!.values.id, before: next.before, count: next.rows.length }).toEqual({ selected: 499, before: true, count: 200 });
  });

  it('G asks for the last page when more rows exist, and lands on the last row', () => {
    const r = toLast(first, 10);
    expect(r.fetch).toEqual({ at: { from: 'last' }, placement: 'last', move: 0 });
    const last = withPage(first, r.fetch!, page(901, 100, true), 10);
    expect({ selected: last.rows[last.cursor]!.values.id, top: last.top, before: last.before, after: last.after }).toEqual({ selected: 1000, top: 90, before: true, after: false });
  });
});

describe('key table', () => {
  it('maps the keys users of less, lnav and VisiData know', () => {
    const cases: [string, Parameters<typeof commandFor>[1], string | null][] = [
      ['j', {}, 'move-down'], ['', { downArrow: true }, 'move-down'], ['k', {}, 'move-up'], ['', { pageDown: true }, 'page-down'], ['', { pageUp: true }, 'page-up'],
      ['g', {}, 'first'], ['G', {}, 'last'], ['', { return: true }, 'open'], ['q', {}, 'back'], ['', { escape: true }, 'back'], ['', { tab: true }, 'switch-pane'],
      ['/', {}, 'search'], ['n', {}, 'search-next'], ['N', {}, 'search-previous'], ['f', {}, 'filter'], ['F', {}, 'frequency'], [';', {}, 'sql'],
      ['e', {}, 'export'], ['?', {}, 'help'], ['c', { ctrl: true }, 'quit'], ['x', {}, null],
    ];
    expect(cases.map(([input, key]) => commandFor(input, key))).toEqual(cases.map((c) => c[2]));
  });

  it('is the table the README shows (regenerate with keyTableMarkdown() when a key changes)', () => {
    expect(readFileSync('README.md', 'utf8')).toContain(`\n${keyTableMarkdown()}\n`);
  });

  it('binds no key twice', () => {
    const keys = KEY_TABLE.flatMap((b) => b.keys);
    expect(keys.length).toBe(new Set(keys).size);
  });

  it('generates one help line per binding, under its group', () => {
    const lines = helpLines();
    expect(lines.length).toBe(KEY_TABLE.length + 5);
    expect(lines.slice(0, 3)).toEqual(['Move', '  Down j Ctrl-N            next row (or line, in the detail pane)', '  Up k Ctrl-P              previous row']);
    expect(keyNameOf('', { tab: true, shift: true })).toBe('shift-tab');
  });
});

describe('browser reducer', () => {
  const press = (s: BrowserState, ...inputs: (string | Partial<Record<'return' | 'escape' | 'tab' | 'backspace' | 'downArrow', boolean>>)[]): BrowserState =>
    inputs.reduce<BrowserState>((st, i) => browserReducer(st, typeof i === 'string' ? { type: 'input', input: i, key: {} } : { type: 'input', input: '', key: i }), s);
  const start = (): BrowserState => {
    const s = browserReducer(initialState(80, 24), { type: 'start', view: 'incidents', traceSource: 2, empty: false });
    const fetch = s.request!.kind === 'page' ? s.request!.fetch : null;
    return browserReducer(s, { type: 'page', view: 'incidents', fetch: fetch!, page: page(1, 30, false) } as Action);
  };

  it('asks for the first page of the first view', () => {
    const s = browserReducer(initialState(80, 24), { type: 'start', view: 'ioctls', traceSource: null, empty: false });
    expect(s.request).toEqual({ id: 1, kind: 'page', view: 'ioctls', fetch: { at: { from: 'first' }, placement: 'first', move: 0 } });
  });

  it('opens the detail pane with Enter, shrinks the list, switches focus with Tab and closes with q', () => {
    const s = press(start(), 'j', { return: true });
    expect({ pane: s.pane, height: listHeight(s) }).toEqual({ pane: { focus: 'list', scroll: 0 }, height: 7 });
    const focused = press(s, { tab: true }, 'j', 'j');
    expect({ pane: focused.pane, cursor: focused.lists.incidents.cursor }).toEqual({ pane: { focus: 'detail', scroll: 2 }, cursor: 1 });
    const closed = press(focused, 'q');
    expect({ pane: closed.pane, quit: closed.quit }).toEqual({ pane: null, quit: false });
    expect(press(closed, 'q').quit).toBe(true);
  });

  it('edits a prompt (typing, backspace, control characters dropped) and submits a search request', () => {
    const s = press(start(), '/', 'myd', 'x', { backspace: true }, 'r\u001b[31m');
    expect(s.prompt).toEqual({ kind: 'search', text: 'mydr[31m' });
    const typed = press(start(), '/', 'mydrv', { return: true });
    expect({ prompt: typed.prompt, search: typed.search, request: typed.request }).toEqual({
      prompt: null, search: 'mydrv', request: { id: 2, kind: 'search', view: 'incidents', direction: 'next', text: 'mydrv' },
    });
    expect(press(typed, 'N').request).toEqual({ id: 3, kind: 'search', view: 'incidents', direction: 'previous', text: 'mydrv' });
  });

  it('applies a filter by reloading the view, reports a bad one, and Esc clears it', () => {
    const bad = press(start(), 'f', 'colour=red', { return: true });
    expect({ prompt: bad.prompt?.text, message: bad.message }).toEqual({
      prompt: 'colour=red',
      message: { text: 'unknown filter field "colour": use bugcheck=0x9F|NAME module=mydrv ioctl=0x222004 status=0xC0000010 since=2024-01-01 until=2024-02-01T12:00 irp=0xFFFF... request=N', tone: 'error' },
    });
    const good = press(start(), 'f', 'bugcheck=0xC9 module=MyDrv.sys', { return: true });
    expect({ filter: good.filters.incidents, loaded: good.lists.incidents.loaded, request: good.request }).toEqual({
      filter: { text: 'bugcheck=0xC9 module=MyDrv.sys', filter: { bugcheck: 0xc9, module: 'mydrv' } }, loaded: false,
      request: { id: 2, kind: 'page', view: 'incidents', fetch: { at: { from: 'first' }, placement: 'first', move: 0 } },
    });
    const cleared = press(good, { escape: true });
    expect({ filter: cleared.filters.incidents.text, message: cleared.message?.text, quit: cleared.quit }).toEqual({ filter: '', message: 'filter cleared', quit: false });
  });

  it('seeds f in a trace with the selected row\'s IRP request, so Enter follows it', () => {
    let s = browserReducer(initialState(80, 24), { type: 'start', view: 'traces', traceSource: 2, empty: false });
    s = browserReducer(s, { type: 'page', view: 'traces', fetch: { at: { from: 'first' }, placement: 'first', move: 0 }, page: { rows: [{ key: [3, 12], values: { lifetime_id: 1n, irp: '0xFFFFE0012B4C8010' } }], more: false } });
    expect(press(s, 'f').prompt).toEqual({ kind: 'filter', text: 'request=1' });
  });

  it('runs SQL as a task that Esc cancels', () => {
    const s = press(start(), ';', 'SELECT 1', { return: true });
    expect({ view: s.view, task: s.task, request: s.request }).toEqual({ view: 'sql', task: { kind: 'sql', label: 'running the query', request: 2 }, request: { id: 2, kind: 'sql', text: 'SELECT 1' } });
    const cancelled = press(s, { escape: true });
    expect({ task: cancelled.task, request: cancelled.request, message: cancelled.message }).toEqual({ task: null, request: { id: 3, kind: 'cancel' }, message: { text: 'cancelled: running the query', tone: 'info' } });
    // The answer of a cancelled query arrives too late to matter.
    const late = browserReducer(cancelled, { type: 'sql-result', request: 2, columns: ['1'], page: { rows: [], more: false }, note: '0 rows' });
    expect(late).toBe(cancelled);
  });

  it('steps the timeline period with h and l, reloading it, and stops at hour and year', () => {
    let s = browserReducer(initialState(80, 24), { type: 'start', view: 'timeline', traceSource: null, empty: false });
    expect(s.timelineBy).toBe('day');
    s = press(s, 'l');
    expect({ by: s.timelineBy, request: s.request }).toEqual({ by: 'week', request: { id: 2, kind: 'page', view: 'timeline', fetch: { at: { from: 'first' }, placement: 'first', move: 0 } } });
    expect(press(s, 'l', 'l', 'l', 'l').timelineBy).toBe('year');
    expect(press(s, 'h', 'h', 'h', 'h').timelineBy).toBe('hour');
  });

  it('reads keys that arrive together as separate presses', () => {
    const s = browserReducer(start(), { type: 'input', input: 'jj\r\tj', key: {} });
    expect({ cursor: s.lists.incidents.cursor, pane: s.pane }).toEqual({ cursor: 2, pane: { focus: 'detail', scroll: 1 } });
  });

  it('keeps the cursor on screen when the terminal shrinks', () => {
    const s = press(start(), 'G');
    expect(s.lists.incidents.cursor).toBe(29);
    const small = browserReducer(s, { type: 'resize', width: 60, height: 10 });
    expect({ top: small.lists.incidents.top, height: listHeight(small) }).toEqual({ top: 23, height: 7 });
  });
});
