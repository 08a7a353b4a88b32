/**
 * The decoding the browser shows: the core decoders with the user's private catalog, so a team's own IOCTL names
 * (irpscope catalog add) appear beside the public ones, as in `irpscope decode`. One catalog per process, set
 * when browse starts (before the first frame): cells are plain functions of a row and cannot carry it.
 */
import type { NameCatalog } from '../decode/catalog-names.js';
import { decodeIoctl, type IoctlDecoding } from '../decode/ioctl.js';

let catalog: NameCatalog | undefined;

export function useCatalog(next: NameCatalog | undefined): void {
  catalog = next;
}

export function decodeIoctlHere(code: number): IoctlDecoding {
  return decodeIoctl(code, catalog ? { catalog } : {});
}
