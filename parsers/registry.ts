/**
 * Every input format irpscope reads. Adding a format is one parser module, its samples under samples/<id>/, and
 * one entry here: --format, --help and the golden tests read this list.
 */
import type { ParserModule } from './types.js';
import { windbgParser } from './windbg/index.js';
import { verifierParser } from './verifier/index.js';
import { tracerptParser, wpaParser, xperfParser } from './etw/index.js';
import { procmonParser } from './procmon/index.js';

export const PARSERS: readonly ParserModule[] = [verifierParser, windbgParser, tracerptParser, wpaParser, xperfParser, procmonParser];

export function parserById(id: string): ParserModule | undefined {
  return PARSERS.find((p) => p.id === id);
}
