/**
 * IOCTL / FSCTL control codes: the four fields of CTL_CODE and every name any header (or the user's catalog) gives
 * the value. Layout (winioctl.h, CTL_CODE): device type bits 16-31, required access bits 14-15, function bits 2-13,
 * transfer method bits 0-1.
 */
import { NameIndex, hex32, hexShort, type NameRef } from './names.js';
import { IOCTL_NAMES } from './tables/ioctl-names.js';
import { DEVICE_TYPE_NAMES } from './tables/device-types.js';
import { METHOD_NAMES } from './tables/methods.js';
import { ACCESS_NAMES } from './tables/access.js';
import { irpMajorName } from './irp.js';
import type { NameCatalog } from './catalog-names.js';

export const ioctlNames = new NameIndex(IOCTL_NAMES, hex32);
export const deviceTypeNames = new NameIndex(DEVICE_TYPE_NAMES, hexShort);
const methodNames = new NameIndex(METHOD_NAMES, hexShort);
const accessNames = new NameIndex(ACCESS_NAMES, hexShort);

export interface IoctlFields {
  readonly deviceType: number;
  readonly function: number;
  readonly method: number;
  readonly access: number;
}

export function splitIoctl(code: number): IoctlFields {
  const value = code >>> 0;
  return { deviceType: value >>> 16, access: (value >>> 14) & 0x3, function: (value >>> 2) & 0xfff, method: value & 0x3 };
}

/** CTL_CODE(DeviceType, Function, Method, Access), with each field masked to its width. */
export function ctlCode(fields: IoctlFields): number {
  return (((fields.deviceType & 0xffff) << 16) | ((fields.access & 0x3) << 14) | ((fields.function & 0xfff) << 2) | (fields.method & 0x3)) >>> 0;
}

export type CodeRange = 'microsoft' | 'vendor';

export interface IoctlField {
  readonly value: number;
  readonly names: readonly NameRef[];
}

export interface IoctlDecoding {
  readonly kind: 'ioctl';
  readonly code: string;
  readonly value: number;
  /** Every candidate name, catalog names first, then public names (those that fit `major` first when it is given). */
  readonly names: readonly NameRef[];
  readonly deviceType: IoctlField & { readonly range: CodeRange; readonly letter: string | null };
  readonly function: IoctlField & { readonly range: CodeRange };
  readonly method: IoctlField & { readonly meaning: string };
  readonly access: IoctlField & { readonly meaning: string };
  /** Present when a major was given: how the names were ordered and why. */
  readonly major: { readonly name: string; readonly note: string } | null;
  /** Plain words when no header or catalog names the code. */
  readonly note: string | null;
}

const METHOD_MEANINGS: readonly string[] = [
  'the I/O manager copies input into one system buffer (Irp->AssociatedIrp.SystemBuffer) and copies output back from it; the driver never touches user memory',
  'input arrives in the system buffer; the output buffer is locked and handed over as an MDL (Irp->MdlAddress), probed for read access so the device can take data from it',
  'input arrives in the system buffer; the output buffer is locked and handed over as an MDL (Irp->MdlAddress), probed for write access so the device can fill it',
  'the driver gets the caller\'s raw user-mode pointers (Type3InputBuffer, Irp->UserBuffer) and must probe and capture them itself, in the caller\'s context',
];

const ACCESS_MEANINGS: readonly string[] = [
  'any handle to the device can send it, even one opened with no read or write access',
  'the I/O manager refuses the request before the driver sees it unless the handle was opened with read access',
  'the I/O manager refuses the request before the driver sees it unless the handle was opened with write access',
  'the I/O manager refuses the request before the driver sees it unless the handle was opened with both read and write access',
];

export const IRP_MJ_FILE_SYSTEM_CONTROL = 0x0d;
export const IRP_MJ_DEVICE_CONTROL = 0x0e;
export const IRP_MJ_INTERNAL_DEVICE_CONTROL = 0x0f;

/** Which major a control-code name is sent with, judged from its name, with the reason. */
export function majorOfName(name: string): { major: number; reason: string } {
  if (name.startsWith('FSCTL_')) return { major: IRP_MJ_FILE_SYSTEM_CONTROL, reason: 'FSCTL_ names are file-system controls' };
  if (/(^|_)INTERNAL_/.test(name)) return { major: IRP_MJ_INTERNAL_DEVICE_CONTROL, reason: 'names with INTERNAL_ are sent between drivers as internal device controls' };
  return { major: IRP_MJ_DEVICE_CONTROL, reason: 'IOCTL_ names without INTERNAL_ are sent from user mode as device controls' };
}

let readWriteNames: readonly NameRef[] | null = null;
function accessNamesOf(value: number): readonly NameRef[] {
  const direct = accessNames.namesOf(value);
  if (direct.length > 0 || value !== 3) return direct;
  readWriteNames ??= combinedReadWrite();
  return readWriteNames;
}

function combinedReadWrite(): readonly NameRef[] {
  // Read and write together have no single name in the headers: show the two flags combined.
  const read = accessNames.namesOf(1)[0];
  const write = accessNames.namesOf(2)[0];
  if (!read || !write) return [];
  return [{ name: `${read.name} | ${write.name}`, source: read.source, sources: [...new Set([...read.sources, ...write.sources])] }];
}

function asciiLetter(deviceType: number): string | null {
  return (deviceType >= 0x41 && deviceType <= 0x5a) || (deviceType >= 0x61 && deviceType <= 0x7a) ? String.fromCharCode(deviceType) : null;
}

export interface IoctlOptions {
  /** IRP major the code was sent with (IRP_MJ_DEVICE_CONTROL, IRP_MJ_INTERNAL_DEVICE_CONTROL, IRP_MJ_FILE_SYSTEM_CONTROL). */
  readonly major?: number;
  readonly catalog?: NameCatalog;
}

/** Decodes any 32-bit value as a control code. Never throws: values outside 32 bits are masked by the caller's parser. */
export function decodeIoctl(code: number, options: IoctlOptions = {}): IoctlDecoding {
  const value = code >>> 0;
  const fields = splitIoctl(value);
  const catalogNames = options.catalog?.namesOf('ioctl', value) ?? [];
  let publicNames = ioctlNames.namesOf(value);
  let major: IoctlDecoding['major'] = null;
  if (options.major !== undefined) {
    const majorName = irpMajorName(options.major) ?? hexShort(options.major);
    const fits = publicNames.filter((ref) => majorOfName(ref.name).major === options.major);
    const rest = publicNames.filter((ref) => majorOfName(ref.name).major !== options.major);
    publicNames = [...fits, ...rest];
    const why = options.major === IRP_MJ_INTERNAL_DEVICE_CONTROL ? 'names with INTERNAL_ are the ones sent between drivers'
      : options.major === IRP_MJ_FILE_SYSTEM_CONTROL ? 'FSCTL_ names are the file-system controls'
        : options.major === IRP_MJ_DEVICE_CONTROL ? 'IOCTL_ names without INTERNAL_ are the ones sent from user mode' : 'this major does not carry control codes';
    major = {
      name: majorName,
      note: fits.length > 0 && rest.length > 0
        ? `sent with ${majorName}: ${fits.map((r) => r.name).join(', ')} listed first, because ${why}`
        : fits.length > 0 ? `sent with ${majorName}: every name fits, because ${why}`
          : publicNames.length > 0 ? `sent with ${majorName}: no name fits that major (${why}); all are shown` : `sent with ${majorName}`,
    };
  }
  const names = [...catalogNames, ...publicNames];
  const deviceTypeCatalog = options.catalog?.namesOf('deviceType', fields.deviceType) ?? [];
  return {
    kind: 'ioctl',
    code: hex32(value),
    value,
    names,
    deviceType: {
      value: fields.deviceType,
      names: [...deviceTypeCatalog, ...deviceTypeNames.namesOf(fields.deviceType)],
      range: fields.deviceType >= 0x8000 ? 'vendor' : 'microsoft',
      letter: asciiLetter(fields.deviceType),
    },
    function: { value: fields.function, names: [], range: fields.function >= 0x800 ? 'vendor' : 'microsoft' },
    method: { value: fields.method, names: methodNames.namesOf(fields.method), meaning: METHOD_MEANINGS[fields.method]! },
    access: { value: fields.access, names: accessNamesOf(fields.access), meaning: ACCESS_MEANINGS[fields.access]! },
    major,
    note: names.length === 0 ? 'no known name: no header in the tables and no catalog entry defines this value' : null,
  };
}
