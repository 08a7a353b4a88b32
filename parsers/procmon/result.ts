/**
 * Procmon's Result column prints an NTSTATUS the way its own table names it: the NTSTATUS name without `STATUS_`,
 * underscores as spaces (STATUS_INVALID_DEVICE_REQUEST -> `INVALID DEVICE REQUEST`), sometimes shortened further
 * (STATUS_OBJECT_NAME_NOT_FOUND -> `NAME NOT FOUND`, STATUS_NOT_A_REPARSE_POINT -> `NOT REPARSE POINT`,
 * STATUS_FILE_IS_A_DIRECTORY -> `IS DIRECTORY`). The map is derived from the core's NTSTATUS names by those rules,
 * never typed by hand: a printed text that two different values could stand for maps to nothing.
 */
import { ntstatusName, ntstatusNames } from '../../src/decode/ntstatus.js';
import { hex32 } from '../../src/records/index.js';

export interface ResultStatus {
  readonly value: number;
  /** The value as "0x" + 8 upper-case hex digits. */
  readonly code: string;
  /** The NTSTATUS name the printed text comes from (for a hex Result, the value's name if it has one). */
  readonly name: string | null;
}

type Candidates = Map<string, ResultStatus[]>;

/** The shortened forms Procmon prints for some names (after `STATUS_` is dropped). */
function shortenings(bare: string): string[] {
  const forms: string[] = [];
  if (bare.startsWith('OBJECT_')) forms.push(bare.slice('OBJECT_'.length));
  if (bare.includes('_A_')) forms.push(bare.replaceAll('_A_', '_'));
  if (bare.startsWith('FILE_IS_A_')) forms.push(bare.slice('FILE_'.length).replace('_A_', '_'));
  return forms;
}

function add(candidates: Candidates, text: string, status: ResultStatus): void {
  const list = candidates.get(text);
  if (!list) candidates.set(text, [status]);
  else if (!list.some((s) => s.value === status.value)) list.push(status);
}

let table: Map<string, ResultStatus | null> | null = null;

function build(): Map<string, ResultStatus | null> {
  const exact: Candidates = new Map();
  const short: Candidates = new Map();
  for (const name of ntstatusNames.allNames()) {
    if (!name.startsWith('STATUS_')) continue;
    const bare = name.slice('STATUS_'.length);
    for (const value of ntstatusNames.valuesOf(name)) {
      const status = { value, code: hex32(value), name };
      add(exact, bare.replaceAll('_', ' '), status);
      for (const form of shortenings(bare)) add(short, form.replaceAll('_', ' '), status);
    }
  }
  const map = new Map<string, ResultStatus | null>();
  for (const [text, list] of short) if (!exact.has(text)) map.set(text, list.length === 1 ? list[0]! : null);
  for (const [text, list] of exact) map.set(text, list.length === 1 ? list[0]! : null);
  return map;
}

/** The NTSTATUS a Result text stands for (also a hex Result such as `0xc0000427`), or null. */
export function resultStatus(result: string): ResultStatus | null {
  if (/^0x[0-9a-fA-F]{1,8}$/.test(result)) {
    const value = Number.parseInt(result.slice(2), 16) >>> 0;
    return { value, code: hex32(value), name: ntstatusName(value) };
  }
  table ??= build();
  return table.get(result) ?? null;
}
