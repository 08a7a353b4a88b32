/**
 * Shapes of the generated name tables. The tables themselves (every other file in this folder) are written by
 * scripts/gen-tables.ts from real headers and are never edited by hand.
 */

/** Where a header set came from. */
export interface HeaderPackage {
  readonly id: string;
  /** Human description, e.g. "Windows SDK headers (microsoft/win32metadata @ d0f3630)". */
  readonly title: string;
  /** Version or commit that was read. */
  readonly version: string;
}

/** One header file of one package. */
export interface HeaderSource {
  readonly package: string;
  /** Path relative to the package's include root, e.g. "um/winioctl.h" or "ddk/wdm.h". */
  readonly file: string;
}

/**
 * One name for one value: [value, name, indexes into SOURCES of every header that defines this name with this value].
 * A name that two sources define with different values appears in two rows (a conflict, never resolved silently).
 */
export type NameRow = readonly [value: number, name: string, sources: readonly number[]];
