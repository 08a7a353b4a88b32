/**
 * Records -> driver_versions rows: which version of a driver (or other image) a source printed, and where. The
 * rows are what `irpscope compare --build` matches on (db/queries/compare.ts); docs/schema.md, "driver_versions",
 * says what is and is not read, and why.
 *
 * - `lmvm` / `lm vm` (a ModuleVersion record): the entry's `File version:` for its `Image name:` (else the module
 *   name). An entry that prints no File version (an image the dump does not hold) gives no row.
 * - IMAGE_VERSION of `!analyze -v` ('image_version'): the incident's IMAGE_NAME (else MODULE_NAME), at the
 *   incident's line (the bugcheck record does not keep the line of the key itself).
 * - Process Monitor ('procmon'): the optional Version column is the version of the process's own image (the row's
 *   Image Path, else Process Name), so it is kept for that image, once per source and version. It is never taken
 *   as the version of the driver a `Load Image` row names: on those rows the column still describes the loading
 *   process (System), not the driver file.
 * - Driver Verifier text (`!verifier`, verifier bugchecks) prints module names and pool counters but no version;
 *   a verifier crash's version arrives through its analysis' IMAGE_VERSION. Nothing is read as 'verifier'.
 *
 * Rows are written with the source's other rows, in its transaction; the ingest links them to incidents (the crash
 * printed before them, else the first) the way it links every other table.
 */
import type { ModuleVersion } from '../src/records/index.js';
import type { ProcmonEvent } from '../src/records/procmon.js';
import type { Connection } from './store.js';
import { driverKey } from './column-values.js';

export type VersionVia = 'image_version' | 'lmvm' | 'procmon';

interface TypedRecord {
  readonly type: string;
  readonly line: number;
}

export class DriverVersionWriter {
  private readonly insert;
  /** Procmon prints the version on every row of a process: one row per (image, version) per source is enough. */
  private readonly seenProcmon = new Set<string>();

  constructor(db: Connection, private readonly sourceId: number) {
    this.insert = db.prepare('INSERT INTO driver_versions (source_id, line, incident_id, driver, driver_key, version, via) VALUES (?, ?, ?, ?, ?, ?, ?)');
  }

  /** Whether a row was written (a blank version or a missing driver gives none). */
  private write(line: number, incidentId: number | null, driver: string | null, version: string | null, via: VersionVia): boolean {
    const v = version?.trim() ?? '';
    const key = driverKey(driver);
    if (v === '' || key === null) return false;
    this.insert.run(this.sourceId, line, incidentId, driver!.trim(), key, v, via);
    return true;
  }

  fromRecord(record: TypedRecord): void {
    if (record.type === 'moduleVersion') {
      const m = record as ModuleVersion;
      this.write(m.line, null, m.imageName ?? m.module, m.fileVersion, 'lmvm');
    } else if (record.type === 'procmonEvent') {
      const p = record as ProcmonEvent;
      const version = p.attributes.Version;
      if (!version) return;
      const image = p.attributes['Image Path'] || p.process;
      const seen = `${driverKey(image)}\u0000${version}`;
      if (this.seenProcmon.has(seen)) return;
      this.seenProcmon.add(seen);
      this.write(p.line, null, image, version, 'procmon');
    }
  }

  fromIncident(incidentId: number, line: number, image: string | null, version: string | null): boolean {
    return this.write(line, incidentId, image, version, 'image_version');
  }
}

/**
 * Migration 3's backfill: the IMAGE_VERSION rows a database written before driver_versions existed would have got
 * (the incidents kept the version; the lmvm and Procmon rows need the text again, so only a re-ingest adds those).
 */
export function backfillImageVersions(db: Connection): number {
  const writers = new Map<number, DriverVersionWriter>();
  let rows = 0;
  const incidents = db.prepare(`SELECT id, source_id, line, coalesce(image, module) AS image, driver_version FROM incidents
    WHERE driver_version IS NOT NULL AND id NOT IN (SELECT incident_id FROM driver_versions WHERE via = 'image_version' AND incident_id IS NOT NULL) ORDER BY id`)
    .all() as { id: bigint; source_id: bigint; line: bigint; image: string | null; driver_version: string }[];
  for (const i of incidents) {
    const source = Number(i.source_id);
    let writer = writers.get(source);
    if (!writer) writers.set(source, (writer = new DriverVersionWriter(db, source)));
    if (writer.fromIncident(Number(i.id), Number(i.line), i.image, i.driver_version)) rows++;
  }
  return rows;
}
