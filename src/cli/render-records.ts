/** Human rendering of parsed records: one block per incident, the decoded words first and the raw values beside. */
import type { ParsedRecord, Skipped } from '../records/index.js';
import type { ParseSummary } from '../../parsers/pipeline.js';
import { visible, type Styler } from './terminal.js';

const MAX_FRAMES = 12;
const MAX_SKIPPED = 20;

function renderRecord(style: Styler, record: ParsedRecord): string[] {
  const at = style.dim(`line ${record.line}`);
  switch (record.type) {
    case 'bugcheck': {
      const lines = [`${style.bold(record.name ?? 'unknown bugcheck')} ${style.dim(`(${record.code ?? 'code not printed'})`)}  ${at}`];
      record.args.forEach((arg, i) => {
        if (arg === null) return;
        const p = record.parameters[i];
        lines.push(`  Arg${i + 1} ${arg}  ${p ? visible(p.meaning) : ''}${p?.decoded ? style.cyan(` -> ${visible(p.decoded)}`) : ''}`);
      });
      for (const c of record.cases) lines.push(`  case Arg${c.argument} ${c.value}: ${visible(c.title)}`);
      const facts: [string, string | null][] = [
        ['image', record.image], ['module', record.module], ['symbol', record.symbol], ['bucket', record.failureBucket],
        ['process', record.process], ['probably caused by', record.probablyCausedBy], ['OS build', record.osBuild],
      ];
      for (const [label, value] of facts) if (value) lines.push(`  ${style.dim(label.padEnd(18))} ${visible(value)}`);
      return lines;
    }
    case 'irp': {
      const what = [record.majorFunction, record.minorFunction].filter(Boolean).join(' / ') || 'IRP';
      const lines = [`${style.bold(what)} ${style.dim(`IRP ${record.address ?? '?'}`)}${record.driver ? ` ${visible(record.driver)}` : ''}${record.ioctl ? style.cyan(` IOCTL ${record.ioctl}`) : ''}${record.status ? ` status ${record.status}${record.statusName ? ` ${record.statusName}` : ''}` : ''}  ${at}`];
      for (const location of record.locations) {
        lines.push(`  ${location.current ? '>' : ' '}[${location.index}] ${location.majorFunction ?? (location.major === null ? 'N/A' : `0x${location.major.toString(16)}`)}${location.minorFunction ? ` / ${location.minorFunction}` : ''} ${visible(location.driver ?? '')}${location.ioctl ? style.cyan(` IOCTL ${location.ioctl}`) : ''}`);
      }
      return lines;
    }
    case 'ioctl':
      return [`${style.cyan('IOCTL')} ${record.code} ${record.names.map((n) => n.name).join(' or ') || style.yellow('no known name')} ${style.dim(`(${record.deviceType.names[0] ?? `device 0x${record.deviceType.value.toString(16)}`}, function 0x${record.function.toString(16)}, ${record.method}, ${record.access}; via ${record.via})`)}  ${at}`];
    case 'verifierFlag':
      return [`${record.enabled ? '[X]' : '[ ]'} ${visible(record.name)}${record.bit ? style.dim(` ${record.bit}`) : ''}  ${at}`];
    case 'session':
      return [`${style.dim(record.key.padEnd(18))} ${visible(record.value)}`];
    case 'irqlTransition':
      return [`IRQL ${record.oldIrql ?? '?'} -> ${record.newIrql ?? '?'} on CPU ${record.processor ?? '?'} ${style.dim(record.timeStamp ?? '')}  ${at}`];
    case 'wdfLog':
      return [`${style.dim('WDF')} ${visible(record.function ?? '')} ${visible(record.text)}  ${at}`];
    case 'moduleVersion': {
      const image = record.imageName ?? record.module ?? '?';
      const version = record.fileVersion ?? (record.unloaded ? 'unloaded' : 'no file version');
      return [`${style.cyan('module')} ${visible(image)} ${visible(version)} ${style.dim(`(${[record.module, record.symbols, record.timestampValue && `timestamp ${record.timestampValue}`].filter(Boolean).map((p) => visible(p!)).join(', ')})`)}  ${at}`];
    }
    default:
      return [`${record.type}  ${at}`];
  }
}

export function renderParsedFile(style: Styler, summary: ParseSummary, records: readonly ParsedRecord[], skipped: readonly Skipped[]): string {
  const out: string[] = [style.bold(`== ${visible(summary.path)}`) + style.dim(`  ${summary.format}, ${summary.encoding}, ${summary.lines} lines`)];
  const incidents = new Map<number, ParsedRecord[]>();
  for (const record of records) {
    const incident = 'incident' in record && typeof record.incident === 'number' ? record.incident : 0;
    incidents.set(incident, [...(incidents.get(incident) ?? []), record]);
  }
  for (const [incident, group] of [...incidents].sort((a, b) => a[0] - b[0])) {
    out.push('', style.bold(incident === 0 ? '-- context' : `-- incident ${incident}`));
    let frames = 0;
    for (const record of group) {
      if (record.type === 'frame') {
        frames++;
        if (frames <= MAX_FRAMES) out.push(`  ${style.dim(record.index === null ? '  ' : String(record.index).padStart(2, '0'))} ${visible(record.symbol)}${record.verifier ? style.yellow(' (verifier)') : ''}`);
        continue;
      }
      out.push(...renderRecord(style, record));
    }
    if (frames > MAX_FRAMES) out.push(style.dim(`  ... ${frames - MAX_FRAMES} more frames (--json for all)`));
  }
  if (skipped.length > 0) {
    out.push('', style.yellow(`skipped lines (${skipped.length}):`));
    for (const s of skipped.slice(0, MAX_SKIPPED)) out.push(`  ${visible(summary.path)}:${s.line}: ${s.reason}: ${visible(s.text.slice(0, 100))}`);
    if (skipped.length > MAX_SKIPPED) out.push(style.dim(`  ... ${skipped.length - MAX_SKIPPED} more (--json lists them all)`));
  }
  return `${out.join('\n')}\n\n`;
}
