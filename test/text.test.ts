import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import {
  LineSplitter,
  MarkdownUndamager,
  readLines,
  sniffEncoding,
  splitText,
  type LineSplitterReport,
  type SourceLine,
  type TextEncoding,
} from '../src/text/index.js';

const FIXTURES = fileURLToPath(new URL('./fixtures/text/', import.meta.url));
const fixture = (name: string): string => readFileSync(FIXTURES + name, 'utf8');

// ------------------------------------------------------------------------------------------------
// helpers

function bytes(...parts: (number[] | string | Uint8Array)[]): Uint8Array {
  const bufs = parts.map((p) => (typeof p === 'string' ? Buffer.from(p, 'utf8') : Buffer.from(p)));
  return new Uint8Array(Buffer.concat(bufs));
}

function encode(text: string, enc: TextEncoding): Uint8Array {
  const le = Buffer.from(text, 'utf16le');
  switch (enc) {
    case 'utf-8':
      return bytes(text);
    case 'utf-8-bom':
      return bytes([0xef, 0xbb, 0xbf], text);
    case 'utf-16le':
      return bytes(le);
    case 'utf-16le-bom':
      return bytes([0xff, 0xfe], le);
    case 'utf-16be':
      return bytes(Buffer.from(le).swap16());
    case 'utf-16be-bom':
      return bytes([0xfe, 0xff], Buffer.from(le).swap16());
  }
}

interface Run {
  lines: SourceLine[];
  report: LineSplitterReport;
}

/** Push `input` cut at the given offsets (any order, duplicates and out-of-range values allowed). */
function runSplitter(input: Uint8Array, cuts: number[] = []): Run {
  const points = [...new Set(cuts.map((c) => (input.length === 0 ? 0 : c % (input.length + 1))))].sort((a, b) => a - b);
  const sp = new LineSplitter();
  const lines: SourceLine[] = [];
  let prev = 0;
  for (const p of [...points, input.length]) {
    if (p < prev) continue;
    // Copy each chunk into a fresh buffer and scribble over it afterwards: the splitter must not keep
    // references to caller memory.
    const chunk = new Uint8Array(input.subarray(prev, p));
    lines.push(...sp.push(chunk));
    chunk.fill(0x5a);
    prev = p;
  }
  lines.push(...sp.finish());
  return { lines, report: sp.report() };
}

const texts = (lines: readonly SourceLine[]): string[] => lines.map((l) => l.text);

function undamage(lines: readonly SourceLine[], batch = Number.MAX_SAFE_INTEGER) {
  const u = new MarkdownUndamager();
  const out: SourceLine[] = [];
  const dropped: { line: number; reason: string }[] = [];
  for (let i = 0; i < lines.length; i += batch) {
    const r = u.push(lines.slice(i, i + batch));
    out.push(...r.lines);
    dropped.push(...r.dropped);
  }
  const r = u.finish();
  out.push(...r.lines);
  dropped.push(...r.dropped);
  return { lines: out, dropped, report: u.report() };
}

/** Oracle: whole-input decode with TextDecoder, NULs removed, split on CRLF/LF/CR. */
function oracle(input: Uint8Array, enc: TextEncoding): { texts: string[]; invalid: number } {
  const bom = enc === 'utf-8-bom' ? 3 : enc.endsWith('-bom') ? 2 : 0;
  const body = input.subarray(Math.min(bom, input.length));
  const label = enc.startsWith('utf-8') ? 'utf-8' : enc.startsWith('utf-16le') ? 'utf-16le' : 'utf-16be';
  const decoded = new TextDecoder(label, { ignoreBOM: true }).decode(body);
  let real = 0;
  if (label === 'utf-8') {
    for (let i = 0; i + 2 < body.length; i++) if (body[i] === 0xef && body[i + 1] === 0xbf && body[i + 2] === 0xbd) real++;
  } else {
    const [a, b] = label === 'utf-16le' ? [0xfd, 0xff] : [0xff, 0xfd];
    for (let i = 0; i + 1 < body.length; i += 2) if (body[i] === a && body[i + 1] === b) real++;
  }
  const invalid = (decoded.match(/\uFFFD/g) ?? []).length - real;
  const parts = decoded.replaceAll('\0', '').split(/\r\n|\r|\n/);
  if (parts[parts.length - 1] === '') parts.pop();
  return { texts: parts, invalid };
}

// ------------------------------------------------------------------------------------------------
// LineSplitter

describe('sniffEncoding', () => {
  it('detects BOMs', () => {
    expect(sniffEncoding(bytes([0xef, 0xbb, 0xbf], 'kd>'))).toBe('utf-8-bom');
    expect(sniffEncoding(bytes([0xff, 0xfe, 0x6b, 0x00]))).toBe('utf-16le-bom');
    expect(sniffEncoding(bytes([0xfe, 0xff, 0x00, 0x6b]))).toBe('utf-16be-bom');
  });
  it('detects BOM-less UTF-16 by the NUL pattern', () => {
    expect(sniffEncoding(bytes('k\0d\0>\0'))).toBe('utf-16le');
    expect(sniffEncoding(bytes('\0k\0d\0>'))).toBe('utf-16be');
    expect(sniffEncoding(encode('0: kd> !analyze -v\r\n', 'utf-16le'))).toBe('utf-16le');
    expect(sniffEncoding(encode('0: kd> !analyze -v\r\n', 'utf-16be'))).toBe('utf-16be');
  });
  it('falls back to utf-8', () => {
    expect(sniffEncoding(bytes(''))).toBe('utf-8');
    expect(sniffEncoding(bytes('kd>'))).toBe('utf-8');
    expect(sniffEncoding(bytes('k\0'))).toBe('utf-8'); // one unit is not evidence
    expect(sniffEncoding(bytes([0xef, 0xbb]))).toBe('utf-8'); // cut BOM
    expect(sniffEncoding(bytes('Arg1: 0000000000000014, memory referenced\0\0'))).toBe('utf-8');
  });
});

describe('LineSplitter: encodings and line ends', () => {
  const base = [
    ...fixture('winfsp-246-desc.txt').split('\n').slice(0, 14),
    'Path: C:\\Users\\müller\\文档\\🙂.txt',
    '',
    'BUGCHECK_P1: 14',
  ];
  const encodings: TextEncoding[] = ['utf-8', 'utf-8-bom', 'utf-16le-bom', 'utf-16be-bom', 'utf-16le', 'utf-16be'];
  const eols = { LF: '\n', CRLF: '\r\n', CR: '\r' };

  for (const enc of encodings) {
    for (const [eolName, eol] of Object.entries(eols)) {
      it(`${enc} + ${eolName} gives the same lines`, () => {
        const input = encode(base.join(eol) + eol, enc);
        const whole = runSplitter(input);
        expect(texts(whole.lines)).toEqual(base);
        expect(whole.lines.map((l) => l.line)).toEqual(base.map((_, i) => i + 1));
        expect(whole.report).toEqual({
          lines: base.length,
          encoding: enc,
          bytes: input.length,
          nulBytesRemoved: 0,
          invalidSequences: 0,
          truncatedLastLine: false,
        });
        // byte-by-byte and odd-sized chunks: splits inside code units, UTF-8 sequences, CRLF pairs, BOMs
        const every = Array.from({ length: input.length }, (_, i) => i);
        expect(runSplitter(input, every)).toEqual(whole);
        expect(runSplitter(input, every.filter((i) => i % 7 === 3))).toEqual(whole);
      });
    }
  }

  it('does not put the BOM into the first line', () => {
    const { lines } = runSplitter(encode('IRQL_NOT_LESS_OR_EQUAL (a)\n', 'utf-8-bom'));
    expect(lines).toEqual([{ line: 1, text: 'IRQL_NOT_LESS_OR_EQUAL (a)' }]);
  });

  it('mixed CRLF / LF / lone CR in one input', () => {
    const { lines } = runSplitter(bytes('a\r\nb\nc\rd\r\r\ne\n\rf'));
    expect(texts(lines)).toEqual(['a', 'b', 'c', 'd', '', 'e', '', 'f']);
  });

  it('a CRLF split across chunks is one terminator, a CR at a chunk end still ends the line', () => {
    const sp = new LineSplitter();
    expect(sp.push(bytes('x'.repeat(70) + '\r'))).toEqual([{ line: 1, text: 'x'.repeat(70) }]);
    expect(sp.push(bytes('\n'))).toEqual([]);
    expect(sp.push(bytes('b\r'))).toEqual([{ line: 2, text: 'b' }]);
    expect(sp.push(bytes('c'))).toEqual([]);
    expect(sp.finish()).toEqual([{ line: 3, text: 'c' }]);
    expect(sp.report().lines).toBe(3);
    expect(sp.report().truncatedLastLine).toBe(true);
  });

  it("loneCR: 'keep' only breaks on CRLF / LF (Procmon CSV fields with bare CR)", () => {
    const input = bytes('"a","x\ry"\r\n"b","z"\r\n');
    const sp = new LineSplitter({ loneCR: 'keep' });
    const lines = [...sp.push(input.subarray(0, 7)), ...sp.push(input.subarray(7, 12)), ...sp.push(input.subarray(12)), ...sp.finish()];
    expect(texts(lines)).toEqual(['"a","x\ry"', '"b","z"']);
    expect(texts(splitText('"a","x\ry"\r\n"b"', { loneCR: 'keep' }))).toEqual(['"a","x\ry"', '"b"']);
  });

  it('a CRLF cut between its CR and LF reads like an uncut one, with lone CRs breaking or kept', () => {
    // The chunk after the cut has no CR of its own: the CR that ended the previous chunk is the CRLF's.
    for (const loneCR of ['break', 'keep'] as const) {
      for (const enc of ['utf-8', 'utf-16le', 'utf-16be'] as const) {
        const input = encode('"a","x\ry"\r\nb\r\nc\r\n', enc);
        const whole = new LineSplitter({ loneCR });
        const expected = [...whole.push(input), ...whole.finish()];
        for (let cut = 1; cut < input.length; cut++) {
          const sp = new LineSplitter({ loneCR });
          const lines = [...sp.push(input.subarray(0, cut)), ...sp.push(input.subarray(cut)), ...sp.finish()];
          expect(lines, `${loneCR} ${enc} cut at ${cut}`).toEqual(expected);
          expect(sp.report(), `${loneCR} ${enc} cut at ${cut}`).toEqual(whole.report());
        }
      }
    }
    const sp = new LineSplitter({ loneCR: 'keep' });
    expect(sp.push(bytes('x'.repeat(70) + '\r'))).toEqual([]);
    expect(sp.push(bytes('\ny\n'))).toEqual([
      { line: 1, text: 'x'.repeat(70) },
      { line: 2, text: 'y' },
    ]);
  });
});

describe('LineSplitter: damage', () => {
  it('emits and reports a truncated last line', () => {
    const r = runSplitter(bytes('Arg4: 0000000000000000\nFollowup:     MachineOwner'));
    expect(r.lines).toEqual([
      { line: 1, text: 'Arg4: 0000000000000000' },
      { line: 2, text: 'Followup:     MachineOwner' },
    ]);
    expect(r.report.truncatedLastLine).toBe(true);
    expect(runSplitter(bytes('a\n')).report.truncatedLastLine).toBe(false);
    expect(runSplitter(bytes('a\r')).report.truncatedLastLine).toBe(false);
    expect(runSplitter(bytes(''))).toEqual({
      lines: [],
      report: { lines: 0, encoding: 'utf-8', bytes: 0, nulBytesRemoved: 0, invalidSequences: 0, truncatedLastLine: false },
    });
  });

  it('removes and counts NULs', () => {
    const r = runSplitter(bytes('BUGCHECK\0_P1: 14\n\0\0\nx\0'));
    expect(texts(r.lines)).toEqual(['BUGCHECK_P1: 14', '', 'x']);
    expect(r.report.nulBytesRemoved).toBe(4);
    // CR NUL LF is one CRLF once the NUL is gone, also when chunked
    expect(texts(runSplitter(bytes('a\r\0\nb'), [2, 3]).lines)).toEqual(['a', 'b']);
  });

  it('replaces and counts invalid UTF-8, but not a real U+FFFD', () => {
    // ff: invalid byte; e2 82 then LF: truncated sequence; c3 at the end: truncated at EOF;
    // ef bf bd: a real U+FFFD in the input.
    const input = bytes('a', [0xff], 'b', [0xe2, 0x82], '\n', [0xef, 0xbf, 0xbd], 'c', [0xc3]);
    const whole = runSplitter(input);
    expect(texts(whole.lines)).toEqual(['a\uFFFDb\uFFFD', '\uFFFDc\uFFFD']);
    expect(whole.report.invalidSequences).toBe(3);
    expect(whole.report.truncatedLastLine).toBe(true);
    for (let i = 0; i <= input.length; i++) expect(runSplitter(input, [i])).toEqual(whole);
  });

  it('counts unpaired surrogates and a dangling byte in UTF-16', () => {
    const input = bytes([0xff, 0xfe], Buffer.from('ok\n', 'utf16le'), [0x00, 0xd8], Buffer.from('x\n', 'utf16le'), [0xfd, 0xff, 0x41]);
    const whole = runSplitter(input);
    expect(texts(whole.lines)).toEqual(['ok', '\uFFFDx', '\uFFFD\uFFFD']);
    expect(whole.report.invalidSequences).toBe(2);
    expect(whole.report.encoding).toBe('utf-16le-bom');
    for (let i = 0; i <= input.length; i++) expect(runSplitter(input, [i])).toEqual(whole);
  });

  it('push() after finish() throws', () => {
    const sp = new LineSplitter();
    sp.finish();
    expect(() => sp.push(bytes('x'))).toThrow(/after finish/);
    expect(sp.finish()).toEqual([]);
  });
});

describe('splitText and readLines', () => {
  it('splitText uses the same rules', () => {
    expect(splitText('\uFEFFa\r\nb\0\rc\n')).toEqual([
      { line: 1, text: 'a' },
      { line: 2, text: 'b' },
      { line: 3, text: 'c' },
    ]);
    expect(splitText('')).toEqual([]);
    expect(splitText('\n')).toEqual([{ line: 1, text: '' }]);
  });

  it('readLines yields batches and returns the report', async () => {
    const input = encode('0: kd> !irp ffffd581a6c6cd30\r\nIrp is active with 6 stacks\r\ntail', 'utf-16le-bom');
    const chunks = [input.subarray(0, 5), input.subarray(5, 41), input.subarray(41)].map((c) => Buffer.from(c));
    const gen = readLines(Readable.from(chunks));
    const batches: SourceLine[][] = [];
    let res = await gen.next();
    while (!res.done) {
      batches.push(res.value);
      res = await gen.next();
    }
    expect(batches.flat()).toEqual([
      { line: 1, text: '0: kd> !irp ffffd581a6c6cd30' },
      { line: 2, text: 'Irp is active with 6 stacks' },
      { line: 3, text: 'tail' },
    ]);
    expect(batches.every((b) => b.length > 0)).toBe(true);
    expect(res.value).toEqual({
      lines: 3,
      encoding: 'utf-16le-bom',
      bytes: input.length,
      nulBytesRemoved: 0,
      invalidSequences: 0,
      truncatedLastLine: true,
    });
  });

  it('readLines rejects string chunks', async () => {
    const gen = readLines(Readable.from(['text'], { objectMode: true }) as AsyncIterable<Uint8Array>);
    await expect(gen.next()).rejects.toThrow(TypeError);
  });
});

describe('LineSplitter properties', () => {
  // Bytes biased towards the interesting ones: terminators, NUL, BOM bytes, UTF-8 lead/continuation
  // bytes, surrogate halves.
  const byte = fc.oneof(
    fc.integer({ min: 0, max: 255 }),
    fc.constantFrom(0x0a, 0x0d, 0x00, 0x41, 0xef, 0xbb, 0xbf, 0xbd, 0xff, 0xfe, 0xfd, 0xe2, 0x82, 0xac, 0xf0, 0x9f, 0xc3, 0xd8, 0xdc),
  );
  const prefix = fc.constantFrom<number[]>([], [0xef, 0xbb, 0xbf], [0xff, 0xfe], [0xfe, 0xff], [0x41, 0x00, 0x42, 0x00], [0x00, 0x41, 0x00, 0x42]);
  const input = fc.tuple(prefix, fc.array(byte, { maxLength: 200 })).map(([p, b]) => new Uint8Array([...p, ...b]));
  const cuts = fc.array(fc.nat({ max: 400 }), { maxLength: 25 });

  it('arbitrary chunking gives exactly the same lines and report as one push', () => {
    fc.assert(
      fc.property(input, cuts, (data, cs) => {
        expect(runSplitter(data, cs)).toEqual(runSplitter(data));
      }),
      { numRuns: 500 },
    );
  });

  it('arbitrary bytes never throw and match a whole-input TextDecoder oracle', () => {
    fc.assert(
      fc.property(fc.oneof(input, fc.uint8Array({ maxLength: 300 })), cuts, (data, cs) => {
        const r = runSplitter(data, cs);
        const o = oracle(data, r.report.encoding);
        expect(texts(r.lines)).toEqual(o.texts);
        expect(r.report.invalidSequences).toBe(o.invalid);
        expect(r.report.lines).toBe(r.lines.length);
        expect(r.report.bytes).toBe(data.length);
        expect(r.lines.map((l) => l.line)).toEqual(r.lines.map((_, i) => i + 1));
      }),
      { numRuns: 500 },
    );
  });

  const textArb = fc
    .array(fc.oneof(fc.constantFrom('\r', '\n', '\r\n', 'a', ' ', '\t', 'é', '文', '🙂', '`'), fc.string({ unit: 'binary', maxLength: 8 })), {
      maxLength: 60,
    })
    .map((parts) => parts.join('').replaceAll('\0', ''));

  it('line count = number of terminators (+1 for a non-empty unterminated last line)', () => {
    fc.assert(
      fc.property(textArb, cuts, (raw, cs) => {
        // what the text is after a UTF-8 round trip (lone surrogates become U+FFFD); a leading U+FEFF is a BOM
        const text = new TextDecoder('utf-8', { ignoreBOM: true }).decode(new TextEncoder().encode(raw)).replace(/^\uFEFF/, '');
        const terminators = (text.match(/\r\n|\r|\n/g) ?? []).length;
        const tail = text.split(/\r\n|\r|\n/).pop()!;
        const expected = terminators + (tail.length > 0 ? 1 : 0);
        const r = runSplitter(new TextEncoder().encode(raw), cs);
        expect(r.report.lines).toBe(expected);
        expect(r.report.truncatedLastLine).toBe(tail.length > 0);
        expect(splitText(raw).length).toBe(splitText(text).length);
        expect(splitText(text)).toEqual(r.lines);
      }),
      { numRuns: 500 },
    );
  });
});

// ------------------------------------------------------------------------------------------------
// MarkdownUndamager

describe('MarkdownUndamager', () => {
  const scp = splitText(fixture('scptoolkit-29.txt'));
  const winfsp = splitText(fixture('winfsp-246-desc.txt'));
  const winfspTexts = texts(winfsp);
  const damaged = (fn: (t: string) => string) => winfsp.map((l) => ({ line: l.line, text: fn(l.text) }));

  it('fixtures are what the tests assume', () => {
    expect(scp.length).toBe(7);
    expect(scp.every((l) => l.text.startsWith('    '))).toBe(true);
    expect(winfspTexts.filter((t) => t.startsWith('\t'))).toHaveLength(2);
    expect(winfspTexts.some((t) => t === '')).toBe(true);
  });

  it('removes the 4-space code-block indent of the ScpToolkit paste', () => {
    const r = undamage(scp);
    expect(r.lines).toEqual(scp.map((l) => ({ line: l.line, text: l.text.slice(4) })));
    expect(r.lines[0]!.text).toBe('DRIVER_VERIFIER_IOMANAGER_VIOLATION (c9)');
    expect(r.dropped).toEqual([]);
    expect(r.report).toEqual({ quotePrefixRemoved: 0, codeIndentRemoved: 7, fencesDropped: 0, escapedBackticksRestored: 0 });
  });

  it('un-indents a code-indented analyze paste while its TAB-led Arg continuations stay', () => {
    for (const unit of ['    ', '\t']) {
      for (const indentBlank of [false, true]) {
        const input = damaged((t) => (t === '' && !indentBlank ? '' : unit + t));
        const r = undamage(input);
        expect(r.lines).toEqual(winfsp);
        expect(r.lines.filter((l) => l.text.startsWith('\t')).map((l) => l.text)).toEqual([
          '\tbit 0 : value 0 = read operation, 1 = write operation',
          '\tbit 3 : value 0 = not an execute operation, 1 = execute operation (only on chips which support this level of status)',
        ]);
        expect(r.report.codeIndentRemoved).toBe(input.filter((l) => l.text !== '').length);
      }
    }
  });

  it('leaves raw (undamaged) text alone', () => {
    for (const lines of [winfsp, scp.map((l) => ({ line: l.line, text: l.text.slice(4) }))]) {
      const r = undamage(lines);
      expect(r.lines).toEqual(lines);
      expect(r.report).toEqual({ quotePrefixRemoved: 0, codeIndentRemoved: 0, fencesDropped: 0, escapedBackticksRestored: 0 });
    }
  });

  it("keeps the debugger's own indentation (Key/Value, Args, STACK_TEXT rows, IRQL frames, >[IRP_MJ])", () => {
    const raw = [
      'KEY_VALUES_STRING: 1',
      '',
      '    Key  : Analysis.CPU.mSec',
      '    Value: 734',
      '',
      '    Key  : Failure.Bucket',
      '    Value: 0x9F_4_OpenZFS!zfs_unload_stage_1',
      '',
      'STACK_TEXT:  ',
      '        ffffb386`ac2eda90 00007ff8`c8dcd724     : 00000000`00000000 00000000`00000000 : nt!KiSystemServiceCopyEnd+0x25',
      '-------------',
      '[N/A(0), N/A(0)]',
      '            0  0 00000000 00000000 00000000-00000000    ',
      '',
      '                                                Args: 00000000 00000000 00000000 00000000',
      '>[IRP_MJ_DEVICE_CONTROL(e), N/A(0)]',
      '            1  0 ffff970f85974e00 ffff970f8c77c380 00000000-00000000',
      '             \\FileSystem\\tedrdrv',
      '\t\t\tArgs: 00000114 00000000 0x2260d0 00000000',
      'Time stamp:         000000000000495e',
      '',
      '    fffff8800420f2ca USBPORT!USBPORT_DM_IoTimerDpc+0x9a',
      '    fffff80002a5b5bf nt!IopTimerDispatch+0x132',
    ];
    const lines = splitText(raw.join('\n'));
    const r = undamage(lines);
    expect(r.lines).toEqual(lines);
    expect(r.report.codeIndentRemoved).toBe(0);
    expect(r.report.quotePrefixRemoved).toBe(0);
    // Paste starting with indented rows, as in an excerpt that begins inside STACK_TEXT
    const excerpt = splitText('        ffffb386`ac2eda90 00007ff8`c8dcd724     : nt!Foo+0x1\n-------------\n');
    expect(undamage(excerpt).lines).toEqual(excerpt);
  });

  it('un-quotes a "> " quoted paste back to exactly the original lines', () => {
    const input = damaged((t) => (t === '' ? '>' : '> ' + t));
    const r = undamage(input);
    expect(r.lines).toEqual(winfsp);
    expect(r.report).toEqual({ quotePrefixRemoved: winfsp.length, codeIndentRemoved: 0, fencesDropped: 0, escapedBackticksRestored: 0 });
    // `> ` alone also becomes an empty line; bare `>` quoting; nested quotes
    expect(undamage(damaged((t) => (t === '' ? '> ' : '> ' + t))).lines).toEqual(winfsp);
    expect(undamage(damaged((t) => '>' + t)).lines).toEqual(winfsp);
    expect(undamage(damaged((t) => (t === '' ? '> >' : '> > ' + t))).lines).toEqual(winfsp);
    // bare quoting keeps the debugger's own indentation (no space is eaten from `>    Key`)
    const kv = ['KEY_VALUES_STRING: 1', '', '    Key  : Analysis.CPU.mSec', '    Value: 734', '', 'BUGCHECK_CODE:  9f', '        ffffb386`ac2eda90 nt!Foo+0x1'];
    expect(texts(undamage(splitText(kv.map((t) => '>' + t).join('\n'))).lines)).toEqual(kv);
    expect(texts(undamage(splitText(kv.map((t) => '> ' + t).join('\n'))).lines)).toEqual(kv);
  });

  it('un-quotes a quoted code-indented paste and a quote between prose lines', () => {
    const quotedIndented = scp.map((l) => ({ line: l.line, text: '> ' + l.text }));
    expect(texts(undamage(quotedIndented).lines)).toEqual(scp.map((l) => l.text.slice(4)));

    const doc = splitText(['I get this:', '', '> DRIVER_VERIFIER_IOMANAGER_VIOLATION (c9)', '> Arguments:', '>', '> Arg3: ffffcf8147d54dc0, IRP address.', '', 'Any idea?'].join('\n'));
    expect(texts(undamage(doc).lines)).toEqual(['I get this:', '', 'DRIVER_VERIFIER_IOMANAGER_VIOLATION (c9)', 'Arguments:', '', 'Arg3: ffffcf8147d54dc0, IRP address.', '', 'Any idea?']);

    // a code-indented paste between prose lines
    const doc2 = splitText(['Crash:', '', '    Arguments:', '    Arg1: 000000000000021f, A driver has not filled out a dispatch routine', '    \tcontinued.', '', 'Thanks'].join('\n'));
    expect(texts(undamage(doc2).lines)).toEqual(['Crash:', '', 'Arguments:', 'Arg1: 000000000000021f, A driver has not filled out a dispatch routine', '\tcontinued.', '', 'Thanks']);
  });

  it('drops stray fences and reports them with their line numbers', () => {
    const orig = winfspTexts;
    // fences at the start, in the middle (with an info string and a ~~~), and at the end
    const withFences = ['```', ...orig.slice(0, 10), '```text', ...orig.slice(10, 20), '~~~', ...orig.slice(20), '```'];
    const lines = splitText(withFences.join('\n'));
    const r = undamage(lines, 5);
    expect(texts(r.lines)).toEqual(orig);
    expect(r.dropped).toEqual([
      { line: 1, reason: 'markdown fence: ```' },
      { line: 12, reason: 'markdown fence: ```text' },
      { line: 23, reason: 'markdown fence: ~~~' },
      { line: withFences.length, reason: 'markdown fence: ```' },
    ]);
    // kept lines keep their line numbers in the damaged input
    expect(r.lines[10]).toEqual({ line: 13, text: orig[10] });
    expect(r.report.fencesDropped).toBe(4);
    expect(r.lines.length + r.dropped.length).toBe(lines.length);

    // fences inside a quoted paste and inside an indented paste
    const quoted = undamage(splitText(['> ```', ...orig.map((t) => '> ' + t), '> ```'].join('\n')));
    expect(texts(quoted.lines)).toEqual(orig);
    expect(quoted.dropped.map((d) => d.line)).toEqual([1, orig.length + 2]);
    const indented = undamage(splitText(['```', ...scp.map((l) => l.text), '```'].join('\n')));
    expect(texts(indented.lines)).toEqual(scp.map((l) => l.text.slice(4)));
    expect(indented.dropped.map((d) => d.line)).toEqual([1, 9]);
  });

  it('restores escaped backticks', () => {
    const lines = splitText('Bugcheck code 0000009F\nArguments 00000000\\`00000003 ffffcf07\\`04d3caf0 fffff807\\`6a2c7e0 ffffcf07\\`04d3c8e0\n\\FileSystem\\Ntfs');
    const r = undamage(lines);
    expect(texts(r.lines)).toEqual([
      'Bugcheck code 0000009F',
      'Arguments 00000000`00000003 ffffcf07`04d3caf0 fffff807`6a2c7e0 ffffcf07`04d3c8e0',
      '\\FileSystem\\Ntfs',
    ]);
    expect(r.report.escapedBackticksRestored).toBe(4);
  });

  it('streams with bounded look-ahead', () => {
    const u = new MarkdownUndamager();
    let out = 0;
    for (let i = 1; i <= 5000; i++) {
      out += u.push([{ line: i, text: i % 3 === 0 ? '' : `>     Arg${i}: 0000000000000000` }]).lines.length;
      expect(i - out).toBeLessThanOrEqual(64 * 6);
    }
    out += u.finish().lines.length;
    expect(out).toBe(5000);
  });

  it('batching does not change the result (property)', () => {
    const line = fc.oneof(
      fc.constantFrom('', '>', '> ', '```', '~~~', '    ', '\t', '>[IRP_MJ_READ(3), N/A(0)]', '    Key  : X', '    Value: 1', 'Arguments:'),
      fc.tuple(fc.constantFrom('', '> ', '>', '    ', '\t', '> >', '>     '), fc.constantFrom('Arg1: 1, x', '\tbit 0', 'ffffcf07\\`04d3caf0', '        fffff805`045d3643 nt!X', 'a')).map(([p, t]) => p + t),
    );
    fc.assert(
      fc.property(fc.array(line, { maxLength: 150 }), fc.integer({ min: 1, max: 20 }), (ts, batch) => {
        const lines = ts.map((text, i) => ({ line: i + 1, text }));
        const whole = undamage(lines);
        expect(undamage(lines, batch)).toEqual(whole);
        // nothing is silently dropped and order / numbering is kept
        expect(whole.lines.length + whole.dropped.length).toBe(lines.length);
        const nums = [...whole.lines.map((l) => l.line), ...whole.dropped.map((d) => d.line)].sort((a, b) => a - b);
        expect(nums).toEqual(lines.map((l) => l.line));
        expect(whole.lines.map((l) => l.line)).toEqual([...whole.lines.map((l) => l.line)].sort((a, b) => a - b));
      }),
      { numRuns: 300 },
    );
  });
});
