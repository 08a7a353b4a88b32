/**
 * The real binary in a real terminal: `irpscope browse` runs inside tmux (its own server socket) on a store built
 * from samples/ by `irpscope ingest`, with a team catalog that names the sample's private IOCTL. Keys go in with
 * send-keys; the screen comes back with capture-pane. Needs tmux (.ci/run installs it) and the build (npm test
 * builds first).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const MAIN = resolve('dist/src/cli/main.js');
const SOCKET = `irpscope-test-${process.pid}`;
let dir: string;

const tmux = (...args: string[]): string => execFileSync('tmux', ['-L', SOCKET, ...args], { encoding: 'utf8' });
const screen = (): string => tmux('capture-pane', '-p', '-t', 'browse');
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Waits until the screen satisfies `ready` (the binary starts slowly on a busy machine), then returns it. */
async function waitFor(ready: (text: string) => boolean, what: string, timeoutMs = 15_000): Promise<string> {
  const until = Date.now() + timeoutMs;
  let text = '';
  while (Date.now() < until) {
    text = screen();
    if (ready(text)) return text;
    await sleep(100);
  }
  throw new Error(`timed out waiting for ${what}; the screen was:\n${text}`);
}

const keys = (...k: string[]): void => {
  tmux('send-keys', '-t', 'browse', ...k);
};
const selected = (text: string): string | undefined => text.split('\n').find((l) => l.startsWith('>'));

beforeAll(() => {
  if (spawnSync('tmux', ['-V']).status !== 0) throw new Error('the end-to-end browse test needs tmux: apt-get install -y tmux (.ci/run installs it)');
  dir = mkdtempSync(join(tmpdir(), 'irpscope-e2e-'));
  const samples = readdirSync('samples', { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => join('samples', e.name));
  execFileSync(process.execPath, [MAIN, 'ingest', '--db', join(dir, 'samples.db'), ...samples], { stdio: 'ignore' });
  execFileSync(process.execPath, [MAIN, 'catalog', 'add', '--catalog', join(dir, 'catalog.json'), 'test/fixtures/catalog/mydrv_ioctl.h'], { stdio: 'ignore' });
});

afterAll(() => {
  spawnSync('tmux', ['-L', SOCKET, 'kill-server']);
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('irpscope browse in tmux', () => {
  it('opens an incident, shows its IOCTL decoded by name, searches, filters, goes back and quits with the terminal restored', { timeout: 120_000 }, async () => {
    const command = `IRPSCOPE_CATALOG='${join(dir, 'catalog.json')}' NO_COLOR=1 '${process.execPath}' '${MAIN}' browse --db '${join(dir, 'samples.db')}'; echo "browse exited $?"; sleep 600`;
    tmux('new-session', '-d', '-s', 'browse', '-x', '100', '-y', '30', command);
    let text = await waitFor((t) => t.includes('row 1/7'), 'the incidents view');
    expect(selected(text)).toBe('>   1 2016-08-04 17:42:12 0x000000C9 DRIVER_VERIFIER_IOMANAGE~ mydrv        IOCTL_MYDRV_LEGACY');
    expect(tmux('display', '-p', '-t', 'browse', '#{alternate_on}').trim()).toBe('1');

    keys('Enter');
    text = await waitFor((t) => t.includes('incident 1  DRIVER_VERIFIER_IOMANAGER_VIOLATION'), 'the detail pane');
    keys('Tab');
    await waitFor((t) => t.includes('-- detail (Tab: back to the list'), 'focus on the pane');
    // PgDn through the pane until the IOCTL section is on screen.
    for (let i = 0; i < 6 && !screen().includes('name IOCTL_MYDRV_LEGACY'); i++) {
      const before = screen();
      keys('NPage');
      await waitFor((t) => t !== before, 'the pane to scroll');
    }
    text = await waitFor((t) => t.includes('name IOCTL_MYDRV_LEGACY'), 'the decoded IOCTL in the pane');
    expect(text).toMatch(/ {3}0x00222004 {2}IOCTL_MYDRV_LEGACY\n/);
    expect(text).toMatch(/name IOCTL_MYDRV_LEGACY {2}\(catalog:.*mydrv_ioctl\.h:11\)/);
    keys('q');
    await waitFor((t) => !t.includes('-- detail'), 'the pane to close');

    keys('/', 'WDF', 'Enter');
    text = await waitFor((t) => selected(t)?.includes('WDF_VIOLATION') === true, 'the search hit');
    expect(selected(text)).toBe('>   2                     0x0000010D WDF_VIOLATION');

    keys('f', 'bugcheck=0x9F', 'Enter');
    text = await waitFor((t) => t.includes('filter bugcheck=0x9F'), 'the filtered list');
    expect(text.split('\n').slice(1, 5)).toEqual([
      '   id time                code       bugcheck                  module       IOCTL',
      '>   6                     0x0000009F DRIVER_POWER_STATE_FAILU~',
      '    5                     0x0000009F DRIVER_POWER_STATE_FAILU~ pci',
      '',
    ]);

    keys('Escape');
    text = await waitFor((t) => t.includes('filter cleared'), 'the filter to clear');
    expect(text).toContain('row 1/7');

    keys('q');
    text = await waitFor((t) => t.includes('browse exited'), 'browse to exit');
    expect(text.trim()).toBe('browse exited 0');
    expect(tmux('display', '-p', '-t', 'browse', '#{alternate_on} #{cursor_flag}').trim()).toBe('0 1');
  });

  it('npm start in a terminal ends in browse over the samples it just ingested', { timeout: 120_000 }, async () => {
    const db = join(dir, 'start.db');
    tmux('new-session', '-d', '-s', 'start', '-x', '100', '-y', '30', `NO_COLOR=1 '${process.execPath}' '${MAIN}' start --db '${db}'; echo "start exited $?"; sleep 600`);
    const until = Date.now() + 60_000;
    let text = '';
    while (Date.now() < until && !text.includes('row 1/7')) {
      await sleep(200);
      text = tmux('capture-pane', '-p', '-t', 'start');
    }
    expect(text.split('\n')[0]).toBe(' irpscope  1 incidents  2 buckets  3 IOCTLs  4 trace  5 sources  6 timeline  7 SQL         start.db');
    tmux('send-keys', '-t', 'start', 'q');
    while (Date.now() < until && !text.includes('start exited')) {
      await sleep(200);
      text = tmux('capture-pane', '-p', '-t', 'start');
    }
    // The printed answers are back on the normal screen, the prompt after them.
    expect(text.trim().split('\n').at(-1)).toBe('start exited 0');
  });

  it('refuses to run without a terminal, and a bad --view, with exit 2 and a clear message', () => {
    const piped = spawnSync(process.execPath, [MAIN, 'browse', '--db', join(dir, 'samples.db')], { encoding: 'utf8', stdio: ['pipe', 'pipe', 'pipe'] });
    expect({ status: piped.status, stdout: piped.stdout, stderr: piped.stderr }).toEqual({
      status: 2, stdout: '',
      stderr: 'irpscope: browse needs a terminal (stdin and stdout must be a TTY); for pipes and scripts use irpscope incidents / ioctls / show / sql with --json or --csv\n',
    });
    const view = spawnSync(process.execPath, [MAIN, 'browse', '--view', 'bukets'], { encoding: 'utf8' });
    expect({ status: view.status, stderr: view.stderr }).toEqual({ status: 2, stderr: 'irpscope: --view: expected one of incidents, buckets, ioctls, traces, sources, timeline, sql, got "bukets"\n' });
  });
});
