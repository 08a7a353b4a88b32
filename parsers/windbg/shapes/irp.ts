/**
 * `!irp` output. Its parts, each optional because authors trim pastes:
 *   Irp is active with 6 stacks 6 is current (= 0xffffd581a6c6cf68)
 *    No Mdl: No System Buffer: Thread 00000000:  Irp stack trace.      (or Mdl=<a>:, System buffer=<a>:,
 *                                                                      Irp is completed.  Pending has been returned)
 *   Flags = 00060003 ... IoStatus.Status = c0000008 ... Tail.*        (`!irp <a> 1` or `detail` only)
 *        cmd  flg cl Device   File     Completion-Context
 * then per stack location, Windows 10 and later:
 *   >[IRP_MJ_INTERNAL_DEVICE_CONTROL(f), N/A(0)]
 *               0 e1 ffffd581a5fbd050 00000000 fffff806d2412cf0-ffffd581a5cce050 Success Error Cancel pending
 *                          \Driver\usbehci        (IopUnloadSafeCompletion)
 *                                                   Args: ffffd581a6c61a50 00000000 0x220003 00000000
 * or Vista's numbers on the flags line (`>[  3,34]  40 e1 828517a8 ...`). Driver and Args lines are indented by
 * spaces or TABs, or not at all, and a blank line stands where a location has no driver.
 *
 * The third Args value is a control code only under IRP_MJ_DEVICE_CONTROL, IRP_MJ_INTERNAL_DEVICE_CONTROL and
 * IRP_MJ_FILE_SYSTEM_CONTROL: there it becomes the location's `ioctl` and an IoctlOccurrence.
 */
import type { SourceLine } from '../../../src/text/index.js';
import { hex64, type Irp, type StackLocation } from '../../../src/records/index.js';
import { irpMajorNamesOf, irpMinorNamesOf } from '../../../src/decode/irp.js';
import { CONTROL_CODE_MAJORS, ioctlOccurrence, majorName, minorName } from '../../decoded.js';
import type { Block, BlockContext, PushVerdict, Shape } from '../engine.js';
import {
  LineProblems,
  POINTER,
  blankIrp,
  commandArguments,
  indentOf,
  isElision,
  literalAddress,
  pointerOrNull,
  pointerText,
  hexText,
  readHexValue,
  statusFields,
  statusOf,
} from './irp-fields.js';

const HEADER = /^[ \t]*Irp is active with (\d+) stacks (\d+) is current \(= (?:0x)?([0-9a-fA-F`]+)\)[ \t]*$/;
/** `No Mdl:` / `Mdl=<a>:` / `Mdl = <a>` (Vista), then `No System Buffer:` / `System buffer=<a>:`, then `Thread <t>:`. */
const MDL_LINE = new RegExp(
  `^[ \\t]*(?:No Mdl|Mdl ?= ?${POINTER})[ \\t]*:?[ \\t]*(?:(?:No System Buffer|System buffer ?= ?${POINTER})[ \\t]*:?[ \\t]*)?` +
    `Thread[ \\t]+(${POINTER})[ \\t]*:[ \\t]*(.*?)[ \\t]*$`,
  'i',
);
const IRP_STATE = /^(?:(Irp stack trace\.)|(Irp is completed\.))(?:[ \t]+(Pending has been returned))?$/;
const VERBOSE_FIELD = /^[ \t]*(&?[A-Za-z][\w.]*)[ \t]+=[ \t]+(.*?)[ \t]*$/;
const COLUMNS = /^[ \t]*cmd[ \t]+flg[ \t]+cl[ \t]+Device[ \t]+File[ \t]+Completion-Context[ \t]*$/;
/** `>[IRP_MJ_DEVICE_CONTROL(e), N/A(0)]`: names (or N/A) with the raw value in parentheses. */
const NAMED_LOCATION = /^[ \t]*(>)?\[(([A-Za-z_/][\w/]*)\(([0-9a-fA-F]{1,8})\),[ \t]*([A-Za-z_/][\w/]*)\(([0-9a-fA-F]{1,8})\))\][ \t]*$/;
const FLAGS_COLUMNS = `([0-9a-fA-F]{1,2})[ \\t]+([0-9a-fA-F]{1,2})[ \\t]+(${POINTER})[ \\t]+(${POINTER})[ \\t]+(${POINTER})-(${POINTER})(.*)$`;
const FLAGS_LINE = new RegExp(`^[ \\t]*${FLAGS_COLUMNS}`);
/** Vista: `>[  3,34]  40 e1 828517a8 00000000 842511e0-00000000 Success Error Cancel pending`. */
const NUMERIC_LOCATION = new RegExp(`^[ \\t]*(>)?\\[([ \\t]*([0-9a-fA-F]{1,2}),[ \\t]*([0-9a-fA-F]{1,2}))\\][ \\t]+${FLAGS_COLUMNS}`);
/** `\Driver\X` or `\FileSystem\X`, then optionally the completion routine after blanks, maybe in parentheses. */
const DRIVER_LINE = /^[ \t]*(\\[A-Za-z]+\\[^\s()]+)(?:[ \t]+(?:\(([^\s()]+)\)|([^\s()]+)))?[ \t]*$/;
/** A completion routine alone on the driver line's place. */
const ROUTINE_LINE = /^[ \t]+(?:\(([^\s()]+)\)|([\w$.]+![^\s()]+))[ \t]*$/;
/** An Args value: 8 or 16 digits (backtick or not), or a shorter `0x` form (`0x220003`). */
const ARG = '(?:0x)?(?:[0-9a-fA-F]{8}`[0-9a-fA-F]{8}|[0-9a-fA-F]{1,16})';
const ARGS_LINE = new RegExp(`^[ \\t]*Args:[ \\t]+(${ARG})[ \\t]+(${ARG})[ \\t]+(${ARG})[ \\t]+(${ARG})[ \\t]*$`);

/** The words after Completion-Context and the control bits (SL_INVOKE_ON_* and SL_PENDING_RETURNED) they stand for. */
const CONTROL_WORDS: ReadonlyMap<string, number> = new Map([
  ['Success', 0x40],
  ['Error', 0x80],
  ['Cancel', 0x20],
  ['pending', 0x01],
]);

/** sizeof(IRP) and sizeof(IO_STACK_LOCATION) on x64 and on x86: the locations follow the IRP in one allocation. */
const LAYOUTS: readonly { irp: bigint; location: bigint }[] = [
  { irp: 0xd0n, location: 0x48n },
  { irp: 0x70n, location: 0x24n },
];

/** The words !irp prints for the control values seen most, to skip the word-by-word check. */
const COMMON_WORDS: ReadonlyMap<number, string> = new Map([
  [0x00, ''],
  [0xe0, 'Success Error Cancel'],
  [0xe1, 'Success Error Cancel pending'],
]);

const CONTROL_MAJOR_NAMES: ReadonlySet<string> = new Set(['IRP_MJ_FILE_SYSTEM_CONTROL', 'IRP_MJ_DEVICE_CONTROL', 'IRP_MJ_INTERNAL_DEVICE_CONTROL']);

interface LocationDraft {
  readonly location: StackLocation;
  /** What the next line of this location may be. */
  expect: 'flags' | 'driver' | 'done';
  argsLine: number;
  /** The control code of the third Args value, under a control major only. */
  ioctl: number | null;
}

/** "0x" + 2 upper-case hex digits, for every byte value. */
const HEX_BYTES: readonly string[] = Array.from({ length: 256 }, (_, value) => `0x${value.toString(16).toUpperCase().padStart(2, '0')}`);

function hexByte(value: number): string {
  return (value >= 0 && value < 256 ? HEX_BYTES[value] : undefined) ?? `0x${value.toString(16).toUpperCase().padStart(2, '0')}`;
}

function hexShort(value: number): string {
  return value.toString(16);
}

/**
 * The core's names of a major, and of a minor under its major, by number: every stack location asks, and the tables
 * never change. The core reads both as bytes (irpMajorNamesOf, irpMinorNamesOf), so the keys do too: at most 256 and
 * 65536 of them.
 */
const MAJOR_NAMES = new Map<number, readonly string[]>();
const MINOR_NAMES = new Map<number, readonly string[]>();

function majorNames(major: number): readonly string[] {
  const key = major & 0xff;
  let names = MAJOR_NAMES.get(key);
  if (names === undefined) {
    names = irpMajorNamesOf(key).map((n) => n.name);
    MAJOR_NAMES.set(key, names);
  }
  return names;
}

function minorNames(major: number, minor: number): readonly string[] {
  const key = (major & 0xff) * 256 + (minor & 0xff);
  let names = MINOR_NAMES.get(key);
  if (names === undefined) {
    names = irpMinorNamesOf(major & 0xff, minor & 0xff).map((n) => n.name);
    MINOR_NAMES.set(key, names);
  }
  return names;
}

/** The last command read, and its address: every block of one command's output asks again. */
let lastCommand: { command: string; address: bigint | null } | null = null;

/** The IRP address the `!irp` command line names, when it names one with literals. */
export function irpCommandAddress(command: string | null): bigint | null {
  if (command === null) return null;
  if (lastCommand?.command === command) return lastCommand.address;
  let address: bigint | null = null;
  if (/^!(?:kdexts\.)?irp\s/i.test(command)) {
    const first = commandArguments(command)[0];
    address = first === undefined ? null : literalAddress(first);
  }
  lastCommand = { command, address };
  return address;
}

class IrpBlock implements Block {
  private readonly record: Irp;
  private readonly problems = new LineProblems();
  private stage: 'header' | 'table' = 'header';
  private readonly drafts: LocationDraft[] = [];
  private draft: LocationDraft | null = null;
  private address: bigint | null;
  private status: number | null = null;
  private tailThread: string | null = null;
  private started = false;

  constructor(
    first: SourceLine,
    private readonly context: BlockContext,
  ) {
    this.record = blankIrp(first.line, 'irp');
    this.address = irpCommandAddress(context.command);
  }

  /** The first line, which open() already matched as one of the forms below. */
  begin(line: SourceLine): boolean {
    const verdict = this.push(line);
    this.started = true;
    return verdict === 'take';
  }

  push(line: SourceLine): PushVerdict {
    const text = line.text;
    const start = indentOf(text);
    if (start < 0) {
      this.context.noise(line);
      return 'take';
    }
    const first = text.charCodeAt(start);
    if (first === 0x2e /* . */ || first === 0x5b /* [ */ || first === 0x2026 /* … */) {
      if (isElision(text)) {
        this.context.noise(line);
        return 'take';
      }
    }
    if (first === 0x49 /* I */ && text.startsWith('Irp is active with ', start)) {
      // A second header is a second IRP.
      if (this.started) return 'leave';
      return this.readHeader(line) ? 'take' : 'leave';
    }
    if (first === 0x3e /* > */ || first === 0x5b /* [ */) {
      if (this.readLocation(line)) return 'take';
    }
    if (this.stage === 'header') return this.readHeaderPart(line) ? 'take' : 'leave';
    return this.readLocationPart(line, first) ? 'take' : 'leave';
  }

  private readHeader(line: SourceLine): boolean {
    const m = HEADER.exec(line.text);
    if (!m) return false;
    const stacks = Number(m[1]);
    const current = Number(m[2]);
    this.record.stackCount = stacks;
    this.record.currentLocation = current;
    const pointer = readHexValue(m[3]!);
    if (this.address !== null && pointer !== null && pointer !== 0n) {
      const address = this.address;
      const fits = LAYOUTS.some((l) => BigInt.asUintN(64, address + l.irp + BigInt(current - 1) * l.location) === pointer);
      if (!fits) {
        // Two outputs pasted under one prompt: the command's address belongs to the other one.
        this.problems.add(line, `the !irp argument ${hex64(address)} does not fit "(= ${m[3]})": location ${current} of that IRP would lie elsewhere, so the address is left unknown`);
        this.address = null;
      }
    }
    return true;
  }

  private readHeaderPart(line: SourceLine): boolean {
    const text = line.text;
    const mdl = MDL_LINE.exec(text);
    if (mdl) {
      this.record.thread = pointerText(mdl[1]!);
      const state = IRP_STATE.exec(mdl[2]!);
      if (state) {
        this.record.completed = state[2] !== undefined;
        this.record.pendingReturned = state[3] !== undefined;
      } else {
        this.problems.add(line, `unknown IRP state after the thread: "${mdl[2]}"`);
      }
      return true;
    }
    if (COLUMNS.test(text)) {
      this.stage = 'table';
      return true;
    }
    const field = VERBOSE_FIELD.exec(text);
    if (field) {
      this.readVerboseField(line, field[1]!, field[2]!);
      return true;
    }
    return false;
  }

  /** `!irp <a> 1` fields: IoStatus.Status is the one the record carries; Tail.Overlay.Thread backs up the Thread. */
  private readVerboseField(line: SourceLine, key: string, value: string): void {
    if (key === 'IoStatus.Status') {
      const raw = readHexValue(value);
      const status = raw === null ? null : statusOf(raw);
      if (status === null) this.problems.add(line, `IoStatus.Status "${value}" is not an NTSTATUS`);
      this.status = status;
    } else if (key === 'Tail.Overlay.Thread') {
      const raw = readHexValue(value);
      if (raw === null) this.problems.add(line, `Tail.Overlay.Thread "${value}" is not a pointer`);
      this.tailThread = pointerOrNull(raw);
    }
  }

  private readLocation(line: SourceLine): boolean {
    const text = line.text;
    const named = NAMED_LOCATION.exec(text);
    if (named) {
      const major = parseInt(named[4]!, 16);
      const minor = parseInt(named[6]!, 16);
      const draft = this.startLocation(line, named[1] === '>', named[2]!.trim(), major, minor);
      const majorFunction = this.nameMajor(line, named[3]!, major);
      draft.location.majorFunction = majorFunction;
      draft.location.minorFunction = majorFunction === null ? null : this.nameMinor(line, named[5]!, major, minor);
      draft.expect = 'flags';
      return true;
    }
    const numeric = NUMERIC_LOCATION.exec(text);
    if (numeric) {
      const major = parseInt(numeric[3]!, 16);
      const minor = parseInt(numeric[4]!, 16);
      const draft = this.startLocation(line, numeric[1] === '>', numeric[2]!.trim(), major, minor);
      this.readFlags(line, draft, numeric.slice(5));
      // Vista prints numbers only. A location with no device object is an unused slot: Windows 10's !irp prints
      // N/A for those, so it is not named here either.
      const majorFunction = draft.location.device === null ? null : majorName(major);
      draft.location.majorFunction = majorFunction;
      draft.location.minorFunction = majorFunction === null ? null : minorName(major, minor);
      draft.expect = 'driver';
      return true;
    }
    return false;
  }

  private startLocation(line: SourceLine, current: boolean, printed: string, major: number, minor: number): LocationDraft {
    this.stage = 'table';
    const draft: LocationDraft = {
      location: {
        line: line.line,
        index: this.drafts.length,
        current,
        major,
        majorFunction: null,
        minor,
        minorFunction: null,
        printedFunctions: printed,
        flags: null,
        control: null,
        device: null,
        file: null,
        completion: null,
        context: null,
        driver: null,
        completionRoutine: null,
        args: [],
        ioctl: null,
      },
      expect: 'flags',
      argsLine: line.line,
      ioctl: null,
    };
    this.drafts.push(draft);
    this.draft = draft;
    return draft;
  }

  /** The printed major name, checked against the core; N/A (WinDbg's "no name here") stays unnamed. */
  private nameMajor(line: SourceLine, printed: string, major: number): string | null {
    if (printed === 'N/A') return null;
    const names = majorNames(major);
    if (names.includes(printed)) return printed;
    this.problems.add(line, `!irp says ${printed}(${hexShort(major)}), the core names major 0x${hexShort(major)} ${names.join(' or ') || 'nothing'}`);
    return names[0] ?? printed;
  }

  /** The minor under its major: the core's name when WinDbg printed N/A, the printed name checked when it named one. */
  private nameMinor(line: SourceLine, printed: string, major: number, minor: number): string | null {
    if (printed === 'N/A') return minorNames(major, minor)[0] ?? null;
    const names = minorNames(major, minor);
    if (names.includes(printed)) return printed;
    this.problems.add(line, `!irp says ${printed}(${hexShort(minor)}), the core names minor 0x${hexShort(minor)} of major 0x${hexShort(major)} ${names.join(' or ') || 'nothing'}`);
    return names[0] ?? printed;
  }

  /** flg, cl, Device, File, Completion-Context and the words after it. */
  private readFlags(line: SourceLine, draft: LocationDraft, columns: readonly (string | undefined)[]): void {
    const location = draft.location;
    const flags = parseInt(columns[0]!, 16);
    const control = parseInt(columns[1]!, 16);
    location.flags = hexByte(flags);
    location.control = hexByte(control);
    location.device = pointerText(columns[2]!);
    location.file = pointerText(columns[3]!);
    location.completion = pointerText(columns[4]!);
    location.context = pointerText(columns[5]!);
    const words = columns[6]!.trim();
    // The usual words for the usual bits need no check beyond this.
    if (words === COMMON_WORDS.get(control)) return;
    const printed = words === '' ? [] : words.split(/\s+/);
    const unknown = printed.filter((w) => !CONTROL_WORDS.has(w));
    if (unknown.length > 0) {
      this.problems.add(line, `unknown words after Completion-Context: ${unknown.join(' ')}`);
      return;
    }
    const expected = [...CONTROL_WORDS].filter(([, bit]) => (control & bit) !== 0).map(([word]) => word);
    const same = (words: readonly string[]): boolean => words.length === printed.length && words.every((w) => printed.includes(w));
    // With no completion routine there is nothing to invoke: !irp then prints only "pending" of `e1` (the bug check
    // 0x9F page of the Windows driver docs shows `0 e1 ... 00000000-00000000    pending`).
    const withoutRoutine = location.completion === null ? expected.filter((w) => w === 'pending') : null;
    if (!same(expected) && !(withoutRoutine && same(withoutRoutine))) {
      this.problems.add(line, `the words say "${printed.join(' ')}", control ${hexByte(control)} says "${expected.join(' ')}"`);
    }
  }

  private readLocationPart(line: SourceLine, first: number): boolean {
    const draft = this.draft;
    if (draft === null || draft.expect === 'done') return false;
    const text = line.text;
    if (draft.expect === 'flags') {
      const flags = FLAGS_LINE.exec(text);
      if (flags) {
        this.readFlags(line, draft, flags.slice(1));
        draft.expect = 'driver';
        return true;
      }
    }
    if (first === 0x41 /* A */) {
      const args = ARGS_LINE.exec(text);
      if (args) {
        if (draft.expect === 'flags') this.problems.add(line, 'Args without the flags/device/file line of its stack location');
        this.readArgs(line, draft, args.slice(1, 5) as string[]);
        return true;
      }
      return false;
    }
    if (draft.expect !== 'driver') return false;
    if (first === 0x5c /* \ */) {
      const driver = DRIVER_LINE.exec(text);
      if (!driver) return false;
      draft.location.driver = driver[1]!;
      draft.location.completionRoutine = driver[2] ?? driver[3] ?? null;
      return true;
    }
    const routine = ROUTINE_LINE.exec(text);
    if (routine) {
      draft.location.completionRoutine = routine[1] ?? routine[2]!;
      return true;
    }
    return false;
  }

  private readArgs(line: SourceLine, draft: LocationDraft, values: readonly string[]): void {
    const location = draft.location;
    location.args = [hexText(values[0]!), hexText(values[1]!), hexText(values[2]!), hexText(values[3]!)];
    draft.argsLine = line.line;
    draft.expect = 'done';
    // DeviceIoControl.IoControlCode / FileSystemControl.FsControlCode: a ULONG in the third pointer-sized slot.
    if (location.majorFunction !== null && CONTROL_CODE_MAJORS.has(location.major ?? -1) && CONTROL_MAJOR_NAMES.has(location.majorFunction)) {
      const low = location.args[2]!.slice(10);
      draft.ioctl = parseInt(low, 16);
      location.ioctl = `0x${low}`;
    }
  }

  close(): void {
    const record = this.record;
    record.address = this.address === null ? null : hex64(this.address);
    if (record.thread === null) record.thread = this.tailThread;
    Object.assign(record, statusFields(this.status));
    record.locations = this.drafts.map((d) => d.location);
    const current = this.drafts.find((d) => d.location.current)?.location ?? null;
    if (current) {
      record.majorFunction = current.majorFunction;
      record.minorFunction = current.minorFunction;
      record.ioctl = current.ioctl;
      record.device = current.device;
      record.driver = current.driver;
    }
    this.context.emit(record);
    for (const draft of this.drafts) {
      const location = draft.location;
      if (draft.ioctl === null) continue;
      this.context.emit(
        ioctlOccurrence(draft.ioctl, draft.argsLine, {
          via: 'irp-stack-location',
          majorFunction: location.majorFunction,
          driver: location.driver,
          irp: this.address,
          // IoStatus is the request's final status only once the IRP is completed.
          status: record.completed === true ? this.status : null,
        }),
      );
    }
    this.problems.flush(this.context);
  }
}

/** Opens on the header, the Mdl/Thread line, the column header or a stack location (pastes often start there). */
export const irpShape: Shape = {
  id: 'irp',
  open(line, context) {
    const text = line.text;
    const start = indentOf(text);
    if (start < 0) return null;
    const first = text.charCodeAt(start);
    let opens = false;
    switch (first) {
      case 0x49 /* I */:
        opens = text.startsWith('Irp is active with ', start) && HEADER.test(text);
        break;
      case 0x3e /* > */:
      case 0x5b /* [ */:
        opens = NAMED_LOCATION.test(text) || NUMERIC_LOCATION.test(text);
        break;
      case 0x4e /* N */:
      case 0x4d /* M */:
        opens = (text.startsWith('No Mdl', start) || text.startsWith('Mdl', start)) && MDL_LINE.test(text);
        break;
      case 0x63 /* c */:
        opens = text.startsWith('cmd', start) && COLUMNS.test(text);
        break;
      default:
        return null;
    }
    if (!opens) return null;
    const block = new IrpBlock(line, context);
    return block.begin(line) ? block : null;
  },
};
