/**
 * What every parser is: lines in, records out, and an account of every line. A parser knows nothing of the store
 * or the terminal.
 */
import type { SourceLine } from '../src/text/index.js';
import type { ParsedRecord, Skipped } from '../src/records/index.js';

/** What a parser hands back after each push and at finish. */
export interface ParseBatch {
  readonly records: ParsedRecord[];
  readonly skipped: Skipped[];
}

/** Counts that must add up: recordLines + noiseLines + skipped = lines seen by the parser. */
export interface LineAccount {
  lines: number;
  recordLines: number;
  noiseLines: number;
  skippedLines: number;
  records: number;
}

export interface LineParser {
  /** Offer complete lines, in order. Returns what is complete so far; memory does not grow with input size. */
  push(lines: readonly SourceLine[]): ParseBatch;
  /** No more lines: close whatever is open. */
  finish(): ParseBatch;
  account(): LineAccount;
}

export interface SniffResult {
  /** 0..100: how sure this parser is that the text is its format. */
  readonly score: number;
  readonly reason: string;
}

export interface ParserOptions {
  /** Source name for messages. */
  readonly source?: string;
}

export interface ParserModule {
  readonly id: string;
  readonly title: string;
  /** Whether markdown damage (quotes, code indents, fences) should be undone before this parser sees the lines. */
  readonly undamage: boolean;
  /** Whether a lone CR ends a line (text) or is kept (CSV fields carry bare CRs). */
  readonly loneCR: 'break' | 'keep';
  /** Looks at a bounded prefix of decoded lines (at most SNIFF_LINES). */
  sniff(prefix: readonly string[]): SniffResult;
  create(options?: ParserOptions): LineParser;
}

export const SNIFF_LINES = 200;
