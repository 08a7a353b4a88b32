import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseChunks, parseText, type ParseSummary } from '../parsers/pipeline.js';
import { RecordSchema, type ParsedRecord, type Skipped } from '../src/records/index.js';
import type { DriverIrp, EtwDiagnostic, EtwEvent } from '../src/records/etw.js';
import { clockTime, filetimeIso, shiftDecimal } from '../parsers/etw/time.js';
import { CsvRowReader, MAX_RECORD_LINES } from '../parsers/etw/csv-rows.js';
import { tracerptHeader as writeHeader, tracerptLines, tracerptRow, tracerptString, type TracerptEvent } from '../scripts/gen-tracerpt.js';

const FIXTURES = fileURLToPath(new URL('./fixtures/etw/', import.meta.url));
const bytesOf = (name: string): Buffer => readFileSync(FIXTURES + name);

interface Expected {
  source: string;
  format: string;
  encoding: string;
  lines: number;
  account: ParseSummary['account'];
  records: ParsedRecord[];
  skipped: Skipped[];
}

async function parse(text: string | Uint8Array, format?: string) {
  const result = await parseText(text, format, 'test.etw');
  for (const record of result.records) RecordSchema.parse(record);
  const a = result.summary.account;
  expect(a.recordLines + a.noiseLines + a.skippedLines).toBe(a.lines);
  return result;
}

const ofType = <T extends ParsedRecord['type']>(records: readonly ParsedRecord[], type: T) =>
  records.filter((r): r is Extract<ParsedRecord, { type: T }> => r.type === type);

describe('ETW golden files', () => {
  const files = [
    ['tracerpt-driver-irp.csv', 'etw-tracerpt'],
    ['tracerpt-resaved.csv', 'etw-tracerpt'],
    ['wpa-generic-events.csv', 'etw-wpa'],
    ['wpa-driver-named.csv', 'etw-wpa'],
    ['xperf-dumper-irp.txt', 'etw-xperf'],
    ['uiforetw-etwpmc-dumper.txt', 'etw-xperf'],
  ] as const;
  for (const [name, format] of files) {
    it(`${name} is detected as ${format} and parses to its reviewed records`, async () => {
      const expected = JSON.parse(readFileSync(`${FIXTURES}${name}.expected.json`, 'utf8')) as Expected;
      expect(readFileSync(`${FIXTURES}${name}.source`, 'utf8').split('\n')[0]).toBe(expected.source);
      const { summary, records, skipped } = await parse(bytesOf(name));
      expect(summary.format).toBe(format);
      expect([summary.format, summary.encoding, summary.lines]).toEqual([expected.format, expected.encoding, expected.lines]);
      expect(summary.account).toEqual(expected.account);
      expect(records).toEqual(expected.records);
      expect(skipped).toEqual(expected.skipped);
    });
  }
});

describe('tracerpt: driver IRP events from the documented schemas', () => {
  it('a DriverMajorFunctionCall keeps major, minor, routine, FileObject, Irp and match id exactly', async () => {
    const { records } = await parse(bytesOf('tracerpt-driver-irp.csv'));
    const calls = ofType(records, 'driverIrp');
    expect(calls.map((c) => [c.line, c.event, c.irp, c.matchId])).toEqual([
      [3, 'DriverMajorFunctionCall', '0xFFFFE001B4C8A010', '4711'],
      [4, 'DriverCompleteRequest', '0xFFFFE001B4C8A010', '4711'],
      [5, 'DriverCompletionRoutine', '0xFFFFE001B4C8A010', '4711'],
      [6, 'DriverCompleteRequestReturn', '0xFFFFE001B4C8A010', '4711'],
      [7, 'DriverMajorFunctionReturn', '0xFFFFE001B4C8A010', '4711'],
      [8, 'DriverMajorFunctionCall', '0x000000008A6C2010', '4712'],
      [21, 'DriverMajorFunctionReturn', '0xFFFFE001B4C8A010', '4713'],
    ]);
    const call = calls[0]!;
    expect([call.major, call.majorFunction, call.minor, call.routine, call.fileObject]).toEqual([14, 'IRP_MJ_DEVICE_CONTROL', 0, '0xFFFFF8051A2B4C10', '0xFFFFE001B3D21070']);
    expect([call.time, call.isoTime, call.timePrecision, call.pid, call.tid, call.processor]).toEqual(['133515648627073954', '2024-02-05T00:01:02.7073954Z', 'exact', 7720, 5912, 2]);
    expect(call.attributes).toMatchObject({ Version: '3', Opcode: '34', 'Activity ID': '{00000000-0000-0000-0000-000000000000}' });
    const pnp = calls[5]!;
    expect([pnp.majorFunction, pnp.minorFunction, pnp.routine, pnp.fileObject]).toEqual(['IRP_MJ_PNP', 'IRP_MN_REMOVE_DEVICE', '0x000000008A5B1C00', '0x0000000000000000']);
  });

  it('DiskIo and FileIo keep IrpPtr, FileObject, offsets and sizes exactly; an FSControl gives its FSCTL decoded', async () => {
    const { records } = await parse(bytesOf('tracerpt-driver-irp.csv'));
    const read = ofType(records, 'diskIo').find((d) => d.operation === 'Read')!;
    expect([read.irp, read.disk, read.offset, read.size, read.irpFlags, read.fileObject, read.responseTime, read.issuingThread]).toEqual(['0xFFFFE001B4D11010', 0, '9007199254741504', 16384, '0x00060043', '0xFFFFE001B3D21070', '9260', 88]);
    expect(read.attributes.Reserved).toBe('0');
    const [create, fsctl, opEnd] = ofType(records, 'fileIo');
    expect([create!.operation, create!.path, create!.thread, create!.attributes.CreateOptions]).toEqual(['Create', '\\Device\\HarddiskVolume3\\Users\\dev\\a, b.txt', 13212, '16777312']);
    expect([fsctl!.operation, fsctl!.fsctl, fsctl!.infoClass, fsctl!.irp]).toEqual(['FSControl', '0x000900A8', null, '0xFFFFE001B4E22A10']);
    expect([opEnd!.status, opEnd!.statusName]).toEqual(['0xC0000275', 'STATUS_NOT_A_REPARSE_POINT']);
    const ioctl = ofType(records, 'ioctl')[0]!;
    expect([ioctl.line, ioctl.code, ioctl.via, ioctl.majorFunction, ioctl.irp, ioctl.names[0]!.name, ioctl.method]).toEqual([13, '0x000900A8', 'etw', 'IRP_MJ_FILE_SYSTEM_CONTROL', '0xFFFFE001B4E22A10', 'FSCTL_GET_REPARSE_POINT', 'METHOD_BUFFERED']);
  });

  it('every other event is a generic event with its payload; quoted strings lose only their CSV quoting', async () => {
    const { records } = await parse(bytesOf('tracerpt-driver-irp.csv'));
    const [header, cswitch, start, shell] = ofType(records, 'event');
    expect([header!.provider, header!.name, header!.payload[10]]).toEqual(['EventTrace', 'Header', { name: 'PointerSize', value: '8' }]);
    expect(cswitch!.payload[0]).toEqual({ name: 'NewThreadId', value: '13212' });
    expect([start!.provider, start!.attributes['Activity ID'], start!.attributes.Keyword]).toEqual(['Microsoft-Windows-Kernel-Process', '{6a1b2c3d-4e5f-4a0b-9c8d-7e6f5a4b3c2d}', '0x8000000000000010']);
    expect(shell!.payload.map((p) => p.value)).toEqual(['4480', '"C:\\Windows\\System32\\cmd.exe" /c "echo a, b"', 'user']);
  });

  it('bad rows are skipped with line and reason; the rows after them parse', async () => {
    const { skipped, records } = await parse(bytesOf('tracerpt-driver-irp.csv'));
    expect(skipped.map((s) => [s.line, s.reason])).toEqual([
      [18, 'undecodable cell: PID "0xZZZZZZZZ" is not a number'],
      [19, 'undecodable cell: Irp "not-a-pointer" is not a pointer'],
      [20, 'wrong field count: 3 fields, the header has 19 before User Data'],
    ]);
    expect(records[records.length - 1]!.line).toBe(21);
  });
});

describe('broken encoding', () => {
  it('a row with bytes that are not UTF-8 is skipped with its line; the rows after it parse', async () => {
    const good = tracerptRow({ provider: 'Test-A', name: 'Info', eventId: 1, version: 0, opcode: 0, pid: 4, tid: 8, processor: 0, clock: 133515648627073954n, kernelMs: 0, userMs: 0, userData: ['"x"'] });
    const bytes = Buffer.concat([Buffer.from(`${writeHeader()}\r\n${good.replace('"x"', '"')}`), Buffer.from([0xc3, 0x28]), Buffer.from(`"\r\n${good}\r\n`)]);
    const { records, skipped } = await parse(bytes, 'etw-tracerpt');
    expect(skipped.map((s) => [s.line, s.reason])).toEqual([[2, 'broken encoding: the row holds bytes that are not valid UTF-8 (read as U+FFFD)']]);
    expect(records.map((r) => r.line)).toEqual([3]);
  });
});

describe('tracerpt re-saved by a spreadsheet', () => {
  it('reads the leading Index column as an attribute, the float time as lossy, the re-quoted strings as strings', async () => {
    const { records, skipped } = await parse(bytesOf('tracerpt-resaved.csv'));
    const call = ofType(records, 'driverIrp')[0]!;
    expect([call.time, call.timeText, call.timePrecision, call.isoTime, call.attributes.Index]).toEqual(['133516000000000000', '1.33516E+17', 'lossy-float', '2024-02-05T09:46:40.0000000Z', '2']);
    expect([call.irp, call.routine, call.pid]).toEqual(['0xFFFFE001B4C8A010', '0xFFFFF8051A2B4C10', 7720]);
    expect(ofType(records, 'fileIo')[0]!.path).toBe('\\Device\\HarddiskVolume3\\Users\\dev\\a, b.txt');
    expect(ofType(records, 'event').find((e) => e.provider === 'Microsoft-Windows-Shell-Core')!.payload.map((p) => p.value)).toEqual(['4480', '"C:\\Windows\\System32\\cmd.exe" /c "echo a, b"', 'user']);
    expect(skipped.map((s) => [s.line, s.reason])).toEqual([[10, 'undecodable cell: ByteOffset "9.0072E+15" is not a number (a spreadsheet rounded it into scientific notation)']]);
  });
});

describe('WPA exporter CSV: columns by name', () => {
  it('Field N columns follow the documented order; unknown columns are attributes', async () => {
    const { records, skipped } = await parse(bytesOf('wpa-generic-events.csv'));
    const call = ofType(records, 'driverIrp')[0]!;
    expect([call.provider, call.name, call.event, call.sinceStart, call.process, call.pid, call.tid, call.processor, call.irp, call.majorFunction]).toEqual(['DiskIo', 'DrvMjFnCall', 'DriverMajorFunctionCall', '12.345678901', 'acmesvc.exe', 7720, 5912, 2, '0xFFFFE001B4C8A010', 'IRP_MJ_DEVICE_CONTROL']);
    expect(call.attributes).toEqual({ 'Provider Name': 'Windows Kernel Trace', Line: '1', Id: '0', Count: '1' });
    expect(ofType(records, 'ioctl')[0]!.code).toBe('0x00090240');
    const start = ofType(records, 'event')[0]!;
    expect([start.provider, start.name, start.sinceStart, start.attributes['Task Name']]).toEqual(['Microsoft-Windows-Kernel-Process', 'win:Start', '1234.5', 'ProcessStart']);
    expect(start.payload).toEqual([{ name: null, value: '9112' }, { name: null, value: 'C:\\Windows\\System32\\cmd.exe, "quoted"' }]);
    expect(skipped.map((s) => s.line)).toEqual([6, 7]);
  });

  it('named payload columns in any order are matched to the documented fields', async () => {
    const { records } = await parse(bytesOf('wpa-driver-named.csv'));
    const [call] = ofType(records, 'driverIrp');
    expect([call!.major, call!.majorFunction, call!.routine, call!.fileObject, call!.irp, call!.matchId, call!.attributes.Stack]).toEqual([15, 'IRP_MJ_INTERNAL_DEVICE_CONTROL', '0xFFFFF8051A2B4C10', '0xFFFFE001B3D21070', '0xFFFFE001B4C8A010', '4711', 'ntoskrnl.exe!IofCallDriver']);
  });
});

describe('xperf -a dumper text', () => {
  it('headers name the columns; diagnostics and elisions are noise, diagnostics with their line', async () => {
    const { records, summary } = await parse(bytesOf('xperf-dumper-irp.txt'));
    const diagnostics = ofType(records, 'etwDiagnostic');
    expect(diagnostics).toEqual([{ type: 'etwDiagnostic', line: 9, format: 'xperf', text: 'Error: Description for thread state (9) could not be found. Thread state array out of date!!' } satisfies EtwDiagnostic]);
    expect(summary.account.noiseLines).toBe(10);
    const read = ofType(records, 'diskIo')[0]!;
    expect([read.sinceStart, read.process, read.pid, read.tid, read.irp, read.offset, read.size, read.disk, read.irpFlags, read.attributes.FileName]).toEqual(['1.002004', 'System', 4, 88, '0xFFFFE001B4D11010', '305397760', 16384, 0, '0x00060043', '\\Device\\HarddiskVolume3\\pagefile.sys']);
    const fsctl = ofType(records, 'ioctl')[0]!;
    expect([fsctl.code, fsctl.names[0]!.name, fsctl.irp, fsctl.process]).toEqual(['0x000900EB', 'FSCTL_READ_FILE_USN_DATA', '0xFFFFE001B4E22A10', 'MsMpEng.exe (3016)']);
  });

  it('the real UIforETW excerpt: CSwitch and Pmc rows with "name (  pid)" cells and an elision', async () => {
    const { records, summary } = await parse(bytesOf('uiforetw-etwpmc-dumper.txt'));
    expect(summary.account).toEqual({ lines: 16, recordLines: 13, noiseLines: 3, skippedLines: 0, records: 13, markdownNoise: 0 });
    const first = records[0] as EtwEvent;
    expect([first.line, first.provider, first.name, first.sinceStart, first.processor]).toEqual([4, 'Thread', 'CSwitch', '0.06463', 6]);
    expect(first.payload.slice(0, 2)).toEqual([{ name: 'New Process Name ( PID)', value: 'Idle (   0)' }, { name: 'New TID', value: '0' }]);
    const pmc = records[3] as EtwEvent;
    expect([pmc.name, pmc.tid, pmc.payload]).toEqual(['Pmc', 7720, [{ name: 'BranchInstructions', value: '41066' }, { name: 'BranchMispredictions', value: '6977' }]]);
  });
});

describe('times', () => {
  it('FILETIME ticks stay exact and become ISO time with 7 fractional digits', () => {
    expect(filetimeIso('133515648627073954')).toBe('2024-02-05T00:01:02.7073954Z');
    expect(filetimeIso('0')).toBe('1601-01-01T00:00:00.0000000Z');
    expect(clockTime('130439470445313924')).toEqual({ time: '130439470445313924', isoTime: '2014-05-07T14:37:24.5313924Z', timePrecision: 'exact', timeText: '130439470445313924' });
    expect(clockTime('1.30439E+17')).toEqual({ time: '130439000000000000', isoTime: '2014-05-07T01:33:20.0000000Z', timePrecision: 'lossy-float', timeText: '1.30439E+17' });
    expect(clockTime('soon')).toBeUndefined();
  });

  it('relative times shift exactly', () => {
    expect(shiftDecimal('64630', 6)).toBe('0.06463');
    expect(shiftDecimal('12345678.9', 6)).toBe('12.3456789');
    expect(shiftDecimal('12.5', 0)).toBe('12.5');
  });
});

describe('CSV rows', () => {
  it('a quoted field holding line breaks is one record over several lines', () => {
    const reader = new CsvRowReader({ ltrim: false, multiline: true });
    const batch = reader.push([{ line: 1, text: 'a,"b' }, { line: 2, text: 'c""' }, { line: 3, text: 'd",e' }, { line: 4, text: 'f,g' }]);
    expect(batch).toEqual({ rows: [{ line: 1, lineCount: 3, cells: ['a', 'b\nc"\nd', 'e'], text: 'a,"b\nc""\nd",e' }, { line: 4, lineCount: 1, cells: ['f', 'g'], text: 'f,g' }], problems: [] });
  });

  it('a quote that never closes costs its own line only', () => {
    const reader = new CsvRowReader({ ltrim: false, multiline: true });
    const lines = [{ line: 1, text: 'a,"b' }, ...Array.from({ length: MAX_RECORD_LINES + 1 }, (_, i) => ({ line: i + 2, text: `x${i},y` }))];
    const first = reader.push(lines);
    const last = reader.finish();
    expect(first.problems).toEqual([{ lines: [{ line: 1, text: 'a,"b' }], reason: `unterminated quote: a quoted field opens on this line and does not close within ${MAX_RECORD_LINES} lines` }]);
    expect([...first.rows, ...last.rows].map((r) => r.line)).toEqual(lines.slice(1).map((l) => l.line));
  });
});

// ------------------------------------------------------------------------------------------------
// Properties

/** String payload text: commas, quotes, spaces and non-ASCII, no line breaks. */
const stringValue = fc.string({ unit: fc.constantFrom('a', 'Z', '0', ' ', ',', '"', '\t', '\\', ':', 'é', '字', '{', '}'), maxLength: 16 });
const pointer = fc.bigInt({ min: 0n, max: 0xffffffffffffffffn });
const hex64 = (value: bigint): string => `0x${value.toString(16).toUpperCase().padStart(16, '0')}`;

interface Generated {
  readonly event: TracerptEvent;
  /** The payload values as they should come back. */
  readonly values: readonly string[];
}

const genericEvent: fc.Arbitrary<Generated> = fc
  .record({
    provider: fc.stringMatching(/^Test-[A-Za-z][A-Za-z0-9-]{0,10}$/),
    name: fc.stringMatching(/^[A-Za-z][A-Za-z0-9:]{0,8}$/),
    pid: fc.nat({ max: 0xffffffff }),
    tid: fc.nat({ max: 0xffffffff }),
    processor: fc.nat({ max: 255 }),
    clock: fc.bigInt({ min: 0n, max: 2_650_467_743_999_999_999n }),
    numbers: fc.array(fc.nat(), { maxLength: 4 }),
    strings: fc.array(stringValue, { maxLength: 3 }),
  })
  .map(({ provider, name, pid, tid, processor, clock, numbers, strings }) => ({
    event: { provider, name, eventId: 1, version: 0, opcode: 0, pid, tid, processor, clock, kernelMs: 0, userMs: 0, userData: [...numbers.map(String), ...strings.map(tracerptString)] },
    values: [...numbers.map(String), ...strings],
  }));

const driverCall: fc.Arbitrary<Generated> = fc
  .record({ major: fc.nat({ max: 0x1b }), minor: fc.nat({ max: 0x20 }), routine: pointer, fileObject: pointer, irp: pointer, matchId: fc.nat(), clock: fc.bigInt({ min: 0n, max: 2n ** 62n }) })
  .map(({ major, minor, routine, fileObject, irp, matchId, clock }) => ({
    event: { provider: 'DiskIo', name: 'DrvMjFnCall', eventId: 0, version: 3, opcode: 34, pid: 4, tid: 8, processor: 0, clock, kernelMs: 0, userMs: 0, userData: [String(major), String(minor), hex64(routine), hex64(fileObject), hex64(irp), String(matchId)] },
    values: [String(major), String(minor), hex64(routine), hex64(fileObject), hex64(irp), String(matchId)],
  }));

function tracerptFile(events: readonly TracerptEvent[]): string {
  return `${[writeHeader(), ...events.map(tracerptRow)].join('\r\n')}\r\n`;
}

async function* chunksOf(bytes: Uint8Array, cuts: readonly number[]): AsyncGenerator<Uint8Array> {
  let at = 0;
  for (const cut of [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b)) {
    yield bytes.subarray(at, cut);
    at = cut;
  }
  yield bytes.subarray(at);
}

async function parseInChunks(bytes: Uint8Array, cuts: readonly number[], format: string) {
  const records: ParsedRecord[] = [];
  const skipped: Skipped[] = [];
  const summary = await parseChunks(chunksOf(bytes, cuts), 'chunks', { record: (r) => records.push(r), skipped: (s) => skipped.push(s) }, format);
  return { summary, records, skipped };
}

describe('properties', () => {
  it('events written as tracerpt CSV read back to the same values', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.oneof(genericEvent, driverCall), { maxLength: 10 }), async (generated) => {
        const { records, skipped } = await parse(tracerptFile(generated.map((g) => g.event)), 'etw-tracerpt');
        expect(skipped).toEqual([]);
        expect(records.length).toBe(generated.length);
        records.forEach((record, i) => {
          const { event, values } = generated[i]!;
          const r = record as EtwEvent | DriverIrp;
          expect([r.provider, r.name, r.pid, r.tid, r.processor, r.time, r.timePrecision]).toEqual([event.provider, event.name, event.pid, event.tid, event.processor, event.clock.toString(), 'exact']);
          if (r.type === 'event') expect(r.payload.map((p) => p.value)).toEqual(values);
          else {
            expect(r.type).toBe('driverIrp');
            expect([String(r.major), String(r.minor), r.routine, r.fileObject, r.irp, r.matchId]).toEqual(values);
          }
        });
      }),
      { numRuns: 150 },
    );
  });

  it('any chunk boundaries give the same records, skipped lines and account', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.oneof(genericEvent, driverCall), { minLength: 1, maxLength: 6 }), fc.array(fc.nat(), { maxLength: 6 }), async (generated, cuts) => {
        const bytes = Buffer.from(tracerptFile(generated.map((g) => g.event)));
        const whole = await parseText(bytes, 'etw-tracerpt');
        const chunked = await parseInChunks(bytes, cuts, 'etw-tracerpt');
        expect(chunked.records).toEqual(whole.records);
        expect(chunked.skipped).toEqual(whole.skipped);
        expect(chunked.summary.account).toEqual(whole.summary.account);
      }),
      { numRuns: 100 },
    );
  });

  it('the bench generator\'s file reads the same in any chunks, with nothing skipped', async () => {
    const bytes = Buffer.from(`${[...tracerptLines(400, 3)].join('\r\n')}\r\n`);
    const whole = await parse(bytes, 'etw-tracerpt');
    expect(whole.skipped).toEqual([]);
    expect(whole.summary.account.recordLines).toBe(400);
    await fc.assert(
      fc.asyncProperty(fc.array(fc.nat(), { maxLength: 10 }), async (cuts) => {
        expect((await parseInChunks(bytes, cuts, 'etw-tracerpt')).records).toEqual(whole.records);
      }),
      { numRuns: 15 },
    );
  });

  it('fixtures read the same in any chunks', async () => {
    for (const [name, format] of [['xperf-dumper-irp.txt', 'etw-xperf'], ['wpa-generic-events.csv', 'etw-wpa'], ['tracerpt-resaved.csv', 'etw-tracerpt']] as const) {
      const bytes = bytesOf(name);
      const whole = await parseText(bytes, format);
      await fc.assert(
        fc.asyncProperty(fc.array(fc.nat(), { maxLength: 6 }), async (cuts) => {
          const chunked = await parseInChunks(bytes, cuts, format);
          expect([chunked.records, chunked.skipped]).toEqual([whole.records, whole.skipped]);
        }),
        { numRuns: 20 },
      );
    }
  });

  it('arbitrary bytes never throw, and every line is accounted for, in every ETW format', async () => {
    const header = Buffer.from(`${writeHeader()}\r\n`);
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 300 }), fc.constantFrom('etw-tracerpt', 'etw-wpa', 'etw-xperf'), fc.boolean(), fc.array(fc.nat(), { maxLength: 3 }), async (noise, format, withHeader, cuts) => {
        const bytes = withHeader ? Buffer.concat([header, noise]) : Buffer.from(noise);
        const { summary, records, skipped } = await parseInChunks(bytes, cuts, format);
        const a = summary.account;
        expect(a.recordLines + a.noiseLines + a.skippedLines).toBe(a.lines);
        expect(skipped.length).toBe(a.skippedLines);
        for (const record of records) RecordSchema.parse(record);
      }),
      { numRuns: 200 },
    );
  });
});
