import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { auditHeaders, compareInterfaces, parseRulesFile, type AuditRow } from '../src/audit/audit.js';
import { decodeIoctl } from '../src/decode/ioctl.js';

const root = resolve(fileURLToPath(new URL('..', import.meta.url)));
const fixture = (name: string): string => join(root, 'test', 'fixtures', 'audit', name);
const findingsOf = (rows: readonly AuditRow[]) =>
  Object.fromEntries(rows.map((r) => [r.name, r.findings.map((f) => (f.silenced ? `${f.id} (silenced)` : f.id))]));

describe('irpscope audit', () => {
  it('a clean interface has no findings, rows sorted by device type and function', () => {
    const { rows } = auditHeaders({ headers: [fixture('clean.h')] });
    expect(rows.map((r) => [r.name, r.code])).toEqual([
      ['IOCTL_ACME_GET_INFO', '0x9A002000'],
      ['IOCTL_ACME_SET_MODE', '0x9A00A004'],
      ['IOCTL_ACME_READ_BLOCK', '0x9A00600A'],
    ]);
    expect(rows.every((r) => r.findings.length === 0)).toBe(true);
  });

  it('reports each finding once, on the definition that causes it', () => {
    const { rows } = auditHeaders({ headers: [fixture('findings.h')] });
    expect(findingsOf(rows)).toEqual({
      IOCTL_ACME_LEGACY_PING: ['reserved-device-type'],
      IOCTL_ACME_QUERY: ['reserved-device-type', 'reserved-function', 'public-collision'],
      IOCTL_ACME_TOO_BIG: ['reserved-function', 'field-overflow'],
      IOCTL_ACME_LOW_FUNCTION: ['reserved-function'],
      IOCTL_ACME_RAW_QUERY: ['method-neither'],
      IOCTL_ACME_DELETE_KEY: ['any-access-state-change'],
      IOCTL_ACME_GET_COUNTERS: ['duplicate-value'],
      IOCTL_ACME_GET_STATS: ['duplicate-value'],
      IOCTL_ACME_RAW_IO: ['method-neither (silenced)'],
      IOCTL_ACME_BROKEN: ['not-evaluated'],
    });
    const query = rows.find((r) => r.name === 'IOCTL_ACME_QUERY')!;
    expect(query.findings.find((f) => f.id === 'public-collision')!.detail).toBe('collides with IOCTL_STORAGE_QUERY_PROPERTY');
    const big = rows.find((r) => r.name === 'IOCTL_ACME_TOO_BIG')!;
    expect(big.code).toBe('0x9A004004'); // function 0x1001 << 2 sets an access bit: the code the compiler really emits
    expect(big.findings.find((f) => f.id === 'field-overflow')!.detail).toBe('function 0x1001 does not fit (maximum 0xfff)');
    const broken = rows.find((r) => r.name === 'IOCTL_ACME_BROKEN')!;
    expect([broken.file.endsWith('findings.h'), broken.line, broken.code]).toEqual([true, 20, null]);
    const raw = rows.find((r) => r.name === 'IOCTL_ACME_RAW_IO')!;
    expect(raw.findings[0]!.silenced).toBe(`the buffer is probed and captured under __try in AcmeRawIo (${fixture('findings.h')}:21)`);
  });

  it('a rules file silences by finding and name', () => {
    const { rules, problems } = parseRulesFile('rules.txt', '# team rules\nallow duplicate-value IOCTL_ACME_GET_COUNTERS because kept for v1 callers\nallow nonsense *\n');
    expect(problems).toEqual(['rules.txt:3: expected "allow <finding-id> <NAME|*> because <reason>", got "allow nonsense *"']);
    const { rows } = auditHeaders({ headers: [fixture('findings.h')], rules });
    expect(findingsOf(rows).IOCTL_ACME_GET_COUNTERS).toEqual(['duplicate-value (silenced)']);
    expect(findingsOf(rows).IOCTL_ACME_GET_STATS).toEqual(['duplicate-value']);
  });

  it("finds no reserved-range or collision findings in Microsoft's own public header (mingw-w64 ntddser.h)", () => {
    const { rows } = auditHeaders({ headers: [fixture('mingw-w64-ntddser.h')] });
    expect(rows).toHaveLength(44);
    const ids = new Set(rows.flatMap((r) => r.findings.map((f) => f.id)));
    // Every code there is itself a public code (same name, same value in the tables), so reserved ranges and
    // collisions do not apply; what remains are real properties of the header.
    expect([...ids].sort()).toEqual(['any-access-state-change', 'duplicate-value', 'method-neither']);
    expect(findingsOf(rows).IOCTL_SERIAL_SET_BAUD_RATE).toEqual(['any-access-state-change', 'duplicate-value']);
  });

  it('compares two versions of an interface', () => {
    const before = auditHeaders({ headers: [fixture('acme-v1.h')] }).rows;
    const after = auditHeaders({ headers: [fixture('acme-v2.h')] }).rows;
    expect(compareInterfaces(before, after).map((c) => [c.kind, c.name, c.oldName, c.oldCode, c.newCode, c.fields])).toEqual([
      ['changed', 'IOCTL_ACME_SET_MODE', 'IOCTL_ACME_SET_MODE', '0x9A002004', '0x9A00A004', ['access FILE_ANY_ACCESS -> FILE_WRITE_ACCESS']],
      ['removed', 'IOCTL_ACME_OLD_RESET', 'IOCTL_ACME_OLD_RESET', '0x9A00A008', null, []],
      ['renamed', 'IOCTL_ACME_QUERY_STATUS', 'IOCTL_ACME_GET_STATUS', '0x9A00600C', '0x9A00600C', []],
      ['added', 'IOCTL_ACME_GET_VERSION', null, null, '0x9A006010', []],
    ]);
  });

  it('random CTL_CODE definitions audit to the same decoded rows as decode', () => {
    const field = (max: number) => fc.integer({ min: 0, max });
    fc.assert(fc.property(fc.array(fc.tuple(field(0xffff), field(0xfff), field(3), field(3)), { minLength: 1, maxLength: 12 }), (codes) => {
      const text = codes.map(([d, f, m, a], i) => `#define IOCTL_RANDOM_${i} CTL_CODE(0x${d.toString(16)}, 0x${f.toString(16)}, ${m}, ${a})`).join('\n');
      const { rows } = auditHeaders({ headers: ['/virtual/random.h'], readText: (p) => (p === '/virtual/random.h' ? text : null) });
      expect(rows).toHaveLength(codes.length);
      for (const row of rows) {
        const [d, f, m, a] = codes[Number(row.name.slice('IOCTL_RANDOM_'.length))]!;
        const expected = decodeIoctl(((d << 16) | (a << 14) | (f << 2) | m) >>> 0);
        expect(row.code).toBe(expected.code);
        expect(row.decoded).toEqual(expected);
      }
    }), { numRuns: 100 });
  });

  it('the CLI exits 1 on findings at or above --fail-on, 0 below, and prints JSON and CSV', () => {
    const bin = join(root, 'dist', 'src', 'cli', 'main.js');
    const run = (args: string[]) => spawnSync(process.execPath, [bin, 'audit', ...args], { encoding: 'utf8', env: { PATH: process.env.PATH ?? '' } });
    expect(run([fixture('clean.h')]).status).toBe(0);
    const failing = run([fixture('findings.h')]);
    expect(failing.status).toBe(1);
    expect(failing.stderr).toBe('irpscope: 5 findings at or above error\n');
    expect(run([fixture('findings.h'), '--fail-on', 'none']).status).toBe(0);
    expect(run([fixture('clean.h'), '--fail-on', 'bogus']).status).toBe(2);
    const json = JSON.parse(run([fixture('acme-v2.h'), '--against', fixture('acme-v1.h'), '--json']).stdout) as { rows: unknown[]; changes: { kind: string }[] };
    expect(json.changes.map((c) => c.kind)).toEqual(['changed', 'removed', 'renamed', 'added']);
    const csv = run([fixture('clean.h'), '--csv']).stdout.split('\n');
    expect(csv[0]).toBe('code,name,where,deviceType,function,method,access,finding,severity,detail,silenced');
    expect(csv[1]).toBe(`0x9A002000,IOCTL_ACME_GET_INFO,${fixture('clean.h')}:5,39424,2048,METHOD_BUFFERED,FILE_ANY_ACCESS,,,,`);
  });
});

describe('irpscope audit --db', () => {
  it('shows how often the store saw each code, its statuses and its last failure', () => {
    const dir = mkdtempSync(join(tmpdir(), 'irpscope-audit-db-'));
    const db = join(dir, 'store.db');
    const bin = join(root, 'dist', 'src', 'cli', 'main.js');
    const env = { PATH: process.env.PATH ?? '' };
    const ingest = spawnSync(process.execPath, [bin, 'ingest', join(root, 'samples', 'correlated', 'crash-mydrv.txt'), '--db', db, '--json'], { encoding: 'utf8', env });
    expect(ingest.status).toBe(0);
    const header = join(dir, 'mydrv.h');
    writeFileSync(header, '#define IOCTL_MYDRV_DO_THING CTL_CODE(FILE_DEVICE_UNKNOWN, 0x801, METHOD_BUFFERED, FILE_ANY_ACCESS)\n#define IOCTL_MYDRV_NEVER_SENT CTL_CODE(FILE_DEVICE_UNKNOWN, 0x802, METHOD_BUFFERED, FILE_READ_ACCESS)\n');
    const run = spawnSync(process.execPath, [bin, 'audit', header, '--db', db, '--json', '--fail-on', 'none'], { encoding: 'utf8', env });
    expect(run.status).toBe(0);
    const rows = (JSON.parse(run.stdout) as { rows: { name: string; history: { occurrences: number; lastFailure: { source: string; line: number } | null } | null }[] }).rows;
    const thing = rows.find((r) => r.name === 'IOCTL_MYDRV_DO_THING')!;
    expect(thing.history!.occurrences).toBe(1);
    expect(thing.history!.lastFailure!.source).toBe(join(root, 'samples', 'correlated', 'crash-mydrv.txt'));
    expect(rows.find((r) => r.name === 'IOCTL_MYDRV_NEVER_SENT')!.history).toEqual({ occurrences: 0, statuses: [], lastFailure: null });
    expect(spawnSync(process.execPath, [bin, 'audit', header, '--db', join(dir, 'missing.db')], { encoding: 'utf8', env }).status).toBe(1);
  });
});

