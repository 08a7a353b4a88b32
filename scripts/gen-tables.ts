/**
 * Generates src/decode/tables/*.ts from real Windows headers, and docs/name-tables.md with what it could not
 * evaluate. Run through scripts/gen-tables.sh, which brings the three header sources; see README "Name tables".
 *
 *   node dist/scripts/gen-tables.js --sdk DIR --sdk-version SHA --mingw DIR --mingw-version V --wine DIR --wine-version V
 *
 * Every #define of every header is read with the project's C-preprocessor subset (src/decode/cpp), all branches
 * of conditionals included, and each definition is evaluated as an integer constant expression. What a name is
 * (IOCTL, device type, NTSTATUS, ...) is decided from how it evaluates (through CTL_CODE or not), its name and the
 * header it sits in, never from a regular expression over the text of a CTL_CODE call.
 */
import { readdirSync, readFileSync, statSync, writeFileSync, mkdirSync } from 'node:fs';
import { basename, join, relative, dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { MacroTable, type MacroDefinition } from '../src/decode/cpp/index.js';
import { MINOR_FUNCTION_MAJORS } from './minor-function-majors.js';

interface PackageInput { id: string; title: string; version: string; root: string }

type TableKind = 'ioctl' | 'deviceType' | 'method' | 'access' | 'irpMajor' | 'irpMinor' | 'ntstatus' | 'facility' | 'bugcheck';

interface Failure { package: string; file: string; line: number; name: string; reason: string }

/** Device characteristics flags that share the FILE_DEVICE_ prefix (wdm.h, "Define the various device characteristics flags"): not device types. */
const CHARACTERISTICS_FLAGS = new Set([
  'FILE_DEVICE_SECURE_OPEN',
  'FILE_DEVICE_IS_MOUNTED',
  'FILE_DEVICE_ALLOW_APPCONTAINER_TRAVERSAL',
  'FILE_DEVICE_REQUIRE_SECURITY_CHECK',
]);
const METHOD_NAMES = /^METHOD_(BUFFERED|IN_DIRECT|OUT_DIRECT|NEITHER|DIRECT_TO_HARDWARE|DIRECT_FROM_HARDWARE)$/;
const ACCESS_NAMES = /^FILE_(ANY|SPECIAL|READ|WRITE)_ACCESS$/;
/** Names that carry an IOCTL prefix but hold a device type or a base, not a control code. */
const CONTROL_NAME = /^(IOCTL|FSCTL)_/;

function parseArgs(argv: string[]): Map<string, string> {
  const args = new Map<string, string>();
  for (let i = 0; i < argv.length; i += 2) {
    const key = argv[i];
    const value = argv[i + 1];
    if (!key?.startsWith('--') || value === undefined) throw new Error(`usage: gen-tables --sdk DIR --sdk-version V --mingw DIR --mingw-version V --wine DIR --wine-version V [--supplement DIR] (at ${key ?? 'end'})`);
    args.set(key.slice(2), value);
  }
  return args;
}

function headerFiles(root: string): string[] {
  const found: string[] = [];
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir).sort()) {
      const path = join(dir, entry);
      const stat = statSync(path);
      if (stat.isDirectory()) walk(path);
      else if (/\.h$/i.test(entry)) found.push(path);
    }
  };
  walk(root);
  return found;
}

interface Collected {
  kind: TableKind;
  value: number;
  name: string;
  source: number;
}

function classify(definition: MacroDefinition, value: bigint, calls: readonly { macro: string }[]): { kind: TableKind; value: number } | null {
  const name = definition.name;
  const file = basename(definition.file).toLowerCase();
  const u32 = Number(BigInt.asUintN(32, value));
  const viaCtlCode = calls.some((call) => call.macro === 'CTL_CODE');
  if (viaCtlCode) return { kind: 'ioctl', value: u32 };
  if (CONTROL_NAME.test(name)) return u32 > 0xffff ? { kind: 'ioctl', value: u32 } : null;
  if (name.startsWith('FILE_DEVICE_')) {
    if (CHARACTERISTICS_FLAGS.has(name) || u32 > 0xffff) return null;
    return { kind: 'deviceType', value: u32 };
  }
  if (METHOD_NAMES.test(name)) return { kind: 'method', value: u32 };
  if (ACCESS_NAMES.test(name)) return { kind: 'access', value: u32 };
  if (name.startsWith('IRP_MJ_')) return name === 'IRP_MJ_MAXIMUM_FUNCTION' ? null : { kind: 'irpMajor', value: u32 & 0xff };
  if (name.startsWith('IRP_MN_')) return { kind: 'irpMinor', value: u32 & 0xff };
  if (file === 'ntstatus.h' && name.startsWith('FACILITY_')) return name === 'FACILITY_MAXIMUM_VALUE' ? null : { kind: 'facility', value: u32 };
  // STATUS_SEVERITY_* name the severity field's values, not statuses.
  if ((file === 'ntstatus.h' || name.startsWith('STATUS_')) && !name.startsWith('STATUS_SEVERITY_') && /\bNTSTATUS\b/.test(definition.body)) return { kind: 'ntstatus', value: u32 };
  // mingw-w64's bugcodes.h is message-compiler output: its FACILITY_ and STATUS_SEVERITY_ lines are not bugchecks.
  if (file === 'bugcodes.h' && /^[A-Z][A-Z0-9_]+$/.test(name) && !/^(BUGCODE_ID_|FACILITY_|STATUS_SEVERITY_)/.test(name)) return { kind: 'bugcheck', value: u32 };
  return null;
}

/** Whether a definition can land in a table: a name or header that classifies, or a call that may be a CTL_CODE wrapper. */
function mayClassify(definition: MacroDefinition): boolean {
  const name = definition.name;
  const file = basename(definition.file).toLowerCase();
  return file === 'ntstatus.h' || file === 'bugcodes.h' || METHOD_NAMES.test(name) || ACCESS_NAMES.test(name)
    || name.startsWith('STATUS_') || /\w\s*\(/.test(definition.body);
}

/** Definitions that should have evaluated: their failure is reported with file:line. */
function isCandidate(definition: MacroDefinition): boolean {
  const file = basename(definition.file).toLowerCase();
  if (definition.params !== null || definition.body.trim() === '') return false;
  return CONTROL_NAME.test(definition.name) || /\b(CTL_CODE|_CONTROL_CODE|CTL_CODE_\w*|\w+_CTL_CODE|\w+_CTL)\s*\(/.test(definition.body)
    || definition.name.startsWith('FILE_DEVICE_') || definition.name.startsWith('IRP_MJ_') || definition.name.startsWith('IRP_MN_')
    || (file === 'ntstatus.h' && /\bNTSTATUS\b/.test(definition.body)) || (file === 'bugcodes.h' && /^[A-Z][A-Z0-9_]+$/.test(definition.name));
}

function main(): void {
  const args = parseArgs(process.argv.slice(2));
  const need = (key: string): string => {
    const value = args.get(key);
    if (!value) throw new Error(`gen-tables: --${key} is required`);
    return value;
  };
  const scriptsDir = dirname(fileURLToPath(import.meta.url));
  const repoRoot = resolve(scriptsDir, '..', '..');
  const packages: PackageInput[] = [
    { id: 'sdk', title: 'Windows SDK headers (microsoft/win32metadata, generation/WinSDK/RecompiledIdlHeaders)', version: need('sdk-version'), root: need('sdk') },
    { id: 'mingw-w64', title: 'mingw-w64 headers (Debian package mingw-w64-common)', version: need('mingw-version'), root: need('mingw') },
    { id: 'wine', title: "Wine's SDK and DDK headers (Debian package libwine-dev)", version: need('wine-version'), root: need('wine') },
    { id: 'supplement', title: 'irpscope supplement: documented values that none of the three header sets carries (scripts/supplement/)', version: 'repo', root: args.get('supplement') ?? join(repoRoot, 'scripts', 'supplement') },
  ];

  const sources: { package: string; file: string }[] = [];
  const sourceIndex = new Map<string, number>();
  const collected: Collected[] = [];
  const failures: Failure[] = [];
  const stats: Record<string, { files: number; definitions: number; evaluated: number; candidatesFailed: number; problems: number; ms: number }> = {};

  for (const pkg of packages) {
    const started = Date.now();
    const table = new MacroTable();
    const files = headerFiles(pkg.root);
    let problems = 0;
    for (const path of files) {
      const report = table.scan(relative(pkg.root, path).split('\\').join('/'), readFileSync(path, 'latin1'));
      problems += report.problems.length;
    }
    let evaluated = 0;
    let candidatesFailed = 0;
    const definitions = table.definitions();
    for (const definition of definitions) {
      if (definition.params !== null) continue;
      const candidate = isCandidate(definition);
      // The SDK alone has hundreds of thousands of defines: evaluate only those that can land in a table.
      if (!candidate && !mayClassify(definition)) continue;
      const evaluation = table.evaluateDefinition(definition);
      if (!evaluation.ok) {
        if (candidate) {
          candidatesFailed++;
          failures.push({ package: pkg.id, file: definition.file, line: definition.line, name: definition.name, reason: evaluation.reason });
        }
        continue;
      }
      evaluated++;
      const kind = classify(definition, evaluation.value, evaluation.calls);
      if (!kind) continue;
      const key = `${pkg.id}\u0000${definition.file}`;
      let source = sourceIndex.get(key);
      if (source === undefined) {
        source = sources.length;
        sources.push({ package: pkg.id, file: definition.file });
        sourceIndex.set(key, source);
      }
      collected.push({ kind: kind.kind, value: kind.value, name: definition.name, source });
    }
    stats[pkg.id] = { files: files.length, definitions: definitions.length, evaluated, candidatesFailed, problems, ms: Date.now() - started };
    process.stderr.write(`gen-tables: ${pkg.id}: ${files.length} headers, ${definitions.length} definitions, ${candidatesFailed} candidate definitions did not evaluate (${Date.now() - started} ms)\n`);
  }

  // Rows: one per (kind, name, value), listing every source that defines it so.
  const rows = new Map<TableKind, Map<string, { value: number; name: string; sources: Set<number> }>>();
  for (const item of collected) {
    let kindRows = rows.get(item.kind);
    if (!kindRows) rows.set(item.kind, (kindRows = new Map()));
    const key = `${item.name}\u0000${item.value}`;
    const row = kindRows.get(key) ?? { value: item.value, name: item.name, sources: new Set<number>() };
    row.sources.add(item.source);
    kindRows.set(key, row);
  }

  const outDir = join(repoRoot, 'src', 'decode', 'tables');
  mkdirSync(outDir, { recursive: true });
  const header = (what: string): string =>
    `// GENERATED by scripts/gen-tables.ts from real headers (${packages.map((p) => `${p.id} ${p.version}`).join(', ')}).\n// ${what}\n// Do not edit: change the generator or its inputs and run it again (README, "Name tables").\n`;
  const hex = (n: number): string => `0x${n.toString(16).toUpperCase()}`;

  const sortedRows = (kind: TableKind): { value: number; name: string; sources: number[] }[] =>
    [...(rows.get(kind)?.values() ?? [])]
      .map((row) => ({ value: row.value, name: row.name, sources: [...row.sources].sort((a, b) => a - b) }))
      .sort((a, b) => a.value - b.value || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));

  const writeTable = (file: string, constName: string, kind: TableKind, what: string): number => {
    const list = sortedRows(kind);
    const body = list.map((row) => `  [${hex(row.value)}, ${JSON.stringify(row.name)}, [${row.sources.join(',')}]],`).join('\n');
    writeFileSync(join(outDir, file), `${header(what)}import type { NameRow } from './types.js';\n\nexport const ${constName}: readonly NameRow[] = [\n${body}\n];\n`);
    return list.length;
  };

  writeFileSync(
    join(outDir, 'sources.ts'),
    `${header('Header packages and files that the tables cite by index.')}import type { HeaderPackage, HeaderSource } from './types.js';\n\n` +
      `export const PACKAGES: readonly HeaderPackage[] = ${JSON.stringify(packages.map(({ id, title, version }) => ({ id, title, version })), null, 2)};\n\n` +
      `export const SOURCES: readonly HeaderSource[] = [\n${sources.map((s) => `  ${JSON.stringify(s)},`).join('\n')}\n];\n`,
  );
  const counts: Record<string, number> = {
    ioctl: writeTable('ioctl-names.ts', 'IOCTL_NAMES', 'ioctl', 'IOCTL and FSCTL names: every object-like definition that evaluates through CTL_CODE (or a wrapper of it), or an IOCTL_/FSCTL_ literal above 0xFFFF.'),
    deviceType: writeTable('device-types.ts', 'DEVICE_TYPE_NAMES', 'deviceType', 'FILE_DEVICE_* device types (the characteristics flags that share the prefix are left out).'),
    method: writeTable('methods.ts', 'METHOD_NAMES', 'method', 'Transfer methods (METHOD_*).'),
    access: writeTable('access.ts', 'ACCESS_NAMES', 'access', 'Required access (FILE_*_ACCESS).'),
    irpMajor: writeTable('irp-majors.ts', 'IRP_MAJOR_NAMES', 'irpMajor', 'IRP_MJ_* major function codes, including the file-system filter pseudo majors.'),
    ntstatus: writeTable('ntstatus-names.ts', 'NTSTATUS_NAMES', 'ntstatus', 'NTSTATUS names (definitions cast to NTSTATUS).'),
    facility: writeTable('facilities.ts', 'FACILITY_NAMES', 'facility', 'NTSTATUS facility names (FACILITY_* of ntstatus.h).'),
    bugcheck: writeTable('bugcheck-names.ts', 'BUGCHECK_NAMES', 'bugcheck', 'Bugcheck codes (bugcodes.h).'),
  };

  // Minor codes only mean something under their major: each IRP_MN_ name is filed under the majors it belongs to.
  const minorRows = sortedRows('irpMinor');
  const unassignedMinors: string[] = [];
  const minorLines: string[] = [];
  let minorCount = 0;
  for (const row of minorRows) {
    const majors = MINOR_FUNCTION_MAJORS[row.name];
    if (!majors) {
      unassignedMinors.push(row.name);
      continue;
    }
    for (const major of majors) {
      minorLines.push(`  [${hex(major * 256 + row.value)}, ${JSON.stringify(row.name)}, [${row.sources.join(',')}]],`);
      minorCount++;
    }
  }
  minorLines.sort((a, b) => Number(a.slice(3, a.indexOf(','))) - Number(b.slice(3, b.indexOf(','))));
  writeFileSync(
    join(outDir, 'irp-minors.ts'),
    `${header('IRP_MN_* minor function codes, keyed major * 256 + minor (scripts/minor-function-majors.ts says which major each belongs to).')}import type { NameRow } from './types.js';\n\nexport const IRP_MINOR_NAMES: readonly NameRow[] = [\n${minorLines.join('\n')}\n];\n`,
  );
  counts.irpMinor = minorCount;

  // Conflicts: a name given two values by the sources.
  const conflicts: string[] = [];
  for (const [kind, kindRows] of rows) {
    const byName = new Map<string, { value: number; sources: number[] }[]>();
    for (const row of kindRows.values()) byName.set(row.name, [...(byName.get(row.name) ?? []), { value: row.value, sources: [...row.sources] }]);
    for (const [name, values] of byName) {
      if (values.length < 2) continue;
      conflicts.push(`| ${kind} | \`${name}\` | ${values.map((v) => `${hex(v.value)} (${v.sources.map((s) => `${sources[s]!.package}:${sources[s]!.file}`).join(', ')})`).join(' vs ')} |`);
    }
  }
  conflicts.sort();
  const multiNamed: Record<string, number> = {};
  for (const [kind, kindRows] of rows) {
    const names = new Map<number, Set<string>>();
    for (const row of kindRows.values()) names.set(row.value, (names.get(row.value) ?? new Set()).add(row.name));
    multiNamed[kind] = [...names.values()].filter((set) => set.size > 1).length;
  }

  const docLines = [
    '# Name tables: what the generator read and what it could not evaluate',
    '',
    'Written by `scripts/gen-tables.ts` (see README, "Name tables"). Do not edit by hand.',
    '',
    '## Sources',
    '',
    '| package | version | headers | #defines | candidate definitions that did not evaluate |',
    '|---|---|---|---|---|',
    ...packages.map((p) => `| ${p.title} | ${p.version} | ${stats[p.id]!.files} | ${stats[p.id]!.definitions} | ${stats[p.id]!.candidatesFailed} |`),
    '',
    '## Rows per table',
    '',
    '| table | rows (name, value) | values with several names |',
    '|---|---|---|',
    ...Object.entries(counts).map(([kind, n]) => `| ${kind} | ${n} | ${multiNamed[kind] ?? 0} |`),
    '',
    `## Names that the sources give different values (${conflicts.length})`,
    '',
    'Both values are kept; the decoder shows both and marks the conflict.',
    '',
    '| table | name | values |',
    '|---|---|---|',
    ...conflicts,
    '',
    `## IRP_MN_ names with no known major (${unassignedMinors.length})`,
    '',
    unassignedMinors.length ? unassignedMinors.map((n) => `\`${n}\``).join(', ') : 'none',
    '',
    `## Definitions that did not evaluate (${failures.length})`,
    '',
    'Candidates are definitions that look like a control code, device type, IRP code, NTSTATUS or bugcheck code.',
    '',
    '| package | file:line | name | why |',
    '|---|---|---|---|',
    ...failures.map((f) => `| ${f.package} | ${f.file}:${f.line} | \`${f.name}\` | ${f.reason.replace(/\|/g, '\\|')} |`),
    '',
  ];
  mkdirSync(join(repoRoot, 'docs'), { recursive: true });
  writeFileSync(join(repoRoot, 'docs', 'name-tables.md'), docLines.join('\n'));
  process.stderr.write(`gen-tables: rows ${JSON.stringify(counts)}; several names ${JSON.stringify(multiNamed)}; conflicts ${conflicts.length}; not evaluated ${failures.length}; unassigned minors ${unassignedMinors.length}\n`);
}

main();
