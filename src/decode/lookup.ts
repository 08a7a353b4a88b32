/**
 * From what a person types to a decoding: number forms as WinDbg prints them, symbolic names (reverse look-up),
 * and the guess of what a bare number is when the caller does not say.
 */
import { decodeIoctl, ioctlNames, type IoctlDecoding } from './ioctl.js';
import { decodeNtStatus, ntstatusNames, type NtStatusDecoding } from './ntstatus.js';
import { bugcheckNames, decodeBugcheck, low32, type BugcheckDecoding } from './bugcheck.js';
import { BUGCHECK_REFERENCE } from './bugcheck-reference.js';
import { irpMajorByName } from './irp.js';
import type { NameCatalog } from './catalog-names.js';

export type DecodeKind = 'ioctl' | 'ntstatus' | 'bugcheck';
export const DECODE_KINDS: readonly DecodeKind[] = ['ioctl', 'ntstatus', 'bugcheck'];

export type Decoding = (IoctlDecoding | NtStatusDecoding | BugcheckDecoding) & {
  /** The text as given. */
  readonly input: string;
  /** Why this kind was chosen when the caller did not say (null with an explicit kind). */
  readonly guess: string | null;
};

export type ParsedNumber = { readonly ok: true; readonly value: bigint } | { readonly ok: false; readonly reason: string };

/**
 * Numbers as WinDbg prints them: hex by default (`222004`, `0x222004`, `ffffcf07`04d3caf0`), `0n` for decimal,
 * `0y` for binary. A trailing `L`/`UL` (pasted from C) is accepted.
 */
export function parseNumber(text: string): ParsedNumber {
  let t = text.trim().replace(/(?<=[0-9a-fA-F])(?:u?l{1,2}|l{1,2}u?)$/i, '');
  if (t === '') return { ok: false, reason: 'empty value' };
  let negative = false;
  if (t.startsWith('-')) {
    negative = true;
    t = t.slice(1);
  }
  let digits: string;
  let radix: 16 | 10 | 2 = 16;
  if (/^0n/i.test(t)) {
    digits = t.slice(2);
    radix = 10;
  } else if (/^0y/i.test(t)) {
    digits = t.slice(2);
    radix = 2;
  } else if (/^0x/i.test(t)) digits = t.slice(2);
  else digits = t;
  if (radix === 16) digits = digits.replace(/`/g, '');
  const valid = radix === 16 ? /^[0-9a-fA-F]{1,16}$/ : radix === 10 ? /^[0-9]{1,20}$/ : /^[01]{1,64}$/;
  if (!valid.test(digits)) return { ok: false, reason: `not a number WinDbg would print (hex by default, 0n for decimal): ${JSON.stringify(text)}` };
  const prefix = radix === 16 ? '0x' : radix === 2 ? '0b' : '';
  let value = BigInt(prefix + digits);
  if (value > 0xffffffffffffffffn) return { ok: false, reason: `wider than 64 bits: ${JSON.stringify(text)}` };
  if (negative) value = BigInt.asUintN(64, -value);
  return { ok: true, value };
}

const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

export interface LookupOptions {
  readonly as?: DecodeKind;
  readonly major?: number;
  readonly catalog?: NameCatalog;
  /** Bugcheck arguments, when decoding a bugcheck. */
  readonly args?: readonly bigint[];
}

export type LookupResult = { readonly ok: true; readonly decoding: Decoding } | { readonly ok: false; readonly reason: string };

function namedValues(kind: DecodeKind, name: string, catalog: NameCatalog | undefined): number[] {
  const table = kind === 'ioctl' ? ioctlNames : kind === 'ntstatus' ? ntstatusNames : bugcheckNames;
  const values = [...(catalog?.valuesOf(kind, name) ?? []), ...table.valuesOf(name)];
  if (values.length === 0 && kind === 'bugcheck') {
    const reference = BUGCHECK_REFERENCE.find((entry) => entry.name === name);
    if (reference) values.push(reference.code);
  }
  return [...new Set(values)];
}

const hasBugcheck = (value: number): boolean =>
  bugcheckNames.namesOf(value).length > 0 || BUGCHECK_REFERENCE.some((entry) => entry.code === value || entry.code === (value & ~0x10000000));

/** What a bare number most likely is, and why. Exported for tests and for parsers that meet unlabelled values. */
export function guessKind(value: bigint, catalog?: NameCatalog): { kind: DecodeKind; reason: string } {
  const small = low32(value);
  if (small === null) return { kind: 'ntstatus', reason: 'wider than 32 bits: only a sign-extended NTSTATUS is printed that way' };
  if (value > 0xffffffffn) return { kind: 'ntstatus', reason: 'a sign-extended 32-bit value, as WinDbg prints an NTSTATUS held in a 64-bit register' };
  const ioctl = ioctlNames.namesOf(small).length > 0 || (catalog?.namesOf('ioctl', small).length ?? 0) > 0;
  const status = ntstatusNames.namesOf(small).length > 0 || (catalog?.namesOf('ntstatus', small).length ?? 0) > 0;
  if (small < 0x10000 || (small & 0xffff0000) === 0x10000000) {
    if (hasBugcheck(small)) return { kind: 'bugcheck', reason: 'a known bugcheck code (a control code this small would have device type 0)' };
    if (status) return { kind: 'ntstatus', reason: 'a known NTSTATUS value' };
    return { kind: 'bugcheck', reason: 'below 0x10000, where a control code would have device type 0' };
  }
  if (status && (small >= 0x80000000 || !ioctl)) return { kind: 'ntstatus', reason: ioctl ? 'a known NTSTATUS with warning or error severity (it is also an IOCTL value: use --as ioctl)' : 'a known NTSTATUS value' };
  if (ioctl) return { kind: 'ioctl', reason: 'a known control code' };
  if (small >= 0xc0000000) return { kind: 'ntstatus', reason: 'no known name, and the top two bits give NTSTATUS error severity' };
  return { kind: 'ioctl', reason: 'no known name; at or above 0x10000 a value is most often a control code' };
}

function decodeAs(kind: DecodeKind, value: number, input: string, guess: string | null, options: LookupOptions): Decoding {
  const catalog = options.catalog ? { catalog: options.catalog } : {};
  if (kind === 'ioctl') return { ...decodeIoctl(value, { ...catalog, ...(options.major === undefined ? {} : { major: options.major }) }), input, guess };
  if (kind === 'ntstatus') return { ...decodeNtStatus(value, catalog), input, guess };
  return { ...decodeBugcheck(value, options.args ?? [], catalog), input, guess };
}

/** Decodes one input: a number in any WinDbg form or a symbolic name. Never throws; a bad input gives a reason. */
export function lookup(input: string, options: LookupOptions = {}): LookupResult {
  const text = input.trim();
  if (NAME.test(text) && !/^[0-9a-fA-F]+$/.test(text)) {
    const kinds = options.as ? [options.as] : DECODE_KINDS;
    for (const kind of kinds) {
      const values = namedValues(kind, text, options.catalog);
      if (values.length === 0) continue;
      // A name the sources disagree on decodes at its first value; the decoding marks the conflict.
      const guess = options.as ? null : `the name ${text} is in the ${kind === 'ioctl' ? 'IOCTL' : kind === 'ntstatus' ? 'NTSTATUS' : 'bugcheck'} table`;
      return { ok: true, decoding: decodeAs(kind, values[0]!, input, guess, options) };
    }
    return { ok: false, reason: `unknown name ${JSON.stringify(text)}${options.as ? ` (looked in the ${options.as} table)` : ''}: no header in the tables and no catalog entry defines it` };
  }
  const parsed = parseNumber(text);
  if (!parsed.ok) return parsed;
  let kind: DecodeKind;
  let guess: string | null = null;
  if (options.as) kind = options.as;
  else {
    const guessed = guessKind(parsed.value, options.catalog);
    kind = guessed.kind;
    guess = guessed.reason;
  }
  const small = kind === 'ntstatus' ? low32(parsed.value) : parsed.value <= 0xffffffffn ? Number(parsed.value) : null;
  if (small === null) return { ok: false, reason: `${JSON.stringify(text)} is wider than 32 bits: ${kind === 'ntstatus' ? 'not a sign-extended NTSTATUS' : `a${kind === 'ioctl' ? 'n IOCTL' : ' bugcheck code'} has 32 bits`}` };
  return { ok: true, decoding: decodeAs(kind, small, input, guess, options) };
}

/** `--major` accepts IRP_MJ_DEVICE_CONTROL, DEVICE_CONTROL or a number. */
export function parseMajor(text: string): number | null {
  const byName = irpMajorByName(text.trim());
  if (byName !== null) return byName;
  const parsed = parseNumber(text);
  return parsed.ok && parsed.value <= 0xffn ? Number(parsed.value) : null;
}
