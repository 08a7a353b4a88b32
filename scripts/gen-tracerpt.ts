/**
 * Deterministic generator of large ETW and Process Monitor exports for the bench and the property tests: a
 * `tracerpt -of CSV` file (right-aligned padded cells, `EventTrace`/`Header` first, `User Data` spilling into
 * trailing columns, quoted strings, GUIDs in braces, FILETIME Clock-Time) with driver IRP events laid out as the
 * documented kernel schemas order their fields, or a Process Monitor CSV with control-code rows. Values come from a
 * seeded PRNG: the same seed gives the same bytes.
 *
 *   node dist/scripts/gen-tracerpt.js OUT.csv ROWS [SEED] [tracerpt|procmon]
 */
import { closeSync, openSync, writeSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { seededRandom } from './seeded-random.js';

/** Bumped whenever the output for a given seed changes, so cached bench inputs are regenerated. */
export const GENERATOR_VERSION = 2;


/** The fixed tracerpt columns and the widths tracerpt pads them to (cells are right-aligned). */
export const TRACERPT_COLUMNS: readonly (readonly [string, number])[] = [
  ['Event Name', 16], ['Type', 16], ['Event ID', 10], ['Version', 10], ['Channel', 10], ['Level', 10], ['Opcode', 10],
  ['Task', 10], ['Keyword', 19], ['PID', 11], ['TID', 11], ['Processor Number', 17], ['Instance ID', 12],
  ['Parent Instance ID', 19], ['Activity ID', 40], ['Related Activity ID', 40], ['Clock-Time', 21], ['Kernel(ms)', 11],
  ['User(ms)', 11],
];
const NULL_GUID = '{00000000-0000-0000-0000-000000000000}';

/** One tracerpt event as the generator (and the property tests) describe it. */
export interface TracerptEvent {
  readonly provider: string;
  readonly name: string;
  readonly eventId: number;
  readonly version: number;
  readonly opcode: number;
  readonly pid: number;
  readonly tid: number;
  readonly processor: number;
  /** FILETIME, 100 ns ticks since 1601. */
  readonly clock: bigint;
  readonly kernelMs: number;
  readonly userMs: number;
  /** Payload values as tracerpt prints them: numbers in decimal, pointers in hex, strings quoted. */
  readonly userData: readonly string[];
}

const hex = (value: bigint | number, digits: number): string => `0x${value.toString(16).toUpperCase().padStart(digits, '0')}`;

export function tracerptHeader(): string {
  return `${TRACERPT_COLUMNS.map(([name, width]) => name.padStart(width)).join(',')}, User Data`;
}

/** A string payload value as tracerpt writes it: in double quotes, inner quotes doubled. */
export function tracerptString(text: string): string {
  return `"${text.replaceAll('"', '""')}"`;
}

export function tracerptRow(event: TracerptEvent): string {
  const cells = [
    event.provider, event.name, String(event.eventId), String(event.version), '0', '0', String(event.opcode), '0',
    hex(0, 16), hex(event.pid, 8), hex(event.tid, 8), String(event.processor), '', '', NULL_GUID, '',
    event.clock.toString(), String(event.kernelMs), String(event.userMs),
  ];
  let row = cells.map((cell, i) => cell.padStart(TRACERPT_COLUMNS[i]![1])).join(',');
  // Payload values follow ", " unpadded: only the fixed columns are aligned to the header.
  for (const value of event.userData) row += `, ${value}`;
  return row;
}

const PROCESSES: readonly [string, number][] = [['System', 4], ['svchost.exe', 1132], ['MsMpEng.exe', 3016], ['explorer.exe', 4480], ['acmesvc.exe', 7720]];
const PATHS = ['\\Device\\HarddiskVolume3\\Windows\\System32\\ntdll.dll', '\\Device\\HarddiskVolume3\\Users\\dev\\AppData\\Local\\Temp\\a, b.tmp', '\\Device\\HarddiskVolume3\\$Extend\\$UsnJrnl:$J', '\\Device\\HarddiskVolume3\\pagefile.sys'];
const FSCTLS = [0x900f4, 0x90240, 0x90120, 0x902eb, 0x9003b, 0x940cf];
const HEADER_PAYLOAD = ['65536', '83951878', '19041', '1', '133515648000000000', '156250', '0', '16777217', '120', '0', '8', '0', '2904', '0', '0'];

/**
 * Events in a tracerpt file: the EventTrace header, then a seeded mix of driver IRP events (call, completion,
 * return, in the order the I/O manager logs them), DiskIo and FileIo events, context switches and manifest events
 * with string payloads.
 */
export function* tracerptEvents(rows: number, seed: number): Generator<TracerptEvent> {
  const r = seededRandom(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(r() * items.length)]!;
  let clock = 133515648000000000n + BigInt(Math.floor(r() * 1e9));
  const base = { eventId: 0, version: 2, kernelMs: 0, userMs: 0, processor: 0 };
  yield { ...base, provider: 'EventTrace', name: 'Header', opcode: 0, pid: 0, tid: 0, clock, userData: HEADER_PAYLOAD };
  let irpSerial = 0;
  for (let i = 1; i < rows; i++) {
    clock += BigInt(1 + Math.floor(r() * 5000));
    const [, pid] = pick(PROCESSES);
    const tid = 4 + Math.floor(r() * 20000) * 4;
    const processor = Math.floor(r() * 8);
    const kernelMs = Math.floor(r() * 90000);
    const userMs = Math.floor(r() * 40000);
    const common = { eventId: 0, pid, tid, processor, clock, kernelMs, userMs };
    const irp = hex(0xffffe00000000000n + BigInt(++irpSerial) * 0x10n + BigInt(Math.floor(r() * 0xfffff)) * 0x1000n, 16);
    const fileObject = hex(0xffffe00100000000n + BigInt(Math.floor(r() * 0xffffff)) * 0x10n, 16);
    const routine = hex(0xfffff80100000000n + BigInt(Math.floor(r() * 0xffffff)), 16);
    const matchId = String(irpSerial);
    const roll = r();
    if (roll < 0.12) {
      const major = pick([0x00, 0x03, 0x04, 0x0d, 0x0e, 0x0f, 0x1b]);
      yield { ...common, provider: 'DiskIo', name: 'DrvMjFnCall', version: 3, opcode: 34, userData: [String(major), String(major === 0x1b ? 2 : 0), routine, fileObject, irp, matchId] };
    } else if (roll < 0.2) {
      yield { ...common, provider: 'DiskIo', name: 'DrvMjFnRet', version: 3, opcode: 35, userData: [irp, matchId] };
    } else if (roll < 0.26) {
      yield { ...common, provider: 'DiskIo', name: 'DrvComplRout', version: 3, opcode: 37, userData: [routine, irp, matchId] };
    } else if (roll < 0.32) {
      yield { ...common, provider: 'DiskIo', name: 'DrvComplReq', version: 3, opcode: 52, userData: [routine, irp, matchId] };
    } else if (roll < 0.44) {
      const write = r() < 0.4;
      const size = 512 * (1 + Math.floor(r() * 256));
      const offset = BigInt(Math.floor(r() * 0x7fffffff)) * 512n;
      yield { ...common, provider: 'DiskIo', name: write ? 'Write' : 'Read', version: 3, opcode: write ? 11 : 10, userData: [String(Math.floor(r() * 3)), hex(0x43, 8), String(size), '0', offset.toString(), fileObject, irp, String(Math.floor(r() * 200000)), String(tid)] };
    } else if (roll < 0.52) {
      yield { ...common, provider: 'FileIo', name: 'Create', version: 3, opcode: 64, userData: [irp, hex(tid, 16), fileObject, String(0x1000060), '128', '7', tracerptString(pick(PATHS))] };
    } else if (roll < 0.6) {
      const write = r() < 0.5;
      yield { ...common, provider: 'FileIo', name: write ? 'Write' : 'Read', version: 3, opcode: write ? 68 : 67, userData: [String(Math.floor(r() * 1e9)), irp, hex(tid, 16), fileObject, hex(0xffffc00000000000n + BigInt(Math.floor(r() * 0xffffff)) * 0x10n, 16), String(4096 * (1 + Math.floor(r() * 16))), '0'] };
    } else if (roll < 0.66) {
      yield { ...common, provider: 'FileIo', name: 'FSControl', version: 3, opcode: 75, userData: [irp, hex(tid, 16), fileObject, hex(0xffffc00000000000n, 16), '0', String(pick(FSCTLS))] };
    } else if (roll < 0.72) {
      yield { ...common, provider: 'FileIo', name: 'OpEnd', version: 3, opcode: 76, userData: [irp, '0', hex(pick([0, 0xc0000010, 0xc0000011, 0x103]), 8)] };
    } else if (roll < 0.88) {
      yield { ...common, provider: 'Thread', name: 'CSwitch', version: 2, opcode: 36, userData: [String(tid), String(4 + Math.floor(r() * 20000) * 4), String(Math.floor(r() * 16)), String(Math.floor(r() * 16)), '0', '1', '0', '0', '2', '0', String(Math.floor(r() * 100000)), '0'] };
    } else if (roll < 0.9) {
      // A command line with quotes inside a quoted string: the rows csv-parse itself has to read.
      const exe = pick(['cmd.exe', 'powershell.exe']);
      yield { ...common, provider: 'Microsoft-Windows-Shell-Core', name: 'Info', eventId: 9705, version: 0, opcode: 0, userData: [String(pid), tracerptString(`"C:\\Windows\\System32\\${exe}" /c "echo a, b"`), tracerptString('user')] };
    } else {
      yield { ...common, provider: 'Microsoft-Windows-Kernel-Process', name: 'ProcessStart', eventId: 1, version: 3, opcode: 1, userData: [String(pid), hex(0x1d5a2f00000000n + BigInt(Math.floor(r() * 1e6)), 16), String(pid), '1', '0', tracerptString(`\\Device\\HarddiskVolume3\\Windows\\System32\\${pick(['svchost.exe', 'conhost.exe', 'cmd.exe'])}`)] };
    }
  }
}

/** The lines of a tracerpt CSV with `rows` events (the header row is the first of them). */
export function* tracerptLines(rows: number, seed: number): Generator<string> {
  yield tracerptHeader();
  for (const event of tracerptEvents(rows, seed)) yield tracerptRow(event);
}

/** One Process Monitor row with the default columns. */
export interface ProcmonRow {
  readonly time: string;
  readonly process: string;
  readonly pid: number;
  readonly operation: string;
  readonly path: string;
  readonly result: string;
  readonly detail: string;
}

export const PROCMON_HEADER = ['Time of Day', 'Process Name', 'PID', 'Operation', 'Path', 'Result', 'Detail'];

/** A cell as Procmon writes it: always quoted, inner quotes doubled. */
export function procmonCell(text: string): string {
  return `"${text.replaceAll('"', '""')}"`;
}

export function procmonRow(row: ProcmonRow): string {
  return [row.time, row.process, String(row.pid), row.operation, row.path, row.result, row.detail].map(procmonCell).join(',');
}

/** Rows of a Procmon CSV: file, registry and control-code operations with the result texts Procmon prints. */
export function* procmonRows(rows: number, seed: number): Generator<ProcmonRow> {
  const r = seededRandom(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(r() * items.length)]!;
  let ticks = 15 * 3600 * 10_000_000 + Math.floor(r() * 1e9);
  for (let i = 0; i < rows; i++) {
    ticks += 1 + Math.floor(r() * 3000);
    const seconds = Math.floor(ticks / 10_000_000);
    const time = `${Math.floor(seconds / 3600) % 24}:${String(Math.floor(seconds / 60) % 60).padStart(2, '0')}:${String(seconds % 60).padStart(2, '0')}.${String(ticks % 10_000_000).padStart(7, '0')}`;
    const [process, pid] = pick(PROCESSES);
    const path = `C:\\Users\\dev\\${pick(['notes.txt', 'data (1).bin', 'a,b.log', 'c.dat'])}`;
    const roll = r();
    if (roll < 0.15) {
      const code = pick(FSCTLS);
      const named = code === 0x90240 ? 'Control: FSCTL_REQUEST_OPLOCK' : code === 0x900f4 ? 'Control: FSCTL_QUERY_USN_JOURNAL' : `Control: 0x${code.toString(16)} (Device:0x${(code >>> 16).toString(16)} Function:${(code >>> 2) & 0xfff} Method: ${code & 3})`;
      yield { time, process, pid, operation: 'FileSystemControl', path, result: pick(['SUCCESS', 'INVALID DEVICE REQUEST', 'OPLOCK HANDLE CLOSED', 'END OF FILE']), detail: named };
    } else if (roll < 0.2) {
      yield { time, process, pid, operation: 'DeviceIoControl', path: '\\Device\\Acme0', result: pick(['SUCCESS', 'INVALID DEVICE REQUEST']), detail: 'Control: 0x222004 (Device:0x22 Function:2049 Method: 0)' };
    } else if (roll < 0.6) {
      yield { time, process, pid, operation: 'ReadFile', path, result: pick(['SUCCESS', 'END OF FILE']), detail: `Offset: ${Math.floor(r() * 100000).toLocaleString('en-US')}, Length: 4,096, Priority: Normal` };
    } else if (roll < 0.8) {
      yield { time, process, pid, operation: 'CreateFile', path, result: pick(['SUCCESS', 'NAME NOT FOUND', 'ACCESS DENIED', 'IS DIRECTORY']), detail: 'Desired Access: Generic Read, Disposition: Open, Options: Synchronous IO Non-Alert, Attributes: n/a, ShareMode: Read, Write, AllocationSize: n/a' };
    } else if (roll < 0.81) {
      // Command lines carry quotes: the rows csv-parse itself has to read.
      yield { time, process, pid, operation: 'Process Start', path: '', result: 'SUCCESS', detail: `Parent PID: 4480, Command line: "C:\\Windows\\System32\\cmd.exe" /c "echo a, b", Current directory: C:\\Users\\dev\\` };
    } else {
      yield { time, process, pid, operation: 'RegQueryValue', path: 'HKLM\\System\\CurrentControlSet\\Control\\Session Manager\\CWDIllegalInDLLSearch', result: pick(['SUCCESS', 'NAME NOT FOUND', 'BUFFER OVERFLOW']), detail: 'Type: REG_DWORD, Length: 4, Data: 0' };
    }
  }
}

export function* procmonLines(rows: number, seed: number): Generator<string> {
  yield PROCMON_HEADER.map(procmonCell).join(',');
  for (const row of procmonRows(rows, seed)) yield procmonRow(row);
}

/** Writes lines with CRLF ends (both tools run on Windows), UTF-8 BOM for Procmon, in 1 MiB writes. */
export function writeLines(path: string, lines: Iterable<string>, bom: boolean): number {
  const fd = openSync(path, 'w');
  let bytes = 0;
  let pending: string[] = bom ? ['\uFEFF'] : [];
  let size = 0;
  const flush = (): void => {
    const buffer = Buffer.from(pending.join(''), 'utf8');
    writeSync(fd, buffer);
    bytes += buffer.length;
    pending = [];
    size = 0;
  };
  try {
    for (const line of lines) {
      pending.push(line, '\r\n');
      size += line.length + 2;
      if (size >= 1 << 20) flush();
    }
    flush();
  } finally {
    closeSync(fd);
  }
  return bytes;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [out, rowsText, seedText = '1', kind = 'tracerpt'] = process.argv.slice(2);
  const rows = Number(rowsText);
  if (!out || !Number.isInteger(rows) || rows < 1 || (kind !== 'tracerpt' && kind !== 'procmon')) {
    process.stderr.write('usage: node dist/scripts/gen-tracerpt.js OUT.csv ROWS [SEED] [tracerpt|procmon]\n');
    process.exit(2);
  }
  const seed = Number(seedText);
  const bytes = kind === 'tracerpt' ? writeLines(out, tracerptLines(rows, seed), false) : writeLines(out, procmonLines(rows, seed), true);
  process.stderr.write(`${out}: ${rows} ${kind} rows, ${bytes} bytes\n`);
}
