/** A store built from samples/ (what `npm start` ingests), for the browse tests. */
import { freshStoreLocation } from './backend.js';
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { openStore, type Store } from '../db/store.js';
import { ingestInputs } from '../src/cli/ingest-command.js';

export const SAMPLES = resolve('samples');

export async function samplesStore(prefix: string): Promise<{ dir: string; store: Store; path: string }> {
  const dir = mkdtempSync(join(tmpdir(), `irpscope-${prefix}-`));
  const path = freshStoreLocation(`irpscope-${prefix}-db-`, 'samples.db');
  const store = openStore(path);
  const folders = readdirSync(SAMPLES, { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => join(SAMPLES, e.name)).sort();
  await ingestInputs(store, folders);
  // The ingest time is the wall clock: fixed here so frames that show it are the same on every run.
  store.db.prepare("UPDATE sources SET ingested_at = '2026-01-02T03:04:05.000Z'").run();
  return { dir, store, path };
}
