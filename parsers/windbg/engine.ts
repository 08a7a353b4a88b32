/**
 * The engine under the WinDbg-family parsers: debugger text is a sequence of blocks (the output of `!analyze -v`,
 * of `!irp`, a stack, a `dt`), each recognised by a Shape from its first line and fed lines until it says the block
 * is over. Prompts (`0: kd> !irp ...`) close any open block and say which command produced what follows.
 *
 * Every line ends up in exactly one of: part of a record, known noise, or skipped with a reason.
 */
import type { SourceLine } from '../../src/text/index.js';
import type { ParsedRecord, Skipped } from '../../src/records/index.js';
import type { LineAccount, LineParser, ParseBatch } from '../types.js';
import { isNoise } from './noise.js';
import { checkRecord } from '../../src/records/validate.js';

export interface BlockContext {
  /** The debugger command whose output this is, from the last prompt (e.g. "!irp ffffe001`2b4c8010 1"), or null. */
  readonly command: string | null;
  /** The current incident: 0 until a bugcheck opens one. Records that belong to a crash carry it. */
  readonly incident: number;
  /** Opens a new incident (a new bugcheck in the same file) and returns its number. */
  newIncident(): number;
  /** A finished record. It is validated against its schema before it leaves the parser. */
  emit(record: ParsedRecord): void;
  /** A line the block took but could not use: kept with the reason. */
  skip(line: SourceLine, reason: string): void;
  /** A line the block took that is known noise (a warning, a symbol-loading line). */
  noise(line: SourceLine): void;
  /** Something the whole engine should know (e.g. the last bugcheck code), shared between blocks. */
  readonly shared: Map<string, unknown>;
}

export type PushVerdict = 'take' | 'leave';

export interface Block {
  /** Offer the next line: 'take' if it belongs to this block, 'leave' if the block ended before it. */
  push(line: SourceLine): PushVerdict;
  /** The block is over: emit what is left. */
  close(): void;
}

export interface Shape {
  readonly id: string;
  /** A block if this line opens one of this shape, else null. The opening line is taken by the block. */
  open(line: SourceLine, context: BlockContext): Block | null;
}

const PROMPT = /^\s*(?:\d{1,3}:\s*)?(?:kd|lkd|\d+:\d{3})>\s?(.*)$/;

/**
 * The commands whose output the WinDbg and verifier shapes read (their first word): !analyze, !irp, !irpfind,
 * !thread and !process (IRP lists), !ioctldecode, !verifier, .bugcheck, dt, dx, lm*, and the k stacks.
 */
const READ_COMMAND = /^(?:!analyze|!irp|!irpfind|!thread|!process|!ioctldecode|!verifier|!iovirp|\.bugcheck|dt|dx|lm[a-z]*|k[a-z]*\d*)$/i;

/**
 * Why a line no shape took is skipped. Under a command irpscope does not read (`!devobj`, `!token`, `dd`), the
 * reason names it: that output is not lost data of a known shape, and a reader of the skipped list sees which
 * commands were not read at all.
 */
export function unrecognisedReason(command: string | null): string {
  const verb = command?.split(/\s/, 1)[0] ?? '';
  if (verb === '' || READ_COMMAND.test(verb)) return 'not a recognised debugger line';
  return `output of ${JSON.stringify(command)}, a command irpscope does not read`;
}

export class DebuggerTextParser implements LineParser {
  private active: Block | null = null;
  private command: string | null = null;
  private incident = 0;
  private readonly shared = new Map<string, unknown>();
  private records: ParsedRecord[] = [];
  private skipped: Skipped[] = [];
  private readonly counts: LineAccount = { lines: 0, recordLines: 0, noiseLines: 0, skippedLines: 0, records: 0 };
  /** Lines the active block took; settled as record lines when it closes, less its own noise and skips. */
  private taken = 0;
  private takenNoise = 0;
  private takenSkipped = 0;
  private readonly context: BlockContext;

  constructor(private readonly shapes: readonly Shape[], private readonly validate = true) {
    const engine = this;
    this.context = {
      get command() {
        return engine.command;
      },
      get incident() {
        return engine.incident;
      },
      newIncident: () => ++this.incident,
      emit: (record) => {
        let checked: ParsedRecord;
        try {
          checked = this.validate ? checkRecord(record) : record;
        } catch (error) {
          // A record that fails its schema is a parser bug: it is never passed on and never crashes the run; its
          // first line is kept as skipped, with the reason, so the text is not lost.
          const issue = (error as { issues?: { path: PropertyKey[]; message: string }[] }).issues?.[0];
          const why = issue ? `${issue.path.map(String).join('.')}: ${issue.message}` : (error as Error).message;
          this.skipped.push({ line: record.line, reason: `the parser built an invalid ${record.type} record here (${why}); please report it`, text: '' });
          this.takenSkipped++;
          return;
        }
        this.records.push(checked);
        this.counts.records++;
      },
      skip: (line, reason) => {
        this.skipped.push({ line: line.line, reason, text: line.text });
        this.takenSkipped++;
      },
      noise: () => {
        this.takenNoise++;
      },
      shared: this.shared,
    };
  }

  private closeActive(): void {
    if (!this.active) return;
    this.active.close();
    this.active = null;
    this.counts.recordLines += this.taken - this.takenNoise - this.takenSkipped;
    this.counts.noiseLines += this.takenNoise;
    this.counts.skippedLines += this.takenSkipped;
    this.taken = this.takenNoise = this.takenSkipped = 0;
  }

  private line(line: SourceLine): void {
    this.counts.lines++;
    // The prompt regex runs on every line of the input, so rule lines out cheaply first: past its leading spaces and
    // TABs a prompt goes on with a digit, `kd` / `lkd`, or another \s blank (all of them are control characters or
    // beyond ASCII), and it has a '>'. Indented lines (!irp's columns, Args:, Key/Value pairs) used to search the
    // whole line for a '>' here.
    const text = line.text;
    let at = 0;
    let c = text.charCodeAt(0);
    while (c === 0x20 || c === 0x09) c = text.charCodeAt(++at);
    const maybePrompt = (c >= 0x30 && c <= 0x39) || c === 0x6b /* k */ || c === 0x6c /* l */ || c < 0x20 || c >= 0x7f;
    const prompt = !maybePrompt || text.indexOf('>') === -1 ? null : PROMPT.exec(text);
    if (prompt) {
      this.closeActive();
      this.command = prompt[1]!.trim() || null;
      this.counts.noiseLines++; // the prompt itself is context, not data
      return;
    }
    if (this.active) {
      if (this.active.push(line) === 'take') {
        this.taken++;
        return;
      }
      this.closeActive();
    }
    for (const shape of this.shapes) {
      const block = shape.open(line, this.context);
      if (block) {
        this.active = block;
        this.taken = 1;
        return;
      }
    }
    if (line.text.trim() === '' || isNoise(line.text)) {
      this.counts.noiseLines++;
      return;
    }
    this.skipped.push({ line: line.line, reason: unrecognisedReason(this.command), text: line.text });
    this.counts.skippedLines++;
  }

  private drain(): ParseBatch {
    const batch = { records: this.records, skipped: this.skipped };
    this.records = [];
    this.skipped = [];
    return batch;
  }

  push(lines: readonly SourceLine[]): ParseBatch {
    for (const line of lines) this.line(line);
    return this.drain();
  }

  finish(): ParseBatch {
    this.closeActive();
    return this.drain();
  }

  account(): LineAccount {
    return { ...this.counts };
  }
}
