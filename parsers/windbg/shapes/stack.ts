/**
 * Stacks outside !analyze: `k`, `kb`, `kp`, `kv`, `kn`, `kc`, `k100` under their header, and header-less rows that
 * can only be stack rows (an x86 `ChildEBP RetAddr Arg1 Arg2 Arg3 symbol` listing; a STACK_TEXT fragment is claimed
 * first by analyze.ts, which is listed before this shape, and only reaches here without it). Frames are emitted as
 * they come; the block keeps only the column layout.
 *
 * A stack belongs to the crash open in this session (after a prompt, after an analyze), else to no incident.
 */
import type { Block, BlockContext, PushVerdict, Shape } from '../engine.js';
import type { SourceLine } from '../../../src/text/index.js';
import { frameRecord, parseFrameRow, parseHeaderlessRow, parseStackHeader, type FrameFields, type StackLayout } from '../frames.js';
import { isNoise } from '../noise.js';
import { stackIncident } from './announce-incident.js';

const NON_BLANK = /\S/;

class StackBlock implements Block {
  private readonly incident: number | null;

  constructor(private readonly context: BlockContext, private layout: StackLayout | null) {
    this.incident = stackIncident(context);
  }

  frame(row: FrameFields, line: SourceLine): void {
    this.context.emit(frameRecord(row, line.line, this.incident));
  }

  push(line: SourceLine): PushVerdict {
    const text = line.text;
    if (!NON_BLANK.test(text)) {
      this.context.noise(line);
      return 'take';
    }
    const header = parseStackHeader(text);
    if (header) {
      this.layout = header; // a second `k` pasted without its prompt
      return 'take';
    }
    const row = this.layout ? parseFrameRow(text, this.layout) : parseHeaderlessRow(text);
    if (row) {
      this.frame(row, line);
      return 'take';
    }
    if (isNoise(text)) {
      this.context.noise(line); // "WARNING: Stack unwind information not available..."
      return 'take';
    }
    return 'leave';
  }

  close(): void {}
}

function isHexDigit(c: number): boolean {
  return (c >= 0x30 && c <= 0x39) || (c >= 0x61 && c <= 0x66) || (c >= 0x41 && c <= 0x46);
}

export const stackShape: Shape = {
  id: 'windbg.stack',
  open(line: SourceLine, context: BlockContext): Block | null {
    const text = line.text;
    let c = text.charCodeAt(0);
    if (c === 0x20 || c === 0x09) {
      const i = text.search(NON_BLANK);
      if (i === -1) return null;
      c = text.charCodeAt(i);
    }
    if (c === 0x23 /* # */ || c === 0x43 /* C */ || c === 0x52 /* R */) {
      const layout = parseStackHeader(text);
      return layout ? new StackBlock(context, layout) : null;
    }
    if (!isHexDigit(c)) return null;
    const row = parseHeaderlessRow(text);
    if (!row) return null;
    const block = new StackBlock(context, null);
    block.frame(row, line);
    return block;
  },
};
