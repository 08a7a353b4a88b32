/**
 * From one ETW event as any export gives it (header facts and payload values, named or not) to records: a typed
 * driverIrp / diskIo / fileIo record when the event is one of the documented kernel IRP events, else a generic
 * `event`. An FSControl event also gives an `ioctl` record with the control code decoded.
 *
 * This runs once per row of exports with millions of rows: where a payload field sits is worked out once per
 * layout and payload shape (PayloadPlan), and records are built as literals in one go.
 */
import type { IoctlOccurrence, ParsedRecord } from '../../src/records/index.js';
import type { DiskIo, DriverIrp, EtwEvent, FileIo } from '../../src/records/etw.js';
import { hex32, hex64 } from '../../src/records/index.js';
import { ioctlOccurrence, majorName, minorName, statusName } from '../decoded.js';
import { fieldSpellings, normalizeName, type KernelEventLayout, type KernelRecordKind } from './kernel-events.js';
import type { EtwTime } from './time.js';

export interface EtwEventFacts {
  readonly line: number;
  readonly format: 'tracerpt' | 'wpa' | 'xperf';
  readonly provider: string;
  readonly name: string;
  readonly time: EtwTime;
  readonly sinceStart: string | null;
  readonly pid: number | null;
  readonly tid: number | null;
  readonly process: string | null;
  readonly processor: number | null;
  /** The export's other columns; the typed record's attributes are built in this object. */
  readonly attributes: Record<string, string>;
  /** Payload values in order. */
  readonly values: readonly string[];
  /** The payload's names from the export's header (WPA, xperf), parallel to `values`; null when the export prints
   * values without names (tracerpt), so they are named by the documented layout's order. Pass the same array for
   * every row of a header: plans are cached per array. */
  readonly names: readonly (string | null)[] | null;
  readonly layout: KernelEventLayout | undefined;
}

/** Why a row was skipped: a cell that should hold a pointer or a number does not. */
export class UndecodableCell {
  constructor(readonly reason: string) {}
}

const HEX64_PRINTED = /^0x[0-9A-F]{16}$/;
const HEX = /^0x[0-9a-fA-F]{1,16}$/;
const DECIMAL = /^\d{1,20}$/;

/** A pointer cell: "0x" hex (any width) or decimal; '' is absent. */
export function readPointer(text: string): string | null | undefined {
  if (text === '') return null;
  if (HEX64_PRINTED.test(text)) return text;
  if (HEX.test(text)) return hex64(BigInt(text));
  if (DECIMAL.test(text)) {
    const value = BigInt(text);
    return value <= 0xffffffffffffffffn ? hex64(value) : undefined;
  }
  return undefined;
}

/** A count cell (decimal or "0x" hex) that fits a JSON number exactly; '' is absent. */
export function readCount(text: string): number | null | undefined {
  const n = text.length;
  if (n === 0) return null;
  // Read digit by digit: three or more counts per row of a million-row trace, and regexes cost more.
  let value = 0;
  if (n > 2 && text.charCodeAt(0) === 48 && (text.charCodeAt(1) | 32) === 120) {
    if (n > 15) return readWideCount(text);
    for (let i = 2; i < n; i++) {
      const c = text.charCodeAt(i);
      const digit = c >= 48 && c <= 57 ? c - 48 : (c | 32) >= 97 && (c | 32) <= 102 ? (c | 32) - 87 : -1;
      if (digit < 0) return undefined;
      value = value * 16 + digit;
    }
    return value;
  }
  if (n > 15) return readWideCount(text);
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c < 48 || c > 57) return undefined;
    value = value * 10 + (c - 48);
  }
  return value;
}

/** A long count cell: exact only while it fits 2^53. */
function readWideCount(text: string): number | undefined {
  if (!HEX.test(text) && !DECIMAL.test(text)) return undefined;
  const value = BigInt(text);
  return value <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(value) : undefined;
}

/** A 64-bit count kept exact as decimal digits (byte offsets, clock ticks); '' is absent. */
function readWide(text: string): string | null | undefined {
  if (text === '') return null;
  if (DECIMAL.test(text)) return text.length > 1 && text.charCodeAt(0) === 48 ? text.replace(/^0+(?=\d)/, '') : text;
  if (HEX.test(text)) return BigInt(text).toString();
  return undefined;
}

function readCode(text: string): string | null | undefined {
  const value = readCount(text);
  return value === undefined || value === null ? value : value <= 0xffffffff ? hex32(value) : undefined;
}

/** The payload fields each typed record reads; the others become attributes. */
const TYPED_FIELDS: Record<Exclude<KernelRecordKind, 'event'>, ReadonlySet<string>> = {
  driverIrp: new Set(['MajorFunction', 'MinorFunction', 'RoutineAddr', 'Routine', 'FileObject', 'Irp', 'IrpPtr', 'UniqMatchId']),
  diskIo: new Set(['Irp', 'DiskNumber', 'ByteOffset', 'TransferSize', 'IrpFlags', 'FileObject', 'HighResResponseTime', 'IssuingThreadId']),
  fileIo: new Set(['IrpPtr', 'FileObject', 'FileKey', 'TTID', 'Offset', 'IoSize', 'Length', 'InfoClass', 'NtStatus', 'OpenPath', 'FileName']),
};

/** Where a layout's fields sit in a payload of a given shape. */
interface PayloadPlan {
  readonly index: ReadonlyMap<string, number>;
  /** Payload positions no typed field reads, with the attribute name each is kept under. */
  readonly extras: readonly (readonly [number, string])[];
}

function makePlan(layout: KernelEventLayout, names: readonly (string | null)[] | null, width: number): PayloadPlan {
  const index = new Map<string, number>();
  if (names === null) {
    layout.fields.forEach((field, i) => {
      if (i < width) index.set(field, i);
    });
  } else {
    const byName = new Map<string, number>();
    names.forEach((name, i) => {
      if (name !== null && !byName.has(normalizeName(name))) byName.set(normalizeName(name), i);
    });
    const taken = new Set<number>();
    for (const field of layout.fields) {
      for (const spelling of fieldSpellings(field)) {
        const i = byName.get(spelling);
        if (i !== undefined && !taken.has(i)) {
          index.set(field, i);
          taken.add(i);
          break;
        }
      }
    }
  }
  const typed = layout.kind === 'event' ? new Set<string>() : TYPED_FIELDS[layout.kind];
  const fieldAt = new Map<number, string>();
  for (const [field, i] of index) fieldAt.set(i, field);
  const extras: [number, string][] = [];
  for (let i = 0; i < width; i++) {
    const field = fieldAt.get(i);
    if (field !== undefined && typed.has(field)) continue;
    extras.push([i, names?.[i] ?? field ?? `User Data ${i + 1}`]);
  }
  return { index, extras };
}

const positionalPlans = new Map<KernelEventLayout, PayloadPlan[]>();
const namedPlans = new WeakMap<readonly (string | null)[], Map<KernelEventLayout, PayloadPlan>>();

function planOf(layout: KernelEventLayout, names: readonly (string | null)[] | null, width: number): PayloadPlan {
  if (names === null) {
    let byWidth = positionalPlans.get(layout);
    if (!byWidth) positionalPlans.set(layout, (byWidth = []));
    return (byWidth[width] ??= makePlan(layout, null, width));
  }
  let byLayout = namedPlans.get(names);
  if (!byLayout) namedPlans.set(names, (byLayout = new Map()));
  let plan = byLayout.get(layout);
  if (!plan) byLayout.set(layout, (plan = makePlan(layout, names, names.length)));
  return plan;
}

/** Reads typed fields out of one event's payload through its plan. */
class PayloadReader {
  constructor(private readonly values: readonly string[], private readonly plan: PayloadPlan) {}

  private cell(field: string): string | undefined {
    const i = this.plan.index.get(field);
    return i === undefined ? undefined : this.values[i];
  }

  private read<T>(field: string, reader: (text: string) => T | null | undefined, what: string): T | null {
    const text = this.cell(field);
    if (text === undefined) return null;
    const value = reader(text);
    if (value === undefined) {
      const rounded = /^\d(\.\d+)?E\+\d+$/i.test(text) ? ' (a spreadsheet rounded it into scientific notation)' : '';
      throw new UndecodableCell(`undecodable cell: ${field} ${JSON.stringify(text)} is not ${what}${rounded}`);
    }
    return value;
  }

  has(field: string): boolean {
    return this.plan.index.has(field);
  }

  pointer(field: string, other?: string): string | null {
    return this.read(other !== undefined && !this.has(field) ? other : field, readPointer, 'a pointer');
  }

  count(field: string, other?: string): number | null {
    return this.read(other !== undefined && !this.has(field) ? other : field, readCount, 'a number');
  }

  wide(field: string): string | null {
    return this.read(field, readWide, 'a number');
  }

  code(field: string): string | null {
    return this.read(field, readCode, 'a 32-bit code');
  }

  text(field: string, other: string): string | null {
    const text = this.cell(field) ?? this.cell(other);
    return text === undefined || text === '' ? null : text;
  }

  /** The export's attributes plus every payload value no typed field read, by its name. */
  attributes(attributes: Record<string, string>): Record<string, string> {
    for (const [i, name] of this.plan.extras) {
      const value = this.values[i];
      if (value !== undefined) attributes[name] = value;
    }
    return attributes;
  }
}

function driverIrp(f: EtwEventFacts, layout: KernelEventLayout, p: PayloadReader): DriverIrp {
  const major = p.count('MajorFunction');
  const minor = p.count('MinorFunction');
  return {
    type: 'driverIrp',
    line: f.line, format: f.format, provider: f.provider, name: f.name,
    time: f.time.time, isoTime: f.time.isoTime, timePrecision: f.time.timePrecision, timeText: f.time.timeText, sinceStart: f.sinceStart,
    pid: f.pid, tid: f.tid, process: f.process, processor: f.processor,
    attributes: p.attributes(f.attributes),
    event: layout.driverEvent!,
    major,
    majorFunction: major === null ? null : majorName(major),
    minor,
    minorFunction: major === null || minor === null ? null : minorName(major, minor),
    routine: p.pointer('RoutineAddr', 'Routine'),
    fileObject: p.pointer('FileObject'),
    irp: p.pointer('Irp', 'IrpPtr'),
    matchId: p.wide('UniqMatchId'),
  };
}

function diskIo(f: EtwEventFacts, layout: KernelEventLayout, p: PayloadReader): DiskIo {
  return {
    type: 'diskIo',
    line: f.line, format: f.format, provider: f.provider, name: f.name,
    time: f.time.time, isoTime: f.time.isoTime, timePrecision: f.time.timePrecision, timeText: f.time.timeText, sinceStart: f.sinceStart,
    pid: f.pid, tid: f.tid, process: f.process, processor: f.processor,
    attributes: p.attributes(f.attributes),
    operation: layout.name,
    irp: p.pointer('Irp'),
    disk: p.count('DiskNumber'),
    offset: p.wide('ByteOffset'),
    size: p.count('TransferSize'),
    irpFlags: p.code('IrpFlags'),
    fileObject: p.pointer('FileObject'),
    responseTime: p.wide('HighResResponseTime'),
    issuingThread: p.count('IssuingThreadId'),
  };
}

function fileIo(f: EtwEventFacts, layout: KernelEventLayout, p: PayloadReader): FileIo {
  const fsctl = layout.name === 'FSControl';
  const status = p.code('NtStatus');
  return {
    type: 'fileIo',
    line: f.line, format: f.format, provider: f.provider, name: f.name,
    time: f.time.time, isoTime: f.time.isoTime, timePrecision: f.time.timePrecision, timeText: f.time.timeText, sinceStart: f.sinceStart,
    pid: f.pid, tid: f.tid, process: f.process, processor: f.processor,
    attributes: p.attributes(f.attributes),
    operation: layout.name,
    irp: p.pointer('IrpPtr'),
    fileObject: p.pointer('FileObject'),
    fileKey: p.pointer('FileKey'),
    // TTID is pointer-sized in the schema but holds a thread id: read as a count.
    thread: p.count('TTID'),
    offset: p.wide('Offset'),
    size: p.count('IoSize', 'Length'),
    infoClass: fsctl ? null : p.count('InfoClass'),
    fsctl: fsctl ? p.code('InfoClass') : null,
    status,
    statusName: status === null ? null : statusName(Number(status)),
    path: p.text('OpenPath', 'FileName'),
  };
}

function genericEvent(f: EtwEventFacts): EtwEvent {
  const fields = f.layout?.fields;
  const names = f.names;
  const payload: EtwEvent['payload'] = [];
  for (let i = 0; i < f.values.length; i++) payload.push({ name: names?.[i] ?? fields?.[i] ?? null, value: f.values[i]! });
  return {
    type: 'event',
    line: f.line, format: f.format, provider: f.provider, name: f.name,
    time: f.time.time, isoTime: f.time.isoTime, timePrecision: f.time.timePrecision, timeText: f.time.timeText, sinceStart: f.sinceStart,
    pid: f.pid, tid: f.tid, process: f.process, processor: f.processor,
    attributes: f.attributes,
    payload,
  };
}

/** FSCTL decodings by code: a trace repeats a handful of codes, and decoding builds every name with its sources. */
const fsctlDecodings = new Map<string, IoctlOccurrence>();

function fsctlDecoding(code: string): IoctlOccurrence {
  let decoding = fsctlDecodings.get(code);
  if (!decoding) {
    if (fsctlDecodings.size > 4096) fsctlDecodings.clear();
    fsctlDecodings.set(code, (decoding = ioctlOccurrence(Number(code), 1, { via: 'etw', majorFunction: 'IRP_MJ_FILE_SYSTEM_CONTROL' })));
  }
  return decoding;
}

/** The records of one event, or why its row is skipped. */
export function etwRecords(facts: EtwEventFacts): ParsedRecord[] | UndecodableCell {
  const layout = facts.layout;
  if (!layout || layout.kind === 'event') return [genericEvent(facts)];
  try {
    const payload = new PayloadReader(facts.values, planOf(layout, facts.names, facts.values.length));
    if (layout.kind === 'driverIrp') return [driverIrp(facts, layout, payload)];
    if (layout.kind === 'diskIo') return [diskIo(facts, layout, payload)];
    const record = fileIo(facts, layout, payload);
    if (record.fsctl === null) return [record];
    const ioctl: IoctlOccurrence = {
      ...fsctlDecoding(record.fsctl),
      line: facts.line,
      irp: record.irp,
      time: facts.time.isoTime ?? facts.time.timeText,
      process: facts.process === null ? null : `${facts.process} (${facts.pid ?? '?'})`,
    };
    return [record, ioctl];
  } catch (error) {
    if (error instanceof UndecodableCell) return error;
    throw error;
  }
}
