/**
 * Every key of `irpscope browse`, in one table apart from the views: the input hook looks keys up here, and the
 * `?` help screen and the README's key table are generated from it. The bindings follow lnav, VisiData and less
 * (j/k, g/G, / n N, q, F frequency, ; SQL), so a user of those tools is at home.
 */

export type Command =
  | 'move-down' | 'move-up' | 'page-down' | 'page-up' | 'first' | 'last' | 'column-left' | 'column-right'
  | 'open' | 'back' | 'quit' | 'next-view' | 'previous-view' | 'switch-pane'
  | 'search' | 'search-next' | 'search-previous' | 'filter' | 'frequency' | 'sql' | 'export' | 'help'
  | 'trace-of-source' | 'view-incidents' | 'view-buckets' | 'view-ioctls' | 'view-traces' | 'view-sources' | 'view-timeline' | 'view-sql';

/** A key as the input hook reports it: the printable character, or the name of a special key. */
export type KeyName = 'up' | 'down' | 'left' | 'right' | 'pageup' | 'pagedown' | 'home' | 'end' | 'return' | 'escape' | 'tab' | 'shift-tab' | 'ctrl-c' | 'ctrl-d' | 'ctrl-u' | 'ctrl-f' | 'ctrl-b';

export interface Binding {
  /** What the user presses: single characters, or key names shown as in the help (Up, PgDn, Enter...). */
  readonly keys: readonly string[];
  readonly command: Command;
  /** One line for the help screen. */
  readonly help: string;
  readonly group: 'move' | 'open' | 'find' | 'views' | 'other';
}

export const KEY_TABLE: readonly Binding[] = [
  { keys: ['down', 'j', 'ctrl-n'], command: 'move-down', help: 'next row (or line, in the detail pane)', group: 'move' },
  { keys: ['up', 'k', 'ctrl-p'], command: 'move-up', help: 'previous row', group: 'move' },
  { keys: ['pagedown', 'space', 'ctrl-f', 'ctrl-d'], command: 'page-down', help: 'next page', group: 'move' },
  { keys: ['pageup', 'b', 'ctrl-b', 'ctrl-u'], command: 'page-up', help: 'previous page', group: 'move' },
  { keys: ['g', 'home'], command: 'first', help: 'first row', group: 'move' },
  { keys: ['G', 'end'], command: 'last', help: 'last row', group: 'move' },
  { keys: ['left', 'h'], command: 'column-left', help: 'previous column (for F); timeline: a finer period', group: 'move' },
  { keys: ['right', 'l'], command: 'column-right', help: 'next column (for F); timeline: a coarser period', group: 'move' },
  { keys: ['return'], command: 'open', help: 'open the detail pane of the selected row (sources: its trace)', group: 'open' },
  { keys: ['tab'], command: 'switch-pane', help: 'switch between the list and the detail pane; with no pane open, next view', group: 'open' },
  { keys: ['shift-tab'], command: 'previous-view', help: 'previous view', group: 'views' },
  { keys: ['f'], command: 'filter', help: 'filter: bugcheck= module= ioctl= status= since= until= (empty clears); in a trace it starts as the selected IRP: follow it', group: 'find' },
  { keys: ['/'], command: 'search', help: 'search the view (the whole view, not just the screen)', group: 'find' },
  { keys: ['n'], command: 'search-next', help: 'next match', group: 'find' },
  { keys: ['N'], command: 'search-previous', help: 'previous match', group: 'find' },
  { keys: ['F'], command: 'frequency', help: 'frequency of the values of the current column', group: 'find' },
  { keys: ['1'], command: 'view-incidents', help: 'incidents, newest first', group: 'views' },
  { keys: ['2'], command: 'view-buckets', help: 'buckets: incidents grouped by signature, with counts', group: 'views' },
  { keys: ['3'], command: 'view-ioctls', help: 'IOCTLs: every code seen, decoded, with counts and statuses', group: 'views' },
  { keys: ['4'], command: 'view-traces', help: 'trace: the events of one ETW or Procmon source in time order', group: 'views' },
  { keys: ['5'], command: 'view-sources', help: 'sources: ingested files with skipped-line counts', group: 'views' },
  { keys: ['6', 'i'], command: 'view-timeline', help: 'timeline: incidents (or an IOCTL\'s failures, f ioctl=) per period; h / l finer / coarser', group: 'views' },
  { keys: ['7', ';'], command: 'sql', help: 'SQL prompt (read-only; runs off the screen, Esc cancels)', group: 'views' },
  { keys: ['t'], command: 'trace-of-source', help: 'sources: open the trace of the selected source', group: 'views' },
  { keys: ['e'], command: 'export', help: 'export the current view to a file (.json: JSON, otherwise CSV)', group: 'other' },
  { keys: ['?'], command: 'help', help: 'this help', group: 'other' },
  { keys: ['q', 'escape'], command: 'back', help: 'back: close the pane, prompt or overlay; quit from a view', group: 'other' },
  { keys: ['Q', 'ctrl-c'], command: 'quit', help: 'quit now', group: 'other' },
];

const LABELS: Record<string, string> = {
  down: 'Down', up: 'Up', left: 'Left', right: 'Right', pagedown: 'PgDn', pageup: 'PgUp', home: 'Home', end: 'End', return: 'Enter', escape: 'Esc',
  tab: 'Tab', 'shift-tab': 'Shift-Tab', space: 'Space', 'ctrl-c': 'Ctrl-C', 'ctrl-d': 'Ctrl-D', 'ctrl-u': 'Ctrl-U', 'ctrl-f': 'Ctrl-F', 'ctrl-b': 'Ctrl-B',
  'ctrl-n': 'Ctrl-N', 'ctrl-p': 'Ctrl-P',
};

export const keyLabel = (key: string): string => LABELS[key] ?? key;

const byKey = new Map<string, Command>();
for (const b of KEY_TABLE) for (const k of b.keys) byKey.set(k, b.command);

/** The subset of Ink's `Key` the lookup reads (kept structural so tests and the app share it). */
export interface PressedKey {
  readonly upArrow?: boolean; readonly downArrow?: boolean; readonly leftArrow?: boolean; readonly rightArrow?: boolean;
  readonly pageUp?: boolean; readonly pageDown?: boolean; readonly home?: boolean; readonly end?: boolean;
  readonly return?: boolean; readonly escape?: boolean; readonly tab?: boolean; readonly shift?: boolean; readonly ctrl?: boolean;
  readonly backspace?: boolean; readonly delete?: boolean;
}

/** The name a key press has in the table: 'j', 'G', 'down', 'ctrl-c', 'shift-tab'... */
export function keyNameOf(input: string, key: PressedKey): string {
  if (key.upArrow) return 'up';
  if (key.downArrow) return 'down';
  if (key.leftArrow) return 'left';
  if (key.rightArrow) return 'right';
  if (key.pageUp) return 'pageup';
  if (key.pageDown) return 'pagedown';
  if (key.home) return 'home';
  if (key.end) return 'end';
  if (key.return) return 'return';
  if (key.escape) return 'escape';
  if (key.tab) return key.shift ? 'shift-tab' : 'tab';
  if (key.ctrl && input.length === 1) return `ctrl-${input.toLowerCase()}`;
  if (input === ' ') return 'space';
  return input;
}

export function commandFor(input: string, key: PressedKey): Command | null {
  return byKey.get(keyNameOf(input, key)) ?? null;
}

/** The help screen's lines, from the table: one line per binding, grouped. */
export function helpLines(): string[] {
  const titles: Record<Binding['group'], string> = { move: 'Move', open: 'Open', find: 'Find', views: 'Views', other: 'Other' };
  const out: string[] = [];
  for (const group of ['move', 'open', 'find', 'views', 'other'] as const) {
    out.push(titles[group]);
    for (const b of KEY_TABLE.filter((x) => x.group === group)) out.push(`  ${b.keys.map(keyLabel).join(' ').padEnd(24)} ${b.help}`);
  }
  return out;
}

/** The README's key table (Markdown), from the same bindings. */
export function keyTableMarkdown(): string {
  return ['| keys | does |', '|---|---|', ...KEY_TABLE.map((b) => `| ${b.keys.map((k) => `\`${keyLabel(k)}\``).join(' ')} | ${b.help} |`)].join('\n');
}
