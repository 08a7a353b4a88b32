/** ETW exports: tracerpt CSV (and its spreadsheet re-save), WPA exporter CSV, `xperf -a dumper` text. */
import type { ParserModule, SniffResult } from '../types.js';
import { TracerptParser, tracerptHeader } from './tracerpt.js';
import { WpaParser, wpaHeader } from './wpa.js';
import { XperfParser, xperfHeaderLine, xperfEventLine } from './xperf.js';

/** Header cells of a prefix line read the cheap way: quotes dropped, split on commas, trimmed. */
function roughCells(line: string): string[] {
  return line.replace(/^\uFEFF/, '').replaceAll('"', '').split(',').map((cell) => cell.trim());
}

function firstNonBlank(prefix: readonly string[]): string | undefined {
  return prefix.find((line) => line.trim() !== '');
}

export const tracerptParser: ParserModule = {
  id: 'etw-tracerpt',
  title: 'ETW: tracerpt -of CSV (also re-saved by a spreadsheet)',
  undamage: false,
  loneCR: 'keep',
  sniff: (prefix): SniffResult => {
    const index = prefix.findIndex((line) => tracerptHeader(roughCells(line)) !== null);
    if (index < 0) return { score: 0, reason: 'no tracerpt header row' };
    return { score: 95, reason: `a tracerpt header row ("Event Name, Type, ... User Data") on line ${index + 1}` };
  },
  create: () => new TracerptParser(),
};

export const wpaParser: ParserModule = {
  id: 'etw-wpa',
  title: 'ETW: WPA exporter CSV (one table per file, columns by name)',
  undamage: false,
  loneCR: 'keep',
  sniff: (prefix): SniffResult => {
    const first = firstNonBlank(prefix);
    if (first === undefined) return { score: 0, reason: 'no header row' };
    const cells = roughCells(first);
    if (tracerptHeader(cells)) return { score: 0, reason: 'a tracerpt header' };
    const known = wpaHeader(cells).known;
    if (known.length < 2) return { score: 0, reason: 'no WPA column names in the first row' };
    return { score: Math.min(85, 40 + known.length * 10), reason: `WPA table columns in the first row (${known.join(', ')})` };
  },
  create: () => new WpaParser(),
};

export const xperfParser: ParserModule = {
  id: 'etw-xperf',
  title: 'ETW: xperf -a dumper text',
  undamage: true,
  loneCR: 'break',
  sniff: (prefix): SniffResult => {
    const headers = prefix.filter((line) => /^\s*(BeginHeader|EndHeader)\s*$/.test(line) || xperfHeaderLine(line)).length;
    const events = prefix.filter((line) => xperfEventLine(line)).length;
    if (headers === 0 && events < 3) return { score: 0, reason: 'no xperf event header or event rows' };
    const score = Math.min(90, (headers > 0 ? 60 : 20) + Math.min(events, 30));
    return { score, reason: `${headers} xperf header line${headers === 1 ? '' : 's'} (", TimeStamp, ...") and ${events} event rows` };
  },
  create: () => new XperfParser(),
};

export const ETW_PARSERS: readonly ParserModule[] = [tracerptParser, wpaParser, xperfParser];
