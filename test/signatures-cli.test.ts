/** `irpscope buckets`, `buckets --explain` and `resignature` through the real binary (dist/src/cli/main.js). */
import { freshStoreLocation } from './backend.js';
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { signatureIdOf } from '../src/signature/build.js';
import { loadRuleSet } from '../src/signature/rules.js';

const root = resolve(fileURLToPath(new URL('..', import.meta.url)));
const bin = join(root, 'dist', 'src', 'cli', 'main.js');
const FIX = join(root, 'test', 'fixtures', 'signatures');
const skipLines = readFileSync(join(root, 'rules', 'skip.txt'), 'utf8').split('\n');
const skipAt = (pattern: string): string => `rules/skip.txt:${skipLines.indexOf(pattern) + 1}`;

function irpscope(args: string[], env: Record<string, string> = {}) {
  const result = spawnSync(process.execPath, [bin, ...args], { env: { PATH: process.env.PATH ?? '', IRPSCOPE_HOME: mkdtempSync(join(tmpdir(), 'irpscope-sigcli-home-')), ...env }, encoding: 'utf8' });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** A folder with the given fixtures copied in (stable names), and a database ingested from them in that order. */
function ingested(files: readonly string[]): { dir: string; db: string } {
  const dir = mkdtempSync(join(tmpdir(), 'irpscope-sigcli-'));
  const db = freshStoreLocation('irpscope-sigcli-db-');
  const copies = files.map((f) => {
    const to = join(dir, f.split('/').pop()!);
    copyFileSync(f, to);
    return to;
  });
  const r = irpscope(['ingest', '--db', db, '--json', ...copies]);
  expect([r.code, r.stderr]).toEqual([0, '']);
  return { dir, db };
}

const SPRAY = '0xC9/0x7 | mydrv!MyCompleteRequest | IRP_MJ_DEVICE_CONTROL 0x222004';
const DISPATCH = '0xC9/0x7 | mydrv!MyDispatchDeviceControl | IRP_MJ_DEVICE_CONTROL 0x222004';
const TRACE = '0xC9/0x7 | mydrv!MyTraceError | IRP_MJ_DEVICE_CONTROL 0x222004';

describe('irpscope buckets', () => {
  it('--json lists buckets with counts, first and last seen, builds and the newest incident', () => {
    const { db } = ingested([join(root, 'samples', 'correlated', 'crash-mydrv.txt'), join(FIX, 'spray-build-a.txt'), join(FIX, 'spray-build-b.txt')]);
    const r = irpscope(['buckets', '--db', db, '--json']);
    expect([r.code, r.stderr]).toEqual([0, '']);
    expect(JSON.parse(r.stdout)).toEqual([
      { signatureId: signatureIdOf(SPRAY), signature: SPRAY, incidents: 2, firstSeen: '2016-08-04T17:42:12.3450000Z', lastSeen: '2016-08-06T16:15:40.1200000Z', builds: 2, machines: null, newestIncident: 3, module: 'mydrv', ruleVersions: ['1'] },
      { signatureId: signatureIdOf(DISPATCH), signature: DISPATCH, incidents: 1, firstSeen: '2016-08-04T17:42:12.3450000Z', lastSeen: '2016-08-04T17:42:12.3450000Z', builds: 1, machines: null, newestIncident: 1, module: 'mydrv', ruleVersions: ['1'] },
    ]);
    const csv = irpscope(['buckets', '--db', db, '--csv', '--since', '2016-08-05']);
    expect(csv.stdout).toBe(`signature_id,incidents,first_seen,last_seen,builds,machines,newest_incident,rule_versions,signature\n${signatureIdOf(SPRAY)},1,2016-08-06T16:15:40.1200000Z,2016-08-06T16:15:40.1200000Z,1,,3,1,${SPRAY}\n`);
    expect(JSON.parse(irpscope(['buckets', '--db', db, '--json', '--module', 'otherdrv.sys']).stdout)).toEqual([]);
    expect(JSON.parse(irpscope(['buckets', '--db', db, '--json', '--module', 'MyDrv.sys', '--limit', '1']).stdout).map((b: { signature: string }) => b.signature)).toEqual([SPRAY]);
  });

  it('--explain INCIDENT --json shows the stored explanation, frame by frame, and what the current rules give', () => {
    const { dir, db } = ingested([join(root, 'samples', 'correlated', 'crash-mydrv.txt')]);
    const r = irpscope(['buckets', '--db', db, '--explain', '1', '--json']);
    expect([r.code, r.stderr]).toEqual([0, '']);
    const answer = JSON.parse(r.stdout) as Record<string, unknown>;
    expect(typeof answer.signedAt).toBe('string');
    expect({ ...answer, signedAt: 'T' }).toEqual({
      kind: 'incident', incident: 1, source: join(dir, 'crash-mydrv.txt'), line: 25, time: '2016-08-04T17:42:12.3450000Z',
      signature: DISPATCH, signatureId: signatureIdOf(DISPATCH), ruleVersion: '1', signedAt: 'T',
      parts: { code: '0xC9', subcode: '0x7', status: null, frames: ['mydrv!MyDispatchDeviceControl'], module: 'mydrv', symbol: 'mydrv!MyDispatchDeviceControl', framesFrom: 'stack', major: 'IRP_MJ_DEVICE_CONTROL', ioctl: '0x222004' },
      explanation: {
        ruleVersion: '1',
        parts: [
          { part: 'bugcheck', value: '0xC9/0x7', why: '0xC9 DRIVER_VERIFIER_IOMANAGER_VIOLATION: Arg1 selects the case (0x7: Cancel routine still set when the IRP was completed)' },
          { part: 'frames', value: 'mydrv!MyDispatchDeviceControl', why: 'the frames the rule walk kept, top of the stack first' },
          { part: 'request', value: 'IRP_MJ_DEVICE_CONTROL 0x222004', why: 'the request the crash carries: the IRP the bugcheck names (0xFFFFE0012B4C8010), printed at line 70' },
        ],
        frames: [
          { line: 49, printed: 'nt!KeBugCheckEx', frame: 'nt!KeBugCheckEx', outcome: 'skipped', text: null, rule: skipAt('nt!KeBugCheckEx'), pattern: 'nt!KeBugCheckEx', reason: 'reporting or plumbing, not where the failure is' },
          { line: 50, printed: 'nt!VerifierBugCheckIfAppropriate+0x3c', frame: 'nt!VerifierBugCheckIfAppropriate', outcome: 'skipped', text: null, rule: skipAt('nt!VerifierBugCheckIfAppropriate'), pattern: 'nt!VerifierBugCheckIfAppropriate', reason: 'reporting or plumbing, not where the failure is' },
          { line: 51, printed: 'mydrv!MyDispatchDeviceControl+0x4a', frame: 'mydrv!MyDispatchDeviceControl', outcome: 'kept', text: 'mydrv!MyDispatchDeviceControl', rule: null, pattern: null, reason: 'the first frame no rule passes over' },
        ],
      },
      bucketSize: 1,
      current: { ruleVersion: '1', signature: DISPATCH, signatureId: signatureIdOf(DISPATCH), same: true },
    });
    const human = irpscope(['buckets', '--db', db, '--explain', '1']);
    expect(human.stdout.split('\n').slice(0, 3)).toEqual([
      `incident   1  ${join(dir, 'crash-mydrv.txt')}:25  2016-08-04T17:42:12.3450000Z`,
      `signature  ${DISPATCH}`,
      `id         ${signatureIdOf(DISPATCH)}  (rules 1, no other incident has it)`,
    ]);
    expect(human.stdout).toContain(`  line 50    skipped    nt!VerifierBugCheckIfAppropriate+0x3c  ${skipAt('nt!VerifierBugCheckIfAppropriate')} (nt!VerifierBugCheckIfAppropriate): reporting or plumbing, not where the failure is\n`);
    expect(human.stdout).not.toMatch(/\u001b/);
  });

  it('--explain SIGNATURE says why its incidents share it; unknown targets fail with exit 1', () => {
    const { dir, db } = ingested([join(FIX, 'spray-build-a.txt'), join(FIX, 'spray-build-b.txt')]);
    for (const target of [signatureIdOf(SPRAY), SPRAY]) {
      const r = irpscope(['buckets', '--db', db, '--explain', target, '--json']);
      expect([r.code, r.stderr]).toEqual([0, '']);
      expect(JSON.parse(r.stdout)).toEqual({
        kind: 'signature', signature: SPRAY, signatureId: signatureIdOf(SPRAY),
        incidents: [
          { incident: 1, source: join(dir, 'spray-build-a.txt'), line: 25, time: '2016-08-04T17:42:12.3450000Z', ruleVersion: '1', framesFrom: 'stack', printed: ['mydrv!MyCompleteRequest+0x1f'], skipped: 2 },
          { incident: 2, source: join(dir, 'spray-build-b.txt'), line: 25, time: '2016-08-06T16:15:40.1200000Z', ruleVersion: '1', framesFrom: 'stack', printed: ['mydrv!MyCompleteRequest+0x2b'], skipped: 3 },
        ],
        shared: [
          { part: 'bugcheck', value: '0xC9/0x7', why: '0xC9 DRIVER_VERIFIER_IOMANAGER_VIOLATION: Arg1 selects the case (0x7: Cancel routine still set when the IRP was completed)' },
          { part: 'frames', value: 'mydrv!MyCompleteRequest', why: 'the frames the rule walk kept, top of the stack first' },
          { part: 'request', value: 'IRP_MJ_DEVICE_CONTROL 0x222004', why: 'every incident has IRP_MJ_DEVICE_CONTROL 0x222004: the request the crash carries: the IRP the bugcheck names (0xFFFFE0012B4C8010), printed at line 71 (incident 1); the request the crash carries: the IRP the bugcheck names (0xFFFFE0012B4C8010), printed at line 72 (incident 2)' },
        ],
        printedForms: [{ printed: 'mydrv!MyCompleteRequest+0x1f', incidents: [1] }, { printed: 'mydrv!MyCompleteRequest+0x2b', incidents: [2] }],
        ruleVersions: ['1'],
      });
    }
    const missing = irpscope(['buckets', '--db', db, '--explain', '99']);
    expect([missing.code, missing.stdout, missing.stderr]).toEqual([1, '', 'irpscope: 99: no signed incident with this id (irpscope incidents lists them)\n']);
    const usage = irpscope(['buckets', '--db', db, '--explain', '1', '--csv']);
    expect([usage.code, usage.stderr]).toEqual([2, 'irpscope: --explain prints text or --json, not --csv\n']);
  });
});

describe('irpscope resignature', () => {
  it('regroups only when asked: a team rule is a new version, --dry-run writes nothing, buckets warns about mixed versions', () => {
    const { dir, db } = ingested([join(root, 'samples', 'correlated', 'crash-mydrv.txt'), join(FIX, 'logging-helper.txt')]);
    const team = join(dir, 'acme-rules');
    mkdirSync(team);
    writeFileSync(join(team, 'skip.txt'), '# tracing helpers log, they do not fail\nmydrv!MyTrace*\n');
    const version = loadRuleSet([team]).version;
    const before = JSON.parse(irpscope(['buckets', '--db', db, '--json']).stdout).map((b: { signature: string }) => b.signature);
    expect(before).toEqual([TRACE, DISPATCH]);

    // A third crash ingested with the team rules (through the environment): the old ones keep version 1.
    const third = join(dir, 'again.txt');
    writeFileSync(third, readFileSync(join(FIX, 'logging-helper.txt'), 'utf8').replace('Mon Aug  8', 'Tue Aug  9'));
    expect(irpscope(['ingest', '--db', db, '--json', third], { IRPSCOPE_RULES: team }).code).toBe(0);
    const mixed = irpscope(['buckets', '--db', db]);
    expect(mixed.stderr).toBe(`irpscope: warning: the store holds signatures from 2 rule versions (1: 2, ${version}: 1); incidents signed with different rules may sit in different buckets; irpscope resignature regroups them\n`);

    const dry = irpscope(['resignature', '--db', db, '--rules', team, '--dry-run', '--json']);
    expect([dry.code, dry.stderr]).toEqual([0, '']);
    const moved = { incident: 2, before: { signature: TRACE, signatureId: signatureIdOf(TRACE), ruleVersion: '1' }, after: { signature: DISPATCH, signatureId: signatureIdOf(DISPATCH) } };
    const report = {
      dryRun: true, versionsBefore: [{ version: '1', incidents: 2 }, { version, incidents: 1 }], versionAfter: version, incidents: 3, moved: [moved], relabelled: 1, unchanged: 1,
      bucketsBefore: 2, bucketsAfter: 1, changes: [{ kind: 'merged', from: [signatureIdOf(DISPATCH), signatureIdOf(TRACE)].sort(), to: [signatureIdOf(DISPATCH)], incidents: [1, 2, 3] }],
    };
    expect(JSON.parse(dry.stdout)).toEqual(report);
    expect(JSON.parse(irpscope(['buckets', '--db', db, '--json']).stdout).length).toBe(2);

    const human = irpscope(['resignature', '--db', db, '--rules', team]);
    expect([human.code, human.stderr]).toEqual([0, '']);
    expect(human.stdout).toBe([
      `resignatured: 3 incidents; rules before: 1 (2), ${version} (1); after: ${version}`,
      'moved 1, same signature under the new version 1, unchanged 1; buckets 2 -> 1',
      `  merged ${report.changes[0]!.from.join(', ')} -> ${signatureIdOf(DISPATCH)}  incidents 1, 2, 3`,
      '',
      'moved',
      `      2  ${TRACE} [${signatureIdOf(TRACE)}]`,
      `         -> ${DISPATCH} [${signatureIdOf(DISPATCH)}]`,
      '',
    ].join('\n'));
    const after = irpscope(['buckets', '--db', db, '--json']);
    expect([after.stderr, JSON.parse(after.stdout).map((b: { signature: string; incidents: number; ruleVersions: string[] }) => [b.signature, b.incidents, b.ruleVersions])])
      .toEqual(['', [[DISPATCH, 3, [version]]]]);
  });

  it('a malformed team rule is bad usage (exit 2) naming file and line', () => {
    const { dir, db } = ingested([join(root, 'samples', 'correlated', 'crash-mydrv.txt')]);
    const team = join(dir, 'bad-rules');
    mkdirSync(team);
    writeFileSync(join(team, 'stop.txt'), 'nt!Fine\n!NoModule\n');
    const r = irpscope(['resignature', '--db', db, '--rules', team]);
    expect([r.code, r.stdout, r.stderr]).toEqual([2, '', 'irpscope: bad-rules/stop.txt:2: expected "module!function" or "module" (a module name has no spaces, * for any run of characters), got "!NoModule"\n']);
  });

  it('has --help with examples', () => {
    expect(irpscope(['resignature', '--help']).stdout).toContain('irpscope resignature --dry-run');
    expect(irpscope(['buckets', '--help']).stdout).toContain('irpscope buckets --explain 1');
  });
});
