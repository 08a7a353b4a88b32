/**
 * Driver Verifier option names and their /flags bits, for the Win7 `!verifier` report, which lists enabled options
 * by name only.
 *
 * Source: Microsoft's Driver Verifier documentation on learn.microsoft.com, read from the MicrosoftDocs/windows-driver-docs
 * snapshot (commit 825aa15f47):
 * - devtest/verifier-command-line.md, the /flags table (option name, hexadecimal value, bit number);
 * - devtest/debugging-memory-leaks---driver-verifier-detected-violation--c4---0x62.md, a Win10 `!verifier 3` report
 *   whose `[X] (0x...) name` lines give the debugger's own wording for the same bits (e.g. "DMA checking" for 0x80,
 *   "Automatic Checks" for 0).
 * Only names written there are listed. The Win7 report uses older wording for some options ("Special irql",
 * "Io subsystem checking enabled", "All pool allocations checked on unload"); no page we have ties those words to a
 * bit, so they are not here and their records keep `bit: null`.
 */

/** Documented option name (lower case) -> bit value. */
const DOCUMENTED_OPTION_BITS: ReadonlyMap<string, number> = new Map([
  // verifier-command-line.md, /flags table
  ['special pool', 0x1],
  ['force irql checking', 0x2],
  ['low resources simulation', 0x4],
  ['pool tracking', 0x8],
  ['i/o verification', 0x10],
  ['deadlock detection', 0x20],
  ['enhanced i/o verification', 0x40],
  ['dma verification', 0x80],
  ['security checks', 0x100],
  ['force pending i/o requests', 0x200],
  ['irp logging', 0x400],
  ['miscellaneous checks', 0x800],
  ['invariant mdl checking for stack', 0x2000],
  ['invariant mdl checking for driver', 0x4000],
  ['power framework delay fuzzing', 0x8000],
  ['port/miniport interface checking', 0x10000],
  ['ddi compliance checking', 0x20000],
  ['systematic low resources simulation', 0x40000],
  ['ddi compliance checking (additional)', 0x80000],
  ['ndis/wifi verification', 0x200000],
  ['kernel synchronization delay fuzzing', 0x800000],
  ['vm switch verification', 0x1000000],
  ['code integrity checks', 0x2000000],
  // the Win10 !verifier 3 example: the debugger's wording where it differs from the table
  ['automatic checks', 0x0],
  ['randomized low resources simulation', 0x4],
  ['dma checking', 0x80],
]);

/**
 * The bit of a Win7 option name, or null. A name matches when it is a documented name, alone or followed by the
 * word "enabled" (the Win7 report appends it: "Deadlock detection enabled"). The bit must also be set in the level
 * the report printed, since the Win7 list shows enabled options only; a name whose bit is not set stays unmapped
 * rather than contradicting the level.
 */
export function documentedOptionBit(name: string, level: number | null): number | null {
  const key = name.trim().toLowerCase().replace(/\s+/g, ' ').replace(/ enabled$/, '');
  const bit = DOCUMENTED_OPTION_BITS.get(key);
  if (bit === undefined) return null;
  if (level !== null && bit !== 0 && (level & bit) === 0) return null;
  return bit;
}
