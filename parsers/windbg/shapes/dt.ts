/**
 * `dt nt!_IRP <address>`: one `+0x0NN Field : value` line per field, nested fields indented three more columns
 * (`-r`, `Field.` or `IoStatus.Status` arguments). Values: `0n6` decimal, `0x60070` hex, `1 ''` (a CHAR), `(null)`,
 * backtick pointers with their type, `<anonymous-tag>`, `_LIST_ENTRY [ a - b ]`.
 *   dt nt!_IRP -l ThreadListEntry.Flink <address>
 * walks a list: one section per element under `ThreadListEntry.Flink at 0x...` and a dash line (markdown may turn
 * the pair into `## ThreadListEntry.Flink at 0x...`). Authors cut long dumps with `...` lines.
 *
 * A section becomes an Irp (via 'dt') when it is one: the command names _IRP, or, without a prompt, its fields are an
 * IRP's. A section whose Type is not 6 (IO_TYPE_IRP), such as the list head a walk passes through, is skipped with
 * that reason; `dt` of another type is skipped as such; a type layout (`dt nt!_IRP` without an address, field
 * types instead of values) is noise.
 */
import type { SourceLine } from '../../../src/text/index.js';
import { hex64, type Irp } from '../../../src/records/index.js';
import type { Block, BlockContext, PushVerdict, Shape } from '../engine.js';
import { commandArguments, indentOf, irpOfObject, isElision, literalAddress, readObjectNumber } from './irp-fields.js';

const FIELD = /^([ \t]*)\+0x[0-9a-fA-F]{1,4}[ \t]+([A-Za-z_]\w*)[ \t]*:[ \t]?(.*?)[ \t]*$/;
/** A list walk's element header: `ThreadListEntry.Flink at 0xffffe001\`2b4c8030`. */
const LIST_HEADER = /^[ \t]*(?:#{1,6}[ \t]+)?([A-Za-z_][\w.]*)[ \t]+at[ \t]+(0x[0-9a-fA-F]{1,8}`?[0-9a-fA-F]{0,8})[ \t]*$/;
const DASHES = /^[ \t]*-{3,}[ \t]*$/;
/** An array element inside a struct (`dt -b`): `[00]`. */
const ARRAY_ELEMENT = /^[ \t]*\[[0-9a-fA-F]+\]/;
/** A field type of a layout: Int2B, Uint4B, UChar, Char, Ptr64 _MDL, Void. */
const LAYOUT_TYPE = /^(?:U?Int\dB|U?Char|Ptr(?:32|64)\b|Void\b|Wchar\b)/;
/** The IRP fields that identify an IRP dump when no prompt says what was dumped. */
const IRP_FIELDS = ['Type', 'StackCount', 'CurrentLocation'] as const;
/** IO_TYPE_IRP (wdm.h): the Type of every IRP. */
const IO_TYPE_IRP = 6n;

interface DtCommand {
  /** The type dumped, as written (`nt!_IRP`), or null when the command names none. */
  readonly type: string | null;
  readonly address: bigint | null;
  /** `-l <field>`: the output is a list walk. */
  readonly list: boolean;
}

/** `X.Flink at 0x...` heads a walk's element; a bare `Word at 0x...` does only under `dt -l`. */
function isListHeader(path: string, command: DtCommand | null): boolean {
  return path.includes('.') || command?.list === true;
}

/** Options of dt that take a value of their own. */
const DT_OPTIONS_WITH_VALUE = new Set(['-l', '-y', '-s', '-n', '-i']);

export function readDtCommand(command: string | null): DtCommand | null {
  if (command === null || !/^dt(?:\s|$)/i.test(command)) return null;
  let type: string | null = null;
  let address: bigint | null = null;
  let addressSeen = false;
  let list = false;
  const args = commandArguments(command);
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg.startsWith('-')) {
      if (arg.toLowerCase() === '-l') list = true;
      if (DT_OPTIONS_WITH_VALUE.has(arg.toLowerCase())) i++;
      continue;
    }
    if (type === null && (arg.includes('!') || arg.startsWith('_'))) {
      type = arg;
      continue;
    }
    if (!addressSeen) {
      const literal = literalAddress(arg);
      // A register or expression is the address argument too, with no literal value.
      if (literal !== null || arg.startsWith('@') || arg.startsWith('poi(')) {
        address = literal;
        addressSeen = true;
      }
    }
  }
  return { type, address, list };
}

function isIrpType(type: string): boolean {
  return /^(?:\w+!)?_IRP$/i.test(type);
}

interface Section {
  readonly lines: SourceLine[];
  readonly fields: Map<string, string>;
  readonly path: { indent: number; name: string }[];
  readonly address: bigint | null;
  readonly first: SourceLine;
  /** Opened by a list header whose dash underline has not come yet. */
  underline: boolean;
}

class DtBlock implements Block {
  private section: Section | null = null;
  private readonly command: DtCommand | null;
  private sections = 0;

  constructor(private readonly context: BlockContext) {
    this.command = readDtCommand(context.command);
  }

  push(line: SourceLine): PushVerdict {
    const text = line.text;
    const start = indentOf(text);
    if (start < 0 || isElision(text)) {
      this.context.noise(line);
      return 'take';
    }
    const first = text.charCodeAt(start);
    if (first === 0x2b /* + */) {
      const field = FIELD.exec(text);
      if (!field) return 'leave';
      const section = this.section ?? this.startSection(line, null);
      this.readField(section, line, field[1]!.length, field[2]!, field[3]!);
      return 'take';
    }
    if (first === 0x2d /* - */ && this.section?.underline === true && DASHES.test(text)) {
      this.section.underline = false;
      this.section.lines.push(line);
      return 'take';
    }
    if (first === 0x5b /* [ */ && this.section !== null && ARRAY_ELEMENT.test(text)) {
      this.section.lines.push(line);
      return 'take';
    }
    const header = LIST_HEADER.exec(text);
    if (header && isListHeader(header[1]!, this.command)) {
      if (this.section) this.finishSection();
      this.startSection(line, literalAddress(header[2]!)).underline = true;
      return 'take';
    }
    return 'leave';
  }

  private startSection(line: SourceLine, address: bigint | null): Section {
    // Without a list header the address is the command's (plain `dt nt!_IRP <address>`).
    const section: Section = { lines: [line], fields: new Map(), path: [], address: address ?? (this.sections === 0 ? (this.command?.address ?? null) : null), first: line, underline: false };
    this.section = section;
    this.sections++;
    return section;
  }

  private readField(section: Section, line: SourceLine, indent: number, name: string, value: string): void {
    section.underline = false;
    if (section.first !== line) section.lines.push(line);
    const path = section.path;
    while (path.length > 0 && path[path.length - 1]!.indent >= indent) path.pop();
    path.push({ indent, name });
    const key = path.length === 1 ? name : path.map((p) => p.name).join('.');
    if (!section.fields.has(key)) section.fields.set(key, value);
  }

  private finishSection(): void {
    const section = this.section;
    if (!section) return;
    this.section = null;
    const fields = section.fields;
    const type = this.command?.type ?? null;
    const irp = type !== null ? isIrpType(type) : IRP_FIELDS.every((f) => fields.has(f));
    if (!irp) {
      const reason = `dt output of ${type ?? 'a type that is not nt!_IRP'}: only nt!_IRP is read`;
      for (const line of section.lines) this.context.skip(line, reason);
      return;
    }
    const typeValue = fields.get('Type');
    if (typeValue !== undefined && LAYOUT_TYPE.test(typeValue)) {
      // `dt nt!_IRP` with no address: the layout, no IRP in it.
      for (const line of section.lines) this.context.noise(line);
      return;
    }
    const typeNumber = typeValue === undefined ? null : readObjectNumber(typeValue);
    if (typeNumber !== null && typeNumber !== IO_TYPE_IRP) {
      const where = section.address === null ? '' : ` at ${hex64(section.address)}`;
      const reason = `not an IRP${where}: Type is ${typeNumber} and an IRP's is 6 (IO_TYPE_IRP); a list walk passes through its list head this way`;
      for (const line of section.lines) this.context.skip(line, reason);
      return;
    }
    this.context.emit(this.irpOf(section));
  }

  private irpOf(section: Section): Irp {
    return irpOfObject(section.first.line, 'dt', section.address, (path) => {
      const value = section.fields.get(path);
      return value === undefined ? null : readObjectNumber(value);
    });
  }

  close(): void {
    this.finishSection();
  }
}

/** Opens on a `+0x0NN Field :` line or on a list walk's element header. */
export const dtShape: Shape = {
  id: 'dt',
  open(line, context) {
    const text = line.text;
    const start = indentOf(text);
    if (start < 0) return null;
    const first = text.charCodeAt(start);
    if (first === 0x2b /* + */) {
      if (text.charCodeAt(start + 1) !== 0x30 /* 0 */ || !FIELD.test(text)) return null;
    } else if (first === 0x23 /* # */ || (first >= 0x41 && first <= 0x5a) || (first >= 0x61 && first <= 0x7a) || first === 0x5f) {
      if (text.indexOf(' at 0x', start) < 0) return null;
      const header = LIST_HEADER.exec(text);
      if (!header || !isListHeader(header[1]!, readDtCommand(context.command))) return null;
    } else {
      return null;
    }
    const block = new DtBlock(context);
    return block.push(line) === 'take' ? block : null;
  },
};
