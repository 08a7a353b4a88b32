/**
 * Crash signatures: golden signatures of the real incidents in samples/ and the corpus copies in test/fixtures/,
 * the bucket-bug and bucket-spray cases, rule versions and resignature, rule-file errors, and properties.
 */
import { freshStoreLocation } from './backend.js';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openStore, type Store } from '../db/store.js';
import { ingestFile } from '../db/ingest.js';
import { resignature, RuleDigestMismatchError, signSource, bucketChanges } from '../db/signatures.js';
import { bucketAggregateSql, explainIncident, explainSignature, selectBuckets, selectRuleVersions } from '../db/queries/buckets.js';
import { buildSignature, signatureIdOf, type IncidentFacts, type SignatureFrame } from '../src/signature/build.js';
import { builtinRulesDir, loadRuleSet, parseRuleFile, RuleError } from '../src/signature/rules.js';

const root = resolve(fileURLToPath(new URL('..', import.meta.url)));
const FIX = join(root, 'test', 'fixtures', 'signatures');
const GOLDEN = join(FIX, 'golden.json');
const RULES = loadRuleSet();

const tempDir = (): string => mkdtempSync(join(tmpdir(), 'irpscope-sig-'));

async function storeWith(files: readonly string[], options: { ruleSet?: ReturnType<typeof loadRuleSet> } = {}): Promise<Store> {
  const store = openStore(freshStoreLocation('irpscope-sig-'));
  for (const f of files) await ingestFile(store, f, options.ruleSet ? { ruleSet: options.ruleSet } : {});
  return store;
}

/** Signature text by source file (relative to the repository) and incident number. */
function signaturesByFile(store: Store): Record<string, string> {
  const rows = store.db.prepare(`SELECT src.path, i.incident_no, s.signature FROM incident_signatures s JOIN incidents i ON i.id = s.incident_id
    JOIN sources src ON src.id = i.source_id ORDER BY src.path, i.incident_no`).all() as { path: string; incident_no: bigint; signature: string }[];
  return Object.fromEntries(rows.map((r) => [`${relative(root, r.path)}#${r.incident_no}`, r.signature]));
}

const txt = (dir: string): string[] => readdirSync(join(root, dir)).filter((n) => n.endsWith('.txt')).sort().map((n) => join(root, dir, n));
/** Real incidents: the samples, and the corpus files copied into test/fixtures with their .source URL. */
const REAL_FILES = [
  join(root, 'samples', 'correlated', 'crash-mydrv.txt'), ...txt('samples/verifier'), ...txt('samples/windbg'),
  ...txt('test/fixtures/windbg').filter((f) => existsSync(`${f}.source`)),
];

describe('golden signatures of real incidents', () => {
  it('signs every incident of samples/ and the corpus copies exactly as test/fixtures/signatures/golden.json says', async () => {
    const store = await storeWith([...REAL_FILES, ...txt('test/fixtures/signatures')]);
    const rows = store.db.prepare(`SELECT src.path, i.incident_no, s.signature, s.signature_id, s.rule_version, s.parts FROM incident_signatures s
      JOIN incidents i ON i.id = s.incident_id JOIN sources src ON src.id = i.source_id ORDER BY src.path, i.incident_no`).all() as Record<string, unknown>[];
    const actual = rows.map((r) => {
      const file = relative(root, r.path as string);
      const source = existsSync(`${r.path as string}.source`) ? readFileSync(`${r.path as string}.source`, 'utf8').trim() : 'see the SOURCES.md of its folder';
      return { file, source, incident: Number(r.incident_no), signature: r.signature, signatureId: r.signature_id, ruleVersion: r.rule_version, parts: JSON.parse(r.parts as string) };
    });
    if (process.env.UPDATE_GOLDEN === '1') writeFileSync(GOLDEN, `${JSON.stringify(actual, null, 2)}\n`);
    expect(actual).toEqual(JSON.parse(readFileSync(GOLDEN, 'utf8')));
    // Every incident is signed, and every id is the first 12 hex digits of sha256(signature).
    expect(store.db.prepare('SELECT count(*) AS n FROM incidents').get()).toEqual({ n: BigInt(actual.length) });
    for (const a of actual) expect(a.signatureId).toBe(signatureIdOf(a.signature as string));
    store.close();
  });

  it('hand-checked facts: verifier stack, analysis fallback, no-symbol collapse, x86 sub-code, no code at all', async () => {
    const by = signaturesByFile(await storeWith(REAL_FILES));
    expect(by['samples/correlated/crash-mydrv.txt#1']).toBe('0xC9/0x7 | mydrv!MyDispatchDeviceControl | IRP_MJ_DEVICE_CONTROL 0x222004');
    // Only the last STACK_TEXT row survived (a bare user-mode address): SYMBOL_NAME stands in. No Arguments, so no status.
    expect(by['test/fixtures/windbg/usbip-win-257-tail.txt#1']).toBe('0x3B | udecx!UdecxUrbComplete');
    expect(by['test/fixtures/windbg/irpmon-116-part.txt#1']).toBe('no bugcheck code | kbase');
    expect(by['samples/windbg/winfsp-469.txt#1']).toBe('0x3B | STATUS_ACCESS_VIOLATION | no faulting frame');
    expect(by['test/fixtures/windbg/systeminformer-275.txt#1']).toBe('0xC4/0xF6 | no faulting frame');
    expect(by['samples/verifier/windows-driver-samples-205.txt#1']).toBe('0xC4/0x62 | echosrv');
    expect(by['samples/windbg/kvm-guest-drivers-windows-27.txt#1']).toBe('0x9F/0x3 | pci');
    // No stack and no SYMBOL_NAME: the symbol at the end of the debugger's Failure.Bucket stands in.
    expect(by['samples/windbg/openzfs-562.txt#1']).toBe('0x9F/0x4 | openzfs!zfs_unload_stage_1');
    expect(by['samples/verifier/mac-precision-touchpad-92.txt#1']).toBe('0x10D/0x6 | no faulting frame');
    expect(by['test/fixtures/windbg/win-pvdrivers-xenusb-kb-x86.txt#1']).toBe('no bugcheck code | usbhub!USBH_PassIrp');
  });

  it('explains the verifier sample frame by frame, naming the rule file and line', async () => {
    const store = await storeWith([join(root, 'samples', 'correlated', 'crash-mydrv.txt')]);
    const e = explainIncident(store.db, 1)!;
    const skip = readFileSync(join(root, 'rules', 'skip.txt'), 'utf8').split('\n');
    const lineOf = (pattern: string): string => `rules/skip.txt:${skip.indexOf(pattern) + 1}`;
    expect(e.explanation.frames).toEqual([
      { line: 49, printed: 'nt!KeBugCheckEx', frame: 'nt!KeBugCheckEx', outcome: 'skipped', text: null, rule: lineOf('nt!KeBugCheckEx'), pattern: 'nt!KeBugCheckEx', reason: 'reporting or plumbing, not where the failure is' },
      { line: 50, printed: 'nt!VerifierBugCheckIfAppropriate+0x3c', frame: 'nt!VerifierBugCheckIfAppropriate', outcome: 'skipped', text: null, rule: lineOf('nt!VerifierBugCheckIfAppropriate'), pattern: 'nt!VerifierBugCheckIfAppropriate', reason: 'reporting or plumbing, not where the failure is' },
      { line: 51, printed: 'mydrv!MyDispatchDeviceControl+0x4a', frame: 'mydrv!MyDispatchDeviceControl', outcome: 'kept', text: 'mydrv!MyDispatchDeviceControl', rule: null, pattern: null, reason: 'the first frame no rule passes over' },
    ]);
    expect(e.explanation.parts).toEqual([
      { part: 'bugcheck', value: '0xC9/0x7', why: '0xC9 DRIVER_VERIFIER_IOMANAGER_VIOLATION: Arg1 selects the case (0x7: Cancel routine still set when the IRP was completed)' },
      { part: 'frames', value: 'mydrv!MyDispatchDeviceControl', why: 'the frames the rule walk kept, top of the stack first' },
      { part: 'request', value: 'IRP_MJ_DEVICE_CONTROL 0x222004', why: 'the request the crash carries: the IRP the bugcheck names (0xFFFFE0012B4C8010), printed at line 70' },
    ]);
    store.close();
  });
});

describe('bucket bug and bucket spray', () => {
  it('two unrelated crashes without symbols, in different modules, get different buckets', async () => {
    const store = await storeWith([join(FIX, 'nosym-mydrv.txt'), join(FIX, 'nosym-otherdrv.txt')]);
    expect(selectBuckets(store.db).map((b) => [b.signature, b.incidents])).toEqual([
      // Same count and time: by signature id.
      ['0xC9/0x7 | otherdrv | IRP_MJ_DEVICE_CONTROL 0x222004', 1],
      ['0xC9/0x7 | mydrv | IRP_MJ_DEVICE_CONTROL 0x222004', 1],
    ]);
    expect(explainIncident(store.db, 1)!.explanation.frames.map((f) => [f.printed, f.outcome, f.rule])).toEqual([
      ['nt!KeBugCheckEx', 'skipped', expect.stringMatching(/^rules\/skip\.txt:\d+$/)],
      ['nt!VerifierBugCheckIfAppropriate+0x3c', 'skipped', expect.stringMatching(/^rules\/skip\.txt:\d+$/)],
      ['mydrv+0x1a4a', 'collapsed', `rules/collapse.txt:${readFileSync(join(root, 'rules', 'collapse.txt'), 'utf8').split('\n').indexOf('@no-function') + 1}`],
      ['nt!IofCallDriver+0x55', 'not-walked', null],
    ]);
    store.close();
  });

  it('the same crash from two builds (other offsets, an extra inline frame) gets one bucket, and says why', async () => {
    const store = await storeWith([join(FIX, 'spray-build-a.txt'), join(FIX, 'spray-build-b.txt')]);
    const buckets = selectBuckets(store.db);
    expect(buckets).toEqual([{
      signatureId: signatureIdOf('0xC9/0x7 | mydrv!MyCompleteRequest | IRP_MJ_DEVICE_CONTROL 0x222004'),
      signature: '0xC9/0x7 | mydrv!MyCompleteRequest | IRP_MJ_DEVICE_CONTROL 0x222004',
      incidents: 2, firstSeen: '2016-08-04T17:42:12.3450000Z', lastSeen: '2016-08-06T16:15:40.1200000Z', builds: 2, machines: null, newestIncident: 2, module: 'mydrv', ruleVersions: ['1'],
    }]);
    const why = explainSignature(store.db, buckets[0]!.signatureId)!;
    expect(why.printedForms).toEqual([{ printed: 'mydrv!MyCompleteRequest+0x1f', incidents: [1] }, { printed: 'mydrv!MyCompleteRequest+0x2b', incidents: [2] }]);
    expect(why.incidents.map((m) => [m.incident, m.skipped, m.framesFrom])).toEqual([[1, 2, 'stack'], [2, 3, 'stack']]);
    expect(why.shared.map((p) => [p.part, p.value])).toEqual([['bugcheck', '0xC9/0x7'], ['frames', 'mydrv!MyCompleteRequest'], ['request', 'IRP_MJ_DEVICE_CONTROL 0x222004']]);
    expect(explainIncident(store.db, 2)!.explanation.frames[2]).toEqual({
      line: 51, printed: 'mydrv!MyValidateIrp+0x12', frame: 'mydrv!MyValidateIrp', outcome: 'skipped', text: null,
      rule: `rules/skip.txt:${readFileSync(join(root, 'rules', 'skip.txt'), 'utf8').split('\n').indexOf('@inline') + 1}`, pattern: '@inline',
      reason: 'an inline frame: the same code as the frame it was inlined into',
    });
    store.close();
  });
});

function teamRules(skip: string): string {
  const dir = join(tempDir(), 'acme-rules');
  mkdirSync(dir);
  writeFileSync(join(dir, 'skip.txt'), skip);
  return dir;
}

describe('rule versions and resignature', () => {
  it('a team rule is a new version; it regroups history only when resignature is asked to, and says what moved', async () => {
    const files = [join(root, 'samples', 'correlated', 'crash-mydrv.txt'), join(FIX, 'logging-helper.txt')];
    const store = await storeWith(files);
    expect(selectBuckets(store.db).map((b) => b.signature)).toEqual([
      '0xC9/0x7 | mydrv!MyTraceError | IRP_MJ_DEVICE_CONTROL 0x222004',
      '0xC9/0x7 | mydrv!MyDispatchDeviceControl | IRP_MJ_DEVICE_CONTROL 0x222004',
    ]);
    const team = loadRuleSet([teamRules('# tracing helpers log, they do not fail\nmydrv!MyTrace*\n')]);
    expect(team.version).toMatch(/^1\+[0-9a-f]{8}$/);
    expect(team.rules.at(-1)).toMatchObject({ kind: 'skip', pattern: 'mydrv!MyTrace*', at: 'acme-rules/skip.txt:2' });

    // A new file signed with the team rules: the old incidents keep version 1; the store now mixes two versions.
    const third = join(tempDir(), 'again.txt');
    writeFileSync(third, readFileSync(join(FIX, 'logging-helper.txt'), 'utf8').replace('Mon Aug  8', 'Tue Aug  9'));
    await ingestFile(store, third, { ruleSet: team });
    expect(selectRuleVersions(store.db)).toEqual([{ version: '1', incidents: 2 }, { version: team.version, incidents: 1 }]);
    expect(selectBuckets(store.db).map((b) => [b.signature, b.incidents, b.ruleVersions])).toEqual([
      ['0xC9/0x7 | mydrv!MyDispatchDeviceControl | IRP_MJ_DEVICE_CONTROL 0x222004', 2, ['1', team.version]],
      ['0xC9/0x7 | mydrv!MyTraceError | IRP_MJ_DEVICE_CONTROL 0x222004', 1, ['1']],
    ]);

    const dry = resignature(store.db, team, true);
    const moved = { incident: 2, before: { signature: '0xC9/0x7 | mydrv!MyTraceError | IRP_MJ_DEVICE_CONTROL 0x222004', signatureId: signatureIdOf('0xC9/0x7 | mydrv!MyTraceError | IRP_MJ_DEVICE_CONTROL 0x222004'), ruleVersion: '1' },
      after: { signature: '0xC9/0x7 | mydrv!MyDispatchDeviceControl | IRP_MJ_DEVICE_CONTROL 0x222004', signatureId: signatureIdOf('0xC9/0x7 | mydrv!MyDispatchDeviceControl | IRP_MJ_DEVICE_CONTROL 0x222004') } };
    expect(dry).toEqual({
      dryRun: true, versionsBefore: [{ version: '1', incidents: 2 }, { version: team.version, incidents: 1 }], versionAfter: team.version, incidents: 3,
      moved: [moved], relabelled: 1, unchanged: 1, bucketsBefore: 2, bucketsAfter: 1,
      changes: [{ kind: 'merged', from: [moved.after.signatureId, moved.before.signatureId].sort(), to: [moved.after.signatureId], incidents: [1, 2, 3] }],
    });
    // The dry run wrote nothing.
    expect(selectRuleVersions(store.db)).toEqual([{ version: '1', incidents: 2 }, { version: team.version, incidents: 1 }]);

    expect(resignature(store.db, team, false)).toEqual({ ...dry, dryRun: false });
    expect(selectRuleVersions(store.db)).toEqual([{ version: team.version, incidents: 3 }]);
    expect(selectBuckets(store.db).map((b) => [b.signature, b.incidents])).toEqual([['0xC9/0x7 | mydrv!MyDispatchDeviceControl | IRP_MJ_DEVICE_CONTROL 0x222004', 3]]);
    // Back to the built-in rules: split again, every incident moves back under version 1.
    const back = resignature(store.db, RULES, false);
    expect([back.moved.length, back.relabelled, back.bucketsAfter, back.changes.map((c) => c.kind)]).toEqual([2, 1, 2, ['split']]);
    store.close();
  });

  it('keeps bucket_summaries equal to summing the incidents up again, through ingests and resignature', async () => {
    const store = openStore(freshStoreLocation('irpscope-sig-'));
    const summed = (): unknown[] => store.db.prepare(`${bucketAggregateSql([], true)} ORDER BY signature_id`).all();
    const kept = (): unknown[] => store.db.prepare('SELECT signature_id, signature, incidents, first_ticks, last_ticks, builds, machines, versions, module, newest FROM bucket_summaries ORDER BY signature_id').all();
    for (const f of [...REAL_FILES, ...txt('test/fixtures/signatures')]) {
      await ingestFile(store, f);
      expect(kept()).toEqual(summed());
    }
    expect(kept().length).toBeGreaterThan(10);
    resignature(store.db, loadRuleSet([teamRules('mydrv!MyTrace*\n')]), false);
    expect(kept()).toEqual(summed());
    // A plain listing reads the summaries: every bucket, biggest first.
    expect(selectBuckets(store.db, { limit: 1000 }).map((b) => b.signatureId).sort()).toEqual(summed().map((r) => (r as { signature_id: string }).signature_id));
    store.close();
  });

  it('refuses built-in rules whose text changed under an unchanged VERSION', async () => {
    const store = await storeWith([join(root, 'samples', 'correlated', 'crash-mydrv.txt')]);
    const changed = join(tempDir(), 'rules');
    cpSync(builtinRulesDir(), changed, { recursive: true });
    writeFileSync(join(changed, 'skip.txt'), `${readFileSync(join(changed, 'skip.txt'), 'utf8')}mydrv!MyDispatchDeviceControl\n`);
    const edited = loadRuleSet([], changed);
    expect(edited.version).toBe('1');
    expect(edited.digest).not.toBe(RULES.digest);
    expect(() => resignature(store.db, edited, false)).toThrow(RuleDigestMismatchError);
    expect(() => resignature(store.db, edited, true)).toThrow(RuleDigestMismatchError);
    expect(() => resignature(store.db, edited, false)).toThrow(`the rules changed but their version did not: version 1 was recorded with digest ${RULES.digest.slice(0, 12)}, the rules loaded now have ${edited.digest.slice(0, 12)}; bump rules/VERSION`);
    // Bumped, it is a new version and signs: the dispatch routine is skipped now, and so is SYMBOL_NAME (the same
    // function), so MODULE_NAME stands in.
    writeFileSync(join(changed, 'VERSION'), '2\n');
    const bumped = loadRuleSet([], changed);
    expect(resignature(store.db, bumped, false).moved.map((m) => m.after.signature)).toEqual(['0xC9/0x7 | mydrv | IRP_MJ_DEVICE_CONTROL 0x222004']);
    expect(store.db.prepare('SELECT version FROM rule_sets ORDER BY version').all()).toEqual([{ version: '1' }, { version: '2' }]);
    store.close();
  });

  it('reports a malformed rule with its file and line', () => {
    expect(() => parseRuleFile('acme/skip.txt', 'skip', '# ok\n\n!KeBugCheckEx\n')).toThrow(new RuleError('acme/skip.txt:3: expected "module!function" or "module" (a module name has no spaces, * for any run of characters), got "!KeBugCheckEx"'));
    expect(() => parseRuleFile('acme/stop.txt', 'stop', 'nt!Foo\n@inline\n')).toThrow(new RuleError('acme/stop.txt:2: @inline belongs in skip.txt, not in stop.txt'));
    expect(() => parseRuleFile('acme/skip.txt', 'skip', '@nope')).toThrow(new RuleError('acme/skip.txt:1: unknown directive "@nope"; known: @inline, @bare-address, @no-function'));
    expect(() => parseRuleFile('acme/prefix.txt', 'prefix', 'nt!\n')).toThrow(new RuleError('acme/prefix.txt:1: expected a function after "!" (or * for every function), got "nt!"'));
    const dir = join(tempDir(), 'odd');
    mkdirSync(dir);
    writeFileSync(join(dir, 'skips.txt'), 'nt!Foo\n');
    expect(() => loadRuleSet([dir])).toThrow(`${join(dir, 'skips.txt')}: not a rule file; a rules folder holds skip.txt, stop.txt, prefix.txt, collapse.txt, VERSION and *.md notes`);
  });

  it('finds splits and merges between two groupings', () => {
    expect(bucketChanges(new Map([[1, 'a'], [2, 'a'], [3, 'b']]), new Map([[1, 'a'], [2, 'c'], [3, 'c']]))).toEqual([
      { kind: 'split', from: ['a'], to: ['a', 'c'], incidents: [1, 2] },
      { kind: 'merged', from: ['a', 'b'], to: ['c'], incidents: [2, 3] },
    ]);
  });
});

describe('the builder', () => {
  const facts = (over: Partial<IncidentFacts>): IncidentFacts => ({ code: null, args: [null, null, null, null], symbol: null, module: null, image: null, probablyCausedBy: null, failureBucket: null, frames: [], request: null, ...over });
  const frame = (line: number, symbol: string, module: string | null, fn: string | null, inline = false): SignatureFrame => ({ line, symbol, module, function: fn, inline });

  it('names the exception status of 0x3B, 0x7E, 0x1E, 0x8E and the 0x1000.... forms from Arg1', () => {
    const av = ['0x00000000C0000005', null, null, null];
    for (const code of [0x3b, 0x7e, 0x1e, 0x8e, 0x1000007e, 0x1000008e]) {
      expect(buildSignature(facts({ code, args: av, frames: [frame(1, 'mydrv!Fn+0x1', 'mydrv', 'Fn')] }), RULES).signature)
        .toBe(`0x${code.toString(16).toUpperCase()} | STATUS_ACCESS_VIOLATION | mydrv!Fn`);
    }
    expect(buildSignature(facts({ code: 0x7e, args: ['0xFFFFFFFF80000003', null, null, null] }), RULES).signature).toBe('0x7E | STATUS_BREAKPOINT | no faulting frame');
    expect(buildSignature(facts({ code: 0xd1, args: ['0x0000000000000014', null, null, null] }), RULES).signature).toBe('0xD1 | no faulting frame');
  });

  it('keeps prefix frames and goes on; a recursive prefix counts once; a stop frame ends the walk', () => {
    const s = buildSignature(facts({ code: 0x10d, args: ['0x0000000000000006', '0x0000000000000003', null, null], frames: [
      frame(1, 'nt!KeBugCheckEx', 'nt', 'KeBugCheckEx'),
      frame(2, 'Wdf01000!FxVerifierBugCheckWorker+0x24', 'Wdf01000', 'FxVerifierBugCheckWorker'),
      frame(3, 'Wdf01000!FxRequest::Complete+0x10', 'Wdf01000', 'FxRequest::Complete'),
      frame(4, 'Wdf01000!imp_WdfRequestComplete+0x8', 'Wdf01000', 'imp_WdfRequestComplete'),
      frame(5, 'Wdf01000!imp_WdfRequestComplete+0x8', 'Wdf01000', 'imp_WdfRequestComplete'),
      frame(6, 'mydrv!EvtIoDeviceControl+0x99', 'mydrv', 'EvtIoDeviceControl'),
      frame(7, 'nt!ExpWorkerThread+0x1', 'nt', 'ExpWorkerThread'),
    ], request: { major: 'IRP_MJ_DEVICE_CONTROL', ioctl: 0x222004, from: 'test' } }), RULES);
    expect(s.signature).toBe('0x10D/0x6 | wdf01000!imp_WdfRequestComplete > mydrv!EvtIoDeviceControl | IRP_MJ_DEVICE_CONTROL 0x222004');
    expect(s.explanation.frames.map((f) => f.outcome)).toEqual(['skipped', 'skipped', 'skipped', 'prefix', 'skipped', 'kept', 'not-walked']);
    const stopped = buildSignature(facts({ code: 0x9f, args: ['0x0000000000000003', null, null, null], module: 'pci', frames: [
      frame(1, 'nt!KiSwapContext+0x7a', 'nt', 'KiSwapContext'), frame(2, 'nt!ExpWorkerThread+0x1', 'nt', 'ExpWorkerThread'), frame(3, 'mydrv!Never+0x1', 'mydrv', 'Never'),
    ] }), RULES);
    expect(stopped.signature).toBe('0x9F/0x3 | pci');
    expect(stopped.parts.framesFrom).toBe('module-name');
    expect(stopped.explanation.frames.map((f) => f.outcome)).toEqual(['skipped', 'stopped', 'not-walked', 'collapsed']);
  });

  it('falls back to the symbol ending FAILURE_BUCKET_ID, after every other analysis key', () => {
    const s = buildSignature(facts({ code: 0xc9, args: ['0x0000000000000007', null, null, null], failureBucket: '0xc9_7_VRF_mydrv!MyDispatchDeviceControl' }), RULES);
    expect([s.signature, s.parts.framesFrom, s.explanation.frames.map((f) => f.reason)]).toEqual([
      '0xC9/0x7 | mydrv!MyDispatchDeviceControl', 'failure-bucket', ['FAILURE_BUCKET_ID (the stack gave no frame): the first frame no rule passes over'],
    ]);
    expect(buildSignature(facts({ code: 0xc9, module: 'otherdrv', failureBucket: '0xc9_7_VRF_mydrv!MyDispatchDeviceControl' }), RULES).signature).toBe('0xC9 | otherdrv');
    expect(buildSignature(facts({ code: 0xc9, failureBucket: 'WIN7_DRIVER_FAULT' }), RULES).signature).toBe('0xC9 | no faulting frame');
  });

  it('collapses symbol-less frames to their module and does not let bare addresses merge crashes', () => {
    const sig = (frames: SignatureFrame[]): string => buildSignature(facts({ code: 0xd1, frames }), RULES).signature;
    expect(sig([frame(1, 'fffff801`12345678', null, null), frame(2, 'mydrv+0x1234', 'mydrv', null)])).toBe('0xD1 | mydrv');
    expect(sig([frame(1, 'fffff801`12345678', null, null), frame(2, 'otherdrv+0x1234', 'otherdrv', null)])).toBe('0xD1 | otherdrv');
    expect(sig([frame(1, 'acme!unknown+0x10', 'acme', 'unknown')])).toBe('0xD1 | acme');
    expect(sig([frame(1, 'nt! ?? ::FNODOBFM::`string\'+0x4bd58', 'nt', '?? ::FNODOBFM::`string\'')])).toBe('0xD1 | nt');
    expect(sig([frame(1, 'MyDrv!Fn+0x1', 'MyDrv', 'Fn')])).toBe(sig([frame(1, 'mydrv!Fn+0x2', 'mydrv', 'Fn')]));
  });
});

const MODULES = ['mydrv', 'otherdrv', 'nt', 'Wdf01000', 'usbhub', 'ntdll'];
const FUNCTIONS = ['KeBugCheckEx', 'IofCallDriver', 'IovCallDriver', 'Dispatch', 'EvtIoRead', 'imp_WdfRequestComplete', 'ExFreePoolWithTag', 'Helper', 'ExpWorkerThread', 'unknown'];
const offset = fc.integer({ min: 0, max: 0xfffff }).map((n) => `0x${n.toString(16)}`);
const arbitraryFrame = fc.record({
  module: fc.option(fc.constantFrom(...MODULES), { freq: 8 }),
  fn: fc.option(fc.constantFrom(...FUNCTIONS), { freq: 5 }),
  off: offset,
  inline: fc.boolean(),
});
type ArbitraryFrame = { module: string | null; fn: string | null; off: string; inline: boolean };
const toFrames = (fs: readonly ArbitraryFrame[]): SignatureFrame[] => fs.map((f, i) => ({
  line: i + 1,
  symbol: f.module === null ? `fffff801\`${f.off.slice(2).padStart(8, '0')}` : f.fn === null ? `${f.module}+${f.off}` : `${f.module}!${f.fn}+${f.off}`,
  module: f.module, function: f.module === null ? null : f.fn, inline: f.inline,
}));

describe('properties', () => {
  it('a signature does not change when only the offsets in its frames change, or inline frames come and go', () => {
    fc.assert(fc.property(fc.array(arbitraryFrame, { maxLength: 12 }), fc.array(offset, { minLength: 12, maxLength: 12 }), fc.array(arbitraryFrame, { maxLength: 3 }), fc.nat(12),
      (frames, offsets, inlined, at) => {
        const base: IncidentFacts = { code: 0xc4, args: ['0x0000000000000062', null, null, null], symbol: null, module: 'mydrv', image: null, probablyCausedBy: null, failureBucket: null, frames: toFrames(frames), request: null };
        const moved = toFrames(frames.map((f, i) => ({ ...f, off: offsets[i]! })));
        const withInline = toFrames([...frames.slice(0, at), ...inlined.map((f) => ({ ...f, inline: true })), ...frames.slice(at)]);
        const expected = buildSignature(base, RULES).signature;
        expect(buildSignature({ ...base, frames: moved }, RULES).signature).toBe(expected);
        expect(buildSignature({ ...base, frames: withInline }, RULES).signature).toBe(expected);
      }), { seed: 0x5167, numRuns: 300 });
  });

  it('a rule written as a frame name matches exactly that frame, whatever characters it holds', () => {
    const moduleName = fc.stringMatching(/^[A-Za-z0-9_.$?()[\]{}^+|\\-]{1,12}$/);
    const functionName = fc.stringMatching(/^[A-Za-z0-9_:<>~.$?()[\]{}^+|\\` -]{1,24}$/).filter((f) => f.trim() === f && f !== '');
    fc.assert(fc.property(moduleName, functionName, functionName, (module, fn, other) => {
      const [rule] = parseRuleFile('p/skip.txt', 'skip', `# a comment\n\n${module}!${fn}\n`);
      expect([rule!.at, rule!.pattern]).toEqual(['p/skip.txt:3', `${module}!${fn}`]);
      expect(rule!.matcher!.test(`${module.toLowerCase()}!${fn}`)).toBe(true);
      expect(rule!.matcher!.test(`${module.toLowerCase()}!${other}`)).toBe(other.toLowerCase() === fn.toLowerCase());
    }), { seed: 0x2a1e, numRuns: 300 });
  });

  it('crashes without symbols in two different modules never share a bucket', () => {
    const moduleName = fc.stringMatching(/^[a-z][a-z0-9_]{0,10}$/).filter((m) => !['nt', 'ntdll', 'kernelbase', 'kernel32'].includes(m));
    fc.assert(fc.property(moduleName, moduleName, fc.array(offset, { minLength: 2, maxLength: 2 }), (a, b, [offA, offB]) => {
      fc.pre(a !== b);
      const sign = (module: string, off: string): string => buildSignature({
        code: 0xd1, args: [null, null, null, null], symbol: null, module: null, image: null, probablyCausedBy: null, failureBucket: null, request: null,
        frames: [{ line: 1, symbol: 'nt!KeBugCheckEx', module: 'nt', function: 'KeBugCheckEx', inline: false }, { line: 2, symbol: `${module}+${off}`, module, function: null, inline: false }],
      }, RULES).signature;
      expect(sign(a, offA!)).not.toBe(sign(b, offB!));
      expect(sign(a, offA!)).toBe(sign(a, offB!));
    }), { seed: 0xb0c7, numRuns: 300 });
  });

  it('signatures do not depend on the order the files were ingested in', async () => {
    const files = [join(root, 'samples', 'correlated', 'crash-mydrv.txt'), join(FIX, 'nosym-mydrv.txt'), join(FIX, 'nosym-otherdrv.txt'), join(FIX, 'spray-build-a.txt'),
      join(FIX, 'spray-build-b.txt'), join(FIX, 'logging-helper.txt'), join(root, 'test', 'fixtures', 'windbg', 'usbip-win-257-tail.txt')];
    const reference = signaturesByFile(await storeWith(files));
    expect(Object.keys(reference).length).toBe(7);
    await fc.assert(fc.asyncProperty(fc.shuffledSubarray(files, { minLength: files.length, maxLength: files.length }), async (order) => {
      const store = await storeWith(order);
      expect(signaturesByFile(store)).toEqual(reference);
      store.close();
    }), { seed: 0x0de7, numRuns: 6 });
  });
});

describe('the ingest hook', () => {
  it('signs a source in its own transaction and skips sources without incidents', async () => {
    const store = await storeWith([join(root, 'samples', 'etw', 'tracerpt-driver-irp.csv')]);
    expect(signSource(store.db, 1)).toBe(0);
    expect(store.db.prepare('SELECT count(*) AS n FROM rule_sets').get()).toEqual({ n: 0n });
    store.close();
  });
});

describe('machine names', () => {
  it('a "Machine Name:" with a value is a session fact; buckets count distinct machines, null when none printed one', async () => {
    const { parseText } = await import('../parsers/pipeline.js');
    const sample = readFileSync(join(root, 'samples', 'correlated', 'crash-mydrv.txt'), 'utf8');
    const named = (machine: string, day: string): string => {
      const file = join(tempDir(), `${machine}.txt`);
      writeFileSync(file, sample.replace('Machine Name:\n', `Machine Name: ${machine}\n`).replace('Thu Aug  4', day));
      return file;
    };
    const parsed = await parseText(sample.replace('Machine Name:\n', 'Machine Name: LAB-07\n'), undefined, 'crash.txt');
    expect(parsed.records.filter((r) => r.type === 'session' && (r as { key: string }).key === 'machine-name')).toEqual([{ type: 'session', line: 13, key: 'machine-name', value: 'LAB-07' }]);
    const store = await storeWith([named('LAB-07', 'Fri Aug  5'), named('LAB-09', 'Sat Aug  6'), named('LAB-07', 'Sun Aug  7')]);
    expect(selectBuckets(store.db).map((b) => [b.incidents, b.machines])).toEqual([[3, 2]]);
    store.close();
    const unnamed = await storeWith([join(root, 'samples', 'correlated', 'crash-mydrv.txt')]);
    expect(selectBuckets(unnamed.db).map((b) => [b.incidents, b.machines])).toEqual([[1, null]]);
    unnamed.close();
  });
});
