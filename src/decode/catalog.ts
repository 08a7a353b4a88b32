/**
 * The private catalog: a team's own control codes and statuses, read from its headers with the same evaluator as
 * the public tables, kept in one JSON file that is replaced atomically (a failed add leaves it as it was).
 */
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { z } from 'zod';
import { MacroTable, type IncludeRequest, type MacroDefinition } from './cpp/index.js';
import { CatalogNames, type CatalogEntry, type CatalogKind } from './catalog-names.js';
import { DEVICE_TYPE_NAMES } from './tables/device-types.js';
import { METHOD_NAMES } from './tables/methods.js';
import { ACCESS_NAMES } from './tables/access.js';

const CatalogEntrySchema = z.object({
  kind: z.enum(['ioctl', 'deviceType', 'ntstatus', 'bugcheck']),
  name: z.string().min(1),
  value: z.number().int().min(0).max(0xffffffff),
  file: z.string().min(1),
  line: z.number().int().positive(),
});

const CatalogFileSchema = z.object({
  version: z.literal(1),
  headers: z.array(z.object({ header: z.string().min(1), addedAt: z.string(), entries: z.array(CatalogEntrySchema) })),
});
export type CatalogFile = z.infer<typeof CatalogFileSchema>;

export class CatalogError extends Error {
  constructor(message: string, readonly problems: readonly { file: string; line: number; reason: string }[] = []) {
    super(message);
  }
}

export function loadCatalogFile(path: string): CatalogFile {
  if (!existsSync(path)) return { version: 1, headers: [] };
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new CatalogError(`${path}: the catalog is not valid JSON (${(error as Error).message}); it was left untouched`);
  }
  const parsed = CatalogFileSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new CatalogError(`${path}: not an irpscope catalog (${issue ? `${issue.path.join('.')}: ${issue.message}` : 'bad shape'}); it was left untouched`);
  }
  return parsed.data;
}

export function loadCatalog(path: string): CatalogNames {
  return new CatalogNames(loadCatalogFile(path).headers.flatMap((h) => h.entries));
}

function saveCatalogFile(path: string, catalog: CatalogFile): void {
  mkdirSync(dirname(path), { recursive: true });
  const temporary = `${path}.${process.pid}.tmp`;
  writeFileSync(temporary, `${JSON.stringify(catalog, null, 2)}\n`);
  renameSync(temporary, path); // atomic on one file system: readers see the old or the new catalog, never half
}

/** The public macros a team header builds on (CTL_CODE, METHOD_*, FILE_*_ACCESS, FILE_DEVICE_*), as header text. */
function preludeText(): string {
  const lines = ['#define CTL_CODE(DeviceType, Function, Method, Access) (((DeviceType) << 16) | ((Access) << 14) | ((Function) << 2) | (Method))'];
  const seen = new Set<string>();
  for (const [value, name] of [...DEVICE_TYPE_NAMES, ...METHOD_NAMES, ...ACCESS_NAMES]) {
    if (seen.has(name)) continue;
    seen.add(name);
    lines.push(`#define ${name} 0x${value.toString(16)}`);
  }
  return lines.join('\n');
}

const PRELUDE_FILE = '<irpscope prelude: public CTL_CODE, METHOD_*, FILE_*_ACCESS, FILE_DEVICE_*>';

function classifyTeamDefinition(definition: MacroDefinition, value: bigint, viaCtlCode: boolean): CatalogKind | null {
  const u32 = Number(BigInt.asUintN(32, value));
  if (viaCtlCode) return 'ioctl';
  if (/^(IOCTL|FSCTL)_/.test(definition.name)) return u32 > 0xffff ? 'ioctl' : null;
  if (/\bNTSTATUS\b/.test(definition.body) || /^STATUS_/.test(definition.name)) return 'ntstatus';
  if (/^FILE_DEVICE_/.test(definition.name) && u32 <= 0xffff) return 'deviceType';
  return null;
}

/** A definition that must evaluate: it names or builds a control code. */
function mustEvaluate(definition: MacroDefinition): boolean {
  return /^(IOCTL|FSCTL)_/.test(definition.name) || /\b\w*CTL_CODE\w*\s*\(|\b\w+_CTL\s*\(/.test(definition.body);
}

/** The four arguments of the CTL_CODE call a definition expands to, as written (before masking to field widths). */
export interface CtlArguments {
  readonly deviceType: bigint | null;
  readonly function: bigint | null;
  readonly method: bigint | null;
  readonly access: bigint | null;
}

/** A definition from a team's header: what the catalog keeps, plus the CTL_CODE arguments an audit checks. */
export interface TeamDefinition extends CatalogEntry {
  readonly ctlArguments: CtlArguments | null;
}

export interface HeaderEvaluation {
  readonly entries: TeamDefinition[];
  readonly problems: { file: string; line: number; reason: string }[];
  readonly unresolvedIncludes: { file: string; line: number; target: string }[];
}

/** Evaluates a team's header (and the headers it includes with quotes, found next to it). */
export function evaluateHeader(headerPath: string, readText: (path: string) => string | null = (p) => (existsSync(p) ? readFileSync(p, 'latin1') : null)): HeaderEvaluation {
  const absolute = resolve(headerPath);
  const text = readText(absolute);
  if (text === null) throw new CatalogError(`${headerPath}: no such file`);
  const table = new MacroTable();
  table.scan(PRELUDE_FILE, preludeText());
  const ownFiles = new Set<string>([absolute]);
  const unresolvedIncludes: HeaderEvaluation['unresolvedIncludes'] = [];
  const problems: HeaderEvaluation['problems'] = [];
  const resolveInclude = (request: IncludeRequest): { file: string; text: string } | null => {
    const candidate = resolve(dirname(request.from), request.target);
    const included = readText(candidate);
    if (included === null) return null;
    ownFiles.add(candidate);
    return { file: candidate, text: included };
  };
  const report = table.scan(absolute, text, { resolveInclude });
  for (const include of report.unresolvedIncludes) unresolvedIncludes.push({ file: absolute, line: include.line, target: include.target });
  for (const problem of report.problems) problems.push(problem);
  const entries: TeamDefinition[] = [];
  for (const definition of table.definitions()) {
    if (definition.params !== null || !ownFiles.has(definition.file) || table.lookup(definition.name) !== definition) continue;
    const evaluation = table.evaluateDefinition(definition);
    if (!evaluation.ok) {
      if (mustEvaluate(definition)) problems.push({ file: definition.file, line: definition.line, reason: `${definition.name} does not evaluate: ${evaluation.reason}` });
      continue;
    }
    const ctlCall = evaluation.calls.find((call) => call.macro === 'CTL_CODE');
    const kind = classifyTeamDefinition(definition, evaluation.value, ctlCall !== undefined);
    if (!kind) continue;
    const ctlArguments = ctlCall && ctlCall.values.length === 4
      ? { deviceType: ctlCall.values[0] ?? null, function: ctlCall.values[1] ?? null, method: ctlCall.values[2] ?? null, access: ctlCall.values[3] ?? null }
      : null;
    entries.push({ kind, name: definition.name, value: Number(BigInt.asUintN(32, evaluation.value)), file: definition.file, line: definition.line, ctlArguments });
  }
  return { entries, problems, unresolvedIncludes };
}

export interface CatalogAddResult {
  readonly header: string;
  readonly entries: number;
  readonly replaced: number;
  readonly unresolvedIncludes: HeaderEvaluation['unresolvedIncludes'];
}

/** Adds headers to the catalog. All or nothing: if any header has a definition that does not evaluate, nothing is written. */
export function addHeaders(catalogPath: string, headers: readonly string[], now: Date = new Date()): CatalogAddResult[] {
  const catalog = loadCatalogFile(catalogPath);
  const results: CatalogAddResult[] = [];
  const problems: { file: string; line: number; reason: string }[] = [];
  const evaluated: { header: string; evaluation: HeaderEvaluation }[] = [];
  for (const header of headers) {
    const evaluation = evaluateHeader(header);
    problems.push(...evaluation.problems);
    evaluated.push({ header: resolve(header), evaluation });
  }
  if (problems.length > 0) {
    throw new CatalogError(
      `${problems.length} definition${problems.length === 1 ? '' : 's'} could not be evaluated; the catalog was not changed:\n` +
        problems.map((p) => `  ${p.file}:${p.line}: ${p.reason}`).join('\n'),
      problems,
    );
  }
  for (const { header, evaluation } of evaluated) {
    const previous = catalog.headers.find((h) => h.header === header);
    catalog.headers = catalog.headers.filter((h) => h.header !== header);
    const entries = evaluation.entries.map(({ kind, name, value, file, line }) => ({ kind, name, value, file, line }));
    catalog.headers.push({ header, addedAt: now.toISOString(), entries });
    results.push({ header, entries: evaluation.entries.length, replaced: previous?.entries.length ?? 0, unresolvedIncludes: evaluation.unresolvedIncludes });
  }
  saveCatalogFile(catalogPath, catalog);
  return results;
}

/** Removes headers (by path) or single names from the catalog; returns how many entries went. */
export function removeFromCatalog(catalogPath: string, targets: readonly string[]): { removed: number; unmatched: string[] } {
  const catalog = loadCatalogFile(catalogPath);
  let removed = 0;
  const unmatched: string[] = [];
  for (const target of targets) {
    const header = resolve(target);
    const before = catalog.headers.reduce((n, h) => n + h.entries.length, 0);
    const hadHeader = catalog.headers.some((h) => h.header === header);
    catalog.headers = catalog.headers
      .filter((h) => h.header !== header)
      .map((h) => ({ ...h, entries: h.entries.filter((e) => e.name !== target) }));
    const after = catalog.headers.reduce((n, h) => n + h.entries.length, 0);
    if (after === before && !hadHeader) unmatched.push(target);
    removed += before - after;
  }
  saveCatalogFile(catalogPath, catalog);
  return { removed, unmatched };
}
