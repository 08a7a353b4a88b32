/**
 * Hex words as WinDbg prints them, turned into the record convention ("0x" + 16 upper-case digits) without a regex
 * or substrings: the hot path of stacks and !irp, where a large log has millions of them. Each function reads every
 * character once and builds its result in one piece (a flat string), and returns null for anything else, so callers
 * fall back to their general (regex) path and the result is always the same.
 */

export const ZERO64 = '0x0000000000000000';

/** Char code -> its upper-case form when it is an ASCII hex digit, else 0. */
export const HEX_UPPER = new Uint8Array(0x10000);
for (const ch of '0123456789abcdefABCDEF') HEX_UPPER[ch.charCodeAt(0)] = ch.toUpperCase().charCodeAt(0);

let wordEnd = 0;

/** Where the word last read by word64() ended. */
export function word64End(): number {
  return wordEnd;
}

/**
 * The 64-bit word at `at` in `text` (16 hex digits, a backtick between the halves or not) as "0x" + 16 upper-case
 * digits, or null when there is none there. Sets word64End().
 */
export function word64(text: string, at: number): string | null {
  const n = text.length;
  if (at + 16 > n) return null;
  const h = HEX_UPPER;
  const a0 = h[text.charCodeAt(at)]!, a1 = h[text.charCodeAt(at + 1)]!, a2 = h[text.charCodeAt(at + 2)]!, a3 = h[text.charCodeAt(at + 3)]!;
  const a4 = h[text.charCodeAt(at + 4)]!, a5 = h[text.charCodeAt(at + 5)]!, a6 = h[text.charCodeAt(at + 6)]!, a7 = h[text.charCodeAt(at + 7)]!;
  let lo = at + 8;
  if (text.charCodeAt(lo) === 0x60 /* ` */) {
    lo++;
    if (lo + 8 > n) return null;
  }
  const b0 = h[text.charCodeAt(lo)]!, b1 = h[text.charCodeAt(lo + 1)]!, b2 = h[text.charCodeAt(lo + 2)]!, b3 = h[text.charCodeAt(lo + 3)]!;
  const b4 = h[text.charCodeAt(lo + 4)]!, b5 = h[text.charCodeAt(lo + 5)]!, b6 = h[text.charCodeAt(lo + 6)]!, b7 = h[text.charCodeAt(lo + 7)]!;
  if (a0 === 0 || a1 === 0 || a2 === 0 || a3 === 0 || a4 === 0 || a5 === 0 || a6 === 0 || a7 === 0) return null;
  if (b0 === 0 || b1 === 0 || b2 === 0 || b3 === 0 || b4 === 0 || b5 === 0 || b6 === 0 || b7 === 0) return null;
  wordEnd = lo + 8;
  // Only '0' (0x30) ors to 0x30 among the digits' codes: an all-zero word, the most common argument.
  if ((a0 | a1 | a2 | a3 | a4 | a5 | a6 | a7 | b0 | b1 | b2 | b3 | b4 | b5 | b6 | b7) === 0x30) return ZERO64;
  return String.fromCharCode(0x30, 0x78, a0, a1, a2, a3, a4, a5, a6, a7, b0, b1, b2, b3, b4, b5, b6, b7);
}

/** `text` when it is exactly 8 hex digits (an x86 pointer or a ULONG), zero-extended: "0x00000000" + 8 upper-case digits; else null. */
export function word32(text: string): string | null {
  if (text.length !== 8) return null;
  const h = HEX_UPPER;
  const a0 = h[text.charCodeAt(0)]!, a1 = h[text.charCodeAt(1)]!, a2 = h[text.charCodeAt(2)]!, a3 = h[text.charCodeAt(3)]!;
  const a4 = h[text.charCodeAt(4)]!, a5 = h[text.charCodeAt(5)]!, a6 = h[text.charCodeAt(6)]!, a7 = h[text.charCodeAt(7)]!;
  if (a0 === 0 || a1 === 0 || a2 === 0 || a3 === 0 || a4 === 0 || a5 === 0 || a6 === 0 || a7 === 0) return null;
  if ((a0 | a1 | a2 | a3 | a4 | a5 | a6 | a7) === 0x30) return ZERO64;
  return String.fromCharCode(0x30, 0x78, 0x30, 0x30, 0x30, 0x30, 0x30, 0x30, 0x30, 0x30, a0, a1, a2, a3, a4, a5, a6, a7);
}
