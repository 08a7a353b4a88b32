/**
 * NTSTATUS values. Layout (ntdef.h / ntstatus.h comment): severity bits 30-31, customer bit 29, reserved (N) bit 28,
 * facility bits 16-27, code bits 0-15.
 */
import { NameIndex, hex32, hexShort, type NameRef } from './names.js';
import { NTSTATUS_NAMES } from './tables/ntstatus-names.js';
import { FACILITY_NAMES } from './tables/facilities.js';
import type { NameCatalog } from './catalog-names.js';

export const ntstatusNames = new NameIndex(NTSTATUS_NAMES, hex32);
const facilityNames = new NameIndex(FACILITY_NAMES, hexShort);

/** The four severities, named as ntdef.h names them (STATUS_SEVERITY_*). */
const SEVERITIES = [
  { name: 'STATUS_SEVERITY_SUCCESS', meaning: 'success' },
  { name: 'STATUS_SEVERITY_INFORMATIONAL', meaning: 'informational: the call succeeded and says something more' },
  { name: 'STATUS_SEVERITY_WARNING', meaning: 'warning: the call did only part of its work' },
  { name: 'STATUS_SEVERITY_ERROR', meaning: 'error: the call failed' },
] as const;

export interface NtStatusDecoding {
  readonly kind: 'ntstatus';
  readonly code: string;
  readonly value: number;
  readonly names: readonly NameRef[];
  readonly severity: { readonly value: number; readonly name: string; readonly meaning: string };
  /** Bit 29: set by vendors for their own status values; Microsoft's all have it clear. */
  readonly customer: boolean;
  /** Bit 28: reserved in NTSTATUS; set when an HRESULT wraps an NTSTATUS (HRESULT_FROM_NT). */
  readonly reserved: boolean;
  readonly facility: { readonly value: number; readonly names: readonly NameRef[] };
  readonly codeField: number;
  readonly note: string | null;
}

export interface NtStatusOptions {
  readonly catalog?: NameCatalog;
}

/** Decodes any 32-bit value as an NTSTATUS. Never throws. */
export function decodeNtStatus(status: number, options: NtStatusOptions = {}): NtStatusDecoding {
  const value = status >>> 0;
  const severityValue = value >>> 30;
  const severity = SEVERITIES[severityValue]!;
  const customer = ((value >>> 29) & 1) === 1;
  const facility = (value >>> 16) & 0xfff;
  const names = [...(options.catalog?.namesOf('ntstatus', value) ?? []), ...ntstatusNames.namesOf(value)];
  return {
    kind: 'ntstatus',
    code: hex32(value),
    value,
    names,
    severity: { value: severityValue, name: severity.name, meaning: severity.meaning },
    customer,
    reserved: ((value >>> 28) & 1) === 1,
    // Facility names are Microsoft's: a customer status uses its own facility numbers.
    facility: { value: facility, names: customer ? [] : facilityNames.namesOf(facility) },
    codeField: value & 0xffff,
    note: names.length > 0 ? null : customer ? 'no known name: the customer bit is set, so this is a vendor-defined status' : 'no known name: no header in the tables defines this value',
  };
}

/** The first name of a status, for one-line renderings. */
export function ntstatusName(status: number): string | null {
  return ntstatusNames.namesOf(status >>> 0)[0]?.name ?? null;
}
