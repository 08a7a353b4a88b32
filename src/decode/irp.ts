/** IRP major and minor function codes. Minor codes are looked up under their major only. */
import { NameIndex, hexShort, type NameRef } from './names.js';
import { IRP_MAJOR_NAMES } from './tables/irp-majors.js';
import { IRP_MINOR_NAMES } from './tables/irp-minors.js';

export const irpMajorNames = new NameIndex(IRP_MAJOR_NAMES, hexShort);
const irpMinorNames = new NameIndex(IRP_MINOR_NAMES, (key) => hexShort(key & 0xff));

/** The first (preferred) name of a major function code, e.g. 0x0e -> IRP_MJ_DEVICE_CONTROL. */
export function irpMajorName(major: number): string | null {
  return irpMajorNames.namesOf(major & 0xff)[0]?.name ?? null;
}

export function irpMajorNamesOf(major: number): readonly NameRef[] {
  return irpMajorNames.namesOf(major & 0xff);
}

/** Names of a minor code under one major (empty when that major defines no such minor). */
export function irpMinorNamesOf(major: number, minor: number): readonly NameRef[] {
  return irpMinorNames.namesOf((major & 0xff) * 256 + (minor & 0xff));
}

/** Value of a major by name (IRP_MJ_DEVICE_CONTROL -> 0x0e), also accepting the short form DEVICE_CONTROL. */
export function irpMajorByName(name: string): number | null {
  const upper = name.toUpperCase();
  const full = upper.startsWith('IRP_MJ_') ? upper : `IRP_MJ_${upper}`;
  return irpMajorNames.valuesOf(full)[0] ?? null;
}
