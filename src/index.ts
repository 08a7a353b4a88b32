/**
 * irpscope as a library: the decoding core, typed.
 *
 *   import { decodeIoctl, decodeNtStatus, decodeBugcheck } from 'irpscope';
 *   decodeIoctl(0x222004).deviceType.names[0]?.name // 'FILE_DEVICE_UNKNOWN'
 */
export { decodeIoctl, splitIoctl, ctlCode, majorOfName } from './decode/ioctl.js';
export type { IoctlDecoding, IoctlField, IoctlFields, IoctlOptions, CodeRange } from './decode/ioctl.js';
export { decodeNtStatus, ntstatusName } from './decode/ntstatus.js';
export type { NtStatusDecoding, NtStatusOptions } from './decode/ntstatus.js';
export { decodeBugcheck } from './decode/bugcheck.js';
export type { BugcheckDecoding, BugcheckParameter, BugcheckOptions } from './decode/bugcheck.js';
export { irpMajorName, irpMajorNamesOf, irpMinorNamesOf, irpMajorByName } from './decode/irp.js';
export { lookup, parseNumber, guessKind, parseMajor } from './decode/lookup.js';
export type { Decoding, DecodeKind, LookupOptions, LookupResult } from './decode/lookup.js';
export type { NameRef } from './decode/names.js';
export { CatalogNames } from './decode/catalog-names.js';
export type { NameCatalog, CatalogEntry, CatalogKind } from './decode/catalog-names.js';
export { BUGCHECK_REFERENCE } from './decode/bugcheck-reference.js';
export type { BugcheckReference, BugcheckCase, ParameterKind, ParameterMeaning } from './decode/bugcheck-reference.js';
