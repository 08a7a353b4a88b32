/**
 * Records from ETW exports (tracerpt CSV, WPA exporter CSV, `xperf -a dumper` text). The driver-relevant kernel
 * events get their own types (driver IRP events, DiskIo, FileIo); every other event is a generic `event` with its
 * payload. docs/json.md, "ETW records", describes the fields.
 *
 * index.ts imports this module for RecordSchema, so it cannot import back: the hex patterns are repeated here.
 */
import { z } from 'zod';

const Hex32 = z.string().regex(/^0x[0-9A-F]{8}$/, 'a 32-bit code: 0x + 8 upper-case hex digits');
const Hex64 = z.string().regex(/^0x[0-9A-F]{16}$/, 'a 64-bit value: 0x + 16 upper-case hex digits');
/** A non-negative integer too wide for a JSON number (FILETIME ticks, byte offsets), as decimal digits. */
export const DecimalString = z.string().regex(/^\d+$/, 'a non-negative integer as decimal digits');
/** A non-negative decimal number kept exactly as text (seconds since the trace started). */
export const ExactSeconds = z.string().regex(/^\d+(\.\d+)?$/, 'seconds as an exact decimal');

export const EtwFormat = z.enum(['tracerpt', 'wpa', 'xperf']);

/** What every ETW record carries: where the event came from, when, and who raised it. */
export const EtwHeader = {
  line: z.number().int().positive(),
  format: EtwFormat,
  /** The provider or kernel event class as the export names it: tracerpt "Event Name" (DiskIo, EventTrace, a
   * manifest provider), WPA "Provider Name" or "Task Name", the class of an xperf event type. */
  provider: z.string(),
  /** The event within the provider: tracerpt "Type" (DrvMjFnCall, Read, Header), WPA opcode, xperf event type. */
  name: z.string(),
  /** FILETIME (100 ns ticks since 1601-01-01 UTC) as an exact decimal string; null when the export only gives a
   * time relative to the trace start. */
  time: DecimalString.nullable(),
  /** `time` in ISO 8601 UTC with 7 fractional digits. */
  isoTime: z.string().nullable(),
  /** 'exact': `time` is the integer the tool printed. 'lossy-float': the file was re-saved by a spreadsheet that wrote
   * the time in scientific notation (1.30439E+17), so `time` is that float's value and its low digits are not real. */
  timePrecision: z.enum(['exact', 'lossy-float']).nullable(),
  /** The time cell as printed. */
  timeText: z.string().nullable(),
  /** Seconds since the trace started, exact (xperf TimeStamp in microseconds, WPA "Time (s)"), or null. */
  sinceStart: ExactSeconds.nullable(),
  pid: z.number().int().nonnegative().nullable(),
  tid: z.number().int().nonnegative().nullable(),
  /** The image name where the export gives one (xperf and WPA "name (pid)" cells). */
  process: z.string().nullable(),
  processor: z.number().int().nonnegative().nullable(),
  /** Every other non-empty column or payload field, by its header or schema name, as printed. */
  attributes: z.record(z.string(), z.string()),
};

/** The kernel's driver IRP events (DiskIo class, documented as DriverMajorFunctionCall and its siblings). */
export const DriverIrpEvent = z.enum([
  'DriverMajorFunctionCall',
  'DriverMajorFunctionReturn',
  'DriverCompletionRoutine',
  'DriverCompleteRequest',
  'DriverCompleteRequestReturn',
]);

/** A driver's dispatch routine called with an IRP, its return, its completion routine, or IoCompleteRequest. */
export const DriverIrpSchema = z.object({
  type: z.literal('driverIrp'),
  ...EtwHeader,
  event: DriverIrpEvent,
  major: z.number().int().nonnegative().nullable(),
  /** e.g. "IRP_MJ_DEVICE_CONTROL". */
  majorFunction: z.string().nullable(),
  minor: z.number().int().nonnegative().nullable(),
  minorFunction: z.string().nullable(),
  /** The dispatch, completion or completing routine's address. */
  routine: Hex64.nullable(),
  fileObject: Hex64.nullable(),
  irp: Hex64.nullable(),
  /** UniqMatchId: pairs a call with its return. */
  matchId: DecimalString.nullable(),
});
export type DriverIrp = z.infer<typeof DriverIrpSchema>;

/** A disk request (DiskIo Read, Write, ReadInit, WriteInit, FlushInit, FlushBuffers). */
export const DiskIoSchema = z.object({
  type: z.literal('diskIo'),
  ...EtwHeader,
  /** The operation: Read, Write, ReadInit, WriteInit, FlushInit, FlushBuffers. */
  operation: z.string(),
  irp: Hex64.nullable(),
  disk: z.number().int().nonnegative().nullable(),
  /** Byte offset on the disk, exact. */
  offset: DecimalString.nullable(),
  size: z.number().int().nonnegative().nullable(),
  irpFlags: Hex32.nullable(),
  fileObject: Hex64.nullable(),
  /** HighResResponseTime: the request's duration in the trace's clock ticks, exact. */
  responseTime: DecimalString.nullable(),
  issuingThread: z.number().int().nonnegative().nullable(),
});
export type DiskIo = z.infer<typeof DiskIoSchema>;

/** A file-system request (FileIo Create, Read, Write, FSControl, QueryInfo, OpEnd, ...). */
export const FileIoSchema = z.object({
  type: z.literal('fileIo'),
  ...EtwHeader,
  /** The operation as the export names it: Create, Read, Write, FSControl, QueryInfo, OpEnd, Name, ... */
  operation: z.string(),
  irp: Hex64.nullable(),
  fileObject: Hex64.nullable(),
  fileKey: Hex64.nullable(),
  /** TTID: the thread that issued the request. */
  thread: z.number().int().nonnegative().nullable(),
  offset: DecimalString.nullable(),
  size: z.number().int().nonnegative().nullable(),
  /** The FILE_INFORMATION_CLASS of SetInfo, QueryInfo, DirEnum, ... (null for FSControl, where the field is the code). */
  infoClass: z.number().int().nonnegative().nullable(),
  /** The control code of an FSControl event (its InfoClass field). An `ioctl` record with the decoding follows. */
  fsctl: Hex32.nullable(),
  /** OpEnd: the status the request ended with, and its name. */
  status: Hex32.nullable(),
  statusName: z.string().nullable(),
  /** OpenPath of Create, FileName of Name and DirEnum events. */
  path: z.string().nullable(),
});
export type FileIo = z.infer<typeof FileIoSchema>;

/** Any other ETW event: its payload in order, named where the export or a documented schema names the fields. */
export const EtwEventSchema = z.object({
  type: z.literal('event'),
  ...EtwHeader,
  payload: z.array(z.object({ name: z.string().nullable(), value: z.string() })),
});
export type EtwEvent = z.infer<typeof EtwEventSchema>;

/** A diagnostic line a tool printed between events (`Error: Description for thread state (9) could not be found`).
 * Its line counts as noise in the account; this record says where it was and what it said. */
export const EtwDiagnosticSchema = z.object({
  type: z.literal('etwDiagnostic'),
  line: z.number().int().positive(),
  format: EtwFormat,
  text: z.string(),
});
export type EtwDiagnostic = z.infer<typeof EtwDiagnosticSchema>;

export const ETW_RECORD_SCHEMAS = [DriverIrpSchema, DiskIoSchema, FileIoSchema, EtwEventSchema, EtwDiagnosticSchema] as const;
