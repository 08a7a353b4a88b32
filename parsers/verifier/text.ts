/** Small helpers shared by the verifier shapes: cheap first-character tests and hex reading. */
import { readHex } from '../../src/records/index.js';

/** Index of the first character that is not a space or TAB (text.length for a blank line). */
export function indentOf(text: string): number {
  let i = 0;
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (c !== 0x20 && c !== 0x09) break;
    i++;
  }
  return i;
}

export function isBlank(text: string): boolean {
  return indentOf(text) === text.length;
}

/**
 * The line without indentation and trailing blanks, and without a markdown heading marker: Microsoft's own page
 * prints "## Driver Verification List" where the debugger printed a plain title.
 */
export function body(text: string): string {
  const t = text.slice(indentOf(text)).trimEnd();
  return t.charCodeAt(0) === 0x23 /* # */ ? t.replace(/^#{1,6}\s+/, '') : t;
}

/** A hex value as the debugger printed it (backticks, optional 0x), as a number; null when it is not one or > 2^53. */
export function hexNumber(text: string): number | null {
  const value = readHex(text);
  return value === null || value > BigInt(Number.MAX_SAFE_INTEGER) ? null : Number(value);
}
