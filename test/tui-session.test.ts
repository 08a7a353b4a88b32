/** A browse session against a real store, without rendering: export, SQL off the render path, cancel. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Store } from '../db/store.js';
import { BrowserSession } from '../src/tui/session.js';
import type { PressedKey } from '../src/tui/keys.js';
import { samplesStore } from './tui-store.js';

let dir: string;
let store: Store;

beforeAll(async () => {
  ({ dir, store } = await samplesStore('session'));
});

afterAll(() => {
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

function session(): { s: BrowserSession; press: (input: string, key?: PressedKey) => void } {
  const s = new BrowserSession(store.db, store.location, 80, 24);
  s.send({ type: 'start', view: 'incidents', traceSource: 2, empty: false });
  return { s, press: (input, key = {}) => s.send({ type: 'input', input, key }) };
}

async function settle(s: BrowserSession): Promise<void> {
  for (let i = 0; i < 500 && s.state.task; i++) await sleep(20);
}

describe('browse session', () => {
  it('exports the current view, filter applied, as CSV and as JSON, and never overwrites', () => {
    const { s, press } = session();
    press('f');
    press('bugcheck=0x9f');
    press('', { return: true });
    const csv = join(dir, 'incidents.csv');
    press('e');
    s.send({ type: 'input', input: 'u', key: { ctrl: true } });
    press(csv);
    press('', { return: true });
    expect(s.state.message).toEqual({ text: `wrote 2 rows to ${csv}`, tone: 'info' });
    expect(readFileSync(csv, 'utf8')).toBe([
      'id,time,code,name,module,ioctl,source',
      '6,,0x0000009F,DRIVER_POWER_STATE_FAILURE,,,openzfs-562.txt:1',
      '5,,0x0000009F,DRIVER_POWER_STATE_FAILURE,pci,,kvm-guest-drivers-windows-27.txt:8',
      '',
    ].join('\n'));
    const json = join(dir, 'incidents.json');
    press('e');
    s.send({ type: 'input', input: 'u', key: { ctrl: true } });
    press(json);
    press('', { return: true });
    expect(JSON.parse(readFileSync(json, 'utf8'))[1]).toEqual({ id: '5', time: '', code: '0x0000009F', name: 'DRIVER_POWER_STATE_FAILURE', module: 'pci', ioctl: '', source: 'kvm-guest-drivers-windows-27.txt:8' });
    press('e');
    s.send({ type: 'input', input: 'u', key: { ctrl: true } });
    press(json);
    press('', { return: true });
    expect(s.state.message).toEqual({ text: `${json} exists: choose another name (export never overwrites)`, tone: 'error' });
  });

  it('runs SQL on a worker, refuses writes, and Esc stops a query that would never end', async () => {
    const { s, press } = session();
    press(';');
    press('SELECT count(*) AS n FROM incidents');
    press('', { return: true });
    expect(s.state.task?.kind).toBe('sql');
    await settle(s);
    expect({ columns: s.state.sql.columns, rows: s.state.lists.sql.rows.map((r) => r.values), note: s.state.sql.note }).toEqual({ columns: ['n'], rows: [{ n: 7 }], note: '1 row' });

    press(';');
    s.send({ type: 'input', input: 'u', key: { ctrl: true } });
    press('DELETE FROM sources');
    press('', { return: true });
    await settle(s);
    expect(s.state.message).toEqual({ text: 'the SQL view is read-only: only statements that return rows (SELECT, WITH, EXPLAIN, read-only PRAGMAs) are run; to add data use irpscope ingest', tone: 'error' });
    expect(Number((store.db.prepare('SELECT count(*) AS n FROM sources').get() as { n: bigint }).n)).toBe(14);

    press(';');
    s.send({ type: 'input', input: 'u', key: { ctrl: true } });
    press('WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT count(*) FROM c');
    press('', { return: true });
    await sleep(400);
    expect(s.state.task).toEqual({ kind: 'sql', label: 'running the query', request: s.state.task!.request });
    press('', { escape: true });
    expect({ task: s.state.task, message: s.state.message }).toEqual({ task: null, message: { text: 'cancelled: running the query', tone: 'info' } });

    // A fresh worker answers the next query.
    press(';');
    s.send({ type: 'input', input: 'u', key: { ctrl: true } });
    press("SELECT 'after cancel' AS x");
    press('', { return: true });
    await settle(s);
    expect(s.state.lists.sql.rows.map((r) => r.values)).toEqual([{ x: 'after cancel' }]);
    s.close();
  });
});
