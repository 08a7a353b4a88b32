/**
 * !analyze -v, the other bugcheck announcements and the session header, on the real samples of the shared corpus
 * (copied byte-exact under fixtures/windbg/ with their source URL), under every markdown/encoding damage, and on
 * arbitrary input.
 */
import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseChunks, parseText, type ParseSummary } from '../parsers/pipeline.js';
import { DebuggerTextParser } from '../parsers/windbg/engine.js';
import { WINDBG_SHAPES } from '../parsers/windbg/index.js';
import type { Bugcheck, Frame, ParsedRecord, Session, Skipped } from '../src/records/index.js';

const FIXTURES = fileURLToPath(new URL('./fixtures/windbg/', import.meta.url));
const fixture = (name: string): Buffer => readFileSync(FIXTURES + name);

function expectAccounted(summary: ParseSummary): void {
  const a = summary.account;
  expect(a.recordLines + a.noiseLines + a.skippedLines).toBe(a.lines);
  expect(summary.lines).toBe(a.lines + a.markdownNoise);
}

const bugchecks = (records: readonly ParsedRecord[]): Bugcheck[] => records.filter((r): r is Bugcheck => r.type === 'bugcheck');
const frames = (records: readonly ParsedRecord[]): Frame[] => records.filter((r): r is Frame => r.type === 'frame');
const sessions = (records: readonly ParsedRecord[]): Session[] => records.filter((r): r is Session => r.type === 'session');

/** Records without their line numbers: damage that adds or removes lines must not change anything else. */
function withoutLines(records: readonly ParsedRecord[]): unknown[] {
  return records.map((r) => {
    const { line: _line, ...rest } = r;
    return 'locations' in rest ? { ...rest, locations: rest.locations.map(({ line: _l, ...l }) => l) } : rest;
  });
}

async function parse(text: string | Uint8Array, format?: string): Promise<{ summary: ParseSummary; records: ParsedRecord[]; skipped: Skipped[] }> {
  const result = await parseText(text, format);
  expectAccounted(result.summary);
  return result;
}

// ------------------------------------------------------------------------------------------------
// Golden files

/** The fixtures this suite owns, with the parser auto-detection picks for each. */
const GOLDEN: Record<string, 'windbg' | 'verifier'> = {
  'simplesvmhook-10.txt': 'windbg',
  'npcap-229.txt': 'windbg',
  'btrfs-65.txt': 'windbg',
  'kvm-guest-drivers-windows-27.txt': 'windbg',
  'openzfs-562.txt': 'windbg',
  'winfsp-246-desc.txt': 'windbg',
  'winfsp-246-comment.txt': 'windbg',
  'winfsp-469.txt': 'windbg',
  'usbip-win-257-tail.txt': 'windbg',
  'irpmon-116-part.txt': 'windbg',
  'dokany-27.txt': 'windbg',
  'mac-precision-touchpad-92.txt': 'verifier',
  'scptoolkit-29.txt': 'verifier',
  'systeminformer-275.txt': 'verifier',
  'windows-driver-docs-1623.txt': 'verifier',
  'windows-driver-samples-205.txt': 'verifier',
};

describe('golden records of the real samples', () => {
  for (const [name, format] of Object.entries(GOLDEN)) {
    it(name, async () => {
      const { summary, records, skipped } = await parse(fixture(name));
      expect(summary.format).toBe(format);
      expect(records).toEqual(JSON.parse(readFileSync(`${FIXTURES}${name}.expected.json`, 'utf8')));
      // Every line of these samples is read or known noise: nothing is left in the skipped list.
      expect(skipped).toEqual([]);
      expect(readFileSync(`${FIXTURES}${name}.source`, 'utf8')).toMatch(/^https:\/\/github\.com\/\S+\n?$/);
    });
  }
});

// ------------------------------------------------------------------------------------------------
// MANIFEST.tsv values, checked one by one (columns: bugcheck_code, bugcheck_name, arg1..arg4 as printed,
// module_or_image, failure_bucket; '' = empty in the MANIFEST).

interface ManifestRow {
  readonly code: string;
  readonly name: string;
  readonly args: readonly [string, string, string, string];
  readonly moduleOrImage: string;
  readonly failureBucket: string;
}

const NO_ARGS = ['', '', '', ''] as const;
const MANIFEST: Record<string, ManifestRow> = {
  'btrfs-65.txt': { code: '0x00000139', name: 'KERNEL_SECURITY_CHECK_FAILURE', args: ['0000000000000003', 'ffff94855b0ed940', 'ffff94855b0ed898', '0000000000000000'], moduleOrImage: '', failureBucket: '' },
  'kvm-guest-drivers-windows-27.txt': { code: '0x0000009F', name: 'DRIVER_POWER_STATE_FAILURE', args: ['0000000000000003', 'fffffa8003eaba10', 'fffff80000b9c518', 'fffffa8004cbb250'], moduleOrImage: 'pci.sys', failureBucket: '' },
  'npcap-229.txt': { code: '0x000000D1', name: 'DRIVER_IRQL_NOT_LESS_OR_EQUAL', args: NO_ARGS, moduleOrImage: '', failureBucket: '' },
  'openzfs-562.txt': { code: '0x0000009F', name: 'DRIVER_POWER_STATE_FAILURE', args: ['0000000000000004', '000000000000012c', 'ffffe20f7c803040', 'fffff588255df140'], moduleOrImage: '', failureBucket: '0x9F_4_OpenZFS!zfs_unload_stage_1' },
  'winfsp-246-comment.txt': { code: '0x0000000A', name: 'IRQL_NOT_LESS_OR_EQUAL', args: ['0000000000000014', '0000000000000002', '0000000000000001', 'fffff800046a9ba5'], moduleOrImage: '', failureBucket: '' },
  'winfsp-246-desc.txt': { code: '0x0000000A', name: 'IRQL_NOT_LESS_OR_EQUAL', args: ['0000000000000014', '0000000000000002', '0000000000000001', 'fffff80004483544'], moduleOrImage: '', failureBucket: '' },
  'winfsp-469.txt': { code: '0x0000003B', name: 'SYSTEM_SERVICE_EXCEPTION', args: ['00000000c0000005', 'fffff80175cfc208', 'ffffb386ac2ec150', '0000000000000000'], moduleOrImage: '', failureBucket: '' },
  'dokany-27.txt': { code: '0x00000050', name: 'PAGE_FAULT_IN_NONPAGED_AREA', args: ['ffffffffffffffd0', '0000000000000001', 'fffff8030f267fb3', '0000000000000000'], moduleOrImage: '', failureBucket: '' },
  'mac-precision-touchpad-92.txt': { code: '0x0000010D', name: 'WDF_VIOLATION', args: ['0000000000000006', '0000000000000003', '000024f58130f798', 'ffffdb0a7eaa3010'], moduleOrImage: '', failureBucket: '' },
  'scptoolkit-29.txt': { code: '0x000000C9', name: 'DRIVER_VERIFIER_IOMANAGER_VIOLATION', args: ['000000000000021f', 'fffff800e247b174', 'ffffcf8147d54dc0', '0000000000000000'], moduleOrImage: '', failureBucket: '' },
  'systeminformer-275.txt': { code: '0x000000C4', name: 'DRIVER_VERIFIER_DETECTED_VIOLATION', args: ['000000f6', '0000036c', 'b0e04a40', '81717021'], moduleOrImage: '', failureBucket: '' },
  'windows-driver-docs-1623.txt': { code: '0x000000C4', name: 'DRIVER_VERIFIER_DETECTED_VIOLATION', args: ['00000000000000dd', 'fffff880046a76d0', 'fffff88004665000', '0000000000000000'], moduleOrImage: '', failureBucket: '' },
  'windows-driver-samples-205.txt': { code: '0x000000C4', name: 'DRIVER_VERIFIER_DETECTED_VIOLATION', args: ['0000000000000062', 'ffffd407b3ac53a0', 'ffffd407b3ccbee0', '0000000000000003'], moduleOrImage: 'echosrv.sys', failureBucket: '' },
};

/** An argument as the MANIFEST copies it (width, case, backticks as printed) in the record convention. */
const asHex64 = (printed: string): string | null => (printed === '' ? null : `0x${printed.replace(/`/g, '').replace(/^0x/i, '').toUpperCase().padStart(16, '0')}`);

describe('MANIFEST values per file', () => {
  for (const [name, row] of Object.entries(MANIFEST)) {
    it(name, async () => {
      const { records } = await parse(fixture(name));
      const found = bugchecks(records);
      expect(found).toHaveLength(1);
      const bugcheck = found[0]!;
      expect(bugcheck.code).toBe(row.code);
      expect(bugcheck.name).toBe(row.name);
      expect(bugcheck.args).toEqual(row.args.map(asHex64));
      expect(bugcheck.image ?? bugcheck.module).toBe(row.moduleOrImage || null);
      expect(bugcheck.failureBucket).toBe(row.failureBucket || null);
    });
  }

  it('x86 arguments are zero-extended as printed; the sign-extended BUGCHECK_Pn stay in details (systeminformer-275)', async () => {
    const [bugcheck] = bugchecks((await parse(fixture('systeminformer-275.txt'))).records);
    expect(bugcheck!.args).toEqual(['0x00000000000000F6', '0x000000000000036C', '0x00000000B0E04A40', '0x0000000081717021']);
    expect(bugcheck!.details['BUGCHECK_P3']).toBe('ffffffffb0e04a40');
    expect(bugcheck!.bugcheckStr).toBe('0xc4_f6');
  });

  it('usbip-win-257-tail: MANIFEST has no code (only the bucket prefix says 0x3B); we emit it via "bucket"', async () => {
    // Our choice: the FAILURE_BUCKET_ID prefix 0x3B is the only statement of the code in this tail, so the record
    // carries it and says where it came from (via 'bucket'); the name comes from the tables for 0x3B.
    const { records } = await parse(fixture('usbip-win-257-tail.txt'));
    const [bugcheck, ...more] = bugchecks(records);
    expect(more).toEqual([]);
    expect(bugcheck).toMatchObject({ via: 'bucket', code: '0x0000003B', name: 'SYSTEM_SERVICE_EXCEPTION', args: [null, null, null, null] });
    expect(bugcheck!.image).toBe('udecx.sys'); // MANIFEST module_or_image
    expect(bugcheck!.module).toBe('udecx');
    expect(bugcheck!.failureBucket).toBe('0x3B_c0000005_udecx!UdecxUrbComplete'); // MANIFEST failure_bucket
    expect(bugcheck!.symbol).toBe('udecx!UdecxUrbComplete+5d');
    expect(bugcheck!.failureHash).toBe('{48dea0a8-db66-efc9-d0cd-b31c704f5c07}');
    expect(bugcheck!.osBuild).toBe('10.0.19041.1');
    // The STACK_TEXT row the tail starts with is the same analysis: same incident.
    expect(frames(records).map((f) => f.incident)).toEqual([bugcheck!.incident]);
  });

  it('irpmon-116-part: a middle chunk with no title gives a code-less bugcheck that keeps its keys', async () => {
    const { records } = await parse(fixture('irpmon-116-part.txt'));
    const [bugcheck] = bugchecks(records);
    expect(bugcheck).toMatchObject({ code: null, name: null, process: 'System' });
    expect(bugcheck!.details['WRITE_ADDRESS']).toBe('unable to get nt!PspSessionIdBitmap\n000000000000001c');
    expect(bugcheck!.details['LOCK_ADDRESS']!.split('\n')).toHaveLength(8);
    expect(bugcheck!.details['PNP_TRIAGE_DATA']).toBe('Lock address  : 0xfffff8022825c880\nThread Count  : 1\nThread address: 0xffffd70dafcca040\nThread wait   : 0x83e');
    expect(frames(records)).toMatchObject([{ symbol: 'kbase+0x10aba', module: 'kbase', offset: '0x10aba', incident: bugcheck!.incident }]);
  });

  it('simplesvmhook-10: a session header and a banner cut off: session records, no bugcheck', async () => {
    const { records } = await parse(fixture('simplesvmhook-10.txt'));
    expect(bugchecks(records)).toEqual([]);
    expect(Object.fromEntries(sessions(records).map((s) => [s.key, s.value]))).toEqual({
      'debugger-version': '10.0.22621.755 AMD64',
      'dump-file': 'C:\\Windows\\Minidump\\012323-13015-01.dmp',
      'dump-type': 'Mini Kernel Dump File',
      os: 'Windows 10 Kernel Version 19041 MP (6 procs) Free x64',
      product: 'WinNt, suite: TerminalServer SingleUserTS',
      'kernel-base': '0xFFFFF80410400000',
      'session-time': 'Mon Jan 23 00:23:18.773 2023 (UTC + 8:00)',
      'system-uptime': '0 days 0:22:39.505',
    });
  });

  it('npcap-229: the OS build of the Connected line stands in for the missing one', async () => {
    const { records } = await parse(fixture('npcap-229.txt'));
    expect(bugchecks(records)[0]!.osBuild).toBe('18362');
  });
});

// ------------------------------------------------------------------------------------------------
// Shapes on text written after FORMATS.md sections 1-2

/** One live break-in, told four ways, then !analyze -v of the same crash: one incident. */
const LIVE_BREAK_IN = `Driver Verifier: Bugcheck initiated with Error Code: 0x2001F Error Message: 'ZwClose at raised IRQL'
*** Fatal System Error: 0x000000c4
                       (0x000000000002001F,0xFFFFF80209086738,0x0000000000000000,0x0000000000000000)

Break instruction exception - code 80000003 (first chance)

A fatal system error has occurred.
Debugger entered on first try; Bugcheck callbacks have not been invoked.

For analysis of this file, run !analyze -v
nt!DbgBreakPointWithStatus:
fffff802\`08e5f8f0 cc              int     3
0: kd> .bugcheck
Bugcheck code 000000C4
Arguments 00000000\`0002001f fffff802\`09086738 00000000\`00000000 00000000\`00000000
0: kd> !analyze
*******************************************************************************
*                                                                             *
*                        Bugcheck Analysis                                    *
*                                                                             *
*******************************************************************************

Use !analyze -v to get detailed debugging information.

BugCheck C4, {2001f, fffff80209086738, 0, 0}

Probably caused by : mydrv.sys ( mydrv!Foo+77 )

Followup:     MachineOwner
---------

0: kd> !analyze -v
*******************************************************************************
*                                                                             *
*                        Bugcheck Analysis                                    *
*                                                                             *
*******************************************************************************

DRIVER_VERIFIER_DETECTED_VIOLATION (c4)
A device driver attempting to corrupt the system has been caught.
Arguments:
Arg1: 000000000002001f, ID of the 'IrqlZwPassive' rule that was violated.
Arg2: fffff80209086738, A pointer to the string describing the violated rule condition.
Arg3: 0000000000000000, Reserved (unused).
Arg4: 0000000000000000, Reserved (unused).

Debugging Details:
------------------

SYMSRV:  BYINDEX: 0x5
         c:\\symbols*https://msdl.microsoft.com/download/symbols
         mydrv.pdb
DBGHELP: mydrv - public symbols
Page 5a00 not present in the dump file. Type ".hh dbgerr004" for details
*** WARNING: Unable to verify timestamp for mydrv.sys
Unable to load image \\SystemRoot\\system32\\drivers\\mydrv.sys, Win32 error 0n2

BUGCHECK_CODE:  c4

BUGCHECK_P1: 2001f

CONTEXT:  ffffd001\`2d6f5f80 -- (.cxr 0xffffd001\`2d6f5f80)
rax=0000000000000000 rbx=ffffe0012a5f6b58 rcx=00000000000000c4
rip=fffff8021234abcd rsp=ffffd0012d6f6a38 rbp=0000000000000000
iopl=0         nv up ei pl nz na po nc
cs=0010  ss=0018  ds=002b  es=002b  fs=0053  gs=002b             efl=00050206
mydrv!Foo+0x77:
fffff802\`1234abcd 488b4108        mov     rax,qword ptr [rcx+8]
Resetting default scope

FAULTING_IP: 
mydrv!Foo+77
fffff802\`1234abcd 488b4108        mov     rax,qword ptr [rcx+8]

STACK_TEXT:  
ffffd001\`2d6f6a38 fffff803\`1a5f1d4e : 00000000\`000000c4 00000000\`0002001f fffff802\`09086738 00000000\`00000000 : nt!KeBugCheckEx
ffffd001\`2d6f6a40 fffff803\`1a5f1d4e : 00000000\`000000c4 00000000\`0002001f fffff802\`09086738 00000000\`00000000 : nt!VerifierBugCheckIfAppropriate+0x3c


SYMBOL_NAME:  mydrv!Foo+77

MODULE_NAME: mydrv

IMAGE_NAME:  mydrv.sys

IMAGE_VERSION:  1.2.3.4

FAILURE_BUCKET_ID:  0xc4_2001f_VRF_mydrv!Foo

FAILURE_ID_HASH:  {11111111-2222-3333-4444-555555555555}

Followup:     MachineOwner
---------

0: kd> k
 # Child-SP          RetAddr               Call Site
00 ffffd001\`2d6f6a38 fffff803\`1a5f1d4e     nt!KeBugCheckEx
`;

describe('bugcheck announcements and incidents', () => {
  it('one crash announced five ways is one incident with five records, each from where its facts were printed', async () => {
    const { records, skipped } = await parse(LIVE_BREAK_IN, 'windbg');
    expect(skipped).toEqual([]);
    const found = bugchecks(records);
    expect(found.map((b) => [b.via, b.code, b.incident])).toEqual([
      ['driver-verifier', null, 1],
      ['fatal-system-error', '0x000000C4', 1],
      ['dot-bugcheck', '0x000000C4', 1],
      ['summary', '0x000000C4', 1],
      ['analyze', '0x000000C4', 1],
    ]);
    // The Driver Verifier error code is its rule number, not the bugcheck code: kept as printed, not guessed.
    expect(found[0]!.details).toEqual({ 'Error Code': '0x2001F', 'Error Message': "'ZwClose at raised IRQL'" });
    for (const b of found.slice(1)) expect(b.args).toEqual(['0x000000000002001F', '0xFFFFF80209086738', '0x0000000000000000', '0x0000000000000000']);
    expect(found[1]!.cases[0]!.title).toMatch(/IrqlZwPassive/);
    expect(found[3]!.probablyCausedBy).toBe('mydrv.sys ( mydrv!Foo+77 )');
    const analyze = found[4]!;
    expect(analyze).toMatchObject({ name: 'DRIVER_VERIFIER_DETECTED_VIOLATION', image: 'mydrv.sys', module: 'mydrv', symbol: 'mydrv!Foo+77', imageVersion: '1.2.3.4', failureBucket: '0xc4_2001f_VRF_mydrv!Foo', failureHash: '{11111111-2222-3333-4444-555555555555}' });
    // Register dumps, SYMSRV/DBGHELP chatter and warnings are noise, not values.
    expect(analyze.details).toEqual({
      BUGCHECK_CODE: 'c4',
      BUGCHECK_P1: '2001f',
      CONTEXT: 'ffffd001`2d6f5f80 -- (.cxr 0xffffd001`2d6f5f80)',
      FAULTING_IP: 'mydrv!Foo+77\nfffff802`1234abcd 488b4108        mov     rax,qword ptr [rcx+8]',
      Followup: 'MachineOwner',
    });
    // STACK_TEXT inside the analyze and the `k` after the next prompt belong to the incident.
    expect(frames(records).map((f) => [f.symbol, f.incident, f.verifier])).toEqual([
      ['nt!KeBugCheckEx', 1, false],
      ['nt!VerifierBugCheckIfAppropriate+0x3c', 1, true],
      ['nt!KeBugCheckEx', 1, false],
    ]);
  });

  it('STACK_TEXT frames are emitted while the analysis is still open (bounded memory)', () => {
    const parser = new DebuggerTextParser(WINDBG_SHAPES);
    const row = (i: number): string => `ffffd001\`2d6f${(0x1000 + i).toString(16)} fffff803\`1a5f1d4e : 00000000\`000000c4 00000000\`00000000 00000000\`00000000 00000000\`00000000 : mydrv!Fn${i}+0x10`;
    const lines = ['DRIVER_VERIFIER_DETECTED_VIOLATION (c4)', 'STACK_TEXT:  ', ...Array.from({ length: 2000 }, (_, i) => row(i))];
    const batch = parser.push(lines.map((text, i) => ({ line: i + 1, text })));
    expect(batch.records.filter((r) => r.type === 'frame')).toHaveLength(2000);
    expect(batch.records.filter((r) => r.type === 'bugcheck')).toHaveLength(0); // emitted when the analysis ends
    expect(parser.finish().records.map((r) => r.type)).toEqual(['bugcheck']);
  });

  it('two different crashes in one file are two incidents; a repeated analysis of one crash is not a third', async () => {
    const analysis = (title: string, arg1: string): string => `0: kd> !analyze -v\n${title}\nArguments:\nArg1: ${arg1}, x\n\nDebugging Details:\n------------------\n\nSTACK_TEXT:  \nffffd001\`2d6f6a38 fffff803\`1a5f1d4e : 00000000\`00000000 00000000\`00000000 00000000\`00000000 00000000\`00000000 : nt!KeBugCheckEx\n\nFollowup:     MachineOwner\n---------\n`;
    const text = analysis('IRQL_NOT_LESS_OR_EQUAL (a)', '0000000000000014') + analysis('SYSTEM_SERVICE_EXCEPTION (3b)', '00000000c0000005') + analysis('SYSTEM_SERVICE_EXCEPTION (3b)', '00000000c0000005');
    const { records } = await parse(text, 'windbg');
    expect(bugchecks(records).map((b) => [b.code, b.incident])).toEqual([['0x0000000A', 1], ['0x0000003B', 2], ['0x0000003B', 2]]);
    expect(frames(records).map((f) => f.incident)).toEqual([1, 2, 2]);
  });

  it('a new dump (session header) starts a new incident even for the same code', async () => {
    const crash = 'BugCheck 9F, {3, fffffa8003eaba10, fffff80000b9c518, fffffa8004cbb250}\n\nProbably caused by : pci.sys\n\nFollowup: MachineOwner\n---------\n';
    const text = `Loading Dump File [C:\\a.dmp]\n${crash}Loading Dump File [C:\\b.dmp]\nEdition build lab: 19041.1.amd64fre.vb_release.191206-1406\n${crash}`;
    const { records } = await parse(text, 'windbg');
    const found = bugchecks(records);
    expect(found.map((b) => [b.via, b.code, b.incident, b.probablyCausedBy, b.details['Followup']])).toEqual([
      ['summary', '0x0000009F', 1, 'pci.sys', 'MachineOwner'],
      ['summary', '0x0000009F', 2, 'pci.sys', 'MachineOwner'],
    ]);
    expect(found[0]!.args).toEqual(['0x0000000000000003', '0xFFFFFA8003EABA10', '0xFFFFF80000B9C518', '0xFFFFFA8004CBB250']);
  });

  it('a lone "Probably caused by" is its own summary record, and the stack under it joins its incident (win-pvdrivers)', async () => {
    const { records } = await parse(fixture('win-pvdrivers-xenusb-kb-x86.txt'));
    const [summary, ...more] = bugchecks(records);
    expect(more).toEqual([]);
    expect(summary).toMatchObject({ via: 'summary', code: null, incident: 1, probablyCausedBy: 'USBSTOR.SYS ( USBSTOR!USBSTOR_SyncSendUsbRequest+77 )' });
    expect(new Set(frames(records).map((f) => f.incident))).toEqual(new Set([1]));
  });

  it('"Probably caused by" right after Followup belongs to that analysis', async () => {
    const text = 'WDF_VIOLATION (10d)\nArguments:\nArg1: 0000000000000006, x\n\nFollowup:     MachineOwner\n---------\n\nProbably caused by : Wdf01000.sys ( Wdf01000!FxVerifierBugCheckWorker+24 )\n';
    const { records } = await parse(text, 'windbg');
    expect(bugchecks(records).map((b) => [b.via, b.probablyCausedBy])).toEqual([['analyze', 'Wdf01000.sys ( Wdf01000!FxVerifierBugCheckWorker+24 )']]);
  });

  it('"Unknown bugcheck code (0)" keeps code 0 and no name', async () => {
    const text = 'Unknown bugcheck code (0)\nUnknown bugcheck description\nArguments:\nArg1: 0000000000000000\nArg2: 0000000000000000\nArg3: 0000000000000000\nArg4: 0000000000000000\n';
    const { records, skipped } = await parse(text, 'windbg');
    expect(skipped).toEqual([]);
    expect(bugchecks(records)).toMatchObject([{ code: '0x00000000', name: null, args: ['0x0000000000000000', '0x0000000000000000', '0x0000000000000000', '0x0000000000000000'] }]);
  });

  it('new-style keys: BUGCHECK_CODE and short BUGCHECK_Pn fill code and args when the title and ArgN lines are missing', async () => {
    const text = 'KEY_VALUES_STRING: 1\n\n    Key  : Failure.Bucket\n    Value: 0x9F_3_pci!Foo\n\nBUGCHECK_CODE:  9f\n\nBUGCHECK_P1: 3\n\nBUGCHECK_P2: ffffe20f7c803040\n\nBUGCHECK_P3: ffffffffb0e04a40\nBUGCHECK_P4: 0\nPROCESS_NAME:  System\n';
    const { records } = await parse(text, 'windbg');
    const [bugcheck] = bugchecks(records);
    expect(bugcheck).toMatchObject({ via: 'analyze', code: '0x0000009F', name: 'DRIVER_POWER_STATE_FAILURE', failureBucket: '0x9F_3_pci!Foo', process: 'System' });
    expect(bugcheck!.args).toEqual(['0x0000000000000003', '0xFFFFE20F7C803040', '0xFFFFFFFFB0E04A40', '0x0000000000000000']);
    expect(bugcheck!.details).toEqual({ KEY_VALUES_STRING: '1' }); // keys copied into fields leave details
  });

  it('session header lines are Session records; their OS build fills a bugcheck that has none', async () => {
    const text = [
      'Microsoft (R) Windows Debugger Version 10.0.19041.685 AMD64',
      'Copyright (c) Microsoft Corporation. All rights reserved.',
      'Loading Dump File [C:\\Windows\\MEMORY.DMP]',
      'Kernel Bitmap Dump File: Kernel address space is available, User address space may not be available.',
      'Windows 10 Kernel Version 19041 MP (4 procs) Free x64',
      'Product: WinNt, suite: TerminalServer SingleUserTS Personal',
      'Edition build lab: 19041.1.amd64fre.vb_release.191206-1406',
      'Machine Name:',
      'Kernel base = 0xfffff806`4e200000 PsLoadedModuleList = 0xfffff806`4ee2a2d0',
      'Debug session time: Fri Jan  8 10:12:44.146 2021 (UTC + 1:00)',
      'System Uptime: 0 days 1:02:03.404',
      'BugCheck 139, {3, ffff94855b0ed940, ffff94855b0ed898, 0}',
    ].join('\n');
    const { records, skipped } = await parse(text, 'windbg');
    expect(skipped).toEqual([]);
    expect(sessions(records).map((s) => s.key)).toEqual(['debugger-version', 'dump-file', 'dump-type', 'os', 'product', 'build-lab', 'kernel-base', 'session-time', 'system-uptime']);
    expect(sessions(records)[2]!.value).toBe('Kernel Bitmap Dump File');
    expect(bugchecks(records)).toMatchObject([{ via: 'summary', code: '0x00000139', osBuild: '19041.1.amd64fre.vb_release.191206-1406' }]);
  });

  it('a 2020+ analysis: multi-line values, register displays and notes as noise, no blank lines between some keys', async () => {
    const text = [
      'SYSTEM_SERVICE_EXCEPTION (3b)',
      'Arguments:',
      'Arg1: 00000000c0000005, Exception code that caused the BugCheck',
      'Arg2: fffff801`75cfc208, Address of the instruction which caused the BugCheck',
      'Arg3: ffffb386ac2ec150, Address of the context record for the exception that caused the BugCheck',
      'Arg4: 0000000000000000, zero.',
      '',
      'Debugging Details:',
      '------------------',
      'TAG_NOT_DEFINED_202b:  *** Unknown TAG in analysis list 202b',
      'DUMP_FILE_ATTRIBUTES: 0x1008',
      '  Kernel Generated Triage Dump',
      'EXCEPTION_RECORD:  ffffb386ac2ec9d8 -- (.exr 0xffffb386ac2ec9d8)',
      'ExceptionAddress: fffff80175cfc208 (mydrv!Foo+0x18)',
      '   ExceptionCode: c0000005 (Access violation)',
      'Attempt to read from address 0000000000000010',
      'TRAP_FRAME:  ffffb386ac2ecc80 -- (.trap 0xffffb386ac2ecc80)',
      'NOTE: The trap frame does not contain all registers.',
      'Some register values may be zeroed or incorrect.',
      'rax=0000000000000000 rbx=0000000000000000 rcx=ffffb386ac2ecf00',
      'rip=fffff80175cfc208 rsp=ffffb386ac2ece10 rbp=0000000000000000',
      'iopl=0         nv up ei pl zr na po nc',
      'mydrv!Foo+0x18:',
      'fffff801`75cfc208 488b4110        mov     rax,qword ptr [rcx+10h] ds:00000000`00000010=????????????????',
      'Resetting default scope',
      'READ_ADDRESS: fffff8017f2fb390: Unable to get MiVisibleState',
      'Unable to get NonPagedPoolStart',
      ' 0000000000000010 ',
      'BUGCHECK_CODE:  3b',
      'FAILURE_ID_HASH_STRING:  km:0x3b_c0000005_mydrv!foo',
      'Followup:     MachineOwner',
      '---------',
    ].join('\n');
    const { records, skipped } = await parse(text, 'windbg');
    expect(skipped).toEqual([]);
    expect(bugchecks(records)).toHaveLength(1);
    expect(bugchecks(records)[0]!.args[1]).toBe('0xFFFFF80175CFC208'); // backtick in an Arg value
    expect(bugchecks(records)[0]!.details).toEqual({
      TAG_NOT_DEFINED_202b: '*** Unknown TAG in analysis list 202b',
      DUMP_FILE_ATTRIBUTES: '0x1008\nKernel Generated Triage Dump',
      EXCEPTION_RECORD: 'ffffb386ac2ec9d8 -- (.exr 0xffffb386ac2ec9d8)\nExceptionAddress: fffff80175cfc208 (mydrv!Foo+0x18)\nExceptionCode: c0000005 (Access violation)\nAttempt to read from address 0000000000000010',
      TRAP_FRAME: 'ffffb386ac2ecc80 -- (.trap 0xffffb386ac2ecc80)',
      READ_ADDRESS: 'fffff8017f2fb390: Unable to get MiVisibleState\nUnable to get NonPagedPoolStart\n0000000000000010',
      BUGCHECK_CODE: '3b',
      FAILURE_ID_HASH_STRING: 'km:0x3b_c0000005_mydrv!foo',
      Followup: 'MachineOwner',
    });
  });

  it('banner variants: markdown heading, rule-only, and a banner with nothing after it', async () => {
    const body = 'WDF_VIOLATION (10d)\nArguments:\nArg1: 0000000000000006, x\n';
    for (const banner of ['# Bugcheck Analysis\n\n', '---\n\n', '***\n***\n']) {
      const { records, skipped } = await parse(banner + body, 'windbg');
      expect([banner, skipped]).toEqual([banner, []]);
      expect(bugchecks(records).map((b) => b.code)).toEqual(['0x0000010D']);
    }
    const { records, summary } = await parse('*******\n*  Bugcheck Analysis  *\n*******\n\n0: kd> k\n', 'windbg');
    expect(records).toEqual([]);
    expect(summary.account.noiseLines).toBe(5);
  });

  it('a lone value line at a chunk start is not a title (FORMATS pitfall 8)', async () => {
    const { records, skipped } = await parse('DRIVER_IRQL_NOT_LESS_OR_EQUAL\n', 'windbg');
    expect(bugchecks(records)).toEqual([]);
    expect(skipped.map((s) => s.line)).toEqual([1]);
  });
});

// ------------------------------------------------------------------------------------------------
// Damage: the same text under any of these gives the same records (line numbers aside)

const CR = '\r';

function splitLines(text: string): string[] {
  const lines = text.split(/\r\n|\n/);
  if (lines.at(-1) === '') lines.pop();
  return lines;
}

const join = (lines: readonly string[]): string => `${lines.join('\n')}\n`;
const STAR_ROW = /^\*{20,}\s*$/;
const STAR_SIDES = /^\*\s+\*\s*$/;

/** Each form takes a sample's lines and returns the damaged text (or bytes). */
const DAMAGE: Record<string, (lines: string[]) => string | Uint8Array> = {
  'quoted "> "': (lines) => join(lines.map((l) => (l === '' ? '>' : `> ${l}`))),
  'quoted twice "> > "': (lines) => join(lines.map((l) => (l === '' ? '> >' : `> > ${l}`))),
  '4-space code indent': (lines) => join(lines.map((l) => (l === '' ? '' : `    ${l}`))),
  'fences around and one inside': (lines) => join(['```text', ...lines.slice(0, lines.length >> 1), '```', ...lines.slice(lines.length >> 1), '```']),
  CRLF: (lines) => lines.map((l) => `${l}\r\n`).join(''),
  'lone CR': (lines) => lines.map((l) => `${l}${CR}`).join(''),
  'UTF-8 BOM': (lines) => Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(join(lines))]),
  'UTF-16LE BOM': (lines) => Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(join(lines), 'utf16le')]),
  'UTF-16BE BOM': (lines) => Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(join(lines), 'utf16le').swap16()]),
  'NULs inserted': (lines) => {
    const bytes = Buffer.from(join(lines));
    const out: number[] = [];
    bytes.forEach((b, i) => {
      out.push(b);
      if (i % 7 === 3) out.push(0);
    });
    return Uint8Array.from(out);
  },
  'truncated last line (no final newline)': (lines) => lines.join('\n'),
  'tabs turned to 4 spaces': (lines) => join(lines.map((l) => l.replace(/\t/g, '    '))),
  'tabs turned to 8 spaces': (lines) => join(lines.map((l) => l.replace(/\t/g, '        '))),
  'blank lines doubled': (lines) => join(lines.flatMap((l) => (l.trim() === '' ? [l, l] : [l]))),
  'blank lines collapsed': (lines) => join(lines.filter((l, i) => l.trim() !== '' || (i > 0 && lines[i - 1]!.trim() !== ''))),
  'setext underline eaten': (lines) => join(lines.filter((l, i) => !(/^-{3,}\s*$/.test(l) && /Debugging Details:/.test(lines[i - 1] ?? '')))),
  '## Debugging Details:': (lines) => join(lines.flatMap((l, i) => (/^-{3,}\s*$/.test(l) && /Debugging Details:/.test(lines[i - 1] ?? '') ? [] : [l.replace(/^Debugging Details:/, '## Debugging Details:')]))),
  'banner rows as --- rules': (lines) => join(lines.map((l) => (STAR_ROW.test(l) ? '---' : l))),
  'banner rows as *** rules': (lines) => join(lines.map((l) => (STAR_ROW.test(l) ? '***' : l))),
  'banner as list items * * *': (lines) => join(lines.map((l) => (STAR_ROW.test(l) ? '* * *' : STAR_SIDES.test(l) ? '* *' : /Bugcheck Analysis/.test(l) ? '* Bugcheck Analysis *' : l))),
};

const DAMAGE_SAMPLES = [...Object.keys(GOLDEN), 'ebpf-for-windows-1324.txt', 'win-pvdrivers-xenusb-kb-x86.txt'];

/**
 * The lines the debugger printed. scptoolkit-29 was saved with a markdown code indent on every line; the forms apply
 * to the text under it (a second indent would be a code block inside a code block, which nothing undoes).
 */
function printedLines(name: string): string[] {
  const lines = splitLines(fixture(name).toString('utf8'));
  return name === 'scptoolkit-29.txt' ? lines.map((l) => l.replace(/^ {4}/, '')) : lines;
}

describe('damage forms on the real samples give the same records', () => {
  for (const name of DAMAGE_SAMPLES) {
    const lines = printedLines(name);
    for (const [form, damage] of Object.entries(DAMAGE)) {
      it(`${name}, ${form}`, async () => {
        const format = GOLDEN[name] ?? 'windbg';
        const whole = await parse(fixture(name), format);
        const damaged = await parse(damage(lines), format);
        expect(withoutLines(damaged.records)).toEqual(withoutLines(whole.records));
        expect(damaged.skipped.map((s) => s.text)).toEqual(whole.skipped.map((s) => s.text));
      });
    }
  }
});

// ------------------------------------------------------------------------------------------------
// Properties

/** Lines of every sample plus fragments of them: input that reaches the shapes, not only the text layer. */
const CORPUS_LINES = [...DAMAGE_SAMPLES].flatMap((name) => splitLines(fixture(name).toString('utf8')));
const lineArbitrary = fc.oneof(
  fc.constantFrom(...CORPUS_LINES),
  fc.tuple(fc.constantFrom(...CORPUS_LINES), fc.nat(), fc.nat()).map(([l, a, b]) => l.slice(Math.min(a, b) % (l.length + 1), Math.max(a, b) % (l.length + 1))),
  fc.string({ unit: fc.constantFrom('*', '-', ' ', '\t', ':', '`', '0', 'f', 'A', 'K', 'e', 'y', '!', '+', '(', ')', '[', ']', '@', '>', '#', 'x', '_') }),
  fc.string(),
);

describe('properties', () => {
  it('arbitrary bytes never throw and every line is accounted for', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 600 }), async (bytes) => {
        await parse(bytes, 'windbg');
      }),
      { numRuns: 300 },
    );
  });

  it('arbitrary mixtures of debugger lines never throw, are accounted for, and validate', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(lineArbitrary, { maxLength: 60 }), async (lines) => {
        await parse(lines.join('\n'), 'windbg');
        await parse(lines.join('\n'), 'verifier');
      }),
      { numRuns: 400 },
    );
  });

  it('parsing in random chunks gives the same records as parsing whole', async () => {
    const whole = Buffer.concat(DAMAGE_SAMPLES.map((name) => fixture(name)));
    const expected = await parse(whole, 'windbg');
    await fc.assert(
      fc.asyncProperty(fc.array(fc.nat({ max: whole.length }), { maxLength: 40 }), async (cuts) => {
        const points = [...new Set(cuts)].sort((a, b) => a - b);
        async function* chunks(): AsyncGenerator<Uint8Array> {
          let previous = 0;
          for (const point of [...points, whole.length]) {
            yield whole.subarray(previous, point);
            previous = point;
          }
        }
        const records: ParsedRecord[] = [];
        const skipped: Skipped[] = [];
        const summary = await parseChunks(chunks(), '<chunks>', { record: (r) => records.push(r), skipped: (s) => skipped.push(s) }, 'windbg');
        expectAccounted(summary);
        expect(records).toEqual(expected.records);
        expect(skipped).toEqual(expected.skipped);
      }),
      { numRuns: 60 },
    );
  });
});

describe('bugcheckRecord reuses decodings by code and low 32 bits of each argument', () => {
  it('gives the name, parameter meanings and cases decodeBugcheck gives, for any arguments', async () => {
    const { bugcheckRecord } = await import('../parsers/decoded.js');
    const { decodeBugcheck } = await import('../src/decode/bugcheck.js');
    const { BUGCHECK_REFERENCE } = await import('../src/decode/bugcheck-reference.js');
    const codes = [...BUGCHECK_REFERENCE.map((r) => r.code), 0x1000007e, 0xdeadbeef, 0];
    // Sub-codes, IOCTLs, statuses, majors, and what low32 must tell apart: sign extensions, near misses, pointers.
    const arg = fc.oneof(
      fc.constant(null),
      fc.bigInt({ min: 0n, max: 0x300n }),
      fc.constantFrom(0x222004n, 0xc0000005n, 0xffffffffc0000005n, 0xffffffff7fffffffn, 0xfffffffe80000000n, 0x100000000n, 0xfffff80012345678n),
      fc.bigInt({ min: 0n, max: 0xffffffffffffffffn }),
    );
    const reference = (code: number, args: (bigint | null)[]) => {
      const d = decodeBugcheck(code, args.some((a) => a !== null) ? args.map((a) => a ?? 0n) : []);
      return {
        name: d.names[0]?.name ?? null,
        cases: d.cases.map((c) => ({ ...c })),
        parameters: d.parameters.map((p, i) => {
          if (!p) return null;
          const inner = p.decoded;
          const words = inner === null ? null
            : inner.kind === 'irp-major' ? inner.names[0]?.name ?? null
              : `${inner.code} ${inner.names.map((n) => n.name).join(' or ') || 'no known name'}`;
          return { kind: p.kind, meaning: p.meaning, decoded: args[i] === null ? null : words };
        }),
      };
    };
    fc.assert(
      fc.property(fc.constantFrom(...codes), fc.tuple(arg, arg, arg, arg), fc.nat(3), (code, args, which) => {
        // The same low 32 bits under another high half (zero, all ones, one) must not take the first one's answer.
        const low = (a: bigint | null) => (a === null ? null : a & 0xffffffffn);
        const twins = [args, args.map((a, i) => (i === which && a !== null ? low(a) : a)), args.map((a, i) => (i === which && a !== null ? 0xffffffff00000000n | low(a)! : a)), args.map((a, i) => (i === which && a !== null ? 0x100000000n | low(a)! : a)), args];
        for (const twin of twins) {
          const record = bugcheckRecord({ line: 1, incident: 1, via: 'analyze', code, args: twin });
          expect({ name: record.name, cases: record.cases, parameters: record.parameters }).toEqual(reference(code, twin));
        }
      }),
      { numRuns: 3000 },
    );
  });
});
