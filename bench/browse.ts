/**
 * `irpscope browse` in `npm run bench`: time to the first frame with rows on the 10 M-row store of bench/store.ts,
 * per view. Each run is its own process (cold page cache of SQLite's own, warm OS cache): it opens the store as
 * browse does, starts the session, renders the Ink app into a fake 120x40 terminal and stops the clock at the
 * first frame whose list shows a selected row. The note gives the time since the process started too (Node,
 * Ink and React loading included), which is what a user waits in all.
 *
 *   node dist/bench/browse.js first-frame DB [VIEW]   one run, prints one JSON line
 */
import { execFileSync } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { fileURLToPath } from 'node:url';
import { createElement } from 'react';
import { render } from 'ink';
import { openStore } from '../db/store.js';
import { defaultTraceSource, storeContents } from '../db/queries/pages.js';
import { BrowserSession } from '../src/tui/session.js';
import { App } from '../src/tui/views/app.js';
import { firstView } from '../src/cli/browse-command.js';
import type { ViewId } from '../src/tui/state/browser.js';
import type { StoreBenchRow } from './store.js';

const here = fileURLToPath(import.meta.url);
const RUNS = Number(process.env.BENCH_RUNS ?? 5);

interface FirstFrame { ms: number; sinceStartMs: number; view: string; rows: number }

class FakeStdout extends EventEmitter {
  readonly columns = 120;
  readonly rows = 40;
  readonly isTTY = true;
  constructor(private readonly onFrame: (frame: string) => void) {
    super();
  }
  write = (frame: string): boolean => {
    this.onFrame(frame);
    return true;
  };
}

async function firstFrame(path: string, asked: ViewId | undefined): Promise<FirstFrame> {
  const started = performance.now();
  // As browse opens it (a store from an older irpscope is migrated on first open).
  const store = openStore(path);
  const session = new BrowserSession(store.db, store.path, 120, 40);
  const contents = storeContents(store.db);
  const view = firstView(contents, asked);
  const stdin = Object.assign(new EventEmitter(), { isTTY: true, setRawMode() {}, setEncoding() {}, resume() {}, pause() {}, ref() {}, unref() {}, read: () => null });
  return new Promise((resolve) => {
    let done = false;
    const stdout = new FakeStdout((frame) => {
      // A frame with rows has the selected row's marker at the start of a line.
      if (done || !/\n>/.test(frame)) return;
      done = true;
      const ms = performance.now() - started;
      // The first frame is drawn inside render() itself: tear down once it has returned.
      setImmediate(() => {
        instance.unmount();
        session.close();
        store.close();
      });
      resolve({ ms, sinceStartMs: performance.now(), view, rows: session.state.lists[view].rows.length });
    });
    session.send({ type: 'start', view, traceSource: defaultTraceSource(store.db), empty: !contents.sources });
    const instance = render(createElement(App, { session, theme: 'plain', size: { width: 120, height: 40 } }), {
      stdout: stdout as unknown as NodeJS.WriteStream, stdin: stdin as unknown as NodeJS.ReadStream, debug: true, exitOnCtrlC: false, patchConsole: false,
    });
  });
}

const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

/** The browse rows of the bench table, on the store bench/store.ts generated (path given). */
export function benchBrowse(store: string, label: string): StoreBenchRow[] {
  const rows: StoreBenchRow[] = [];
  for (const view of ['', 'ioctls', 'buckets', 'timeline', 'sources'] as const) {
    const results = Array.from({ length: RUNS }, () => JSON.parse(execFileSync(process.execPath, [here, 'first-frame', store, ...(view ? [view] : [])], { encoding: 'utf8' }).trim().split('\n').pop()!) as FirstFrame);
    const ms = median(results.map((r) => r.ms));
    rows.push({
      name: `browse: first frame (${view || `default: ${results[0]!.view}`})`, input: label, medianMs: ms, rowsPerSec: Number.NaN, mbPerSec: Number.NaN, peakRssMb: Number.NaN,
      note: `${results[0]!.rows} rows loaded; median of ${RUNS} processes; ${median(results.map((r) => r.sinceStartMs)).toFixed(0)} ms from process start`,
    });
  }
  return rows;
}

if (process.argv[1] === here && process.argv[2] === 'first-frame') {
  process.stdout.write(`${JSON.stringify(await firstFrame(process.argv[3]!, process.argv[4] as ViewId | undefined))}\n`);
  process.exit(0);
}
