/**
 * Stack frame rows as WinDbg prints them, for every shape that carries a stack (STACK_TEXT, k*, !thread, x86
 * ChildEBP stacks). The row parser knows nothing of blocks: give it one line (and the column layout when a header
 * said it) and it hands back the fields, or null when the line is not a frame row.
 *
 * Row forms (FORMATS.md section 3):
 *   colon form   [nn] [<Child-SP>] <RetAddr> : <args...> : <call site>      STACK_TEXT, kb/kv/kp x64, !thread
 *   plain form   [nn] <Child-SP> <RetAddr> [<up to 4 args>] <call site>     k/kn x64, k/kb/kv x86
 *   call site    [nn] <call site>                                           kc
 * where Child-SP may be `(Inline Function)` and RetAddr/args `--------`--------` on inline frames.
 */
import type { Frame } from '../../src/records/index.js';
import { HEX_UPPER, ZERO64, word64, word64End } from './hex.js';

/** What a stack header (` # Child-SP  RetAddr  : Args to Child : Call Site`) says about the rows under it. */
export interface StackLayout {
  /** Rows start with a hex frame number. */
  readonly numbered: boolean;
  /** Rows have a Child-SP / ChildEBP column. */
  readonly childSp: boolean;
  /** Rows carry only the call site (kc). */
  readonly callSiteOnly: boolean;
  /**
   * `kf`: a Memory column (the frame's size, blank on the first row) stands between the number and Child-SP; this is
   * where the header puts Child-SP, which the rows line up under. Null without the column.
   */
  readonly childSpAt: number | null;
}

/**
 * One row, read. Addresses are already in the record convention ("0x" + 16 upper-case hex digits, an 8-digit x86
 * value zero-extended): rows are the bulk of a large log, and strings avoid a BigInt round trip per word.
 */
export interface FrameFields {
  readonly index: number | null;
  readonly childSp: string | null;
  readonly returnAddress: string | null;
  readonly args: string[];
  /** The call site as printed, without a trailing `[src @ line]` or `(TrapFrame @ ...)`. */
  readonly symbol: string;
  readonly inline: boolean;
  /** `d:\src\x.c @ 123`, from a trailing `[d:\src\x.c @ 123]`. */
  readonly source: string | null;
  /** Trailing parenthesised notes such as `TrapFrame @ ffffb386`ac2edb00` or `FPO: [Non-Fpo]`, joined by a space. */
  readonly annotation: string | null;
}

export interface CallSite {
  readonly module: string | null;
  readonly function: string | null;
  /** "0x" + lower-case hex digits, whether printed `+0x1a3` or `+1a3`. */
  readonly offset: string | null;
  /** A Driver Verifier frame (nt!IovCallDriver, nt!Vi*, nt!Vf*, VerifierExt!*, Wdf01000!FxVerifier*...). */
  readonly verifier: boolean;
}

const ADDRESS = '[0-9a-fA-F]{8}(?:`?[0-9a-fA-F]{8})?';
const DASHES = '-{8}(?:`?-{8})?';
const NUMBER = '(?:([0-9a-fA-F]{2,4})\\s+)?';
/** x64 prints an inline frame's Child-SP as `(Inline Function)`, x86 `kn` as `(Inline)`. */
const CHILD_SP = `(${ADDRESS}|\\(Inline(?: Function)?\\))`;

/** Colon form. A single address before the first colon is the return address (kb without Child-SP). */
const COLON_ROW = new RegExp(`^\\s*${NUMBER}(?:${CHILD_SP}\\s+)?(${ADDRESS}|${DASHES})\\s*:\\s*((?:(?:${ADDRESS}|${DASHES})\\s+)*):\\s+(\\S[\\s\\S]*)$`);
/** The colon form as STACK_TEXT prints it almost always (two 64-bit addresses, four arguments): one match, no split. */
const WORD64 = '[0-9a-fA-F]{8}`?[0-9a-fA-F]{8}';
const STACK_TEXT_ROW = new RegExp(`^\\s*(${WORD64})\\s+(${WORD64})\\s*:\\s*(${WORD64})\\s+(${WORD64})\\s+(${WORD64})\\s+(${WORD64})\\s*:\\s+(\\S[\\s\\S]*)$`);
/** Plain form: two addresses, then up to four argument words, then the call site. */
const PLAIN_ROW = new RegExp(`^\\s*${NUMBER}${CHILD_SP}\\s+(${ADDRESS}|${DASHES})\\s+((?:${ADDRESS}\\s+){0,4})(\\S[\\s\\S]*)$`);
/** x86 `ChildEBP RetAddr Arg1 Arg2 Arg3 symbol`: five 8-digit words, matched one by one (no split per row). */
const X86_ROW = /^\s*([0-9a-fA-F]{8})\s+([0-9a-fA-F]{8})\s+([0-9a-fA-F]{8})\s+([0-9a-fA-F]{8})\s+([0-9a-fA-F]{8})\s+(\S[\s\S]*)$/;
const CALL_SITE_ROW = /^\s*(?:([0-9a-fA-F]{2,4})\s+)?(\S[\s\S]*)$/;
const CALL_SITE_LIKE = /^[^\s!]+!|^[^\s+]+\+(?:0x)?[0-9a-fA-F]+\b|^0x[0-9a-fA-F`]+$/;

const SOURCE_TAIL = /\s+\[([^[\]]+ @ \d+)\]$/;
/** `(TrapFrame @ x)`, `(FPO: [...])`, `(CONV: stdcall)`: a capitalised word then ` @ ` or `: `. */
const ANNOTATION_TAIL = /\s+\(([A-Z][A-Za-z]*(?: [A-Za-z]+)*(?: @ |: )[^()]*)\)$/;
/** A call site that is only hex words: a memory dump line (dd/dq), not a frame. */
const ONLY_HEX = /^[0-9a-fA-F`]+(?:\s+[0-9a-fA-F`]+)*$/;

/** A stack header line, or null. */
export function parseStackHeader(text: string): StackLayout | null {
  const callSite = text.indexOf('Call Site');
  const ret = text.indexOf('RetAddr');
  if (callSite === -1 && ret === -1) return null;
  if (!/^\s*(?:#\s+)?(?:Memory\s+)?(?:Child-SP|ChildEBP|RetAddr|Call Site)\b/.test(text)) return null;
  const numbered = /^\s*#/.test(text);
  const childSpAt = Math.max(text.indexOf('Child-SP'), text.indexOf('ChildEBP'));
  const childSp = childSpAt !== -1;
  return { numbered, childSp, callSiteOnly: ret === -1 && !childSp, childSpAt: childSp && /^\s*(?:#\s+)?Memory\s/.test(text) ? childSpAt : null };
}

function splitTail(rest: string): { symbol: string; source: string | null; annotation: string | null } {
  let symbol = rest.trimEnd();
  let source: string | null = null;
  const src = symbol.charCodeAt(symbol.length - 1) === 0x5d /* ] */ ? SOURCE_TAIL.exec(symbol) : null;
  if (src) {
    source = src[1]!;
    symbol = symbol.slice(0, src.index);
  }
  let annotation: string | null = null;
  for (let note = symbol.charCodeAt(symbol.length - 1) === 0x29 /* ) */ ? ANNOTATION_TAIL.exec(symbol) : null; note; note = ANNOTATION_TAIL.exec(symbol)) {
    annotation = annotation === null ? note[1]! : `${note[1]!} ${annotation}`;
    symbol = symbol.slice(0, note.index);
  }
  return { symbol, source, annotation };
}

const ZEROS = '0000000000000000';
const BLANKS = /\s+/;

/** A word the row regexes already matched as 8 or 16 hex digits (backtick optional) -> "0x" + 16 upper-case digits. */
function hexWord(word: string): string {
  const n = word.length;
  if (n === 16 || n === 17) {
    const value = word64(word, 0);
    if (value !== null && word64End() === n) return value;
  }
  // 8 digits (x86), or what a \s the split did not cut left in one word (which the schema then rejects).
  if (word === '00000000`00000000' || word === '0000000000000000' || word === '00000000') return ZERO64;
  const digits = n === 17 ? word.slice(0, 8) + word.slice(9) : word;
  return `0x${ZEROS.slice(digits.length)}${digits.toUpperCase()}`;
}

function isBlankCode(c: number): boolean {
  return c === 0x20 || c === 0x09;
}

/**
 * STACK_TEXT_ROW without the regex, for rows whose blanks are spaces and TABs only:
 *   [blanks] W64 blanks W64 [blanks] ':' [blanks] W64 blanks W64 blanks W64 blanks W64 [blanks] ':' blanks rest
 * Null when the row is not exactly that (the regexes then decide, so the result is always theirs).
 */
function stackTextRowFast(text: string): FrameFields | null {
  const n = text.length;
  let i = 0;
  while (i < n && isBlankCode(text.charCodeAt(i))) i++;
  const sp = word64(text, i);
  if (sp === null) return null;
  i = word64End();
  if (!isBlankCode(text.charCodeAt(i))) return null;
  while (isBlankCode(text.charCodeAt(i))) i++;
  const ret = word64(text, i);
  if (ret === null) return null;
  i = word64End();
  while (isBlankCode(text.charCodeAt(i))) i++;
  if (text.charCodeAt(i) !== 0x3a /* : */) return null;
  i++;
  while (isBlankCode(text.charCodeAt(i))) i++;
  const a0 = word64(text, i);
  if (a0 === null) return null;
  i = word64End();
  if (!isBlankCode(text.charCodeAt(i))) return null;
  while (isBlankCode(text.charCodeAt(i))) i++;
  const a1 = word64(text, i);
  if (a1 === null) return null;
  i = word64End();
  if (!isBlankCode(text.charCodeAt(i))) return null;
  while (isBlankCode(text.charCodeAt(i))) i++;
  const a2 = word64(text, i);
  if (a2 === null) return null;
  i = word64End();
  if (!isBlankCode(text.charCodeAt(i))) return null;
  while (isBlankCode(text.charCodeAt(i))) i++;
  const a3 = word64(text, i);
  if (a3 === null) return null;
  i = word64End();
  while (isBlankCode(text.charCodeAt(i))) i++;
  if (text.charCodeAt(i) !== 0x3a /* : */) return null;
  i++;
  if (!isBlankCode(text.charCodeAt(i))) return null;
  while (isBlankCode(text.charCodeAt(i))) i++;
  // The call site starts at a character that is no blank of any kind (the regex's \S); the rest is the call site.
  const c = text.charCodeAt(i);
  if (i >= n || c <= 0x20 || c >= 0x7f) return null;
  return fields(undefined, sp, ret, [a0, a1, a2, a3], text.slice(i), true);
}

function words(text: string): string[] {
  const out: string[] = [];
  for (const word of text.split(text.indexOf('\t') === -1 ? ' ' : BLANKS)) {
    if (word !== '' && word.charCodeAt(0) !== 0x2d /* - */) out.push(hexWord(word)); // `--------`--------` on inline frames carries no value
  }
  return out;
}

function address(text: string | undefined): string | null {
  return text === undefined || text.charCodeAt(0) === 0x28 /* ( */ || text.charCodeAt(0) === 0x2d /* - */ ? null : hexWord(text);
}

/**
 * The row's fields. `sp` and `ret` are the printed columns, or (`converted`) the record's values already (a fast
 * path's, never inline).
 */
function fields(index: string | undefined, sp: string | undefined, ret: string | undefined, args: string[], rest: string, converted = false): FrameFields | null {
  const tail = splitTail(rest);
  // A call site that is only hex words is a memory dump line (dd/dq). Real ones name a module (`!`, `+`).
  if (tail.symbol === '' || (tail.symbol.indexOf('!') === -1 && tail.symbol.indexOf('+') === -1 && ONLY_HEX.test(tail.symbol))) return null;
  return {
    index: index === undefined ? null : parseInt(index, 16),
    childSp: converted ? sp! : address(sp),
    returnAddress: converted ? ret! : address(ret),
    args,
    symbol: tail.symbol,
    inline: !converted && sp !== undefined && sp.charCodeAt(0) === 0x28,
    source: tail.source,
    annotation: tail.annotation,
  };
}

function colonRow(text: string): FrameFields | null {
  if (text.indexOf(':') === -1) return null;
  const fast = stackTextRowFast(text);
  if (fast) return fast;
  const s = STACK_TEXT_ROW.exec(text);
  if (s) return fields(undefined, s[1], s[2], [hexWord(s[3]!), hexWord(s[4]!), hexWord(s[5]!), hexWord(s[6]!)], s[7]!);
  const m = COLON_ROW.exec(text);
  return m ? fields(m[1], m[2], m[3], words(m[4]!), m[5]!) : null;
}

function x86Row(text: string): FrameFields | null {
  const m = X86_ROW.exec(text);
  return m ? fields(undefined, m[1], m[2], [hexWord(m[3]!), hexWord(m[4]!), hexWord(m[5]!)], m[6]!) : null;
}

/**
 * Reads one frame row. Without a layout every form with addresses is tried; with a kc layout (`# Call Site`)
 * a row is a frame number and a call site. Returns null for anything else (dd/dq dump lines included).
 */
export function parseFrameRow(text: string, layout?: StackLayout): FrameFields | null {
  if (layout?.callSiteOnly) {
    const m = CALL_SITE_ROW.exec(text);
    // A kc call site names a module (`nt!X`, `kbase+0x10`) or is a raw address; anything else is not a row.
    if (!m || (layout.numbered && m[1] === undefined) || !CALL_SITE_LIKE.test(m[2]!)) return null;
    return fields(m[1], undefined, undefined, [], m[2]!);
  }
  if (layout?.childSpAt != null) {
    const row = withoutMemory(text, layout.childSpAt);
    if (row === null) return null;
    text = row;
  }
  const colon = colonRow(text);
  if (colon) return colon;
  const plain = PLAIN_ROW.exec(text);
  return plain ? fields(plain[1], plain[2], plain[3], plain[4] === '' ? [] : words(plain[4]!), plain[5]!) : null;
}

/** A kf number and Memory column, what stands before Child-SP in its rows. */
const NUMBER_AND_MEMORY = /^(\s*[0-9a-fA-F]{2,4})\s+(?:[0-9a-fA-F]{1,8}\s+)?$/;

/**
 * A `kf` row without its Memory column: the frame number, then what stands from the header's Child-SP on. Null
 * when the row does not line up under its header (the Memory cell is a hex number or blank, Child-SP starts there).
 */
function withoutMemory(text: string, childSpAt: number): string | null {
  if (childSpAt >= text.length || isBlankCode(text.charCodeAt(childSpAt))) return null;
  const m = NUMBER_AND_MEMORY.exec(text.slice(0, childSpAt));
  return m ? `${m[1]!} ${text.slice(childSpAt)}` : null;
}

/** A row in the colon form only (`<Child-SP> <RetAddr> : <args> : <call site>`), as STACK_TEXT prints them. */
export function parseStackTextRow(text: string): FrameFields | null {
  const row = colonRow(text);
  return row && CALL_SITE_LIKE.test(row.symbol) ? row : null;
}

/**
 * A row that can stand without a header: the STACK_TEXT colon form, or the x86 `ChildEBP RetAddr Arg1 Arg2 Arg3
 * symbol` form with five 8-digit words. (Two addresses and a symbol alone could be `dps` output, so they need one.)
 */
export function parseHeaderlessRow(text: string): FrameFields | null {
  // Without a header the call site must look like one (`dc` output has five words and ASCII after them).
  const row = colonRow(text) ?? x86Row(text);
  return row && CALL_SITE_LIKE.test(row.symbol) ? row : null;
}

const RAW_ADDRESS = /^0x[0-9a-fA-F`]+$/;
/** kp prints `nt!IopfCompleteRequest(struct _IRP * Irp = 0x..., char PriorityBoost = 0n0)`: the name is before the list. */
const PARAMETER_LIST = /^([^\s(]+)\(.*\)$/;
const KERNEL_MODULES = new Set(['nt', 'ntkrnlmp', 'ntoskrnl', 'ntkrnlpa', 'ntkrpamp']);

/**
 * The offset tail `\+(?:0x)?([0-9a-fA-F]+)$` without a regex: where the digits of a `+0x1a3` / `+1a3` tail start,
 * or -1. Only the last `+` can start one (the digits run to the end and contain no `+`); `0x` is taken when digits
 * follow it.
 */
function offsetDigits(symbol: string): number {
  const n = symbol.length;
  const plus = symbol.lastIndexOf('+');
  if (plus < 0) return -1;
  let d = plus + 1;
  if (symbol.charCodeAt(d) === 0x30 && symbol.charCodeAt(d + 1) === 0x78 /* x */) d += 2;
  if (d >= n) return -1;
  for (let i = d; i < n; i++) if (HEX_UPPER[symbol.charCodeAt(i)] === 0) return -1;
  return d;
}

/** Whether a module!function is Driver Verifier machinery rather than the driver under test. */
export function isVerifierCallSite(module: string | null, fn: string | null): boolean {
  if (module === null) return false;
  const m = module.toLowerCase();
  if (m === 'verifierext') return true;
  if (fn === null) return false;
  if (KERNEL_MODULES.has(m)) return /^(?:Iov|Vi[A-Z_]|Vf[A-Za-z_]|Verifier)/.test(fn);
  if (m === 'wdf01000') return fn.startsWith('FxVerifier') || /^Vf[A-Z_]/.test(fn);
  return false;
}

/** Splits a call site into module, function and offset. ``nt! ?? ::FNODOBFM::`string'+0x4bd58`` keeps its quotes. */
export function parseCallSite(symbol: string): CallSite {
  if (symbol.charCodeAt(1) === 0x78 /* x */ && RAW_ADDRESS.test(symbol)) return { module: null, function: null, offset: null, verifier: false };
  let rest = symbol;
  let offset: string | null = null;
  const digits = offsetDigits(symbol);
  if (digits > 0) {
    offset = `0x${symbol.slice(digits).toLowerCase()}`;
    rest = symbol.slice(0, symbol.lastIndexOf('+'));
  }
  const bang = rest.indexOf('!');
  if (bang <= 0) return { module: rest === '' ? null : rest, function: null, offset, verifier: false };
  const module = rest.slice(0, bang);
  let fn: string | null = rest.slice(bang + 1).trim();
  const params = fn.charCodeAt(fn.length - 1) === 0x29 /* ) */ ? PARAMETER_LIST.exec(fn) : null;
  if (params && !fn.startsWith('?') && !params[1]!.endsWith('operator')) fn = params[1]!;
  if (fn === '') fn = null;
  return { module, function: fn, offset, verifier: isVerifierCallSite(module, fn) };
}

/** The Frame record for a row read by parseFrameRow. */
export function frameRecord(row: FrameFields, line: number, incident: number | null): Frame {
  const site = parseCallSite(row.symbol);
  return {
    type: 'frame',
    line,
    incident,
    index: row.index,
    childSp: row.childSp,
    returnAddress: row.returnAddress,
    args: row.args,
    symbol: row.symbol,
    module: site.module,
    function: site.function,
    offset: site.offset,
    inline: row.inline,
    source: row.source,
    annotation: row.annotation,
    verifier: site.verifier,
  };
}
