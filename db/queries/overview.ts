/** "What is in this store?": sources, incidents, IOCTL occurrences, signed incidents and the time they span. */
import type { Connection } from '../store.js';
import { num, timeOf } from './values.js';

export interface StoreOverview {
  readonly sources: number;
  readonly incidents: number;
  /** Incidents without a time: counted here, absent from any timeline. */
  readonly untimedIncidents: number;
  /** Incidents with a row in incident_signatures (the rest have not been signed yet). */
  readonly signedIncidents: number;
  readonly buckets: number;
  readonly ioctlOccurrences: number;
  readonly ioctlFailures: number;
  /** The first and last incident time, ISO UTC; null when no incident has one. */
  readonly firstIncident: string | null;
  readonly lastIncident: string | null;
}

export function selectOverview(db: Connection): StoreOverview {
  const r = db.prepare(`SELECT
      (SELECT count(*) FROM sources) AS sources,
      (SELECT count(*) FROM incidents) AS incidents,
      (SELECT count(*) FROM incidents WHERE time_ticks IS NULL) AS untimed,
      (SELECT count(*) FROM incident_signatures) AS signed,
      (SELECT count(DISTINCT signature_id) FROM incident_signatures) AS buckets,
      (SELECT count(*) FROM ioctl_occurrences) AS occurrences,
      (SELECT count(*) FROM ioctl_occurrences WHERE failed = 1) AS failures,
      (SELECT min(time_ticks) FROM incidents) AS first_ticks,
      (SELECT max(time_ticks) FROM incidents) AS last_ticks`).get() as Record<string, unknown>;
  return {
    sources: num(r.sources),
    incidents: num(r.incidents),
    untimedIncidents: num(r.untimed),
    signedIncidents: num(r.signed),
    buckets: num(r.buckets),
    ioctlOccurrences: num(r.occurrences),
    ioctlFailures: num(r.failures),
    firstIncident: timeOf(r.first_ticks, null),
    lastIncident: timeOf(r.last_ticks, null),
  };
}
