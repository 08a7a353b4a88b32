/**
 * Bugcheck codes and what their four parameters mean for the code and its sub-code. Names come from the generated
 * tables (bugcodes.h); parameter meanings from the hand-written reference (bugcheck-reference.ts), whose facts are
 * Microsoft's bug check reference and whose sentences are the project's own.
 */
import { NameIndex, hex32, type NameRef } from './names.js';
import { BUGCHECK_NAMES } from './tables/bugcheck-names.js';
import { BUGCHECK_REFERENCE, type BugcheckCase, type BugcheckReference, type FourParameters, type ParameterKind } from './bugcheck-reference.js';
import { decodeIoctl, type IoctlDecoding } from './ioctl.js';
import { decodeNtStatus, type NtStatusDecoding } from './ntstatus.js';
import { irpMajorNamesOf } from './irp.js';
import type { NameCatalog } from './catalog-names.js';

export const bugcheckNames = new NameIndex(BUGCHECK_NAMES, hex32);

/** Bit 28 marks the "_M" variants of some codes (0x1000007E is 0x7E raised through KeBugCheckEx's extended path). */
const EXTENDED_FLAG = 0x10000000;

let referenceByCode: Map<number, BugcheckReference> | null = null;
function referenceOf(code: number): BugcheckReference | undefined {
  referenceByCode ??= new Map(BUGCHECK_REFERENCE.map((entry) => [entry.code, entry]));
  return referenceByCode.get(code) ?? referenceByCode.get(code & ~EXTENDED_FLAG);
}

export interface BugcheckParameter {
  readonly index: number;
  readonly kind: ParameterKind;
  readonly meaning: string;
  /** The argument as given ("0x" + 16 hex digits), or null when no arguments were given. */
  readonly value: string | null;
  /** The argument decoded further where its kind says what it is. */
  readonly decoded: IoctlDecoding | NtStatusDecoding | { readonly kind: 'irp-major'; readonly value: number; readonly names: readonly NameRef[] } | null;
}

export interface BugcheckDecoding {
  readonly kind: 'bugcheck';
  readonly code: string;
  readonly value: number;
  readonly names: readonly NameRef[];
  readonly summary: string | null;
  readonly url: string | null;
  /** The case selected by the sub-code argument(s), outermost first, e.g. [0x6 "fatal request error", 0x3 "..."]. */
  readonly cases: readonly { readonly argument: number; readonly value: string; readonly title: string }[];
  readonly parameters: readonly [BugcheckParameter | null, BugcheckParameter | null, BugcheckParameter | null, BugcheckParameter | null];
  readonly note: string | null;
}

export interface BugcheckOptions {
  readonly catalog?: NameCatalog;
}

const hex64 = (value: bigint): string => `0x${BigInt.asUintN(64, value).toString(16).toUpperCase().padStart(16, '0')}`;

/** The low 32 bits when the upper half is zero or a sign extension of bit 31 (x86 values printed on x64), else null. */
export function low32(value: bigint): number | null {
  const v = BigInt.asUintN(64, value);
  const high = v >> 32n;
  const low = Number(v & 0xffffffffn);
  if (high === 0n) return low;
  if (high === 0xffffffffn && low >= 0x80000000) return low;
  return null;
}

function decodeParameter(kind: ParameterKind, value: bigint | undefined, catalog: NameCatalog | undefined): BugcheckParameter['decoded'] {
  if (value === undefined) return null;
  const small = low32(value);
  if (small === null) return null;
  if (kind === 'ioctl') return decodeIoctl(small, catalog ? { catalog } : {});
  if (kind === 'ntstatus') return decodeNtStatus(small, catalog ? { catalog } : {});
  if (kind === 'irp-major' && small <= 0xff) return { kind: 'irp-major', value: small, names: irpMajorNamesOf(small) };
  return null;
}

function selectCase(cases: readonly BugcheckCase[] | undefined, selector: number | undefined, args: readonly bigint[]): BugcheckCase | undefined {
  if (!cases || selector === undefined) return undefined;
  const arg = args[selector];
  if (arg === undefined) return undefined;
  const value = low32(arg);
  return value === null ? undefined : cases.find((c) => c.value === value);
}

/**
 * Decodes a bugcheck code and, when given, its arguments (up to four; 64-bit values as BigInt). Never throws.
 */
export function decodeBugcheck(code: number, args: readonly bigint[] = [], options: BugcheckOptions = {}): BugcheckDecoding {
  const value = code >>> 0;
  const reference = referenceOf(value);
  let names = [...(options.catalog?.namesOf('bugcheck', value) ?? []), ...bugcheckNames.namesOf(value)];
  if (names.length === 0 && reference) names = [{ name: reference.name, source: 'reference:' + reference.url, sources: ['reference:' + reference.url] }];

  let parameters: FourParameters | null = reference?.parameters ?? null;
  const cases: { argument: number; value: string; title: string }[] = [];
  if (reference && args.length > 0) {
    let level: { selector?: number; cases?: readonly BugcheckCase[] } = reference;
    for (let depth = 0; depth < 4; depth++) {
      const selected = selectCase(level.cases, level.selector, args);
      if (!selected) {
        if (depth === 0 && reference.ranges && reference.selector !== undefined) {
          const arg = args[reference.selector];
          const small = arg === undefined ? null : low32(arg);
          const range = small === null ? undefined : reference.ranges.find((r) => small >= r.from && small <= r.to);
          if (range) {
            cases.push({ argument: reference.selector + 1, value: hex32(small!), title: range.title });
            parameters = range.parameters;
          }
        }
        break;
      }
      cases.push({ argument: level.selector! + 1, value: hex32(selected.value), title: selected.title });
      parameters = selected.parameters;
      level = selected;
    }
  }
  const four = [0, 1, 2, 3].map((index): BugcheckParameter | null => {
    const meaning = parameters?.[index];
    if (!meaning) return null;
    const arg = args[index];
    return {
      index: index + 1,
      kind: meaning.kind,
      meaning: meaning.meaning,
      value: arg === undefined ? null : hex64(arg),
      decoded: decodeParameter(meaning.kind, arg, options.catalog),
    };
  }) as unknown as BugcheckDecoding['parameters'];
  const note = names.length === 0 ? 'no known name: no header in the tables defines this bugcheck code'
    : !reference ? 'no parameter reference for this code yet: the arguments are shown as given'
      : reference.cases && args.length > 0 && cases.length === 0 ? 'the sub-code argument matches no documented case: the general meanings are shown'
        : null;
  return { kind: 'bugcheck', code: hex32(value), value, names, summary: reference?.summary ?? null, url: reference?.url ?? null, cases, parameters: four, note };
}
