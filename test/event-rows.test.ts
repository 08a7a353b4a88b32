/**
 * ETW records are stored compact in `events.record` (the fields the row's columns already hold, and nulls, left out:
 * db/event-rows.ts); every reader gets the whole record back. These tests ingest the bundled ETW and Procmon samples
 * and check, row by row, that what the readers hand on is exactly what the parser produced.
 */
import { describe, expect, it } from 'vitest';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openStore } from '../db/store.js';
import { ingestFile } from '../db/ingest.js';
import { storedRecord, storedRecordJson, type StoredEventRow } from '../db/event-rows.js';
import { selectPage, traceKeyset } from '../db/queries/pages.js';
import { selectIncident } from '../db/queries/show.js';
import { parseText } from '../parsers/pipeline.js';
import type { ParsedRecord } from '../src/records/index.js';

const root = resolve(fileURLToPath(new URL('..', import.meta.url)));
const fresh = (): string => join(mkdtempSync(join(tmpdir(), 'irpscope-event-rows-')), 'store.db');

/** Record types written to a table of their own, not to `events`. */
const OWN_TABLE = new Set(['irp', 'ioctl', 'frame', 'verifierFlag']);
const COMPACT_TYPES = new Set(['driverIrp', 'diskIo', 'fileIo', 'event']);

const inputs = (folder: string): string[] => readdirSync(join(root, folder)).filter((f) => /\.(csv|txt)$/.test(f)).map((f) => join(root, folder, f));

const FILES = [...inputs('samples/etw'), ...inputs('samples/procmon'), join(root, 'samples/correlated/trace-mydrv.csv'), ...inputs('test/fixtures/etw'), ...inputs('test/fixtures/procmon')];

async function eventRecords(file: string): Promise<ParsedRecord[]> {
  const { records } = await parseText(readFileSync(file), undefined, file);
  return records.filter((r) => !OWN_TABLE.has(r.type));
}

describe('events.record', () => {
  it.each(FILES.map((f) => [f.slice(root.length + 1), f]))('%s: every row reads back as the parsed record, to the byte', async (_name, file) => {
    const expected = await eventRecords(file);
    const store = openStore(fresh());
    try {
      const { sourceId } = await ingestFile(store, file);
      const rows = store.db.prepare('SELECT * FROM events WHERE source_id = ? ORDER BY id').all(sourceId) as StoredEventRow[];
      expect(rows.map((r) => storedRecordJson(r))).toEqual(expected.map((r) => JSON.stringify(r)));
      expect(rows.map((r) => storedRecord(r))).toEqual(expected);
      // The compact form is what was stored for every ETW record of a fixed shape (no "type" key), and only for them.
      const compact = rows.filter((r) => !String(r.record).startsWith('{"type":')).length;
      expect(compact).toBe(expected.filter((r) => COMPACT_TYPES.has(r.type)).length);
      // The trace view (TUI) hands on the whole record too.
      const page = selectPage(store.db, traceKeyset(sourceId), { from: 'first' }, 10_000);
      expect(page.rows.map((r) => r.values.record)).toEqual(expected.map((r) => JSON.stringify(r)));
    } finally {
      store.close();
    }
  });

  it('stores an ETW record in about half the bytes, leaving out only what the columns give back', async () => {
    const file = join(root, 'samples/etw/tracerpt-driver-irp.csv');
    const store = openStore(fresh());
    try {
      const { sourceId } = await ingestFile(store, file);
      const row = store.db.prepare("SELECT * FROM events WHERE source_id = ? AND type = 'driverIrp' ORDER BY id LIMIT 1").get(sourceId) as StoredEventRow;
      const whole = storedRecord(row) as Record<string, unknown>;
      const stored = JSON.parse(String(row.record)) as Record<string, unknown>;
      // Left out: the fields the columns hold (type, line, time three ways, pid, tid, IRP, FileObject, event) and nulls.
      for (const key of Object.keys(stored)) expect(stored[key]).toEqual(whole[key]);
      expect(Object.keys(stored).filter((k) => ['type', 'line', 'time', 'isoTime', 'timeText', 'pid', 'tid', 'irp', 'event'].includes(k))).toEqual([]);
      expect(Object.values(stored).filter((v) => v === null)).toEqual([]);
      expect(whole.event).toBe(row.name);
      expect(whole.irp).toBe(row.irp);
      expect(String(row.record).length).toBeLessThan(0.75 * JSON.stringify(whole).length);
    } finally {
      store.close();
    }
  });

  it('irpscope show: the ETW events of the IRP that crashed carry their whole records', async () => {
    const crash = join(root, 'samples/correlated/crash-mydrv.txt');
    const trace = join(root, 'samples/correlated/trace-mydrv.csv');
    const traced = await eventRecords(trace);
    const store = openStore(fresh());
    try {
      const { sourceId } = await ingestFile(store, crash);
      await ingestFile(store, trace);
      const incidentId = Number((store.db.prepare('SELECT id FROM incidents WHERE source_id = ? ORDER BY id LIMIT 1').get(sourceId) as { id: bigint }).id);
      const detail = selectIncident(store.db, incidentId)!;
      const shown = detail.lifetimes.flatMap((l) => l.events);
      expect(shown.length).toBeGreaterThan(1);
      for (const event of shown) expect(event.record).toEqual(traced.find((r) => r.line === event.line && r.type === event.type));
    } finally {
      store.close();
    }
  });
});
