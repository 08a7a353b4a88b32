/**
 * ETW times, kept exact: FILETIME ticks stay decimal strings (they pass 2^53 in 1628), relative times stay exact
 * decimals of seconds, and a time a spreadsheet squeezed into scientific notation says it lost digits.
 */

/** Seconds from 1601-01-01 to 1970-01-01: FILETIME's epoch to the Unix epoch. */
const EPOCH_DIFFERENCE_SECONDS = 11_644_473_600;
const LAST_ISO_SECOND = 253_402_300_799; // 9999-12-31T23:59:59Z: Date's ISO form has 4-digit years only

export interface EtwTime {
  readonly time: string | null;
  readonly isoTime: string | null;
  readonly timePrecision: 'exact' | 'lossy-float' | null;
  readonly timeText: string | null;
}

export const NO_TIME: EtwTime = { time: null, isoTime: null, timePrecision: null, timeText: null };

let lastSecond = Number.NaN;
let lastPrefix = '';

/** FILETIME ticks (decimal digits) as ISO 8601 UTC with all 7 fractional digits, or null outside 1601..9999. */
export function filetimeIso(ticks: string): string | null {
  const digits = ticks.length > 1 && ticks.charCodeAt(0) === 48 ? ticks.replace(/^0+(?=\d)/, '') : ticks;
  const seconds = digits.length > 7 ? Number(digits.slice(0, -7)) : 0;
  const fraction = digits.length > 7 ? digits.slice(-7) : digits.padStart(7, '0');
  const unix = seconds - EPOCH_DIFFERENCE_SECONDS;
  if (!Number.isSafeInteger(seconds) || unix > LAST_ISO_SECOND) return null;
  // Consecutive events share their second: the date part is formatted once per second.
  if (seconds !== lastSecond) {
    lastSecond = seconds;
    lastPrefix = new Date(unix * 1000).toISOString().slice(0, 19);
  }
  return `${lastPrefix}.${fraction}Z`;
}

const INTEGER = /^\d+$/;
const FLOAT = /^\+?(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/;

/** The integer a decimal or scientific number stands for (its fraction dropped), or null. */
function floatInteger(text: string): string | null {
  const m = FLOAT.exec(text);
  if (!m || (m[1] === '' && (m[2] ?? '') === '')) return null;
  const whole = m[1]!;
  const fraction = m[2] ?? '';
  const exponent = Number(m[3] ?? '0');
  if (!Number.isSafeInteger(exponent) || exponent > 40) return null;
  const digits = whole + fraction;
  const point = whole.length + exponent;
  const integer = point <= 0 ? '0' : point >= digits.length ? digits + '0'.repeat(point - digits.length) : digits.slice(0, point);
  return integer.replace(/^0+(?=\d)/, '');
}

/** A tracerpt Clock-Time cell: FILETIME ticks, or a spreadsheet's float of them. Undefined when it is neither. */
export function clockTime(text: string): EtwTime | undefined {
  if (text === '') return NO_TIME;
  if (INTEGER.test(text)) return { time: text, isoTime: filetimeIso(text), timePrecision: 'exact', timeText: text };
  const integer = floatInteger(text);
  if (integer === null) return undefined;
  return { time: integer, isoTime: filetimeIso(integer), timePrecision: 'lossy-float', timeText: text };
}

/** Moves the decimal point of a non-negative decimal `places` to the left, exactly: ("64630", 6) -> "0.06463". */
export function shiftDecimal(text: string, places: number): string | null {
  const m = /^(\d*)(?:\.(\d*))?$/.exec(text);
  if (!m || (m[1] === '' && (m[2] ?? '') === '')) return null;
  const whole = m[1]!.padStart(places + 1, '0');
  const cut = whole.length - places;
  return trimDecimal(`${whole.slice(0, cut)}.${whole.slice(cut)}${m[2] ?? ''}`);
}

/** A plain decimal without leading zeros in its whole part or trailing zeros in its fraction: "012.50" -> "12.5". */
export function trimDecimal(text: string): string | null {
  const m = /^(\d*)(?:\.(\d*))?$/.exec(text);
  if (!m || (m[1] === '' && (m[2] ?? '') === '')) return null;
  const whole = m[1]!.replace(/^0+(?=\d)/, '') || '0';
  const fraction = (m[2] ?? '').replace(/0+$/, '');
  return fraction === '' ? whole : `${whole}.${fraction}`;
}
