/** Stack rows (parsers/windbg/frames.ts) and the stack shape: STACK_TEXT, k/kb/kp/kv/kn/kc/k100, x86 ChildEBP stacks. */
import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseText, type ParseSummary } from '../parsers/pipeline.js';
import { DebuggerTextParser } from '../parsers/windbg/engine.js';
import { WINDBG_SHAPES } from '../parsers/windbg/index.js';
import { isVerifierCallSite, parseCallSite, parseFrameRow, parseHeaderlessRow, parseStackHeader, parseStackTextRow } from '../parsers/windbg/frames.js';
import type { Frame, ParsedRecord } from '../src/records/index.js';

const FIXTURES = fileURLToPath(new URL('./fixtures/windbg/', import.meta.url));
const fixture = (name: string): Buffer => readFileSync(FIXTURES + name);
const frames = (records: readonly ParsedRecord[]): Frame[] => records.filter((r): r is Frame => r.type === 'frame');

function expectAccounted(summary: ParseSummary): void {
  const a = summary.account;
  expect(a.recordLines + a.noiseLines + a.skippedLines).toBe(a.lines);
  expect(summary.lines).toBe(a.lines + a.markdownNoise);
}

const Z = '0x0000000000000000';

describe('stack headers', () => {
  it.each([
    [' # Child-SP          RetAddr               Call Site', { numbered: true, childSp: true, callSiteOnly: false, childSpAt: null }],
    [' # Child-SP          RetAddr               : Args to Child                                                           : Call Site', { numbered: true, childSp: true, callSiteOnly: false, childSpAt: null }],
    [' # RetAddr               : Args to Child                                                           : Call Site', { numbered: true, childSp: false, callSiteOnly: false, childSpAt: null }],
    [' # Call Site', { numbered: true, childSp: false, callSiteOnly: true, childSpAt: null }],
    ['Child-SP          RetAddr               Call Site', { numbered: false, childSp: true, callSiteOnly: false, childSpAt: null }],
    ['ChildEBP RetAddr  Args to Child              ', { numbered: false, childSp: true, callSiteOnly: false, childSpAt: null }],
    [' # ChildEBP RetAddr  ', { numbered: true, childSp: true, callSiteOnly: false, childSpAt: null }],
    // kf: a Memory column before Child-SP; the rows line up under the header.
    [' #   Memory  Child-SP          RetAddr               Call Site', { numbered: true, childSp: true, callSiteOnly: false, childSpAt: 13 }],
    [' #   Memory  ChildEBP RetAddr  ', { numbered: true, childSp: true, callSiteOnly: false, childSpAt: 13 }],
  ])('%s', (header, layout) => {
    expect(parseStackHeader(header)).toEqual(layout);
  });

  it('is not fooled by prose that mentions a column', () => {
    expect(parseStackHeader('The RetAddr column shows where each call returns')).toBeNull();
    expect(parseStackHeader('STACK_TEXT:  ')).toBeNull();
  });
});

describe('frame rows', () => {
  it('STACK_TEXT, new style (padded before the colon)', () => {
    expect(parseFrameRow('ffff8100`2b00e850 fffff802`3f59b3ce     : 00000000`00000000 00000000`00000000 00000000`00000000 ffffd70d`00000000 : kbase+0x10aba')).toEqual({
      index: null, childSp: '0xFFFF81002B00E850', returnAddress: '0xFFFFF8023F59B3CE', args: [Z, Z, Z, '0xFFFFD70D00000000'], symbol: 'kbase+0x10aba', inline: false, source: null, annotation: null,
    });
  });

  it('STACK_TEXT, old style (one space before each colon) with a source annotation', () => {
    expect(parseFrameRow('fffff880`02f1c9d8 fffff800`02ad1b69 : 00000000`0000000a 00000000`00000014 00000000`00000002 00000000`00000001 : nt!KiPageFault+0x260 [d:\\w7rtm\\minkernel\\ntos\\ke\\amd64\\trap.asm @ 1185]')).toMatchObject({
      childSp: '0xFFFFF88002F1C9D8', args: ['0x000000000000000A', '0x0000000000000014', '0x0000000000000002', '0x0000000000000001'], symbol: 'nt!KiPageFault+0x260', source: 'd:\\w7rtm\\minkernel\\ntos\\ke\\amd64\\trap.asm @ 1185',
    });
  });

  it('STACK_TEXT, 8-space indented with a TrapFrame annotation (winfsp-469-part2)', () => {
    expect(parseFrameRow('        ffffb386`ac2eda90 00007ff8`c8dcd724     : 00000000`00000000 00000000`00000000 00000000`00000000 00000000`00000000 : nt!KiSystemServiceCopyEnd+0x28 (TrapFrame @ ffffb386`ac2edb00)')).toMatchObject({
      childSp: '0xFFFFB386AC2EDA90', returnAddress: '0x00007FF8C8DCD724', symbol: 'nt!KiSystemServiceCopyEnd+0x28', annotation: 'TrapFrame @ ffffb386`ac2edb00',
    });
  });

  it('STACK_TEXT with the backticks eaten by markdown (16 digits)', () => {
    expect(parseStackTextRow('ffff81002b00e850 fffff8023f59b3ce : 0000000000000000 0000000000000000 0000000000000000 0000000000000000 : nt!KeBugCheckEx')).toMatchObject({ childSp: '0xFFFF81002B00E850', args: [Z, Z, Z, Z] });
  });

  it('k (x64): frame number, Child-SP, RetAddr, call site', () => {
    expect(parseFrameRow('00 ffffd001`2d6f6a38 fffff803`1a5f1d4e     nt!KeBugCheckEx')).toEqual({
      index: 0, childSp: '0xFFFFD0012D6F6A38', returnAddress: '0xFFFFF8031A5F1D4E', args: [], symbol: 'nt!KeBugCheckEx', inline: false, source: null, annotation: null,
    });
  });

  it('k100: frame numbers are hex', () => {
    expect(parseFrameRow('1f ffffd001`2d6f6a38 fffff803`1a5f1d4e     nt!KiFoo+0x20')?.index).toBe(0x1f);
    expect(parseFrameRow('a0 ffffd001`2d6f6a38 fffff803`1a5f1d4e     nt!KiFoo+0x20')?.index).toBe(0xa0);
  });

  it('inline frames, in k and in kb form', () => {
    expect(parseFrameRow('01 (Inline Function) --------`--------     nt!KiFoo+0x1c [d:\\os\\src\\x.c @ 123]')).toEqual({
      index: 1, childSp: null, returnAddress: null, args: [], symbol: 'nt!KiFoo+0x1c', inline: true, source: 'd:\\os\\src\\x.c @ 123', annotation: null,
    });
    expect(parseFrameRow('01 (Inline Function) --------`-------- : --------`-------- --------`-------- --------`-------- --------`-------- : nt!KiBar+0x12')).toMatchObject({ index: 1, inline: true, args: [], symbol: 'nt!KiBar+0x12' });
  });

  it('kb with Child-SP, and kb without it (ebpf-for-windows-1324)', () => {
    expect(parseFrameRow('00 fffff880`02f1c9d8 fffff800`02ad1b69 : 00000000`0000000a 00000000`00000014 00000000`00000002 00000000`00000001 : nt!KeBugCheckEx')).toMatchObject({ index: 0, childSp: '0xFFFFF88002F1C9D8', returnAddress: '0xFFFFF80002AD1B69' });
    expect(parseFrameRow('00 fffff805`045d3643     : 00000000`0000007e ffffffff`80000003 fffff805`045c2b70 fffff901`93c35738 : nt!KeBugCheckEx')).toMatchObject({
      index: 0, childSp: null, returnAddress: '0xFFFFF805045D3643', args: ['0x000000000000007E', '0xFFFFFFFF80000003', '0xFFFFF805045C2B70', '0xFFFFF90193C35738'],
    });
  });

  it('kp: the parameter list stays in the call site, the function is the name before it', () => {
    const row = parseFrameRow('0a ffffd001`2d6f6a58 fffff803`1a5f1d4e     nt!IopfCompleteRequest(struct _IRP * Irp = 0xffffe001`12345678, char PriorityBoost = 0n0)+0x1a3 [minkernel\\ntos\\io\\iomgr\\iosubs.c @ 3584]');
    expect(row).toMatchObject({ index: 10, symbol: 'nt!IopfCompleteRequest(struct _IRP * Irp = 0xffffe001`12345678, char PriorityBoost = 0n0)+0x1a3', source: 'minkernel\\ntos\\io\\iomgr\\iosubs.c @ 3584' });
    expect(parseCallSite(row!.symbol)).toEqual({ module: 'nt', function: 'IopfCompleteRequest', offset: '0x1a3', verifier: false });
  });

  it('kc: a frame number and a call site, with the layout of its header', () => {
    const layout = parseStackHeader(' # Call Site')!;
    expect(parseFrameRow('00 nt!KeBugCheckEx', layout)).toMatchObject({ index: 0, childSp: null, returnAddress: null, symbol: 'nt!KeBugCheckEx' });
    expect(parseFrameRow('01 mydrv+0x1234', layout)).toMatchObject({ index: 1, symbol: 'mydrv+0x1234' });
    expect(parseFrameRow('some prose under the table', layout)).toBeNull();
  });

  it('x86 header-less ChildEBP RetAddr Arg1 Arg2 Arg3 symbol (win-pvdrivers-xenusb-kb-x86), and kv with FPO', () => {
    expect(parseHeaderlessRow('f78e27a4 8081df53 809c560e f78e27c4 809c560e nt!IovCallDriver+0x82')).toEqual({
      index: null, childSp: '0x00000000F78E27A4', returnAddress: '0x000000008081DF53', args: ['0x00000000809C560E', '0x00000000F78E27C4', '0x00000000809C560E'], symbol: 'nt!IovCallDriver+0x82', inline: false, source: null, annotation: null,
    });
    expect(parseFrameRow('8d3ab4e4 8164f7b2 000000c4 000000f6 0000036c nt!KeBugCheckEx+0x1e (FPO: [5,0,0])')).toMatchObject({ symbol: 'nt!KeBugCheckEx+0x1e', annotation: 'FPO: [5,0,0]' });
    expect(parseFrameRow('8d3ab4e4 8164f7b2 00000000 00000000 00000000 ntdll!Foo+0x12 (FPO: [Non-Fpo]) (CONV: stdcall) [d:\\x.c @ 12]')).toMatchObject({ symbol: 'ntdll!Foo+0x12', annotation: 'FPO: [Non-Fpo] CONV: stdcall', source: 'd:\\x.c @ 12' });
  });

  it('symbols with spaces, backticks and quotes are kept whole', () => {
    const row = parseFrameRow('02 ffffd001`2d6f6a40 fffff803`1a5f1d4e     nt! ?? ::FNODOBFM::`string\'+0x4bd58');
    expect(row?.symbol).toBe("nt! ?? ::FNODOBFM::`string'+0x4bd58");
    expect(parseCallSite(row!.symbol)).toEqual({ module: 'nt', function: "?? ::FNODOBFM::`string'", offset: '0x4bd58', verifier: false });
  });

  it('rejects memory dumps and disassembly that look like rows', () => {
    expect(parseFrameRow('fffff802`3f5a0aba  00000000 00000001 00000002 00000003')).toBeNull(); // dd
    expect(parseFrameRow('fffff802`3f5a0aba  00000000`00000000 00000000`00000001')).toBeNull(); // dq
    expect(parseFrameRow('fffff802`3f5a0aba 894f1c          mov     dword ptr [rdi+1Ch],ecx')).toBeNull();
    // dps output has the two-address shape of a k row: only accepted under a stack header, never header-less.
    expect(parseHeaderlessRow('fffff802`3f5a0aba  fffff802`3f59b3ce nt!KiFoo+0x12')).toBeNull();
    expect(parseHeaderlessRow('    fffff8800140f12a ndis!ndisNsiGetInterfaceInformation+0x20a')).toBeNull(); // !verifier IRQL log frame
  });
});

describe('call sites', () => {
  it.each([
    ['nt!KeBugCheckEx', { module: 'nt', function: 'KeBugCheckEx', offset: null, verifier: false }],
    ['udecx!UdecxUrbComplete+5d', { module: 'udecx', function: 'UdecxUrbComplete', offset: '0x5d', verifier: false }],
    ['kbase+0x10aba', { module: 'kbase', function: null, offset: '0x10aba', verifier: false }],
    ['0x00007fff`f9d8cf24', { module: null, function: null, offset: null, verifier: false }],
    ['Wdf01000!FxIoQueue::DispatchEvents+0x3bf', { module: 'Wdf01000', function: 'FxIoQueue::DispatchEvents', offset: '0x3bf', verifier: false }],
    ['nt!PspSystemThreadStartup$filt$0+0x44', { module: 'nt', function: 'PspSystemThreadStartup$filt$0', offset: '0x44', verifier: false }],
  ])('%s', (symbol, site) => {
    expect(parseCallSite(symbol)).toEqual(site);
  });

  it('marks Driver Verifier frames', () => {
    const verifier = ['nt!IovCallDriver+0x82', 'nt!IovpCompleteRequest+0x10', 'nt!ViFilterDispatchGeneric+0x2a', 'nt!VerifierBugCheckIfAppropriate+0x3c', 'nt!VfPoolCheckForLeaks+0x44', 'nt!VfDriverUnloadImage+0x3e', 'nt!ViIrpAllocateLockedPacket+0x12', 'VerifierExt!IofCallDriver_internal_wrapper+0x71', 'Wdf01000!FxVerifierBugCheckWorker+0x24', 'ntkrnlmp!VfFoo+0x1'];
    const driver = ['nt!IofCallDriver+0x13', 'nt!KeBugCheckEx', 'nt!ViewBase+0x1', 'usbhub!USBH_PassIrp+0x18', 'Wdf01000!FxRequest::Complete+0x2d', 'mydrv!VfThing+0x1', '0x00007fff`f9d8cf24'];
    for (const symbol of verifier) expect([symbol, parseCallSite(symbol).verifier]).toEqual([symbol, true]);
    for (const symbol of driver) expect([symbol, parseCallSite(symbol).verifier]).toEqual([symbol, false]);
    expect(isVerifierCallSite('VERIFIEREXT', null)).toBe(true);
  });
});

describe('the stack shape', () => {
  it('reads k, kb, kc and x86 kv stacks after their prompts, all in the open incident', async () => {
    const text = [
      'BugCheck C4, {2001f, fffff80209086738, 0, 0}',
      '0: kd> k',
      ' # Child-SP          RetAddr               Call Site',
      '00 ffffd001`2d6f6a38 fffff803`1a5f1d4e     nt!KeBugCheckEx',
      '01 (Inline Function) --------`--------     nt!KiFoo+0x1c',
      'WARNING: Stack unwind information not available. Following frames may be wrong.',
      '02 ffffd001`2d6f6a48 fffff803`1a5f1d4e     VerifierExt!IofCallDriver_internal_wrapper+0x71',
      '0: kd> kb',
      ' # Child-SP          RetAddr               : Args to Child                                                           : Call Site',
      '00 fffff880`02f1c9d8 fffff800`02ad1b69 : 00000000`000000c4 00000000`0002001f fffff802`09086738 00000000`00000000 : nt!KeBugCheckEx',
      '0: kd> kc',
      ' # Call Site',
      '00 nt!KeBugCheckEx',
      '01 mydrv+0x1234',
      '0: kd> kv',
      'ChildEBP RetAddr  Args to Child              ',
      '8d3ab4e4 8164f7b2 000000c4 000000f6 0000036c nt!KeBugCheckEx+0x1e (FPO: [5,0,0])',
      '8d3ab508 8164f7b2 000000c4 000000f6 0000036c nt!VerifierBugCheckIfAppropriate+0x3c',
    ].join('\n');
    const { summary, records, skipped } = await parseText(text, 'windbg');
    expectAccounted(summary);
    expect(skipped).toEqual([]);
    expect(frames(records).map((f) => [f.index, f.symbol, f.inline, f.verifier, f.incident])).toEqual([
      [0, 'nt!KeBugCheckEx', false, false, 1],
      [1, 'nt!KiFoo+0x1c', true, false, 1],
      [2, 'VerifierExt!IofCallDriver_internal_wrapper+0x71', false, true, 1],
      [0, 'nt!KeBugCheckEx', false, false, 1],
      [0, 'nt!KeBugCheckEx', false, false, 1],
      [1, 'mydrv+0x1234', false, false, 1],
      [null, 'nt!KeBugCheckEx+0x1e', false, false, 1],
      [null, 'nt!VerifierBugCheckIfAppropriate+0x3c', false, true, 1],
    ]);
  });

  it('reads x86 kn inline rows, `(Inline) --------`, and the rows after them', async () => {
    const text = [
      '3: kd> kn',
      ' # ChildEBP RetAddr  ',
      '00 8a1c3ce0 8f6e605e mydrv!ResetEngine+0x93 [c:\\src\\mydrv\\engine.c @ 944]',
      '01 (Inline) -------- mydrv!PickNextRequest+0x1a71',
      '02 8a1c3d70 8f2c01d4 mydrv!WorkerThread+0xfaf2 [c:\\src\\mydrv\\worker.c @ 424]',
      '03 8a1c3dbc 00000000 nt!KiThreadStartup+0x15',
    ].join('\n');
    const { summary, records, skipped } = await parseText(text, 'windbg');
    expectAccounted(summary);
    expect(skipped).toEqual([]);
    expect(frames(records).map((f) => [f.index, f.childSp, f.returnAddress, f.symbol, f.inline, f.source])).toEqual([
      [0, '0x000000008A1C3CE0', '0x000000008F6E605E', 'mydrv!ResetEngine+0x93', false, 'c:\\src\\mydrv\\engine.c @ 944'],
      [1, null, null, 'mydrv!PickNextRequest+0x1a71', true, null],
      [2, '0x000000008A1C3D70', '0x000000008F2C01D4', 'mydrv!WorkerThread+0xfaf2', false, 'c:\\src\\mydrv\\worker.c @ 424'],
      [3, '0x000000008A1C3DBC', Z, 'nt!KiThreadStartup+0x15', false, null],
    ]);
  });

  it('reads kf stacks, x64 and x86: the Memory column (blank on the first row) is not taken for an address', async () => {
    const text = [
      '2: kd> kf',
      ' #   Memory  Child-SP          RetAddr               Call Site',
      '00           ffffd40c`1e266770 fffff800`2b7f8a0d     nt!KeBugCheckEx',
      '01        40 ffffd40c`1e2667b0 fffff800`2b7f8801     mydrv!MarkDeviceFailed+0x4d',
      '02       198 ffffd40c`1e266948 fffff800`2b7f6c35     mydrv+0x2308b2',
      '0: kd> kf',
      ' #   Memory  ChildEBP RetAddr  ',
      '00           0012f784 7c90e89a ntdll!KiFastSystemCallRet',
      '01         4 0012f788 7c8023ed ntdll!NtDelayExecution+0xc',
    ].join('\n');
    const { summary, records, skipped } = await parseText(text, 'windbg');
    expectAccounted(summary);
    expect(skipped).toEqual([]);
    expect(frames(records).map((f) => [f.index, f.childSp, f.returnAddress, f.symbol, f.args])).toEqual([
      [0, '0xFFFFD40C1E266770', '0xFFFFF8002B7F8A0D', 'nt!KeBugCheckEx', []],
      [1, '0xFFFFD40C1E2667B0', '0xFFFFF8002B7F8801', 'mydrv!MarkDeviceFailed+0x4d', []],
      [2, '0xFFFFD40C1E266948', '0xFFFFF8002B7F6C35', 'mydrv+0x2308b2', []],
      [0, '0x000000000012F784', '0x000000007C90E89A', 'ntdll!KiFastSystemCallRet', []],
      [1, '0x000000000012F788', '0x000000007C8023ED', 'ntdll!NtDelayExecution+0xc', []],
    ]);
  });

  it("the note k prints after .cxr / .thread, and older debuggers' symbol loading lines, are noise", async () => {
    const text = [
      '0: kd> .cxr 0xffffd40c1e266100',
      '0: kd> k',
      '  *** Stack trace for last set context - .thread/.cxr resets it',
      ' # Child-SP          RetAddr               Call Site',
      '00 ffffd40c`1e266770 fffff800`2b7f8a0d     mydrv!ReadRegisters+0x1a',
      '0: kd> .thread ffffe0012b4c9080',
      '0: kd> kb',
      'Loading symbols for 0x80241000         mydrv.sys ->   mydrv.sys',
      '  *** Stack trace for last set context - .thread resets it',
      'ChildEBP RetAddr  Args to Child              ',
      '8d3ab4e4 8164f7b2 000000c4 000000f6 0000036c mydrv!Dispatch+0x1e',
    ].join('\n');
    const { summary, records, skipped } = await parseText(text, 'windbg');
    expectAccounted(summary);
    expect(skipped).toEqual([]);
    expect(frames(records).map((f) => f.symbol)).toEqual(['mydrv!ReadRegisters+0x1a', 'mydrv!Dispatch+0x1e']);
    // The four prompts, the two notes and the loading line.
    expect(summary.account.noiseLines).toBe(7);
  });

  it('a stack with no crash before it belongs to no incident', async () => {
    const { records } = await parseText(fixture('ebpf-for-windows-1324.txt'), 'windbg');
    expect(frames(records).map((f) => f.incident)).toEqual([null, null, null, null, null, null]);
  });

  it('emits frames as they come (a long stack is never held)', () => {
    const parser = new DebuggerTextParser(WINDBG_SHAPES);
    const rows = Array.from({ length: 5000 }, (_, i) => `${(i % 256).toString(16).padStart(2, '0')} ffffd001\`2d6f6a38 fffff803\`1a5f1d4e     mydrv!Fn${i}+0x10`);
    const lines = [' # Child-SP          RetAddr               Call Site', ...rows];
    const first = parser.push(lines.slice(0, 2501).map((text, i) => ({ line: i + 1, text })));
    expect(first.records).toHaveLength(2500);
    const second = parser.push(lines.slice(2501).map((text, i) => ({ line: i + 2502, text })));
    expect(second.records).toHaveLength(2500);
    expect(parser.finish().records).toEqual([]);
  });
});

describe('golden records of the stack samples', () => {
  for (const name of ['ebpf-for-windows-1324.txt', 'win-pvdrivers-xenusb-kb-x86.txt']) {
    it(name, async () => {
      const { summary, records, skipped } = await parseText(fixture(name));
      expect(summary.format).toBe('windbg');
      expectAccounted(summary);
      expect(records).toEqual(JSON.parse(readFileSync(`${FIXTURES}${name}.expected.json`, 'utf8')));
      expect(skipped).toEqual([]); // every line is a frame, the summary line, or known noise
      expect(readFileSync(`${FIXTURES}${name}.source`, 'utf8')).toMatch(/^https:\/\/github\.com\/\S+\n?$/);
    });
  }

  it('ebpf-for-windows-1324: MANIFEST has no bugcheck; the KeBugCheckEx argument (0x7e) is only a hint, not a record', async () => {
    const { records } = await parseText(fixture('ebpf-for-windows-1324.txt'));
    expect(records.filter((r) => r.type === 'bugcheck')).toEqual([]);
    expect(frames(records)[0]).toMatchObject({ index: 0, symbol: 'nt!KeBugCheckEx', childSp: null, returnAddress: '0xFFFFF805045D3643', args: ['0x000000000000007E', '0xFFFFFFFF80000003', '0xFFFFF805045C2B70', '0xFFFFF90193C35738'] });
  });

  it('win-pvdrivers-xenusb-kb-x86: MANIFEST has no bugcheck code; the verifier frames are marked', async () => {
    const { records } = await parseText(fixture('win-pvdrivers-xenusb-kb-x86.txt'));
    const all = frames(records);
    expect(all).toHaveLength(32);
    expect(records.filter((r) => r.type === 'bugcheck').map((r) => r.type === 'bugcheck' && r.code)).toEqual([null]);
    expect(all.filter((f) => f.verifier).map((f) => f.function)).toEqual(['IovCallDriver', 'ViFilterDispatchGeneric', 'IovCallDriver', 'IovCallDriver', 'ViFilterDispatchGeneric', 'IovCallDriver', 'IovCallDriver', 'IovCallDriver']);
    expect(all[18]).toMatchObject({ symbol: 'USBSTOR!USBSTOR_SyncSendUsbRequest+0x77', module: 'USBSTOR', function: 'USBSTOR_SyncSendUsbRequest', offset: '0x77' });
  });
});

describe('properties', () => {
  it('parseFrameRow and parseCallSite never throw, and a row they read keeps its call site whole', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom('0', '1', 'f', 'a', '`', ' ', ':', '-', '(', ')', '[', ']', '@', '!', '+', 'x', 'n', 't', '#', '\t') , maxLength: 120 }), (text) => {
        const row = parseFrameRow(text);
        parseHeaderlessRow(text);
        if (row) {
          expect(row.symbol.length).toBeGreaterThan(0);
          expect(text).toContain(row.symbol);
          parseCallSite(row.symbol);
        }
      }),
      { numRuns: 3000 },
    );
  });
});

describe('a record that fails its schema', () => {
  it('is kept as a skipped line with the reason, never a crash', async () => {
    const { parseText } = await import('../parsers/pipeline.js');
    // A row of mixed 8- and 16-digit arguments with a no-break space inside (found while fuzzing the row reader).
    const text = 'STACK_TEXT:  \nfffff880`02f1c9d8 fffff800`02ad1b69 : 0000000a\u00a000000000`00000014 00000002 00000001 : nt!KiPageFault+0x260\n';
    const { summary, records, skipped } = await parseText(text, 'windbg');
    const account = summary.account;
    expect(account.recordLines + account.noiseLines + account.skippedLines).toBe(account.lines);
    expect(records.filter((r) => r.type === 'frame')).toHaveLength(0);
    expect(skipped.map((s) => s.line)).toEqual([2]);
    expect(skipped[0]!.reason).toMatch(/^the parser built an invalid frame record here \(args\.\d: a 64-bit value/);
  });
});

describe('checkRecord (the engine\'s schema check)', () => {
  it('hands back the record itself when its schema accepts it, and the schema\'s own error when not', async () => {
    const { checkRecord, validateRecord } = await import('../src/records/validate.js');
    const { frameRecord, parseFrameRow } = await import('../parsers/windbg/frames.js');
    const frame = frameRecord(parseFrameRow('fffff880`02f1c9d8 fffff800`02ad1b69 : 00000000`0000000a 00000000`00000014 00000000`00000002 00000000`00000001 : nt!KiPageFault+0x260')!, 7, 1);
    expect(checkRecord(frame)).toBe(frame);
    expect(checkRecord(frame)).toEqual(validateRecord(frame));
    const broken = { ...frame, returnAddress: '0xfffff80002ad1b69' };
    expect(() => checkRecord(broken)).toThrow(/a 64-bit value: 0x \+ 16 upper-case hex digits/);
    let thrown: unknown;
    try {
      validateRecord(broken);
    } catch (error) {
      thrown = error;
    }
    expect(() => checkRecord(broken)).toThrow(thrown as Error);
  });
});
