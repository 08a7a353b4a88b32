/** `irpscope browse`: the terminal UI over the store (src/tui/). */
import type { Command } from 'commander';
import { defaultTraceSource, storeContents } from '../../db/queries/pages.js';
import { BrowserSession } from '../tui/session.js';
import { VIEW_ORDER, type ViewId } from '../tui/state/browser.js';
import { addDatabaseOption, defaultDatabasePath, openForCommand } from './store-options.js';
import { FailureError, UsageError } from './errors.js';
import { CatalogError, loadCatalog } from '../decode/catalog.js';
import { defaultCatalogPath } from '../locations.js';
import { useCatalog } from '../tui/decoding.js';

// The alternate screen keeps the user's scrollback as it was; the cursor is shown again whatever way we leave.
const ENTER_SCREEN = '\u001b[?1049h\u001b[H';
const LEAVE_SCREEN = '\u001b[?25h\u001b[?1049l';

/** The view the first screen shows: asked for, else the first one with rows (incidents, IOCTLs, sources). */
export function firstView(contents: ReturnType<typeof storeContents>, asked: ViewId | undefined): ViewId {
  if (asked) return asked;
  return contents.incidents ? 'incidents' : contents.ioctls ? 'ioctls' : contents.events ? 'traces' : 'sources';
}

export async function runBrowse(path: string | undefined, view?: ViewId, catalogPath?: string): Promise<void> {
  const stdout = process.stdout;
  if (!stdout.isTTY || !process.stdin.isTTY) {
    throw new UsageError('browse needs a terminal (stdin and stdout must be a TTY); for pipes and scripts use irpscope incidents / ioctls / show / sql with --json or --csv');
  }
  // Ink draws only a last frame at exit when it believes it runs in CI (it reads CI and CONTINUOUS_INTEGRATION when
  // first loaded). Both ends are a terminal here, so a person is looking: draw live whatever CI says. Ink is
  // loaded now, not with the CLI, so this comes first (and no other command loads React and Ink).
  for (const key of ['CI', 'CONTINUOUS_INTEGRATION']) if (key in process.env) process.env[key] = 'false';
  const { drawUntilQuit } = await import('../tui/render.js');
  try {
    useCatalog(loadCatalog(catalogPath ?? defaultCatalogPath()));
  } catch (error) {
    if (error instanceof CatalogError) throw new FailureError(error.message);
    throw error;
  }
  const store = openForCommand(path ?? defaultDatabasePath(), { mustExist: true });
  const session = new BrowserSession(store.db, store.location, stdout.columns || 80, stdout.rows || 24);
  const restore = (): void => {
    stdout.write(LEAVE_SCREEN);
  };
  process.once('exit', restore);
  stdout.write(ENTER_SCREEN);
  try {
    const contents = storeContents(store.db);
    session.send({ type: 'start', view: firstView(contents, view), traceSource: defaultTraceSource(store.db), empty: !contents.sources });
    await drawUntilQuit(session, stdout);
  } finally {
    session.close();
    store.close();
    process.off('exit', restore);
    restore();
  }
}

export function registerBrowse(program: Command): void {
  addDatabaseOption(program
    .command('browse')
    .summary('browse the store in a terminal UI')
    .description(`Browse the store in the terminal: incidents (newest first), IOCTLs (every code seen, decoded, with counts
and statuses), traces (the events of an ETW or Procmon source in time order, decoded), sources (ingested
files with skipped lines) and a read-only SQL prompt, with a detail pane for the selected row. Keys as in
lnav, VisiData and less: j/k, PgUp/PgDn, g/G, Enter, q, Tab, / n N, f filter, F frequency, ; SQL, e export;
? lists them all. Needs a terminal: in a pipe it exits with 2.`))
    .option('--catalog <path>', 'private catalog file for your own IOCTL names (default: $IRPSCOPE_CATALOG or the data folder)')
    .option('--view <view>', `the view to open on: ${VIEW_ORDER.join(', ')}`)
    .addHelpText('after', '\nExamples:\n  irpscope browse\n  irpscope browse --db team.db --view ioctls')
    .action(async (options: { db?: string; view?: string; catalog?: string }) => {
      if (options.view !== undefined && !VIEW_ORDER.includes(options.view as ViewId)) {
        throw new UsageError(`--view: expected one of ${VIEW_ORDER.join(', ')}, got ${JSON.stringify(options.view)}`);
      }
      await runBrowse(options.db, options.view as ViewId | undefined, options.catalog);
    });
}
