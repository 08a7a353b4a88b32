/** Column values -> the values answers carry: hex for codes, ISO for ticks, plain numbers for counts. */
import { hex32 } from '../../src/records/index.js';
import { isoFromTicks } from '../column-values.js';

/** Connections read integers as BigInt (ticks need 64 bits); counts and ids fit a number. */
export const num = (value: unknown): number => Number(value as bigint | number);
export const numOrNull = (value: unknown): number | null => (value === null || value === undefined ? null : Number(value as bigint | number));
export const hexCode = (value: unknown): string | null => (value === null || value === undefined ? null : hex32(BigInt(value as bigint | number)));
export const ticksText = (value: unknown): string | null => (value === null || value === undefined ? null : String(value));
/** The time to show: the exact ticks as ISO when known, else what the source printed. */
export const timeOf = (ticks: unknown, printed: unknown): string | null =>
  ticks !== null && ticks !== undefined ? isoFromTicks(BigInt(ticks as bigint)) : ((printed as string | null | undefined) ?? null);
