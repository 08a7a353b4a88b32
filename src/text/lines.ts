/**
 * Bytes -> decoded text lines, incrementally.
 *
 * Design notes
 * - Chunks may be split anywhere (inside a UTF-8 sequence, a UTF-16 code unit, a CRLF pair, a BOM);
 *   the output (lines and report) is identical to pushing the whole input at once.
 * - UTF-8 is decoded with Buffer#toString on the longest prefix of the chunk that does not end inside a
 *   multi-byte sequence; the (at most 3) trailing bytes are carried into the next chunk. V8's decoder
 *   replaces ill-formed input exactly like the WHATWG TextDecoder (one U+FFFD per maximal subpart), and
 *   is several times faster than TextDecoder with {stream:true}.
 * - UTF-16 uses TextDecoder('utf-16le' | 'utf-16be', {stream:true}).
 * - Line ends: CRLF, LF and lone CR. A CR at the end of a chunk ends the line at once; an LF at the start
 *   of the next chunk is then swallowed. With { loneCR: 'keep' } a CR at the end of a chunk stays pending
 *   with the line, and is dropped when the next chunk starts with the LF of its CRLF.
 * - U+0000 is removed and counted (NUL padding from UTF-16 mis-saves, C strings in dumps).
 * - Memory is bounded by the chunk size plus the longest line (a line is only kept until it is complete).
 */
import { Buffer } from 'node:buffer';
import { TextDecoder } from 'node:util';
import { type TextEncoding, SNIFF_BYTES, bomLength, isBigEndian, isUtf16, sniffEncoding } from './encoding.js';

/** One decoded line. `line` is the 1-based line number in the decoded text; `text` has no line terminator. */
export interface SourceLine {
  readonly line: number;
  readonly text: string;
}

export interface LineSplitterReport {
  /** Number of lines emitted. */
  lines: number;
  /** Detected encoding (before the first decision, i.e. while fewer than SNIFF_BYTES bytes were pushed and
   * finish() was not called yet, this is provisionally 'utf-8'). */
  encoding: TextEncoding;
  /** Input bytes, BOM included. */
  bytes: number;
  /** U+0000 characters removed from the decoded text. */
  nulBytesRemoved: number;
  /** Ill-formed byte sequences (UTF-8) or unpaired surrogates / odd trailing byte (UTF-16), each replaced
   * by one U+FFFD. A U+FFFD that was really present in the input is not counted. */
  invalidSequences: number;
  /** The input did not end with a line terminator (its last line was emitted by finish()). */
  truncatedLastLine: boolean;
}

const CR = 13;
const LF = 10;
const REPLACEMENT = '\uFFFD';

function countChar(s: string, ch: string): number {
  let n = 0;
  let i = s.indexOf(ch);
  while (i !== -1) {
    n++;
    i = s.indexOf(ch, i + 1);
  }
  return n;
}

/** Options shared by LineSplitter and splitText. */
export interface LineSplitOptions {
  /**
   * 'break' (default): a lone CR ends a line, like CRLF and LF.
   * 'keep': only CRLF and LF end lines; a lone CR stays in the line text. Use this for Process Monitor CSV,
   * whose quoted fields can contain bare CR characters (corpus/procmon/prsp0007-samples-logfile.csv).
   */
  loneCR?: 'break' | 'keep';
}

/**
 * Turns decoded text pieces into lines. Shared by LineSplitter (bytes) and splitText (strings).
 * Not exported from the package index.
 */
class LineAssembler {
  lineNo = 0;
  nul = 0;
  truncated = false;
  /** Pieces of the current, not yet terminated line. */
  private pend: string[] = [];
  /** The previous piece ended with CR: an LF at the start of the next piece belongs to that CR. */
  private skipLF = false;
  private readonly loneCRBreaks: boolean;

  constructor(options: LineSplitOptions | undefined) {
    this.loneCRBreaks = (options?.loneCR ?? 'break') === 'break';
  }

  push(s: string, hasCR: boolean, hasNUL: boolean, out: SourceLine[]): void {
    if (s.length === 0) return;
    if (hasNUL) {
      const before = s.length;
      s = s.replaceAll('\0', '');
      this.nul += before - s.length;
      if (s.length === 0) return;
    }
    if (this.skipLF) {
      this.skipLF = false;
      if (s.charCodeAt(0) === LF) {
        if (s.length === 1) return;
        s = s.slice(1);
      }
    }
    const keepCR = hasCR && !this.loneCRBreaks;
    const parts = !hasCR || keepCR ? s.split('\n') : this.splitCR(s);
    const last = parts.length - 1;
    if (last === 0) {
      // No terminator in this piece: it only extends the current line.
      this.pend.push(parts[0]!);
      return;
    }
    let lineNo = this.lineNo;
    const pend = this.pend;
    let first = parts[0]!;
    if (pend.length !== 0) {
      pend.push(first);
      first = pend.join('');
      pend.length = 0;
    }
    if (keepCR) {
      // Only CRLF and LF terminate: drop the CR of a CRLF (it may have come with the previous piece).
      out.push({ line: ++lineNo, text: dropFinalCR(first) });
      for (let i = 1; i < last; i++) out.push({ line: ++lineNo, text: dropFinalCR(parts[i]!) });
    } else {
      // With lone CRs kept, a CR that ended the previous piece is the first half of a CRLF whose LF starts this
      // one (this piece has no CR of its own, so only the pending text can end with one).
      out.push({ line: ++lineNo, text: this.loneCRBreaks ? first : dropFinalCR(first) });
      for (let i = 1; i < last; i++) out.push({ line: ++lineNo, text: parts[i]! });
    }
    this.lineNo = lineNo;
    const rest = parts[last]!;
    if (rest.length !== 0) pend.push(rest);
  }

  /** Split on CRLF, LF and lone CR. The last element is the unterminated remainder ('' if none). */
  private splitCR(s: string): string[] {
    // Fast path: only CRLF line ends in this piece (the usual Windows file).
    const crlf = s.split('\r\n');
    let clean = true;
    for (let i = 0; i < crlf.length; i++) {
      const p = crlf[i]!;
      if (p.indexOf('\n') !== -1 || p.indexOf('\r') !== -1) {
        clean = false;
        break;
      }
    }
    if (clean) return crlf;
    const parts = s.split('\n');
    let lone = false;
    for (let i = 0; i < parts.length; i++) {
      let p = parts[i]!;
      const len = p.length;
      if (len !== 0 && p.charCodeAt(len - 1) === CR) {
        p = p.slice(0, len - 1);
        parts[i] = p;
      }
      if (!lone && p.indexOf('\r') !== -1) lone = true;
    }
    if (s.charCodeAt(s.length - 1) === CR) {
      // The final CR terminated the last part; an LF may follow in the next piece.
      parts.push('');
      this.skipLF = true;
    }
    if (!lone) return parts;
    const flat: string[] = [];
    for (const p of parts) {
      if (p.indexOf('\r') === -1) flat.push(p);
      else for (const q of p.split('\r')) flat.push(q);
    }
    return flat;
  }

  finish(out: SourceLine[]): void {
    this.skipLF = false;
    if (this.pend.length === 0) return;
    const text = this.pend.length === 1 ? this.pend[0]! : this.pend.join('');
    this.pend.length = 0;
    if (text.length === 0) return;
    out.push({ line: ++this.lineNo, text });
    this.truncated = true;
  }
}

function dropFinalCR(s: string): string {
  const n = s.length;
  return n !== 0 && s.charCodeAt(n - 1) === CR ? s.slice(0, n - 1) : s;
}

function asBuffer(chunk: Uint8Array): Buffer {
  return Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
}

/** Index where an incomplete UTF-8 sequence at the end of `buf` starts, or buf.length if none. */
function incompleteUtf8Tail(buf: Uint8Array): number {
  const n = buf.length;
  const lim = n - 3;
  let i = n - 1;
  while (i >= lim && i >= 0 && (buf[i]! & 0xc0) === 0x80) i--;
  if (i < lim || i < 0) return n;
  const b = buf[i]!;
  const need = b >= 0xf5 ? 0 : b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : b >= 0xc2 ? 2 : 0;
  return need !== 0 && n - i < need ? i : n;
}

const UTF8_REPLACEMENT_BYTES = Buffer.from([0xef, 0xbf, 0xbd]);

function countBytes(buf: Buffer, needle: Buffer): number {
  let n = 0;
  let i = buf.indexOf(needle);
  while (i !== -1) {
    n++;
    i = buf.indexOf(needle, i + needle.length);
  }
  return n;
}

/**
 * Incremental bytes -> lines splitter. Push byte chunks (any size, split anywhere), get complete lines
 * back; finish() flushes the last line even without a terminator.
 */
export class LineSplitter {
  private encoding: TextEncoding | null = null;
  /** Chunks held until SNIFF_BYTES bytes are available for the encoding decision (copied). */
  private held: Buffer[] = [];
  private heldBytes = 0;
  private bytes = 0;
  private invalid = 0;
  private finished = false;
  private readonly asm: LineAssembler;
  // UTF-8 state
  private carry: Buffer | null = null;
  // UTF-16 state
  private u16: TextDecoder | null = null;
  private u16Odd = false;
  private u16LastByte = 0;

  constructor(options?: LineSplitOptions) {
    this.asm = new LineAssembler(options);
  }

  push(chunk: Uint8Array): SourceLine[] {
    if (this.finished) throw new Error('LineSplitter.push() called after finish()');
    const out: SourceLine[] = [];
    const len = chunk.length;
    if (len === 0) return out;
    this.bytes += len;
    if (this.encoding !== null) {
      this.feed(asBuffer(chunk), out);
      return out;
    }
    if (this.heldBytes + len < SNIFF_BYTES) {
      // Keep a copy: the caller may reuse its buffer after push() returns.
      this.held.push(Buffer.from(chunk));
      this.heldBytes += len;
      return out;
    }
    this.held.push(asBuffer(chunk));
    this.heldBytes += len;
    this.decide(out);
    return out;
  }

  finish(): SourceLine[] {
    const out: SourceLine[] = [];
    if (this.finished) return out;
    this.finished = true;
    if (this.encoding === null) this.decide(out);
    if (this.u16 !== null) {
      const s = this.u16.decode();
      if (s.length !== 0) {
        // Only errors can come out of the flush (dangling byte or high surrogate).
        this.invalid += countChar(s, REPLACEMENT);
        this.asm.push(s, false, false, out);
      }
      this.u16 = null;
    } else if (this.carry !== null) {
      const s = this.carry.toString('utf8');
      this.carry = null;
      this.invalid += countChar(s, REPLACEMENT);
      this.asm.push(s, false, false, out);
    }
    this.asm.finish(out);
    return out;
  }

  report(): LineSplitterReport {
    return {
      lines: this.asm.lineNo,
      encoding: this.encoding ?? 'utf-8',
      bytes: this.bytes,
      nulBytesRemoved: this.asm.nul,
      invalidSequences: this.invalid,
      truncatedLastLine: this.asm.truncated,
    };
  }

  private decide(out: SourceLine[]): void {
    const held = this.held;
    this.held = [];
    const prefix = held.length === 1 ? held[0]! : Buffer.concat(held, Math.min(this.heldBytes, SNIFF_BYTES));
    const enc = sniffEncoding(prefix.subarray(0, SNIFF_BYTES));
    this.encoding = enc;
    if (isUtf16(enc)) {
      this.u16 = new TextDecoder(isBigEndian(enc) ? 'utf-16be' : 'utf-16le', { ignoreBOM: true, fatal: false });
    }
    let skip = bomLength(enc);
    for (const c of held) {
      if (skip >= c.length) {
        skip -= c.length;
        continue;
      }
      this.feed(skip > 0 ? c.subarray(skip) : c, out);
      skip = 0;
    }
    this.heldBytes = 0;
  }

  private feed(chunk: Buffer, out: SourceLine[]): void {
    if (this.u16 !== null) this.feedUtf16(chunk, out);
    else this.feedUtf8(chunk, out);
  }

  private feedUtf8(chunk: Buffer, out: SourceLine[]): void {
    let buf = chunk;
    if (this.carry !== null) {
      buf = Buffer.concat([this.carry, chunk]);
      this.carry = null;
    }
    const cut = incompleteUtf8Tail(buf);
    if (cut !== buf.length) this.carry = Buffer.from(buf.subarray(cut));
    if (cut === 0) return;
    const body = cut === buf.length ? buf : buf.subarray(0, cut);
    const s = body.toString('utf8');
    if (s.indexOf(REPLACEMENT) !== -1) {
      // Every EF BF BD in the bytes is a real U+FFFD (it can never be part of an ill-formed sequence);
      // sequences never straddle two decoded ranges, so the difference is exact.
      this.invalid += countChar(s, REPLACEMENT) - countBytes(body, UTF8_REPLACEMENT_BYTES);
    }
    // In UTF-8 the bytes 0x0D and 0x00 only ever encode CR and NUL, so memchr on the bytes is enough.
    this.asm.push(s, body.indexOf(CR) !== -1, body.indexOf(0) !== -1, out);
  }

  private feedUtf16(chunk: Buffer, out: SourceLine[]): void {
    const s = this.u16!.decode(chunk, { stream: true });
    if (s.length !== 0 && s.indexOf(REPLACEMENT) !== -1) {
      this.invalid += countChar(s, REPLACEMENT) - this.realReplacementUnits(chunk);
    }
    const n = chunk.length;
    if (n !== 0) {
      this.u16LastByte = chunk[n - 1]!;
      this.u16Odd = this.u16Odd !== ((n & 1) === 1);
    }
    if (s.length !== 0) this.asm.push(s, s.indexOf('\r') !== -1, s.indexOf('\0') !== -1, out);
  }

  /** Count U+FFFD code units whose last byte is in `chunk` (uses the state before this chunk). */
  private realReplacementUnits(chunk: Buffer): number {
    const be = this.encoding !== null && isBigEndian(this.encoding);
    const first = be ? 0xff : 0xfd;
    const second = be ? 0xfd : 0xff;
    let n = 0;
    let i = 0;
    if (this.u16Odd) {
      if (chunk.length === 0) return 0;
      if (this.u16LastByte === first && chunk[0] === second) n++;
      i = 1;
    }
    for (; i + 1 < chunk.length; i += 2) {
      if (chunk[i] === first && chunk[i + 1] === second) n++;
    }
    return n;
  }
}

/**
 * Split an already decoded string into lines with the same rules as LineSplitter: CRLF / LF / lone CR,
 * U+0000 removed, a leading U+FEFF (BOM) dropped, last line emitted even without terminator.
 */
export function splitText(text: string, options?: LineSplitOptions): SourceLine[] {
  const asm = new LineAssembler(options);
  const out: SourceLine[] = [];
  const s = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  asm.push(s, s.indexOf('\r') !== -1, s.indexOf('\0') !== -1, out);
  asm.finish(out);
  return out;
}

/**
 * Thin async wrapper over LineSplitter for fs.createReadStream / process.stdin (do not call
 * setEncoding() on the stream: chunks must be bytes). Yields one non-empty batch of lines per chunk that
 * completed at least one line; the generator's return value is the final report.
 */
export async function* readLines(
  source: AsyncIterable<Uint8Array>,
  options?: LineSplitOptions,
): AsyncGenerator<SourceLine[], LineSplitterReport> {
  const splitter = new LineSplitter(options);
  for await (const chunk of source) {
    if (typeof (chunk as unknown) === 'string') {
      throw new TypeError('readLines() expects byte chunks (Uint8Array/Buffer); do not call setEncoding() on the stream');
    }
    const lines = splitter.push(chunk);
    if (lines.length !== 0) yield lines;
  }
  const last = splitter.finish();
  if (last.length !== 0) yield last;
  return splitter.report();
}
