/**
 * KMDF in-flight recorder (IFR) lines, one WdfLog record each.
 *
 * Two layouts:
 * - one line per entry, `[0]0000 TRACE_LEVEL_VERBOSE Function:text` (docs FORMATS.md section 5);
 * - `!wdfkd.wdflogdump` / `!rcdrlogdump` output as Microsoft's pages show it (debuggercmds/-acxkd.md,
 *   -rcdrkd-rcdrlogdump.md): header lines (`Trace searchpath is:`, `Trace format prefix is: %7!u!: %!FUNC! - `,
 *   `Trying to extract TMF information from - ...`, `There are 65 log entries`, `--- start of log ---`), then
 *   `16131: 09/03/2023-23:43:07.3233594 imp_WdfRegistryOpenKey - text` or `70914: Function - text`, each optionally
 *   led by a log ID (`AFX_Client1 1: ...`), up to `---- end of log ----`. The numbered form is only read inside such
 *   a log, or after a wdflogdump/rcdrlogdump prompt: a bare `12: word - text` means nothing on its own.
 *
 * What a line says is taken from the framework's own message texts (microsoft/Windows-Driver-Frameworks): the
 * verifier line of WdfDeviceWdmDispatchIrpToIoQueue prints "WDFDEVICE 0x%p !devobj 0x%p %!IRPMJ!, IRP_MN %x,
 * IRP 0x%p", where %!IRPMJ! shows as `0x0000000f(IRP_MJ_INTERNAL_DEVICE_CONTROL)`; FxRequest::Complete prints
 * "Completing WDFREQUEST 0x%p for IRP 0x%p with Information 0x%I64x, %!STATUS!", where %!STATUS! shows as the
 * NTSTATUS name, or as `0xc0000225(STATUS_NOT_FOUND)`.
 */
import { lookup } from '../../src/decode/lookup.js';
import { hex32, hex64, readHex, type WdfLog } from '../../src/records/index.js';
import type { SourceLine } from '../../src/text/index.js';
import type { Block, BlockContext, PushVerdict, Shape } from '../windbg/engine.js';
import { majorName } from '../decoded.js';
import { body, indentOf, isBlank } from './text.js';

const FUNCTION = '[A-Za-z_~?][\\w~@?$]*(?:::[A-Za-z_~?][\\w~@?$]*)*';

/** `[0]0000 TRACE_LEVEL_VERBOSE FxRequest::Complete:Completing WDFREQUEST ...`. */
const BRACKET_ENTRY = new RegExp(`^(\\[\\d+\\][0-9A-Fa-f]{4}(?:\\.[0-9A-Fa-f]{4})?)\\s+(TRACE_LEVEL_[A-Z]+)\\s+(${FUNCTION}):\\s*(.*)$`);

/** `[log id] 16131: [date-time] [TRACE_LEVEL_X] Function - text`. */
const NUMBERED_ENTRY = new RegExp(
  `^(?:(\\S.*?)\\s+)?(\\d+):\\s+(?:(\\d{2}/\\d{2}/\\d{4}-\\d{2}:\\d{2}:\\d{2}(?:\\.\\d+)?)\\s+)?(?:(TRACE_LEVEL_[A-Z]+)\\s+)?(${FUNCTION})\\s+-\\s+(.*)$`,
);

/** The !wdflogdump / !rcdrlogdump frame around the entries. */
const HEADERS: readonly RegExp[] = [
  /^Trace searchpath is:/,
  /^Trace format prefix is:/,
  /^Trying to extract TMF information from/,
  /^Gather log:/,
  /^% read so far/,
  /^There are \d+ log entries$/,
  /^Log dump command\s+Log ID\s+Size$/,
  /^=+(?:\s+=+)*$/,
  /^!(?:wdfkd\.|rcdrkd\.)?(?:wdflogdump|rcdrlogdump)\s/, // one row of the table of logs
];
const START_OF_LOG = /^-{2,}\s*start of log\s*-{2,}$/;
const END_OF_LOG = /^-{2,}\s*end of log\s*-{2,}$/;
const LOG_COMMAND = /^!(?:wdfkd\.|rcdrkd\.)?(?:wdflogdump|wdfcrashdump|rcdrlogdump)\b/;

/** %!IRPMJ! prints `0x0000000f(IRP_MJ_INTERNAL_DEVICE_CONTROL)`: the name is enough; "Major Function 0x%x" has no name. */
const MAJOR = /\b(IRP_MJ_[A-Z_]+)\b|\bMajor Function (0x[0-9a-fA-F]+)/;
const MINOR = /\bIRP_MN\s+(?:0x)?([0-9a-fA-F]{1,8})\b/;
const IRP = /\b(?:IRP|Irp|PIRP)\s+((?:0x)?[0-9a-fA-F`]{8,17})\b/;
const STATUS = /(?:\b0x([0-9a-fA-F]{8})\()?\b(STATUS_[A-Z0-9_]+)\b\)?/g;

function isHeader(text: string): boolean {
  return HEADERS.some((pattern) => pattern.test(text)) || START_OF_LOG.test(text) || END_OF_LOG.test(text);
}

/** What the entry's text says about an IRP: major, minor, address, and the status it reports. */
function irpFacts(text: string): Pick<WdfLog, 'majorFunction' | 'minor' | 'irp' | 'status' | 'statusCode'> {
  const major = MAJOR.exec(text);
  const majorFunction = major === null ? null : major[1] ?? majorName(Number(major[2]));
  const minor = MINOR.exec(text);
  const irp = IRP.exec(text);
  const irpValue = irp === null ? null : readHex(irp[1]!);
  // The last status on the line is the one the message reports (earlier ones are quoted values).
  let status: RegExpExecArray | null = null;
  for (const match of text.matchAll(STATUS)) status = match;
  let statusCode: string | null = null;
  if (status !== null) {
    if (status[1] !== undefined) statusCode = hex32(Number.parseInt(status[1], 16));
    else {
      const found = lookup(status[2]!, { as: 'ntstatus' });
      if (found.ok) statusCode = found.decoding.code;
    }
  }
  return {
    majorFunction,
    minor: minor === null ? null : Number.parseInt(minor[1]!, 16),
    irp: irpValue === null ? null : hex64(irpValue),
    status: status === null ? null : status[2]!,
    statusCode,
  };
}

function bracketRecord(line: SourceLine, text: string): WdfLog | null {
  const entry = BRACKET_ENTRY.exec(text);
  if (!entry) return null;
  const message = entry[4]!.trimEnd();
  return { type: 'wdfLog', line: line.line, log: null, sequence: entry[1]!, time: null, level: entry[2]!, function: entry[3]!, text: message, ...irpFacts(message) };
}

function numberedRecord(line: SourceLine, text: string): WdfLog | null {
  const entry = NUMBERED_ENTRY.exec(text);
  if (!entry) return null;
  const message = entry[6]!.trimEnd();
  return {
    type: 'wdfLog',
    line: line.line,
    log: entry[1] === undefined ? null : entry[1].replace(/\s+/g, ' '),
    sequence: entry[2]!,
    time: entry[3] ?? null,
    level: entry[4] ?? null,
    function: entry[5]!,
    text: message,
    ...irpFacts(message),
  };
}

class WdfLogBlock implements Block {
  constructor(private readonly context: BlockContext, private inLog: boolean) {}

  /** Numbered entries count inside a log, or anywhere in the output of a log-dump command. */
  private numbered(): boolean {
    return this.inLog || afterLogCommand(this.context);
  }

  /** Handles one line; false when it is not part of a KMDF log. */
  take(line: SourceLine): boolean {
    if (isBlank(line.text)) {
      this.context.noise(line);
      return true;
    }
    const text = body(line.text);
    if (text.charCodeAt(0) === 0x5b /* [ */) {
      const record = bracketRecord(line, text);
      if (!record) return false;
      this.context.emit(record);
      return true;
    }
    if (START_OF_LOG.test(text)) this.inLog = true;
    else if (END_OF_LOG.test(text)) this.inLog = false;
    if (isHeader(text) || (this.inLog && /^\.{3,}$/.test(text))) {
      this.context.noise(line);
      return true;
    }
    if (!this.numbered()) return false;
    const record = numberedRecord(line, text);
    if (!record) return false;
    this.context.emit(record);
    return true;
  }

  push(line: SourceLine): PushVerdict {
    return this.take(line) ? 'take' : 'leave';
  }

  close(): void {}
}

/** Literal starts of the header lines, and their first characters, tested before any regex. */
const HEADER_STARTS = ['Trace ', 'Trying to extract', 'Gather log:', '% read so far', 'There are ', 'Log dump command', '==', '--', '!wdf', '!rcdr'];
const HEADER_FIRST = new Set(HEADER_STARTS.map((prefix) => prefix.charCodeAt(0)));

/** The last command tested, and whether it dumps a log: the command changes only at prompts. */
let lastCommand: string | null = null;
let lastCommandDumpsLog = false;

function afterLogCommand(context: BlockContext): boolean {
  const command = context.command;
  if (command === null || command.charCodeAt(0) !== 0x21 /* ! */) return false;
  if (command !== lastCommand) {
    lastCommand = command;
    lastCommandDumpsLog = LOG_COMMAND.test(command);
  }
  return lastCommandDumpsLog;
}

export const wdfLogShape: Shape = {
  id: 'verifier-wdf-log',
  open(line, context) {
    const start = indentOf(line.text);
    if (start === line.text.length) return null;
    if (line.text.charCodeAt(start) === 0x5b /* [ */) {
      // The level word follows the prefix: look for it before trying the regex.
      if (line.text.indexOf('TRACE_LEVEL_', start) === -1) return null;
    } else {
      const first = line.text.charCodeAt(start);
      const header = HEADER_FIRST.has(first) && HEADER_STARTS.some((prefix) => line.text.startsWith(prefix, start));
      if (!header && !afterLogCommand(context)) return null;
    }
    const block = new WdfLogBlock(context, false);
    return block.take(line) ? block : null;
  },
};
