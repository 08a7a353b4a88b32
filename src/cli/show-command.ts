/** `irpscope show <incident>`: one incident with everything linked to it, decoded. */
import type { Command } from 'commander';
import { selectIncident, type IncidentDetail } from '../../db/queries/show.js';
import { colorWanted, styler, visible, type Styler } from './terminal.js';
import { addDatabaseOption, addOutputOptions, outputMode, withStore } from './store-options.js';
import { renderCsv, type Column } from './render-table.js';
import { FailureError, UsageError } from './errors.js';

const MAX_FRAMES = 30;

/** One row per linked item, for --csv: the incident, its IOCTLs, IRPs, frames, events and correlated timings. */
interface LinkedRow {
  readonly part: string;
  readonly time: string | null;
  readonly what: string;
  readonly code: string | null;
  readonly status: string | null;
  readonly irp: string | null;
  readonly source: string;
  readonly line: number;
}

const LINKED_COLUMNS: Column<LinkedRow>[] = [
  { key: 'part', title: 'part', value: (r) => r.part },
  { key: 'time', title: 'time', value: (r) => r.time },
  { key: 'what', title: 'what', value: (r) => r.what },
  { key: 'code', title: 'code', value: (r) => r.code },
  { key: 'status', title: 'status', value: (r) => r.status },
  { key: 'irp', title: 'irp', value: (r) => r.irp },
  { key: 'source', title: 'source', value: (r) => r.source, keepEnd: true },
  { key: 'line', title: 'line', value: (r) => r.line },
];

export function linkedRows(d: IncidentDetail): LinkedRow[] {
  const i = d.incident;
  const rows: LinkedRow[] = [{ part: 'incident', time: i.time, what: i.name ?? 'bugcheck', code: i.code, status: null, irp: i.irp, source: i.source, line: i.line }];
  for (const o of d.ioctls) rows.push({ part: 'ioctl', time: o.time, what: o.name ?? 'IOCTL', code: o.code, status: o.status, irp: o.irp, source: o.source, line: o.line });
  for (const r of d.irps) rows.push({ part: 'irp', time: null, what: r.majorFunction ?? 'IRP', code: r.ioctl, status: r.status, irp: r.address, source: r.source, line: r.line });
  for (const f of d.frames) rows.push({ part: 'frame', time: null, what: f.symbol, code: null, status: null, irp: null, source: i.source, line: f.line });
  for (const e of d.events) rows.push({ part: e.type, time: e.time, what: e.name ?? e.type, code: null, status: e.status, irp: e.irp, source: e.source, line: e.line });
  for (const l of d.lifetimes) {
    for (const e of l.events) rows.push({ part: `linked ${e.type}`, time: e.time, what: e.name ?? e.type, code: null, status: e.status, irp: e.irp, source: e.source, line: e.line });
    for (const o of l.ioctls) rows.push({ part: 'linked ioctl', time: o.time, what: o.name ?? 'IOCTL', code: o.code, status: o.status, irp: o.irp, source: o.source, line: o.line });
  }
  return rows;
}

export function renderIncident(style: Styler, d: IncidentDetail): string {
  const i = d.incident;
  const v = (text: string | null): string => (text === null ? '-' : visible(text));
  const out: string[] = [];
  out.push(`${style.bold(`incident ${i.id}`)}  ${style.bold(v(i.name ?? 'unknown bugcheck'))} ${style.dim(`(${i.code ?? 'code not printed'})`)}`);
  out.push(`  ${style.dim('time'.padEnd(16))} ${v(i.time)}`);
  out.push(`  ${style.dim('source'.padEnd(16))} ${visible(i.source)}:${i.line}`);
  const params = (i.parameters as ({ kind: string; meaning: string; decoded: string | null } | null)[]) ?? [];
  i.args.forEach((arg, n) => {
    if (arg === null) return;
    const p = params[n];
    out.push(`  Arg${n + 1} ${arg}  ${p ? visible(p.meaning) : ''}${p?.decoded ? style.cyan(` -> ${visible(p.decoded)}`) : ''}`);
  });
  for (const c of i.cases as { argument: number; value: string; title: string }[]) out.push(`  case Arg${c.argument} ${c.value}: ${visible(c.title)}`);
  const facts: [string, string | null][] = [['module', i.module], ['image', i.image], ['symbol', i.symbol], ['failure bucket', i.failureBucket], ['process', i.process],
    ['probably caused by', i.probablyCausedBy], ['OS build', i.build], ['driver version', i.driverVersion], ['crash IRP', i.irp]];
  for (const [label, value] of facts) if (value) out.push(`  ${style.dim(label.padEnd(16))} ${visible(value)}`);
  if (d.ioctls.length > 0) {
    out.push('', style.bold('IOCTLs'));
    for (const o of d.ioctls) {
      out.push(`  ${style.cyan(o.code)} ${v(o.name ?? 'no known name')} ${style.dim(`(${o.deviceType ?? '?'}, function 0x${(o.function ?? 0).toString(16).toUpperCase()}, ${o.method ?? '?'}, ${o.access ?? '?'}; via ${o.via})`)}`
        + `${o.status ? ` status ${o.status}${o.statusText ? ` ${visible(o.statusText)}` : ''}` : ''}${o.irp ? style.dim(` IRP ${o.irp}`) : ''}  ${style.dim(`${visible(o.source)}:${o.line}`)}`);
    }
  }
  if (d.irps.length > 0) {
    out.push('', style.bold('IRPs'));
    for (const r of d.irps) {
      out.push(`  ${style.bold(v(r.majorFunction ?? 'IRP'))} ${style.dim(`IRP ${r.address ?? '?'}`)} ${v(r.driver)}${r.ioctl ? style.cyan(` IOCTL ${r.ioctl}`) : ''}${r.status ? ` status ${r.status}${r.statusName ? ` ${visible(r.statusName)}` : ''}` : ''}  ${style.dim(`${visible(r.source)}:${r.line}`)}`);
      for (const l of r.locations) {
        out.push(`    ${l.current ? '>' : ' '}[${l.location}] ${v(l.majorFunction ?? 'N/A')}${l.minorFunction ? ` / ${visible(l.minorFunction)}` : ''} ${v(l.driver)}${l.fileObject ? style.dim(` file ${l.fileObject}`) : ''}${l.ioctl ? style.cyan(` IOCTL ${l.ioctl}`) : ''}`);
      }
    }
  }
  if (d.lifetimes.length > 0) {
    out.push('', style.bold('The same IRPs in other sources'));
    for (const l of d.lifetimes) {
      out.push(`  IRP ${l.irp} ${l.first} .. ${l.last}${l.completed ? '' : style.yellow(' (not completed in the trace)')}  ${style.dim(visible(l.source))}`);
      for (const e of l.events) out.push(`    ${v(e.time)}  ${v(e.name ?? e.type)}${e.fileObject ? style.dim(` file ${e.fileObject}`) : ''}${e.status ? ` status ${e.status}` : ''}  ${style.dim(`line ${e.line}`)}`);
      for (const o of l.ioctls) out.push(`    ${v(o.time)}  IOCTL ${o.code}${o.status ? ` status ${o.status}${o.statusText ? ` ${visible(o.statusText)}` : ''}` : ''}  ${style.dim(`${visible(o.source)}:${o.line}`)}`);
    }
  }
  for (const note of d.correlationNotes) out.push(style.yellow(`  ${visible(note)}`));
  if (d.frames.length > 0) {
    out.push('', style.bold('stack'));
    for (const f of d.frames.slice(0, MAX_FRAMES)) out.push(`  ${style.dim(f.frame === null ? '  ' : String(f.frame).padStart(2, '0'))} ${visible(f.symbol)}${f.verifier ? style.yellow(' (verifier)') : ''}`);
    if (d.frames.length > MAX_FRAMES) out.push(style.dim(`  ... ${d.frames.length - MAX_FRAMES} more frames (--json for all)`));
  }
  const enabled = d.verifierFlags.filter((f) => f.enabled);
  if (enabled.length > 0) out.push('', style.bold('verifier flags'), ...enabled.map((f) => `  [X] ${visible(f.name)}${f.bit ? style.dim(` ${f.bit}`) : ''}`));
  const context = d.events.filter((e) => e.type === 'session');
  if (context.length > 0) {
    out.push('', style.bold('session'));
    for (const e of context) {
      const record = e.record as { key?: string; value?: string };
      out.push(`  ${style.dim(visible(record.key ?? '').padEnd(16))} ${visible(record.value ?? '')}`);
    }
  }
  return `${out.join('\n')}\n`;
}

export function registerShow(program: Command): void {
  addOutputOptions(addDatabaseOption(program
    .command('show')
    .summary('one incident with everything linked to it, decoded')
    .description(`One incident with everything linked to it: the bugcheck and what each argument means, the IOCTLs and
IRPs (with their stack locations), the stack, verifier flags, session context, and what other sources (an ETW
trace) say about the same IRPs: their timing and status, or why they could not be linked.`)
    .argument('<incident>', 'the incident id (from irpscope incidents)')))
    .addHelpText('after', `
Examples:
  irpscope show 12
  irpscope show 12 --json | jq .lifetimes`)
    .action(async (id: string, options: { db?: string; json?: boolean; csv?: boolean }) => {
      const mode = outputMode(options);
      if (!/^\d+$/.test(id)) throw new UsageError(`expected an incident id (a whole number from irpscope incidents), got ${JSON.stringify(id)}`);
      await withStore(options.db, { mustExist: true }, (store) => {
        const detail = selectIncident(store.db, Number(id));
        if (!detail) throw new FailureError(`no incident ${id} in ${store.path} (irpscope incidents lists them)`);
        if (mode === 'json') process.stdout.write(`${JSON.stringify(detail, null, 2)}\n`);
        else if (mode === 'csv') process.stdout.write(renderCsv(linkedRows(detail), LINKED_COLUMNS));
        else process.stdout.write(renderIncident(styler(colorWanted(process.stdout)), detail));
      });
    });
}
