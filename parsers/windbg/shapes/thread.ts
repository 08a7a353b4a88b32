/**
 * `!thread` (and the THREAD parts of `!process ... 7`): the thread line, wait objects, `IRP List:` with one line per
 * IRP the thread has issued, then thread fields up to the stack.
 *   THREAD ffff970f8afd1080  Cid 0f28.11f8  Teb: 0000009c0fa7b000 Win32Thread: ffff970f8c99d720 RUNNING on processor 3
 *   IRP List:
 *       ffff970f8a672480: (0006,0118) Flags: 00060070  Mdl: 00000000
 *   Not impersonating
 *   ...
 *   Child-SP          RetAddr               Call Site
 * Each IRP List line becomes an Irp (via 'thread') owned by the thread. The block ends before the stack header, so
 * the stack shape takes the frames. The thread fields are kept as noise: no record carries them.
 */
import type { SourceLine } from '../../../src/text/index.js';
import type { BlockContext, Block, PushVerdict, Shape } from '../engine.js';
import { POINTER, blankIrp, indentOf, isElision, pointerText } from './irp-fields.js';

const THREAD_LINE = new RegExp(`^[ \\t]*THREAD[ \\t]+(${POINTER})[ \\t]+Cid[ \\t]`);
/** `<irp>: (0006,0118) Flags: 00060070  Mdl: 00000000`: IRP type and size, IRP flags, MDL. */
const IRP_ENTRY = new RegExp(`^[ \\t]*(${POINTER}):[ \\t]+\\(([0-9a-fA-F]{4}),([0-9a-fA-F]{4})\\)[ \\t]+Flags:[ \\t]+[0-9a-fA-F]+[ \\t]+Mdl:[ \\t]+${POINTER}[ \\t]*$`);
/** The thread's own fields, by their first words (kd's !thread on Windows XP to 11). */
const THREAD_FIELD =
  /^[ \t]*(?:Not impersonating|Impersonation token|DeviceMap[ \t]|Owning Process[ \t]|Attached Process[ \t]|Wait Start TickCount|WaitTime \(seconds\)|Context Switch Count|UserTime[ \t]|KernelTime[ \t]|(?:Win32 )?Start Address[ \t]|Stack Init[ \t]|Initial Sp[ \t]|Base[ \t]+[0-9a-fA-F`]+[ \t]+Limit|Priority[ \t]+-?\d|Kernel stack not resident|LPC Server thread|Waiting for reply to|ALPC |Mutants - owning thread|Debugger saved IP)/;
/** A wait object under the thread line: `ffffe0008096c900  ProcessObject`, `feecf698  SynchronizationEvent`. */
const WAIT_OBJECT = new RegExp(`^[ \\t]*${POINTER}[ \\t]+(?:\\w*(?:Event|Timer|Object)|Mutant|Semaphore\\w*|Gate\\w*|Queue\\w*)\\b`);
/** Where the thread's stack starts: the stack shape's block. */
const STACK_HEADER = /^[ \t]*(?:#[ \t]+)?(?:Child-SP|ChildEBP|RetAddr)\b/;

class ThreadBlock implements Block {
  private thread: string | null = null;
  private irps = 0;
  private irpListLine: SourceLine | null = null;

  constructor(
    private readonly threadLine: SourceLine,
    private readonly context: BlockContext,
    thread: string,
  ) {
    this.thread = pointerText(thread);
  }

  push(line: SourceLine): PushVerdict {
    const text = line.text;
    const start = indentOf(text);
    if (start < 0 || isElision(text)) {
      this.context.noise(line);
      return 'take';
    }
    const first = text.charCodeAt(start);
    if (first === 0x49 /* I */ && text.startsWith('IRP List:', start)) {
      if (this.irpListLine !== null) return 'leave';
      this.irpListLine = line;
      return 'take';
    }
    if (this.irpListLine !== null) {
      const entry = IRP_ENTRY.exec(text);
      if (entry) {
        if (entry[2] !== '0006') {
          this.context.skip(line, `IRP List entry of type 0x${entry[2]}: an IRP's type is 0006 (IO_TYPE_IRP)`);
          return 'take';
        }
        const record = blankIrp(line.line, 'thread');
        record.address = pointerText(entry[1]!);
        record.thread = this.thread;
        this.context.emit(record);
        this.irps++;
        return 'take';
      }
    }
    if (STACK_HEADER.test(text)) return 'leave';
    if (first === 0x54 /* T */ && text.startsWith('THREAD', start)) return 'leave';
    if (THREAD_FIELD.test(text) || WAIT_OBJECT.test(text)) {
      this.context.noise(line);
      return 'take';
    }
    return 'leave';
  }

  close(): void {
    if (this.irps > 0) return;
    // No IRP: the thread line and an empty IRP List carry nothing a record keeps.
    this.context.noise(this.threadLine);
    if (this.irpListLine) this.context.noise(this.irpListLine);
  }
}

export const threadShape: Shape = {
  id: 'thread',
  open(line, context) {
    const text = line.text;
    const start = indentOf(text);
    if (start < 0 || text.charCodeAt(start) !== 0x54 /* T */ || !text.startsWith('THREAD', start)) return null;
    const m = THREAD_LINE.exec(text);
    if (!m) return null;
    return new ThreadBlock(line, context, m[1]!);
  },
};
