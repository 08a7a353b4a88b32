/** Full-text search over messages, symbols and paths (FTS5). */
import type { Connection } from '../store.js';
import { num, numOrNull } from './values.js';

export interface SearchHit {
  /** Which table the hit is in: source, incident, frame, irp, event, ioctl, skipped. */
  readonly kind: string;
  /** incidents.id, frames.id, ... (for kind "ioctl" the code). */
  readonly ref: number;
  readonly source: string | null;
  readonly line: number | null;
  readonly incident: number | null;
  readonly snippet: string;
}

/** Each word of the user's text becomes a quoted FTS5 phrase: `mydrv!Dispatch+0x12` searches for what it says. */
export function ftsQuery(text: string): string {
  const words = text.trim().split(/\s+/).filter(Boolean);
  return words.map((w) => `"${w.replace(/"/g, '""')}"`).join(' ');
}

export function searchText(db: Connection, text: string, options: { limit?: number; raw?: boolean } = {}): SearchHit[] {
  const match = options.raw ? text : ftsQuery(text);
  if (match.trim() === '') return [];
  const rows = db.prepare(`
    SELECT h.kind, h.ref_id, h.line, s.path, h.snippet,
      CASE h.kind WHEN 'incident' THEN h.ref_id
        WHEN 'frame' THEN (SELECT incident_id FROM frames WHERE id = h.ref_id)
        WHEN 'irp' THEN (SELECT incident_id FROM irps WHERE id = h.ref_id)
        WHEN 'event' THEN (SELECT incident_id FROM events WHERE id = h.ref_id) END AS incident_id
    FROM (SELECT kind, ref_id, line, source_id, snippet(search_index, 0, '[', ']', '...', 12) AS snippet, rank
          FROM search_index WHERE search_index MATCH :match ORDER BY rank LIMIT :limit) h
    LEFT JOIN sources s ON s.id = h.source_id
    ORDER BY h.rank`).all({ match, limit: options.limit ?? 50 }) as Record<string, unknown>[];
  return rows.map((r) => ({
    kind: r.kind as string,
    ref: num(r.ref_id),
    source: (r.path as string | null) ?? null,
    line: numOrNull(r.line),
    incident: numOrNull(r.incident_id),
    snippet: r.snippet as string,
  }));
}
