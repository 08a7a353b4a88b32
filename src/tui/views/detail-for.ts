/** Which detail lines the selected row of each view opens. */
import type { PageRow } from '../../../db/queries/pages.js';
import { bucketLines, incidentLines, periodLines, ioctlRowLines, sourceRowLines, traceRowLines, type DetailLine } from '../detail.js';
import type { BrowserSession } from '../session.js';
import type { ViewId } from '../state/browser.js';

export function detailFor(session: BrowserSession, view: ViewId, row: PageRow | null): DetailLine[] | null {
  if (!row) return null;
  const db = session.db;
  switch (view) {
    case 'incidents': return incidentLines(db, Number(row.values.id));
    case 'buckets': return bucketLines(db, String(row.values.signatureId));
    case 'timeline': return periodLines(db, row.values, session.state.filters.timeline.filter);
    case 'ioctls': return ioctlRowLines(db, row.values);
    case 'sources': return sourceRowLines(db, row.values);
    case 'traces': {
      const source = db.prepare('SELECT path FROM sources WHERE id = ?').get(session.state.traceSource) as { path: string } | undefined;
      return traceRowLines(db, row.values, source?.path ?? null);
    }
    case 'sql': return null;
  }
}
