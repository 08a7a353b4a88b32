/**
 * Migration 3: crash signatures (buckets) and the driver versions a source printed.
 *
 * A signature is computed from an incident by a versioned rule set (`rules/`, src/signature/). The rule set's text
 * is stored with its version, so `buckets --explain` can show the rules that built an old signature, and a changed
 * rule set never regroups history until `irpscope resignature` is asked to.
 *
 * Driver versions come from the text itself: IMAGE_VERSION in an analysis, `lmvm` output (File version), verifier
 * lines and Process Monitor's Version column. One row per (source, driver, version, where it was printed); the
 * version of a driver for an incident or an IOCTL occurrence is the one its source printed for that driver.
 */
import type { Migration } from './index.js';
import { signUnsigned } from '../signatures.js';
import { backfillImageVersions } from '../driver-versions.js';

export const signaturesAndVersions: Migration = {
  version: 3,
  name: 'signatures-and-versions',
  sql: `
CREATE TABLE rule_sets (
  -- "<builtin version>" or "<builtin version>+<team digest prefix>" when a --rules DIR was added.
  version TEXT PRIMARY KEY,
  -- sha256 of the rule text as loaded (every file, in load order, with its name).
  digest TEXT NOT NULL,
  -- The rule files' text as loaded (JSON: [{ "file", "text" }]), so an old signature can be explained later.
  rules TEXT NOT NULL,
  first_used_at TEXT NOT NULL
) STRICT;

CREATE TABLE incident_signatures (
  incident_id INTEGER PRIMARY KEY REFERENCES incidents (id),
  -- The readable signature, e.g. "0xC9/0x7 | mydrv!MyCompleteRequest | IRP_MJ_DEVICE_CONTROL 0x222004".
  signature TEXT NOT NULL,
  -- First 12 hex digits of sha256(signature): what people type (--bucket 3f2a9c01b7de).
  signature_id TEXT NOT NULL,
  rule_version TEXT NOT NULL REFERENCES rule_sets (version),
  -- JSON: the parts the signature was built from (code, subcode, module, symbol, ioctl, major, status, frames).
  parts TEXT NOT NULL,
  -- JSON: frame by frame, kept or skipped and by which rule (file:line).
  explanation TEXT NOT NULL,
  signed_at TEXT NOT NULL
) STRICT;
CREATE INDEX incident_signatures_by_id ON incident_signatures (signature_id);
CREATE INDEX incident_signatures_by_signature ON incident_signatures (signature);

CREATE TABLE driver_versions (
  id INTEGER PRIMARY KEY,
  source_id INTEGER NOT NULL REFERENCES sources (id),
  line INTEGER NOT NULL,
  incident_id INTEGER REFERENCES incidents (id),
  -- The driver as printed (mydrv.sys) and its key (mydrv: lower case, no extension), as elsewhere.
  driver TEXT NOT NULL,
  driver_key TEXT NOT NULL,
  version TEXT NOT NULL,
  -- Where the version was read: 'image_version' (analysis), 'lmvm', 'verifier', 'procmon'.
  via TEXT NOT NULL
) STRICT;
CREATE INDEX driver_versions_by_driver ON driver_versions (driver_key, version);
CREATE INDEX driver_versions_by_source ON driver_versions (source_id, driver_key);
`,
  // A database from before this schema already holds incidents: they are signed with the built-in rules, so
  // `buckets` covers the whole history from the first run.
  after: (db) => {
    signUnsigned(db);
    backfillImageVersions(db);
  },
};
