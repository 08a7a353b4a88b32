/**
 * The `Control:` Procmon prints in the Detail of DeviceIoControl, InternalDeviceIoControl and FileSystemControl
 * rows: a name when Procmon knows the code (`Control: FSCTL_REQUEST_OPLOCK`), else the code with its fields
 * (`Control: 0x902eb (Device:0x9 Function:186 Method: 3)`, with a space in `Method: 3`). A name is mapped back to
 * its code through the core's tables; printed fields are checked against the code's own.
 */
import { splitIoctl } from '../../src/decode/ioctl.js';
import { lookup } from '../../src/decode/lookup.js';
import { hex32 } from '../../src/records/index.js';
import type { ProcmonControl } from '../../src/records/procmon.js';

const CONTROL = /^Control:\s*([^,(\s]+)(?:\s*\(Device:\s*0x([0-9a-fA-F]+)\s+Function:\s*(\d+)\s+Method:\s*(\d+)\))?/;

/** The control operations and the IRP major each is sent with. */
export const CONTROL_OPERATIONS: ReadonlyMap<string, string> = new Map([
  ['FileSystemControl', 'IRP_MJ_FILE_SYSTEM_CONTROL'],
  ['DeviceIoControl', 'IRP_MJ_DEVICE_CONTROL'],
  ['InternalDeviceIoControl', 'IRP_MJ_INTERNAL_DEVICE_CONTROL'],
]);

/** Codes of the names Procmon printed, looked up once each (a log repeats a few names on thousands of rows). */
const codesByName = new Map<string, number | null>();

function codeOfName(name: string): number | null {
  let code = codesByName.get(name);
  if (code === undefined) {
    // Only a symbol is looked up: lookup() would read a bare "ABC" as a hex number.
    const found = /^[A-Za-z_]\w*$/.test(name) && !/^[0-9a-fA-F]+$/.test(name) ? lookup(name, { as: 'ioctl' }) : null;
    code = found?.ok ? found.decoding.value : null;
    if (codesByName.size > 4096) codesByName.clear();
    codesByName.set(name, code);
  }
  return code;
}

/** The control in a Detail cell, or null when it has none. */
export function procmonControl(detail: string): ProcmonControl | null {
  const m = CONTROL.exec(detail);
  if (!m) return null;
  const text = m[1]!;
  const printed = m[2] === undefined ? null : { deviceType: Number.parseInt(m[2], 16), function: Number(m[3]), method: Number(m[4]) };
  let code: number | null = null;
  let name: string | null = null;
  if (/^0x[0-9a-fA-F]{1,8}$/.test(text)) code = Number.parseInt(text.slice(2), 16) >>> 0;
  else {
    name = text;
    code = codeOfName(text);
  }
  let agrees: boolean | null = null;
  if (printed && code !== null) {
    const fields = splitIoctl(code);
    agrees = fields.deviceType === printed.deviceType && fields.function === printed.function && fields.method === printed.method;
  }
  return { text, code: code === null ? null : hex32(code), name, printed, agrees };
}
