/**
 * Migration 1: the first schema. Sources, incidents, IRPs and their stack locations, IOCTL occurrences, frames,
 * verifier flags, generic events, skipped lines, and the IRP lifetimes that correlation links rows to.
 *
 * Conventions (docs/schema.md): 64-bit values (pointers, bugcheck arguments) are TEXT "0x" + 16 upper-case hex
 * digits, because unsigned kernel pointers such as 0xFFFFE0012B4C8010 do not fit a signed SQLite INTEGER; 32-bit
 * codes (IOCTL, NTSTATUS, bugcheck) are INTEGER; times are FILETIME ticks (100 ns since 1601-01-01 UTC) as
 * INTEGER beside the text the source printed. Every row carries source_id + line. STRICT tables: SQLite itself
 * refuses a float or a string where an INTEGER belongs.
 */
import type { Migration } from './index.js';

// The CHECK keeps every writer (ours, or someone's own script) to the one spelling that compares and sorts.
const POINTER = (column: string): string =>
  `${column} TEXT CHECK (${column} IS NULL OR (length(${column}) = 18 AND substr(${column}, 1, 2) = '0x' AND NOT substr(${column}, 3) GLOB '*[^0-9A-F]*'))`;

export const firstSchema: Migration = {
  version: 1,
  name: 'first-schema',
  sql: `
CREATE TABLE sources (
  id INTEGER PRIMARY KEY,
  path TEXT NOT NULL,
  content_hash TEXT NOT NULL,
  size_bytes INTEGER NOT NULL,
  format TEXT NOT NULL,
  format_reason TEXT NOT NULL,
  encoding TEXT NOT NULL,
  ingested_at TEXT NOT NULL,
  line_count INTEGER NOT NULL,
  record_count INTEGER NOT NULL,
  skipped_count INTEGER NOT NULL,
  UNIQUE (content_hash, format)
) STRICT;
CREATE INDEX sources_by_path ON sources (path);

CREATE TABLE incidents (
  id INTEGER PRIMARY KEY,
  source_id INTEGER NOT NULL REFERENCES sources (id),
  line INTEGER NOT NULL,
  incident_no INTEGER NOT NULL,
  via TEXT NOT NULL,
  bugcheck_code INTEGER,
  name TEXT,
  ${POINTER('arg1')},
  ${POINTER('arg2')},
  ${POINTER('arg3')},
  ${POINTER('arg4')},
  parameters TEXT NOT NULL,
  cases TEXT NOT NULL,
  image TEXT,
  module TEXT,
  symbol TEXT,
  failure_bucket TEXT,
  failure_hash TEXT,
  bugcheck_str TEXT,
  process TEXT,
  probably_caused_by TEXT,
  driver_version TEXT,
  os_build TEXT,
  time_ticks INTEGER,
  time_text TEXT,
  ${POINTER('irp')},
  details TEXT NOT NULL,
  UNIQUE (source_id, incident_no)
) STRICT;
CREATE INDEX incidents_by_source ON incidents (source_id, line);
CREATE INDEX incidents_by_time ON incidents (time_ticks);
CREATE INDEX incidents_by_code ON incidents (bugcheck_code);

CREATE TABLE irp_lifetimes (
  id INTEGER PRIMARY KEY,
  source_id INTEGER NOT NULL REFERENCES sources (id),
  ${POINTER('irp')} NOT NULL,
  first_ticks INTEGER NOT NULL,
  last_ticks INTEGER NOT NULL,
  first_line INTEGER NOT NULL,
  ${POINTER('file_object')},
  driver_key TEXT,
  row_count INTEGER NOT NULL,
  completed INTEGER NOT NULL
) STRICT;
CREATE INDEX irp_lifetimes_by_irp ON irp_lifetimes (irp, source_id);

CREATE TABLE irps (
  id INTEGER PRIMARY KEY,
  source_id INTEGER NOT NULL REFERENCES sources (id),
  line INTEGER NOT NULL,
  incident_id INTEGER REFERENCES incidents (id),
  via TEXT NOT NULL,
  ${POINTER('address')},
  major_function TEXT,
  minor_function TEXT,
  ioctl INTEGER,
  status INTEGER,
  status_name TEXT,
  ${POINTER('device')},
  driver TEXT,
  driver_key TEXT,
  ${POINTER('thread')},
  stack_count INTEGER,
  current_location INTEGER,
  completed INTEGER,
  pending_returned INTEGER,
  -- No declared foreign key: a lifetime row is written when the request closes, after the rows that point at it.
  lifetime_id INTEGER,
  correlation_note TEXT
) STRICT;
CREATE INDEX irps_by_source ON irps (source_id, line);
CREATE INDEX irps_by_address ON irps (address) WHERE address IS NOT NULL;
CREATE INDEX irps_by_incident ON irps (incident_id) WHERE incident_id IS NOT NULL;

CREATE TABLE stack_locations (
  id INTEGER PRIMARY KEY,
  irp_id INTEGER NOT NULL REFERENCES irps (id),
  source_id INTEGER NOT NULL REFERENCES sources (id),
  line INTEGER NOT NULL,
  location INTEGER NOT NULL,
  current INTEGER NOT NULL,
  major INTEGER,
  major_function TEXT,
  minor INTEGER,
  minor_function TEXT,
  flags TEXT,
  control TEXT,
  ${POINTER('device')},
  ${POINTER('file_object')},
  ${POINTER('completion')},
  ${POINTER('context')},
  driver TEXT,
  completion_routine TEXT,
  args TEXT NOT NULL,
  ioctl INTEGER
) STRICT;
CREATE INDEX stack_locations_by_irp ON stack_locations (irp_id);

-- One row per control code seen: the decoding is pure, so it is stored once, not on every occurrence.
CREATE TABLE ioctl_codes (
  code INTEGER PRIMARY KEY,
  hex TEXT NOT NULL,
  name TEXT,
  names TEXT NOT NULL,
  device_type INTEGER NOT NULL,
  device_type_name TEXT,
  function INTEGER NOT NULL,
  method TEXT NOT NULL,
  access TEXT NOT NULL
) STRICT;

CREATE TABLE ioctl_occurrences (
  id INTEGER PRIMARY KEY,
  source_id INTEGER NOT NULL REFERENCES sources (id),
  line INTEGER NOT NULL,
  incident_id INTEGER REFERENCES incidents (id),
  code INTEGER NOT NULL REFERENCES ioctl_codes (code),
  via TEXT NOT NULL,
  major_function TEXT,
  driver TEXT,
  driver_key TEXT,
  ${POINTER('irp')},
  status INTEGER,
  status_text TEXT,
  time_ticks INTEGER,
  time_text TEXT,
  -- 'source' when the record printed its time, 'incident' when it is the crash's debug session time.
  time_from TEXT CHECK (time_from IN ('source', 'incident')),
  process TEXT,
  failed INTEGER NOT NULL,
  -- No declared foreign key: a lifetime row is written when the request closes, after the rows that point at it.
  lifetime_id INTEGER,
  correlation_note TEXT
) STRICT;
CREATE INDEX ioctl_occurrences_by_source ON ioctl_occurrences (source_id, line);
CREATE INDEX ioctl_occurrences_by_code ON ioctl_occurrences (code, time_ticks);
CREATE INDEX ioctl_failures_by_code_driver ON ioctl_occurrences (code, driver_key, time_ticks) WHERE failed = 1;
-- Correlation looks up the rows without a time of their own by address; rows with one belong to a lifetime.
CREATE INDEX ioctl_occurrences_untimed_by_irp ON ioctl_occurrences (irp) WHERE irp IS NOT NULL AND time_from IS NOT 'source';
CREATE INDEX ioctl_occurrences_by_incident ON ioctl_occurrences (incident_id) WHERE incident_id IS NOT NULL;

-- Maintained in the same transaction as the occurrences, so "every IOCTL with counts" never scans them.
CREATE TABLE ioctl_counts (
  code INTEGER NOT NULL REFERENCES ioctl_codes (code),
  driver_key TEXT NOT NULL,
  driver TEXT NOT NULL,
  status INTEGER NOT NULL,
  occurrences INTEGER NOT NULL,
  first_ticks INTEGER,
  last_ticks INTEGER,
  PRIMARY KEY (code, driver_key, status)
) STRICT, WITHOUT ROWID;

CREATE TABLE frames (
  id INTEGER PRIMARY KEY,
  source_id INTEGER NOT NULL REFERENCES sources (id),
  line INTEGER NOT NULL,
  incident_id INTEGER REFERENCES incidents (id),
  incident_no INTEGER,
  frame INTEGER,
  ${POINTER('child_sp')},
  ${POINTER('return_address')},
  args TEXT NOT NULL,
  symbol TEXT NOT NULL,
  module TEXT,
  function TEXT,
  offset TEXT,
  inline INTEGER NOT NULL,
  source_file TEXT,
  annotation TEXT,
  verifier INTEGER NOT NULL
) STRICT;
CREATE INDEX frames_by_incident ON frames (incident_id) WHERE incident_id IS NOT NULL;
CREATE INDEX frames_by_source ON frames (source_id, line);

CREATE TABLE verifier_flags (
  id INTEGER PRIMARY KEY,
  source_id INTEGER NOT NULL REFERENCES sources (id),
  line INTEGER NOT NULL,
  incident_id INTEGER REFERENCES incidents (id),
  form TEXT NOT NULL,
  level INTEGER,
  bit INTEGER,
  name TEXT NOT NULL,
  enabled INTEGER NOT NULL,
  flag_group TEXT
) STRICT;
CREATE INDEX verifier_flags_by_source ON verifier_flags (source_id, line);

-- Every record type without a table of its own (session lines, IRQL transitions, KMDF log lines, ETW and
-- Procmon events, and types added later) lands here: the columns queries filter on, plus the whole record.
CREATE TABLE events (
  id INTEGER PRIMARY KEY,
  source_id INTEGER NOT NULL REFERENCES sources (id),
  line INTEGER NOT NULL,
  incident_id INTEGER REFERENCES incidents (id),
  type TEXT NOT NULL,
  name TEXT,
  time_ticks INTEGER,
  time_text TEXT,
  pid INTEGER,
  tid INTEGER,
  process TEXT,
  ${POINTER('irp')},
  ${POINTER('file_object')},
  driver TEXT,
  driver_key TEXT,
  status INTEGER,
  -- No declared foreign key: a lifetime row is written when the request closes, after the rows that point at it.
  lifetime_id INTEGER,
  correlation_note TEXT,
  record TEXT NOT NULL
) STRICT;
CREATE INDEX events_by_source ON events (source_id, line);
CREATE INDEX events_untimed_by_irp ON events (irp) WHERE irp IS NOT NULL AND time_ticks IS NULL;
CREATE INDEX events_by_lifetime ON events (lifetime_id) WHERE lifetime_id IS NOT NULL;
CREATE INDEX events_by_incident ON events (incident_id) WHERE incident_id IS NOT NULL;

CREATE TABLE skipped_lines (
  id INTEGER PRIMARY KEY,
  source_id INTEGER NOT NULL REFERENCES sources (id),
  line INTEGER NOT NULL,
  reason TEXT NOT NULL,
  text TEXT NOT NULL
) STRICT;
CREATE INDEX skipped_lines_by_source ON skipped_lines (source_id, line);
`,
};
