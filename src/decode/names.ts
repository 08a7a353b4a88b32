/**
 * Look-ups over the generated name tables: value -> every name with its sources, name -> values. Indexes are built
 * once, on first use, so importing the decoder costs nothing until it decodes.
 */
import type { NameRow } from './tables/types.js';
import { PACKAGES, SOURCES } from './tables/sources.js';

/** One candidate name for a value, with where it comes from. */
export interface NameRef {
  readonly name: string;
  /** The preferred source, "package:file" (e.g. "sdk:um/winioctl.h"); catalog names give "catalog:/path/x.h:42". */
  readonly source: string;
  /** Every source that defines this name with this value. */
  readonly sources: readonly string[];
  /** Set when the sources give this name other values too: it is never resolved silently. */
  readonly conflict?: { readonly otherValues: readonly string[] };
}

export function sourceLabel(index: number): string {
  const source = SOURCES[index];
  return source ? `${source.package}:${source.file}` : `unknown-source-${index}`;
}

export function packageTitle(id: string): string {
  return PACKAGES.find((p) => p.id === id)?.title ?? id;
}

export class NameIndex {
  private byValue: Map<number, NameRow[]> | null = null;
  private byName: Map<string, NameRow[]> | null = null;

  constructor(
    private readonly rows: readonly NameRow[],
    private readonly formatValue: (value: number) => string,
  ) {}

  private build(): void {
    if (this.byValue) return;
    const byValue = new Map<number, NameRow[]>();
    const byName = new Map<string, NameRow[]>();
    for (const row of this.rows) {
      const [value, name] = row;
      const forValue = byValue.get(value);
      if (forValue) forValue.push(row);
      else byValue.set(value, [row]);
      const forName = byName.get(name);
      if (forName) forName.push(row);
      else byName.set(name, [row]);
    }
    this.byValue = byValue;
    this.byName = byName;
  }

  /** Every name for a value, in table order (by name), each with its sources and any conflict. */
  namesOf(value: number): NameRef[] {
    this.build();
    const rows = this.byValue!.get(value) ?? [];
    return rows.map((row) => this.toRef(row));
  }

  /** Every value a name has (more than one when the sources disagree). */
  valuesOf(name: string): number[] {
    this.build();
    return (this.byName!.get(name) ?? []).map((row) => row[0]);
  }

  get size(): number {
    return this.rows.length;
  }

  allNames(): IterableIterator<string> {
    this.build();
    return this.byName!.keys();
  }

  private toRef(row: NameRow): NameRef {
    const [value, name, sourceIndexes] = row;
    const sources = sourceIndexes.map(sourceLabel);
    const others = (this.byName!.get(name) ?? []).filter((other) => other[0] !== value).map((other) => this.formatValue(other[0]));
    const ref: NameRef = { name, source: sources[0] ?? 'unknown', sources };
    return others.length > 0 ? { ...ref, conflict: { otherValues: others } } : ref;
  }
}

export const hex32 = (value: number): string => `0x${(value >>> 0).toString(16).toUpperCase().padStart(8, '0')}`;
export const hexShort = (value: number): string => `0x${value.toString(16).toUpperCase()}`;
