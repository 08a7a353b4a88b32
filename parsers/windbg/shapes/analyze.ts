/**
 * `!analyze -v` (and the short `!analyze`), FORMATS.md section 1. One block runs from the banner (or whatever part
 * of the output a paste starts with: the title, `Arguments:`, `Debugging Details:`, a Debugging Details key) to
 * `Followup:` and its dash line, and emits one Bugcheck record when it closes. STACK_TEXT rows become Frame records
 * as they come, so a long stack is never held.
 *
 *   banner   5 decoration lines (`*` rows, or what markdown made of them: `---`, `***`, `* * *`) around
 *            "Bugcheck Analysis"
 *   head     `NAME (code)` or `Unknown bugcheck code (0)`, then the description prose
 *   args     `Arguments:`, `ArgN: value, text` with TAB- or space-indented continuation lines
 *   details  `Debugging Details:` (also `## Debugging Details:`, dash line optional), then `KEY: value` lines,
 *            KEY_VALUES_STRING `Key`/`Value` pairs, multi-line values, STACK_TEXT rows
 *   tail     after `Followup:`: its dash line, blank lines, a `Probably caused by` line
 *
 * Where the record's fields come from is written at `close()`.
 */
import type { Block, BlockContext, PushVerdict, Shape } from '../engine.js';
import type { SourceLine } from '../../../src/text/index.js';
import { readHex, type Bugcheck } from '../../../src/records/index.js';
import { bugcheckRecord } from '../../decoded.js';
import { frameRecord, parseFrameRow, parseStackTextRow } from '../frames.js';
import { HEX_UPPER } from '../hex.js';
import { isNoise } from '../noise.js';
import { claimIncident, noteCrash, sessionBuild } from './announce-incident.js';
import { BUGCHECK_SUMMARY, FOLLOWUP, PROBABLY_CAUSED_BY, readArgs } from './announce.js';

type Phase = 'banner' | 'head' | 'args' | 'details' | 'tail';

/** Star rows, the `*   *` lines, and markdown's renderings of them (rules `---` `***` `___`, list items `* * *`). */
const DECORATION = /^\s*(?:\*[\s*]*|[-_](?:\s*[-_]){2,}\s*)$/;
const MARKDOWN_RULE = /^(?:[-_] ?){3,5}\s*$/;
const BANNER_TEXT = 'Bugcheck Analysis';
const TITLE = /^([A-Z][A-Z0-9_]*) \(([0-9a-fA-F]{1,8})\)\s*$/;
const UNKNOWN_TITLE = /^Unknown bugcheck code \(([0-9a-fA-F]{1,8})\)\s*$/;
const ARGUMENTS = /^\s*Arguments:\s*$/;
const ARG = /^\s*Arg([1-4]):\s+((?:0x)?[0-9a-fA-F`]+)(?:\s*,\s*.*|\s*)$/;
const DEBUGGING_DETAILS = /^\s*(?:#{1,6}\s*)?Debugging Details:?\s*$/;
/** KEY_VALUES_STRING pairs: `    Key  : Analysis.CPU.mSec` / `    Value: 2030`. */
const PAIR = /^\s*(Key|Value)\s*:\s?(.*?)\s*$/;
/** Keys that state the bugcheck code (new WinDbg), in the order they are trusted. */
const CODE_VALUE_KEYS = ['BUGCHECK_CODE', 'Bugcheck.Code.LegacyAPI', 'Bugcheck.Code.KiBugCheckData'];
const BUCKET_CODE = /^0x([0-9a-fA-F]{1,8})(?:_|$)/;

/**
 * Keys a paste can start with (an excerpt that begins inside Debugging Details). Any KEY_WITH_UNDERSCORE counts;
 * these few have none.
 */
const BARE_KEYS = new Set(['BLACKBOXBSD', 'BLACKBOXNTFS', 'BLACKBOXPNP', 'BLACKBOXWINLOGON', 'CONTEXT', 'OSNAME', 'OSBUILD', 'OSPLATFORM_TYPE']);
/** Keys whose value goes on over unindented lines: !locks output, `.exr`/`.cxr` displays, debugger read errors. */
const FREE_VALUE_KEYS = new Set([
  'WRITE_ADDRESS', 'READ_ADDRESS', 'POOL_ADDRESS', 'LOCK_ADDRESS', 'FAULTING_IP', 'FOLLOWUP_IP', 'EXCEPTION_RECORD',
  'CONTEXT', 'TRAP_FRAME', 'VERIFIER_DRIVER_ENTRY', 'ADDITIONAL_DEBUG_TEXT', 'BUGCHECK_DESC', 'DPC_STACK_BASE',
]);
/** Keys whose continuation is the instruction at an address (label + disassembly): data, not register noise. */
const CODE_KEYS = new Set(['FAULTING_IP', 'FOLLOWUP_IP']);
/** Keys whose rows are stack frames. */
const STACK_KEYS = new Set(['STACK_TEXT', 'DPC_STACK', 'LAST_CHANCE_STACK']);

/** Bounds on what one analyze keeps: values past these are skipped with a reason, not stored. */
const MAX_KEYS = 2000;
const MAX_VALUE_LINES = 500;
const MAX_DESCRIPTION_LINES = 30;
const MAX_ARG_CONTINUATION = 12;

/** The first non-blank character's code, or -1 for a blank line. */
function firstChar(text: string): number {
  const n = text.length;
  if (n === 0) return -1;
  const c = text.charCodeAt(0);
  if (c !== 0x20 && c !== 0x09) return c;
  // Past a leading space or TAB, every \s character is skipped (this was text.search(/\S/), per indented line).
  for (let i = 1; i < n; i++) {
    const d = text.charCodeAt(i);
    if (!isJsWhiteSpace(d)) return d;
  }
  return -1;
}

/** What \s matches: ECMAScript WhiteSpace and LineTerminator (TAB, LF, VT, FF, CR, space, NBSP, Zs, LS, PS, BOM). */
function isJsWhiteSpace(c: number): boolean {
  if (c < 0x80) return c === 0x20 || (c >= 0x09 && c <= 0x0d);
  return c === 0xa0 || c === 0x1680 || (c >= 0x2000 && c <= 0x200a) || c === 0x2028 || c === 0x2029 || c === 0x202f || c === 0x205f || c === 0x3000 || c === 0xfeff;
}

function isIndented(text: string): boolean {
  const c = text.charCodeAt(0);
  return c === 0x20 || c === 0x09;
}

function isBannerText(text: string): boolean {
  return text.indexOf(BANNER_TEXT) !== -1;
}

/** Words that look like keys but start noise lines (`SYMSRV:  BYINDEX`, `NOTE: The trap frame...`). */
const NOISE_WORDS = new Set(['SYMSRV', 'DBGHELP', 'DBGENG', 'NOTE', 'TRIAGER', 'WARNING']);

/** A key line read: the key, and the value (trimmed of spaces and TABs; undefined when nothing follows the colon). */
interface KeyLine {
  readonly key: string;
  readonly value: string | undefined;
}

/** What `.` does not match. */
const LINE_TERMINATOR = /[\n\r\u2028\u2029]/;

function isUpperOrDigit(c: number): boolean {
  return (c >= 0x41 && c <= 0x5a) || (c >= 0x30 && c <= 0x39);
}

function isAlnum(c: number): boolean {
  return isUpperOrDigit(c) || (c >= 0x61 && c <= 0x7a);
}

function isSpaceOrTab(c: number): boolean {
  return c === 0x20 || c === 0x09;
}

/**
 * A Debugging Details key at column 0: `DUMP_CLASS: 1`, `STACK_TEXT:  `, `PNP_TRIAGE_DATA: `, `TAG_NOT_DEFINED_202b: `.
 * This is /^([A-Z][A-Z0-9]*(?:_[A-Za-z0-9]+)*):(?:[ \t]+(.*?))?[ \t]*$/ read without the regex (it runs on every
 * capitalised line of an analysis): the key is everything before the first colon and must be
 * [A-Z][A-Z0-9]*(?:_[A-Za-z0-9]+)*; after the colon, nothing, or spaces/TABs and then a value that `.` can match
 * (no line terminator), whose trailing spaces/TABs are dropped. The caller has checked the first character.
 */
function matchKey(text: string): KeyLine | null {
  const n = text.length;
  let i = 1;
  while (i < n && isUpperOrDigit(text.charCodeAt(i))) i++;
  while (i < n && text.charCodeAt(i) === 0x5f /* _ */) {
    const start = ++i;
    while (i < n && isAlnum(text.charCodeAt(i))) i++;
    if (i === start) return null;
  }
  if (i >= n || text.charCodeAt(i) !== 0x3a /* : */) return null;
  const key = text.slice(0, i);
  i++;
  if (i === n) return { key, value: undefined };
  if (!isSpaceOrTab(text.charCodeAt(i))) return null;
  while (i < n && isSpaceOrTab(text.charCodeAt(i))) i++;
  let end = n;
  while (end > i && isSpaceOrTab(text.charCodeAt(end - 1))) end--;
  const value = text.slice(i, end);
  return LINE_TERMINATOR.test(value) ? null : { key, value };
}

/** An all-caps key line at column 0, or null (noise lines that look like keys included). */
function readKey(text: string): KeyLine | null {
  const c = text.charCodeAt(0);
  if (c < 0x41 || c > 0x5a) return null;
  const m = matchKey(text);
  // The noise words are at most 7 characters long: longer keys (most of them) skip the set look-up.
  return m && !(m.key.length <= 7 && NOISE_WORDS.has(m.key) && isNoise(text)) ? m : null;
}

class AnalyzeBlock implements Block {
  private phase: Phase;
  private bannerSeen = false;
  /** Lines of decoration taken before the banner text: a lone rule that was no banner leaves early. */
  private bannerLines = 0;
  private line: number;
  private name: string | null = null;
  private titleCode: number | null = null;
  private unknownTitle = false;
  private descriptionLines = 0;
  private readonly args: (bigint | null)[] = [null, null, null, null];
  private argSeen = false;
  private argContinuation = 0;
  private summaryCode: number | null = null;
  private summaryArgs: (bigint | null)[] | null = null;
  private probablyCausedBy: string | null = null;
  /** Debugging Details keys and KEY_VALUES pairs in printed order; multi-line values as their lines. */
  private readonly values = new Map<string, string[]>();
  private key: string | null = null;
  private pairKey: string | null = null;
  /** Inside a SYMSRV/DBGHELP block: its indented path lines are noise too. */
  private chatter = false;
  private incident: number | null = null;

  constructor(private readonly context: BlockContext, opening: SourceLine, phase: Phase) {
    this.phase = phase;
    this.line = opening.line;
  }

  // -- opening ---------------------------------------------------------------------------------------------------

  /** Feeds the opening line through the same rules as any other; returns false if it was not ours after all. */
  start(line: SourceLine): boolean {
    return this.push(line) === 'take';
  }

  /** A paste that starts inside STACK_TEXT: the rows are the analysis' stack, its keys may follow. */
  startInStack(line: SourceLine): boolean {
    this.key = 'STACK_TEXT';
    return this.detail(line, line.text) === 'take';
  }

  // -- lines -----------------------------------------------------------------------------------------------------

  push(line: SourceLine): PushVerdict {
    const text = line.text;
    const c = firstChar(text);
    if (c === -1) {
      this.context.noise(line);
      return 'take';
    }
    if (this.phase === 'banner') {
      const verdict = this.banner(line, text);
      if (verdict !== null) return verdict;
    }
    if (c === 0x2a /* * */ || c === 0x2d /* - */ || c === 0x5f /* _ */) {
      if (DECORATION.test(text)) {
        // A star row after the banner is the next analysis; dash lines (under Debugging Details, after Followup)
        // are separators.
        if (c === 0x2a) return 'leave';
        this.context.noise(line);
        return 'take';
      }
    }
    if ((c === 0x2a || c === 0x42 || c === 0x23) && isBannerText(text)) return 'leave';
    if (this.phase === 'tail') return this.tail(line, text);
    const structural = this.structure(line, text, c);
    if (structural !== null) return structural;
    switch (this.phase) {
      case 'head':
        return this.description(line, text);
      case 'args':
        return this.argContinuationLine(line, text);
      case 'details':
        return this.detail(line, text);
      default:
        return 'leave';
    }
  }

  /** The five banner lines. Null: not decoration, go on with the other rules. */
  private banner(line: SourceLine, text: string): PushVerdict | null {
    if (isBannerText(text)) {
      if (this.bannerSeen) return 'leave';
      this.bannerSeen = true;
      this.context.noise(line);
      return 'take';
    }
    if (DECORATION.test(text)) {
      if (!this.bannerSeen && ++this.bannerLines > 6) return 'leave';
      this.context.noise(line);
      return 'take';
    }
    this.phase = 'head';
    if (this.bannerSeen) return null;
    // Decoration without the banner text: only go on if the analyze itself follows (markdown ate the middle line).
    return TITLE.test(text) || UNKNOWN_TITLE.test(text) || ARGUMENTS.test(text) || ARG.test(text) || DEBUGGING_DETAILS.test(text) ? null : 'leave';
  }

  /** Lines that mean the same in every phase before the tail: title, arguments, section heads, summary lines, keys. */
  private structure(line: SourceLine, text: string, c: number): PushVerdict | null {
    const before = this.phase === 'head' || this.phase === 'args';
    let m: RegExpExecArray | null;
    if (c === 0x41 /* A */) {
      if (ARGUMENTS.test(text)) {
        if (!before || this.argSeen) return 'leave';
        this.phase = 'args';
        return 'take';
      }
      if ((m = ARG.exec(text))) {
        const i = Number(m[1]) - 1;
        if (!before || this.args[i] !== null) return 'leave';
        this.args[i] = argValue(m[2]!);
        this.argSeen = true;
        this.argContinuation = 0;
        this.phase = 'args';
        return 'take';
      }
    }
    if ((c === 0x44 /* D */ || c === 0x23) /* # */ && DEBUGGING_DETAILS.test(text)) {
      if (!before) return 'leave';
      this.phase = 'details';
      this.key = null;
      return 'take';
    }
    if (isUpper(c) && mayEndWithParen(text) && text.indexOf(' (') !== -1) {
      // TITLE has two groups (name, code); UNKNOWN_TITLE only the code.
      const title = TITLE.exec(text) ?? UNKNOWN_TITLE.exec(text);
      if (title) {
        if (this.phase !== 'head' || this.name !== null || this.titleCode !== null || this.argSeen) return 'leave';
        if (title.length === 3) this.name = title[1]!;
        else this.unknownTitle = true;
        this.titleCode = parseInt(title[title.length - 1]!, 16);
        this.line = line.line;
        return 'take';
      }
    }
    if (c === 0x42 /* B */ && (m = BUGCHECK_SUMMARY.exec(text))) {
      if (this.summaryCode !== null) return 'leave';
      this.summaryCode = parseInt(m[1]!, 16);
      this.summaryArgs = readArgs(m[2]!);
      return 'take';
    }
    if (c === 0x50 /* P */ && (m = PROBABLY_CAUSED_BY.exec(text))) {
      if (this.probablyCausedBy !== null) return 'leave';
      this.probablyCausedBy = m[1]!;
      return 'take';
    }
    if (c === 0x46 /* F */ && (m = FOLLOWUP.exec(text))) {
      this.store('Followup', m[1]!, line);
      this.phase = 'tail';
      return 'take';
    }
    const key = readKey(text);
    if (key) {
      this.phase = 'details';
      this.startKey(key.key, key.value ?? '', line);
      return 'take';
    }
    return null;
  }

  /** The description under the title: prose, not kept (the record decodes the code and arguments instead). */
  private description(line: SourceLine, text: string): PushVerdict {
    if (isNoise(text)) {
      this.context.noise(line);
      return 'take';
    }
    if ((this.name === null && this.titleCode === null) || ++this.descriptionLines > MAX_DESCRIPTION_LINES) return 'leave';
    return 'take';
  }

  /**
   * The rest of an Arg's description, TAB-indented (spaces after markdown): not kept, like the description. An
   * unindented line after the arguments is something else (a stack, the user's words).
   */
  private argContinuationLine(line: SourceLine, text: string): PushVerdict {
    if (isNoise(text)) {
      this.context.noise(line);
      return 'take';
    }
    return !isIndented(text) || ++this.argContinuation > MAX_ARG_CONTINUATION ? 'leave' : 'take';
  }

  private tail(line: SourceLine, text: string): PushVerdict {
    const m = PROBABLY_CAUSED_BY.exec(text);
    if (m && this.probablyCausedBy === null) {
      this.probablyCausedBy = m[1]!;
      return 'take';
    }
    if (!m && isNoise(text)) {
      this.context.noise(line);
      return 'take';
    }
    return 'leave';
  }

  // -- Debugging Details -------------------------------------------------------------------------------------------

  private startKey(key: string, value: string, line: SourceLine): void {
    this.key = key;
    this.pairKey = null;
    this.chatter = false;
    if (STACK_KEYS.has(key)) return; // its rows become Frame records
    this.store(key, value, line);
  }

  private store(key: string, value: string, line: SourceLine): void {
    const lines = this.values.get(key);
    if (lines) {
      if (value !== '') this.append(lines, value, line);
      return;
    }
    if (this.values.size >= MAX_KEYS) {
      this.context.skip(line, `more than ${MAX_KEYS} Debugging Details keys in one analysis: not kept`);
      return;
    }
    this.values.set(key, value === '' ? [] : [value]);
  }

  private append(lines: string[], value: string, line: SourceLine): void {
    if (lines.length >= MAX_VALUE_LINES) this.context.skip(line, `value longer than ${MAX_VALUE_LINES} lines: not kept`);
    else lines.push(value);
  }

  private detail(line: SourceLine, text: string): PushVerdict {
    const key = this.key;
    if (key !== null && STACK_KEYS.has(key)) {
      const row = parseFrameRow(text);
      if (row) {
        this.context.emit(frameRecord(row, line.line, this.claim()));
        return 'take';
      }
    }
    if (key === 'KEY_VALUES_STRING') {
      const pair = PAIR.exec(text);
      if (pair) {
        if (pair[1] === 'Key') this.pairKey = pair[2]!;
        else if (this.pairKey !== null) {
          this.store(this.pairKey, pair[2]!, line);
          this.pairKey = null;
        } else this.context.skip(line, 'a KEY_VALUES_STRING Value without its Key');
        return 'take';
      }
    }
    const indented = isIndented(text);
    if (this.chatter && indented) {
      this.context.noise(line); // the path lines under a SYMSRV/DBGHELP line
      return 'take';
    }
    this.chatter = false;
    if (key === null) {
      if (isNoise(text)) return this.noiseLine(line, text);
      return 'leave';
    }
    const code = CODE_KEYS.has(key);
    if (!code && isNoise(text)) return this.noiseLine(line, text);
    if (STACK_KEYS.has(key)) {
      // Not a row and not noise: a stack row we cannot read is kept in the skipped list; anything else ends it.
      if (indented || /^[0-9a-fA-F(]/.test(text)) {
        this.context.skip(line, 'a STACK_TEXT row that could not be read');
        return 'take';
      }
      return 'leave';
    }
    if (indented || code || FREE_VALUE_KEYS.has(key)) {
      const lines = this.values.get(key);
      if (lines) this.append(lines, text.trim(), line);
      return 'take';
    }
    return 'leave';
  }

  private noiseLine(line: SourceLine, text: string): PushVerdict {
    const c = text.charCodeAt(0);
    if ((c === 0x53 && text.startsWith('SYMSRV:')) || (c === 0x44 && text.startsWith('DBGHELP:'))) this.chatter = true;
    this.context.noise(line);
    return 'take';
  }

  // -- the record ------------------------------------------------------------------------------------------------

  /** The best code and arguments known so far, and where the code came from. */
  private facts(): { code: number | null; codeKey: string | null; via: Bugcheck['via']; args: (bigint | null)[] } {
    let code = this.titleCode;
    let codeKey: string | null = null;
    let via: Bugcheck['via'] = 'analyze';
    // Keys that state the code, when the title is not in the paste.
    for (const key of CODE_VALUE_KEYS) {
      if (code !== null) break;
      const value = this.hexValue(key);
      if (value !== null && value <= 0xffffffffn) {
        code = Number(value);
        codeKey = key;
      }
    }
    if (code === null && this.summaryCode !== null) {
      code = this.summaryCode;
      via = 'summary';
    }
    if (code === null) {
      const bucket = this.first('FAILURE_BUCKET_ID') ?? this.first('Failure.Bucket') ?? this.first('BUGCHECK_STR') ?? this.first('BUCKET_ID');
      const m = bucket === null ? null : BUCKET_CODE.exec(bucket);
      if (m) {
        code = parseInt(m[1]!, 16);
        via = 'bucket';
      }
    }
    const args = this.args.map((arg, i) => arg ?? this.summaryArgs?.[i] ?? this.hexValue(`BUGCHECK_P${i + 1}`));
    return { code, codeKey, via, args };
  }

  private first(key: string): string | null {
    return this.values.get(key)?.[0] ?? null;
  }

  private hexValue(key: string): bigint | null {
    const value = this.first(key);
    return value === null ? null : readHex(value);
  }

  private claim(): number {
    if (this.incident === null) {
      const { code, args } = this.facts();
      this.incident = claimIncident(this.context, { code, args, probablyCausedBy: this.probablyCausedBy });
    }
    return this.incident;
  }

  /**
   * The record, from what was printed:
   *   code      the title; else BUGCHECK_CODE / KEY_VALUES Bugcheck.Code.*; else `BugCheck X, {...}` (via 'summary');
   *             else the `0x3B_...` prefix of FAILURE_BUCKET_ID, Failure.Bucket, BUGCHECK_STR (via 'bucket')
   *   args      ArgN lines; else the summary line's list; else BUGCHECK_P1..P4 (short hex, x86 ones sign-extended)
   *   image     IMAGE_NAME only (MODULE_NAME has no extension, and .sys/.dll/.exe cannot be told from it)
   *   module    MODULE_NAME; symbol SYMBOL_NAME; process PROCESS_NAME; bugcheckStr BUGCHECK_STR;
   *             imageVersion IMAGE_VERSION
   *   failureBucket / failureHash   FAILURE_BUCKET_ID / FAILURE_ID_HASH, else KEY_VALUES Failure.Bucket / Failure.Hash
   *   osBuild   BUILD_VERSION_STRING, else OS_VERSION, else the session header's build
   *   details   every other key and pair, as printed (multi-line values one trimmed line each, joined by \n)
   */
  close(): void {
    if (this.name === null && this.titleCode === null && !this.argSeen && this.summaryCode === null && this.values.size === 0 && this.probablyCausedBy === null) {
      return; // a banner (or a rule) with nothing after it
    }
    const facts = this.facts();
    if (this.incident === null) this.claim();
    else noteCrash(this.context, this.incident, { code: facts.code, args: facts.args, probablyCausedBy: this.probablyCausedBy });

    // Every key copied into a named field leaves `details`; what is left is printed as is.
    const used = new Set<string>();
    const take = (key: string): string | null => {
      const lines = this.values.get(key);
      if (lines === undefined) return null;
      used.add(key);
      return joinLines(lines);
    };
    if (facts.codeKey !== null) take(facts.codeKey);
    for (let i = 0; i < 4; i++) {
      if (this.args[i] === null && (this.summaryArgs?.[i] ?? null) === null && facts.args[i] !== null) take(`BUGCHECK_P${i + 1}`);
    }
    const record = bugcheckRecord({
      line: this.line,
      incident: this.incident!,
      via: facts.via,
      code: facts.code,
      name: this.name,
      args: facts.args,
      image: take('IMAGE_NAME'),
      module: take('MODULE_NAME'),
      symbol: take('SYMBOL_NAME'),
      failureBucket: take('FAILURE_BUCKET_ID') ?? take('Failure.Bucket'),
      failureHash: take('FAILURE_ID_HASH') ?? take('Failure.Hash'),
      bugcheckStr: take('BUGCHECK_STR'),
      process: take('PROCESS_NAME'),
      probablyCausedBy: this.probablyCausedBy,
      imageVersion: take('IMAGE_VERSION'),
      osBuild: take('BUILD_VERSION_STRING') ?? take('OS_VERSION') ?? sessionBuild(this.context),
      details: this.details(used),
    });
    // "Unknown bugcheck code (0)" names no bugcheck: do not let the tables put a name on it.
    if (this.unknownTitle) record.name = null;
    this.context.emit(record);
  }

  private details(used: ReadonlySet<string>): Record<string, string> {
    const details: Record<string, string> = {};
    for (const [key, lines] of this.values) if (!used.has(key)) details[key] = joinLines(lines);
    return details;
  }
}

/**
 * readHex for an Arg value: the usual 1 to 16 plain hex digits go straight to BigInt (readHex gives the same value,
 * after a trim, a backtick replace and two regexes); any other spelling goes to readHex.
 */
function argValue(text: string): bigint | null {
  const n = text.length;
  if (n === 0 || n > 16) return readHex(text);
  for (let i = 0; i < n; i++) if (HEX_UPPER[text.charCodeAt(i)] === 0) return readHex(text);
  return BigInt(`0x${text}`);
}

/** A multi-line value as the record keeps it. */
function joinLines(lines: readonly string[]): string {
  return lines.length === 1 ? lines[0]! : lines.join('\n');
}

/**
 * Whether TITLE / UNKNOWN_TITLE could match: both end with `)` and then \s*. A last character that is printable
 * ASCII other than `)` rules them out (every \s character is a control character, a space or beyond ASCII).
 */
function mayEndWithParen(text: string): boolean {
  const c = text.charCodeAt(text.length - 1);
  return c === 0x29 /* ) */ || c <= 0x20 || c >= 0x7f;
}

function isLowerHexDigit(c: number): boolean {
  return (c >= 0x30 && c <= 0x39) || (c >= 0x61 && c <= 0x66);
}

function isUpper(c: number): boolean {
  return c >= 0x41 && c <= 0x5a;
}

export const analyzeShape: Shape = {
  id: 'windbg.analyze',
  open(line, context) {
    const text = line.text;
    const c = text.charCodeAt(0);
    let phase: Phase | null = null;
    if (isLowerHexDigit(c) || c === 0x20 || c === 0x09) {
      // STACK_TEXT rows (the colon form, lower-case addresses) without their key: only !analyze prints them so.
      if (!parseStackTextRow(text)) return null;
      const block = new AnalyzeBlock(context, line, 'details');
      return block.startInStack(line) ? block : null;
    }
    if (c === 0x2a /* * */) {
      if (DECORATION.test(text) || isBannerText(text)) phase = 'banner';
    } else if (c === 0x2d /* - */ || c === 0x5f /* _ */) {
      // Only a markdown rule (`---`, `___`) may stand for a star row; longer dash lines are other output's separators.
      if (MARKDOWN_RULE.test(text)) phase = 'banner';
    } else if (c === 0x23 /* # */) {
      if (DEBUGGING_DETAILS.test(text)) phase = 'head';
      else if (isBannerText(text)) phase = 'banner'; // `# Bugcheck Analysis`: markdown made the banner a heading
    } else if (isUpper(c)) {
      if (c === 0x42 /* B */ && text.startsWith(BANNER_TEXT)) phase = 'banner';
      else if (c === 0x41 /* A */ && (ARGUMENTS.test(text) || ARG.test(text))) phase = 'head';
      else if (c === 0x44 /* D */ && DEBUGGING_DETAILS.test(text)) phase = 'head';
      else if (text.charCodeAt(text.length - 1) === 0x29 /* ) */ && (TITLE.test(text) || UNKNOWN_TITLE.test(text))) phase = 'head';
      else {
        const key = readKey(text);
        if (key && (key.key.indexOf('_') !== -1 || BARE_KEYS.has(key.key))) phase = 'head';
      }
    }
    if (phase === null) return null;
    const block = new AnalyzeBlock(context, line, phase);
    return block.start(line) ? block : null;
  },
};
