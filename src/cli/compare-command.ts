/** `irpscope compare`: signatures and IOCTL failures that are new, gone, more or less frequent between two builds. */
import type { Command } from 'commander';
import { compareBuilds, driverVersionsOf, type Comparison, type IoctlFailureChange, type SideSpec, type SignatureChange } from '../../db/queries/compare.js';
import { driverKey, ticksFromText } from '../../db/column-values.js';
import { colorWanted, styler, visible, type Styler } from './terminal.js';
import { addDatabaseOption, addOutputOptions, outputMode, withStore, type OutputMode } from './store-options.js';
import { renderCsv, renderTable, type Column } from './render-table.js';
import { UsageError } from './errors.js';

const signed = (n: number): string => (n > 0 ? `+${n}` : String(n));

const SIGNATURE_COLUMNS: Column<SignatureChange>[] = [
  { key: 'change', title: 'change', value: (r) => r.change },
  { key: 'a', title: 'A', value: (r) => r.a, numeric: true },
  { key: 'b', title: 'B', value: (r) => r.b, numeric: true },
  { key: 'delta', title: 'delta', value: (r) => signed(r.delta), numeric: true },
  { key: 'signature_id', title: 'signature id', value: (r) => r.signatureId },
  { key: 'signature', title: 'signature', value: (r) => r.signature },
];

const IOCTL_COLUMNS: Column<IoctlFailureChange>[] = [
  { key: 'change', title: 'change', value: (r) => r.change },
  { key: 'a', title: 'A', value: (r) => r.a, numeric: true },
  { key: 'b', title: 'B', value: (r) => r.b, numeric: true },
  { key: 'delta', title: 'delta', value: (r) => signed(r.delta), numeric: true },
  { key: 'code', title: 'IOCTL', value: (r) => r.code },
  { key: 'name', title: 'name', value: (r) => r.name },
  { key: 'status', title: 'status', value: (r) => (r.status === null ? 'in flight at crash' : r.statusName ?? r.status) },
];

/** One CSV table for both lists: `kind` says which, the other list's columns are empty. */
type CsvRow = { kind: 'signature'; row: SignatureChange } | { kind: 'ioctl_failure'; row: IoctlFailureChange };
const CSV_COLUMNS: Column<CsvRow>[] = [
  { key: 'kind', title: 'kind', value: (r) => r.kind },
  { key: 'change', title: 'change', value: (r) => r.row.change },
  { key: 'a', title: 'A', value: (r) => r.row.a },
  { key: 'b', title: 'B', value: (r) => r.row.b },
  { key: 'delta', title: 'delta', value: (r) => r.row.delta },
  { key: 'signature_id', title: 'signature id', value: (r) => (r.kind === 'signature' ? r.row.signatureId : null) },
  { key: 'signature', title: 'signature', value: (r) => (r.kind === 'signature' ? r.row.signature : null) },
  { key: 'code', title: 'IOCTL', value: (r) => (r.kind === 'ioctl_failure' ? r.row.code : null) },
  { key: 'name', title: 'name', value: (r) => (r.kind === 'ioctl_failure' ? r.row.name : null) },
  { key: 'status', title: 'status', value: (r) => (r.kind === 'ioctl_failure' ? r.row.status : null) },
  { key: 'status_name', title: 'status name', value: (r) => (r.kind === 'ioctl_failure' ? r.row.statusName : null) },
];

/** "2024-05-01" (midnight UTC) or an ISO time. */
function parseDate(flag: string, text: string): bigint {
  const t = text.trim();
  const ticks = ticksFromText(/^\d{4}-\d{2}-\d{2}$/.test(t) ? `${t}T00:00:00Z` : t);
  if (ticks === null) throw new UsageError(`${flag}: expected a date (2019-09-15, midnight UTC) or a UTC time (2019-09-15T10:00:00Z), got ${JSON.stringify(text)}`);
  return ticks;
}

function renderHuman(c: Comparison, style: Styler): string {
  const side = (name: string, s: Comparison['a']): string =>
    `  ${name} ${visible(s.label)}: ${s.incidents} incident${s.incidents === 1 ? '' : 's'} (${s.unsignedIncidents} without a signature), ${s.ioctlFailures} IOCTL failure${s.ioctlFailures === 1 ? '' : 's'}, from ${s.sources} source${s.sources === 1 ? '' : 's'}`;
  const what = c.mode === 'build' ? `builds of ${visible(c.driver ?? '')}` : c.driver ? `${visible(c.driver)}, by time` : 'everything, by time';
  const out = [style.bold(`compare ${what}`), side('A', c.a), side('B', c.b)];
  if (c.unplacedIncidents > 0 || c.unplacedIoctlFailures > 0) {
    out.push(c.mode === 'build'
      ? `  not placed: ${c.unplacedIncidents} incident(s) in this driver whose text printed no version of it`
      : `  not placed: ${c.unplacedIncidents} incident(s) and ${c.unplacedIoctlFailures} IOCTL failure(s) without a time`);
  }
  out.push('', style.bold('Signatures'));
  out.push(c.signatures.length === 0 ? style.dim('  no signed incidents on either side') : renderTable(style, c.signatures, SIGNATURE_COLUMNS).trimEnd());
  out.push('', style.bold('IOCTL failures'));
  out.push(c.ioctlFailures.length === 0 ? style.dim('  no IOCTL failures on either side') : renderTable(style, c.ioctlFailures, IOCTL_COLUMNS).trimEnd());
  return `${out.join('\n')}\n`;
}

function render(mode: OutputMode, c: Comparison, style: Styler): string {
  if (mode === 'json') return `${JSON.stringify(c, null, 2)}\n`;
  if (mode === 'csv') {
    const rows: CsvRow[] = [...c.signatures.map((row) => ({ kind: 'signature' as const, row })), ...c.ioctlFailures.map((row) => ({ kind: 'ioctl_failure' as const, row }))];
    return renderCsv(rows, CSV_COLUMNS);
  }
  return renderHuman(c, style);
}

export const COMPARE_RULE = `Which build an incident belongs to, for --driver D:
  1. its own IMAGE_VERSION, when its IMAGE_NAME (else MODULE_NAME) is D;
  2. otherwise the versions of D its ticket printed (lmvm / lm vm "File version",
     a Process Monitor Version column), each tied to the crash printed before it
     (else to the first crash of the ticket).
An IOCTL failure follows its incident; one without an incident follows the
versions its source printed. A request seen at several stack locations counts once.
With --before/--after, side A is what happened before --before and side B what
happened at or after --after (incidents by debug session time, IOCTL failures by
their own time or their crash's).`;

export function registerCompare(program: Command): void {
  addOutputOptions(addDatabaseOption(program
    .command('compare')
    .summary('signatures and IOCTL failures new, gone, more or less frequent between two driver builds (or dates)')
    .description('Which crash signatures and which IOCTL failures (code + status) are new, gone, more or less frequent between two builds of a driver, or before and after a date, with the counts on each side.')
    .option('--driver <driver>', 'the driver (mydrv, mydrv.sys); required with --build')
    .option('--build <version>', 'a version of the driver as the text printed it; give exactly two (A, then B)', (v: string, all: string[] = []) => [...all, v])
    .option('--before <date>', 'side A: incidents and failures before this date (2019-09-15 or a UTC time)')
    .option('--after <date>', 'side B: incidents and failures at or after this date')))
    .addHelpText('after', `
${COMPARE_RULE}

Examples:
  irpscope compare --driver winfsp-x64.sys --build 1.4.19049.0 --build 1.5.19251.0
  irpscope compare --driver mydrv.sys --before 2024-03-01 --after 2024-03-01 --json

Exit codes: 0 ok; 1 the store cannot be read; 2 bad usage, or a --build the store has never seen
for that driver (the message lists the versions it has).`)
    .action(async (options: { driver?: string; build?: string[]; before?: string; after?: string; db?: string; json?: boolean; csv?: boolean }) => {
      const mode = outputMode(options);
      const key = options.driver === undefined ? null : driverKey(options.driver);
      if (options.driver !== undefined && key === null) throw new UsageError('--driver: expected a driver name such as mydrv.sys');
      const builds = options.build ?? [];
      const byDate = options.before !== undefined || options.after !== undefined;
      if (builds.length > 0 && byDate) throw new UsageError('--build and --before/--after exclude each other: compare two builds, or two periods');
      let a: SideSpec;
      let b: SideSpec;
      if (byDate) {
        if (options.before === undefined || options.after === undefined) throw new UsageError('give both --before DATE (side A) and --after DATE (side B)');
        a = { beforeTicks: parseDate('--before', options.before), label: `before ${options.before.trim()}` };
        b = { fromTicks: parseDate('--after', options.after), label: `after ${options.after.trim()}` };
      } else {
        if (builds.length !== 2) throw new UsageError(`give exactly two --build versions (A and B), got ${builds.length}; or --before DATE --after DATE`);
        if (key === null) throw new UsageError('--build needs --driver: a version is a version of one driver');
        if (builds[0]!.trim() === builds[1]!.trim()) throw new UsageError(`--build ${builds[0]} given twice: compare two different builds`);
        a = { build: builds[0]!.trim() };
        b = { build: builds[1]!.trim() };
      }
      await withStore(options.db, { mustExist: true }, (store) => {
        if ('build' in a && 'build' in b) {
          const known = driverVersionsOf(store.db, key!);
          for (const build of [a.build, b.build]) {
            if (known.some((v) => v.version === build)) continue;
            const list = known.length === 0 ? `no version of ${key} is stored at all (versions come from IMAGE_VERSION, lmvm and Procmon's Version column)`
              : `versions stored for ${key}: ${known.map((v) => `${v.version} (${v.via.join(', ')}; ${v.sources} source${v.sources === 1 ? '' : 's'})`).join(', ')}`;
            throw new UsageError(`--build ${visible(build)}: no text in the store printed this version of ${key}; ${visible(list)}`);
          }
        }
        const comparison = compareBuilds(store.db, { driverKey: key, a, b });
        process.stdout.write(render(mode, comparison, styler(colorWanted(process.stdout))));
      });
    });
}
