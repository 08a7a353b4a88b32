/**
 * What the IRP shapes (!irp, !irpfind, !thread, dt, dx, !ioctldecode) share: WinDbg's spellings of pointers, numbers
 * and statuses, the address a command line names, and an Irp record with nothing known yet. Every reader returns
 * null for text that is not what it reads; none of them guesses.
 */
import type { SourceLine } from '../../../src/text/index.js';
import { hex32, hex64, type Irp } from '../../../src/records/index.js';
import { statusName } from '../../decoded.js';
import type { BlockContext } from '../engine.js';
import { word32, word64, word64End } from '../hex.js';

/** Where the text of a line starts (first character that is not a space or TAB), or -1 for a blank line. No copy. */
export function indentOf(text: string): number {
  const n = text.length;
  let i = 0;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c !== 0x20 && c !== 0x09) return i;
    i++;
  }
  return -1;
}

/** `...`, `....`, `[...]` or `…` alone on a line: an author's elision inside a dump. */
const ELISION = /^[ \t]*(?:\[[ \t]*(?:\.{3,}|…)[ \t]*\]|\.{3,}|…)[ \t]*$/;

export function isElision(text: string): boolean {
  return ELISION.test(text);
}

/**
 * A pointer-sized hex word as WinDbg prints it: 8 or 16 digits (x64 output prints NULL as 8 zeros), a backtick
 * between the halves, `0x` or not. Fixed widths keep the regexes that chain four of them free of backtracking.
 */
export const POINTER = '(?:0x)?[0-9a-fA-F]{8}(?:`?[0-9a-fA-F]{8})?';

const HEX_TEXT = /^(?:0x|0X)?([0-9a-fA-F]{1,8})`?([0-9a-fA-F]{0,8})$/;

/** A hex number as WinDbg prints it (`ffffe001\`2b4c8010`, `0x220003`, `00000000`), or null. */
export function readHexValue(text: string): bigint | null {
  const m = HEX_TEXT.exec(text);
  if (!m) return null;
  return BigInt(`0x${m[1]!}${m[2]!}`);
}

const ZERO64 = '0x0000000000000000';
/** Hex text that is zero however it is spelled: `00000000`, `0x0`, `00000000\`00000000`. */
const ZERO_TEXT = /^(?:0x)?[0`]+$/;

/**
 * "0x" + 16 upper-case digits straight from hex text a regex already matched (`0x` or not, backtick or not, at most
 * 16 digits): the hot path of !irp, with no BigInt in between.
 */
export function hexText(text: string): string {
  // The usual spellings (8 digits, 16 digits with or without the backtick) in one piece; the rest as below.
  const n = text.length;
  if (n === 8) {
    const value = word32(text);
    if (value !== null) return value;
  } else if (n === 16 || n === 17) {
    const value = word64(text, 0);
    if (value !== null && word64End() === n) return value;
  }
  if (text === '00000000' || text === '0000000000000000') return ZERO64;
  let digits = text;
  if (digits.length > 2 && (digits.charCodeAt(1) | 0x20) === 0x78 /* x */) digits = digits.slice(2);
  const tick = digits.indexOf('`');
  if (tick >= 0) digits = digits.slice(0, tick) + digits.slice(tick + 1);
  return `0x${digits.toUpperCase().padStart(16, '0')}`;
}

/** Like hexText, for a pointer: null for NULL. */
export function pointerText(text: string): string | null {
  // 8 digits, or 16 with or without the backtick: a zero word is exactly the NULL spelling ZERO_TEXT matches.
  const n = text.length;
  if (n === 8) {
    const word = word32(text);
    if (word !== null) return word === ZERO64 ? null : word;
  } else if (n === 16 || n === 17) {
    const word = word64(text, 0);
    if (word !== null && word64End() === n) return word === ZERO64 ? null : word;
  }
  return text === '00000000' || ZERO_TEXT.test(text) ? null : hexText(text);
}

/** A pointer field for a record: null for NULL (WinDbg prints 00000000 or (null) where nothing is pointed at). */
export function pointerOrNull(value: bigint | null): string | null {
  return value === null || value === 0n ? null : hex64(value);
}

/**
 * A number as dt and dx print it: `0n6` and `-1073741816` decimal, `0x60070` hex, `1 ''` (a CHAR: decimal with its
 * character), `0xffffe001\`2c1e4720 _ETHREAD` (a pointer and its type), `(null)`. Null for anything else
 * (`<anonymous-tag>`, `_LIST_ENTRY [ ... ]`, a type name of a layout without an instance).
 */
export function readObjectNumber(value: string): bigint | null {
  const text = value.trim();
  if (text.startsWith('(null)')) return 0n;
  const m = /^(?:0n(-?\d+)|(-?\d+)|0x([0-9a-fA-F]{1,8})`?([0-9a-fA-F]{0,8}))(?=$|\s)/.exec(text);
  if (!m) return null;
  if (m[1] !== undefined) return BigInt(m[1]);
  if (m[2] !== undefined) return BigInt(m[2]);
  return BigInt(`0x${m[3]!}${m[4]!}`);
}

/**
 * An NTSTATUS from the spellings IoStatus.Status takes: 32-bit hex (c0000008), sign-extended to 64 bits
 * (ffffffffc0000008) or signed decimal (0n-1073741816). Null when the value is none of these.
 */
export function statusOf(value: bigint): number | null {
  if (value >= -0x80000000n && value <= 0xffffffffn) return Number(BigInt.asUintN(32, value));
  if (value >= 0xffffffff80000000n && value <= 0xffffffffffffffffn) return Number(value & 0xffffffffn);
  return null;
}

export function statusFields(status: number | null): Pick<Irp, 'status' | 'statusName'> {
  return status === null ? { status: null, statusName: null } : { status: hex32(status), statusName: statusName(status) };
}

/** An Irp record of one shape with nothing read yet. */
export function blankIrp(line: number, via: Irp['via']): Irp {
  return {
    type: 'irp',
    line,
    via,
    address: null,
    majorFunction: null,
    minorFunction: null,
    ioctl: null,
    status: null,
    statusName: null,
    device: null,
    driver: null,
    thread: null,
    stackCount: null,
    currentLocation: null,
    completed: null,
    pendingReturned: null,
    locations: [],
  };
}

/**
 * The Irp a dt or dx dump of an _IRP gives, from its fields by path (`StackCount`, `IoStatus.Status`,
 * `Tail.Overlay.Thread`). A dump shows no stack location, so major, minor and control code stay unknown.
 */
export function irpOfObject(line: number, via: 'dt' | 'dx', address: bigint | null, field: (path: string) => bigint | null): Irp {
  const record = blankIrp(line, via);
  record.address = address === null ? null : hex64(address);
  const stackCount = field('StackCount');
  const currentLocation = field('CurrentLocation');
  const pendingReturned = field('PendingReturned');
  const status = field('IoStatus.Status');
  record.stackCount = stackCount === null ? null : Number(stackCount);
  record.currentLocation = currentLocation === null ? null : Number(currentLocation);
  // !irp's own rule: an IRP whose current location is past its last stack location is completed.
  record.completed = stackCount === null || currentLocation === null ? null : currentLocation > stackCount;
  record.pendingReturned = pendingReturned === null ? null : pendingReturned !== 0n;
  Object.assign(record, statusFields(status === null ? null : statusOf(status)));
  record.thread = pointerOrNull(field('Tail.Overlay.Thread'));
  return record;
}

/** The arguments after the command word, split on blanks; an `@@(...)` expression stays one argument. */
export function commandArguments(command: string): string[] {
  const args: string[] = [];
  const words = command.trim().split(/\s+/).slice(1);
  for (let i = 0; i < words.length; i++) {
    let word = words[i]!;
    if (word.startsWith('@@')) {
      // Rejoin an expression the split cut at its blanks, up to its closing parenthesis.
      let depth = count(word, '(') - count(word, ')');
      while (depth > 0 && i + 1 < words.length) {
        const next = words[++i]!;
        word += ` ${next}`;
        depth += count(next, '(') - count(next, ')');
      }
    }
    args.push(word);
  }
  return args;
}

function count(text: string, ch: string): number {
  return text.split(ch).length - 1;
}

/** 16 hex digits, a backtick between the halves or not. */
const PLAIN_POINTER = /^[0-9a-fA-F]{8}`?[0-9a-fA-F]{8}$/;
const MASM_TERM = /^(?:0x)?[0-9a-fA-F]{1,8}`?[0-9a-fA-F]{0,8}$/i;
const CPP_HEX = /^0x[0-9a-fA-F]{1,16}$/i;

/**
 * The address an argument names when it is written with literals only: plain or backtick hex (MASM reads bare
 * digits as hex), `0x`, `0n` decimal, with `+` / `-` between them (`0x...-0x20`). Inside `@@(...)` / `@@c++(...)`
 * C++ rules hold (bare digits are decimal). A register (`@rdx`, `rdx`), a symbol or `poi()` names no literal: null.
 */
export function literalAddress(argument: string): bigint | null {
  // The spelling nearly every `!irp` line uses (`ffffe001\`2b4c8010`): one MASM hex term, read as the rules below
  // would read it, without their dozen regexes.
  if (PLAIN_POINTER.test(argument)) return BigInt(`0x${argument.length === 17 ? argument.slice(0, 8) + argument.slice(9) : argument}`);
  let expression = argument.trim();
  let cpp = false;
  const wrapped = /^@@(c\+\+|masm)?\((.*)\)$/i.exec(expression);
  if (wrapped) {
    cpp = wrapped[1]?.toLowerCase() !== 'masm';
    expression = wrapped[2]!;
  }
  expression = expression.replace(/\s+/g, '');
  while (expression.startsWith('(') && expression.endsWith(')')) expression = expression.slice(1, -1);
  if (expression === '') return null;
  const terms = expression.match(/[+-]?[^+-]+/g);
  if (!terms || terms.join('') !== expression) return null;
  let total = 0n;
  for (const term of terms) {
    const negative = term.startsWith('-');
    const body = term.startsWith('-') || term.startsWith('+') ? term.slice(1) : term;
    const value = cpp ? cppLiteral(body) : masmLiteral(body);
    if (value === null) return null;
    total += negative ? -value : value;
  }
  return BigInt.asUintN(64, total);
}

function masmLiteral(term: string): bigint | null {
  if (/^0n\d+$/i.test(term)) return BigInt(term.slice(2));
  if (!MASM_TERM.test(term)) return null;
  return readHexValue(term);
}

function cppLiteral(term: string): bigint | null {
  if (CPP_HEX.test(term)) return BigInt(term);
  // A leading 0 is octal in C++: not a spelling of an address anyone writes, so not read.
  if (/^(?:0|[1-9]\d*)$/.test(term)) return BigInt(term);
  return null;
}

/**
 * Gathers what is wrong with each line so that a line is skipped once, with every reason: the engine counts one
 * skip call as one skipped line.
 */
export class LineProblems {
  private readonly reasons = new Map<SourceLine, string[]>();

  add(line: SourceLine, reason: string): void {
    const list = this.reasons.get(line);
    if (list) list.push(reason);
    else this.reasons.set(line, [reason]);
  }

  has(line: SourceLine): boolean {
    return this.reasons.has(line);
  }

  /** Skips every line that has a problem, in line order. */
  flush(context: BlockContext): void {
    const lines = [...this.reasons.keys()].sort((a, b) => a.line - b.line);
    for (const line of lines) context.skip(line, this.reasons.get(line)!.join('; '));
    this.reasons.clear();
  }
}
