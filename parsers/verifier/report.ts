/**
 * The rest of a `!verifier` report: statistics, the Driver Verification List with its pool tables, and the section
 * titles and one-line messages of the trace logs.
 *
 * Decision: these lines are context, counted as noise. The record contract has no record for pool counters or for
 * the list of verified drivers, and none of them is an IOCTL, an IRP, a status or a bugcheck. They are still
 * recognised form by form, so a line inside these sections that is none of the known forms leaves the block and
 * shows up as skipped, instead of being swallowed.
 */
import type { SourceLine } from '../../src/text/index.js';
import type { Block, BlockContext, PushVerdict, Shape } from '../windbg/engine.js';
import { body, indentOf, isBlank } from './text.js';

const HEX = '(?:0x)?[0-9a-fA-F`]+';

/** `RaiseIrqls   0x0`, `Current paged pool allocations   0x1a for 00000950 bytes`. */
const STATISTIC = new RegExp(`^[A-Za-z][A-Za-z ]*?\\s+0x[0-9a-fA-F]+(?: for [0-9a-fA-F]+ bytes)?$`);

/** Lines of the Driver Verification List, Win7 and Win10 forms. */
const DRIVER_LIST_LINES: readonly RegExp[] = [
  // Win7: table header, one row per verified driver, its pool counters, its outstanding allocations
  /^Entry\s+State\s+NonPagedPool\s+PagedPool\s+Module$/,
  new RegExp(`^${HEX}\\s+[A-Za-z]+\\s+[0-9a-fA-F]+\\s+[0-9a-fA-F]+\\s+\\S+$`),
  /^(?:Current|Peak) Pool (?:Allocations|Bytes)\s+[0-9a-fA-F]+\s+[0-9a-fA-F]+$/,
  /^PoolAddress\s+SizeInBytes\s+Tag\s+CallersAddress$/,
  new RegExp(`^${HEX}\\s+0x[0-9a-fA-F]+\\s+\\S{1,4}\\s+${HEX}(?:\\s+\\S+)?$`),
  // Win10: MODULE line, statistics with ( NonPagedPool / PagedPool ) pairs, allocation table
  new RegExp(`^MODULE:\\s+${HEX}\\s+\\S+(?:\\s+\\([A-Za-z ]+\\))?$`),
  /^Pool Allocation Statistics:/,
  new RegExp(`^(?:Current|Peak) Pool (?:Allocations|Bytes):\\s+\\(\\s*${HEX}\\s*/\\s*${HEX}\\s*\\)$`),
  new RegExp(`^(?:Peak )?Contiguous Memory Bytes:\\s+${HEX}$`),
  /^Pool Allocations:$/,
  /^Address\s+Length\s+Tag\s+Caller$/,
  /^-+(?:\s+-+)+$/,
  new RegExp(`^${HEX}\\s+${HEX}\\s+\\S{1,4}\\s+${HEX}(?:\\s+\\S+)?$`),
  // an author's elision of a long table
  /^\.{3,}$/,
];

/**
 * `!verifier 4` (and a report's fault injection section) when faults were injected: a history header, then entries
 * of a Thread line and the stack of the allocation Driver Verifier failed on purpose (Microsoft's Low Resources
 * Simulation page shows the layout). Context too: there is no record for a deliberately failed allocation.
 */
const FAULT_INJECTION_LINES: readonly RegExp[] = [
  /^Resource fault injection history:$/,
  new RegExp(`^Tracker @ ${HEX} \\(# entries: [0-9a-fA-Fx]+, size: [0-9a-fA-Fx]+, depth: [0-9a-fA-Fx]+\\)$`),
  new RegExp(`^Entry @ ${HEX} \\(index [0-9a-fA-Fx]+\\)$`),
  new RegExp(`^Thread: ${HEX}$`),
  new RegExp(`^${HEX}\\s+\\S+$`), // a frame: address and symbol
];

/** Titles and one-line messages between the sections; each is a whole line. */
const MESSAGES: readonly RegExp[] = [
  /^Fault injection trace log$/,
  /^Track irql trace log$/,
  /^Driver Verifier didn't inject any faults\.$/,
  /^Displaying most recent (?:0x)?[0-9a-fA-F]+ entries from the IRQL transition log\.$/,
  /^There are up to (?:0x)?[0-9a-fA-F]+ entries in the log\.$/,
  /^!verifier(?:\s.*)?$/, // the command echoed without a prompt, as Microsoft's pages print it
];

/** Takes the lines matching `accepts` (and blank lines) as noise until one does not match. */
class ContextBlock implements Block {
  constructor(private readonly context: BlockContext, private readonly accepts: (text: string) => boolean) {}

  push(line: SourceLine): PushVerdict {
    if (!isBlank(line.text) && !this.accepts(body(line.text))) return 'leave';
    this.context.noise(line);
    return 'take';
  }

  close(): void {}
}

function opening(context: BlockContext, line: SourceLine, accepts: (text: string) => boolean): Block {
  context.noise(line); // the title itself
  return new ContextBlock(context, accepts);
}

const isStatistic = (text: string): boolean => STATISTIC.test(text);
const isDriverListLine = (text: string): boolean => DRIVER_LIST_LINES.some((pattern) => pattern.test(text));
const isMessage = (text: string): boolean => MESSAGES.some((pattern) => pattern.test(text));
const isFaultInjectionLine = (text: string): boolean => FAULT_INJECTION_LINES.some((pattern) => pattern.test(text));

/** Literal starts of the lines that open a section, tested before any regex. */
const OPENING_STARTS = [
  'Summary of All Verifier Statistics',
  'Driver Verification List',
  'Fault injection',
  'Track irql',
  "Driver Verifier didn't",
  'Displaying most recent',
  'There are up to',
  'Resource fault injection history:',
  'Entry @ ',
  '!verifier',
  '#',
];

export const verifierReportShape: Shape = {
  id: 'verifier-report',
  open(line, context) {
    const start = indentOf(line.text);
    const first = line.text.charCodeAt(start);
    // Every opening line starts with S, D, F, T, R, E, ! or # (a markdown heading of the same title).
    if (first !== 0x53 && first !== 0x44 && first !== 0x46 && first !== 0x54 && first !== 0x52 && first !== 0x45 && first !== 0x21 && first !== 0x23) return null;
    if (!OPENING_STARTS.some((prefix) => line.text.startsWith(prefix, start))) return null;
    const text = body(line.text);
    if (text === 'Summary of All Verifier Statistics') return opening(context, line, isStatistic);
    if (text === 'Driver Verification List') return opening(context, line, isDriverListLine);
    if (isMessage(text)) return opening(context, line, isMessage);
    if (isFaultInjectionLine(text)) return opening(context, line, isFaultInjectionLine);
    return null;
  },
};
