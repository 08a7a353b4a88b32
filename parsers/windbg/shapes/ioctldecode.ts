/**
 * `!ioctldecode <code>` output (corpus/windbg/msdocs-ioctldecode-known.txt, msdocs-ioctldecode-unknown.txt):
 *   IOCTL_INTERNAL_USB_SUBMIT_URB                 or   Unknown IOCTL  : 0x1280ce
 *   Device Type    : 0x22 (FILE_DEVICE_WINLOAD) (FILE_DEVICE_USER_MODE_BUS) (FILE_DEVICE_USB) (FILE_DEVICE_UNKNOWN)
 *   Method         : 0x3 METHOD_NEITHER
 *   Access         : FILE_ANY_ACCESS
 *   Function       : 0x0
 * (blank lines between, trailing spaces). A known code's value is printed nowhere in the output: it comes from the
 * command, else from the four fields (CTL_CODE of them is exact). The result is an IoctlOccurrence (via
 * 'ioctldecode'), decoded by the core; every printed field is checked against that decoding and a line that
 * disagrees is skipped with "ioctldecode says X, the code decodes to Y".
 */
import type { SourceLine } from '../../../src/text/index.js';
import { ctlCode, decodeIoctl, splitIoctl } from '../../../src/decode/ioctl.js';
import { ACCESS_NAMES } from '../../../src/decode/tables/access.js';
import { hex32 } from '../../../src/records/index.js';
import { ioctlOccurrence } from '../../decoded.js';
import type { Block, BlockContext, PushVerdict, Shape } from '../engine.js';
import { LineProblems, commandArguments, indentOf, literalAddress } from './irp-fields.js';

const NAME_LINE = /^[ \t]*([A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+)[ \t]*$/;
const UNKNOWN_LINE = /^[ \t]*Unknown IOCTL[ \t]*:[ \t]*((?:0x)?[0-9a-fA-F]{1,8})[ \t]*$/;
const DEVICE_TYPE_LINE = /^[ \t]*Device Type[ \t]*:[ \t]*(0x[0-9a-fA-F]{1,4})((?:[ \t]*\([A-Za-z0-9_]+\))*)[ \t]*$/;
const METHOD_LINE = /^[ \t]*Method[ \t]*:[ \t]*(0x[0-3])(?:[ \t]+([A-Z_]+))?[ \t]*$/;
const ACCESS_LINE = /^[ \t]*Access[ \t]*:[ \t]*(\S.*?)[ \t]*$/;
const FUNCTION_LINE = /^[ \t]*Function[ \t]*:[ \t]*(0x[0-9a-fA-F]{1,3})[ \t]*$/;

/** FILE_*_ACCESS name -> its bits (FILE_ANY_ACCESS and FILE_SPECIAL_ACCESS are 0). */
const ACCESS_BITS: ReadonlyMap<string, number> = new Map(ACCESS_NAMES.map(([value, name]) => [name, value]));

interface Printed<T> {
  readonly line: SourceLine;
  readonly value: T;
}

function isIoctldecode(command: string | null): boolean {
  return command !== null && /^!(?:\w+\.)?ioctldecode\s/i.test(command);
}

/** The code the command asked about (hex as WinDbg reads it, `0x`, `0n`), or null. */
function commandCode(command: string | null): number | null {
  if (!isIoctldecode(command)) return null;
  const first = commandArguments(command!)[0];
  const value = first === undefined ? null : literalAddress(first);
  return value === null || value > 0xffffffffn ? null : Number(value);
}

function list(names: readonly string[]): string {
  return names.length === 0 ? 'no known name' : names.join(', ');
}

class IoctldecodeBlock implements Block {
  private first: SourceLine | null = null;
  private name: Printed<string> | null = null;
  private unknown: Printed<number> | null = null;
  private deviceType: Printed<{ value: number; names: string[] }> | null = null;
  private method: Printed<{ value: number; name: string | null }> | null = null;
  private access: Printed<string> | null = null;
  private function: Printed<number> | null = null;
  private readonly problems = new LineProblems();

  constructor(private readonly context: BlockContext) {}

  push(line: SourceLine): PushVerdict {
    const text = line.text;
    const start = indentOf(text);
    if (start < 0) {
      this.context.noise(line);
      return 'take';
    }
    if (!this.read(line, text.charCodeAt(start))) return 'leave';
    this.first ??= line;
    return 'take';
  }

  /** One line of the output, each part at most once and in WinDbg's order; anything else ends the block. */
  private read(line: SourceLine, first: number): boolean {
    const text = line.text;
    const fieldsStarted = this.deviceType !== null || this.method !== null || this.access !== null || this.function !== null;
    switch (first) {
      case 0x55 /* U */: {
        const m = this.first === null ? UNKNOWN_LINE.exec(text) : null;
        if (m) {
          this.unknown = { line, value: parseInt(m[1]!.replace(/^0x/i, ''), 16) };
          return true;
        }
        break;
      }
      case 0x44 /* D */: {
        const m = this.deviceType === null && !fieldsStarted ? DEVICE_TYPE_LINE.exec(text) : null;
        if (m) {
          const names = [...m[2]!.matchAll(/\(([A-Za-z0-9_]+)\)/g)].map((n) => n[1]!);
          this.deviceType = { line, value: { value: parseInt(m[1]!, 16), names } };
          return true;
        }
        break;
      }
      case 0x4d /* M */: {
        const m = this.method === null && this.access === null && this.function === null ? METHOD_LINE.exec(text) : null;
        if (m) {
          this.method = { line, value: { value: parseInt(m[1]!, 16), name: m[2] ?? null } };
          return true;
        }
        break;
      }
      case 0x41 /* A */: {
        const m = this.access === null && this.function === null ? ACCESS_LINE.exec(text) : null;
        if (m) {
          this.access = { line, value: m[1]! };
          return true;
        }
        break;
      }
      case 0x46 /* F */: {
        const m = this.function === null ? FUNCTION_LINE.exec(text) : null;
        if (m) {
          this.function = { line, value: parseInt(m[1]!, 16) };
          return true;
        }
        break;
      }
    }
    // The name line comes first, before any field.
    if (this.first !== null) return false;
    const m = NAME_LINE.exec(text);
    if (!m) return false;
    this.name = { line, value: m[1]! };
    return true;
  }

  close(): void {
    const first = this.first;
    if (first === null) return;
    const fromCommand = commandCode(this.context.command);
    let code = fromCommand ?? this.unknown?.value ?? null;
    if (this.unknown && fromCommand !== null && this.unknown.value !== fromCommand) {
      this.problems.add(this.unknown.line, `ioctldecode says ${hex32(this.unknown.value)}, the command asked for ${hex32(fromCommand)}`);
    }
    if (code === null && this.deviceType && this.method && this.access && this.function) {
      const access = this.accessBits(this.access);
      if (access !== null) code = ctlCode({ deviceType: this.deviceType.value.value, function: this.function.value, method: this.method.value.value, access });
    }
    if (code === null) {
      // No prompt and not all four fields: nothing says which code this is.
      const reason = this.name && !this.deviceType ? 'a control-code name alone, with no !ioctldecode fields after it' : '!ioctldecode output without its code (no prompt, no Unknown IOCTL line, not all four fields)';
      for (const part of [this.name, this.unknown, this.deviceType, this.method, this.access, this.function]) if (part) this.problems.add(part.line, reason);
      this.problems.flush(this.context);
      return;
    }
    this.check(code);
    this.context.emit(ioctlOccurrence(code, first.line, { via: 'ioctldecode' }));
    this.problems.flush(this.context);
  }

  /** The bits of the printed access names (`FILE_READ_ACCESS | FILE_WRITE_ACCESS`), or null if one is unknown. */
  private accessBits(access: Printed<string>): number | null {
    let bits = 0;
    for (const word of access.value.split(/[\s|()]+/)) {
      if (word === '') continue;
      const value = /^0x[0-3]$/i.test(word) ? parseInt(word, 16) : ACCESS_BITS.get(word);
      if (value === undefined) return null;
      bits |= value;
    }
    return bits;
  }

  /** Every printed field against the core's decoding of the code. */
  private check(code: number): void {
    const decoded = decodeIoctl(code);
    const fields = splitIoctl(code);
    const says = (part: Printed<unknown>, printed: string, decodes: string): void => this.problems.add(part.line, `ioctldecode says ${printed}, the code decodes to ${decodes}`);
    if (this.name) {
      const names = decoded.names.map((n) => n.name);
      if (!names.includes(this.name.value)) says(this.name, this.name.value, list(names));
    }
    if (this.deviceType) {
      const { value, names } = this.deviceType.value;
      const known = decoded.deviceType.names.map((n) => n.name);
      const unknown = names.filter((n) => !known.includes(n));
      if (value !== fields.deviceType || unknown.length > 0) {
        const printed = `device type 0x${value.toString(16)} ${names.map((n) => `(${n})`).join(' ')}`.trim();
        const why = value !== fields.deviceType ? '' : ` (no name table gives 0x${value.toString(16)} the names ${unknown.join(', ')})`;
        says(this.deviceType, printed, `device type 0x${fields.deviceType.toString(16)} ${list(known)}${why}`);
      }
    }
    if (this.method) {
      const { value, name } = this.method.value;
      const known = decoded.method.names.map((n) => n.name);
      if (value !== fields.method || (name !== null && !known.includes(name))) {
        says(this.method, `method 0x${value.toString(16)} ${name ?? ''}`.trim(), `method 0x${fields.method.toString(16)} ${list(known)}`);
      }
    }
    if (this.access) {
      const bits = this.accessBits(this.access);
      if (bits !== fields.access) {
        says(this.access, `access ${this.access.value}`, `access ${fields.access} ${list(decoded.access.names.map((n) => n.name))}`);
      }
    }
    if (this.function && this.function.value !== fields.function) {
      says(this.function, `function 0x${this.function.value.toString(16)}`, `function 0x${fields.function.toString(16)}`);
    }
  }
}

/** Opens on `Unknown IOCTL :`, `Device Type :`, or a name line (any name after a !ioctldecode prompt). */
export const ioctldecodeShape: Shape = {
  id: 'ioctldecode',
  open(line, context) {
    const text = line.text;
    const start = indentOf(text);
    if (start < 0) return null;
    const first = text.charCodeAt(start);
    if (first === 0x55 /* U */) {
      if (!text.startsWith('Unknown IOCTL', start)) return null;
    } else if (first === 0x44 /* D */) {
      if (!text.startsWith('Device Type', start)) return null;
    } else if (first === 0x49 /* I */ || first === 0x46 /* F */) {
      if (!text.startsWith('IOCTL_', start) && !text.startsWith('FSCTL_', start) && !isIoctldecode(context.command)) return null;
    } else if (!(first >= 0x41 && first <= 0x5a) || !isIoctldecode(context.command)) {
      return null;
    }
    const block = new IoctldecodeBlock(context);
    return block.push(line) === 'take' ? block : null;
  },
};
