/**
 * Entries of the Driver Verifier IRQL transition log (`!verifier 8`, and the "Track irql trace log" section of a
 * full report), one IrqlTransition record each:
 *
 *     Thread:             fffffa80068c9400
 *     Old irql:           0000000000000002
 *     New irql:           0000000000000000
 *     Processor:          0000000000000002
 *     Time stamp:         0000000000000857
 *
 *         fffff8800140f12a ndis!ndisNsiGetInterfaceInformation+0x20a
 *         ...
 *
 * (corpus/verifier/msdocs-verifier-irql-log-x64.txt). An entry opens on `Thread:`, or on `Old irql:` when a paste
 * lost the Thread line; it ends at the next entry or at a line that is neither a field nor a frame.
 */
import { hex64, readHex, type IrqlTransition } from '../../src/records/index.js';
import type { SourceLine } from '../../src/text/index.js';
import type { Block, BlockContext, PushVerdict, Shape } from '../windbg/engine.js';
import { body, indentOf, isBlank } from './text.js';

type Field = 'thread' | 'oldIrql' | 'newIrql' | 'processor' | 'timeStamp';

const FIELD = /^(Thread|Old irql|New irql|Processor|Time stamp):\s*((?:0x)?[0-9a-fA-F`]+)$/;
const FIELD_NAMES: Record<string, Field> = {
  Thread: 'thread',
  'Old irql': 'oldIrql',
  'New irql': 'newIrql',
  Processor: 'processor',
  'Time stamp': 'timeStamp',
};
/** `fffff8800140f12a ndis!ndisNsiGetInterfaceInformation+0x20a`; x86 logs print 8 digits. */
const FRAME = /^((?:0x)?[0-9a-fA-F]{8}`?(?:[0-9a-fA-F]{8})?)(?:\s+(\S.*))?$/;

class IrqlEntryBlock implements Block {
  private readonly values = new Map<Field, bigint>();
  private readonly frames: string[] = [];
  private readonly frameAddresses: string[] = [];
  /** The lines that are not blank, to skip them at close if no IRQL field came. */
  private readonly taken: SourceLine[] = [];

  constructor(private readonly context: BlockContext, private readonly first: SourceLine, opening: [Field, bigint]) {
    this.values.set(opening[0], opening[1]);
    this.taken.push(first);
  }

  push(line: SourceLine): PushVerdict {
    if (isBlank(line.text)) {
      this.context.noise(line);
      return 'take';
    }
    const text = body(line.text);
    const field = FIELD.exec(text);
    if (field) {
      const name = FIELD_NAMES[field[1]!]!;
      // A field seen twice, or any field after the frames, is the next entry.
      if (this.values.has(name) || this.frames.length > 0) return 'leave';
      const value = readHex(field[2]!);
      if (value === null) return 'leave';
      this.values.set(name, value);
      this.taken.push(line);
      return 'take';
    }
    const frame = FRAME.exec(text);
    if (!frame) return 'leave';
    const address = readHex(frame[1]!)!;
    this.frames.push(frame[2] === undefined ? hex64(address) : frame[2].trimEnd());
    this.frameAddresses.push(hex64(address));
    this.taken.push(line);
    return 'take';
  }

  private small(name: Field): number | null {
    const value = this.values.get(name);
    return value === undefined || value > 0xffffffffn ? null : Number(value);
  }

  close(): void {
    // A Thread line and a stack alone are some other log's entry (fault injection prints that), not an IRQL change.
    if (!this.values.has('oldIrql') && !this.values.has('newIrql') && !this.values.has('processor') && !this.values.has('timeStamp')) {
      for (const line of this.taken) this.context.skip(line, 'a "Thread:" entry without Old irql/New irql/Processor/Time stamp fields: not an IRQL transition log entry');
      return;
    }
    const thread = this.values.get('thread');
    const timeStamp = this.values.get('timeStamp');
    this.context.emit({
      type: 'irqlTransition',
      line: this.first.line,
      thread: thread === undefined ? null : hex64(thread),
      oldIrql: this.small('oldIrql'),
      newIrql: this.small('newIrql'),
      processor: this.small('processor'),
      timeStamp: timeStamp === undefined ? null : hex64(timeStamp),
      frames: this.frames,
      frameAddresses: this.frameAddresses,
    } satisfies IrqlTransition);
  }
}

export const irqlLogShape: Shape = {
  id: 'verifier-irql-log',
  open(line, context) {
    const start = indentOf(line.text);
    const first = line.text.charCodeAt(start);
    if (first !== 0x54 /* T */ && first !== 0x4f /* O */) return null;
    if (!line.text.startsWith('Thread:', start) && !line.text.startsWith('Old irql:', start)) return null;
    const field = FIELD.exec(body(line.text));
    if (!field) return null;
    const value = readHex(field[2]!);
    if (value === null) return null;
    return new IrqlEntryBlock(context, line, [FIELD_NAMES[field[1]!]!, value]);
  },
};
