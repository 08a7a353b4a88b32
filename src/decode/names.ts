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
  /** Decoders ask for the same values again and again (every row of a trace): refs are built once per value. */
  private readonly refs = new Map<number, readonly NameRef[]>();

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
    // Per value, the name most sources define comes first (METHOD_OUT_DIRECT before METHOD_DIRECT_FROM_HARDWARE,
    // FILE_ANY_ACCESS before FILE_SPECIAL_ACCESS), then by name: one-line renderings show the usual name.
    for (const rows of byValue.values()) rows.sort((a, b) => b[2].length - a[2].length || (a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0));
    this.byValue = byValue;
    this.byName = byName;
  }

  /** Every name for a value, in table order (by name), each with its sources and any conflict. */
  namesOf(value: number): readonly NameRef[] {
    const cached = this.refs.get(value);
    if (cached) return cached;
    this.build();
    const rows = this.byValue!.get(value);
    // Values with no name are not cached: there are 2^32 of them, and the empty answer costs nothing to build.
    if (!rows) return NO_NAMES;
    const refs = Object.freeze(rows.map((row) => Object.freeze(this.toRef(row))));
    this.refs.set(value, refs);
    return refs;
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

const NO_NAMES: readonly NameRef[] = Object.freeze([]);

const HEX_BYTE = Array.from({ length: 256 }, (_, i) => i.toString(16).toUpperCase().padStart(2, '0'));

/** "0x" + 8 upper-case hex digits; a table per byte, since decoders format every code they see. */
export const hex32 = (value: number): string => {
  const v = value >>> 0;
  return `0x${HEX_BYTE[v >>> 24]}${HEX_BYTE[(v >>> 16) & 0xff]}${HEX_BYTE[(v >>> 8) & 0xff]}${HEX_BYTE[v & 0xff]}`;
};
export const hexShort = (value: number): string => `0x${value.toString(16).toUpperCase()}`;
