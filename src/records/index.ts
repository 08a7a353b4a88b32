/**
 * The record contract: what every parser emits and what the store keeps, one zod schema per record type.
 * `parse --json` prints exactly these objects (docs/json.md, "parse"). Every record has `type` and `line`
 * (1-based line of the decoded text it starts on).
 *
 * Conventions: 32-bit codes are "0x" + 8 upper-case hex digits; addresses and other 64-bit values are "0x" + 16
 * upper-case hex digits (no backticks; an 8-digit x86 address is zero-extended); absent is null.
 */
import { z } from 'zod';
import { ETW_RECORD_SCHEMAS } from './etw.js';
import { ProcmonEventSchema } from './procmon.js';

export const Hex32 = z.string().regex(/^0x[0-9A-F]{8}$/, 'a 32-bit code: 0x + 8 upper-case hex digits');
export const Hex64 = z.string().regex(/^0x[0-9A-F]{16}$/, 'a 64-bit value: 0x + 16 upper-case hex digits');

/** "0x" + 8 upper-case hex digits. */
export const hex32 = (value: number | bigint): string => `0x${BigInt.asUintN(32, BigInt(value)).toString(16).toUpperCase().padStart(8, '0')}`;
/** "0x" + 16 upper-case hex digits. */
export const hex64 = (value: bigint): string => `0x${BigInt.asUintN(64, value).toString(16).toUpperCase().padStart(16, '0')}`;

/** Reads a hex value as WinDbg prints it (backticks, optional 0x), or null when it is not one. */
export function readHex(text: string): bigint | null {
  const t = text.trim().replace(/`/g, '');
  const digits = /^0x/i.test(t) ? t.slice(2) : t;
  if (!/^[0-9a-fA-F]{1,16}$/.test(digits)) return null;
  return BigInt(`0x${digits}`);
}

const NameRefSchema = z.object({
  name: z.string(),
  source: z.string(),
  sources: z.array(z.string()),
  conflict: z.object({ otherValues: z.array(z.string()) }).optional(),
});

const Base = { line: z.number().int().positive() };

/** An IOCTL (or FSCTL) seen in the input, decoded. */
export const IoctlOccurrenceSchema = z.object({
  type: z.literal('ioctl'),
  ...Base,
  code: Hex32,
  /** Where the code was found: the Args of an IRP stack location, !ioctldecode, a bugcheck argument, a log line... */
  via: z.enum(['irp-stack-location', 'ioctldecode', 'bugcheck-argument', 'wdf-log', 'etw', 'procmon']),
  majorFunction: z.string().nullable(),
  driver: z.string().nullable(),
  irp: Hex64.nullable(),
  /** The status the request ended with, where the source says (Procmon Result, ETW, a completion log). */
  status: Hex32.nullable(),
  /** The status as the source printed it (e.g. "INVALID DEVICE REQUEST"), or its NTSTATUS name. */
  statusText: z.string().nullable(),
  /** When it happened, as the source printed it (ISO 8601 where the source gives a full date), or null. */
  time: z.string().nullable(),
  /** The process that sent it ("name (pid)"), where the source says. */
  process: z.string().nullable(),
  names: z.array(NameRefSchema),
  deviceType: z.object({ value: z.number().int(), names: z.array(z.string()) }),
  function: z.number().int(),
  method: z.string(),
  access: z.string(),
});
export type IoctlOccurrence = z.infer<typeof IoctlOccurrenceSchema>;

export const BugcheckParameterMeaningSchema = z.object({ kind: z.string(), meaning: z.string(), decoded: z.string().nullable() }).nullable();

/** A bugcheck: from !analyze -v, a Fatal System Error line, .bugcheck, a Driver Verifier line or a BugCheck summary. */
export const BugcheckSchema = z.object({
  type: z.literal('bugcheck'),
  ...Base,
  incident: z.number().int().nonnegative(),
  via: z.enum(['analyze', 'fatal-system-error', 'driver-verifier', 'dot-bugcheck', 'summary', 'bucket']),
  code: Hex32.nullable(),
  name: z.string().nullable(),
  args: z.tuple([Hex64.nullable(), Hex64.nullable(), Hex64.nullable(), Hex64.nullable()]),
  parameters: z.tuple([BugcheckParameterMeaningSchema, BugcheckParameterMeaningSchema, BugcheckParameterMeaningSchema, BugcheckParameterMeaningSchema]),
  cases: z.array(z.object({ argument: z.number().int(), value: z.string(), title: z.string() })),
  image: z.string().nullable(),
  module: z.string().nullable(),
  symbol: z.string().nullable(),
  failureBucket: z.string().nullable(),
  failureHash: z.string().nullable(),
  bugcheckStr: z.string().nullable(),
  process: z.string().nullable(),
  probablyCausedBy: z.string().nullable(),
  imageVersion: z.string().nullable(),
  osBuild: z.string().nullable(),
  /** Every other Debugging Details key and KEY_VALUES_STRING pair, as printed (multi-line values joined with \n). */
  details: z.record(z.string(), z.string()),
});
export type Bugcheck = z.infer<typeof BugcheckSchema>;

/** One I/O stack location of an IRP, as !irp prints it. */
export const StackLocationSchema = z.object({
  line: z.number().int().positive(),
  /** Position in the printed list, 0 = first printed (the lowest location, number 1, when nothing was trimmed). */
  index: z.number().int().nonnegative(),
  current: z.boolean(),
  /**
   * The raw major / minor values. A major !irp printed as N/A (an unused slot, or a location with no device object;
   * Vista's numeric form with no device likewise) keeps its value and gets no names, and no control code.
   */
  major: z.number().int().nullable(),
  majorFunction: z.string().nullable(),
  minor: z.number().int().nullable(),
  minorFunction: z.string().nullable(),
  /**
   * The major and minor as !irp printed them between the brackets: "IRP_MJ_DEVICE_CONTROL(e), N/A(0)",
   * "N/A(f), N/A(6)", Vista's "3,34". Null where they were not printed that way.
   */
  printedFunctions: z.string().nullable(),
  /** The flg and cl columns, "0x" + 2 upper-case hex digits (cl 0xE1 = SL_INVOKE_ON_* + SL_PENDING_RETURNED). */
  flags: z.string().nullable(),
  control: z.string().nullable(),
  device: Hex64.nullable(),
  file: Hex64.nullable(),
  completion: Hex64.nullable(),
  context: Hex64.nullable(),
  driver: z.string().nullable(),
  completionRoutine: z.string().nullable(),
  args: z.array(Hex64),
  ioctl: Hex32.nullable(),
});
export type StackLocation = z.infer<typeof StackLocationSchema>;

/** An IRP from !irp, !irpfind, !thread's IRP list, dt nt!_IRP or dx. */
export const IrpSchema = z.object({
  type: z.literal('irp'),
  ...Base,
  via: z.enum(['irp', 'irpfind', 'thread', 'dt', 'dx']),
  address: Hex64.nullable(),
  /** The current stack location's major, e.g. "IRP_MJ_DEVICE_CONTROL"; null when none is current (a completed IRP). */
  majorFunction: z.string().nullable(),
  minorFunction: z.string().nullable(),
  ioctl: Hex32.nullable(),
  status: Hex32.nullable(),
  statusName: z.string().nullable(),
  device: Hex64.nullable(),
  driver: z.string().nullable(),
  thread: Hex64.nullable(),
  stackCount: z.number().int().nullable(),
  currentLocation: z.number().int().nullable(),
  completed: z.boolean().nullable(),
  pendingReturned: z.boolean().nullable(),
  locations: z.array(StackLocationSchema),
});
export type Irp = z.infer<typeof IrpSchema>;

/** One stack frame (STACK_TEXT, k*, x86 ChildEBP stacks, !thread, IRQL log). */
export const FrameSchema = z.object({
  type: z.literal('frame'),
  ...Base,
  incident: z.number().int().nonnegative().nullable(),
  index: z.number().int().nonnegative().nullable(),
  childSp: Hex64.nullable(),
  returnAddress: Hex64.nullable(),
  args: z.array(Hex64),
  /** The call site as printed, e.g. "nt!KeBugCheckEx+0x107" or "nt! ?? ::FNODOBFM::`string'+0x4bd58". */
  symbol: z.string(),
  module: z.string().nullable(),
  function: z.string().nullable(),
  offset: z.string().nullable(),
  inline: z.boolean(),
  source: z.string().nullable(),
  annotation: z.string().nullable(),
  /** A Driver Verifier frame (IovCallDriver, VerifierBugCheckIfAppropriate, ...). */
  verifier: z.boolean(),
});
export type Frame = z.infer<typeof FrameSchema>;

/** Debugger session context: debugger version, dump type, OS build, kernel base, session time. */
export const SessionSchema = z.object({
  type: z.literal('session'),
  ...Base,
  key: z.enum(['debugger-version', 'dump-file', 'dump-type', 'os', 'build-lab', 'kernel-base', 'session-time', 'system-uptime', 'connected', 'product', 'machine-name']),
  value: z.string(),
});
export type Session = z.infer<typeof SessionSchema>;

/** One option of a !verifier flag report (Win10 "Verify Flags Level" or Win7 "Verify Level" form). */
export const VerifierFlagSchema = z.object({
  type: z.literal('verifierFlag'),
  ...Base,
  form: z.enum(['win10', 'win7']),
  level: Hex32.nullable(),
  bit: Hex32.nullable(),
  name: z.string(),
  enabled: z.boolean(),
  group: z.string().nullable(),
});
export type VerifierFlag = z.infer<typeof VerifierFlagSchema>;

/** An IRQL transition log entry of !verifier. */
export const IrqlTransitionSchema = z.object({
  type: z.literal('irqlTransition'),
  ...Base,
  thread: Hex64.nullable(),
  oldIrql: z.number().int().nullable(),
  newIrql: z.number().int().nullable(),
  processor: z.number().int().nullable(),
  timeStamp: z.string().nullable(),
  frames: z.array(z.string()),
  /** The address printed before each frame, parallel to `frames` (the log prints no symbol-less frame otherwise). */
  frameAddresses: z.array(Hex64),
});
export type IrqlTransition = z.infer<typeof IrqlTransitionSchema>;

/** A KMDF in-flight recorder line (!wdfkd.wdflogdump). */
export const WdfLogSchema = z.object({
  type: z.literal('wdfLog'),
  ...Base,
  /** The log the entry came from when the dump interleaves several (`AFX_Client1`, `03 RUNDOWN`), else null. */
  log: z.string().nullable(),
  /** The entry's number as printed: `16131` in !wdflogdump output, the `[0]0000` prefix in the one-line layout. */
  sequence: z.string().nullable(),
  /** The entry's time as printed (`09/03/2023-23:43:07.3233594`), where the trace prefix includes it. */
  time: z.string().nullable(),
  level: z.string().nullable(),
  function: z.string().nullable(),
  text: z.string(),
  majorFunction: z.string().nullable(),
  minor: z.number().int().nullable(),
  irp: Hex64.nullable(),
  /** The NTSTATUS name the entry reports (the last one on the line), as printed. */
  status: z.string().nullable(),
  /** That status as a code: printed next to the name, or the name's value from the NTSTATUS tables; null if unknown. */
  statusCode: Hex32.nullable(),
});
export type WdfLog = z.infer<typeof WdfLogSchema>;

/**
 * One module entry of WinDbg's `lm v` family (`lmvm mydrv`, `lm vm`, `lmDvm`): the module line (start, end, name,
 * symbol state) and the indented fields under it, each as printed, null when the entry does not print it.
 */
export const ModuleVersionSchema = z.object({
  type: z.literal('moduleVersion'),
  ...Base,
  /** The module name as lm prints it (`mydrv`, `nt`); null when the paste starts below the module line. */
  module: z.string().nullable(),
  start: Hex64.nullable(),
  end: Hex64.nullable(),
  /** What lm says about symbols, inside the parentheses: `deferred`, `pdb symbols`, `export symbols`, `no symbols`... */
  symbols: z.string().nullable(),
  /** The symbol file path printed after the symbol state (`C:\sym\mydrv.pdb\...\mydrv.pdb`), if any. */
  symbolFile: z.string().nullable(),
  /** `Loaded symbol image file:` */
  loadedImageFile: z.string().nullable(),
  /** `Mapped memory image file:` (the image the debugger mapped from the symbol path, when the dump lacks it). */
  mappedImageFile: z.string().nullable(),
  /** `Image path:` (`\SystemRoot\system32\DRIVERS\mydrv.sys`) */
  imagePath: z.string().nullable(),
  /** `Image name:` (`mydrv.sys`) */
  imageName: z.string().nullable(),
  /** `Timestamp:` as printed (`Wed Mar  4 10:12:33 2020 (5E5F7D21)`, `unavailable (00000000)`). */
  timestamp: z.string().nullable(),
  /** The link timestamp (or reproducible-build hash) in that line: the 8 hex digits WinDbg prints. */
  timestampValue: Hex32.nullable(),
  /** `CheckSum:` */
  checksum: Hex32.nullable(),
  /** `ImageSize:` */
  imageSize: Hex32.nullable(),
  /** `File version:` (the fixed VS_VERSION_INFO version, `10.0.19041.1`): the version driver_versions keeps. */
  fileVersion: z.string().nullable(),
  /** `Product version:` */
  productVersion: z.string().nullable(),
  fileFlags: z.string().nullable(),
  fileOs: z.string().nullable(),
  fileType: z.string().nullable(),
  fileDate: z.string().nullable(),
  translations: z.string().nullable(),
  /** The `Information from resource tables:` entries (CompanyName, ProductVersion, FileVersion, ...), as printed. */
  resources: z.record(z.string(), z.string()),
  /** Listed under `Unloaded modules:` (lm prints only start, end, name, Timestamp, Checksum, ImageSize there). */
  unloaded: z.boolean(),
});
export type ModuleVersion = z.infer<typeof ModuleVersionSchema>;

export const RecordSchema = z.discriminatedUnion('type', [
  BugcheckSchema,
  IrpSchema,
  IoctlOccurrenceSchema,
  FrameSchema,
  SessionSchema,
  VerifierFlagSchema,
  IrqlTransitionSchema,
  WdfLogSchema,
  ModuleVersionSchema,
  ...ETW_RECORD_SCHEMAS,
  ProcmonEventSchema,
]);
export type ParsedRecord = z.infer<typeof RecordSchema>;
export type RecordType = ParsedRecord['type'];

/** A line that was neither part of a record nor known noise: kept, with why. */
export const SkippedSchema = z.object({ line: z.number().int().positive(), reason: z.string(), text: z.string() });
export type Skipped = z.infer<typeof SkippedSchema>;
