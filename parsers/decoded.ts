/**
 * Builders that turn raw values found by any parser into decoded records, so an IOCTL from !irp, from Procmon and
 * from a bugcheck argument is the same IoctlOccurrence, decoded the same way.
 */
import { decodeIoctl, type IoctlDecoding } from '../src/decode/ioctl.js';
import { decodeBugcheck } from '../src/decode/bugcheck.js';
import { irpMajorName, irpMinorNamesOf } from '../src/decode/irp.js';
import { ntstatusName } from '../src/decode/ntstatus.js';
import { hex32, hex64, type Bugcheck, type IoctlOccurrence } from '../src/records/index.js';

export interface IoctlContext {
  readonly via: IoctlOccurrence['via'];
  readonly majorFunction?: string | null;
  readonly driver?: string | null;
  readonly irp?: bigint | null;
  readonly status?: number | null;
  readonly statusText?: string | null;
  readonly time?: string | null;
  readonly process?: string | null;
}

const MAJOR_BY_NAME: Record<string, number> = { IRP_MJ_FILE_SYSTEM_CONTROL: 0x0d, IRP_MJ_DEVICE_CONTROL: 0x0e, IRP_MJ_INTERNAL_DEVICE_CONTROL: 0x0f };

/**
 * MAJOR_BY_NAME[name], with the three names compared first: a name cut out of a line is no internalized string, and
 * an object look-up with it goes through the string table each time.
 */
function controlMajor(name: string): number | undefined {
  switch (name) {
    case 'IRP_MJ_DEVICE_CONTROL':
      return 0x0e;
    case 'IRP_MJ_INTERNAL_DEVICE_CONTROL':
      return 0x0f;
    case 'IRP_MJ_FILE_SYSTEM_CONTROL':
      return 0x0d;
    default:
      return MAJOR_BY_NAME[name];
  }
}

/**
 * Decodings by code and major: a log repeats the same few control codes, and decodeIoctl (no catalog) depends on
 * nothing else. Read only; bounded (cleared when full).
 */
const decodings = new Map<number, IoctlDecoding>();
const MAX_DECODINGS = 4096;

function decodeCached(code: number, major: number | undefined): IoctlDecoding {
  // code is 32 bits, major one of 0x0d..0x0f or absent (0): one exact number per pair.
  const key = (code >>> 0) * 16 + (major ?? 0);
  let d = decodings.get(key);
  if (d === undefined) {
    d = decodeIoctl(code, major === undefined ? {} : { major });
    if (decodings.size >= MAX_DECODINGS) decodings.clear();
    decodings.set(key, d);
  }
  return d;
}

export function ioctlOccurrence(code: number, line: number, context: IoctlContext): IoctlOccurrence {
  const major = context.majorFunction ? controlMajor(context.majorFunction) : undefined;
  const d = decodeCached(code, major);
  return {
    type: 'ioctl',
    line,
    code: d.code,
    via: context.via,
    majorFunction: context.majorFunction ?? null,
    driver: context.driver ?? null,
    irp: context.irp === undefined || context.irp === null ? null : hex64(context.irp),
    status: context.status === undefined || context.status === null ? null : hex32(context.status),
    statusText: context.statusText ?? (context.status === undefined || context.status === null ? null : ntstatusName(context.status)),
    time: context.time ?? null,
    process: context.process ?? null,
    names: d.names.map((n) => ({ name: n.name, source: n.source, sources: [...n.sources], ...(n.conflict ? { conflict: { otherValues: [...n.conflict.otherValues] } } : {}) })),
    deviceType: { value: d.deviceType.value, names: d.deviceType.names.map((n) => n.name) },
    function: d.function.value,
    method: d.method.names[0]?.name ?? String(d.method.value),
    access: d.access.names[0]?.name ?? String(d.access.value),
  };
}

/** The major functions whose third stack-location argument is a control code. */
export const CONTROL_CODE_MAJORS: ReadonlySet<number> = new Set([0x0d, 0x0e, 0x0f]);

export function majorName(major: number): string | null {
  return irpMajorName(major);
}

export function minorName(major: number, minor: number): string | null {
  return irpMinorNamesOf(major, minor)[0]?.name ?? null;
}

export function statusName(status: number): string | null {
  return ntstatusName(status);
}

export interface BugcheckFacts {
  readonly line: number;
  readonly incident: number;
  readonly via: Bugcheck['via'];
  readonly code: number | null;
  /** The name as printed (kept even when the tables disagree or lack it). */
  readonly name?: string | null;
  readonly args?: readonly (bigint | null)[];
  readonly details?: Record<string, string>;
  readonly image?: string | null;
  readonly module?: string | null;
  readonly symbol?: string | null;
  readonly failureBucket?: string | null;
  readonly failureHash?: string | null;
  readonly bugcheckStr?: string | null;
  readonly process?: string | null;
  readonly probablyCausedBy?: string | null;
  readonly imageVersion?: string | null;
  readonly osBuild?: string | null;
}

/** What a bugcheck record takes from decodeBugcheck: the name, each parameter's meaning and decoded words, the cases. */
interface BugcheckWords {
  readonly name: string | null;
  readonly parameters: readonly ({ readonly kind: string; readonly meaning: string; readonly words: string | null } | null)[];
  readonly cases: readonly { readonly argument: number; readonly value: string; readonly title: string }[];
}

/**
 * decodeBugcheck's answer as bugcheckRecord uses it, by code and arguments. decodeBugcheck (no catalog) reads an
 * argument only through its low 32 bits (low32: case selection, ranges, IOCTL / NTSTATUS / major decoding), so the
 * code and the four low32 values (none where the high half is not a zero or sign extension) decide the answer. A
 * large log repeats a few codes with pointer arguments (no low32) and small sub-codes: decoding each bugcheck again
 * was a tenth of an !analyze block's cost. Read only; bounded (cleared when full).
 */
const bugcheckWords = new Map<string, BugcheckWords>();
const MAX_BUGCHECK_WORDS = 4096;

/**
 * low32 read from the record's "0x" + 16 upper-case digits: the low 8 digits when the high 8 are zeros, or all F
 * with bit 31 set (a sign extension); else '-'.
 */
function low32Key(hex: string | null): string {
  if (hex === null) return '00000000'; // a missing argument decodes as 0
  const high = hex.charCodeAt(2);
  if (high !== 0x30 /* 0 */ && high !== 0x46 /* F */) return '-';
  for (let i = 3; i < 10; i++) if (hex.charCodeAt(i) !== high) return '-';
  return high === 0x30 || hex.charCodeAt(10) >= 0x38 /* 8-9, A-F: bit 31 set */ ? hex.slice(10) : '-';
}

/** hex32 of a bugcheck code (an integer: parsed from at most 8 hex digits), kept per code: a log repeats a few. */
const CODE_HEX = new Map<number, string>();
function codeHex(code: number): string {
  let text = CODE_HEX.get(code);
  if (text === undefined) {
    text = hex32(code);
    if (CODE_HEX.size >= 4096) CODE_HEX.clear();
    CODE_HEX.set(code, text);
  }
  return text;
}

function wordsOf(code: number, args: readonly (bigint | null)[], hexArgs: readonly (string | null)[]): BugcheckWords {
  const given = args.some((a) => a !== null);
  const key = given ? `${code >>> 0} ${low32Key(hexArgs[0]!)} ${low32Key(hexArgs[1]!)} ${low32Key(hexArgs[2]!)} ${low32Key(hexArgs[3]!)}` : `${code >>> 0}`;
  let words = bugcheckWords.get(key);
  if (words === undefined) {
    // Missing arguments (a paste cut before Arg3) stand as 0 for case selection; their meanings are kept, undecoded.
    const decoded = decodeBugcheck(code, given ? args.map((a) => a ?? 0n) : []);
    words = {
      name: decoded.names[0]?.name ?? null,
      parameters: decoded.parameters.map((p) => {
        if (!p) return null;
        const inner = p.decoded;
        const text = inner === null ? null
          : inner.kind === 'irp-major' ? inner.names[0]?.name ?? null
            : `${inner.code} ${inner.names.map((n) => n.name).join(' or ') || 'no known name'}`;
        return { kind: p.kind, meaning: p.meaning, words: text };
      }),
      cases: decoded.cases,
    };
    if (bugcheckWords.size >= MAX_BUGCHECK_WORDS) bugcheckWords.clear();
    bugcheckWords.set(key, words);
  }
  return words;
}

/** A bugcheck record with each argument's meaning for its code and sub-code, decoded where it is an IOCTL or status. */
export function bugcheckRecord(facts: BugcheckFacts): Bugcheck {
  const args = [facts.args?.[0] ?? null, facts.args?.[1] ?? null, facts.args?.[2] ?? null, facts.args?.[3] ?? null];
  const hexArgs = args.map((a) => (a === null ? null : hex64(a))) as Bugcheck['args'];
  const decoded = facts.code === null ? null : wordsOf(facts.code, args, hexArgs);
  const parameters = [0, 1, 2, 3].map((i) => {
    const p = decoded?.parameters[i];
    if (!p) return null;
    return { kind: p.kind, meaning: p.meaning, decoded: args[i] === null ? null : p.words };
  }) as Bugcheck['parameters'];
  return {
    type: 'bugcheck',
    line: facts.line,
    incident: facts.incident,
    via: facts.via,
    code: facts.code === null ? null : codeHex(facts.code),
    name: facts.name ?? decoded?.name ?? null,
    args: hexArgs,
    parameters,
    cases: decoded ? decoded.cases.map((c) => ({ ...c })) : [],
    image: facts.image ?? null,
    module: facts.module ?? null,
    symbol: facts.symbol ?? null,
    failureBucket: facts.failureBucket ?? null,
    failureHash: facts.failureHash ?? null,
    bugcheckStr: facts.bugcheckStr ?? null,
    process: facts.process ?? null,
    probablyCausedBy: facts.probablyCausedBy ?? null,
    imageVersion: facts.imageVersion ?? null,
    osBuild: facts.osBuild ?? null,
    details: facts.details ?? {},
  };
}
