/**
 * The option list at the top of a `!verifier` report, one VerifierFlag record per option.
 *
 * Win10 and later (layout as in Microsoft's C4/0x62 page, see option-bits.ts):
 *
 *     Verify Flags Level 0x000209bb
 *
 *       STANDARD FLAGS:
 *         [X] (0x00000001) Special pool
 *       ADDITIONAL FLAGS:
 *         [ ] (0x00000004) Randomized low resources simulation
 *
 *         [X] Indicates flag is enabled
 *
 * Win7 (corpus/verifier/msdocs-verifier-0xf-win7.txt): enabled options only, by name, bits not printed:
 *
 *     Verify Level 9bb ... enabled options are:
 *         Special pool
 *         Deadlock detection enabled
 */
import { hex32, type VerifierFlag } from '../../src/records/index.js';
import type { SourceLine } from '../../src/text/index.js';
import type { Block, BlockContext, PushVerdict, Shape } from '../windbg/engine.js';
import { documentedOptionBit } from './option-bits.js';
import { body, hexNumber, indentOf, isBlank } from './text.js';

const WIN10_HEADER = /^Verify Flags Level\s+((?:0x)?[0-9a-fA-F`]+)\b/;
const WIN7_HEADER = /^Verify Level\s+((?:0x)?[0-9a-fA-F]+)\b/;
/** `STANDARD FLAGS:`, `ADDITIONAL FLAGS:`, `RESERVED FLAGS (...):`; the group keeps its printed words. */
const GROUP = /^([A-Z][A-Z ]*FLAGS(?:\s*\([^)]*\))?)\s*:$/;
/** `[X] (0x00000010) I/O verification`; the bit can be missing in a hand-trimmed paste. */
const WIN10_OPTION = /^\[\s*([xX*]?)\s*\]\s*(?:\((0x[0-9a-fA-F]+)\)\s*)?(\S.*)$/;
/** The legend under the list, not an option. */
const LEGEND = /^\[[xX]\]\s+Indicates flag is enabled\.?$/;
/** A Win7 option name: words, as the debugger prints them. */
const WIN7_OPTION = /^[A-Za-z][A-Za-z0-9 /().,'-]*$/;

class Win10FlagsBlock implements Block {
  private group: string | null = null;

  constructor(private readonly context: BlockContext, private readonly level: string | null) {}

  push(line: SourceLine): PushVerdict {
    if (isBlank(line.text)) {
      this.context.noise(line);
      return 'take';
    }
    const text = body(line.text);
    const group = GROUP.exec(text);
    if (group) {
      this.group = group[1]!;
      return 'take';
    }
    if (text.charCodeAt(0) !== 0x5b /* [ */) return 'leave';
    if (LEGEND.test(text)) {
      this.context.noise(line);
      return 'take';
    }
    const option = WIN10_OPTION.exec(text);
    if (!option) return 'leave';
    const bit = option[2] === undefined ? null : hexNumber(option[2]);
    this.context.emit({
      type: 'verifierFlag',
      line: line.line,
      form: 'win10',
      level: this.level,
      bit: bit === null ? null : hex32(bit),
      name: option[3]!.trim(),
      enabled: option[1] !== '',
      group: this.group,
    } satisfies VerifierFlag);
    return 'take';
  }

  close(): void {}
}

class Win7FlagsBlock implements Block {
  private options = 0;
  private ended = false;
  /** Whether the options were printed indented (then an unindented line is the next section). */
  private indented = false;

  constructor(private readonly context: BlockContext, private readonly level: number | null) {}

  push(line: SourceLine): PushVerdict {
    if (isBlank(line.text)) {
      // The list is one run of lines: a blank line after it ends it (the statistics follow).
      if (this.options > 0) this.ended = true;
      this.context.noise(line);
      return 'take';
    }
    if (this.ended) return 'leave';
    const text = body(line.text);
    // An unindented line after the options is the next section even without the blank line.
    if (this.options > 0 && indentOf(line.text) === 0 && this.indented) return 'leave';
    if (!WIN7_OPTION.test(text) || text.startsWith('Summary of ')) return 'leave';
    if (this.options === 0) this.indented = indentOf(line.text) > 0;
    this.options++;
    const bit = documentedOptionBit(text, this.level);
    this.context.emit({
      type: 'verifierFlag',
      line: line.line,
      form: 'win7',
      level: this.level === null ? null : hex32(this.level),
      bit: bit === null ? null : hex32(bit),
      name: text,
      enabled: true, // the Win7 report lists enabled options only
      group: null,
    } satisfies VerifierFlag);
    return 'take';
  }

  close(): void {}
}

export const verifierFlagsShape: Shape = {
  id: 'verifier-flags',
  open(line, context) {
    const start = indentOf(line.text);
    if (line.text.charCodeAt(start) !== 0x56 /* V */ || !line.text.startsWith('Verify ', start)) return null;
    const text = body(line.text);
    const win10 = WIN10_HEADER.exec(text);
    if (win10) {
      const level = hexNumber(win10[1]!);
      return new Win10FlagsBlock(context, level === null ? null : hex32(level));
    }
    const win7 = WIN7_HEADER.exec(text);
    if (win7) return new Win7FlagsBlock(context, hexNumber(win7[1]!));
    return null;
  },
};
