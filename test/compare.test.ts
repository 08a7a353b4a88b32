/**
 * Driver versions at ingest (driver_versions rows from lmvm, IMAGE_VERSION and Procmon's Version column) and
 * `irpscope compare` through the real binary (dist/, built by `npm test` first) on test/fixtures/compare/: four
 * real corpus crashes of the WinFsp driver with version lines added, two at 1.4.19049.0 and two at 1.5.19251.0
 * (SOURCES.md there says which lines were added). The signatures are the ones the ingest itself gives them.
 */
import { freshStoreLocation } from './backend.js';
import { plainValue } from '../db/queries/sql.js';
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openStore } from '../db/store.js';
import { compareBuilds, driverVersionsOf } from '../db/queries/compare.js';

const root = resolve(fileURLToPath(new URL('..', import.meta.url)));
const bin = join(root, 'dist', 'src', 'cli', 'main.js');
const fixtures = join(root, 'test', 'fixtures', 'compare');
const TICKETS = ['winfsp-a1.txt', 'winfsp-a2.txt', 'winfsp-b1.txt', 'winfsp-b2.txt'].map((f) => join(fixtures, f));
const A = '1.4.19049.0';
const B = '1.5.19251.0';

function irpscope(args: string[], env: Record<string, string> = {}) {
  const result = spawnSync(process.execPath, [bin, ...args], { env: { PATH: process.env.PATH ?? '', IRPSCOPE_HOME: mkdtempSync(join(tmpdir(), 'irpscope-home-')), ...env }, encoding: 'utf8' });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

const tempDb = (): string => freshStoreLocation('irpscope-compare-');

function rows(path: string, sql: string): unknown[] {
  const store = openStore(path, { readonly: true });
  try {
    return (store.db.prepare(sql).raw().all() as unknown[][]).map((row) => row.map(plainValue));
  } finally {
    store.close();
  }
}

/** The signatures the ingest gave the four tickets (rules version 1): the three 0xA crashes in winfsp-x64 share one. */
const S_0A = { signatureId: 'a0a42d5fa347', signature: '0xA | winfsp-x64 | IRP_MJ_FILE_SYSTEM_CONTROL 0x900A8' };
const S_3B = { signatureId: '408725e2007c', signature: '0x3B | STATUS_ACCESS_VIOLATION | no faulting frame | IRP_MJ_FILE_SYSTEM_CONTROL 0x900A8' };

function ingested(): string {
  const db = tempDb();
  const r = irpscope(['ingest', ...TICKETS, '--db', db]);
  expect(r.code).toBe(0);
  return db;
}

describe('driver_versions at ingest', () => {
  it('one row per printed version: lmvm at the module line, IMAGE_VERSION at the incident, each linked to its crash', () => {
    const db = ingested();
    expect(rows(db, 'SELECT source_id, line, incident_id, driver, driver_key, version, via FROM driver_versions ORDER BY id')).toEqual([
      [1, 63, 1, 'winfsp-x64.sys', 'winfsp-x64', A, 'lmvm'],
      [2, 2, 2, 'winfsp-x64.sys', 'winfsp-x64', A, 'image_version'],
      [3, 53, 3, 'winfsp-x64.sys', 'winfsp-x64', B, 'lmvm'],
      [4, 2, 4, 'winfsp-x64.sys', 'winfsp-x64', B, 'image_version'],
    ]);
    // The lm entry itself is kept whole, as parse --json prints it.
    expect(rows(db, "SELECT source_id, line, json_extract(record, '$.module'), json_extract(record, '$.fileVersion') FROM events WHERE type = 'moduleVersion' ORDER BY id")).toEqual([
      [1, 63, 'winfsp_x64', A], [3, 53, 'winfsp_x64', B],
    ]);
  });

  it('lm entries without a crash keep no incident; an entry without File version gives no row', () => {
    const db = tempDb();
    const r = irpscope(['ingest', join(root, 'test', 'fixtures', 'windbg', 'lm', 'lm-vm-kernel.txt'), join(root, 'test', 'fixtures', 'windbg', 'lm', 'lmdvm-x86.txt'), '--db', db]);
    expect(r.code).toBe(0);
    expect(rows(db, 'SELECT source_id, line, incident_id, driver, driver_key, version, via FROM driver_versions ORDER BY id')).toEqual([
      [1, 4, null, 'ntkrnlmp.exe', 'ntkrnlmp', '10.0.19041.1288', 'lmvm'],
      [2, 3, null, 'xenusb.sys', 'xenusb', '0.11.0.372', 'lmvm'],
    ]);
  });

  it("Procmon's Version column: the process image's version, once per image and version; never the version of a driver a Load Image row names", () => {
    const dir = mkdtempSync(join(tmpdir(), 'irpscope-procmon-'));
    const csv = join(dir, 'versions.csv');
    // The default columns plus Image Path and Version, in the quoting of corpus/procmon/feijing2132-monitorapis-logfile.csv.
    writeFileSync(csv, [
      '\uFEFF"Time of Day","Process Name","PID","Operation","Path","Result","Detail","Image Path","Version"',
      '"3:58:46.6882889 PM","mytool.exe","3952","CreateFile","\\\\.\\MyDrv","SUCCESS","Desired Access: Generic Read/Write","C:\\Tools\\mytool.exe","2.3.0.17"',
      '"3:58:46.6883001 PM","mytool.exe","3952","DeviceIoControl","\\\\.\\MyDrv","INVALID DEVICE REQUEST","Control: 0x222004","C:\\Tools\\mytool.exe","2.3.0.17"',
      '"3:58:47.1000000 PM","System","4","Load Image","C:\\Windows\\System32\\drivers\\mydrv.sys","SUCCESS","Image Base: 0xfffff8015a300000, Image Size: 0xe000","System",""',
      '',
    ].join('\r\n'));
    const db = tempDb();
    const r = irpscope(['ingest', csv, '--db', db]);
    expect(r.code).toBe(0);
    expect(rows(db, 'SELECT source_id, line, incident_id, driver, driver_key, version, via FROM driver_versions ORDER BY id')).toEqual([
      [1, 2, null, 'C:\\Tools\\mytool.exe', 'mytool', '2.3.0.17', 'procmon'],
    ]);
  });
});

describe('compare', () => {
  it('--json: signatures and IOCTL failures between two builds, exact', () => {
    const db = ingested();
    const r = irpscope(['compare', '--driver', 'winfsp-x64.sys', '--build', A, '--build', B, '--db', db, '--json']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({
      driver: 'winfsp-x64',
      mode: 'build',
      a: { label: A, incidents: 2, unsignedIncidents: 0, ioctlFailures: 3, sources: 2 },
      b: { label: B, incidents: 2, unsignedIncidents: 0, ioctlFailures: 3, sources: 2 },
      unplacedIncidents: 0,
      unplacedIoctlFailures: 0,
      signatures: [
        { ...S_3B, a: 0, b: 1, delta: 1, change: 'new' },
        { ...S_0A, a: 2, b: 1, delta: -1, change: 'less' },
      ],
      ioctlFailures: [
        { code: '0x000900F4', name: 'FSCTL_QUERY_USN_JOURNAL', status: null, statusName: null, a: 0, b: 1, delta: 1, change: 'new' },
        { code: '0x00090240', name: 'FSCTL_REQUEST_OPLOCK', status: null, statusName: null, a: 1, b: 0, delta: -1, change: 'gone' },
        { code: '0x000900A8', name: 'FSCTL_GET_REPARSE_POINT', status: null, statusName: null, a: 2, b: 2, delta: 0, change: 'same' },
      ],
    });
  });

  it('B against A is the mirror: new and gone swap, deltas change sign', () => {
    const db = ingested();
    const r = irpscope(['compare', '--driver', 'winfsp-x64', '--build', B, '--build', A, '--db', db, '--json']);
    const c = JSON.parse(r.stdout) as { signatures: { signature: string; change: string; delta: number }[]; ioctlFailures: { code: string; change: string; delta: number }[] };
    expect(c.signatures.map((s) => [s.signature, s.change, s.delta])).toEqual([[S_3B.signature, 'gone', -1], [S_0A.signature, 'more', 1]]);
    expect(c.ioctlFailures.map((s) => [s.code, s.change, s.delta])).toEqual([['0x00090240', 'new', 1], ['0x000900F4', 'gone', -1], ['0x000900A8', 'same', 0]]);
  });

  it('an unsigned incident (one stored before signing existed) is counted on its side, not dropped', () => {
    const db = ingested();
    const write = openStore(db);
    write.db.prepare('DELETE FROM incident_signatures WHERE incident_id IN (2, 4)').run();
    write.close();
    const r = irpscope(['compare', '--driver', 'winfsp-x64.sys', '--build', A, '--build', B, '--db', db, '--json']);
    const c = JSON.parse(r.stdout) as { a: { unsignedIncidents: number; incidents: number }; b: { unsignedIncidents: number; incidents: number }; signatures: unknown[] };
    expect([c.a.incidents, c.a.unsignedIncidents, c.b.incidents, c.b.unsignedIncidents]).toEqual([2, 1, 2, 1]);
    expect(c.signatures).toEqual([
      { ...S_3B, a: 0, b: 1, delta: 1, change: 'new' },
      { ...S_0A, a: 1, b: 0, delta: -1, change: 'gone' },
    ]);
  });

  it('human output: both sides, then the two tables (no colour when not a terminal)', () => {
    const db = ingested();
    const r = irpscope(['compare', '--driver', 'winfsp-x64.sys', '--build', A, '--build', B, '--db', db]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe([
      'compare builds of winfsp-x64',
      '  A 1.4.19049.0: 2 incidents (0 without a signature), 3 IOCTL failures, from 2 sources',
      '  B 1.5.19251.0: 2 incidents (0 without a signature), 3 IOCTL failures, from 2 sources',
      '',
      'Signatures',
      'change  A  B  delta  signature id  signature',
      'new     0  1     +1  408725e2007c  0x3B | STATUS_ACCESS_VIOLATION | no faulting frame | IRP_...',
      'less    2  1     -1  a0a42d5fa347  0xA | winfsp-x64 | IRP_MJ_FILE_SYSTEM_CONTROL 0x900A8',
      '',
      'IOCTL failures',
      'change  A  B  delta  IOCTL       name                     status',
      'new     0  1     +1  0x000900F4  FSCTL_QUERY_USN_JOURNAL  in flight at crash',
      'gone    1  0     -1  0x00090240  FSCTL_REQUEST_OPLOCK     in flight at crash',
      'same    2  2      0  0x000900A8  FSCTL_GET_REPARSE_POINT  in flight at crash',
      '',
    ].join('\n'));
  });

  it('--csv: one table, kind says which list', () => {
    const db = ingested();
    const r = irpscope(['compare', '--driver', 'winfsp-x64.sys', '--build', A, '--build', B, '--db', db, '--csv']);
    expect(r.stdout).toBe([
      'kind,change,a,b,delta,signature_id,signature,code,name,status,status_name',
      `signature,new,0,1,1,408725e2007c,${S_3B.signature},,,,`,
      `signature,less,2,1,-1,a0a42d5fa347,${S_0A.signature},,,,`,
      'ioctl_failure,new,0,1,1,,,0x000900F4,FSCTL_QUERY_USN_JOURNAL,,',
      'ioctl_failure,gone,1,0,-1,,,0x00090240,FSCTL_REQUEST_OPLOCK,,',
      'ioctl_failure,same,2,2,0,,,0x000900A8,FSCTL_GET_REPARSE_POINT,,',
      '',
    ].join('\n'));
  });

  it('--before/--after splits by debug session time (UTC): Aug and early Sep 2019 against late Oct', () => {
    const db = ingested();
    // a2's session time is Mon Sep 2 21:40 UTC+8 = 13:40 UTC: before 2019-09-03, and before 2019-09-02T14:00:00Z too.
    const r = irpscope(['compare', '--driver', 'winfsp-x64.sys', '--before', '2019-09-02T14:00:00Z', '--after', '2019-10-01', '--db', db, '--json']);
    expect(r.code).toBe(0);
    const c = JSON.parse(r.stdout) as Record<string, unknown>;
    expect([c.mode, c.a, c.b]).toEqual(['time',
      { label: 'before 2019-09-02T14:00:00Z', incidents: 2, unsignedIncidents: 0, ioctlFailures: 3, sources: 2 },
      { label: 'after 2019-10-01', incidents: 2, unsignedIncidents: 0, ioctlFailures: 3, sources: 2 }]);
    const earlier = JSON.parse(irpscope(['compare', '--driver', 'winfsp-x64.sys', '--before', '2019-09-02T13:00:00Z', '--after', '2019-10-01', '--db', db, '--json']).stdout) as { a: { incidents: number; ioctlFailures: number } };
    expect([earlier.a.incidents, earlier.a.ioctlFailures]).toEqual([1, 1]);
  });

  it('--before/--after without --driver: every incident and failure; a crash without a session time is counted as unplaced', () => {
    const db = ingested();
    // corpus/windbg/btrfs-65.txt (https://github.com/maharmstone/btrfs/issues/65): a 0x139 crash that prints no session time.
    expect(irpscope(['ingest', join(root, 'test', 'fixtures', 'windbg', 'btrfs-65.txt'), '--db', db]).code).toBe(0);
    const r = irpscope(['compare', '--before', '2019-09-15', '--after', '2019-09-15', '--db', db, '--json']);
    expect(r.code).toBe(0);
    const c = JSON.parse(r.stdout) as Record<string, unknown>;
    expect([c.driver, c.mode, c.unplacedIncidents, c.unplacedIoctlFailures]).toEqual([null, 'time', 1, 0]);
    expect([c.a, c.b]).toEqual([
      { label: 'before 2019-09-15', incidents: 2, unsignedIncidents: 0, ioctlFailures: 3, sources: 2 },
      { label: 'after 2019-09-15', incidents: 2, unsignedIncidents: 0, ioctlFailures: 3, sources: 2 },
    ]);
    const human = irpscope(['compare', '--before', '2019-09-15', '--after', '2019-09-15', '--db', db]).stdout.split('\n').slice(0, 4);
    expect(human).toEqual([
      'compare everything, by time',
      '  A before 2019-09-15: 2 incidents (0 without a signature), 3 IOCTL failures, from 2 sources',
      '  B after 2019-09-15: 2 incidents (0 without a signature), 3 IOCTL failures, from 2 sources',
      '  not placed: 1 incident(s) and 0 IOCTL failure(s) without a time',
    ]);
  });

  it('the query: an incident with IMAGE_VERSION for the driver follows it, and incidents.driver_version alone is enough', () => {
    const path = ingested();
    const store = openStore(path);
    try {
      // The crash's own IMAGE_VERSION wins over an lmvm of the same driver printed in its ticket.
      store.db.prepare(`INSERT INTO driver_versions (source_id, line, incident_id, driver, driver_key, version, via) VALUES (2, 80, 2, 'winfsp-x64.sys', 'winfsp-x64', ?, 'lmvm')`).run(B);
      const own = compareBuilds(store.db, { driverKey: 'winfsp-x64', a: { build: A }, b: { build: B } });
      expect([own.a.incidents, own.b.incidents]).toEqual([2, 2]);
      store.db.prepare("DELETE FROM driver_versions WHERE line = 80").run();
      // A store whose driver_versions rows are gone (ingested before they existed) still places a2 by its IMAGE_VERSION.
      store.db.prepare("DELETE FROM driver_versions WHERE via = 'image_version'").run();
      const c = compareBuilds(store.db, { driverKey: 'winfsp-x64', a: { build: A }, b: { build: B } });
      expect([c.a.incidents, c.b.incidents, c.unplacedIncidents]).toEqual([2, 2, 0]);
      expect(driverVersionsOf(store.db, 'winfsp-x64')).toEqual([{ version: A, via: ['lmvm'], sources: 1 }, { version: B, via: ['lmvm'], sources: 1 }]);
      // With no version at all for a2, it is an incident of the driver that no build claims.
      store.db.prepare('UPDATE incidents SET driver_version = NULL WHERE id = 2').run();
      const d = compareBuilds(store.db, { driverKey: 'winfsp-x64', a: { build: A }, b: { build: B } });
      expect([d.a.incidents, d.b.incidents, d.unplacedIncidents, d.a.ioctlFailures]).toEqual([1, 2, 1, 1]);
    } finally {
      store.close();
    }
  });

  it('exit codes: an unknown build is 2 and lists the versions that exist; bad usage is 2; no database is 1', () => {
    const db = ingested();
    const unknown = irpscope(['compare', '--driver', 'winfsp-x64.sys', '--build', A, '--build', '9.9.9.9', '--db', db]);
    expect(unknown.code).toBe(2);
    expect(unknown.stdout).toBe('');
    expect(unknown.stderr).toBe(`irpscope: --build 9.9.9.9: no text in the store printed this version of winfsp-x64; versions stored for winfsp-x64: ${A} (image_version, lmvm; 2 sources), ${B} (image_version, lmvm; 2 sources)\n`);
    const noDriver = irpscope(['compare', '--driver', 'otherdrv.sys', '--build', '1', '--build', '2', '--db', db]);
    expect([noDriver.code, noDriver.stderr]).toEqual([2, "irpscope: --build 1: no text in the store printed this version of otherdrv; no version of otherdrv is stored at all (versions come from IMAGE_VERSION, lmvm and Procmon's Version column)\n"]);
    expect(irpscope(['compare', '--driver', 'winfsp-x64.sys', '--build', A, '--db', db]).stderr).toBe('irpscope: give exactly two --build versions (A and B), got 1; or --before DATE --after DATE\n');
    expect(irpscope(['compare', '--build', A, '--build', B, '--db', db]).stderr).toBe('irpscope: --build needs --driver: a version is a version of one driver\n');
    expect(irpscope(['compare', '--driver', 'x', '--build', A, '--before', '2019-01-01', '--db', db]).code).toBe(2);
    expect(irpscope(['compare', '--before', '2019-01-01', '--db', db]).stderr).toBe('irpscope: give both --before DATE (side A) and --after DATE (side B)\n');
    expect(irpscope(['compare', '--before', 'yesterday', '--after', '2019-01-01', '--db', db]).stderr)
      .toBe('irpscope: --before: expected a date (2019-09-15, midnight UTC) or a UTC time (2019-09-15T10:00:00Z), got "yesterday"\n');
    expect(irpscope(['compare', '--driver', 'winfsp-x64.sys', '--build', A, '--build', A, '--db', db]).code).toBe(2);
    expect(irpscope(['compare', '--driver', 'winfsp-x64.sys', '--build', A, '--build', B, '--json', '--csv', '--db', db]).code).toBe(2);
    expect(irpscope(['compare', '--bogus', '--db', db]).code).toBe(2);
    const missing = irpscope(['compare', '--driver', 'winfsp-x64.sys', '--build', A, '--build', B, '--db', join(mkdtempSync(join(tmpdir(), 'irpscope-none-')), 'none.db')]);
    expect(missing.code).toBe(1);
  });

  it('--help states the version rule and gives an example', () => {
    const r = irpscope(['compare', '--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/its own IMAGE_VERSION, when its IMAGE_NAME \(else MODULE_NAME\) is D;/);
    expect(r.stdout).toMatch(/irpscope compare --driver winfsp-x64\.sys --build 1\.4\.19049\.0 --build 1\.5\.19251\.0/);
  });
});
