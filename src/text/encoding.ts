/**
 * Encoding detection for pasted / saved tool output.
 *
 * Real inputs seen: UTF-8 without BOM (GitHub pastes, WinDbg .logopen files), UTF-8 with BOM (Process
 * Monitor CSV), UTF-16LE with BOM (PowerShell `>` redirection, Notepad "Unicode"), and BOM-less UTF-16
 * (a UTF-16 file whose BOM was cut off, or `Out-File -Encoding unicode` output re-split by a tool).
 */

export type TextEncoding = 'utf-8' | 'utf-8-bom' | 'utf-16le-bom' | 'utf-16be-bom' | 'utf-16le' | 'utf-16be';

/** How many leading bytes are looked at to decide the encoding. LineSplitter waits for this many bytes
 * (or the end of input) before it decodes anything, so the decision never depends on chunking. */
export const SNIFF_BYTES = 64;

/** Length in bytes of the byte order mark implied by an encoding (0 for BOM-less encodings). */
export function bomLength(encoding: TextEncoding): number {
  switch (encoding) {
    case 'utf-8-bom':
      return 3;
    case 'utf-16le-bom':
    case 'utf-16be-bom':
      return 2;
    default:
      return 0;
  }
}

/** True for the UTF-16 encodings (with or without BOM). */
export function isUtf16(encoding: TextEncoding): encoding is 'utf-16le-bom' | 'utf-16be-bom' | 'utf-16le' | 'utf-16be' {
  return encoding.startsWith('utf-16');
}

/** True when the UTF-16 encoding is big-endian. */
export function isBigEndian(encoding: TextEncoding): boolean {
  return encoding === 'utf-16be' || encoding === 'utf-16be-bom';
}

/**
 * Decide the encoding from the first bytes of the input.
 *
 * 1. BOMs: `EF BB BF` -> utf-8-bom, `FF FE` -> utf-16le-bom, `FE FF` -> utf-16be-bom.
 * 2. BOM-less UTF-16: the first {@link SNIFF_BYTES} bytes are read as 16-bit units. Tool output is
 *    almost all ASCII, so UTF-16LE shows as `k\0d\0>\0` (zero in the high byte of each unit) and UTF-16BE
 *    as `\0k\0d\0>`. At least two units must show the pattern, it must cover at least half of the units,
 *    and the opposite pattern must be rare (at most a quarter as frequent).
 * 3. Otherwise utf-8 (which also covers ASCII and text that is not valid UTF-8; invalid bytes are later
 *    replaced by U+FFFD and counted).
 *
 * Misreading ASCII-with-NULs as UTF-16LE is harmless: the UTF-16LE reading of `a\0b\0` is the same text
 * as the UTF-8 reading with NULs removed.
 */
export function sniffEncoding(prefix: Uint8Array): TextEncoding {
  const n = prefix.length;
  const b0 = prefix[0];
  const b1 = prefix[1];
  if (n >= 3 && b0 === 0xef && b1 === 0xbb && prefix[2] === 0xbf) return 'utf-8-bom';
  if (n >= 2 && b0 === 0xff && b1 === 0xfe) return 'utf-16le-bom';
  if (n >= 2 && b0 === 0xfe && b1 === 0xff) return 'utf-16be-bom';

  const limit = Math.min(n, SNIFF_BYTES) & ~1;
  const units = limit >>> 1;
  if (units < 2) return 'utf-8';
  let le = 0;
  let be = 0;
  for (let i = 0; i < limit; i += 2) {
    const lo = prefix[i]!;
    const hi = prefix[i + 1]!;
    if (lo !== 0 && hi === 0) le++;
    else if (lo === 0 && hi !== 0) be++;
  }
  if (le >= 2 && le * 2 >= units && be * 4 <= le) return 'utf-16le';
  if (be >= 2 && be * 2 >= units && le * 4 <= be) return 'utf-16be';
  return 'utf-8';
}
