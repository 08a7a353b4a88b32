/**
 * The IOCTL boundary audit: every control code a team's headers define, decoded, with findings a reviewer should
 * see (raw user pointers, state changes open to any handle, ambiguous values, reserved ranges, collisions with
 * public codes, overflowing fields, definitions that do not evaluate). Pure: headers in, rows out.
 */
import { readFileSync, existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { evaluateHeader, type HeaderEvaluation, type TeamDefinition } from '../decode/catalog.js';
import { decodeIoctl, ioctlNames, type IoctlDecoding } from '../decode/ioctl.js';
import { hex32 } from '../decode/names.js';

export type Severity = 'info' | 'warning' | 'error';
export const SEVERITIES: readonly Severity[] = ['info', 'warning', 'error'];

export type FindingId =
  | 'method-neither'
  | 'any-access-state-change'
  | 'duplicate-value'
  | 'reserved-device-type'
  | 'reserved-function'
  | 'public-collision'
  | 'field-overflow'
  | 'not-evaluated';

/** Every finding: its severity and why it matters, in one sentence. The ids are stable: teams silence by id. */
export const FINDINGS: Readonly<Record<FindingId, { severity: Severity; why: string }>> = {
  'method-neither': { severity: 'warning', why: 'METHOD_NEITHER hands the driver raw user-mode pointers: it must probe and capture every buffer itself, in the caller\'s context, or a caller can make it read or write kernel memory' },
  'any-access-state-change': { severity: 'warning', why: 'the name says it changes state, yet FILE_ANY_ACCESS lets any handle send it, even one opened with no read or write access' },
  'duplicate-value': { severity: 'error', why: 'two names share one value: the driver cannot tell them apart, and every decoder shows both, so logs stop saying which request failed' },
  'reserved-device-type': { severity: 'warning', why: 'device types below 0x8000 are reserved for Microsoft: a vendor interface there can collide with a system device\'s codes' },
  'reserved-function': { severity: 'info', why: 'function codes below 0x800 are reserved for Microsoft: vendor functions belong at 0x800 and above' },
  'public-collision': { severity: 'error', why: 'the value is already a public control code: a filter, a tool or the I/O path may treat the request as that code' },
  'field-overflow': { severity: 'error', why: 'an argument does not fit its CTL_CODE field and silently changes the other fields (CTL_CODE does not mask)' },
  'not-evaluated': { severity: 'error', why: 'the definition could not be evaluated, so nobody can check what value callers actually send' },
};

/** Aliases a header comment may use for a finding id (`// irpscope: allow METHOD_NEITHER because ...`). */
const ALIASES: Readonly<Record<string, FindingId>> = { METHOD_NEITHER: 'method-neither', FILE_ANY_ACCESS: 'any-access-state-change' };

const STATE_CHANGE = /(^|_)(SET|WRITE|DELETE|CREATE|REMOVE|CLEAR|RESET|ADD|UPDATE|MODIFY|ENABLE|DISABLE|START|STOP|LOAD|UNLOAD|KILL|TERMINATE|INSTALL|UNINSTALL|REGISTER|UNREGISTER|FLASH|FORMAT|ERASE|LOCK|UNLOCK|MAP|UNMAP|INJECT|EXEC|EXECUTE|PATCH|PROTECT|UNPROTECT|ALLOC|ALLOCATE|FREE|ATTACH|DETACH|SEND|POST|CONFIG|CONFIGURE|APPLY|COMMIT|PUSH|INSERT|DROP|SHUTDOWN|REBOOT|ASSIGN|GRANT|REVOKE|ELEVATE)(_|$)/;

export interface Finding {
  readonly id: FindingId;
  readonly severity: Severity;
  readonly why: string;
  /** What in this definition triggered it. */
  readonly detail: string;
  /** Set when a header comment or rules file silences it: the reason given. */
  readonly silenced: string | null;
}

export interface AuditRow {
  readonly name: string;
  readonly file: string;
  readonly line: number;
  readonly code: string | null;
  readonly decoded: IoctlDecoding | null;
  readonly findings: readonly Finding[];
}

export interface AllowRule {
  readonly finding: FindingId;
  /** A name, or '*' for every code. */
  readonly name: string;
  readonly reason: string;
  readonly where: string;
}

export function findingIdOf(word: string): FindingId | null {
  if (word in FINDINGS) return word as FindingId;
  return ALIASES[word] ?? null;
}

/** `// irpscope: allow <finding> because <reason>` on the definition's line or the comment lines just above it. */
export function allowsInHeader(file: string, line: number, lines: readonly string[]): AllowRule[] {
  const rules: AllowRule[] = [];
  const pattern = /irpscope:\s*allow\s+([A-Za-z_-]+)(?:\s+because\s+(.*?))?\s*(?:\*\/)?\s*$/;
  const consider = (index: number): void => {
    const match = pattern.exec(lines[index] ?? '');
    if (!match) return;
    const id = findingIdOf(match[1]!);
    if (id) rules.push({ finding: id, name: '*', reason: match[2]?.trim() || 'no reason given', where: `${file}:${index + 1}` });
  };
  consider(line - 1);
  for (let index = line - 2; index >= 0; index--) {
    const text = lines[index]!.trim();
    if (!(text.startsWith('//') || text.startsWith('/*') || text.startsWith('*'))) break;
    consider(index);
  }
  return rules;
}

/** A rules file: one `allow <finding> <NAME|*> because <reason>` per line; `#` comments. */
export function parseRulesFile(path: string, text: string): { rules: AllowRule[]; problems: string[] } {
  const rules: AllowRule[] = [];
  const problems: string[] = [];
  text.split(/\r\n|\r|\n/).forEach((raw, index) => {
    const content = raw.replace(/#.*$/, '').trim();
    if (!content) return;
    const match = /^allow\s+([A-Za-z_-]+)\s+(\S+)(?:\s+because\s+(.+))?$/.exec(content);
    const id = match ? findingIdOf(match[1]!) : null;
    if (!match || !id) {
      problems.push(`${path}:${index + 1}: expected "allow <finding-id> <NAME|*> because <reason>", got ${JSON.stringify(raw.slice(0, 80))}`);
      return;
    }
    rules.push({ finding: id, name: match[2]!, reason: match[3]?.trim() || 'no reason given', where: `${path}:${index + 1}` });
  });
  return { rules, problems };
}

function fieldOverflows(definition: TeamDefinition): string[] {
  const args = definition.ctlArguments;
  if (!args) return [];
  const limits: [keyof typeof args, bigint, string][] = [
    ['deviceType', 0xffffn, 'device type'], ['function', 0xfffn, 'function'], ['method', 0x3n, 'method'], ['access', 0x3n, 'access'],
  ];
  const out: string[] = [];
  for (const [key, max, label] of limits) {
    const value = args[key];
    if (value !== null && (value < 0n || value > max)) out.push(`${label} 0x${BigInt.asUintN(64, value).toString(16)} does not fit (maximum 0x${max.toString(16)})`);
  }
  return out;
}

export interface AuditInput {
  readonly headers: readonly string[];
  readonly rules?: readonly AllowRule[];
  /** Reads a header (tests inject text). */
  readonly readText?: (path: string) => string | null;
}

export interface AuditResult {
  readonly rows: AuditRow[];
  readonly unresolvedIncludes: HeaderEvaluation['unresolvedIncludes'];
}

const readFile = (path: string): string | null => (existsSync(path) ? readFileSync(path, 'latin1') : null);

/** Evaluates the headers and audits every control code they define. */
export function auditHeaders(input: AuditInput): AuditResult {
  const readText = input.readText ?? readFile;
  const definitions: TeamDefinition[] = [];
  const rows: AuditRow[] = [];
  const unresolvedIncludes: HeaderEvaluation['unresolvedIncludes'] = [];
  const headerLines = new Map<string, string[]>();
  const linesOf = (file: string): string[] => {
    let lines = headerLines.get(file);
    if (!lines) headerLines.set(file, (lines = (readText(file) ?? '').split(/\r\n|\r|\n/)));
    return lines;
  };
  for (const header of input.headers) {
    const evaluation = evaluateHeader(resolve(header), readText);
    unresolvedIncludes.push(...evaluation.unresolvedIncludes);
    definitions.push(...evaluation.entries.filter((entry) => entry.kind === 'ioctl'));
    for (const problem of evaluation.problems) {
      const name = /^(\w+) does not evaluate/.exec(problem.reason)?.[1] ?? '(definition)';
      rows.push({
        name, file: problem.file, line: problem.line, code: null, decoded: null,
        findings: [{ id: 'not-evaluated', ...FINDINGS['not-evaluated'], detail: problem.reason, silenced: null }],
      });
    }
  }
  // Within the team's own headers, which names share a value.
  const namesByValue = new Map<number, string[]>();
  for (const d of definitions) namesByValue.set(d.value, [...(namesByValue.get(d.value) ?? []), d.name]);

  for (const definition of definitions) {
    const decoded = decodeIoctl(definition.value);
    const publicNames = ioctlNames.namesOf(definition.value).map((ref) => ref.name);
    // A definition that is itself a public code (same name, same value in the public tables) is Microsoft's own:
    // reserved ranges and collisions do not apply to it.
    const isPublicCode = publicNames.includes(definition.name);
    const raw: { id: FindingId; detail: string }[] = [];
    if (decoded.method.value === 3) raw.push({ id: 'method-neither', detail: 'METHOD_NEITHER' });
    if (decoded.access.value === 0 && STATE_CHANGE.test(definition.name.replace(/^(IOCTL|FSCTL)_/, ''))) {
      raw.push({ id: 'any-access-state-change', detail: `${definition.name} with FILE_ANY_ACCESS` });
    }
    const twins = (namesByValue.get(definition.value) ?? []).filter((n) => n !== definition.name);
    if (twins.length > 0) raw.push({ id: 'duplicate-value', detail: `same value as ${twins.join(', ')}` });
    if (!isPublicCode) {
      // Private FSCTLs are defined on FILE_DEVICE_FILE_SYSTEM with a vendor function: that is the documented way.
      const privateFsctl = decoded.deviceType.value === 0x9 && decoded.function.value >= 0x800;
      if (decoded.deviceType.value < 0x8000 && !privateFsctl) raw.push({ id: 'reserved-device-type', detail: `device type 0x${decoded.deviceType.value.toString(16)}${decoded.deviceType.names[0] ? ` (${decoded.deviceType.names[0].name})` : ''}` });
      if (decoded.function.value < 0x800) raw.push({ id: 'reserved-function', detail: `function 0x${decoded.function.value.toString(16)}` });
      if (publicNames.length > 0) raw.push({ id: 'public-collision', detail: `collides with ${publicNames.join(', ')}` });
    }
    for (const overflow of fieldOverflows(definition)) raw.push({ id: 'field-overflow', detail: overflow });

    const lines = linesOf(definition.file);
    const allows = [...allowsInHeader(definition.file, definition.line, lines), ...(input.rules ?? []).filter((rule) => rule.name === '*' || rule.name === definition.name)];
    const findings = raw.map(({ id, detail }): Finding => {
      const allow = allows.find((rule) => rule.finding === id);
      return { id, severity: FINDINGS[id].severity, why: FINDINGS[id].why, detail, silenced: allow ? `${allow.reason} (${allow.where})` : null };
    });
    rows.push({ name: definition.name, file: definition.file, line: definition.line, code: hex32(definition.value), decoded, findings });
  }
  rows.sort((a, b) => {
    if (!a.decoded || !b.decoded) return a.decoded ? -1 : b.decoded ? 1 : a.file.localeCompare(b.file) || a.line - b.line;
    return a.decoded.deviceType.value - b.decoded.deviceType.value || a.decoded.function.value - b.decoded.function.value || a.name.localeCompare(b.name);
  });
  return { rows, unresolvedIncludes };
}

export interface InterfaceChange {
  readonly kind: 'added' | 'removed' | 'changed' | 'renamed';
  readonly name: string;
  readonly oldName: string | null;
  readonly oldCode: string | null;
  readonly newCode: string | null;
  /** For 'changed': which fields moved (a compatibility break for every caller built against the old header). */
  readonly fields: readonly string[];
  readonly detail: string;
}

/** What changed between two versions of an interface, by name. */
export function compareInterfaces(oldRows: readonly AuditRow[], newRows: readonly AuditRow[]): InterfaceChange[] {
  const byName = (rows: readonly AuditRow[]) => new Map(rows.filter((r) => r.decoded).map((r) => [r.name, r]));
  const before = byName(oldRows);
  const after = byName(newRows);
  const changes: InterfaceChange[] = [];
  const removedByValue = new Map<string, AuditRow>();
  for (const [name, row] of before) if (!after.has(name)) removedByValue.set(row.code!, row);
  const renamedOld = new Set<string>();
  for (const [name, row] of after) {
    const old = before.get(name);
    if (!old) {
      const sameValue = removedByValue.get(row.code!);
      if (sameValue) {
        renamedOld.add(sameValue.name);
        changes.push({ kind: 'renamed', name, oldName: sameValue.name, oldCode: sameValue.code, newCode: row.code, fields: [], detail: `${sameValue.name} is now called ${name} (same value ${row.code})` });
      } else changes.push({ kind: 'added', name, oldName: null, oldCode: null, newCode: row.code, fields: [], detail: `new code ${row.code}` });
      continue;
    }
    if (old.code === row.code) continue;
    const a = old.decoded!;
    const b = row.decoded!;
    const fields = [
      a.deviceType.value !== b.deviceType.value ? `device type 0x${a.deviceType.value.toString(16)} -> 0x${b.deviceType.value.toString(16)}` : null,
      a.function.value !== b.function.value ? `function 0x${a.function.value.toString(16)} -> 0x${b.function.value.toString(16)}` : null,
      a.method.value !== b.method.value ? `method ${a.method.names[0]?.name ?? a.method.value} -> ${b.method.names[0]?.name ?? b.method.value}` : null,
      a.access.value !== b.access.value ? `access ${a.access.names[0]?.name ?? a.access.value} -> ${b.access.names[0]?.name ?? b.access.value}` : null,
    ].filter((f): f is string => f !== null);
    changes.push({ kind: 'changed', name, oldName: name, oldCode: old.code, newCode: row.code, fields, detail: `${old.code} -> ${row.code}: ${fields.join('; ')}; callers built against the old header send the old value` });
  }
  for (const [name, row] of before) {
    if (!after.has(name) && !renamedOld.has(name)) changes.push({ kind: 'removed', name, oldName: name, oldCode: row.code, newCode: null, fields: [], detail: `code ${row.code} is gone` });
  }
  const order = { changed: 0, removed: 1, renamed: 2, added: 3 };
  return changes.sort((x, y) => order[x.kind] - order[y.kind] || x.name.localeCompare(y.name));
}
