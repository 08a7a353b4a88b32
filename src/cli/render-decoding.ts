/** Human rendering of decodings: aligned, the words first and the raw values beside them. */
import type { NameRef } from '../decode/names.js';
import type { Decoding } from '../decode/lookup.js';
import type { BugcheckParameter } from '../decode/bugcheck.js';
import { visible, type Styler } from './terminal.js';

const LABEL_WIDTH = 13;

function label(style: Styler, text: string): string {
  return style.dim(text.padEnd(LABEL_WIDTH));
}

function nameLine(style: Styler, ref: NameRef): string {
  const more = ref.sources.length > 1 ? ` +${ref.sources.length - 1} more` : '';
  const conflict = ref.conflict ? style.red(` conflict: the sources also give ${ref.conflict.otherValues.join(', ')}`) : '';
  return `${style.bold(ref.name)} ${style.dim(`(${ref.source}${more})`)}${conflict}`;
}

function nameList(style: Styler, refs: readonly NameRef[], indent: string, none: string): string[] {
  if (refs.length === 0) return [style.yellow(none)];
  return refs.map((ref, i) => (i === 0 ? '' : indent) + nameLine(style, ref));
}

function fieldNames(refs: readonly NameRef[]): string {
  return refs.map((ref) => ref.name).join(' = ');
}

function hexOf(value: number, width = 0): string {
  return `0x${value.toString(16).toUpperCase().padStart(width, '0')}`;
}

function renderParameter(style: Styler, parameter: BugcheckParameter | null, index: number, indent: string): string[] {
  if (!parameter) return [`${indent}${label(style, `Arg${index + 1}`)}${style.dim('not documented for this case')}`];
  const value = parameter.value ? `${parameter.value}  ` : '';
  const lines = [`${indent}${label(style, `Arg${index + 1}`)}${value}${parameter.meaning}`];
  const decoded = parameter.decoded;
  if (decoded) {
    const inner = indent + ' '.repeat(LABEL_WIDTH);
    if (decoded.kind === 'irp-major') lines.push(`${inner}${style.cyan('-> ' + (fieldNames(decoded.names) || 'unknown major'))}`);
    else lines.push(`${inner}${style.cyan('-> ' + (decoded.names.map((n) => n.name).join(' or ') || `${decoded.kind === 'ioctl' ? 'IOCTL' : 'NTSTATUS'} with no known name`))} ${style.dim(`(${decoded.code})`)}`);
  }
  return lines;
}

export function renderDecoding(style: Styler, decoding: Decoding): string {
  const lines: string[] = [];
  const kindWord = decoding.kind === 'ioctl' ? 'IOCTL' : decoding.kind === 'ntstatus' ? 'NTSTATUS' : 'bugcheck';
  const guess = decoding.guess ? style.dim(`  (taken as ${kindWord}: ${decoding.guess}; --as to choose)`) : '';
  lines.push(`${style.bold(decoding.code)}  ${style.cyan(kindWord)}  ${style.dim('input')} ${visible(decoding.input)}${guess}`);
  const pad = '  ';
  const indent = pad + ' '.repeat(LABEL_WIDTH);
  lines.push(pad + label(style, 'names') + nameList(style, decoding.names, indent, 'no known name').join('\n'));
  if (decoding.kind === 'ioctl') {
    const d = decoding;
    const letter = d.deviceType.letter ? ` '${d.deviceType.letter}'` : '';
    lines.push(`${pad}${label(style, 'device type')}${hexOf(d.deviceType.value, 4)}${letter}  ${fieldNames(d.deviceType.names) || style.yellow('no known name')}  ${style.dim(d.deviceType.range === 'vendor' ? 'vendor range (>= 0x8000)' : 'Microsoft range (< 0x8000)')}`);
    lines.push(`${pad}${label(style, 'function')}${hexOf(d.function.value, 3)}  ${style.dim(d.function.range === 'vendor' ? 'vendor range (>= 0x800)' : 'Microsoft range (< 0x800)')}`);
    lines.push(`${pad}${label(style, 'method')}${d.method.value}  ${fieldNames(d.method.names)}: ${d.method.meaning}`);
    lines.push(`${pad}${label(style, 'access')}${d.access.value}  ${fieldNames(d.access.names)}: ${d.access.meaning}`);
    if (d.major) lines.push(`${pad}${label(style, 'major')}${d.major.note}`);
  } else if (decoding.kind === 'ntstatus') {
    const d = decoding;
    lines.push(`${pad}${label(style, 'severity')}${d.severity.value}  ${d.severity.name}: ${d.severity.meaning}`);
    lines.push(`${pad}${label(style, 'customer')}${d.customer ? 'yes: vendor-defined' : 'no: Microsoft-defined'}`);
    lines.push(`${pad}${label(style, 'facility')}${hexOf(d.facility.value, 3)}  ${fieldNames(d.facility.names) || style.dim(d.customer ? 'vendor facility' : 'no facility name')}`);
    lines.push(`${pad}${label(style, 'code')}${hexOf(d.codeField, 4)}`);
  } else {
    const d = decoding;
    if (d.summary) lines.push(`${pad}${label(style, 'meaning')}${d.summary}`);
    for (const c of d.cases) lines.push(`${pad}${label(style, `case Arg${c.argument}`)}${c.value}  ${c.title}`);
    if (d.parameters.some((p) => p !== null)) d.parameters.forEach((p, i) => lines.push(...renderParameter(style, p, i, pad)));
    if (d.url) lines.push(`${pad}${label(style, 'reference')}${style.dim(d.url)}`);
  }
  if (decoding.note) lines.push(`${pad}${label(style, 'note')}${style.yellow(decoding.note)}`);
  return lines.join('\n');
}
