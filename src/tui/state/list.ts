/**
 * One browsable list as state: a window of loaded rows (contiguous in the view's order), the cursor, the first
 * visible row, and whether more rows exist before and after the window. Pure functions, no rendering, no SQL:
 * when the cursor must go past the loaded rows, `moveBy` answers with the page to fetch, and `withPage` folds
 * the fetched page in. Memory stays bounded: past MAX_LOADED rows the far end of the window is dropped (and
 * fetched again by key if the user comes back).
 */
import type { Page, PageFrom, PageRow } from '../../../db/queries/pages.js';

export const PAGE_SIZE = 100;
export const MAX_LOADED = 1000;

export interface ListState {
  readonly rows: readonly PageRow[];
  readonly cursor: number;
  readonly top: number;
  readonly before: boolean;
  readonly after: boolean;
  /** The current column (for F), an index into the view's columns. */
  readonly column: number;
  /** False until the first page arrived. */
  readonly loaded: boolean;
}

/** How a fetched page joins the window. */
export type Placement = 'first' | 'last' | 'append' | 'prepend' | 'jump';

export interface PageFetch {
  readonly at: PageFrom;
  readonly placement: Placement;
  /** Rows the cursor still has to move once the page is in (a PgDn that ran past the window). */
  readonly move: number;
}

export const emptyList: ListState = { rows: [], cursor: 0, top: 0, before: false, after: false, column: 0, loaded: false };

function clampTop(top: number, cursor: number, height: number, count: number): number {
  let t = Math.min(top, cursor);
  if (cursor >= t + height) t = cursor - height + 1;
  return Math.max(0, Math.min(t, Math.max(0, count - height)));
}

/** Puts the cursor at `cursor` (clamped) and keeps it on screen. */
export function withCursor(list: ListState, cursor: number, height: number): ListState {
  const c = Math.max(0, Math.min(cursor, list.rows.length - 1));
  return { ...list, cursor: c, top: clampTop(list.top, c, height, list.rows.length) };
}

/** Moves the cursor by `delta` rows; returns the fetch needed when the move leaves the loaded window. */
export function moveBy(list: ListState, delta: number, height: number): { list: ListState; fetch: PageFetch | null } {
  const target = list.cursor + delta;
  const last = list.rows[list.rows.length - 1];
  const first = list.rows[0];
  if (target >= list.rows.length && list.after && last) {
    return { list: withCursor(list, list.rows.length - 1, height), fetch: { at: { from: 'after', key: last.key }, placement: 'append', move: target - (list.rows.length - 1) } };
  }
  if (target < 0 && list.before && first) {
    return { list: withCursor(list, 0, height), fetch: { at: { from: 'before', key: first.key }, placement: 'prepend', move: target } };
  }
  return { list: withCursor(list, target, height), fetch: null };
}

export function toFirst(list: ListState, height: number): { list: ListState; fetch: PageFetch | null } {
  if (list.before) return { list, fetch: { at: { from: 'first' }, placement: 'first', move: 0 } };
  return { list: withCursor(list, 0, height), fetch: null };
}

export function toLast(list: ListState, height: number): { list: ListState; fetch: PageFetch | null } {
  if (list.after) return { list, fetch: { at: { from: 'last' }, placement: 'last', move: 0 } };
  return { list: withCursor(list, list.rows.length - 1, height), fetch: null };
}

/** Folds a fetched page into the window, then finishes the move that asked for it. */
export function withPage(list: ListState, fetch: PageFetch, page: Page, height: number): ListState {
  let next: ListState;
  switch (fetch.placement) {
    case 'first':
      next = { ...list, rows: page.rows, cursor: 0, top: 0, before: false, after: page.more, loaded: true };
      break;
    case 'last':
      next = { ...list, rows: page.rows, cursor: Math.max(0, page.rows.length - 1), top: Math.max(0, page.rows.length - height), before: page.more, after: false, loaded: true };
      break;
    case 'jump':
      // A search hit: the page starts at the matching row; whether rows exist before it is found out on the way up.
      next = { ...list, rows: page.rows, cursor: 0, top: 0, before: true, after: page.more, loaded: true };
      break;
    case 'append': {
      let rows = [...list.rows, ...page.rows];
      let cursor = list.cursor;
      let top = list.top;
      let before = list.before;
      const drop = Math.max(0, rows.length - MAX_LOADED);
      if (drop > 0) {
        rows = rows.slice(drop);
        cursor -= drop;
        top = Math.max(0, top - drop);
        before = true;
      }
      next = withCursor({ ...list, rows, cursor, top, before, after: page.more, loaded: true }, cursor + fetch.move, height);
      break;
    }
    case 'prepend': {
      let rows = [...page.rows, ...list.rows];
      let after = list.after;
      const added = page.rows.length;
      if (rows.length > MAX_LOADED) {
        rows = rows.slice(0, MAX_LOADED);
        after = true;
      }
      const shifted = { ...list, rows, cursor: list.cursor + added, top: list.top + added, before: page.more, after, loaded: true };
      next = withCursor(shifted, shifted.cursor + fetch.move, height);
      break;
    }
  }
  return next;
}

export const selectedRow = (list: ListState): PageRow | null => list.rows[list.cursor] ?? null;
