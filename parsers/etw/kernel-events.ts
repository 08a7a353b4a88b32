/**
 * The documented payload layouts of the kernel events that carry IRPs (MOF classes of the NT Kernel Logger:
 * DiskIo_TypeGroup1..3, DriverMajorFunctionCall and its siblings, FileIo_*), plus two common ones whose fields
 * are worth naming (EventTrace Header, Thread CSwitch). tracerpt prints payload values without names, in this
 * order; WPA and xperf name their columns, with their own spellings, matched through FIELD_ALIASES.
 */
import type { DriverIrp } from '../../src/records/etw.js';

export type KernelRecordKind = 'driverIrp' | 'diskIo' | 'fileIo' | 'event';

export interface KernelEventLayout {
  /** The class as tracerpt's "Event Name" prints it. */
  readonly provider: string;
  /** The event type name as tracerpt's "Type" prints it (EventTypeName in the MOF). */
  readonly name: string;
  readonly opcode: number;
  readonly kind: KernelRecordKind;
  /** The documented class of a driver IRP event. */
  readonly driverEvent?: DriverIrp['event'];
  readonly fields: readonly string[];
}

const DISK_GROUP1 = ['DiskNumber', 'IrpFlags', 'TransferSize', 'Reserved', 'ByteOffset', 'FileObject', 'Irp', 'HighResResponseTime', 'IssuingThreadId'];
const DISK_GROUP2 = ['Irp', 'IssuingThreadId'];
const DISK_GROUP3 = ['DiskNumber', 'IrpFlags', 'HighResResponseTime', 'Irp', 'IssuingThreadId'];
const FILE_NAME = ['FileObject', 'FileName'];
const FILE_CREATE = ['IrpPtr', 'TTID', 'FileObject', 'CreateOptions', 'FileAttributes', 'ShareAccess', 'OpenPath'];
const FILE_SIMPLE = ['IrpPtr', 'TTID', 'FileObject', 'FileKey'];
const FILE_READ_WRITE = ['Offset', 'IrpPtr', 'TTID', 'FileObject', 'FileKey', 'IoSize', 'IoFlags'];
const FILE_INFO = ['IrpPtr', 'TTID', 'FileObject', 'FileKey', 'ExtraInfo', 'InfoClass'];
const FILE_DIR_ENUM = ['IrpPtr', 'TTID', 'FileObject', 'FileKey', 'Length', 'InfoClass', 'FileIndex', 'FileName'];
const FILE_OP_END = ['IrpPtr', 'ExtraInfo', 'NtStatus'];

const disk = (name: string, opcode: number, fields: readonly string[]): KernelEventLayout => ({ provider: 'DiskIo', name, opcode, kind: 'diskIo', fields });
const driver = (name: string, opcode: number, driverEvent: DriverIrp['event'], fields: readonly string[]): KernelEventLayout => ({ provider: 'DiskIo', name, opcode, kind: 'driverIrp', driverEvent, fields });
const file = (name: string, opcode: number, fields: readonly string[]): KernelEventLayout => ({ provider: 'FileIo', name, opcode, kind: 'fileIo', fields });

export const KERNEL_EVENT_LAYOUTS: readonly KernelEventLayout[] = [
  disk('Read', 10, DISK_GROUP1),
  disk('Write', 11, DISK_GROUP1),
  disk('ReadInit', 12, DISK_GROUP2),
  disk('WriteInit', 13, DISK_GROUP2),
  disk('FlushBuffers', 14, DISK_GROUP3),
  disk('FlushInit', 15, DISK_GROUP2),
  driver('DrvMjFnCall', 34, 'DriverMajorFunctionCall', ['MajorFunction', 'MinorFunction', 'RoutineAddr', 'FileObject', 'Irp', 'UniqMatchId']),
  driver('DrvMjFnRet', 35, 'DriverMajorFunctionReturn', ['Irp', 'UniqMatchId']),
  driver('DrvComplRout', 37, 'DriverCompletionRoutine', ['Routine', 'IrpPtr', 'UniqMatchId']),
  driver('DrvComplReq', 52, 'DriverCompleteRequest', ['RoutineAddr', 'Irp', 'UniqMatchId']),
  driver('DrvComplReqRet', 53, 'DriverCompleteRequestReturn', ['Irp', 'UniqMatchId']),
  file('Name', 0, FILE_NAME),
  file('FileCreate', 32, FILE_NAME),
  file('FileDelete', 35, FILE_NAME),
  file('FileRundown', 36, FILE_NAME),
  file('Create', 64, FILE_CREATE),
  file('Cleanup', 65, FILE_SIMPLE),
  file('Close', 66, FILE_SIMPLE),
  file('Read', 67, FILE_READ_WRITE),
  file('Write', 68, FILE_READ_WRITE),
  file('SetInfo', 69, FILE_INFO),
  file('Delete', 70, FILE_INFO),
  file('Rename', 71, FILE_INFO),
  file('DirEnum', 72, FILE_DIR_ENUM),
  file('Flush', 73, FILE_SIMPLE),
  file('QueryInfo', 74, FILE_INFO),
  file('FSControl', 75, FILE_INFO),
  file('OpEnd', 76, FILE_OP_END),
  file('DirNotify', 77, FILE_DIR_ENUM),
  {
    provider: 'Thread', name: 'CSwitch', opcode: 36, kind: 'event',
    fields: ['NewThreadId', 'OldThreadId', 'NewThreadPriority', 'OldThreadPriority', 'PreviousCState', 'SpareByte', 'OldThreadWaitReason', 'OldThreadWaitMode', 'OldThreadState', 'OldThreadWaitIdealProcessor', 'NewThreadWaitTime', 'Reserved'],
  },
  // Only the scalar fields before LoggerName: the names and TimeZoneInformation that follow spill into a varying
  // number of cells.
  {
    provider: 'EventTrace', name: 'Header', opcode: 0, kind: 'event',
    fields: ['BufferSize', 'Version', 'ProviderVersion', 'NumberOfProcessors', 'EndTime', 'TimerResolution', 'MaximumFileSize', 'LogFileMode', 'BuffersWritten', 'StartBuffers', 'PointerSize', 'EventsLost', 'CPUSpeed'],
  },
];

/** Spellings of an event's class and type in other exports: xperf event types and the MOF class names. */
const EVENT_ALIASES: readonly [string, string, string][] = [
  ['DiskRead', 'DiskIo', 'Read'], ['DiskWrite', 'DiskIo', 'Write'], ['DiskReadInit', 'DiskIo', 'ReadInit'],
  ['DiskWriteInit', 'DiskIo', 'WriteInit'], ['DiskFlush', 'DiskIo', 'FlushBuffers'], ['DiskFlushInit', 'DiskIo', 'FlushInit'],
  ['DriverMajorFunctionCall', 'DiskIo', 'DrvMjFnCall'], ['DriverMajorFunctionReturn', 'DiskIo', 'DrvMjFnRet'],
  ['DriverCompletionRoutine', 'DiskIo', 'DrvComplRout'], ['DriverCompleteRequest', 'DiskIo', 'DrvComplReq'],
  ['DriverCompleteRequestReturn', 'DiskIo', 'DrvComplReqRet'],
  ['FileIoFSCTL', 'FileIo', 'FSControl'], ['FileIoFsControl', 'FileIo', 'FSControl'],
];

const norm = (text: string): string => text.toLowerCase().replace(/[^a-z0-9]/g, '');

const byProviderAndName = new Map<string, KernelEventLayout>();
for (const layout of KERNEL_EVENT_LAYOUTS) byProviderAndName.set(`${norm(layout.provider)}/${norm(layout.name)}`, layout);

/** Event names that say their class on their own: xperf's event types, the MOF class names, and type names that
 * only one class uses (DrvMjFnCall, FSControl, CSwitch; not Read or Write). */
const byAlias = new Map<string, KernelEventLayout>();
const nameCounts = new Map<string, number>();
for (const layout of KERNEL_EVENT_LAYOUTS) nameCounts.set(norm(layout.name), (nameCounts.get(norm(layout.name)) ?? 0) + 1);
for (const layout of KERNEL_EVENT_LAYOUTS) {
  if (nameCounts.get(norm(layout.name)) === 1) byAlias.set(norm(layout.name), layout);
  // xperf prefixes FileIo types with the class: FileIoCreate, FileIoRead, ...
  if (layout.provider === 'FileIo') byAlias.set(norm(`FileIo${layout.name}`), layout);
}
for (const [alias, provider, name] of EVENT_ALIASES) byAlias.set(norm(alias), byProviderAndName.get(`${norm(provider)}/${norm(name)}`)!);

/** Answers by the strings as printed: every row asks, and a trace has few distinct (class, type) pairs. */
const printedPairs = new Map<string, Map<string, KernelEventLayout | null>>();

/** The layout of a (class, type) pair as tracerpt or WPA name them ("DiskIo", "DrvMjFnCall"). */
export function layoutOf(provider: string, name: string): KernelEventLayout | undefined {
  // Runs of the same event are common (a burst of DiskIo Reads): the last answer is checked first.
  if (provider === last.provider && name === last.name) return last.layout;
  const layout = lookUp(provider, name);
  last = { provider, name, layout };
  return layout;
}

let last: { provider: string; name: string; layout: KernelEventLayout | undefined } = { provider: '', name: '', layout: undefined };

function lookUp(provider: string, name: string): KernelEventLayout | undefined {
  let byName = printedPairs.get(provider);
  if (!byName) {
    if (printedPairs.size > 10_000) printedPairs.clear();
    printedPairs.set(provider, (byName = new Map()));
  }
  let layout = byName.get(name);
  if (layout === undefined) {
    if (byName.size > 10_000) byName.clear();
    byName.set(name, (layout = byProviderAndName.get(`${norm(provider)}/${norm(name)}`) ?? null));
  }
  return layout ?? undefined;
}

/** The layout of an event named on its own, as xperf names its event types ("DiskRead", "FileIoCreate"). */
export function layoutOfAlias(name: string): KernelEventLayout | undefined {
  return byAlias.get(norm(name));
}

/** Other spellings of documented field names, as WPA and xperf column headers write them. */
const FIELD_ALIASES: Record<string, readonly string[]> = {
  Irp: ['IrpPtr', 'IRP', 'Irp Ptr', 'Irp Address'],
  IrpPtr: ['Irp', 'IRP', 'Irp Ptr', 'Irp Address'],
  FileObject: ['File Object', 'FileObj'],
  MajorFunction: ['Major Function', 'Major', 'MajorFn'],
  MinorFunction: ['Minor Function', 'Minor', 'MinorFn'],
  RoutineAddr: ['Routine', 'Routine Address', 'Dispatch Routine'],
  Routine: ['RoutineAddr', 'Routine Address', 'Completion Routine'],
  UniqMatchId: ['MatchId', 'Match Id', 'Unique Match Id'],
  DiskNumber: ['DiskNum', 'Disk'],
  TransferSize: ['IOSize', 'IO Size', 'Size'],
  ByteOffset: ['Offset', 'Byte Offset'],
  HighResResponseTime: ['ResponseTime', 'Response Time'],
  IssuingThreadId: ['Issuing Thread', 'IssuingThread'],
  TTID: ['Issuing Thread'],
  FileKey: ['File Key'],
  InfoClass: ['Info Class', 'InformationClass', 'FsControlCode', 'FSCTL', 'Control Code'],
  NtStatus: ['Status', 'Result'],
  OpenPath: ['FileName', 'File Name', 'Path', 'Path Name'],
  FileName: ['File Name', 'Path', 'Path Name', 'OpenPath'],
  IoSize: ['IOSize', 'IO Size', 'Size'],
  ExtraInfo: ['Extra Info'],
};

/** For each documented field of a layout, the normalised header spellings that name it. */
export function fieldSpellings(field: string): readonly string[] {
  return [norm(field), ...(FIELD_ALIASES[field] ?? []).map(norm)];
}

export { norm as normalizeName };
