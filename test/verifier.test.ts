import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseChunks, parseText, detect } from '../parsers/pipeline.js';
import { VERIFIER_SHAPES } from '../parsers/verifier/shapes.js';
import { documentedOptionBit } from '../parsers/verifier/option-bits.js';
import type { BlockContext, Block } from '../parsers/windbg/engine.js';
import { hex32, hex64, RecordSchema, type ParsedRecord, type Skipped, type VerifierFlag, type IrqlTransition, type WdfLog } from '../src/records/index.js';
import type { SourceLine } from '../src/text/index.js';

const FIXTURES = fileURLToPath(new URL('./fixtures/verifier/', import.meta.url));
const WINDBG_FIXTURES = fileURLToPath(new URL('./fixtures/windbg/', import.meta.url));
const fixture = (name: string): Buffer => readFileSync(FIXTURES + name);

const WIN7 = 'msdocs-verifier-0xf-win7.txt';
const IRQL_LOG = 'msdocs-verifier-irql-log-x64.txt';
const WIN10 = 'handcrafted-win10-flags.txt';
const KMDF = 'handcrafted-kmdf-log.txt';

const ofType = <T extends ParsedRecord['type']>(records: ParsedRecord[], type: T): Extract<ParsedRecord, { type: T }>[] =>
  records.filter((r): r is Extract<ParsedRecord, { type: T }> => r.type === type);

/** Every line is part of a record, noise, or skipped: the counts add up, and markdown noise is the rest. */
function expectAccounted(summary: Awaited<ReturnType<typeof parseText>>['summary']): void {
  const a = summary.account;
  expect(a.recordLines + a.noiseLines + a.skippedLines).toBe(a.lines);
  expect(a.lines + a.markdownNoise).toBe(summary.lines);
}

// ------------------------------------------------------------------------------------------------
// A per-line view of the verifier shapes, to check which lines they claim and how. It drives the shapes the way the
// engine does (open on a line no block took, push until 'leave'), without the WinDbg shapes or the global noise list.

type Verdict = 'record' | 'noise' | 'skipped' | 'unclaimed';

function classify(text: string, command: string | null = null): { verdicts: Verdict[]; records: ParsedRecord[]; skipped: string[] } {
  const lines = text.split(/\r?\n/);
  if (lines.at(-1) === '') lines.pop();
  const verdicts: Verdict[] = [];
  const records: ParsedRecord[] = [];
  const skipped: string[] = [];
  let current: Verdict = 'record';
  const context: BlockContext = {
    command,
    incident: 0,
    newIncident: () => 1,
    emit: (record) => records.push(RecordSchema.parse(record) as ParsedRecord),
    skip: (_line, reason) => {
      current = 'skipped';
      skipped.push(reason);
    },
    noise: () => {
      current = 'noise';
    },
    shared: new Map(),
  };
  let active: Block | null = null;
  lines.forEach((text, i) => {
    const line: SourceLine = { line: i + 1, text };
    current = 'record';
    if (active && active.push(line) === 'take') {
      verdicts.push(current);
      return;
    }
    active?.close();
    active = null;
    for (const shape of VERIFIER_SHAPES) {
      active = shape.open(line, context);
      if (active) break;
    }
    verdicts.push(active ? current : 'unclaimed');
  });
  (active as Block | null)?.close();
  return { verdicts, records, skipped };
}

// ------------------------------------------------------------------------------------------------
// Golden files

describe('golden: verifier fixtures', () => {
  for (const name of [WIN7, IRQL_LOG, WIN10, KMDF]) {
    it(`${name} parses to its reviewed records`, async () => {
      const expected = JSON.parse(readFileSync(FIXTURES + name.replace(/\.txt$/, '.expected.json'), 'utf8')) as {
        format: string;
        account: unknown;
        records: ParsedRecord[];
        skipped: Skipped[];
      };
      const { summary, records, skipped } = await parseText(fixture(name));
      expect(summary.format).toBe(expected.format);
      expect(records).toEqual(expected.records);
      expect(skipped).toEqual(expected.skipped);
      expect(summary.account).toEqual(expected.account);
      expectAccounted(summary);
    });

    it(`${name} has a .source`, () => {
      const source = readFileSync(FIXTURES + name + '.source', 'utf8');
      if (name.startsWith('handcrafted-')) expect(source).toMatch(/^HANDCRAFTED: /);
      else expect(source.split('\n')[0]).toMatch(/^https:\/\/github\.com\/MicrosoftDocs\/windows-driver-docs\/blob\/0016369f/);
    });
  }
});

describe('Win7 !verifier 0xf report (msdocs-verifier-0xf-win7.txt)', () => {
  it('gives one enabled win7 option per listed name, bits only where documented', async () => {
    const { records } = await parseText(fixture(WIN7));
    const flags = ofType(records, 'verifierFlag');
    expect(flags.map((f) => [f.line, f.name, f.bit])).toEqual([
      [4, 'Special pool', '0x00000001'],
      [5, 'Special irql', null],
      [6, 'All pool allocations checked on unload', null],
      [7, 'Io subsystem checking enabled', null],
      [8, 'Deadlock detection enabled', '0x00000020'],
      [9, 'DMA checking enabled', '0x00000080'],
      [10, 'Security checks enabled', '0x00000100'],
      [11, 'Miscellaneous checks enabled', '0x00000800'],
    ]);
    for (const flag of flags) expect(flag).toMatchObject({ form: 'win7', level: '0x000009BB', enabled: true, group: null });
  });

  it('gives the four IRQL transitions of the trace log with their frames', async () => {
    const { records } = await parseText(fixture(WIN7));
    const entries = ofType(records, 'irqlTransition');
    expect(entries.map((e) => e.line)).toEqual([75, 87, 99, 111]);
    for (const entry of entries) {
      expect(entry).toMatchObject({ thread: '0xFFFFF80002BF8C40', oldIrql: 2, newIrql: 2, processor: 0, timeStamp: '0x000000000000495E' });
      expect(entry.frames).toHaveLength(5);
      expect(entry.frameAddresses).toHaveLength(5);
    }
    expect(entries[0]!.frames[0]).toBe('USBPORT!USBPORT_DM_IoTimerDpc+0x9a');
    expect(entries[0]!.frames[4]).toBe('nt!KiTimerExpiration+0x1be');
    expect(entries[1]!.frames[1]).toBe('USBPORT!USBPORT_Core_TimeoutAllTransfers+0x1f');
    expect(entries[1]!.frameAddresses[1]).toBe('0xFFFFF880042172DF');
    expect(entries[3]!.frames[0]).toBe('USBPORT!MPf_CheckController+0x34');
  });

  it('claims every statistics, driver-list and trace-log line itself, as noise, and none is unclaimed but blanks and dashes', () => {
    const text = fixture(WIN7).toString('utf8');
    const lines = text.split('\n');
    const { verdicts, skipped } = classify(text, '!verifier 0xf');
    expect(skipped).toEqual([]);
    lines.forEach((line, i) => {
      const verdict = verdicts[i];
      if (verdict === undefined) return; // the empty string after the last newline
      const t = line.trim();
      if (/^(RaiseIrqls|AcquireSpinLocks|Synch Executions|Trims|Pool Allocations|Resource Allocations|Current |Peak |Entry |PoolAddress|fffff9|fffffa|Summary of|Driver Verification List|\.\.\.$|Fault injection|Track irql|Driver Verifier didn't|Displaying most recent|There are up to)/.test(t)) {
        expect([i + 1, verdict]).toEqual([i + 1, 'noise']);
      }
      // What the verifier shapes leave: the prompt (the engine's), dash separators and blank lines (global noise).
      if (verdict === 'unclaimed') expect(t === '' || /^-+$/.test(t) || t.startsWith('2: kd>')).toBe(true);
    });
  });
});

describe('IRQL transition log (msdocs-verifier-irql-log-x64.txt)', () => {
  it('gives two entries with every field and the nsiproxy frames', async () => {
    const { records } = await parseText(fixture(IRQL_LOG));
    expect(records).toHaveLength(2);
    const [first, second] = ofType(records, 'irqlTransition') as [IrqlTransition, IrqlTransition];
    expect(first).toMatchObject({ line: 1, thread: '0xFFFFFA80068C9400', oldIrql: 2, newIrql: 0, processor: 2, timeStamp: '0x0000000000000857' });
    expect(first.frames).toEqual([
      'ndis!ndisNsiGetInterfaceInformation+0x20a',
      'NETIO!NsiGetParameterEx+0x178',
      'nsiproxy!NsippGetParameter+0x24a',
      'nsiproxy!NsippDispatchDeviceControl+0xa3',
      'nsiproxy!NsippDispatch+0x48',
    ]);
    expect(first.frameAddresses[3]).toBe('0xFFFFF88005F086DB');
    expect(second).toMatchObject({ line: 13, thread: '0xFFFFFA80068C9400', oldIrql: 2, newIrql: 2, processor: 2, timeStamp: '0x0000000000000857' });
    expect(second.frames[0]).toBe('ndis!ndisReferenceTopMiniportByNameForNsi+0x1ce');
    expect(second.frames[4]).toBe('nsiproxy!NsippDispatchDeviceControl+0xa3');
  });

  it('opens an entry on "Old irql:" when the Thread line was lost, and x86 8-digit frames', async () => {
    const text = ['Old irql:           00000001', 'New irql:           00000002', '', '    8088db41 NETIO!NetioFreeNetBufferAndNetBufferList+0xe', '    8c588d68 tcpip!UdpEndSendMessages+0xdf', ''].join('\n');
    const { records, skipped } = await parseText(text, 'verifier');
    expect(skipped).toEqual([]);
    expect(records).toEqual([
      {
        type: 'irqlTransition',
        line: 1,
        thread: null,
        oldIrql: 1,
        newIrql: 2,
        processor: null,
        timeStamp: null,
        frames: ['NETIO!NetioFreeNetBufferAndNetBufferList+0xe', 'tcpip!UdpEndSendMessages+0xdf'],
        frameAddresses: ['0x000000008088DB41', '0x000000008C588D68'],
      },
    ]);
  });
});

describe('other !verifier output in the layouts Microsoft documents (handcrafted values)', () => {
  it('reads a Win7 list printed with 8 spaces, and keeps an undocumented name unmapped', async () => {
    const text = ['!verifier', '', 'Verify Level 5 ... enabled options are:', '        Special pool', '        Inject random low-resource API failures', '', 'Summary of All Verifier Statistics', '', 'RaiseIrqls                             0x2c', 'Resource Allocations Failed Deliberately   0x3f5', ''].join('\n');
    const { records, skipped } = await parseText(text, 'verifier');
    expect(skipped).toEqual([]);
    expect(records.map((r) => (r.type === 'verifierFlag' ? [r.line, r.name, r.bit, r.level] : r.type))).toEqual([
      [4, 'Special pool', '0x00000001', '0x00000005'],
      [5, 'Inject random low-resource API failures', null, '0x00000005'],
    ]);
  });

  it('takes a fault injection history (!verifier 4) as context, Thread lines included', async () => {
    const text = [
      'kd> !verifier 4',
      'Resource fault injection history:',
      'Tracker @ 8354A000 (# entries: 80, size: 80, depth: 8)',
      '',
      'Entry @ 8354B258 (index 75)',
      '',
      '    Thread: C2638220',
      '',
      '    816760CB nt!VerifierExAllocatePoolWithTag+0x49',
      '    A4720443 sampledrv!SampleAllocateContext+0x15d',
      '',
    ].join('\n');
    const { summary, records, skipped } = await parseText(text, 'verifier');
    expect(records).toEqual([]);
    expect(skipped).toEqual([]);
    expect(summary.account).toMatchObject({ lines: 10, recordLines: 0, noiseLines: 10, skippedLines: 0 });
  });

  it('skips, with a reason, a Thread line and stack that carry no IRQL field', async () => {
    const text = ['Old irql: 2', '    fffff8800140f12a ndis!ndisNsiGetInterfaceInformation+0x20a', 'Thread:             fffffa80068c9400', '', '    fffff8800140f12a ndis!ndisNsiGetInterfaceInformation+0x20a', ''];
    const { records, skipped } = await parseText(text.join('\n'), 'verifier');
    expect(records).toHaveLength(1); // the "Old irql" entry; a field after its frames starts the next one
    expect(skipped.map((s) => s.line)).toEqual([3, 5]);
    for (const s of skipped) expect(s.reason).toMatch(/not an IRQL transition log entry/);
  });
});

describe('Win10 "Verify Flags Level" report (handcrafted, documented layout)', () => {
  it('gives every option with its printed bit, state and group', async () => {
    const { records, skipped } = await parseText(fixture(WIN10));
    expect(skipped).toEqual([]);
    const flags = ofType(records, 'verifierFlag');
    expect(flags).toHaveLength(24);
    for (const flag of flags) expect(flag).toMatchObject({ form: 'win10', level: '0x001209BB' });
    expect(flags[0]).toEqual({ type: 'verifierFlag', line: 6, form: 'win10', level: '0x001209BB', bit: '0x00000000', name: 'Automatic Checks', enabled: true, group: 'STANDARD FLAGS' });
    expect(flags[4]).toMatchObject({ bit: '0x00000010', name: 'I/O verification', enabled: true, group: 'STANDARD FLAGS' });
    expect(flags[10]).toMatchObject({ line: 18, bit: '0x00000004', name: 'Randomized low resources simulation', enabled: false, group: 'ADDITIONAL FLAGS' });
    expect(flags[18]).toMatchObject({ bit: '0x00080000', name: 'DDI compliance checking (additional)', enabled: false });
    expect(flags[23]).toMatchObject({ line: 33, bit: '0x00100000', enabled: true, group: 'RESERVED FLAGS (handcrafted title)' });
    // The enabled bits are the level.
    const enabled = flags.filter((f) => f.enabled).reduce((level, f) => level | Number(f.bit), 0);
    expect(hex32(enabled)).toBe('0x001209BB');
  });

  it('takes the legend, the indented statistics and the MODULE driver list as noise', () => {
    const text = fixture(WIN10).toString('utf8');
    const { verdicts, skipped } = classify(text);
    expect(skipped).toEqual([]);
    const lines = text.split('\n');
    const at = (pattern: RegExp): Verdict[] => lines.flatMap((l, i) => (pattern.test(l) ? [verdicts[i]!] : []));
    expect(at(/Indicates flag is enabled/)).toEqual(['noise']);
    expect(at(/^\s+(RaiseIrqls|Pool Allocations Failed|Peak nonpaged pool)/)).toEqual(['noise', 'noise', 'noise']);
    expect(at(/MODULE: |Pool Allocation Statistics|Contiguous Memory Bytes|^\s+0xffffb20c4b2f/)).toEqual(Array(6).fill('noise'));
    expect(at(/^\s+-{10,}\s+-/)).toEqual(['noise']);
    // Left to the engine: the prompt and blank lines.
    expect(lines.filter((l, i) => verdicts[i] === 'unclaimed' && l.trim() !== '')).toEqual(['0: kd> !verifier 1 sampledrv.sys']);
  });
});

describe('KMDF in-flight recorder (handcrafted, documented layouts)', () => {
  it('reads major, minor and IRP from the Vf_VerifyWdfDeviceWdmDispatchIrpToIoQueue line', async () => {
    const { records } = await parseText(fixture(KMDF));
    const verify = ofType(records, 'wdfLog').filter((r) => r.function === 'Vf_VerifyWdfDeviceWdmDispatchIrpToIoQueue');
    expect(verify).toHaveLength(2);
    for (const record of verify) expect(record).toMatchObject({ majorFunction: 'IRP_MJ_INTERNAL_DEVICE_CONTROL', minor: 0, irp: '0xFFFFB20C4C0D2A20', status: null, statusCode: null });
    expect(verify[0]).toMatchObject({ line: 13, sequence: '104', level: null, log: null, time: null });
    expect(verify[1]).toMatchObject({ line: 20, sequence: '[0]0000', level: 'TRACE_LEVEL_VERBOSE' });
  });

  it('gives FxRequest::Complete lines their final NTSTATUS name and value', async () => {
    const { records } = await parseText(fixture(KMDF));
    const completions = ofType(records, 'wdfLog').filter((r) => r.function === 'FxRequest::Complete');
    expect(completions.map((r) => [r.line, r.irp, r.status, r.statusCode])).toEqual([
      [11, '0xFFFFB20C4B9A8010', 'STATUS_SUCCESS', '0x00000000'],
      [16, '0xFFFFB20C4C0D2A20', 'STATUS_INVALID_DEVICE_REQUEST', '0xC0000010'],
      [22, '0xFFFFB20C4C0D2A20', 'STATUS_NOT_SUPPORTED', '0xC00000BB'],
    ]);
  });

  it('keeps a status printed as 0x........(NAME) with its printed value', async () => {
    const { records } = await parseText(fixture(KMDF));
    const registry = ofType(records, 'wdfLog').find((r) => r.function === 'imp_WdfRegistryOpenKey');
    expect(registry).toMatchObject({ status: 'STATUS_OBJECT_NAME_NOT_FOUND', statusCode: '0xC0000034', irp: null, majorFunction: null });
  });

  it('names a major printed only as a number ("Major Function 0x%x")', async () => {
    const line = '[0]0000 TRACE_LEVEL_FATAL FxRequest::CompleteInternal:WDFREQUEST 0x00004DF3B4657FD8, PIRP 0xFFFFB20C4B9A8010, Major Function 0xe,  completed with outstanding references on WDFMEMORY 0x00004DF3B4650FD8 or 0x0000000000000000 retrieved from this request';
    const { records } = await parseText(line, 'verifier');
    expect(records).toMatchObject([{ type: 'wdfLog', level: 'TRACE_LEVEL_FATAL', function: 'FxRequest::CompleteInternal', majorFunction: 'IRP_MJ_DEVICE_CONTROL', minor: null, irp: '0xFFFFB20C4B9A8010', status: null }]);
  });

  it('reads log IDs and time stamps of multi-log dumps, and needs a log context for numbered lines', async () => {
    const dump = [
      '0: kd> !wdflogdump AcxHdAudio -f',
      'There are 2 log entries',
      '--- start of log ---',
      'AFX_Client1 5: Acx::AfxPin::GetModesCount - WARN:ACXPIN 00007DFAD4697238, failed, 0xc0000225(STATUS_NOT_FOUND)',
      '16131: 09/03/2023-23:43:07.3233594 FxPkgIo::Dispatch - WDFDEVICE 0x00007DFADB0A5358 !devobj 0xFFFF820521608AF0 0x00000003(IRP_MJ_READ), IRP_MN 0, IRP 0xFFFF820521608000',
      '...',
      '---- end of log ----',
    ].join('\n');
    const { records, skipped } = await parseText(dump, 'verifier');
    expect(skipped).toEqual([]);
    expect(records).toEqual<WdfLog[]>([
      { type: 'wdfLog', line: 4, log: 'AFX_Client1', sequence: '5', time: null, level: null, function: 'Acx::AfxPin::GetModesCount', text: 'WARN:ACXPIN 00007DFAD4697238, failed, 0xc0000225(STATUS_NOT_FOUND)', majorFunction: null, minor: null, irp: null, status: 'STATUS_NOT_FOUND', statusCode: '0xC0000225' },
      {
        type: 'wdfLog',
        line: 5,
        log: null,
        sequence: '16131',
        time: '09/03/2023-23:43:07.3233594',
        level: null,
        function: 'FxPkgIo::Dispatch',
        text: 'WDFDEVICE 0x00007DFADB0A5358 !devobj 0xFFFF820521608AF0 0x00000003(IRP_MJ_READ), IRP_MN 0, IRP 0xFFFF820521608000',
        majorFunction: 'IRP_MJ_READ',
        minor: 0,
        irp: '0xFFFF820521608000',
        status: null,
        statusCode: null,
      },
    ]);
    // Outside a log, "12: word - text" is not a KMDF entry.
    const loose = classify('12: FxPkgIo::Dispatch - something\n');
    expect(loose.verdicts).toEqual(['unclaimed']);
  });
});

describe('ownership boundaries', () => {
  it('leaves the "Driver Verifier: Bugcheck initiated" line to the announcements shape', () => {
    const { verdicts } = classify("Driver Verifier: Bugcheck initiated with Error Code: 0x2001F Error Message: 'rule violation'\n");
    expect(verdicts).toEqual(['unclaimed']);
  });

  it('opens on nothing in common !analyze and stack lines', () => {
    const text = [
      'DRIVER_VERIFIER_DETECTED_VIOLATION (c4)',
      'Arguments:',
      'Arg1: 0000000000000062, A driver has forgotten to free its pool allocations prior to unloading.',
      'STACK_TEXT:  ',
      'ffffd000`2a4f6f18 fffff803`0b7e4b1a : 00000000`000000c4 00000000`00000062 : nt!KeBugCheckEx',
      ' # Child-SP          RetAddr               Call Site',
      'THREAD ffffe0003c4f5080  Cid 0004.0048  Teb: 0000000000000000',
      'Trap frame at fffff8001d2a6f10',
      'DEFAULT_BUCKET_ID:  WIN8_DRIVER_FAULT',
    ].join('\n');
    expect(classify(text).verdicts.every((v) => v === 'unclaimed')).toBe(true);
  });
});

describe('format detection', () => {
  const lines = (buffer: Buffer): string[] => buffer.toString('utf8').split(/\r?\n/).slice(0, 200);

  it('picks verifier for the verifier fixtures', () => {
    for (const name of [WIN7, IRQL_LOG, WIN10, KMDF]) expect([name, detect(lines(fixture(name))).format]).toEqual([name, 'verifier']);
  });

  it('does not call a stack "verifier" only because it passes through nt!IovCallDriver', () => {
    const stack = ['ChildEBP RetAddr  Args to Child', 'f78a2c4c 80a2b1c2 89b6a0b8 8a2f4e28 8a2f4e38 nt!IovCallDriver+0x110', 'f78a2c60 80a2b4d6 8a2f4e38 8a2f4e28 00000000 nt!ViFilterDispatchGeneric+0x1c'];
    expect(detect(stack).format).toBe('windbg');
  });

  it('sees through a quoted paste', () => {
    expect(detect(['> Old irql:           0000000000000002', '> New irql:           0000000000000000']).format).toBe('verifier');
  });
});

// ------------------------------------------------------------------------------------------------
// The verifier !analyze corpus files, golden-tested by the analyze engineer under test/fixtures/windbg/. Checked here:
// auto-detection calls them verifier text, and in the verifier module (verifier shapes tried first) the bugcheck
// still carries its decoded verifier sub-code case.

const ANALYZE_FILES: readonly [string, string, [number, string][]][] = [
  ['scptoolkit-29.txt', '0x000000C9', [[1, '0x0000021F']]],
  ['systeminformer-275.txt', '0x000000C4', [[1, '0x000000F6']]],
  ['windows-driver-docs-1623.txt', '0x000000C4', [[1, '0x000000DD']]],
  ['windows-driver-samples-205.txt', '0x000000C4', [[1, '0x00000062']]],
  ['mac-precision-touchpad-92.txt', '0x0000010D', [[1, '0x00000006'], [2, '0x00000003']]],
];

describe('verifier !analyze corpus files (test/fixtures/windbg/)', () => {
  for (const [name, code, cases] of ANALYZE_FILES) {
    it(`${name}: --format auto picks verifier, and the bugcheck carries its sub-code case`, async () => {
      const { summary, records } = await parseText(readFileSync(WINDBG_FIXTURES + name));
      expect(summary.format).toBe('verifier');
      expectAccounted(summary);
      const bugchecks = ofType(records, 'bugcheck');
      expect(bugchecks).toHaveLength(1);
      expect(bugchecks[0]!.code).toBe(code);
      expect(bugchecks[0]!.cases.map((c) => [c.argument, c.value])).toEqual(cases);
    });
  }
});

// ------------------------------------------------------------------------------------------------
// Damage and properties

describe('damage forms on a real verifier sample give the same records', () => {
  for (const name of [WIN7, IRQL_LOG]) {
    const text = fixture(name).toString('utf8');
    const lines = text.split('\n');
    if (lines.at(-1) === '') lines.pop();
    const forms: Record<string, string | Buffer> = {
      'quoted "> "': lines.map((l) => (l === '' ? '>' : `> ${l}`)).join('\n') + '\n',
      '4-space indent': lines.map((l) => (l === '' ? '' : `    ${l}`)).join('\n') + '\n',
      CRLF: lines.join('\r\n') + '\r\n',
      'UTF-16LE with BOM': Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]),
    };
    for (const [form, damaged] of Object.entries(forms)) {
      it(`${name}, ${form}`, async () => {
        const clean = await parseText(fixture(name));
        const result = await parseText(damaged);
        expect(result.summary.format).toBe('verifier');
        expect(result.records).toEqual(clean.records);
        expect(result.skipped).toEqual([]);
        expectAccounted(result.summary);
      });
    }
  }
});

async function parseInChunks(bytes: Uint8Array, cuts: number[]): Promise<{ records: ParsedRecord[]; skipped: Skipped[]; account: unknown }> {
  const points = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
  async function* chunks(): AsyncGenerator<Uint8Array> {
    let previous = 0;
    for (const point of [...points, bytes.length]) {
      yield bytes.slice(previous, point);
      previous = point;
    }
  }
  const records: ParsedRecord[] = [];
  const skipped: Skipped[] = [];
  const summary = await parseChunks(chunks(), '<chunks>', { record: (r) => records.push(r), skipped: (s) => skipped.push(s) });
  return { records, skipped, account: summary.account };
}

describe('properties', () => {
  it('random chunking of a verifier sample gives the same records', async () => {
    for (const name of [WIN7, KMDF]) {
      const bytes = new Uint8Array(fixture(name));
      const whole = await parseInChunks(bytes, []);
      await fc.assert(
        fc.asyncProperty(fc.array(fc.nat(), { maxLength: 40 }), async (cuts) => {
          expect(await parseInChunks(bytes, cuts)).toEqual(whole);
        }),
        { numRuns: 60 },
      );
    }
  });

  const optionName = fc.stringMatching(/^[A-Za-z][A-Za-z0-9 /().,-]{0,40}$/).map((s) => s.trimEnd());
  const option = fc.record({ enabled: fc.boolean(), bit: fc.nat({ max: 0xffffffff }), name: optionName });
  const groupTitle = fc.oneof(
    fc.constant('STANDARD FLAGS'),
    fc.constant('ADDITIONAL FLAGS'),
    fc.stringMatching(/^[A-Za-z][A-Za-z ]{0,20}$/).map((s) => `RESERVED FLAGS (${s.trimEnd()})`),
  );
  const group = fc.record({ title: groupTitle, options: fc.array(option, { maxLength: 8 }) });

  it('random flag lists rendered in the Win10 layout parse back to the same flags', async () => {
    await fc.assert(
      fc.asyncProperty(fc.nat({ max: 0xffffffff }), fc.array(group, { maxLength: 4 }), async (level, groups) => {
        const out = ['0: kd> !verifier', '', `Verify Flags Level 0x${level.toString(16).padStart(8, '0')}`];
        for (const g of groups) {
          out.push('', `  ${g.title}:`);
          for (const o of g.options) out.push(`    [${o.enabled ? 'X' : ' '}] (0x${o.bit.toString(16).padStart(8, '0')}) ${o.name}`);
        }
        out.push('', '    [X] Indicates flag is enabled', '');
        const { records, skipped } = await parseText(out.join('\n'), 'verifier');
        expect(skipped).toEqual([]);
        const expected = groups.flatMap((g) => g.options.map((o) => ({ name: o.name, bit: hex32(o.bit), enabled: o.enabled, group: g.title })));
        const flags = records as VerifierFlag[];
        expect(flags.map(({ name, bit, enabled, group: g }) => ({ name, bit, enabled, group: g }))).toEqual(expected);
        for (const flag of flags) expect(flag).toMatchObject({ type: 'verifierFlag', form: 'win10', level: hex32(level) });
      }),
      { numRuns: 150 },
    );
  });

  it('random IRQL log entries parse back to the same fields and frames', async () => {
    const hex16 = fc.bigInt({ min: 0n, max: 0xffffffffffffffffn });
    const frame = fc.record({ address: hex16, symbol: fc.stringMatching(/^[A-Za-z]\w{0,8}![A-Za-z_]\w{0,20}\+0x[0-9a-f]{1,4}$/) });
    const entry = fc.record({ thread: hex16, oldIrql: fc.nat({ max: 31 }), newIrql: fc.nat({ max: 31 }), processor: fc.nat({ max: 255 }), time: hex16, frames: fc.array(frame, { minLength: 1, maxLength: 6 }) });
    const pad = (v: bigint | number): string => BigInt(v).toString(16).padStart(16, '0');
    await fc.assert(
      fc.asyncProperty(fc.array(entry, { minLength: 1, maxLength: 5 }), async (entries) => {
        const out: string[] = [];
        for (const e of entries) {
          out.push(`Thread:             ${pad(e.thread)}`, `Old irql:           ${pad(e.oldIrql)}`, `New irql:           ${pad(e.newIrql)}`, `Processor:          ${pad(e.processor)}`, `Time stamp:         ${pad(e.time)}`, '');
          for (const f of e.frames) out.push(`    ${pad(f.address)} ${f.symbol}`);
          out.push('');
        }
        const { records, skipped } = await parseText(out.join('\n'), 'verifier');
        expect(skipped).toEqual([]);
        expect(records).toEqual(
          entries.map((e, i) => ({
            type: 'irqlTransition',
            line: 1 + entries.slice(0, i).reduce((n, p) => n + 7 + p.frames.length, 0),
            thread: hex64(e.thread),
            oldIrql: e.oldIrql,
            newIrql: e.newIrql,
            processor: e.processor,
            timeStamp: hex64(e.time),
            frames: e.frames.map((f) => f.symbol),
            frameAddresses: e.frames.map((f) => hex64(f.address)),
          })),
        );
      }),
      { numRuns: 100 },
    );
  });
});

describe('documented option bits', () => {
  it('maps documented names, with or without "enabled", only when the level has the bit', () => {
    expect(documentedOptionBit('Special pool', 0x9bb)).toBe(0x1);
    expect(documentedOptionBit('Deadlock detection enabled', 0x9bb)).toBe(0x20);
    expect(documentedOptionBit('DMA checking enabled', 0x9bb)).toBe(0x80);
    expect(documentedOptionBit('Special irql', 0x9bb)).toBeNull();
    expect(documentedOptionBit('Io subsystem checking enabled', 0x9bb)).toBeNull();
    expect(documentedOptionBit('IRP logging', 0x9bb)).toBeNull(); // 0x400 is not in 0x9bb
    expect(documentedOptionBit('IRP logging', null)).toBe(0x400);
  });
});
