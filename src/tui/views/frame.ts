/**
 * The screen as lines of exactly `width` characters, from the state and the detail pane's lines: tabs, column
 * headers, rows, the pane, overlays, and the status line (message, prompt or spinner). Pure, so a frame is the
 * same whatever the terminal; `theme.ts` adds the escapes for colour, monochrome or none.
 */
import { fit, fitColumns, type ColumnSpec } from '../columns.js';
import type { DetailLine, Tone } from '../detail.js';
import { helpLines } from '../keys.js';
import { basename } from 'node:path';
import { visible } from '../../cli/terminal.js';
import { LIST_COLUMNS, listHeight, PROMPT_LABELS, VIEW_ORDER, VIEW_TITLES, type BrowserState, type ViewId } from '../state/browser.js';

export type LineStyle = Tone | 'tabs' | 'header' | 'selected' | 'status' | 'error';
export interface FrameLine { readonly text: string; readonly style: LineStyle; /** Character range drawn inverse (active tab, current column). */ readonly mark?: readonly [number, number] }

const VIEW_KEYS: Record<ViewId, string> = { incidents: '1', buckets: '2', timeline: '6', ioctls: '3', traces: '4', sources: '5', sql: '7' };
const SPINNER = ['|', '/', '-', '\\'];
/** Help lines continue under the description column (two spaces, 24 for the keys, one space). */
const HELP_HANG = 27;

export const EMPTY_STORE_LINES = [
  'The store is empty: nothing has been ingested yet.',
  '',
  'Ingest the text you have, then browse again:',
  '  irpscope ingest crash.txt trace.csv procmon.csv --db STORE',
  '  irpscope ingest samples/*/ --db STORE        (the bundled samples)',
  '  npm start                                     (ingests the samples and opens browse)',
  '',
  'q quits.',
];

function tabsLine(s: BrowserState, path: string): FrameLine {
  // The name goes first when the tabs would not fit beside it (80 columns).
  const tabsWidth = VIEW_ORDER.reduce((n, v) => n + VIEW_TITLES[v].length + 4, 0);
  let text = s.width >= tabsWidth + 10 ? ' irpscope ' : '';
  let mark: [number, number] | undefined;
  for (const v of VIEW_ORDER) {
    const label = ` ${VIEW_KEYS[v]} ${VIEW_TITLES[v]} `;
    if (v === s.view) mark = [text.length, text.length + label.length];
    text += label;
  }
  const right = ` ${visible(basename(path))} `;
  const room = s.width - text.length;
  if (room > 12) text += fit(right.length > room ? `~${right.slice(right.length - room + 1)}` : right, room, 'right');
  return { text: fit(text, s.width), style: 'tabs', ...(mark ? { mark } : {}) };
}

function tableLines(s: BrowserState, columns: readonly ColumnSpec[], height: number): FrameLine[] {
  const list = s.lists[s.view];
  const fitted = fitColumns(columns, s.width - 1);
  const current = columns[list.column];
  let header = ' ';
  let mark: [number, number] | undefined;
  fitted.forEach((f, i) => {
    const start = header.length;
    header += fit(f.column.title, f.width, f.column.align === 'right' ? 'right' : 'left') + (i < fitted.length - 1 ? ' ' : '');
    if (f.column === current) mark = [start, start + f.width];
  });
  const out: FrameLine[] = [{ text: fit(header, s.width), style: 'header', ...(mark ? { mark } : {}) }];
  for (let i = list.top; i < Math.min(list.rows.length, list.top + height); i++) {
    const row = list.rows[i]!;
    const text = (i === list.cursor ? '>' : ' ') + fitted.map((f) => fit(f.column.cell(row.values, f.width), f.width, f.column.align === 'right' ? 'right' : 'left')).join(' ');
    out.push({ text: fit(text, s.width), style: i === list.cursor ? 'selected' : 'plain' });
  }
  return out;
}

/** Result columns of the SQL view: as wide as their widest value on the first rows (at most 40), left to right. */
function sqlColumns(s: BrowserState): ColumnSpec[] {
  const sample = s.lists.sql.rows.slice(0, 200);
  return s.sql.columns.map((name, i) => {
    const cell = (v: Readonly<Record<string, unknown>>): string => (v[name] === null || v[name] === undefined ? 'NULL' : visible(String(v[name])));
    const width = Math.min(40, Math.max(name.length, ...sample.map((r) => [...cell(r.values)].length)));
    // Numbers read right-aligned, as in the other views.
    const numeric = sample.length > 0 && sample.every((r) => typeof r.values[name] === 'number' || r.values[name] === null);
    return { id: name, title: visible(name), width, priority: i, sql: null, cell, ...(numeric ? { align: 'right' as const } : {}) };
  });
}

function position(s: BrowserState): string {
  const list = s.lists[s.view];
  if (list.rows.length === 0) return '';
  // Paged views do not count their rows (a count would read them all): the position is within the loaded window.
  const more = list.before && list.after ? 'above and below' : list.before ? 'above' : list.after ? 'below' : null;
  return `row ${list.cursor + 1}/${list.rows.length}${more ? ` loaded, more ${more}` : ''}`;
}

function statusLine(s: BrowserState, tick: number): FrameLine {
  if (s.prompt) return { text: fit(`${PROMPT_LABELS[s.prompt.kind]}${visible(s.prompt.text)}_`, s.width), style: 'status' };
  if (s.task) return { text: fit(`${SPINNER[tick % SPINNER.length]} ${s.task.label}... (Esc cancels)`, s.width), style: 'status' };
  const right = position(s);
  const filter = s.view !== 'sql' && s.filters[s.view].text ? `filter ${visible(s.filters[s.view].text)}  ` : '';
  const left = s.message ? visible(s.message.text) : `${filter}? help  / search  f filter  F frequency  ; SQL  e export  q ${s.pane ? 'close' : 'quit'}`;
  const room = Math.max(0, s.width - right.length - 1);
  return { text: fit(`${fit(left, room)} ${right}`, s.width), style: s.message?.tone === 'error' ? 'error' : 'status' };
}

/** Detail lines folded to the pane's width at spaces, continuation lines indented under the text they continue. */
export function wrapDetail(lines: readonly DetailLine[], width: number, hang?: number): DetailLine[] {
  const out: DetailLine[] = [];
  for (const l of lines) {
    const indent = ' '.repeat(Math.min(width >> 1, hang ?? (/^ */.exec(l.text)?.[0].length ?? 0) + 4));
    let rest = l.text;
    let prefix = '';
    while (prefix.length + [...rest].length > width) {
      const room = width - prefix.length;
      const chars = [...rest];
      let cut = chars.lastIndexOf(' ', room);
      if (cut <= room >> 2) cut = room;
      out.push({ text: prefix + chars.slice(0, cut).join('').trimEnd(), tone: l.tone });
      rest = chars.slice(cut).join('').trimStart();
      prefix = indent;
    }
    out.push({ text: prefix + rest, tone: l.tone });
  }
  return out;
}

export function buildFrame(s: BrowserState, detail: readonly DetailLine[] | null, path: string, tick = 0): FrameLine[] {
  const out: FrameLine[] = [tabsLine(s, path)];
  const bodyHeight = Math.max(1, s.height - 2);
  let body: FrameLine[];
  if (s.overlay?.kind === 'help') {
    const lines = wrapDetail([{ text: 'keys (j/k scroll; q or Esc closes)', tone: 'title' }, ...helpLines().map((t) => ({ text: t, tone: t.startsWith(' ') ? 'plain' as const : 'title' as const }))], s.width - 1, HELP_HANG);
    body = lines.slice(Math.min(s.overlay.scroll, Math.max(0, lines.length - bodyHeight))).map((l) => ({ text: fit(` ${l.text}`, s.width), style: l.tone }));
  } else if (s.overlay?.kind === 'frequency') {
    const rows = s.overlay.rows;
    const max = Math.max(1, ...rows.map((r) => r[1]));
    const total = rows.reduce((n, r) => n + r[1], 0);
    const valueWidth = Math.min(40, Math.max(5, ...rows.map((r) => [...visible(r[0])].length)));
    const barWidth = Math.max(0, s.width - valueWidth - 22);
    const lines: FrameLine[] = [{ text: fit(` frequency of ${s.overlay.title} (${rows.length} values; q closes)`, s.width), style: 'title' }];
    for (const [value, count] of rows.slice(s.overlay.scroll)) {
      const pct = total ? ((100 * count) / total).toFixed(1) : '0.0';
      lines.push({ text: fit(` ${fit(visible(value), valueWidth)} ${String(count).padStart(9)} ${pct.padStart(5)}% ${'#'.repeat(Math.round((barWidth * count) / max))}`, s.width), style: 'plain' });
    }
    body = lines;
  } else if (s.empty) {
    body = EMPTY_STORE_LINES.map((t) => ({ text: fit(` ${t}`, s.width), style: t.startsWith('  ') ? 'accent' : 'plain' }));
  } else {
    const height = listHeight(s);
    const columns = s.view === 'sql' ? sqlColumns(s) : LIST_COLUMNS[s.view];
    if (s.view === 'sql' && s.sql.columns.length === 0) {
      body = [' SQL over the store, read-only: ; opens the prompt, Enter runs it, Esc cancels a long query.', ' Tables and columns: docs/schema.md. Example:',
        "   SELECT name, count(*) FROM incidents GROUP BY name ORDER BY 2 DESC", s.sql.note ? ` ${s.sql.note}` : '']
        .map((t) => ({ text: fit(t, s.width), style: 'plain' as const }));
    } else {
      body = tableLines(s, columns, height);
      const list = s.lists[s.view];
      if (list.loaded && list.rows.length === 0) body.push({ text: fit(s.view !== 'sql' && s.filters[s.view].text ? ' no rows match the filter (Esc clears it)' : ' nothing here yet', s.width), style: 'dim' });
      if (s.view === 'sql' && s.sql.note) body.push({ text: fit(` ${s.sql.note}`, s.width), style: 'dim' });
    }
    if (s.pane && detail) {
      while (body.length < height + 1) body.push({ text: ' '.repeat(s.width), style: 'plain' });
      const focus = s.pane.focus === 'detail' ? 'detail (Tab: back to the list; j/k scroll)' : 'detail (Tab: scroll it; q closes)';
      body.push({ text: fit(`-- ${focus} `.padEnd(s.width, '-'), s.width), style: 'dim' });
      const room = bodyHeight - body.length;
      const wrapped = wrapDetail(detail, s.width - 1);
      const scroll = Math.min(s.pane.scroll, Math.max(0, wrapped.length - room));
      for (const l of wrapped.slice(scroll, scroll + room)) body.push({ text: fit(` ${l.text}`, s.width), style: l.tone });
    }
  }
  body = body.slice(0, bodyHeight);
  while (body.length < bodyHeight) body.push({ text: ' '.repeat(s.width), style: 'plain' });
  out.push(...body, statusLine(s, tick));
  return out;
}
