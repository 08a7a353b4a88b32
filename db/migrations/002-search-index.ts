/**
 * Migration 2: full-text search (FTS5) over messages, symbols and paths. A database made by migration 1 already
 * holds rows, so the index is filled from them here, with the same text builders ingest uses (called from SQL).
 */
import type Database from 'better-sqlite3';
import type { Migration } from './index.js';
import { eventSearchText, incidentSearchText, irpSearchText } from '../search-text.js';

function backfill(db: Database.Database): void {
  db.function('irpscope_incident_words', { deterministic: true, varargs: true }, (...v: unknown[]) => incidentSearchText({
    name: v[0] as string | null, image: v[1] as string | null, module: v[2] as string | null, symbol: v[3] as string | null,
    failureBucket: v[4] as string | null, bugcheckStr: v[5] as string | null, process: v[6] as string | null, probablyCausedBy: v[7] as string | null,
  }));
  db.function('irpscope_event_words', { deterministic: true }, (record: unknown) => eventSearchText(JSON.parse(record as string) as Record<string, unknown>));
  db.function('irpscope_irp_words', { deterministic: true }, (driver: unknown, major: unknown, locations: unknown) =>
    irpSearchText(driver as string | null, major as string | null, JSON.parse(locations as string) as { driver: string | null; completionRoutine: string | null }[]));
  db.function('irpscope_code_words', { deterministic: true }, (names: unknown) => (JSON.parse(names as string) as { name: string }[]).map((n) => n.name).join(' ') || null);
  db.exec(`
    INSERT INTO search_index (body, kind, source_id, line, ref_id) SELECT path, 'source', id, 1, id FROM sources;
    INSERT INTO search_index (body, kind, source_id, line, ref_id)
      SELECT * FROM (SELECT irpscope_incident_words(name, image, module, symbol, failure_bucket, bugcheck_str, process, probably_caused_by) AS body,
        'incident', source_id, line, id FROM incidents) WHERE body IS NOT NULL;
    INSERT INTO search_index (body, kind, source_id, line, ref_id)
      SELECT CASE WHEN source_file IS NULL THEN symbol ELSE symbol || ' ' || source_file END, 'frame', source_id, line, id FROM frames;
    INSERT INTO search_index (body, kind, source_id, line, ref_id)
      SELECT * FROM (SELECT irpscope_irp_words(r.driver, r.major_function,
          (SELECT json_group_array(json_object('driver', l.driver, 'completionRoutine', l.completion_routine)) FROM stack_locations l WHERE l.irp_id = r.id)) AS body,
        'irp', r.source_id, r.line, r.id FROM irps r) WHERE body IS NOT NULL;
    INSERT INTO search_index (body, kind, source_id, line, ref_id)
      SELECT * FROM (SELECT irpscope_event_words(record) AS body, 'event', source_id, line, id FROM events) WHERE body IS NOT NULL;
    INSERT INTO search_index (body, kind, source_id, line, ref_id)
      SELECT * FROM (SELECT irpscope_code_words(names) AS body, 'ioctl', NULL, NULL, code FROM ioctl_codes) WHERE body IS NOT NULL;
    INSERT INTO search_index (body, kind, source_id, line, ref_id) SELECT text, 'skipped', source_id, line, id FROM skipped_lines;
  `);
}

export const searchIndex: Migration = {
  version: 2,
  name: 'search-index',
  // kind says which table ref_id points into: source, incident, frame, irp, event, ioctl (ioctl_codes.code), skipped.
  sql: `
CREATE VIRTUAL TABLE search_index USING fts5 (body, kind UNINDEXED, source_id UNINDEXED, line UNINDEXED, ref_id UNINDEXED);
`,
  after: backfill,
};
