/** Process Monitor CSV exports (File > Save > CSV), with any columns, and their spreadsheet re-saves. */
import type { ParserModule, SniffResult } from '../types.js';
import { ProcmonParser, procmonHeader } from './parser.js';

export const procmonParser: ParserModule = {
  id: 'procmon',
  title: 'Process Monitor CSV (any columns; also re-saved by a spreadsheet)',
  undamage: false,
  // Quoted fields carry bare CRs (environment blocks, registry data): only CRLF and LF end a line.
  loneCR: 'keep',
  sniff: (prefix): SniffResult => {
    // The header is the first row; a few blank lines before it are tolerated.
    const index = prefix.findIndex((line) => line.trim() !== '');
    if (index < 0 || index > 5) return { score: 0, reason: 'no Process Monitor header row' };
    const cells = prefix[index]!.replace(/^\uFEFF/, '').replaceAll('"', '').split(',');
    if (!procmonHeader(cells)) return { score: 0, reason: 'the first row is not a Process Monitor header' };
    return { score: 95, reason: `a Process Monitor header row (${cells.length} columns, "Operation" among them) on line ${index + 1}` };
  },
  create: () => new ProcmonParser(),
};
