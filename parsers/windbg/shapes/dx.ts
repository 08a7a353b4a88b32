/**
 * `dx` object output: a header line with the expression and its type, then one `[+0x020] Name : value [Type: T]`
 * line per field, nested fields indented four more columns (`-r2`), structs without a value (`[+0x030] IoStatus
 * [Type: _IO_STATUS_BLOCK]`) and `[<Raw View>]` entries.
 *   dx -r2 ((ntkrnlmp!_IRP *)0xffffe0012b4c8010)
 *   ((ntkrnlmp!_IRP *)0xffffe0012b4c8010)                 : 0xffffe0012b4c8010 [Type: _IRP *]
 *       [+0x000] Type             : 6 [Type: short]
 * An object whose type is _IRP (from the header, the command or, without either, its fields) becomes an Irp (via
 * 'dx'); another type's lines are skipped with that reason.
 */
import type { SourceLine } from '../../../src/text/index.js';
import type { Block, BlockContext, PushVerdict, Shape } from '../engine.js';
import { indentOf, irpOfObject, isElision, literalAddress, readObjectNumber } from './irp-fields.js';

/** The object line: the expression at column 0, an optional `: value`, then `[Type: T]`. */
const HEADER = /^(\S.*?)[ \t]*(?::[ \t]*(.*?))?[ \t]*\[Type: ([^\]]+)\][ \t]*$/;
const FIELD = /^([ \t]+)\[\+0x[0-9a-fA-F]{1,4}\][ \t]+([A-Za-z_]\w*)[ \t]*(.*)$/;
/** `[<Raw View>]`, `[0] : 0x30`, `[Type: ...]`: entries of the object that are no field. */
const ENTRY = /^[ \t]+\[[^\]]*\]/;
/** A pointer cast to _IRP in an expression: `(ntkrnlmp!_IRP *)0xffffe0012b4c8010`. */
const IRP_CAST = /_IRP[ \t]*\*[ \t]*\)[ \t]*(0x[0-9a-fA-F]{1,8}`?[0-9a-fA-F]{0,8})/i;
const IRP_FIELDS = ['Type', 'StackCount', 'CurrentLocation'] as const;

function isIrpType(type: string): boolean {
  return /^(?:\w+!)?_IRP(?:[ \t]*\*)?$/i.test(type.trim());
}

/** A field's value: between `:` and `[Type:`; null for a struct, which has no value of its own. */
function fieldValue(rest: string): string | null {
  if (!rest.startsWith(':')) return null;
  const typeAt = rest.lastIndexOf('[Type:');
  return (typeAt < 0 ? rest.slice(1) : rest.slice(1, typeAt)).trim();
}

class DxBlock implements Block {
  private readonly lines: SourceLine[] = [];
  private readonly fields = new Map<string, string>();
  private readonly path: { indent: number; name: string }[] = [];
  private type: string | null = null;
  private address: bigint | null = null;
  private first: SourceLine | null = null;

  constructor(private readonly context: BlockContext) {
    const cast = context.command !== null && /^dx\s/i.test(context.command) ? IRP_CAST.exec(context.command) : null;
    if (cast) {
      this.type = '_IRP *';
      this.address = literalAddress(cast[1]!);
    }
  }

  push(line: SourceLine): PushVerdict {
    const text = line.text;
    const start = indentOf(text);
    if (start < 0 || isElision(text)) {
      this.context.noise(line);
      return 'take';
    }
    if (start === 0) {
      // Another object line starts another object.
      if (this.first !== null) return 'leave';
      const header = HEADER.exec(text);
      if (!header) return 'leave';
      this.first = line;
      this.lines.push(line);
      this.type = header[3]!.trim();
      const cast = IRP_CAST.exec(header[1]!);
      const value = header[2] === undefined ? null : readObjectNumber(header[2]);
      if (cast) this.address = literalAddress(cast[1]!);
      else if (value !== null && isIrpType(this.type) && this.type.endsWith('*')) this.address = value;
      return 'take';
    }
    const field = FIELD.exec(text);
    if (field) {
      this.first ??= line;
      this.lines.push(line);
      const indent = field[1]!.length;
      while (this.path.length > 0 && this.path[this.path.length - 1]!.indent >= indent) this.path.pop();
      this.path.push({ indent, name: field[2]! });
      const value = fieldValue(field[3]!);
      const key = this.path.map((p) => p.name).join('.');
      if (value !== null && !this.fields.has(key)) this.fields.set(key, value);
      return 'take';
    }
    if (this.first !== null && ENTRY.test(text)) {
      this.lines.push(line);
      return 'take';
    }
    return 'leave';
  }

  close(): void {
    const first = this.first;
    if (first === null) return;
    const fields = this.fields;
    const irp = this.type !== null ? isIrpType(this.type) : IRP_FIELDS.every((f) => fields.has(f));
    if (!irp) {
      const reason = `dx output of ${this.type ?? 'a type that is not _IRP'}: only _IRP is read`;
      for (const line of this.lines) this.context.skip(line, reason);
      return;
    }
    const number = (key: string): bigint | null => {
      const value = fields.get(key);
      return value === undefined ? null : readObjectNumber(value);
    };
    const typeNumber = number('Type');
    if (typeNumber !== null && typeNumber !== 6n) {
      const reason = `not an IRP: Type is ${typeNumber} and an IRP's is 6 (IO_TYPE_IRP)`;
      for (const line of this.lines) this.context.skip(line, reason);
      return;
    }
    this.context.emit(irpOfObject(first.line, 'dx', this.address, number));
  }
}

/** Opens on an object line (`(`, `*` or `@` at column 0, with `[Type: `) or on an indented `[+0x...]` field. */
export const dxShape: Shape = {
  id: 'dx',
  open(line, context) {
    const text = line.text;
    const first = text.charCodeAt(0);
    if (first === 0x28 /* ( */ || first === 0x2a /* * */ || first === 0x40 /* @ */) {
      if (text.indexOf('[Type: ') < 0 || !HEADER.test(text)) return null;
    } else if (first === 0x20 || first === 0x09) {
      const start = indentOf(text);
      if (start < 0 || text.charCodeAt(start) !== 0x5b /* [ */ || text.charCodeAt(start + 1) !== 0x2b /* + */ || !FIELD.test(text)) return null;
    } else {
      return null;
    }
    const block = new DxBlock(context);
    return block.push(line) === 'take' ? block : null;
  },
};
