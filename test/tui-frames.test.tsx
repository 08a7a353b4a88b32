/**
 * Exact frames of the browse views at 80x24 and 120x40 over a store built from samples/, rendered by Ink into a
 * fake terminal (ink-testing-library at 80 columns; the same fake streams at 120, which that library cannot size).
 * The goldens are text files in test/fixtures/tui/; read each one before accepting it.
 */
import { EventEmitter } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { render as inkRender } from 'ink';
import { render as testingRender } from 'ink-testing-library';
import { openStore, type Store } from '../db/store.js';
import { defaultTraceSource, storeContents } from '../db/queries/pages.js';
import { BrowserSession } from '../src/tui/session.js';
import { App } from '../src/tui/views/app.js';
import { styleLine } from '../src/tui/views/theme.js';
import { firstView } from '../src/cli/browse-command.js';
import { samplesStore } from './tui-store.js';

let dir: string;
let store: Store;

beforeAll(async () => {
  ({ dir, store } = await samplesStore('frames'));
});

afterAll(() => {
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

class FakeStdout extends EventEmitter {
  frames: string[] = [];
  isTTY = true;
  constructor(readonly columns: number, readonly rows: number) {
    super();
  }
  write = (frame: string): boolean => {
    this.frames.push(frame);
    return true;
  };
}

class FakeStdin extends EventEmitter {
  isTTY = true;
  private data: string | null = null;
  write = (data: string): void => {
    this.data = data;
    this.emit('readable');
    this.emit('data', data);
  };
  read = (): string | null => {
    const d = this.data;
    this.data = null;
    return d;
  };
  setEncoding(): void {}
  setRawMode(): void {}
  resume(): void {}
  pause(): void {}
  ref(): void {}
  unref(): void {}
}

interface Screen {
  type(...keys: string[]): Promise<void>;
  frame(): string;
  session: BrowserSession;
  done(): void;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
// Ink keeps the padding spaces of our lines; trailing ones are dropped so the goldens read well in an editor.
const tidy = (frame: string | undefined): string => (frame ?? '').split('\n').map((l) => l.trimEnd()).join('\n');

function open(width: number, height: number, db: Store = store): Screen {
  const session = new BrowserSession(db.db, db.location, width, height);
  const contents = storeContents(db.db);
  session.send({ type: 'start', view: firstView(contents, undefined), traceSource: defaultTraceSource(db.db), empty: !contents.sources });
  const tree = <App session={session} theme="plain" size={{ width, height }} />;
  let frame: () => string;
  let write: (s: string) => void;
  let finish: () => void;
  if (width <= 100) {
    const r = testingRender(tree);
    frame = () => tidy(r.lastFrame());
    write = (s) => r.stdin.write(s);
    finish = () => r.unmount();
  } else {
    const stdout = new FakeStdout(width, height);
    const stdin = new FakeStdin();
    const instance = inkRender(tree, { stdout: stdout as unknown as NodeJS.WriteStream, stdin: stdin as unknown as NodeJS.ReadStream, debug: true, exitOnCtrlC: false, patchConsole: false });
    frame = () => tidy(stdout.frames[stdout.frames.length - 1]);
    write = (s) => stdin.write(s);
    finish = () => instance.unmount();
  }
  return {
    session,
    frame,
    async type(...keys) {
      for (const k of keys) {
        await sleep(5);
        write(k);
      }
      // Let React commit and Ink draw (and a worker query answer): wait until the frame holds still.
      let last = '';
      let still = 0;
      for (let i = 0; i < 250 && still < 3; i++) {
        await sleep(20);
        const now = frame();
        still = now === last && !session.state.task ? still + 1 : 0;
        last = now;
      }
    },
    done: finish,
  };
}

const ENTER = '\r';
const ESC = '\u001b';
const TAB = '\t';
const DOWN = '\u001b[B';

for (const [width, height] of [[80, 24], [120, 40]] as const) {
  describe(`frames at ${width}x${height}`, () => {
    const golden = (name: string): string => `fixtures/tui/${name}-${width}x${height}.txt`;

    it('incidents, then the detail pane of the newest (its IOCTL decoded, the source lines around it)', async () => {
      const s = open(width, height);
      await s.type();
      await expect(s.frame()).toMatchFileSnapshot(golden('incidents'));
      await s.type(ENTER);
      await expect(s.frame()).toMatchFileSnapshot(golden('incident-detail'));
      await s.type(TAB, 'j', 'j', 'j', 'j', 'j', 'j', 'j', 'j', 'j', 'j', 'j', 'j');
      await expect(s.frame()).toMatchFileSnapshot(golden('incident-detail-scrolled'));
      await s.type('G');
      await expect(s.frame()).toMatchFileSnapshot(golden('incident-detail-end'));
      s.done();
    });

    it('buckets from the signatures module, and what a bucket shares', async () => {
      const s = open(width, height);
      await s.type('2');
      await expect(s.frame()).toMatchFileSnapshot(golden('buckets'));
      await s.type(ENTER);
      await expect(s.frame()).toMatchFileSnapshot(golden('bucket-detail'));
      s.done();
    });

    it('IOCTLs with their decoded names, counts and statuses', async () => {
      const s = open(width, height);
      await s.type('3', DOWN, DOWN, DOWN, DOWN, DOWN, DOWN, ENTER);
      await expect(s.frame()).toMatchFileSnapshot(golden('ioctls'));
      s.done();
    });

    it('sources, then the trace of the correlated ETW export, then one IRP followed', async () => {
      const s = open(width, height);
      await s.type('5', 'G', 'k');
      await expect(s.frame()).toMatchFileSnapshot(golden('sources'));
      await s.type(ENTER);
      await expect(s.frame()).toMatchFileSnapshot(golden('trace'));
      await s.type('G', 'k', ENTER);
      await expect(s.frame()).toMatchFileSnapshot(golden('trace-detail'));
      await s.type('q', 'g', 'j', 'f', ENTER);
      await expect(s.frame()).toMatchFileSnapshot(golden('trace-followed'));
      s.done();
    });

    it('help from the key table, and the frequency of a column', async () => {
      const s = open(width, height);
      await s.type('?');
      await expect(s.frame()).toMatchFileSnapshot(golden('help'));
      await s.type('q', 'l', 'l', 'F');
      await expect(s.frame()).toMatchFileSnapshot(golden('frequency'));
      s.done();
    });

    it('the timeline by day, then by month with the period\'s incidents', async () => {
      const s = open(width, height);
      await s.type('i');
      await expect(s.frame()).toMatchFileSnapshot(golden('timeline'));
      await s.type('l', 'l', ENTER);
      await expect(s.frame()).toMatchFileSnapshot(golden('timeline-month'));
      s.done();
    });

    it('the SQL view runs a query off the screen', async () => {
      const s = open(width, height);
      await s.type(';', 'SELECT format, count(*) AS sources, sum(skipped_count) AS skipped FROM sources GROUP BY format ORDER BY format', ENTER);
      await expect(s.frame()).toMatchFileSnapshot(golden('sql'));
      s.done();
    });
  });
}

describe('frames', () => {
  it('an empty store says how to ingest', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'irpscope-empty-'));
    const db = openStore(join(empty, 'empty.db'));
    const s = open(80, 24, db);
    await s.type();
    await expect(s.frame()).toMatchFileSnapshot('fixtures/tui/empty-80x24.txt');
    s.done();
    db.close();
    rmSync(empty, { recursive: true, force: true });
  });

  it('searches the whole view with / and n', async () => {
    const s = open(80, 24);
    await s.type('/', 'WDF', ENTER);
    expect(s.frame().split('\n').find((l) => l.startsWith('>'))).toBe('>                    0x0000010D WDF_VIOLATION');
    await s.type('g', 'n');
    expect(s.frame().split('\n').find((l) => l.startsWith('>'))).toBe('>                    0x0000010D WDF_VIOLATION');
    await s.type('n');
    expect(s.frame().split('\n').at(-1)).toBe('no more matches for "WDF"                             row 1/1 loaded, more above');
    s.done();
  });

  it('escapes control characters that came in with the input, in the list and in the pane', async () => {
    const dirty = mkdtempSync(join(tmpdir(), 'irpscope-dirty-'));
    const db = openStore(join(dirty, 'dirty.db'));
    db.db.prepare(`INSERT INTO sources (id, path, content_hash, size_bytes, format, format_reason, encoding, ingested_at, line_count, record_count, skipped_count)
      VALUES (1, '/gone/evil\u001b]0;owned\u0007.txt', 'h', 1, 'windbg', 'test', 'utf-8', '2024-01-01T00:00:00Z', 1, 1, 0)`).run();
    db.db.prepare(`INSERT INTO incidents (source_id, line, incident_no, via, bugcheck_code, name, module, parameters, cases, details)
      VALUES (1, 7, 1, 'analyze', 201, ?, ?, '[]', '[]', '{}')`).run('EVIL\u001b[31mRED', 'drv\u0008');
    const s = open(80, 24, db);
    await s.type(ENTER);
    const frame = s.frame();
    // eslint-disable-next-line no-control-regex
    expect(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/.test(frame)).toBe(false);
    expect(frame.split('\n').slice(2, 3)).toEqual(['>                    0x000000C9 EVIL\\x1b[31mRED                     drv\\x08']);
    expect(frame.split('\n').slice(10, 12)).toEqual([' incident 1  EVIL\\x1b[31mRED (0x000000C9)', '   time     -']);
    expect(frame).toContain(' source /gone/evil\\x1b]0;owned\\x07.txt:7\n   the file is no longer at this path: the stored record is all there is');
    s.done();
    db.close();
    rmSync(dirty, { recursive: true, force: true });
  });

  it('draws the selected row and the active tab in reverse video in monochrome, with colour only when asked', () => {
    const line = { text: ' irpscope  1 incidents ', style: 'tabs' as const, mark: [10, 23] as const };
    expect(styleLine(line, 'mono')).toBe(' irpscope \u001b[7m 1 incidents \u001b[0m\u001b[0m');
    expect(styleLine({ text: '> row', style: 'selected' }, 'mono')).toBe('\u001b[7m> row\u001b[0m');
    expect(styleLine({ text: 'IOCTLs', style: 'title' }, 'ansi256')).toBe('\u001b[1;38;5;75mIOCTLs\u001b[0m');
    expect(styleLine({ text: 'IOCTLs', style: 'title' }, 'basic')).toBe('\u001b[1;34mIOCTLs\u001b[0m');
    expect(styleLine({ text: 'IOCTLs', style: 'title' }, 'plain')).toBe('IOCTLs');
  });
});
