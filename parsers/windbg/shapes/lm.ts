/**
 * The verbose module list: `lmvm mydrv`, `lm vm`, `lmDvm mydrv` (`lm` with `v`), one entry per module:
 *
 *   Browse full module list                                      (DML link line of newer debuggers)
 *   start             end                 module name
 *   fffff801`5a2b0000 fffff801`5a2c3000   mydrv      (deferred)
 *       Image path: \SystemRoot\system32\DRIVERS\mydrv.sys
 *       Image name: mydrv.sys
 *       Browse all global symbols  functions  data
 *       Timestamp:        Wed Mar  4 10:12:33 2020 (5E5F7D21)
 *       CheckSum:         0001A2B3
 *       ImageSize:        00013000
 *       File version:     1.2.3.4
 *       ...
 *       Information from resource tables:
 *           CompanyName:      Contoso
 *           FileVersion:      1.2.3.4 (built by: WinDDK)
 *   Unloaded modules:
 *   fffff801`2c5a0000 fffff801`2c5b1000   dump_storport.sys
 *       Timestamp: unavailable (00000000)
 *   Unable to enumerate user-mode unloaded modules, Win32 error 0n30
 *
 * With symbols loaded the module line carries the state and the symbol file (`(pdb symbols)   c:\sym\mydrv.pdb`)
 * and a `Loaded symbol image file:` line follows; x86 targets print 8-digit addresses without a backtick. The
 * corpus has no real lm output: this follows the layout WinDbg prints (see test/fixtures/windbg/lm/SOURCES.md).
 *
 * The fields are read indented or not: a paste that starts below the module line is all fields, and the markdown
 * stage strips that common 4-space indent as a code block's.
 *
 * Each entry is one ModuleVersion record at its module line. A field printed twice in one entry, or a value that
 * is not what the field holds (a CheckSum that is not 8 hex digits), is kept as a skipped line with why; the
 * entry is still emitted with what it did print.
 */
import type { SourceLine } from '../../../src/text/index.js';
import { hex32, hex64, readHex, type ModuleVersion } from '../../../src/records/index.js';
import type { Block, BlockContext, PushVerdict, Shape } from '../engine.js';
import { POINTER } from './irp-fields.js';

const HEADER = /^[ \t]*start[ \t]+end[ \t]+module name[ \t]*$/;
const BROWSE_LIST = /^[ \t]*Browse full module list[ \t]*$/;
const BROWSE_SYMBOLS = /^[ \t]*Browse all global symbols[ \t]+functions[ \t]+data[ \t]*$/;
const UNLOADED = /^[ \t]*Unloaded modules:[ \t]*$/;
const UNABLE = /^[ \t]*Unable to enumerate (?:user-mode |kernel-mode )?unloaded modules/;
const BREPRO = /^[ \t]*Image was built with \/Brepro flag\.[ \t]*$/;
const RESOURCES = /^[ \t]*Information from resource tables:[ \t]*$/;
/** `start end name (state) [symbol file]`; an optional one-letter flag column (`T`, `M`, `C`) before the state. */
const MODULE = new RegExp(`^[ \\t]*(${POINTER})[ \\t]+(${POINTER})[ \\t]+(\\S+)(?:[ \\t]+[A-Z#]{1,2})?[ \\t]+\\(([a-z][a-z ]*)\\)(?:[ \\t]+(\\S.*?))?[ \\t]*$`, 'i');
const UNLOADED_MODULE = new RegExp(`^[ \\t]*(${POINTER})[ \\t]+(${POINTER})[ \\t]+(\\S+)[ \\t]*$`);
const FIELD = /^[ \t]*([A-Za-z][A-Za-z ]*?):[ \t]*(.*?)[ \t]*$/;
const RESOURCE = /^[ \t]*([A-Z][a-z]\w*):[ \t]*(.*?)[ \t]*$/;
const HEX8 = /^[0-9a-fA-F]{8}$/;
/**
 * The version-resource strings. Debuggers before the `Information from resource tables:` line printed them at the
 * fields' own indent, straight after `Translations:`; they are read as resources either way.
 */
const RESOURCE_KEYS = new Set(['CompanyName', 'ProductName', 'InternalName', 'OriginalFilename', 'ProductVersion', 'FileVersion', 'FileDescription', 'LegalCopyright',
  'LegalTrademarks', 'Comments', 'PrivateBuild', 'SpecialBuild']);
const TIMESTAMP_HEX = /\(([0-9a-fA-F]{8})\)|^([0-9a-fA-F]{8})\b/;

type TextField = 'loadedImageFile' | 'mappedImageFile' | 'imagePath' | 'imageName' | 'timestamp' | 'fileVersion' | 'productVersion' | 'fileFlags' | 'fileOs'
  | 'fileType' | 'fileDate' | 'translations';
type HexField = 'checksum' | 'imageSize';

/** The field names lm prints under a module, case-insensitive (unloaded entries print `Checksum`). */
const FIELDS: ReadonlyMap<string, TextField | HexField> = new Map([
  ['loaded symbol image file', 'loadedImageFile'],
  ['mapped memory image file', 'mappedImageFile'],
  ['image path', 'imagePath'],
  ['image name', 'imageName'],
  ['timestamp', 'timestamp'],
  ['checksum', 'checksum'],
  ['imagesize', 'imageSize'],
  ['file version', 'fileVersion'],
  ['product version', 'productVersion'],
  ['file flags', 'fileFlags'],
  ['file os', 'fileOs'],
  ['file type', 'fileType'],
  ['file date', 'fileDate'],
  ['translations', 'translations'],
]);

/** The fields that can open a block on their own (a paste that starts below the module line). */
const OPENING_FIELDS = new Set(['loadedImageFile', 'imagePath', 'imageName']);

type Entry = ModuleVersion;

function emptyEntry(line: number, unloaded: boolean): Entry {
  return {
    type: 'moduleVersion', line, module: null, start: null, end: null, symbols: null, symbolFile: null, loadedImageFile: null, mappedImageFile: null,
    imagePath: null, imageName: null, timestamp: null, timestampValue: null, checksum: null, imageSize: null, fileVersion: null, productVersion: null,
    fileFlags: null, fileOs: null, fileType: null, fileDate: null, translations: null, resources: {}, unloaded,
  };
}

const address = (text: string): string | null => {
  const value = readHex(text);
  return value === null ? null : hex64(value);
};

class LmBlock implements Block {
  private entry: Entry | null = null;
  private inResources = false;

  constructor(private readonly context: BlockContext, private unloaded = false) {}

  push(line: SourceLine): PushVerdict {
    const text = line.text;
    if (text.trim() === '' || BROWSE_LIST.test(text) || HEADER.test(text) || UNABLE.test(text) || BREPRO.test(text)) {
      this.context.noise(line);
      return 'take';
    }
    if (UNLOADED.test(text)) {
      this.finishEntry();
      this.unloaded = true;
      this.context.noise(line);
      return 'take';
    }
    let m = MODULE.exec(text);
    if (m && isSymbolState(m[4]!)) {
      this.startEntry(line);
      const e = this.entry!;
      e.start = address(m[1]!);
      e.end = address(m[2]!);
      e.module = m[3]!;
      e.symbols = m[4]!;
      e.symbolFile = m[5] ?? null;
      return 'take';
    }
    if (this.unloaded && (m = UNLOADED_MODULE.exec(text))) {
      this.startEntry(line);
      const e = this.entry!;
      e.start = address(m[1]!);
      e.end = address(m[2]!);
      e.module = m[3]!;
      return 'take';
    }
    if (this.entry === null) {
      // Only the opening line (a field a paste starts with) gets here without an entry.
      const f = FIELD.exec(text);
      const name = f ? FIELDS.get(f[1]!.toLowerCase()) : undefined;
      if (!name || !OPENING_FIELDS.has(name)) return 'leave';
      this.startEntry(line);
    }
    if (BROWSE_SYMBOLS.test(text)) {
      this.context.noise(line);
      return 'take';
    }
    if (RESOURCES.test(text)) {
      this.inResources = true;
      return 'take';
    }
    const r = RESOURCE.exec(text);
    if (r && (this.inResources || RESOURCE_KEYS.has(r[1]!))) {
      const e = this.entry!;
      if (Object.hasOwn(e.resources, r[1]!)) this.context.skip(line, `a second ${r[1]!} in the resource tables of one module entry`);
      else e.resources[r[1]!] = r[2]!;
      return 'take';
    }
    const f = FIELD.exec(text);
    const name = f ? FIELDS.get(f[1]!.toLowerCase()) : undefined;
    if (!f || !name) return 'leave';
    this.inResources = false;
    this.field(line, name, f[1]!, f[2]!);
    return 'take';
  }

  private field(line: SourceLine, name: TextField | HexField, printed: string, value: string): void {
    const e = this.entry!;
    if (e[name] !== null) {
      this.context.skip(line, `a second "${printed}:" in one module entry`);
      return;
    }
    if (name === 'checksum' || name === 'imageSize') {
      if (!HEX8.test(value)) {
        this.context.skip(line, `${printed}: expected 8 hex digits, got ${JSON.stringify(value)}`);
        return;
      }
      e[name] = hex32(BigInt(`0x${value}`));
      return;
    }
    if (name === 'timestamp') {
      const t = TIMESTAMP_HEX.exec(value);
      const digits = t?.[1] ?? t?.[2];
      e.timestampValue = digits === undefined ? null : hex32(BigInt(`0x${digits}`));
    }
    e[name] = value;
  }

  private startEntry(line: SourceLine): void {
    this.finishEntry();
    this.entry = emptyEntry(line.line, this.unloaded);
  }

  private finishEntry(): void {
    if (this.entry) this.context.emit(this.entry as ModuleVersion);
    this.entry = null;
    this.inResources = false;
  }

  close(): void {
    this.finishEntry();
  }
}

/** `deferred`, or a state that says which symbols (`pdb symbols`, `private pdb symbols`, `export symbols`, ...). */
function isSymbolState(state: string): boolean {
  return state === 'deferred' || / ?symbols$/.test(state);
}

export const lmShape: Shape = {
  id: 'windbg.lm',
  open(line, context) {
    const text = line.text;
    const first = text.trimStart().charCodeAt(0);
    // Cheap rejections: every opening line starts with a hex digit, `s`tart, `B`rowse, `U`nloaded, or `I`/`L`/`M`.
    const hexDigit = (first >= 0x30 && first <= 0x39) || (first >= 0x61 && first <= 0x66) || (first >= 0x41 && first <= 0x46);
    if (!hexDigit && first !== 0x73 && first !== 0x42 && first !== 0x55 && first !== 0x49 && first !== 0x4c && first !== 0x4d) return null;
    if (HEADER.test(text) || BROWSE_LIST.test(text)) return accept(new LmBlock(context), line);
    if (UNLOADED.test(text)) return accept(new LmBlock(context, true), line);
    const m = hexDigit ? MODULE.exec(text) : null;
    if (m && isSymbolState(m[4]!)) return accept(new LmBlock(context), line);
    // Indented as lm prints it, or not: a paste that is all fields loses its 4-space indent to the markdown stage.
    const f = first === 0x49 || first === 0x4c ? FIELD.exec(text) : null;
    const name = f ? FIELDS.get(f[1]!.toLowerCase()) : undefined;
    if (name && OPENING_FIELDS.has(name)) return accept(new LmBlock(context), line);
    return null;
  },
};

function accept(block: LmBlock, line: SourceLine): Block | null {
  return block.push(line) === 'take' ? block : null;
}
