import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { FormatError, parseChunks, parseText, type ParseSummary } from '../parsers/pipeline.js';
import { RecordSchema, type IoctlOccurrence, type ParsedRecord, type Skipped } from '../src/records/index.js';
import type { ProcmonEvent } from '../src/records/procmon.js';
import { resultStatus } from '../parsers/procmon/result.js';
import { procmonTime } from '../parsers/procmon/time.js';
import { PROCMON_HEADER, procmonCell, procmonLines, type ProcmonRow } from '../scripts/gen-tracerpt.js';

const FIXTURES = fileURLToPath(new URL('./fixtures/procmon/', import.meta.url));
const bytesOf = (name: string): Buffer => readFileSync(FIXTURES + name);

interface Expected {
  source: string;
  format: string;
  encoding: string;
  lines: number;
  account: ParseSummary['account'];
  recordCount?: number;
  records: ParsedRecord[];
  skipped: Skipped[];
}

const expectedOf = (name: string): Expected => JSON.parse(readFileSync(`${FIXTURES}${name}.expected.json`, 'utf8')) as Expected;

async function parse(text: string | Uint8Array, format?: string) {
  const result = await parseText(text, format, 'test.csv');
  for (const record of result.records) RecordSchema.parse(record);
  const a = result.summary.account;
  expect(a.recordLines + a.noiseLines + a.skippedLines).toBe(a.lines);
  return result;
}

const events = (records: readonly ParsedRecord[]): ProcmonEvent[] => records.filter((r): r is ProcmonEvent => r.type === 'procmonEvent');
const ioctls = (records: readonly ParsedRecord[]): IoctlOccurrence[] => records.filter((r): r is IoctlOccurrence => r.type === 'ioctl');

describe('Process Monitor golden files (corpus samples, copied byte-exact)', () => {
  for (const name of ['feijing2132-monitorapis-logfile.csv', 'first-blood-excel-resaved-logfile.csv', 'prsp0007-samples-logfile.csv']) {
    it(`${name} parses to its reviewed records`, async () => {
      const expected = expectedOf(name);
      expect(readFileSync(`${FIXTURES}${name}.source`, 'utf8').split('\n')[0]).toBe(expected.source);
      const { summary, records, skipped } = await parse(bytesOf(name));
      expect(summary.format).toBe(expected.format);
      expect(summary.encoding).toBe(expected.encoding);
      expect(summary.lines).toBe(expected.lines);
      expect(summary.account).toEqual(expected.account);
      if (expected.recordCount === undefined) expect(records).toEqual(expected.records);
      else {
        expect(records.length).toBe(expected.recordCount);
        const lines = new Set(expected.records.map((r) => r.line));
        expect(records.filter((r) => lines.has(r.line))).toEqual(expected.records);
      }
      expect(skipped).toEqual(expected.skipped);
    });
  }
});

describe('feijing2132: control codes Procmon printed by name and by value', () => {
  it('Control: 0x902eb (Device:0x9 Function:186 Method: 3) is an ioctl 0x000902EB whose fields match what Procmon printed', async () => {
    const { records } = await parse(bytesOf('feijing2132-monitorapis-logfile.csv'));
    const [oplock, unknown] = ioctls(records);
    expect(unknown).toEqual({
      type: 'ioctl', line: 7, code: '0x000902EB', via: 'procmon', majorFunction: 'IRP_MJ_FILE_SYSTEM_CONTROL', driver: null, irp: null,
      status: '0x00000000', statusText: 'SUCCESS', time: '3:58:47.7287063 PM', process: 'MsMpEng.exe (1000)', names: [],
      deviceType: { value: 0x9, names: ['FILE_DEVICE_FILE_SYSTEM'] }, function: 0xba, method: 'METHOD_NEITHER', access: 'FILE_ANY_ACCESS',
    });
    const row = events(records).find((e) => e.line === 7)!;
    expect(row.control).toEqual({ text: '0x902eb', code: '0x000902EB', name: null, printed: { deviceType: 0x9, function: 186, method: 3 }, agrees: true });
    expect(oplock!.line).toBe(6);
    expect(oplock!.code).toBe('0x00090240');
    expect(oplock!.names.map((n) => n.name)).toEqual(['FSCTL_REQUEST_OPLOCK']);
    expect([oplock!.status, oplock!.statusText]).toEqual(['0x00000216', 'OPLOCK HANDLE CLOSED']);
    expect(events(records).find((e) => e.line === 6)!.control).toEqual({ text: 'FSCTL_REQUEST_OPLOCK', code: '0x00090240', name: 'FSCTL_REQUEST_OPLOCK', printed: null, agrees: null });
  });

  it('12-hour times become a 24-hour time of day; results map to NTSTATUS', async () => {
    const { records } = await parse(bytesOf('feijing2132-monitorapis-logfile.csv'));
    const first = events(records)[0]!;
    expect([first.time, first.timeOfDay, first.timePrecision]).toEqual(['3:58:46.6882889 PM', '15:58:46.6882889', 'exact']);
    const locked = events(records).find((e) => e.result === 'FILE LOCKED WITH WRITERS')!;
    expect([locked.status, locked.statusName]).toEqual(['0x0000012B', 'STATUS_FILE_LOCKED_WITH_WRITERS']);
  });
});

describe('prsp0007: decimal-comma times, bare CRs and control characters inside quoted fields', () => {
  it('every FSCTL_FILE_PREFETCH row gives ioctl 0x00090120 with its result', async () => {
    const { records } = await parse(bytesOf('prsp0007-samples-logfile.csv'));
    const prefetch = ioctls(records);
    expect(prefetch.map((r) => r.line)).toEqual([592, 596, 601, 606, 611, 616, 621, 626, 631, 636, 641]);
    for (const r of prefetch) {
      expect(r.code).toBe('0x00090120');
      expect(r.names[0]!.name).toBe('FSCTL_FILE_PREFETCH');
      expect(r.majorFunction).toBe('IRP_MJ_FILE_SYSTEM_CONTROL');
    }
    expect(prefetch.map((r) => r.statusText)).toEqual(['SUCCESS', 'END OF FILE', 'END OF FILE', 'END OF FILE', 'SUCCESS', 'END OF FILE', 'END OF FILE', 'SUCCESS', 'SUCCESS', 'END OF FILE', 'END OF FILE']);
    expect(prefetch[1]!.status).toBe('0xC0000011');
  });

  it('keeps bare CRs and TABs inside a field, one record per CSV row', async () => {
    const { records, summary } = await parse(bytesOf('prsp0007-samples-logfile.csv'));
    expect(summary.lines).toBe(645);
    expect(events(records).length).toBe(644);
    const start = events(records)[0]!;
    expect(start.operation).toBe('Process Start');
    expect(start.detail!.startsWith('Parent PID: 1328, Command line: "C:\\Users\\pandalabs\\Downloads\\sam_1_r3\\sample_1_r3.exe" , Current directory: C:\\Users\\pandalabs\\Downloads\\sam_1_r3\\, Environment: \r;\t=::=::\\\r;\tALLUSERSPROFILE=C:\\ProgramData\r;')).toBe(true);
    expect([start.timeOfDay, start.time]).toEqual(['15:42:22.8459553', '15:42:22,8459553']);
  });

  it('maps every Result this export holds to its NTSTATUS', async () => {
    const { records } = await parse(bytesOf('prsp0007-samples-logfile.csv'));
    const byResult = new Map(events(records).map((e) => [e.result, [e.status, e.statusName]]));
    expect(Object.fromEntries(byResult)).toEqual({
      SUCCESS: ['0x00000000', 'STATUS_SUCCESS'],
      'NAME NOT FOUND': ['0xC0000034', 'STATUS_OBJECT_NAME_NOT_FOUND'],
      REPARSE: ['0x00000104', 'STATUS_REPARSE'],
      'FILE LOCKED WITH ONLY READERS': ['0x0000012A', 'STATUS_FILE_LOCKED_WITH_ONLY_READERS'],
      'BUFFER OVERFLOW': ['0x80000005', 'STATUS_BUFFER_OVERFLOW'],
      'END OF FILE': ['0xC0000011', 'STATUS_END_OF_FILE'],
      'NAME INVALID': ['0xC0000033', 'STATUS_OBJECT_NAME_INVALID'],
      'NO MORE ENTRIES': ['0x8000001A', 'STATUS_NO_MORE_ENTRIES'],
      'NO MORE FILES': ['0x80000006', 'STATUS_NO_MORE_FILES'],
      'NO SUCH FILE': ['0xC000000F', 'STATUS_NO_SUCH_FILE'],
    });
  });
});

describe('first-blood: a spreadsheet re-save', () => {
  it('parses every row; the shortened time says so', async () => {
    const { records, skipped } = await parse(bytesOf('first-blood-excel-resaved-logfile.csv'));
    expect(skipped).toEqual([]);
    expect(events(records).length).toBe(29);
    const first = events(records)[0]!;
    expect([first.time, first.timeOfDay, first.timePrecision, first.process, first.pid, first.operation]).toEqual(['47:57.9', null, 'shortened', '1.exe', 4296, 'RegQueryValue']);
    expect(first.detail).toBe('Type: REG_DWORD, Length: 4, Data: 0');
    expect(events(records)[4]!.detail).toBeNull();
  });
});

describe('Result texts map to NTSTATUS through the core table', () => {
  it.each([
    ['INVALID DEVICE REQUEST', 0xc0000010, 'STATUS_INVALID_DEVICE_REQUEST'],
    ['END OF FILE', 0xc0000011, 'STATUS_END_OF_FILE'],
    ['ACCESS DENIED', 0xc0000022, 'STATUS_ACCESS_DENIED'],
    ['BUFFER OVERFLOW', 0x80000005, 'STATUS_BUFFER_OVERFLOW'],
    ['NAME NOT FOUND', 0xc0000034, 'STATUS_OBJECT_NAME_NOT_FOUND'],
    ['PATH NOT FOUND', 0xc000003a, 'STATUS_OBJECT_PATH_NOT_FOUND'],
    ['NAME COLLISION', 0xc0000035, 'STATUS_OBJECT_NAME_COLLISION'],
    ['SHARING VIOLATION', 0xc0000043, 'STATUS_SHARING_VIOLATION'],
    ['IS DIRECTORY', 0xc00000ba, 'STATUS_FILE_IS_A_DIRECTORY'],
    ['NOT REPARSE POINT', 0xc0000275, 'STATUS_NOT_A_REPARSE_POINT'],
    ['SUCCESS', 0, 'STATUS_SUCCESS'],
    ['0xc0000427', 0xc0000427, 'STATUS_FILE_SYSTEM_LIMITATION'],
  ])('%s', (text, value, name) => {
    expect(resultStatus(text)).toEqual({ value, code: `0x${value.toString(16).toUpperCase().padStart(8, '0')}`, name });
  });

  it('gives nothing for a text no status stands for', () => {
    expect(resultStatus('Result')).toBeNull();
    expect(resultStatus('FAST IO DISALLOWED ONCE MORE')).toBeNull();
  });
});

describe('Time of Day in its locales', () => {
  it.each([
    ['7:21:49.0921624 AM', '07:21:49.0921624', 'exact'],
    ['12:00:01.5 AM', '00:00:01.5', 'exact'],
    ['12:00:01.5 PM', '12:00:01.5', 'exact'],
    ['18:40:23.1038915', '18:40:23.1038915', 'exact'],
    ['15:42:43,9161500', '15:42:43.9161500', 'exact'],
    ['3:58:47 p.m.', '15:58:47', 'exact'],
    ['47:57.9', null, 'shortened'],
  ])('%s', (text, timeOfDay, precision) => {
    expect(procmonTime(text)).toEqual({ timeOfDay, precision });
  });

  it('rejects what is not a time', () => {
    expect(procmonTime('13:00:00 PM')).toBeUndefined();
    expect(procmonTime('yesterday')).toBeUndefined();
  });
});

const csv = (rows: string[][], eol = '\r\n', bom = true): string => `${bom ? '\uFEFF' : ''}${rows.map((r) => r.map(procmonCell).join(',')).join(eol)}${eol}`;

describe('columns by name, extra columns, line ends', () => {
  it('maps reordered and added columns by their header names; unknown ones are attributes', async () => {
    const text = csv([
      ['Sequence', 'Operation', 'Date & Time', 'Process Name', 'PID', 'TID', 'Path', 'Result', 'Detail', 'Duration', 'Category', 'Image Path', 'Integrity'],
      ['17', 'DeviceIoControl', '4/17/2015 3:58:47.7286806 PM', 'acme.exe', '7720', '5912', '\\Device\\Acme0', 'INVALID DEVICE REQUEST', 'Control: 0x222004 (Device:0x22 Function:2049 Method: 0)', '0.0000123', 'Write', 'C:\\acme.exe', 'High'],
      ['18', 'InternalDeviceIoControl', '4/17/2015 3:58:47.7290000 PM', 'System', '4', '88', '\\Device\\Usb0', 'SUCCESS', 'Control: 0x220003 (Device:0x22 Function:0 Method: 2)', '0.0000001', '', '', 'System'],
    ], '\n', false);
    const { records, skipped } = await parse(text);
    expect(skipped).toEqual([]);
    expect(records.map((r) => r.type)).toEqual(['ioctl', 'procmonEvent', 'ioctl', 'procmonEvent']);
    const [ioctl, event] = records as [IoctlOccurrence, ProcmonEvent];
    expect([ioctl.code, ioctl.majorFunction, ioctl.status, ioctl.statusText, ioctl.process, ioctl.function, ioctl.method]).toEqual(['0x00222004', 'IRP_MJ_DEVICE_CONTROL', '0xC0000010', 'INVALID DEVICE REQUEST', 'acme.exe (7720)', 2049, 'METHOD_BUFFERED']);
    expect(event).toEqual({
      type: 'procmonEvent', line: 2, sequence: 17, time: null, timeOfDay: null, timePrecision: null, dateTime: '4/17/2015 3:58:47.7286806 PM',
      process: 'acme.exe', pid: 7720, tid: 5912, operation: 'DeviceIoControl', path: '\\Device\\Acme0', result: 'INVALID DEVICE REQUEST',
      status: '0xC0000010', statusName: 'STATUS_INVALID_DEVICE_REQUEST', detail: 'Control: 0x222004 (Device:0x22 Function:2049 Method: 0)',
      duration: '0.0000123', category: 'Write',
      control: { text: '0x222004', code: '0x00222004', name: null, printed: { deviceType: 0x22, function: 2049, method: 0 }, agrees: true },
      attributes: { 'Image Path': 'C:\\acme.exe', Integrity: 'High' },
    });
    expect((records[2] as IoctlOccurrence).majorFunction).toBe('IRP_MJ_INTERNAL_DEVICE_CONTROL');
    expect((records[3] as ProcmonEvent).attributes).toEqual({ 'Image Path': '', Integrity: 'System' });
  });

  it('says when the printed fields are not the code\'s own', async () => {
    const text = csv([PROCMON_HEADER, ['1:00:00.0000000 AM', 'x.exe', '1', 'FileSystemControl', 'C:\\', 'SUCCESS', 'Control: 0x902eb (Device:0x9 Function:187 Method: 3)']]);
    const { records } = await parse(text);
    expect(events(records)[0]!.control!.agrees).toBe(false);
    expect(ioctls(records)[0]!.code).toBe('0x000902EB');
  });

  it('keeps an unknown control name without a code, and no ioctl record', async () => {
    const text = csv([PROCMON_HEADER, ['1:00:00.0000000 AM', 'x.exe', '1', 'FileSystemControl', 'C:\\', 'SUCCESS', 'Control: FSCTL_NOT_A_REAL_NAME']]);
    const { records } = await parse(text);
    expect(records.map((r) => r.type)).toEqual(['procmonEvent']);
    expect(events(records)[0]!.control).toEqual({ text: 'FSCTL_NOT_A_REAL_NAME', code: null, name: 'FSCTL_NOT_A_REAL_NAME', printed: null, agrees: null });
  });

  it('reads the same rows with CRLF or LF, with or without BOM', async () => {
    const rows = [PROCMON_HEADER, ['18:40:23.1038915', 'a.exe', '12', 'ReadFile', 'C:\\a "b".txt', 'END OF FILE', 'Offset: 0, Length: 4,096']];
    const a = await parse(csv(rows, '\r\n', true));
    const b = await parse(csv(rows, '\n', false));
    expect(a.records).toEqual(b.records);
    expect(events(a.records)[0]!.path).toBe('C:\\a "b".txt');
  });
});

describe('bad rows are skipped with their line and reason; the rows after them parse', () => {
  it('wrong field count, undecodable cells, broken encoding, unterminated quote', async () => {
    const header = PROCMON_HEADER.map(procmonCell).join(',');
    const good = (t: string) => `"${t}","a.exe","12","ReadFile","C:\\a","SUCCESS",""`;
    const bytes = Buffer.concat([
      Buffer.from(`${header}\r\n${good('1:00:00.1 AM')}\r\n"1:00:00.2 AM","a.exe","12","ReadFile","C:\\a","SUCCESS"\r\n`),
      Buffer.from(`"1:00:00.3 AM","a.exe","twelve","ReadFile","C:\\a","SUCCESS",""\r\n"sometime","a.exe","12","ReadFile","C:\\a","SUCCESS",""\r\n`),
      Buffer.from('"1:00:00.4 AM","a.exe","12","ReadFile","C:\\'), Buffer.from([0xff, 0xfe]), Buffer.from('","SUCCESS",""\r\n'),
      Buffer.from(`"1:00:00.5 AM","a.exe","12","ReadFile","C:\\a,"SUCCESS",""\r\n${good('1:00:00.6 AM')}\r\n`),
    ]);
    const { records, skipped, summary } = await parse(bytes);
    expect(skipped.map((s) => [s.line, s.reason])).toEqual([
      [3, 'wrong field count: 6 fields, the header has 7'],
      [4, 'undecodable cell: PID "twelve" is not a number'],
      [5, 'undecodable cell: Time of Day "sometime" is not h:mm:ss.fffffff (12 or 24 hour) or a spreadsheet\'s mm:ss.f'],
      [6, 'broken encoding: the row holds bytes that are not valid UTF-8 (read as U+FFFD)'],
      [7, 'unterminated quote: the input ends inside a quoted field that opens on this line'],
    ]);
    expect(events(records).map((e) => [e.line, e.time])).toEqual([[2, '1:00:00.1 AM'], [8, '1:00:00.6 AM']]);
    expect(summary.account).toEqual({ lines: 8, recordLines: 2, noiseLines: 1, skippedLines: 5, records: 2, markdownNoise: 0 });
  });

  it('a text that is not CSV at all is refused by detection, naming no parser', async () => {
    await expect(parseText('hello\nthis is prose, not a log\n', undefined, 'notes.txt')).rejects.toThrow(FormatError);
  });

  it('forced on text that is not Procmon CSV, every line is skipped as before the header', async () => {
    const { records, skipped } = await parse('hello\nworld\n', 'procmon');
    expect(records).toEqual([]);
    expect(skipped.map((s) => s.line)).toEqual([1, 2]);
    expect(skipped[0]!.reason).toMatch(/^before the Process Monitor header row/);
  });
});

// ------------------------------------------------------------------------------------------------
// Properties

/** Cell text with the characters that matter to CSV and to Procmon exports. */
const cellText = fc.string({ unit: fc.constantFrom('a', 'Z', '0', ' ', ',', '"', '\t', '\r', '\n', '\u0002', '\u001b', 'é', '字', '\\', ':'), maxLength: 12 });

const procmonRowArb: fc.Arbitrary<ProcmonRow> = fc.record({
  time: fc.tuple(fc.integer({ min: 0, max: 23 }), fc.integer({ min: 0, max: 59 }), fc.integer({ min: 0, max: 59 }), fc.integer({ min: 0, max: 9_999_999 }))
    .map(([h, m, s, f]) => `${h}:${String(m).padStart(2, '0')}:${String(s).padStart(2, '0')}.${String(f).padStart(7, '0')}`),
  process: cellText,
  pid: fc.nat({ max: 1_000_000 }),
  operation: fc.constantFrom('ReadFile', 'CreateFile', 'RegQueryValue', 'Process Start', 'Thread Exit'),
  path: cellText,
  result: fc.constantFrom('SUCCESS', 'NAME NOT FOUND', 'ACCESS DENIED', 'Unknown', ''),
  detail: cellText,
});

function fileOf(rows: readonly ProcmonRow[], eol: string): string {
  const lines = [PROCMON_HEADER.map(procmonCell).join(',')];
  for (const row of rows) lines.push([row.time, row.process, String(row.pid), row.operation, row.path, row.result, row.detail].map(procmonCell).join(','));
  return `\uFEFF${lines.join(eol)}${eol}`;
}

/** What comes back: the line splitter ends lines at CRLF and LF, so a CRLF inside a field reads as LF. */
const read = (text: string): string | null => (text === '' ? null : text.replaceAll('\r\n', '\n'));

/** Cut points inside the bytes, in order, each once. */
function cutsOf(bytes: Uint8Array, cuts: readonly number[]): number[] {
  return [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
}

async function* chunksOf(bytes: Uint8Array, cuts: readonly number[]): AsyncGenerator<Uint8Array> {
  let at = 0;
  for (const cut of cutsOf(bytes, cuts)) {
    yield bytes.subarray(at, cut);
    at = cut;
  }
  yield bytes.subarray(at);
}

async function parseInChunks(bytes: Uint8Array, cuts: readonly number[], format?: string) {
  const records: ParsedRecord[] = [];
  const skipped: Skipped[] = [];
  const summary = await parseChunks(chunksOf(bytes, cuts), 'chunks.csv', { record: (r) => records.push(r), skipped: (s) => skipped.push(s) }, format);
  return { summary, records, skipped };
}

describe('properties', () => {
  it('rows written as Procmon CSV read back to the same values', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(procmonRowArb, { maxLength: 12 }), fc.constantFrom('\r\n', '\n'), async (rows, eol) => {
        const { records, skipped } = await parse(fileOf(rows, eol), 'procmon');
        expect(skipped).toEqual([]);
        expect(events(records).map((e) => [e.time, e.process, e.pid, e.operation, e.path, e.result, e.detail])).toEqual(
          rows.map((r) => [r.time, read(r.process), r.pid, r.operation, read(r.path), read(r.result), read(r.detail)]),
        );
      }),
      { numRuns: 150 },
    );
  });

  it('any chunk boundaries give the same records, skipped lines and account', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(procmonRowArb, { minLength: 1, maxLength: 8 }), fc.array(fc.nat(), { maxLength: 6 }), async (rows, cuts) => {
        const bytes = Buffer.from(fileOf(rows, '\r\n'));
        const whole = await parseText(bytes, 'procmon');
        const chunked = await parseInChunks(bytes, cuts, 'procmon');
        expect(chunked.records).toEqual(whole.records);
        expect(chunked.skipped).toEqual(whole.skipped);
        expect(chunked.summary.account).toEqual(whole.summary.account);
      }),
      { numRuns: 100 },
    );
  });

  it('the generator\'s export (control rows, quotes, commas) reads the same in any chunks', async () => {
    const bytes = Buffer.from(`\uFEFF${[...procmonLines(300, 7)].join('\r\n')}\r\n`);
    const whole = await parse(bytes, 'procmon');
    expect(whole.skipped).toEqual([]);
    expect(events(whole.records).length).toBe(300);
    await fc.assert(
      fc.asyncProperty(fc.array(fc.nat(), { maxLength: 10 }), async (cuts) => {
        const chunked = await parseInChunks(bytes, cuts, 'procmon');
        expect(chunked.records).toEqual(whole.records);
      }),
      { numRuns: 15 },
    );
  });

  it('a CRLF cut between its CR and LF reads like an uncut one', async () => {
    const bytes = Buffer.from(fileOf([{ time: '1:00:00.0000000', process: 'a', pid: 1, operation: 'ReadFile', path: 'p', result: 'SUCCESS', detail: '"d"' }], '\r\n'));
    const cut = bytes.length - 1;
    const records: ParsedRecord[] = [];
    async function* two(): AsyncGenerator<Uint8Array> {
      yield bytes.subarray(0, cut);
      yield bytes.subarray(cut);
    }
    await parseChunks(two(), 'cut.csv', { record: (r) => records.push(r), skipped: () => undefined }, 'procmon');
    expect(records).toEqual((await parseText(bytes, 'procmon')).records);
  });

  it('arbitrary bytes never throw, and every line is accounted for', async () => {
    const header = Buffer.from(`${PROCMON_HEADER.map(procmonCell).join(',')}\r\n`);
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 400 }), fc.boolean(), fc.array(fc.nat(), { maxLength: 4 }), async (noise, withHeader, cuts) => {
        const bytes = withHeader ? Buffer.concat([header, noise]) : Buffer.from(noise);
        const { summary, records, skipped } = await parseInChunks(bytes, cuts, 'procmon');
        const a = summary.account;
        expect(a.lines).toBe(summary.lines);
        expect(a.recordLines + a.noiseLines + a.skippedLines).toBe(a.lines);
        expect(skipped.length).toBe(a.skippedLines);
        for (const record of records) RecordSchema.parse(record);
      }),
      { numRuns: 200 },
    );
  });
});
