/**
 * The detail pane's lines for the selected row, built from the store and the decoding core: an incident (its
 * bugcheck with each argument explained, the IOCTLs with every candidate name and the header it comes from, the
 * IRPs with their stack locations, the stack, the correlated ETW/Procmon records, the source line with the raw
 * text around it), an IOCTL, a trace event, a source. Pure text with a tone per line; the view draws it.
 */
import { closeSync, existsSync, openSync, readSync } from 'node:fs';
import type { Connection } from '../../db/store.js';
import { selectIncident, type IoctlView } from '../../db/queries/show.js';
import { explainIncident, explainSignature } from '../../db/queries/buckets.js';
import { LineSplitter } from '../text/index.js';
import { decodeIoctlHere } from './decoding.js';
import { decodeNtStatus } from '../decode/ntstatus.js';
import { hex32 } from '../decode/names.js';
import { visible } from '../cli/terminal.js';
import { displayPath, duration, statusSummary, traceFields } from './columns.js';
import { isoFromTicks, ticksFromText } from '../../db/column-values.js';
import { incidentKeyset, selectPage, type ViewFilter } from '../../db/queries/pages.js';

export type Tone = 'title' | 'plain' | 'dim' | 'accent' | 'warn' | 'kept';
export interface DetailLine { readonly text: string; readonly tone: Tone }

const line = (text: string, tone: Tone = 'plain'): DetailLine => ({ text, tone });
const v = (x: unknown): string => (x === null || x === undefined ? '-' : visible(String(x)));

/** Lines around `at` (1-based) in the file, through the text stage (UTF-16 and CRLF exports read right). */
export const CONTEXT_LINES = 3;
const MAX_READ_BYTES = 64 * 1024 * 1024;

export function sourceContext(path: string, at: number, around = CONTEXT_LINES): DetailLine[] {
  const out: DetailLine[] = [line(`source ${displayPath(path)}:${at}`, 'title')];
  if (!existsSync(path)) return [...out, line('  the file is no longer at this path: the stored record is all there is', 'warn')];
  const splitter = new LineSplitter();
  const wanted: { line: number; text: string }[] = [];
  const fd = openSync(path, 'r');
  try {
    const buffer = Buffer.alloc(1 << 20);
    let read = 0;
    for (;;) {
      const n = readSync(fd, buffer, 0, buffer.length, null);
      const lines = n === 0 ? splitter.finish() : splitter.push(buffer.subarray(0, n));
      for (const l of lines) if (l.line >= at - around && l.line <= at + around) wanted.push(l);
      read += n;
      if (n === 0 || (wanted.length > 0 && wanted[wanted.length - 1]!.line >= at + around)) break;
      if (read > MAX_READ_BYTES) return [...out, line(`  line ${at} is past the first ${MAX_READ_BYTES >> 20} MiB of the file: open it in an editor`, 'warn')];
    }
  } finally {
    closeSync(fd);
  }
  if (wanted.length === 0) return [...out, line(`  the file has fewer than ${at} lines now: it changed since it was ingested`, 'warn')];
  for (const l of wanted) out.push(line(`${l.line === at ? '>' : ' '}${String(l.line).padStart(6)}  ${visible(l.text)}`, l.line === at ? 'accent' : 'dim'));
  return out;
}

/** An IOCTL code decoded: every candidate name with its header, the fields and what method and access mean. */
export function ioctlLines(code: number, indent = '  '): DetailLine[] {
  const d = decodeIoctlHere(code);
  const out = [line(`${indent}${d.code}  ${d.names[0]?.name ?? 'no known name'}`, 'accent')];
  if (d.names.length === 0 && d.note) out.push(line(`${indent}  ${d.note}`, 'dim'));
  for (const n of d.names) out.push(line(`${indent}  name ${n.name}  (${n.sources.join(', ')})${n.conflict ? `  also defined as ${n.conflict.otherValues.join(', ')}` : ''}`, 'dim'));
  out.push(line(`${indent}  device type 0x${d.deviceType.value.toString(16).toUpperCase().padStart(4, '0')} ${d.deviceType.names[0]?.name ?? ''} (${d.deviceType.range}), function 0x${d.function.value.toString(16).toUpperCase()} (${d.function.range})`));
  out.push(line(`${indent}  ${d.method.names[0]?.name ?? d.method.value}: ${d.method.meaning}`));
  out.push(line(`${indent}  ${d.access.names[0]?.name ?? d.access.value}: ${d.access.meaning}`));
  return out;
}

function statusLine(status: number | null, indent: string): DetailLine[] {
  if (status === null) return [];
  const d = decodeNtStatus(status);
  return [line(`${indent}status ${d.code} ${d.names.map((n) => n.name).join(' / ') || 'no known name'} (${d.severity.name})`)];
}

function occurrenceLine(o: IoctlView, indent: string): DetailLine {
  return line(`${indent}${o.time ?? 'no time'}  ${o.code} ${v(o.name ?? decodeIoctlHere(Number(o.code)).names[0]?.name ?? null)}${o.status ? `  status ${o.status}${o.statusText ? ` ${visible(o.statusText)}` : ''}` : ''}  via ${o.via}  ${displayPath(o.source)}:${o.line}`);
}

export function incidentLines(db: Connection, id: number): DetailLine[] {
  const d = selectIncident(db, id);
  if (!d) return [line(`incident ${id} is no longer in the store`, 'warn')];
  const i = d.incident;
  const out: DetailLine[] = [line(`incident ${i.id}  ${v(i.name ?? 'unknown bugcheck')} (${i.code ?? 'code not printed'})`, 'title')];
  out.push(line(`  time     ${v(i.time)}`), line(`  via      ${v(i.via)}`));
  const params = (i.parameters as ({ kind: string; meaning: string; decoded: string | null } | null)[]) ?? [];
  i.args.forEach((arg, n) => {
    const p = params[n];
    if (arg === null && !p) return;
    out.push(line(`  Arg${n + 1} ${arg ?? '(not printed)'}  ${p ? visible(p.meaning) : ''}${p?.decoded ? ` -> ${visible(p.decoded)}` : ''}`));
  });
  for (const c of i.cases as { argument: number; value: string; title: string }[]) out.push(line(`  case Arg${c.argument} ${c.value}: ${visible(c.title)}`, 'accent'));
  const facts: [string, string | null][] = [['module', i.module], ['image', i.image], ['symbol', i.symbol], ['bucket', i.failureBucket], ['process', i.process],
    ['caused by', i.probablyCausedBy], ['OS build', i.build], ['driver ver', i.driverVersion], ['crash IRP', i.irp]];
  for (const [label, value] of facts) if (value) out.push(line(`  ${label.padEnd(10)} ${visible(value)}`));
  // The signature (src/signature/, stored at ingest): its parts and why, and which frames its rule walk kept.
  const signed = explainIncident(db, id);
  if (signed) {
    out.push(line(''), line(`signature ${signed.signatureId}  (${signed.bucketSize} incident${signed.bucketSize === 1 ? '' : 's'} in its bucket; rules ${visible(signed.ruleVersion)})`, 'title'));
    out.push(line(`  ${visible(signed.signature)}`, 'kept'));
    for (const p of signed.explanation.parts) out.push(line(`  ${p.part}: ${visible(p.why)}`, 'dim'));
  }
  const steps = new Map((signed?.explanation.frames ?? []).filter((f) => f.line !== null).map((f) => [f.line!, f]));
  const codes = [...new Set(d.ioctls.map((o) => Number(o.code)))];
  if (codes.length > 0) {
    out.push(line(''), line('IOCTLs', 'title'));
    for (const c of codes) out.push(...ioctlLines(c));
    for (const o of d.ioctls) out.push(occurrenceLine(o, '  seen '));
  }
  if (d.irps.length > 0) {
    out.push(line(''), line('IRPs', 'title'));
    for (const r of d.irps) {
      out.push(line(`  ${v(r.majorFunction ?? 'IRP')} IRP ${r.address ?? '?'} ${v(r.driver)}${r.ioctl ? ` IOCTL ${r.ioctl}` : ''}  ${displayPath(r.source)}:${r.line}`, 'accent'));
      out.push(...statusLine(r.status === null ? null : Number(r.status), '    '));
      for (const l of r.locations) {
        out.push(line(`   ${l.current ? '>' : ' '}[${l.location}] ${v(l.majorFunction ?? 'N/A')}${l.minorFunction ? ` / ${visible(l.minorFunction)}` : ''} ${v(l.driver)}${l.fileObject ? ` file ${l.fileObject}` : ''}${l.completionRoutine ? ` completion ${visible(l.completionRoutine)}` : ''}${l.ioctl ? ` IOCTL ${l.ioctl}` : ''}`, l.current ? 'plain' : 'dim'));
      }
    }
  }
  if (d.frames.length > 0) {
    out.push(line(''), line(signed ? 'stack (* the frames the signature kept; the rule that passed over each other frame)' : 'stack', 'title'));
    for (const f of d.frames) {
      const step = steps.get(f.line);
      const kept = step !== undefined && (step.outcome === 'kept' || step.outcome === 'prefix' || step.outcome === 'collapsed');
      const why = step && !kept ? `  ${step.outcome}${step.rule ? ` by ${step.rule}` : ''}` : '';
      out.push(line(`  ${kept ? '*' : ' '}${f.frame === null ? '  ' : String(f.frame).padStart(2, '0')} ${visible(f.symbol)}${f.verifier ? ' (verifier)' : ''}${why}`, kept ? 'kept' : step ? 'dim' : 'plain'));
    }
  }
  if (d.lifetimes.length > 0 || d.correlationNotes.length > 0) {
    out.push(line(''), line('the same IRPs in ETW / Procmon records', 'title'));
    for (const l of d.lifetimes) {
      out.push(line(`  IRP ${l.irp} ${l.first} .. ${l.last}${l.completed ? '' : ' (not completed in the trace)'}  ${displayPath(l.source)}`, 'accent'));
      for (const e of l.events) out.push(line(`    ${v(e.time)}  ${v(e.name ?? e.type)}${e.fileObject ? ` file ${e.fileObject}` : ''}${e.status ? ` status ${e.status}` : ''}  line ${e.line}`));
      for (const o of l.ioctls) out.push(occurrenceLine(o, '    '));
    }
    for (const n of d.correlationNotes) out.push(line(`  ${visible(n)}`, 'warn'));
  }
  const enabled = d.verifierFlags.filter((f) => f.enabled);
  if (enabled.length > 0) out.push(line(''), line('verifier flags', 'title'), ...enabled.map((f) => line(`  [X] ${visible(f.name)}${f.bit ? ` ${f.bit}` : ''}`)));
  out.push(line(''), ...sourceContext(i.source, i.line));
  return out;
}

export function ioctlRowLines(db: Connection, values: Readonly<Record<string, unknown>>): DetailLine[] {
  const code = Number(values.code);
  const out: DetailLine[] = [line(`IOCTL ${hex32(code)} in ${v(values.driver ?? 'no driver named')}`, 'title'), ...ioctlLines(code)];
  out.push(line(''), line(`seen ${String(values.occurrences)} times, ${String(values.failed)} failed; statuses: ${statusSummary(values.statuses)}`));
  if (values.first_ticks !== null) out.push(line(`first ${isoFromTicks(BigInt(values.first_ticks as bigint))}  last ${isoFromTicks(BigInt(values.last_ticks as bigint))}`, 'dim'));
  const latest = db.prepare(`SELECT o.time_ticks, o.time_text, o.status, o.status_text, o.via, o.line, s.path, o.incident_id FROM ioctl_occurrences o JOIN sources s ON s.id = o.source_id
    WHERE o.code = ? AND coalesce(o.driver_key, '') = ? ORDER BY o.time_ticks DESC LIMIT 8`).all(code, values.driver_key ?? '') as Record<string, unknown>[];
  if (latest.length > 0) {
    out.push(line(''), line('latest occurrences', 'title'));
    for (const o of latest) {
      out.push(line(`  ${o.time_ticks !== null ? isoFromTicks(BigInt(o.time_ticks as bigint)) : v(o.time_text)}  ${o.status !== null ? `${hex32(Number(o.status))} ${v(o.status_text)}` : 'no status'}  via ${v(o.via)}${o.incident_id !== null ? `  incident ${String(o.incident_id)}` : ''}  ${displayPath(o.path)}:${String(o.line)}`));
    }
  }
  return out;
}

export function traceRowLines(db: Connection, values: Readonly<Record<string, unknown>>, sourcePath: string | null): DetailLine[] {
  const f = traceFields(values);
  const out: DetailLine[] = [line(`${v(values.name ?? values.type)}  line ${String(values.line)}`, 'title')];
  out.push(line(`  time     ${values.time_ticks !== null ? isoFromTicks(BigInt(values.time_ticks as bigint)) : v(values.time_text)}`));
  if (f.major) out.push(line(`  major    ${f.major}`));
  if (values.irp) out.push(line(`  IRP      ${v(values.irp)}${values.lifetime_id !== null ? `  request ${String(values.lifetime_id)} (f follows it)` : ''}`));
  if (values.call_ticks !== null && values.call_ticks !== undefined) {
    const call = BigInt(values.call_ticks as bigint);
    const done = BigInt(values.done_ticks as bigint);
    out.push(line(`  request  called ${isoFromTicks(call)}, ${Number(values.completed) === 1 ? `completed ${duration(done - call)} later` : `last seen ${duration(done - call)} later, not completed in the trace`}`));
  }
  if (f.process) out.push(line(`  process  ${visible(f.process)}${values.pid !== null ? ` (pid ${String(values.pid)})` : ''}`));
  if (f.driver) out.push(line(`  driver   ${visible(f.driver)}`));
  out.push(...statusLine(f.status, '  '));
  if (f.ioctl !== null) out.push(line(''), line('control code', 'title'), ...ioctlLines(f.ioctl));
  // The other side of correlation: crashes whose IRP dump or IOCTL was linked to this request.
  if (values.lifetime_id !== null && values.lifetime_id !== undefined) {
    const linked = db.prepare(`SELECT DISTINCT i.id, i.name, i.bugcheck_code, s.path, i.line FROM incidents i JOIN sources s ON s.id = i.source_id
      WHERE i.id IN (SELECT incident_id FROM irps WHERE lifetime_id = :l UNION SELECT incident_id FROM ioctl_occurrences WHERE lifetime_id = :l) ORDER BY i.id`)
      .all({ l: values.lifetime_id }) as { id: bigint; name: string | null; bugcheck_code: bigint | null; path: string; line: bigint }[];
    if (linked.length > 0) {
      out.push(line(''), line('crashes linked to this IRP request', 'title'));
      for (const i of linked) out.push(line(`  incident ${String(i.id)}  ${v(i.name)}${i.bugcheck_code !== null ? ` (${hex32(Number(i.bugcheck_code))})` : ''}  ${displayPath(i.path)}:${String(i.line)}`, 'accent'));
    }
  }
  const record = JSON.parse(String(values.record)) as Record<string, unknown>;
  out.push(line(''), line('record', 'title'));
  for (const [k, x] of Object.entries(record)) {
    if (x === null || k === 'type' || k === 'line') continue;
    if (typeof x === 'object') for (const [k2, x2] of Object.entries(x as Record<string, unknown>)) out.push(line(`  ${visible(k)}.${visible(k2)}: ${visible(String(x2))}`, 'dim'));
    else out.push(line(`  ${visible(k)}: ${visible(String(x))}`, 'dim'));
  }
  if (sourcePath) out.push(line(''), ...sourceContext(sourcePath, Number(values.line)));
  return out;
}

export function sourceRowLines(db: Connection, values: Readonly<Record<string, unknown>>): DetailLine[] {
  const out: DetailLine[] = [line(`source ${String(values.id)}  ${displayPath(values.path)}`, 'title')];
  out.push(line(`  format   ${v(values.format)} (${v(values.format_reason)})`), line(`  encoding ${v(values.encoding)}, ${String(values.size_bytes)} bytes`));
  out.push(line(`  ${String(values.line_count)} lines, ${String(values.record_count)} records, ${String(values.skipped_count)} skipped; ingested ${v(values.ingested_at)}`));
  out.push(line('  Enter or t: its trace (events in time order)', 'dim'));
  const skipped = db.prepare('SELECT line, reason, text FROM skipped_lines WHERE source_id = ? ORDER BY line LIMIT 50').all(values.id) as { line: bigint; reason: string; text: string }[];
  if (skipped.length > 0) {
    out.push(line(''), line('skipped lines', 'title'));
    for (const s of skipped) out.push(line(`  ${String(s.line).padStart(6)}  ${visible(s.reason)}`, 'warn'), line(`          ${visible(s.text)}`, 'dim'));
  }
  return out;
}

/** A bucket: its signature, what every incident of it shares and why, how they differ, and its incidents. */
export function bucketLines(db: Connection, signatureId: string): DetailLine[] {
  const b = explainSignature(db, signatureId);
  if (!b) return [line(`bucket ${signatureId} is no longer in the store (resignature may have regrouped it)`, 'warn')];
  const out: DetailLine[] = [line(`bucket ${b.signatureId}  ${b.incidents.length} incident${b.incidents.length === 1 ? '' : 's'}; rules ${b.ruleVersions.join(', ')}`, 'title'), line(`  ${visible(b.signature)}`, 'kept')];
  out.push(line(''), line('what they share', 'title'));
  for (const p of b.shared) out.push(line(`  ${p.part} ${visible(p.value ?? '-')}`, 'accent'), line(`    ${visible(p.why)}`, 'dim'));
  out.push(line(''), line('as printed', 'title'));
  for (const f of b.printedForms) out.push(line(`  ${visible(f.printed)}  (incident${f.incidents.length === 1 ? '' : 's'} ${f.incidents.join(', ')})`));
  out.push(line(''), line('incidents', 'title'));
  for (const m of b.incidents) out.push(line(`  ${String(m.incident).padStart(5)}  ${m.time ?? 'no time'}  frames from ${m.framesFrom}${m.skipped ? `, ${m.skipped} passed over` : ''}  ${displayPath(m.source)}:${m.line}`));
  return out;
}

/** A period of the timeline: the incidents (or the IOCTL's failures) it counts, newest first, 50 at most. */
export function periodLines(db: Connection, values: Readonly<Record<string, unknown>>, filter: ViewFilter): DetailLine[] {
  const since = ticksFromText(String(values.start));
  const until = ticksFromText(String(values.end));
  const out: DetailLine[] = [line(`${v(values.period)}  ${String(values.count)} ${values.counting === 'incidents' ? 'incidents' : 'IOCTL failures'}  (${v(values.start)} .. ${v(values.end)})`, 'title')];
  if (since === null || until === null) return out;
  if (values.counting === 'incidents') {
    const rows = selectPage(db, incidentKeyset({ ...filter, sinceTicks: since, untilTicks: until }), { from: 'first' }, 50).rows;
    for (const r of rows) out.push(line(`  ${String(r.values.id).padStart(5)}  ${isoFromTicks(BigInt(r.values.time_ticks as bigint))}  ${hex32(Number(r.values.bugcheck_code ?? 0))} ${v(r.values.name)}  ${v(r.values.module)}  ${displayPath(r.values.path)}:${String(r.values.line)}`));
  } else {
    const rows = db.prepare(`SELECT o.time_ticks, o.status, o.driver, s.path, o.line FROM ioctl_occurrences o JOIN sources s ON s.id = o.source_id
      WHERE o.code = :code AND o.failed = 1 AND o.time_ticks >= :since AND o.time_ticks < :until AND (:module IS NULL OR o.driver_key = :module) ORDER BY o.time_ticks DESC LIMIT 50`)
      .all({ code: filter.ioctl ?? null, since, until, module: filter.module ?? null }) as Record<string, unknown>[];
    for (const r of rows) out.push(line(`  ${isoFromTicks(BigInt(r.time_ticks as bigint))}  ${r.status === null ? 'no status' : hex32(Number(r.status))}  ${v(r.driver)}  ${displayPath(r.path)}:${String(r.line)}`));
  }
  if (Number(values.count) > 50) out.push(line(`  ... ${Number(values.count) - 50} more: f since= until= in the incidents view lists them all`, 'dim'));
  return out;
}
