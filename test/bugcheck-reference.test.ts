import { describe, it, expect } from 'vitest';
import {
  BUGCHECK_REFERENCE,
  type BugcheckCase,
  type BugcheckReference,
  type FourParameters,
  type ParameterKind,
  type ParameterMeaning,
} from '../src/decode/bugcheck-reference.js';

const REQUIRED_CODES = [
  0x0A, 0x1E, 0x3B, 0x50, 0x7E, 0x7F, 0x9F, 0xC2, 0xC4, 0xC9, 0xCE, 0xD1, 0xD5, 0xD6, 0xFE, 0x10D, 0x116, 0x119,
  0x124, 0x133, 0x139, 0x13A, 0x1C4,
];

const EXTRA_CODES = [0x44, 0x4E, 0xA0, 0xC1, 0xC5, 0xCB, 0xDE, 0xE6, 0xEF, 0xF7, 0x101, 0x1D5];

const ALL_KINDS: readonly ParameterKind[] = [
  'ioctl', 'ntstatus', 'irp-major', 'irp', 'device-object', 'driver-object', 'file-object', 'thread', 'process',
  'pool-address', 'address', 'irql', 'count', 'size', 'time', 'flags', 'bugcheck-subcode', 'handle',
  'string-address', 'wdf-handle', 'reserved', 'value',
];

function ref(code: number): BugcheckReference {
  const found = BUGCHECK_REFERENCE.filter((r) => r.code === code);
  expect(found, `code 0x${code.toString(16)}`).toHaveLength(1);
  return found[0]!;
}

function caseOf(list: readonly BugcheckCase[] | undefined, value: number): BugcheckCase {
  const found = (list ?? []).filter((c) => c.value === value);
  expect(found, `case 0x${value.toString(16)}`).toHaveLength(1);
  return found[0]!;
}

/** Every case list in the table with the selector that keys it and a readable path. */
interface CaseList {
  readonly path: string;
  readonly selector: number | undefined;
  readonly cases: readonly BugcheckCase[];
  /** Selectors of the enclosing levels (including this one). */
  readonly selectors: readonly number[];
}

function caseLists(): CaseList[] {
  const out: CaseList[] = [];
  const walk = (path: string, selector: number | undefined, cases: readonly BugcheckCase[], outer: readonly number[]) => {
    const selectors = selector === undefined ? outer : [...outer, selector];
    out.push({ path, selector, cases, selectors });
    for (const c of cases) {
      if (c.cases) walk(`${path}/0x${c.value.toString(16)}`, c.selector, c.cases, selectors);
    }
  };
  for (const r of BUGCHECK_REFERENCE) {
    if (r.cases) walk(`0x${r.code.toString(16)}`, r.selector, r.cases, []);
  }
  return out;
}

function allParameterSets(): { path: string; parameters: FourParameters }[] {
  const out: { path: string; parameters: FourParameters }[] = [];
  for (const r of BUGCHECK_REFERENCE) {
    out.push({ path: `0x${r.code.toString(16)}`, parameters: r.parameters });
    for (const g of r.ranges ?? []) out.push({ path: `0x${r.code.toString(16)} range 0x${g.from.toString(16)}`, parameters: g.parameters });
  }
  for (const list of caseLists()) {
    for (const c of list.cases) out.push({ path: `${list.path}:0x${c.value.toString(16)}`, parameters: c.parameters });
  }
  return out;
}

function allMeanings(): ParameterMeaning[] {
  return allParameterSets().flatMap((s) => s.parameters.filter((p): p is ParameterMeaning => p !== null));
}

describe('BUGCHECK_REFERENCE coverage', () => {
  it('contains every required code exactly once', () => {
    for (const code of REQUIRED_CODES) {
      expect(BUGCHECK_REFERENCE.filter((r) => r.code === code).length, `0x${code.toString(16)}`).toBe(1);
    }
  });

  it('contains the additional driver-relevant codes', () => {
    for (const code of EXTRA_CODES) {
      expect(BUGCHECK_REFERENCE.filter((r) => r.code === code).length, `0x${code.toString(16)}`).toBe(1);
    }
  });

  it('has unique codes and names', () => {
    const codes = BUGCHECK_REFERENCE.map((r) => r.code);
    expect(new Set(codes).size).toBe(codes.length);
    const names = BUGCHECK_REFERENCE.map((r) => r.name);
    expect(new Set(names).size).toBe(names.length);
  });

  it('uses upper-case bug check symbol names', () => {
    for (const r of BUGCHECK_REFERENCE) expect(r.name).toMatch(/^[A-Z][A-Z0-9_]+$/);
  });
});

describe('BUGCHECK_REFERENCE urls', () => {
  it('points every entry at its learn.microsoft.com bug check page', () => {
    for (const r of BUGCHECK_REFERENCE) {
      expect(r.url.startsWith('https://learn.microsoft.com/windows-hardware/drivers/debugger/bug-check-0x')).toBe(true);
      expect(r.url).toMatch(/^https:\/\/learn\.microsoft\.com\/windows-hardware\/drivers\/debugger\/bug-check-0x[0-9a-f]+-[a-z0-9-]+$/);
    }
  });

  it('uses the page of the same code', () => {
    for (const r of BUGCHECK_REFERENCE) {
      const slug = r.url.slice('https://learn.microsoft.com/windows-hardware/drivers/debugger/'.length);
      expect(slug.startsWith(`bug-check-0x${r.code.toString(16)}-`), `${r.name} -> ${slug}`).toBe(true);
    }
  });

  it('has unique urls', () => {
    const urls = BUGCHECK_REFERENCE.map((r) => r.url);
    expect(new Set(urls).size).toBe(urls.length);
  });
});

describe('BUGCHECK_REFERENCE structure', () => {
  it('gives every parameter set exactly four entries with known kinds', () => {
    const sets = allParameterSets();
    expect(sets.length).toBeGreaterThan(BUGCHECK_REFERENCE.length);
    for (const { path, parameters } of sets) {
      expect(parameters, path).toHaveLength(4);
      for (const p of parameters) if (p) expect(ALL_KINDS, path).toContain(p.kind);
    }
  });

  it('has a selector exactly when it has cases, and the selector is an argument index', () => {
    for (const r of BUGCHECK_REFERENCE) {
      expect(r.selector !== undefined, `0x${r.code.toString(16)}`).toBe(r.cases !== undefined && r.cases.length > 0);
      if (r.ranges) expect(r.selector, `0x${r.code.toString(16)} ranges`).toBeDefined();
    }
    for (const list of caseLists()) {
      for (const c of list.cases) {
        expect(c.selector !== undefined, `${list.path}:0x${c.value.toString(16)}`).toBe(c.cases !== undefined && c.cases.length > 0);
      }
      expect(list.selector, list.path).toBeDefined();
      expect([0, 1, 2, 3], list.path).toContain(list.selector);
    }
  });

  it('keeps case values unique, integral and 32-bit within each case list', () => {
    const lists = caseLists();
    expect(lists.length).toBeGreaterThan(20);
    for (const list of lists) {
      const values = list.cases.map((c) => c.value);
      expect(new Set(values).size, list.path).toBe(values.length);
      for (const v of values) {
        expect(Number.isInteger(v), list.path).toBe(true);
        expect(v >= 0 && v < 2 ** 32, list.path).toBe(true);
      }
    }
  });

  it('marks the selecting argument of every case (and every enclosing level) as bugcheck-subcode', () => {
    for (const list of caseLists()) {
      for (const c of list.cases) {
        expect(c.parameters, `${list.path}:0x${c.value.toString(16)}`).toHaveLength(4);
        for (const s of list.selectors) {
          expect(c.parameters[s]?.kind, `${list.path}:0x${c.value.toString(16)} arg${s + 1}`).toBe('bugcheck-subcode');
        }
        if (c.selector !== undefined) {
          expect(c.parameters[c.selector]?.kind, `${list.path}:0x${c.value.toString(16)} nested selector`).toBe('bugcheck-subcode');
        }
      }
    }
  });

  it('marks the selecting argument of the default parameters and ranges as bugcheck-subcode', () => {
    for (const r of BUGCHECK_REFERENCE) {
      if (r.selector === undefined) continue;
      expect(r.parameters[r.selector]?.kind, `0x${r.code.toString(16)}`).toBe('bugcheck-subcode');
      for (const g of r.ranges ?? []) {
        expect(g.parameters[r.selector]?.kind, `0x${r.code.toString(16)} range`).toBe('bugcheck-subcode');
      }
    }
  });

  it('keeps ranges well-formed', () => {
    for (const r of BUGCHECK_REFERENCE) {
      for (const g of r.ranges ?? []) {
        expect(g.from <= g.to, `0x${r.code.toString(16)}`).toBe(true);
        expect(g.to < 2 ** 32).toBe(true);
        expect(g.parameters).toHaveLength(4);
        expect(g.title.trim().length).toBeGreaterThan(0);
      }
    }
  });

  it('does not use bugcheck-subcode for codes without cases', () => {
    for (const r of BUGCHECK_REFERENCE) {
      if (r.selector !== undefined) continue;
      for (const p of r.parameters) expect(p?.kind, `0x${r.code.toString(16)}`).not.toBe('bugcheck-subcode');
    }
  });
});

describe('BUGCHECK_REFERENCE text', () => {
  it('has no empty or overlong meaning', () => {
    const meanings = allMeanings();
    expect(meanings.length).toBeGreaterThan(500);
    for (const m of meanings) {
      expect(m.meaning.trim().length, JSON.stringify(m)).toBeGreaterThan(0);
      expect(m.meaning.length, m.meaning).toBeLessThanOrEqual(200);
      expect(m.meaning, m.meaning).not.toMatch(/\n/);
    }
  });

  it('has non-empty one-line titles and summaries', () => {
    for (const r of BUGCHECK_REFERENCE) {
      expect(r.summary.trim().length, r.name).toBeGreaterThan(0);
      expect(r.summary.length, r.name).toBeLessThanOrEqual(200);
      expect(r.summary).not.toMatch(/\n/);
    }
    for (const list of caseLists()) {
      for (const c of list.cases) {
        expect(c.title.trim().length, list.path).toBeGreaterThan(0);
        expect(c.title.length, c.title).toBeLessThanOrEqual(200);
        expect(c.title).not.toMatch(/\n/);
      }
    }
  });
});

describe('BUGCHECK_REFERENCE facts', () => {
  it('0xC9 documents case 0x7 (cancel routine still set) with the IRP in Arg3', () => {
    const c = caseOf(ref(0xC9).cases, 0x7);
    expect(c.parameters[2]?.kind).toBe('irp');
  });

  it('0xC9 has a case whose parameters carry an IOCTL (0x9 Arg3)', () => {
    const c9 = ref(0xC9);
    expect(c9.cases!.some((c) => c.parameters.some((p) => p?.kind === 'ioctl'))).toBe(true);
    expect(caseOf(c9.cases, 0x9).parameters[2]?.kind).toBe('ioctl');
  });

  it('0xC9 case 0x8 carries an IRP major function and 0x21F exists', () => {
    const c9 = ref(0xC9);
    expect(caseOf(c9.cases, 0x8).parameters[2]?.kind).toBe('irp-major');
    expect(caseOf(c9.cases, 0x8).parameters[3]?.kind).toBe('ntstatus');
    caseOf(c9.cases, 0x21F);
  });

  it('0xC4 covers 0x0, 0x62, 0xdd, 0xf6, 0x91 and the 0x2001F DDI rule', () => {
    const c4 = ref(0xC4);
    for (const v of [0x0, 0x62, 0xdd, 0xf6, 0x91]) caseOf(c4.cases, v);
    const byCase = c4.cases!.some((c) => c.value === 0x2001f);
    const byRange = (c4.ranges ?? []).some((g) => g.from <= 0x2001f && 0x2001f <= g.to);
    expect(byCase || byRange).toBe(true);
    expect(c4.cases!.length).toBeGreaterThan(200);
  });

  it('0x10D case 0x6 has nested cases keyed on Arg2 including 0x3', () => {
    const c6 = caseOf(ref(0x10D).cases, 0x6);
    expect(c6.selector).toBe(1);
    expect(c6.parameters[1]?.kind).toBe('bugcheck-subcode');
    const c63 = caseOf(c6.cases, 0x3);
    expect(c63.parameters[2]?.kind).toBe('wdf-handle');
  });

  it('0x9F has cases 0x3 and 0x4, and 0x9F/0x3 Arg4 is the blocked IRP', () => {
    const r = ref(0x9F);
    expect(caseOf(r.cases, 0x3).parameters[3]?.kind).toBe('irp');
    caseOf(r.cases, 0x4);
  });

  it('exception codes are decoded as NTSTATUS', () => {
    expect(ref(0x3B).parameters[0]?.kind).toBe('ntstatus');
    expect(ref(0x1E).parameters[0]?.kind).toBe('ntstatus');
    expect(ref(0x7E).parameters[0]?.kind).toBe('ntstatus');
  });

  it('IRQL bug checks carry the IRQL in Arg2 and the faulting code in Arg4', () => {
    expect(ref(0xD1).parameters[1]?.kind).toBe('irql');
    expect(ref(0xD1).parameters[3]?.kind).toBe('address');
    expect(ref(0x0A).parameters[1]?.kind).toBe('irql');
  });

  it('0x7F is keyed on the trap number and includes the double fault', () => {
    const r = ref(0x7F);
    expect(r.selector).toBe(0);
    caseOf(r.cases, 0x8);
  });

  it('0xC1 is keyed on Arg4', () => {
    const r = ref(0xC1);
    expect(r.selector).toBe(3);
    expect(caseOf(r.cases, 0x20).parameters[3]?.kind).toBe('bugcheck-subcode');
  });
});
