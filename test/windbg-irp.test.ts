/**
 * The IRP shapes of the WinDbg parser: !irp (plain, verbose `1` / `detail`, Vista numeric), !irpfind, !thread's IRP
 * List, dt nt!_IRP (with list walks), dx, !ioctldecode.
 *
 * Golden files in test/fixtures/windbg/ are corpus samples copied byte-exact, each with its source URL (.source) and
 * the irp and ioctl records parseText gives (.expected.json), every value read against the text. Frames and other
 * records that other shapes make from the same files (the !thread stack, STACK_TEXT rows) are their tests' business:
 * the goldens hold this file's record types only, so those shapes can land without rewriting them.
 */
import { readFileSync } from 'node:fs';
import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { parseChunks, parseText } from '../parsers/pipeline.js';
import type { ParsedRecord, Skipped } from '../src/records/index.js';
import { irpMajorName, irpMinorNamesOf } from '../src/decode/irp.js';
import { literalAddress, readObjectNumber, statusOf } from '../parsers/windbg/shapes/irp-fields.js';
import { unrecognisedReason } from '../parsers/windbg/engine.js';

const FIXTURES = 'test/fixtures/windbg';

function fixture(name: string): Buffer {
  return readFileSync(`${FIXTURES}/${name}`);
}

function mine(records: readonly ParsedRecord[]): ParsedRecord[] {
  return records.filter((r) => r.type === 'irp' || r.type === 'ioctl');
}

async function parse(text: string | Uint8Array, format?: string) {
  const result = await parseText(text, format);
  const account = result.summary.account;
  // Every line the parser saw is part of a record, noise or skipped.
  expect(account.recordLines + account.noiseLines + account.skippedLines).toBe(account.lines);
  expect(account.lines + account.markdownNoise).toBe(result.summary.lines);
  return result;
}

function ioctlCodes(records: readonly ParsedRecord[]): string[] {
  return records.flatMap((r) => (r.type === 'ioctl' ? [r.code] : []));
}

/** The IRP_MJ_* words !irp printed, in order of first appearance (MANIFEST's irp_major column). */
function printedMajors(records: readonly ParsedRecord[]): string[] {
  const seen: string[] = [];
  for (const r of records) {
    if (r.type !== 'irp') continue;
    for (const l of r.locations) {
      const word = /IRP_MJ_\w+/.exec(l.printedFunctions ?? '')?.[0];
      if (word && !seen.includes(word)) seen.push(word);
    }
  }
  return seen;
}

/** Records with every `line` removed, to compare parses of the same text laid out differently. */
function withoutLines(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutLines);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).filter(([k]) => k !== 'line').map(([k, v]) => [k, withoutLines(v)]));
  }
  return value;
}

/**
 * Per golden: MANIFEST.tsv's ioctl_codes and irp_major (as 32-bit codes and literal IRP_MJ words), the lines this
 * file's shapes skip on purpose (with why), and lines other shapes own that may or may not be taken yet.
 */
const GOLDEN: Record<string, { ioctls: string[]; majors: string[]; skipped: Record<number, RegExp>; othersLines?: number[] }> = {
  'msdocs-ioctldecode-irp.txt': { ioctls: ['0x00220003'], majors: ['IRP_MJ_INTERNAL_DEVICE_CONTROL'], skipped: {} },
  'msdocs-ioctldecode-known.txt': {
    ioctls: ['0x00220003'],
    majors: [],
    // WinDbg's own aliases of device type 0x22: the core's tables (SDK, mingw-w64, Wine headers) give 0x22 only
    // FILE_DEVICE_UNKNOWN and FILE_DEVICE_USB, so the line disagrees and is kept with why.
    skipped: { 5: /^ioctldecode says device type 0x22 .*FILE_DEVICE_WINLOAD.*, the code decodes to device type 0x22 FILE_DEVICE_UNKNOWN, FILE_DEVICE_USB/ },
  },
  'msdocs-ioctldecode-unknown.txt': { ioctls: ['0x001280CE'], majors: [], skipped: {} },
  // 00110008 on the current location, 0x00110008 on the FltMgr one: the same code twice.
  'msdocs-irp-fsctl-x86.txt': { ioctls: ['0x00110008', '0x00110008'], majors: ['IRP_MJ_FILE_SYSTEM_CONTROL'], skipped: {} },
  'msdocs-irp-vista-numeric.txt': { ioctls: [], majors: [], skipped: {} },
  'msdocs-irpfind-x86.txt': { ioctls: [], majors: [], skipped: {} },
  'infoguard-tedrdrv-irp-detail.txt': {
    ioctls: ['0x002260D0'],
    majors: ['IRP_MJ_DEVICE_CONTROL'],
    skipped: {},
    // 31-42: the !thread stack, the stack shape's. (Line 8, the author's "[...]", is noise: noise.ts.)
    othersLines: Array.from({ length: 12 }, (_, i) => 31 + i),
  },
  'winfsp-246-irp.txt': { ioctls: [], majors: ['IRP_MJ_WRITE'], skipped: {} },
  // 1-2: the last STACK_TEXT rows of the !analyze before the !irp, the stack shape's.
  'winfsp-469-part2.txt': { ioctls: [], majors: [], skipped: {}, othersLines: [1, 2] },
};

describe('golden corpus samples', () => {
  for (const [name, want] of Object.entries(GOLDEN)) {
    it(name, async () => {
      expect(fixture(`${name}.source`).toString('utf8')).toMatch(/^https:\/\/\S+\n$/);
      const { records, skipped } = await parse(fixture(name));
      const expected = JSON.parse(fixture(`${name}.expected.json`).toString('utf8')) as ParsedRecord[];
      expect(mine(records)).toEqual(expected);
      expect(ioctlCodes(records)).toEqual(want.ioctls);
      expect(printedMajors(records)).toEqual(want.majors);
      const others = new Set(want.othersLines ?? []);
      for (const s of skipped) {
        if (others.has(s.line)) continue;
        const reason = want.skipped[s.line];
        expect(reason, `unexpected skip of line ${s.line}: ${s.reason}`).toBeDefined();
        expect(s.reason).toMatch(reason!);
      }
      for (const line of Object.keys(want.skipped)) expect(skipped.map((s) => s.line)).toContain(Number(line));
    });
  }

  it('ioctldecode-irp: the current location is the sixth, INTERNAL_DEVICE_CONTROL on usbehci, the five below it N/A', async () => {
    const { records } = await parse(fixture('msdocs-ioctldecode-irp.txt'));
    const irp = records.find((r) => r.type === 'irp')!;
    expect(irp).toMatchObject({ address: '0xFFFFD581A6C6CD30', stackCount: 6, currentLocation: 6, majorFunction: 'IRP_MJ_INTERNAL_DEVICE_CONTROL', ioctl: '0x00220003', driver: '\\Driver\\usbehci', completed: false });
    if (irp.type !== 'irp') throw new Error('not an irp');
    expect(irp.locations.map((l) => l.majorFunction)).toEqual([null, null, null, null, null, 'IRP_MJ_INTERNAL_DEVICE_CONTROL']);
    expect(irp.locations[5]).toMatchObject({ current: true, completionRoutine: 'IopUnloadSafeCompletion', control: '0xE1' });
    const ioctl = records.find((r) => r.type === 'ioctl')!;
    expect(ioctl).toMatchObject({ via: 'irp-stack-location', majorFunction: 'IRP_MJ_INTERNAL_DEVICE_CONTROL', driver: '\\Driver\\usbehci', irp: '0xFFFFD581A6C6CD30' });
    if (ioctl.type !== 'ioctl') throw new Error('not an ioctl');
    // Sent as an internal device control, the INTERNAL_ name comes first.
    expect(ioctl.names[0]?.name).toBe('IOCTL_INTERNAL_USB_SUBMIT_URB');
  });

  it('fsctl-x86: 00110008 and 0x00110008 on the two FILE_SYSTEM_CONTROL locations are one FSCTL', async () => {
    const text = fixture('msdocs-irp-fsctl-x86.txt').toString('utf8');
    expect(text).toContain('Args: 00000000 00000000 00110008 00000000');
    expect(text).toContain('Args: 00000000 00000000 0x00110008 00000000');
    const { records } = await parse(text);
    const irp = records.find((r) => r.type === 'irp');
    if (irp?.type !== 'irp') throw new Error('no irp');
    expect(irp.locations.map((l) => [l.current, l.driver, l.ioctl])).toEqual([
      [true, '\\FileSystem\\Npfs', '0x00110008'],
      [false, '\\FileSystem\\FltMgr', '0x00110008'],
    ]);
    expect(records.filter((r) => r.type === 'ioctl').map((r) => r.type === 'ioctl' && r.names[0]?.name)).toEqual(['FSCTL_PIPE_LISTEN', 'FSCTL_PIPE_LISTEN']);
  });

  it('Vista numeric [  3,34] locations: IRP_MJ_READ decoded from the number, no IOCTL, unused slots unnamed', async () => {
    const { records } = await parse(fixture('msdocs-irp-vista-numeric.txt'));
    expect(records.filter((r) => r.type === 'ioctl')).toEqual([]);
    const irp = records.find((r) => r.type === 'irp');
    if (irp?.type !== 'irp') throw new Error('no irp');
    expect(irp).toMatchObject({ majorFunction: 'IRP_MJ_READ', ioctl: null, currentLocation: 5, stackCount: 8, thread: '0x000000008C622118' });
    expect(irp.locations.map((l) => [l.major, l.minor, l.majorFunction])).toEqual([
      [0, 0, null], [0, 0, null], [0, 0, null], [0, 0, null],
      [3, 0x34, 'IRP_MJ_READ'], [3, 0, 'IRP_MJ_READ'], [3, 0, 'IRP_MJ_READ'], [3, 0, 'IRP_MJ_READ'],
    ]);
    expect(irp.locations.every((l) => l.ioctl === null)).toBe(true);
  });

  it('winfsp-246-irp: completed IRP_MJ_WRITE, STATUS_INVALID_HANDLE, no IOCTL, address from the literal expression', async () => {
    const { records } = await parse(fixture('winfsp-246-irp.txt'));
    expect(records.filter((r) => r.type === 'ioctl')).toEqual([]);
    const irp = records.find((r) => r.type === 'irp');
    if (irp?.type !== 'irp') throw new Error('no irp');
    expect(irp).toMatchObject({ status: '0xC0000008', statusName: 'STATUS_INVALID_HANDLE', completed: true, pendingReturned: true, stackCount: 2, currentLocation: 4 });
    // @@(0xfffffa800a435718-0x10-0x78); the verbose &Tail.Overlay.DeviceQueueEntry (IRP + 0x78) agrees.
    expect(irp.address).toBe('0xFFFFFA800A435690');
    expect(irp.locations).toHaveLength(1);
    expect(irp.locations[0]).toMatchObject({ majorFunction: 'IRP_MJ_WRITE', ioctl: null, driver: '\\FileSystem\\WinFsp', completionRoutine: 'fltmgr!FltpPassThroughCompletion' });
    expect(irp.locations[0]!.args[3]).toBe('0xFFFFFFFFC0000008');
  });
});

describe('readers', () => {
  it('IoStatus.Status in every spelling is one NTSTATUS', () => {
    expect(statusOf(0xc0000008n)).toBe(0xc0000008);
    expect(statusOf(0xffffffffc0000008n)).toBe(0xc0000008);
    expect(statusOf(-1073741816n)).toBe(0xc0000008);
    expect(statusOf(0x100000000n)).toBeNull();
  });

  it('dt and dx values', () => {
    expect(readObjectNumber('0n6')).toBe(6n);
    expect(readObjectNumber('0n-1073741816')).toBe(-1073741816n);
    expect(readObjectNumber("1 ''")).toBe(1n);
    expect(readObjectNumber('0x60070')).toBe(0x60070n);
    expect(readObjectNumber('0xffffe001`2a4a8080 _ETHREAD')).toBe(0xffffe0012a4a8080n);
    expect(readObjectNumber('(null) ')).toBe(0n);
    expect(readObjectNumber('<anonymous-tag>')).toBeNull();
    expect(readObjectNumber('_LIST_ENTRY [ 0xffffe001`2c1e4750 - 0xffffe001`2a4a8530 ]')).toBeNull();
    expect(readObjectNumber('Int2B')).toBeNull();
  });
});

describe('!irp argument', () => {
  it('keeps a literal address and evaluates literal arithmetic; registers and symbols give none', () => {
    expect(literalAddress('ffffd581a6c6cd30')).toBe(0xffffd581a6c6cd30n);
    expect(literalAddress('ffffe001`2b4c8010')).toBe(0xffffe0012b4c8010n);
    expect(literalAddress('0x831f4a00')).toBe(0x831f4a00n);
    expect(literalAddress('0xffffe0012b4c8030-0x20')).toBe(0xffffe0012b4c8010n);
    expect(literalAddress('@@(0xfffffa800a435718-0x10-0x78)')).toBe(0xfffffa800a435690n);
    // C++ reads bare digits as decimal.
    expect(literalAddress('@@(0x1000+16)')).toBe(0x1010n);
    expect(literalAddress('@rdx')).toBeNull();
    expect(literalAddress('rdx')).toBeNull();
    expect(literalAddress('poi(rsp+8)')).toBeNull();
    expect(literalAddress('@@(@rdx-0x20)')).toBeNull();
  });
});

// Handcrafted inputs follow, each for a form the corpus has no sample of; each says which real layout it copies.

describe('handcrafted: !irp detail, N/A(f), a foreign address', () => {
  // The verbose layout of winfsp-469-part2 (`!irp <a> 1`: same fields as `detail`) with the location layout of
  // ioctldecode-irp and a TAB-indented driver/Args pair as in winfsp-246-irp. The pointer in the header is the
  // x64 IRP layout's (0xd0 + 2 * 0x48 past the IRP).
  const detail = [
    '0: kd> !irp ffffe001`2b4c8010 detail',
    'Irp is active with 3 stacks 3 is current (= 0xffffe0012b4c8170)',
    ' No Mdl: System buffer=ffffe0012c3d4e60: Thread ffffe0012a4a8080:  Irp stack trace.  ',
    'Flags = 00060070',
    'ThreadListEntry.Flink = ffffe0012a4a8530',
    'ThreadListEntry.Blink = ffffe0012a4a8530',
    'IoStatus.Status = 00000103',
    'IoStatus.Information = 00000000',
    'RequestorMode = 00000001',
    'Cancel = 00',
    'CancelIrql = 0',
    'ApcEnvironment = 00',
    'UserIosb = 9c105fc880',
    'UserEvent = 00000000',
    'Overlay.AsynchronousParameters.UserApcRoutine = 00000000',
    'Overlay.AsynchronousParameters.UserApcContext = 00000000',
    'Overlay.AllocationSize = 00000000 - 00000000',
    'CancelRoutine = 00000000   ',
    'UserBuffer = 9c105fc9a0',
    '&Tail.Overlay.DeviceQueueEntry = ffffe0012b4c8088',
    'Tail.Overlay.Thread = ffffe0012a4a8080',
    'Tail.Overlay.AuxiliaryBuffer = 00000000',
    'Tail.Overlay.ListEntry.Flink = 00000000',
    'Tail.Overlay.ListEntry.Blink = 00000000',
    'Tail.Overlay.CurrentStackLocation = ffffe0012b4c8170',
    'Tail.Overlay.OriginalFileObject = ffffe0012c1e0c70',
    'Tail.Apc = 00000000',
    'Tail.CompletionKey = 00000000',
    '     cmd  flg cl Device   File     Completion-Context',
    ' [N/A(0), N/A(0)]',
    '            0  0 00000000 00000000 00000000-00000000    ',
    '',
    '\t\t\tArgs: 00000000 00000000 00000000 00000000',
    ' [IRP_MJ_DEVICE_CONTROL(e), N/A(0)]',
    '            0 e0 ffffe0012b3e6060 ffffe0012c1e0c70 fffff8016a2b1c40-ffffe0012d0e8010 Success Error Cancel',
    '\t       \\Driver\\mydrvflt\tmydrv!MyDrvIoctlCompletion',
    '\t\t\tArgs: 00000100 00000020 0x222004 00000000',
    '>[IRP_MJ_DEVICE_CONTROL(e), N/A(0)]',
    '            5  0 ffffe0012b3e6b20 ffffe0012c1e0c70 00000000-00000000    ',
    '\t       \\Driver\\mydrv',
    '\t\t\tArgs: 00000100 00000020 0x222004 00000000',
    '',
  ].join('\n');

  it('reads the verbose fields, every location and one IOCTL per control location', async () => {
    const { records, skipped } = await parse(detail);
    expect(skipped).toEqual([]);
    const irp = records.find((r) => r.type === 'irp');
    if (irp?.type !== 'irp') throw new Error('no irp');
    expect(irp).toMatchObject({
      address: '0xFFFFE0012B4C8010',
      status: '0x00000103',
      statusName: 'STATUS_PENDING',
      thread: '0xFFFFE0012A4A8080',
      stackCount: 3,
      currentLocation: 3,
      completed: false,
      pendingReturned: false,
      majorFunction: 'IRP_MJ_DEVICE_CONTROL',
      ioctl: '0x00222004',
      device: '0xFFFFE0012B3E6B20',
      driver: '\\Driver\\mydrv',
    });
    expect(irp.locations.map((l) => [l.index, l.current, l.ioctl, l.driver, l.completionRoutine])).toEqual([
      [0, false, null, null, null],
      [1, false, '0x00222004', '\\Driver\\mydrvflt', 'mydrv!MyDrvIoctlCompletion'],
      [2, true, '0x00222004', '\\Driver\\mydrv', null],
    ]);
    const ioctls = records.filter((r) => r.type === 'ioctl');
    expect(ioctls.map((r) => r.type === 'ioctl' && [r.line, r.code, r.driver, r.irp, r.status])).toEqual([
      [37, '0x00222004', '\\Driver\\mydrvflt', '0xFFFFE0012B4C8010', null],
      [41, '0x00222004', '\\Driver\\mydrv', '0xFFFFE0012B4C8010', null],
    ]);
  });

  it('drops a prompt address that does not fit the printed current-location pointer, and says so', async () => {
    const foreign = detail.replace('!irp ffffe001`2b4c8010 detail', '!irp ffffe001`2b4c9010 detail');
    const { records, skipped } = await parse(foreign);
    const irp = records.find((r) => r.type === 'irp');
    expect(irp).toMatchObject({ address: null });
    expect(skipped).toHaveLength(1);
    expect(skipped[0]).toMatchObject({ line: 2 });
    expect(skipped[0]!.reason).toMatch(/does not fit/);
  });

  it("an author's elision between blocks is noise, not a skipped line: [...], [ … ], [snip]", async () => {
    for (const elision of ['[...]', '  [ ... ]', '[…]', '[snip]', '[Truncated]']) {
      const { skipped, summary } = await parse(['Microsoft (R) Windows Debugger Version 10.0.22621.2428 AMD64', elision, ''].join('\n'), 'windbg');
      expect(skipped, elision).toEqual([]);
      expect(summary.account.noiseLines, elision).toBeGreaterThanOrEqual(1);
    }
    const { skipped } = await parse(['Microsoft (R) Windows Debugger Version 10.0.22621.2428 AMD64', '[1, 2, 3]', ''].join('\n'), 'windbg');
    expect(skipped.map((s) => s.text)).toEqual(['[1, 2, 3]']);
  });

  it("an author's [...] inside one !irp output keeps it one IRP", async () => {
    const text = [
      '0: kd> !irp ffffd581a6c6cd30',
      'Irp is active with 6 stacks 6 is current (= 0xffffd581a6c6cf68)',
      'No Mdl: No System Buffer: Thread 00000000:  Irp stack trace.  ',
      '     cmd  flg cl Device   File     Completion-Context',
      '[...]',
      '>[IRP_MJ_INTERNAL_DEVICE_CONTROL(f), N/A(0)]',
      '            0 e1 ffffd581a5fbd050 00000000 fffff806d2412cf0-ffffd581a5cce050 Success Error Cancel pending',
      '                       \\Driver\\usbehci        (IopUnloadSafeCompletion)',
      '                                                Args: ffffd581a6c61a50 00000000 0x220003 00000000',
      '',
    ].join('\n');
    const { records, skipped } = await parse(text);
    expect(skipped).toEqual([]);
    expect(records.filter((r) => r.type === 'irp')).toEqual([expect.objectContaining({ stackCount: 6, currentLocation: 6, ioctl: '0x00220003', address: '0xFFFFD581A6C6CD30' })]);
  });

  // FORMATS.md section 4: `>[N/A(f), N/A(6)]` with device/file 00000000 and Args `... 0x0 ...`; layout of
  // msdocs-ioctldecode-irp (x64, 1 stack: the location 0xd0 past the IRP).
  it('a current N/A(f) location keeps its raw values and is not an IOCTL', async () => {
    const text = [
      '0: kd> !irp ffffc60f8e2a2a20',
      'Irp is active with 1 stacks 1 is current (= 0xffffc60f8e2a2af0)',
      ' No Mdl: No System Buffer: Thread 00000000:  Irp stack trace.  ',
      '     cmd  flg cl Device   File     Completion-Context',
      '>[N/A(f), N/A(6)]',
      '            0  0 00000000 00000000 00000000-00000000    ',
      '',
      '                                                Args: 00000000 00000000 0x0 00000000',
      '',
    ].join('\n');
    const { records, skipped } = await parse(text);
    expect(skipped).toEqual([]);
    expect(records.filter((r) => r.type === 'ioctl')).toEqual([]);
    const irp = records.find((r) => r.type === 'irp');
    if (irp?.type !== 'irp') throw new Error('no irp');
    expect(irp).toMatchObject({ address: '0xFFFFC60F8E2A2A20', thread: null, majorFunction: null, ioctl: null, device: null });
    expect(irp.locations[0]).toMatchObject({ current: true, major: 0xf, minor: 6, majorFunction: null, minorFunction: null, printedFunctions: 'N/A(f), N/A(6)', ioctl: null });
  });
});

describe('handcrafted: the words after Completion-Context', () => {
  const irp = (row: string): string => [
    '0: kd> !irp ffffc60f8e2a2a20',
    'Irp is active with 1 stacks 1 is current (= 0xffffc60f8e2a2af0)',
    ' No Mdl: No System Buffer: Thread 00000000:  Irp stack trace.  ',
    '     cmd  flg cl Device   File     Completion-Context',
    '>[IRP_MJ_POWER(16), IRP_MN_SET_POWER(2)]',
    row,
    '\t       \\Driver\\mydrv',
    '\t\t\tArgs: 00016600 00000001 00000004 00000006',
    '',
  ].join('\n');

  it('control e1 with no completion routine prints only "pending": nothing to invoke, nothing skipped', async () => {
    const { records, skipped } = await parseText(irp('            0 e1 ffffc60f8d83f060 00000000 00000000-00000000    pending'), 'windbg');
    expect(skipped).toEqual([]);
    const found = records.find((r) => r.type === 'irp');
    if (found?.type !== 'irp') throw new Error('no irp');
    expect(found.locations[0]).toMatchObject({ control: '0xE1', completion: null, majorFunction: 'IRP_MJ_POWER', minorFunction: 'IRP_MN_SET_POWER' });
  });

  it('with a completion routine the invoke words must be there: "pending" alone is skipped with both readings', async () => {
    const { skipped } = await parseText(irp('            0 e1 ffffc60f8d83f060 00000000 fffff80612345678-00000000    pending'), 'windbg');
    expect(skipped.map((s) => [s.line, s.reason])).toEqual([[6, 'the words say "pending", control 0xE1 says "Success Error Cancel pending"']]);
  });
});

describe('handcrafted: !thread with several IRPs', () => {
  // The layout of the echo-driver lab's !thread in the Windows driver docs (debug-universal-drivers---step-by-step-
  // lab--echo-kernel-mode-.md): a WAIT thread with its wait object, three IRP List entries instead of one.
  it('makes one Irp per IRP List line, owned by the thread, and leaves the stack header to the stack shape', async () => {
    const text = [
      '0: kd> !thread ffffe0007cf34880',
      'THREAD ffffe0007cf34880  Cid 0f34.0f1c  Teb: 00007ff72dfae000 Win32Thread: 0000000000000000 WAIT: (UserRequest) UserMode Non-Alertable',
      '    ffffe0008096c900  SynchronizationEvent',
      'IRP List:',
      '    ffffe0007bc5be10: (0006,01f0) Flags: 00060a30  Mdl: 00000000',
      '    ffffe0007bc61a50: (0006,0118) Flags: 00060070  Mdl: ffffe0007c0d2b30',
      '    ffffe0007bd00c10: (0006,0160) Flags: 00000884  Mdl: 00000000',
      'Not impersonating',
      'DeviceMap                 ffffc001d83c6e80',
      'Owning Process            ffffe0007bbde900       Image:         cmd.exe',
      'Attached Process          N/A            Image:         N/A',
      'Wait Start TickCount      4134621        Ticks: 0',
      'Context Switch Count      4056           IdealProcessor: 0             ',
      'UserTime                  00:00:00.000',
      'KernelTime                00:00:01.421',
      'Win32 Start Address 0x00007ff72e9d6e20',
      'Stack Init ffffd0015551dc90 Current ffffd0015551d760',
      'Base ffffd0015551e000 Limit ffffd00155518000 Call 0',
      'Priority 14 BasePriority 8 UnusualBoost 3 ForegroundBoost 2 IoPriority 2 PagePriority 5',
      'Child-SP          RetAddr           : Args to Child                                                           : Call Site',
      'ffffd001`5551d7a0 fffff801`eed184fe : fffff801`eef81180 ffffe000`7cf34880 00000000`fffffffe 00000000`fffffffe : nt!KiSwapContext+0x76',
      '',
    ].join('\n');
    const { records, summary } = await parse(text);
    expect(mine(records)).toEqual(
      ['0xFFFFE0007BC5BE10', '0xFFFFE0007BC61A50', '0xFFFFE0007BD00C10'].map((address, i) => expect.objectContaining({ type: 'irp', via: 'thread', line: 5 + i, address, thread: '0xFFFFE0007CF34880' })),
    );
    // THREAD, IRP List and the three entries are record lines; the thread's fields are noise; the stack is not ours.
    expect(summary.account.recordLines).toBeGreaterThanOrEqual(5);
  });

  // Real output, not handcrafted: an old x86 !thread from the Windows driver docs (debugger/resource-time-outs.md),
  // older field names (WaitTime, Initial Sp) and a blank line before its ChildEBP stack.
  it('reads the x86 form with its older field names', async () => {
    const text = [
      'kd> !thread ffaf5410                     // Check the owning thread',
      '',
      'THREAD ffaf5410  Cid e7.e8  Teb: 7ffde000 WAIT: (Executive) KernelMode Non-Alertable',
      '    feecf698  SynchronizationEvent',
      'IRP List:',
      '    fef29208: (0006,00b8) Flags: 00000884  Mdl: feed8328',
      'Not impersonating',
      'Owning Process ffaf5690',
      'WaitTime (seconds)      2781250',
      'Context Switch Count    183175',
      'UserTime                  0:00:23.0153',
      'KernelTime                0:01:01.0187',
      'Start Address 0x77f04644',
      'Initial Sp fec6c000 Current Sp fec6b938',
      'Priority 11 BasePriority 7 PriorityDecrement 0 DecrementCount 8',
      '',
      'ChildEBP RetAddr  Args to Child',
      'fec6b950 801044fc feecf668 feecf668 00000080 ntoskrnl!KiSwapContext+0x25',
    ].join('\n');
    const { records, skipped } = await parse(text);
    expect(mine(records)).toEqual([expect.objectContaining({ type: 'irp', via: 'thread', line: 6, address: '0x00000000FEF29208', thread: '0x00000000FFAF5410' })]);
    // Nothing from THREAD to the blank line before the stack is skipped.
    expect(skipped.filter((s) => s.line < 17)).toEqual([]);
  });
});

describe('handcrafted: dt nt!_IRP', () => {
  // dt's layout as the debugger docs print it (dt--display-type-.md: `+0x0NN Field : value`, nested fields three
  // columns deeper, `-l` walk sections under "<Field> at 0x<address>" and a dash line), filled with _IRP's fields.
  it('a list walk: one Irp per element, the list head (Type is not 6) skipped with why, elisions as noise', async () => {
    const text = [
      '0: kd> dt nt!_IRP -l ThreadListEntry.Flink ffffe001`2b4c8010',
      'ThreadListEntry.Flink at 0xffffe001`2b4c8010',
      '---------------------------------------------',
      '   +0x000 Type             : 0n6',
      '   +0x002 Size             : 0x118',
      '   +0x008 MdlAddress       : (null) ',
      '   +0x010 Flags            : 0x60070',
      '   +0x020 ThreadListEntry  : _LIST_ENTRY [ 0xffffe001`2c1e4750 - 0xffffe001`2a4a8530 ]',
      '   +0x030 IoStatus         : _IO_STATUS_BLOCK',
      '      +0x000 Status           : 0n-1073741816',
      '      +0x000 Pointer          : 0xffffffff`c0000008 Void',
      '      +0x008 Information      : 0',
      '   +0x040 RequestorMode    : 1 \'\'',
      '   +0x041 PendingReturned  : 1 \'\'',
      '   +0x042 StackCount       : 2 \'\'',
      '   +0x043 CurrentLocation  : 3 \'\'',
      '    ...',
      '   +0x078 Tail             : <anonymous-tag>',
      '      +0x000 Overlay          : <anonymous-tag>',
      '         +0x000 DeviceQueueEntry : _KDEVICE_QUEUE_ENTRY',
      '         +0x020 Thread           : 0xffffe001`2a4a8080 _ETHREAD',
      '',
      'ThreadListEntry.Flink at 0xffffe001`2c1e4730',
      '---------------------------------------------',
      '   +0x000 Type             : 0n6',
      '   +0x002 Size             : 0x160',
      '   +0x010 Flags            : 0x884',
      '   +0x030 IoStatus         : _IO_STATUS_BLOCK',
      '   +0x041 PendingReturned  : 0 \'\'',
      '   +0x042 StackCount       : 2 \'\'',
      '   +0x043 CurrentLocation  : 2 \'\'',
      '',
      'ThreadListEntry.Flink at 0xffffe001`2a4a8510',
      '---------------------------------------------',
      '   +0x000 Type             : 0n-32744',
      '   +0x002 Size             : 0xffff',
      '   +0x042 StackCount       : 0 \'\'',
      '',
    ].join('\n');
    const { records, skipped } = await parse(text);
    expect(mine(records)).toEqual([
      expect.objectContaining({ type: 'irp', via: 'dt', line: 2, address: '0xFFFFE0012B4C8010', status: '0xC0000008', statusName: 'STATUS_INVALID_HANDLE', stackCount: 2, currentLocation: 3, completed: true, pendingReturned: true, thread: '0xFFFFE0012A4A8080' }),
      expect.objectContaining({ type: 'irp', via: 'dt', line: 23, address: '0xFFFFE0012C1E4730', status: null, stackCount: 2, currentLocation: 2, completed: false, pendingReturned: false, thread: null }),
    ]);
    expect(skipped.map((s) => s.line)).toEqual([33, 34, 35, 36, 37]);
    expect(skipped[0]!.reason).toMatch(/^not an IRP at 0xFFFFE0012A4A8510: Type is -32744/);
  });

  it('dt with a field path, no prompt address: nested +0x000 lines under their parents', async () => {
    const text = [
      '0: kd> dt nt!_IRP @rdx ThreadListEntry.Flink IoStatus.Status Tail.Overlay.Thread',
      '   +0x020 ThreadListEntry :  [ 0xffffe001`2c1e4750 - 0xffffe001`2a4a8530 ]',
      '      +0x000 Flink           : 0xffffe001`2c1e4750 _LIST_ENTRY [ 0xffffe001`2a4a8530 - 0xffffe001`2b4c8030 ]',
      '   +0x030 IoStatus        : ',
      '      +0x000 Status          : 0n259',
      '   +0x078 Tail            : ',
      '      +0x000 Overlay         : ',
      '         +0x020 Thread          : 0xffffe001`2a4a8080 _ETHREAD',
      '',
    ].join('\n');
    const { records, skipped } = await parse(text);
    expect(skipped).toEqual([]);
    expect(mine(records)).toEqual([expect.objectContaining({ type: 'irp', via: 'dt', address: null, status: '0x00000103', statusName: 'STATUS_PENDING', thread: '0xFFFFE0012A4A8080', stackCount: null, completed: null })]);
  });

  it('the layout of nt!_IRP (no address) is noise, another type is skipped as such', async () => {
    const text = [
      '0: kd> dt nt!_IRP',
      '   +0x000 Type             : Int2B',
      '   +0x002 Size             : Uint2B',
      '   +0x008 MdlAddress       : Ptr64 _MDL',
      '0: kd> dt nt!_DEVICE_OBJECT ffffe0012b3e6060',
      '   +0x000 Type             : 0n3',
      '   +0x002 Size             : 0x2b8',
      '',
    ].join('\n');
    const { records, skipped, summary } = await parse(text);
    expect(mine(records)).toEqual([]);
    expect(skipped.map((s) => [s.line, s.reason])).toEqual([
      [6, 'dt output of nt!_DEVICE_OBJECT: only nt!_IRP is read'],
      [7, 'dt output of nt!_DEVICE_OBJECT: only nt!_IRP is read'],
    ]);
    expect(summary.account.recordLines).toBe(0);
  });
});

describe('handcrafted: dx', () => {
  // dx's layout as the debugger docs print it (dtx--display-type---extended-debugger-object-model-information-.md and
  // the kernel-mode lab: an object line, then `[+0x0NN] Name : value [Type: T]` nested by four columns), filled with
  // _IRP's fields.
  it('an _IRP object becomes an Irp with its status, counts and thread', async () => {
    const text = [
      '0: kd> dx -r3 ((ntkrnlmp!_IRP *)0xffffe0012b4c8010)',
      '((ntkrnlmp!_IRP *)0xffffe0012b4c8010)                 : 0xffffe0012b4c8010 [Type: _IRP *]',
      '    [<Raw View>]     [Type: _IRP]',
      '    [+0x000] Type             : 6 [Type: short]',
      '    [+0x002] Size             : 0x118 [Type: unsigned short]',
      '    [+0x008] MdlAddress       : 0x0 [Type: _MDL *]',
      '    [+0x010] Flags            : 0x60070 [Type: unsigned long]',
      '    [+0x020] ThreadListEntry  [Type: _LIST_ENTRY]',
      '        [+0x000] Flink            : 0xffffe0012a4a8530 [Type: _LIST_ENTRY *]',
      '        [+0x008] Blink            : 0xffffe0012a4a8530 [Type: _LIST_ENTRY *]',
      '    [+0x030] IoStatus         [Type: _IO_STATUS_BLOCK]',
      '        [+0x000] Status           : -1073741816 [Type: long]',
      '        [+0x000] Pointer          : 0xffffffffc0000008 [Type: void *]',
      '        [+0x008] Information      : 0x0 [Type: unsigned __int64]',
      '    [+0x040] RequestorMode    : 1 [Type: char]',
      '    [+0x041] PendingReturned  : 0x1 [Type: unsigned char]',
      '    [+0x042] StackCount       : 3 [Type: char]',
      '    [+0x043] CurrentLocation  : 4 [Type: char]',
      '    [+0x068] CancelRoutine    : 0x0 [Type: void (__cdecl*)(_DEVICE_OBJECT *,_IRP *)]',
      '    [+0x078] Tail             [Type: <anonymous-tag>]',
      '        [+0x000] Overlay          [Type: <anonymous-tag>]',
      '            [+0x000] DeviceQueueEntry [Type: _KDEVICE_QUEUE_ENTRY]',
      '            [+0x020] Thread           : 0xffffe0012a4a8080 [Type: _ETHREAD *]',
      '            [+0x028] AuxiliaryBuffer  : 0x0 [Type: char *]',
      '        [+0x000] CompletionKey    : 0x0 [Type: void *]',
      '',
    ].join('\n');
    const { records, skipped } = await parse(text);
    expect(skipped).toEqual([]);
    expect(mine(records)).toEqual([
      expect.objectContaining({ type: 'irp', via: 'dx', line: 2, address: '0xFFFFE0012B4C8010', status: '0xC0000008', statusName: 'STATUS_INVALID_HANDLE', stackCount: 3, currentLocation: 4, completed: true, pendingReturned: true, thread: '0xFFFFE0012A4A8080' }),
    ]);
  });

  it('another type is skipped as such', async () => {
    const text = [
      '0: kd> dx -r1 (*((tabletaudiosample!_GUID *)0xffffd001c8acd348))',
      '(*((tabletaudiosample!_GUID *)0xffffd001c8acd348)) :  [Type: _GUID]',
      '    [+0x000] Data1            : 0x487e9220',
      '    [+0x004] Data2            : 0xe000',
      '',
    ].join('\n');
    const { records, skipped } = await parse(text);
    expect(mine(records)).toEqual([]);
    expect(skipped.map((s) => s.line)).toEqual([2, 3, 4]);
    expect(skipped[0]!.reason).toBe('dx output of _GUID: only _IRP is read');
  });
});

describe('handcrafted: !irpfind table rows of newer debuggers', () => {
  // The table form of newer !irpfind (no corpus sample): major/minor/device of the current location, or completion.
  it('reads the current location of each row and completed rows', async () => {
    const text = [
      '0: kd> !irpfind',
      '',
      'Scanning large pool allocation table for tag 0x3f707249 (Irp?) (ffffa50fd4e4a000 : ffffa50fd4f4a000)',
      '',
      '  Irp                  [ Thread ]           irpStack: (Mj,Mn)   DevObj             [Driver]         MDL Process',
      'ffffa50fd1b4a010 [ffffa50fd2f2e080] irpStack: ( e, 0)  ffffa50fd0b1c8f0 [ \\Driver\\AFD] 0xffffa50fd2e6e080',
      'ffffa50fd1b4d8a0 [0000000000000000] Irp is complete (CurrentLocation 3 > StackCount 2)',
      '',
    ].join('\n');
    const { records, skipped } = await parse(text);
    expect(skipped).toEqual([]);
    expect(mine(records)).toEqual([
      expect.objectContaining({ via: 'irpfind', address: '0xFFFFA50FD1B4A010', thread: '0xFFFFA50FD2F2E080', majorFunction: 'IRP_MJ_DEVICE_CONTROL', device: '0xFFFFA50FD0B1C8F0', driver: '\\Driver\\AFD', ioctl: null, completed: false }),
      expect.objectContaining({ via: 'irpfind', address: '0xFFFFA50FD1B4D8A0', thread: null, currentLocation: 3, stackCount: 2, completed: true }),
    ]);
  });
});

describe('handcrafted: !ioctldecode disagreements and prompt-less output', () => {
  it('a field that contradicts the code is skipped with both readings; the record stays the core decoding', async () => {
    const text = ['0: kd> !ioctldecode 0x1280ce', '', 'Unknown IOCTL  : 0x1280ce ', '', 'Device Type    : 0x12 (FILE_DEVICE_NETWORK)', 'Method         : 0x1 METHOD_IN_DIRECT ', 'Access         : FILE_WRITE_ACCESS ', 'Function       : 0x33', ''].join('\n');
    const { records, skipped } = await parse(text);
    expect(ioctlCodes(records)).toEqual(['0x001280CE']);
    expect(skipped.map((s) => s.line)).toEqual([6]);
    expect(skipped[0]!.reason).toMatch(/^ioctldecode says method 0x1 METHOD_IN_DIRECT, the code decodes to method 0x2 (\w+, )*METHOD_OUT_DIRECT\b/);
  });

  it('without the prompt, the code of a known name comes from CTL_CODE of the four fields', async () => {
    const known = fixture('msdocs-ioctldecode-known.txt').toString('utf8').split('\n').slice(1).join('\n');
    const { records } = await parse(`kd> g\n${known}`);
    expect(records).toEqual([expect.objectContaining({ type: 'ioctl', via: 'ioctldecode', code: '0x00220003' })]);
  });
});

// Damage a real IRP sample the ways markdown and editors do: the records must not change (their lines may).
describe('damaged IRP samples give the same records', () => {
  const samples = ['msdocs-ioctldecode-irp.txt', 'winfsp-246-irp.txt', 'msdocs-irp-vista-numeric.txt', 'msdocs-irp-fsctl-x86.txt'];
  const damages: Record<string, (text: string) => string | Uint8Array> = {
    '> quoted': (t) => t.split('\n').map((l) => (l === '' ? '>' : `> ${l}`)).join('\n'),
    '4-space indented': (t) => t.split('\n').map((l) => (l === '' ? l : `    ${l}`)).join('\n'),
    'TABs to 4 spaces': (t) => t.replace(/\t/g, '    '),
    'TABs to 8 spaces': (t) => t.replace(/\t/g, '        '),
    CRLF: (t) => t.replace(/\n/g, '\r\n'),
    'UTF-16LE with BOM': (t) => Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(t, 'utf16le')]),
    'blank lines doubled': (t) => t.replace(/\n\n/g, '\n\n\n'),
    'a blank line after every line': (t) => t.replace(/\n/g, '\n\n'),
  };
  for (const sample of samples) {
    for (const [damage, apply] of Object.entries(damages)) {
      it(`${sample}, ${damage}`, async () => {
        const text = fixture(sample).toString('utf8');
        const clean = await parse(text);
        // Forced: format sniffing reads lines before the quote is undone, and is not what this tests.
        const damaged = await parse(apply(text), 'windbg');
        expect(withoutLines(mine(damaged.records))).toEqual(withoutLines(mine(clean.records)));
        expect(damaged.skipped.map((s) => s.reason)).toEqual(clean.skipped.map((s) => s.reason));
      });
    }
  }
});

describe('properties', () => {
  async function parseInChunks(bytes: Uint8Array, cuts: number[]): Promise<{ records: ParsedRecord[]; skipped: Skipped[] }> {
    const bounds = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
    async function* chunks(): AsyncGenerator<Uint8Array> {
      let at = 0;
      for (const b of bounds) {
        yield bytes.subarray(at, b);
        at = b;
      }
      yield bytes.subarray(at);
    }
    const records: ParsedRecord[] = [];
    const skipped: Skipped[] = [];
    await parseChunks(chunks(), '<chunks>', { record: (r) => records.push(r), skipped: (s) => skipped.push(s) });
    return { records, skipped };
  }

  it('an IRP sample split into random chunks parses to the same records', async () => {
    const samples = ['msdocs-ioctldecode-irp.txt', 'winfsp-246-irp.txt', 'infoguard-tedrdrv-irp-detail.txt', 'msdocs-ioctldecode-known.txt'].map((s) => fixture(s));
    const whole = await Promise.all(samples.map((s) => parseText(s)));
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: samples.length - 1 }), fc.array(fc.nat(), { maxLength: 40 }), async (which, cuts) => {
        const got = await parseInChunks(samples[which]!, cuts);
        expect(got.records).toEqual(whole[which]!.records);
        expect(got.skipped).toEqual(whole[which]!.skipped);
      }),
      { numRuns: 150 },
    );
  });

  const CONTROL = new Set([0x0d, 0x0e, 0x0f]);
  const hexWord = (value: bigint, digits: number): string => value.toString(16).padStart(digits, '0');

  const location = fc.record({
    major: fc.integer({ min: 0, max: 0x1b }),
    minor: fc.integer({ min: 0, max: 0x1f }),
    args: fc.tuple(fc.bigInt({ min: 0n, max: 0xffffffffn }), fc.bigInt({ min: 0n, max: 0xffffffffn }), fc.bigInt({ min: 0n, max: 0xffffffffn }), fc.bigInt({ min: 0n, max: 0xffffffffffffffffn })),
    prefixed: fc.boolean(),
    wide: fc.boolean(),
    indent: fc.constantFrom('            ', '\t\t\t', ' ', ''),
    routine: fc.constantFrom('', ' nt!IopUnloadSafeCompletion', '\tfltmgr!FltpPassThroughCompletion', '        (IopUnloadSafeCompletion)'),
    control: fc.constantFrom(0x00, 0xe0, 0xe1, 0x40, 0x02),
    numeric: fc.boolean(),
  });

  type Location = typeof location extends fc.Arbitrary<infer T> ? T : never;

  function render(l: Location, current: boolean): string[] {
    const digits = l.wide ? 16 : 8;
    const words = [['Success', 0x40], ['Error', 0x80], ['Cancel', 0x20], ['pending', 0x01]].filter(([, b]) => (l.control & (b as number)) !== 0).map(([w]) => w).join(' ');
    const columns = `${l.control.toString(16).padStart(2, ' ')} ${hexWord(0xffffd581a5fbd050n, digits)} ${hexWord(0n, digits)} ${hexWord(0xfffff806d2412cf0n, digits)}-${hexWord(0xffffd581a5cce050n, digits)} ${words}`;
    const args = l.args.map((a, i) => (i === 2 && l.prefixed ? `0x${a.toString(16)}` : hexWord(a, i === 3 ? 16 : digits))).join(' ');
    const marker = current ? '>' : ' ';
    if (l.numeric) {
      return [`${marker}[${l.major.toString(16).padStart(3, ' ')},${l.minor.toString(16).padStart(2, ' ')}]   0 ${columns}`, `               \\Driver\\disk${l.routine}`, `${l.indent}Args: ${args}`];
    }
    const major = `${irpMajorName(l.major)!}(${l.major.toString(16)})`;
    const minorName = irpMinorNamesOf(l.major, l.minor)[0]?.name ?? 'N/A';
    return [`${marker}[${major}, ${minorName}(${l.minor.toString(16)})]`, `            0 ${columns}`, `           \\Driver\\mydrv${l.routine}`, `${l.indent}Args: ${args}`];
  }

  it('random stack locations in the real !irp layout parse back to their major, minor and control code', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(location, { minLength: 1, maxLength: 5 }), fc.nat(), async (locations, pick) => {
        const current = pick % locations.length;
        const lines = ['0: kd> !irp ffffd581a6c6cd30', `Irp is active with ${locations.length} stacks ${current + 1} is current (= 0x${(0xffffd581a6c6cd30n + 0xd0n + BigInt(current) * 0x48n).toString(16)})`, ' No Mdl: No System Buffer: Thread 00000000:  Irp stack trace.  ', '     cmd  flg cl Device   File     Completion-Context'];
        locations.forEach((l, i) => lines.push(...render(l, i === current)));
        const { records, skipped } = await parse(lines.join('\n') + '\n');
        expect(skipped).toEqual([]);
        const irp = records.find((r) => r.type === 'irp');
        if (irp?.type !== 'irp') throw new Error('no irp');
        expect(irp.address).toBe('0xFFFFD581A6C6CD30');
        expect(irp.locations).toHaveLength(locations.length);
        const wantIoctls: string[] = [];
        locations.forEach((l, i) => {
          const got = irp.locations[i]!;
          const ioctl = CONTROL.has(l.major) ? `0x${(l.args[2] & 0xffffffffn).toString(16).toUpperCase().padStart(8, '0')}` : null;
          if (ioctl) wantIoctls.push(ioctl);
          expect(got).toMatchObject({ current: i === current, major: l.major, minor: l.minor, majorFunction: irpMajorName(l.major), ioctl });
          expect(got.minorFunction).toBe(irpMinorNamesOf(l.major, l.minor)[0]?.name ?? null);
        });
        expect(ioctlCodes(records)).toEqual(wantIoctls);
        expect(irp.majorFunction).toBe(irpMajorName(locations[current]!.major));
      }),
      { numRuns: 200 },
    );
  });
});

describe('lines no shape takes', () => {
  it('under a command irpscope does not read, the reason names the command; under one it reads, the line is unrecognised', async () => {
    const text = [
      '0: kd> !devobj ffffe0012b4c8010',
      'Device object (ffffe0012b4c8010) is for:',
      ' mydrv0 \\Driver\\mydrv DriverObject ffffe0012a0a0e30',
      '0: kd> !irp ffffe0012b4c8010',
      'something !irp never prints',
      '0: kd> .reload /f mydrv.sys',
      '',
    ].join('\n');
    const { skipped } = await parseText(text, 'windbg');
    expect(skipped.map((s) => [s.line, s.reason])).toEqual([
      [2, 'output of "!devobj ffffe0012b4c8010", a command irpscope does not read'],
      [3, 'output of "!devobj ffffe0012b4c8010", a command irpscope does not read'],
      [5, 'not a recognised debugger line'],
    ]);
    expect(unrecognisedReason('kb 100')).toBe('not a recognised debugger line');
    expect(unrecognisedReason('k100')).toBe('not a recognised debugger line');
    expect(unrecognisedReason('lmDvm mydrv')).toBe('not a recognised debugger line');
    expect(unrecognisedReason(null)).toBe('not a recognised debugger line');
    expect(unrecognisedReason('dd ffffe0012b4c8010')).toBe('output of "dd ffffe0012b4c8010", a command irpscope does not read');
  });
});
