/** A user's private names (their own headers), consulted by the decoders beside the public tables. Pure data. */
import type { NameRef } from './names.js';

export type CatalogKind = 'ioctl' | 'deviceType' | 'ntstatus' | 'bugcheck';

export interface CatalogEntry {
  readonly kind: CatalogKind;
  readonly name: string;
  readonly value: number;
  /** Absolute path of the header that defines it. */
  readonly file: string;
  readonly line: number;
}

export interface NameCatalog {
  namesOf(kind: CatalogKind, value: number): NameRef[];
  valuesOf(kind: CatalogKind, name: string): number[];
}

export class CatalogNames implements NameCatalog {
  private readonly byValue = new Map<string, CatalogEntry[]>();
  private readonly byName = new Map<string, CatalogEntry[]>();

  constructor(readonly entries: readonly CatalogEntry[]) {
    for (const entry of entries) {
      const valueKey = `${entry.kind}:${entry.value}`;
      this.byValue.set(valueKey, [...(this.byValue.get(valueKey) ?? []), entry]);
      const nameKey = `${entry.kind}:${entry.name}`;
      this.byName.set(nameKey, [...(this.byName.get(nameKey) ?? []), entry]);
    }
  }

  namesOf(kind: CatalogKind, value: number): NameRef[] {
    return (this.byValue.get(`${kind}:${value >>> 0}`) ?? []).map((entry) => {
      const source = `catalog:${entry.file}:${entry.line}`;
      return { name: entry.name, source, sources: [source] };
    });
  }

  valuesOf(kind: CatalogKind, name: string): number[] {
    return [...new Set((this.byName.get(`${kind}:${name}`) ?? []).map((entry) => entry.value))];
  }
}
