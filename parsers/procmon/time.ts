/**
 * Procmon's Time of Day follows the locale of the machine that saved the log: `3:58:47.7286806 PM` (12-hour),
 * `18:40:23.1038915` (24-hour), `15:42:43,9161500` (decimal comma). A spreadsheet re-save shortens it to minutes,
 * seconds and a tenth (`47:57.9`): the hour is gone, so no time of day can be given.
 */

export interface ProcmonTime {
  /** 24-hour clock with a decimal point, `15:58:47.7286806`; null when the text was shortened. */
  readonly timeOfDay: string | null;
  readonly precision: 'exact' | 'shortened';
}

const FULL = /^(\d{1,2}):(\d{2}):(\d{2})(?:[.,](\d{1,9}))?(?:\s*([AaPp])\.?\s*[Mm]\.?)?$/;
const SHORTENED = /^\d{1,3}:\d{2}(?:[.,]\d+)?$/;

/** The time a Time of Day cell says, or undefined when it is not one Procmon or a spreadsheet would print. */
export function procmonTime(text: string): ProcmonTime | undefined {
  const m = FULL.exec(text);
  if (m) {
    let hour = Number(m[1]);
    const minute = Number(m[2]);
    const second = Number(m[3]);
    const meridiem = m[5]?.toUpperCase();
    if (meridiem !== undefined) {
      if (hour < 1 || hour > 12) return undefined;
      hour = (hour % 12) + (meridiem === 'P' ? 12 : 0);
    }
    if (hour > 23 || minute > 59 || second > 60) return undefined;
    const clock = `${String(hour).padStart(2, '0')}:${m[2]}:${m[3]}`;
    return { timeOfDay: m[4] === undefined ? clock : `${clock}.${m[4]}`, precision: 'exact' };
  }
  if (SHORTENED.test(text)) return { timeOfDay: null, precision: 'shortened' };
  return undefined;
}
