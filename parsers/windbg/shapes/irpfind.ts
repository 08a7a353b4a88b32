/**
 * `!irpfind`: one line per IRP found in pool.
 *   Searching NonPaged pool (8090c000 : 8131e000) for Tag: Irp
 *   8097c008 Thread 8094d900 current stack belongs to  \Driver\symc810
 * (corpus/windbg/msdocs-irpfind-x86.txt). Newer debuggers print a table instead; its rows are read too:
 *   ffffa50fd1b4a010 [ffffa50fd2f2e080] irpStack: ( e, 0)  ffffa50fd0b1c8f0 [ \Driver\AFD] 0xffffa50fd2e6e080
 *   ffffa50fd1b4d8a0 [0000000000000000] Irp is complete (CurrentLocation 3 > StackCount 2)
 * The older form names the driver only; the table adds the current location's major, minor and device.
 */
import type { SourceLine } from '../../../src/text/index.js';
import type { Irp } from '../../../src/records/index.js';
import { majorName, minorName } from '../../decoded.js';
import type { Block, BlockContext, PushVerdict, Shape } from '../engine.js';
import { POINTER, blankIrp, indentOf, pointerText } from './irp-fields.js';

const SEARCHING = /^[ \t]*(?:Searching .*pool.* for [Tt]ag|Scanning large pool allocation table for tag)\b/;
const TABLE_COLUMNS = /^[ \t]*Irp[ \t]+\[[ \t]*Thread[ \t]*\][ \t]+irpStack:/;
const OLD_ROW = new RegExp(`^[ \\t]*(${POINTER})[ \\t]+Thread[ \\t]+(${POINTER})[ \\t]+current stack belongs to[ \\t]+(\\S.*?)[ \\t]*$`);
const TABLE_ROW = new RegExp(
  `^[ \\t]*(${POINTER})[ \\t]+\\[(${POINTER})\\][ \\t]+irpStack:[ \\t]+\\([ \\t]*([0-9a-fA-F]{1,2}),[ \\t]*([0-9a-fA-F]{1,2})\\)` +
    `[ \\t]+(${POINTER})[ \\t]+\\[[ \\t]*([^\\]]*?)[ \\t]*\\](?:[ \\t]+.*)?$`,
);
const COMPLETE_ROW = new RegExp(`^[ \\t]*(${POINTER})[ \\t]+\\[(${POINTER})\\][ \\t]+Irp is complete \\(CurrentLocation (\\d+) > StackCount (\\d+)\\)[ \\t]*$`);

function isIrpfind(command: string | null): boolean {
  return command !== null && /^!(?:kdexts\.)?irpfind\b/i.test(command);
}

/** One row as an Irp record, or null when the line is no row. */
function readRow(line: SourceLine): Irp | null {
  const text = line.text;
  const old = OLD_ROW.exec(text);
  if (old) {
    const record = blankIrp(line.line, 'irpfind');
    record.address = pointerText(old[1]!);
    record.thread = pointerText(old[2]!);
    record.driver = old[3]!;
    return record;
  }
  const row = TABLE_ROW.exec(text);
  if (row) {
    const record = blankIrp(line.line, 'irpfind');
    const major = parseInt(row[3]!, 16);
    const minor = parseInt(row[4]!, 16);
    record.address = pointerText(row[1]!);
    record.thread = pointerText(row[2]!);
    record.majorFunction = majorName(major);
    record.minorFunction = record.majorFunction === null ? null : minorName(major, minor);
    record.device = pointerText(row[5]!);
    record.driver = row[6]! === '' ? null : row[6]!;
    // irpStack is printed for the current location, which an IRP has until it is completed.
    record.completed = false;
    return record;
  }
  const complete = COMPLETE_ROW.exec(text);
  if (complete) {
    const record = blankIrp(line.line, 'irpfind');
    record.address = pointerText(complete[1]!);
    record.thread = pointerText(complete[2]!);
    record.currentLocation = Number(complete[3]);
    record.stackCount = Number(complete[4]);
    record.completed = true;
    return record;
  }
  return null;
}

function isHexDigit(c: number): boolean {
  return (c >= 0x30 && c <= 0x39) || (c >= 0x61 && c <= 0x66) || (c >= 0x41 && c <= 0x46);
}

class IrpfindBlock implements Block {
  constructor(private readonly context: BlockContext) {}

  push(line: SourceLine): PushVerdict {
    const start = indentOf(line.text);
    if (start < 0) {
      this.context.noise(line);
      return 'take';
    }
    const record = readRow(line);
    if (record) {
      this.context.emit(record);
      return 'take';
    }
    const first = line.text.charCodeAt(start);
    // A second pool's search header, or the table's column line: part of the listing, no IRP on it.
    if ((first === 0x53 /* S */ && SEARCHING.test(line.text)) || (first === 0x49 /* I */ && TABLE_COLUMNS.test(line.text))) {
      this.context.noise(line);
      return 'take';
    }
    return 'leave';
  }

  close(): void {}
}

/** Opens on the search header, the table's columns, or a row (a row's own words are distinctive enough). */
export const irpfindShape: Shape = {
  id: 'irpfind',
  open(line, context) {
    const text = line.text;
    const start = indentOf(text);
    if (start < 0) return null;
    const first = text.charCodeAt(start);
    if (first === 0x53 /* S */) {
      if (!text.startsWith('Searching ', start) && !text.startsWith('Scanning large pool', start)) return null;
      if (!SEARCHING.test(text)) return null;
    } else if (first === 0x49 /* I */) {
      if (!text.startsWith('Irp', start) || !TABLE_COLUMNS.test(text)) return null;
    } else if (!isHexDigit(first)) {
      return null;
    } else if (
      !(text.indexOf(' current stack belongs to', start) > 0 || text.indexOf('] irpStack:', start) > 0 || text.indexOf('] Irp is complete (', start) > 0) &&
      !isIrpfind(context.command)
    ) {
      return null;
    }
    const block = new IrpfindBlock(context);
    return block.push(line) === 'take' ? block : null;
  },
};
