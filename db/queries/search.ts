/**
 * Full-text search over messages, symbols and paths: FTS5 on SQLite, a tsvector with a GIN index on PostgreSQL
 * (migration 2). Both split text into runs of letters and digits, so a word matches the same rows on both; the
 * ranking and the snippet are each server's own (bm25 against ts_rank; FTS5's snippet against one cut here).
 */
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

const INCIDENT_OF_HIT = `CASE h.kind WHEN 'incident' THEN h.ref_id
        WHEN 'frame' THEN (SELECT incident_id FROM frames WHERE id = h.ref_id)
        WHEN 'irp' THEN (SELECT incident_id FROM irps WHERE id = h.ref_id)
        WHEN 'event' THEN (SELECT incident_id FROM events WHERE id = h.ref_id) END`;

/** Runs of letters and digits: the words both backends index (FTS5's unicode61 tokenizer splits the same way). */
function words(text: string): string[] {
  return text.split(/[^\p{L}\p{N}]+/u).filter(Boolean);
}

/**
 * FTS5's snippet(search_index, 0, '[', ']', '...', 12), cut the same way on PostgreSQL's rows. Facts from SQLite's
 * fts5_aux.c: each hit proposes a 12-token window scored 1000 for each phrase's first hit in it and 1 for each
 * other, shifted so that its hits sit in the middle; a window that starts a sentence (the text's first token, or a
 * token after ". ") gets 120 (at the start) or 100 more; the best score wins, the first one on a tie. Phrase hits
 * are bracketed whole; "..." marks a cut at either end.
 */
export function snippetOf(body: string, phrases: readonly (readonly string[])[]): string {
  const NTOKEN = 12;
  const tokens = [...body.matchAll(/[\p{L}\p{N}]+/gu)].map((m) => ({ start: m.index, end: m.index + m[0].length, word: m[0].toLowerCase() }));
  const n = tokens.length;
  if (n === 0) return body;
  const hits: { phrase: number; at: number; size: number }[] = [];
  phrases.forEach((phrase, p) => {
    const wanted = phrase.map((w) => w.toLowerCase());
    if (wanted.length === 0) return;
    for (let i = 0; i + wanted.length <= n; i++) if (wanted.every((w, k) => tokens[i + k]!.word === w)) hits.push({ phrase: p, at: i, size: wanted.length });
  });
  hits.sort((x, y) => x.at - y.at || x.phrase - y.phrase);
  const sentences = tokens.map((t, i) => i).filter((i) => i === 0 || /\.\s+$/.test(body.slice(tokens[i - 1]!.end, tokens[i]!.start)));
  const score = (from: number): { score: number; adjusted: number } => {
    const seen = new Set<number>();
    let total = 0;
    let first = -1;
    let last = 0;
    for (const h of hits) {
      if (h.at < from || h.at >= from + NTOKEN) continue;
      total += seen.has(h.phrase) ? 1 : 1000;
      seen.add(h.phrase);
      if (first < 0) first = h.at;
      last = h.at + h.size;
    }
    let adjusted = first - Math.trunc((NTOKEN - (last - first)) / 2);
    if (adjusted + NTOKEN > n) adjusted = n - NTOKEN;
    return { score: total, adjusted: Math.max(0, adjusted) };
  };
  let best = 0;
  let start = 0;
  if (n > NTOKEN) {
    for (const h of hits) {
      const own = score(h.at);
      if (own.score > best) {
        best = own.score;
        start = own.adjusted;
      }
      let jj = 0;
      while (jj < sentences.length - 1 && sentences[jj + 1]! <= h.at) jj++;
      const sentence = sentences[jj]!;
      if (sentence < h.at) {
        const bonus = score(sentence).score + (sentence === 0 ? 120 : 100);
        if (bonus > best) {
          best = bonus;
          start = sentence;
        }
      }
    }
  }
  const end = Math.min(n, start + NTOKEN);
  const opens = new Set<number>();
  const closes = new Set<number>();
  for (const h of hits) {
    if (h.at >= start && h.at < end) {
      opens.add(h.at);
      closes.add(Math.min(end, h.at + h.size) - 1);
    }
  }
  let out = start > 0 ? '...' : '';
  let at = start > 0 ? tokens[start]!.start : 0;
  let open = 0;
  for (let i = start; i < end; i++) {
    const t = tokens[i]!;
    out += body.slice(at, t.start);
    if (opens.has(i) && open++ === 0) out += '[';
    out += body.slice(t.start, t.end);
    if (closes.has(i) && open > 0) {
      open = 0;
      out += ']';
    }
    at = t.end;
  }
  return end < n ? `${out}...` : out + body.slice(at);
}

/** PostgreSQL: each word of the text is a phrase of its letter-and-digit runs, all of them required (as ftsQuery). */
function searchPostgres(db: Connection, text: string, options: { limit?: number; raw?: boolean }): Record<string, unknown>[] {
  const phrases = options.raw ? [] : text.trim().split(/\s+/).map((w) => words(w).join(' ')).filter(Boolean);
  if (!options.raw && phrases.length === 0) return [];
  const query = options.raw
    ? "websearch_to_tsquery('simple', :raw)"
    : phrases.map((_, i) => `phraseto_tsquery('simple', :p${i})`).join(' && ');
  const params: Record<string, unknown> = { limit: options.limit ?? 50, raw: text };
  phrases.forEach((p, i) => { params[`p${i}`] = p; });
  const rows = db.prepare(`
    SELECT h.kind, h.ref_id, h.line, s.path, h.body, ${INCIDENT_OF_HIT} AS incident_id
    FROM (SELECT kind, ref_id, line, source_id, body, ts_rank(words, wanted.q, 2) AS rank, rowid
          FROM search_index, (SELECT ${query} AS q) AS wanted WHERE words @@ wanted.q ORDER BY rank DESC, rowid LIMIT :limit) h
    LEFT JOIN sources s ON s.id = h.source_id
    ORDER BY h.rank DESC, h.rowid`).all(params) as Record<string, unknown>[];
  const wanted = options.raw ? words(text).map((w) => [w]) : phrases.map((p) => p.split(' '));
  return rows.map((r) => ({ ...r, snippet: snippetOf(r.body as string, wanted) }));
}

export function searchText(db: Connection, text: string, options: { limit?: number; raw?: boolean } = {}): SearchHit[] {
  const match = options.raw ? text : ftsQuery(text);
  if (match.trim() === '') return [];
  const rows = db.dialect === 'postgres' ? searchPostgres(db, text, options) : db.prepare(`
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
