/**
 * Streaming "un-damaging" of tool output that went through markdown (GitHub issues, forum posts).
 *
 * Damage undone:
 * - blockquote prefixes (`> ` or `>`, nested up to MAX_QUOTE_DEPTH levels) on a quoted paste;
 * - the 4-space (or TAB) indent of a markdown indented code block;
 * - ``` / ~~~ fence lines left inside a paste (dropped, and reported with their line number);
 * - markdown-escaped backticks: '\`' -> '`' (WinDbg prints 64-bit values as ffffcf07`04d3caf0).
 *
 * The hard part is to decide *whether* a run of lines is quoted / code-indented without destroying
 * indentation that the debugger printed itself (`Args:` at 48 spaces, TAB-led Arg continuations, 8-space
 * STACK_TEXT rows, `    Key  : Analysis.CPU.mSec`, 4-space frames in the verifier IRQL log, `>[IRP_MJ..`
 * for the current IRP stack location). Decisions are made per run of lines, looking ahead at most WINDOW
 * lines, so memory stays bounded:
 *
 * Quote runs: a run starts at a line beginning with '>' and continues over '>' lines, blank lines and
 * fence lines. It is a quote when at least one of its '>' lines is not a native debugger form (`>[...`
 * current IRP stack location, `>  123:` source-listing marker). Then one level is removed from every '>'
 * line of the run, by markdown's rule (`>` plus one optional space), except when the run is quoted bare
 * (`>X` lines outnumber `> X` lines at least 3:1; `>  X` with 2+ spaces fits both styles), where only
 * the `>` is removed so that natively indented content (`>    Key  :`) keeps its indent.
 * `>` / `> ` alone become empty lines.
 *
 * Code-indent runs follow markdown: an indented code block can only start at the beginning of the input,
 * after a blank line, or at the start/end of a quote; a line indented right after a text line is a
 * continuation and is left alone. Fence lines are transparent (a stray fence inside a paste changes
 * nothing but its own removal). A run is the maximal sequence of indented (4 spaces or TAB)
 * and blank lines. It is code-indented when some line in its first WINDOW lines sits at exactly one
 * indent level (4 spaces or one TAB, then text) and is not a form the debugger itself prints at that
 * indent (Key/Value pairs, address/frame rows, Args:, \Driver\ lines, dt/dx fields, `...` elisions).
 * A code run removes exactly one indent unit (4 spaces, or one TAB, or 1-3 spaces + TAB) per line.
 */
import type { SourceLine } from './lines.js';

export interface UndamageReport {
  quotePrefixRemoved: number;
  codeIndentRemoved: number;
  fencesDropped: number;
  escapedBackticksRestored: number;
}

export interface DroppedLine {
  line: number;
  reason: string;
}

export interface UndamageResult {
  lines: SourceLine[];
  dropped: DroppedLine[];
}

/** Look-ahead per run, in lines. */
export const WINDOW = 64;
/** Nested quote levels removed at most. */
export const MAX_QUOTE_DEPTH = 4;

/** Internal token: a line, or a structural break (start / end of a quote run). */
type Tok = SourceLine | typeof BREAK;
const BREAK: unique symbol = Symbol('break');

interface Counters {
  quote: number;
  code: number;
  fences: number;
  backticks: number;
}

interface Stage {
  push(toks: Tok[]): Tok[];
  finish(): Tok[];
  /** Holds nothing and is outside any run: a line it lets through unchanged leaves it so. */
  idle(): boolean;
}

const FENCE = /^[ \t]*(?:`{3,}[ \t]*[^`\s]*|~{3,}[ \t]*[^\s]*)[ \t]*$/;

/** A markdown fence line: ``` or ~~~ (3 or more), optionally with an info word (```text, ~~~windbg). */
export function isFenceLine(text: string): boolean {
  let i = 0;
  while (i < text.length && (text.charCodeAt(i) === 0x20 || text.charCodeAt(i) === 0x09)) i++;
  const c = text.charCodeAt(i);
  if (c !== 0x60 && c !== 0x7e) return false;
  return FENCE.test(text);
}

function isBlank(text: string): boolean {
  return text.trim().length === 0;
}

// ---------------------------------------------------------------------------------------------------
// Quotes

/** '>' lines the debugger prints itself: current IRP stack location `>[IRP_MJ_...` / `>[  3,34]`, and
 * the current-line marker of a source listing `>  121: ...`. */
const NATIVE_GT = /^>(?:\[|\s+\d+:)/;

class QuoteStage implements Stage {
  private buf: Tok[] = [];
  private mode: 'idle' | 'buffer' | 'quoted' | 'verbatim' = 'idle';
  /** How to strip one level in the current quoted run. */
  private style: 'bare' | 'markdown' = 'markdown';

  constructor(private readonly c: Counters) {}

  idle(): boolean {
    return this.mode === 'idle';
  }

  push(toks: Tok[]): Tok[] {
    const out: Tok[] = [];
    for (const t of toks) this.one(t, out);
    return out;
  }

  finish(): Tok[] {
    const out: Tok[] = [];
    if (this.mode === 'buffer') this.decideAndFlush(out);
    if (this.mode === 'quoted') out.push(BREAK);
    this.mode = 'idle';
    return out;
  }

  private one(t: Tok, out: Tok[]): void {
    if (this.mode === 'idle') {
      if (t !== BREAK && t.text.charCodeAt(0) === 0x3e /* > */) {
        this.mode = 'buffer';
        this.buf.push(t);
      } else out.push(t);
      return;
    }
    // Inside a run: does this token continue it?
    const continues = t === BREAK || t.text.charCodeAt(0) === 0x3e || isBlank(t.text) || isFenceLine(t.text);
    if (!continues) {
      if (this.mode === 'buffer') this.decideAndFlush(out);
      if (this.mode === 'quoted') out.push(BREAK);
      this.mode = 'idle';
      this.one(t, out);
      return;
    }
    if (this.mode === 'buffer') {
      this.buf.push(t);
      if (this.buf.length >= WINDOW) this.decideAndFlush(out);
    } else if (this.mode === 'quoted') out.push(this.strip(t));
    else out.push(t);
  }

  private decideAndFlush(out: Tok[]): void {
    let quoted = false;
    let oneSpace = 0; // `> X`: space-style quoting (or natively one-space-indented content, bare-quoted)
    let bare = 0; // `>X`, `>\tX`: bare quoting
    for (const t of this.buf) {
      if (t === BREAK) continue;
      const s = t.text;
      if (s.charCodeAt(0) !== 0x3e) continue;
      if (!NATIVE_GT.test(s)) quoted = true;
      if (isBlank(s.slice(1))) continue; // `>` / `> ` alone: says nothing about style
      const c1 = s.charCodeAt(1);
      if (c1 === 0x3e) continue; // nested: decided by the next level
      if (c1 !== 0x20) bare++;
      else if (s.charCodeAt(2) !== 0x20 && s.charCodeAt(2) !== 0x09) oneSpace++;
      // `>  X` (2+ spaces) fits both styles: natively indented content
    }
    const buf = this.buf;
    this.buf = [];
    if (!quoted) {
      this.mode = 'verbatim';
      for (const t of buf) out.push(t);
      return;
    }
    this.mode = 'quoted';
    // Bare quoting when bare lines clearly dominate the `> X` lines (those are then natively
    // one-space-indented content such as ` # Child-SP` or ` [IRP_MJ_...]`); otherwise markdown's rule.
    this.style = bare > 0 && bare >= 3 * oneSpace ? 'bare' : 'markdown';
    out.push(BREAK);
    for (const t of buf) out.push(this.strip(t));
  }

  private strip(t: Tok): Tok {
    if (t === BREAK) return t;
    const s = t.text;
    if (s.charCodeAt(0) !== 0x3e) return t;
    this.c.quote++;
    let rest = s.slice(1);
    if (isBlank(rest)) rest = '';
    else if (this.style === 'markdown' && rest.charCodeAt(0) === 0x20) rest = rest.slice(1);
    return { line: t.line, text: rest };
  }
}

// ---------------------------------------------------------------------------------------------------
// Code-block indent

const INDENT = /^(?: {4}| {0,3}\t)/;
/** Exactly one indent unit followed by text. */
const ONE_LEVEL = /^(?: {4}| {0,3}\t)\S/;
/** Forms WinDbg / Verifier print themselves at a 4-space / TAB indent (see FORMATS.md). */
const NATIVE_INDENTED: readonly RegExp[] = [
  /^ {4}(?:Key|Value)\s*:/, // KEY_VALUES_STRING pairs
  /^\s+[0-9a-fA-F]{8}(?:`?[0-9a-fA-F]{8})?(?:\s|:|$)/, // frames, IRQL log, IRP List, threads
  /^\s+Args:/, // !irp
  /^\s+\\(?:Driver|FileSystem)\\/, // !irp driver line
  /^\s+\[?\+0x[0-9a-fA-F]+\]?\s/, // dt / dx fields
  /^\s+Parameter\[\d+\]/, // !stack -p
  /^\s+(?:\.{3}|\[\.\.\.\])\s*$/, // author's elision
];

function indentWidth(text: string): number {
  const m = INDENT.exec(text);
  return m === null ? 0 : m[0].length;
}

class CodeStage implements Stage {
  private buf: Tok[] = [];
  private lines = 0;
  private mode: 'none' | 'buffer' | 'code' | 'verbatim' = 'none';
  /** Whether an indented line here could start a code block (start of input, after a blank line or a quote). */
  atBoundary = true;

  constructor(private readonly c: Counters) {}

  idle(): boolean {
    return this.mode === 'none';
  }

  push(toks: Tok[]): Tok[] {
    const out: Tok[] = [];
    for (const t of toks) this.one(t, out);
    return out;
  }

  finish(): Tok[] {
    const out: Tok[] = [];
    if (this.mode === 'buffer') this.decideAndFlush(out);
    this.mode = 'none';
    return out;
  }

  private one(t: Tok, out: Tok[]): void {
    if (this.mode === 'none') {
      if (t === BREAK) {
        this.atBoundary = true;
        out.push(t);
      } else if (isFenceLine(t.text)) {
        // Transparent: a stray fence between an Arg line and its TAB continuation must not make the
        // continuation look like the start of a code block.
        out.push(t);
      } else if (isBlank(t.text)) {
        this.atBoundary = true;
        out.push(t);
      } else if (this.atBoundary && INDENT.test(t.text)) {
        this.mode = 'buffer';
        this.buf.push(t);
        this.lines = 1;
      } else {
        this.atBoundary = false;
        out.push(t);
      }
      return;
    }
    // Inside a run. Breaks, blank lines and (unindented) fences are transparent; a text line that is
    // not indented ends the run.
    if (t !== BREAK && !isBlank(t.text) && !INDENT.test(t.text) && !isFenceLine(t.text)) {
      if (this.mode === 'buffer') this.decideAndFlush(out);
      this.mode = 'none';
      this.atBoundary = false;
      out.push(t);
      return;
    }
    if (this.mode === 'buffer') {
      this.buf.push(t);
      if (t !== BREAK && ++this.lines >= WINDOW) this.decideAndFlush(out);
    } else if (this.mode === 'code') out.push(this.strip(t));
    else out.push(t);
  }

  private decideAndFlush(out: Tok[]): void {
    let code = false;
    for (const t of this.buf) {
      if (t === BREAK) continue;
      const s = t.text;
      if (ONE_LEVEL.test(s) && !isFenceLine(s) && !NATIVE_INDENTED.some((re) => re.test(s))) {
        code = true;
        break;
      }
    }
    const buf = this.buf;
    this.buf = [];
    this.lines = 0;
    this.mode = code ? 'code' : 'verbatim';
    for (const t of buf) out.push(code ? this.strip(t) : t);
  }

  private strip(t: Tok): Tok {
    if (t === BREAK) return t;
    const w = indentWidth(t.text);
    if (w === 0) return t;
    this.c.code++;
    return { line: t.line, text: t.text.slice(w) };
  }
}

// ---------------------------------------------------------------------------------------------------

/**
 * Lines in, lines out, with original line numbers kept. See the module comment for the rules.
 * Memory: each internal stage holds at most WINDOW lines.
 */
export class MarkdownUndamager {
  private readonly c: Counters = { quote: 0, code: 0, fences: 0, backticks: 0 };
  private readonly stages: Stage[];
  private readonly code: CodeStage;

  constructor() {
    const stages: Stage[] = [];
    for (let i = 0; i < MAX_QUOTE_DEPTH; i++) stages.push(new QuoteStage(this.c));
    this.code = new CodeStage(this.c);
    stages.push(this.code);
    this.stages = stages;
  }

  /**
   * Fast path: while every stage is idle (no quote run, no code run, nothing buffered), a line that cannot start or
   * continue a run goes straight out, as the stages would let it through: it only moves the code stage's "at a
   * boundary" flag. Any other line goes through the stages one at a time until they are idle again. The output is
   * the same for any batching, so this is the same output as pushing everything through the stages.
   */
  push(lines: readonly SourceLine[]): UndamageResult {
    const out: SourceLine[] = [];
    const dropped: DroppedLine[] = [];
    const code = this.code;
    const n = lines.length;
    let i = 0;
    while (i < n) {
      if (this.idle()) {
        for (; i < n; i++) {
          const t = lines[i]!;
          const kind = passThrough(t.text, code.atBoundary);
          if (kind === SLOW) break;
          code.atBoundary = kind === BLANK;
          if (t.text.indexOf('\\`') === -1) out.push(t);
          else out.push(this.restoreBackticks(t));
        }
        if (i === n) break;
      }
      const t = lines[i++]!;
      let toks: Tok[] = [t];
      if (t.text.charCodeAt(0) !== 0x3e /* > */ && this.quotesIdle()) {
        // Idle quote stages let a line that does not start with '>' through as it is: only the code stage acts.
        toks = code.push(toks);
      } else {
        for (const st of this.stages) {
          if (toks.length === 0) break;
          toks = st.push(toks);
        }
      }
      this.finalizeInto(toks, out, dropped);
    }
    return { lines: out, dropped };
  }

  private quotesIdle(): boolean {
    const stages = this.stages;
    for (let i = 0; i < stages.length - 1; i++) if (!stages[i]!.idle()) return false;
    return true;
  }

  private idle(): boolean {
    const stages = this.stages;
    for (let i = 0; i < stages.length; i++) if (!stages[i]!.idle()) return false;
    return true;
  }

  finish(): UndamageResult {
    let toks: Tok[] = [];
    for (const st of this.stages) {
      toks = toks.length === 0 ? st.finish() : st.push(toks).concat(st.finish());
    }
    return this.finalize(toks);
  }

  report(): UndamageReport {
    return {
      quotePrefixRemoved: this.c.quote,
      codeIndentRemoved: this.c.code,
      fencesDropped: this.c.fences,
      escapedBackticksRestored: this.c.backticks,
    };
  }

  /** Drop fences (reported), remove breaks, restore escaped backticks. */
  private finalize(toks: Tok[]): UndamageResult {
    const lines: SourceLine[] = [];
    const dropped: DroppedLine[] = [];
    this.finalizeInto(toks, lines, dropped);
    return { lines, dropped };
  }

  private finalizeInto(toks: Tok[], lines: SourceLine[], dropped: DroppedLine[]): void {
    for (const t of toks) {
      if (t === BREAK) continue;
      const s = t.text;
      if (isFenceLine(s)) {
        this.c.fences++;
        dropped.push({ line: t.line, reason: `markdown fence: ${s.trim()}` });
        continue;
      }
      if (s.indexOf('\\`') === -1) lines.push(t);
      else lines.push(this.restoreBackticks(t));
    }
  }

  private restoreBackticks(t: SourceLine): SourceLine {
    const parts = t.text.split('\\`');
    this.c.backticks += parts.length - 1;
    return { line: t.line, text: parts.join('`') };
  }
}

/** passThrough(): the line needs the stages. */
const SLOW = 0;
/** passThrough(): a text line (not blank, not a fence, cannot start a quote or a code block here). */
const TEXT = 1;
/** passThrough(): a blank line (empty or spaces and TABs only). */
const BLANK = 2;

/**
 * What an idle pipeline does with this line: BLANK and TEXT lines pass every stage unchanged (a blank line puts the
 * code stage at a boundary, a text line takes it off one); SLOW for anything a stage could act on: a '>' line, a
 * possible fence ('`' or '~' first), an indented line where a code block could start, and, to stay on the safe
 * side of String#trim, a line whose first non-blank character is not printable ASCII.
 */
function passThrough(text: string, atBoundary: boolean): number {
  const n = text.length;
  if (n === 0) return BLANK;
  let c = text.charCodeAt(0);
  if (c === 0x20 || c === 0x09) {
    let j = 1;
    while (j < n && ((c = text.charCodeAt(j)) === 0x20 || c === 0x09)) j++;
    if (j === n) return BLANK;
    if (atBoundary) return SLOW;
  } else if (c === 0x3e /* > */) return SLOW;
  if (c < 0x21 || c > 0x7e || c === 0x60 /* ` */ || c === 0x7e /* ~ */) return SLOW;
  return TEXT;
}
