/**
 * Record values -> column values: pointers to fixed-width hex, codes to integers, times to FILETIME ticks, drivers
 * to the key queries match on. Exact or null, never rounded.
 */

/** 100 ns ticks between 1601-01-01 (FILETIME's epoch) and 1970-01-01. */
export const UNIX_EPOCH_TICKS = 116_444_736_000_000_000n;
export const TICKS_PER_SECOND = 10_000_000n;

const HEX_DIGITS = /^(?:0x)?([0-9a-fA-F`]{1,17})$/;

/** "0x" + 16 upper-case hex digits, from a record's Hex64 string, a bigint, or a hex string as printed; else null. */
export function pointerColumn(value: unknown): string | null {
  if (typeof value === 'bigint') return `0x${BigInt.asUintN(64, value).toString(16).toUpperCase().padStart(16, '0')}`;
  if (typeof value !== 'string') return null;
  if (value.length === 18 && value.startsWith('0x') && !/[^0-9A-F]/.test(value.slice(2))) return value;
  const m = HEX_DIGITS.exec(value.trim());
  if (!m) return null;
  const digits = m[1]!.replace(/`/g, '');
  if (digits.length === 0 || digits.length > 16) return null;
  return `0x${digits.toUpperCase().padStart(16, '0')}`;
}

/** A 32-bit code ("0x00222004", a number, or a hex string) as an integer; else null. */
export function codeColumn(value: unknown): number | null {
  if (typeof value === 'number') return Number.isInteger(value) && value >= 0 && value <= 0xffffffff ? value : null;
  if (typeof value !== 'string') return null;
  const m = /^(?:0x)?([0-9a-fA-F]{1,8})$/.exec(value.trim());
  return m ? Number.parseInt(m[1]!, 16) : null;
}

/** The key a driver is matched on: `\Driver\MyDrv`, `mydrv.sys`, `MyDrv` and `C:\...\mydrv.sys` all give "mydrv". */
export function driverKey(driver: string | null | undefined): string | null {
  if (!driver) return null;
  const base = driver.trim().replace(/^.*[\\/]/, '').replace(/\s*\(.*$/, '').replace(/\.(sys|dll|exe)$/i, '').toLowerCase();
  return base === '' ? null : base;
}

const ISO = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2}):(\d{2})(?:[.,](\d{1,9}))?\s*(Z|[+-]\d{2}:?\d{2})?$/;
const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
// WinDbg's "Debug session time: Thu Aug  4 10:42:12.345 2016 (UTC - 7:00)".
const DEBUGGER = /^(?:\w{3}\s+)?(\w{3})\s+(\d{1,2})\s+(\d{1,2}):(\d{2}):(\d{2})(?:\.(\d{1,7}))?\s+(\d{4})(?:\s*\(UTC\s*([+-])\s*(\d{1,2}):(\d{2})\))?/i;

function ticksOf(year: number, month: number, day: number, h: number, m: number, s: number, fraction: string | undefined, offsetMinutes: number): bigint | null {
  const ms = Date.UTC(year, month - 1, day, h, m, s);
  if (Number.isNaN(ms)) return null;
  const check = new Date(ms);
  if (check.getUTCDate() !== day || check.getUTCMonth() !== month - 1) return null;
  const sub = BigInt((fraction ?? '').padEnd(7, '0').slice(0, 7) || '0');
  return BigInt(ms) * 10_000n + UNIX_EPOCH_TICKS + sub - BigInt(offsetMinutes) * 60n * TICKS_PER_SECOND;
}

/**
 * A time as the source printed it -> FILETIME ticks (UTC), exact to 100 ns. ISO 8601 without a zone is taken as
 * UTC (docs/schema.md says so); a time of day without a date (Procmon) has no ticks: null, the text is kept.
 */
export function ticksFromText(text: string | null | undefined): bigint | null {
  if (!text) return null;
  const t = text.trim();
  const iso = ISO.exec(t);
  if (iso) {
    const zone = iso[8];
    let offset = 0;
    if (zone && zone !== 'Z') {
      const digits = zone.replace(':', '');
      offset = (zone.startsWith('-') ? -1 : 1) * (Number(digits.slice(1, 3)) * 60 + Number(digits.slice(3, 5)));
    }
    return ticksOf(Number(iso[1]), Number(iso[2]), Number(iso[3]), Number(iso[4]), Number(iso[5]), Number(iso[6]), iso[7], offset);
  }
  const dbg = DEBUGGER.exec(t);
  if (dbg) {
    const month = MONTHS.indexOf(dbg[1]!.toLowerCase()) + 1;
    if (month === 0) return null;
    const offset = dbg[8] ? (dbg[8] === '-' ? -1 : 1) * (Number(dbg[9]) * 60 + Number(dbg[10])) : 0;
    return ticksOf(Number(dbg[7]), month, Number(dbg[2]), Number(dbg[3]), Number(dbg[4]), Number(dbg[5]), dbg[6], offset);
  }
  return null;
}

/** FILETIME ticks given as a number, bigint or decimal string (ETW Clock-Time); a float in e-notation is refused. */
export function ticksFromValue(value: unknown): bigint | null {
  if (typeof value === 'bigint') return value >= 0n ? value : null;
  if (typeof value === 'number') return Number.isSafeInteger(value) && value >= 0 ? BigInt(value) : null;
  if (typeof value === 'string' && /^\d{1,19}$/.test(value.trim())) return BigInt(value.trim());
  return null;
}

/** ISO 8601 UTC with 7 fractional digits, from FILETIME ticks. */
export function isoFromTicks(ticks: bigint): string {
  const sinceUnix = ticks - UNIX_EPOCH_TICKS;
  const ms = sinceUnix / 10_000n - (sinceUnix % 10_000n < 0n ? 1n : 0n);
  const sub = ((sinceUnix % TICKS_PER_SECOND) + TICKS_PER_SECOND) % TICKS_PER_SECOND;
  const base = new Date(Number(ms)).toISOString().slice(0, 19);
  return `${base}.${sub.toString().padStart(7, '0')}Z`;
}
