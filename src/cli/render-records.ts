/** Human rendering of parsed records: one block per incident, the decoded words first and the raw values beside. */
import type { ParsedRecord, Skipped } from '../records/index.js';
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

/**
 * One file's records as text, written as they arrive: a block per incident, in input order. A record that names
 * an incident opens that incident's block; one that names none (an IRP, an IOCTL, an ETW event) stays in the block
 * open above it, the crash printed before it, as the store links it; what comes before the first crash is
 * context. Only a bounded amount is kept: the current block's frame count and the first skipped lines.
 */
export class ParsedFileRenderer {
  private block: number | null = null;
  private frames = 0;
  private readonly skippedShown: Skipped[] = [];
  private skippedCount = 0;

  constructor(private readonly style: Styler, private readonly path: string) {}

  /** The header, once the format is known. */
  start(format: string, encoding: string): string {
    return `${this.style.bold(`== ${visible(this.path)}`)}${this.style.dim(`  ${format}, ${encoding}`)}\n`;
  }

  record(record: ParsedRecord): string {
    const incident = 'incident' in record && typeof record.incident === 'number' ? record.incident : null;
    let out = '';
    if (this.block === null || (incident !== null && incident !== this.block)) {
      out += this.closeBlock();
      this.block = incident ?? 0;
      out += `\n${this.style.bold(this.block === 0 ? '-- context' : `-- incident ${this.block}`)}\n`;
    }
    if (record.type === 'frame') {
      this.frames++;
      if (this.frames > MAX_FRAMES) return out;
      return `${out}  ${this.style.dim(record.index === null ? '  ' : String(record.index).padStart(2, '0'))} ${visible(record.symbol)}${record.verifier ? this.style.yellow(' (verifier)') : ''}\n`;
    }
    return `${out}${renderRecord(this.style, record).join('\n')}\n`;
  }

  skipped(skipped: Skipped): void {
    this.skippedCount++;
    if (this.skippedShown.length < MAX_SKIPPED) this.skippedShown.push(skipped);
  }

  private closeBlock(): string {
    const more = this.frames > MAX_FRAMES ? `${this.style.dim(`  ... ${this.frames - MAX_FRAMES} more frames (--json for all)`)}\n` : '';
    this.frames = 0;
    return more;
  }

  /** The end of the file: the last block's note, the skipped lines (the first MAX_SKIPPED, and how many more). */
  end(): string {
    const out = [this.closeBlock()];
    if (this.skippedCount > 0) {
      out.push(`\n${this.style.yellow(`skipped lines (${this.skippedCount}):`)}\n`);
      for (const s of this.skippedShown) out.push(`  ${visible(this.path)}:${s.line}: ${visible(s.reason)}: ${visible(s.text.slice(0, 100))}\n`);
      if (this.skippedCount > MAX_SKIPPED) out.push(`${this.style.dim(`  ... ${this.skippedCount - MAX_SKIPPED} more (--json lists them all)`)}\n`);
    }
    out.push('\n');
    return out.join('');
  }
}
