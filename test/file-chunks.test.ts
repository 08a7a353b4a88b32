import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readFileChunks } from '../src/text/index.js';
import { parseChunks, parseText } from '../parsers/pipeline.js';
import type { ParsedRecord, Skipped } from '../src/records/index.js';

const SAMPLES = fileURLToPath(new URL('../samples/', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'irpscope-chunks-'));

describe('readFileChunks', () => {
  it('yields the file in order through one reused buffer, the last chunk short', async () => {
    const path = join(dir, 'bytes.bin');
    const content = Buffer.from(Array.from({ length: 25 }, (_, i) => i));
    writeFileSync(path, content);
    const copies: number[][] = [];
    const buffers = new Set<ArrayBufferLike>();
    for await (const chunk of readFileChunks(path, 10)) {
      copies.push([...chunk]);
      buffers.add(chunk.buffer);
    }
    expect(copies).toEqual([[0, 1, 2, 3, 4, 5, 6, 7, 8, 9], [10, 11, 12, 13, 14, 15, 16, 17, 18, 19], [20, 21, 22, 23, 24]]);
    expect(buffers.size).toBe(1);
  });

  it('yields nothing for an empty file', async () => {
    const path = join(dir, 'empty.bin');
    writeFileSync(path, '');
    const chunks: Uint8Array[] = [];
    for await (const chunk of readFileChunks(path)) chunks.push(chunk);
    expect(chunks).toEqual([]);
  });

  // Format sniffing keeps the first chunks while it reads more: with a reused buffer it must copy them, or the
  // lines it re-splits would be the bytes of a later chunk.
  it.each([
    ['windbg/kvm-guest-drivers-windows-27.txt'],
    ['procmon/feijing2132-monitorapis-logfile.csv'],
    ['verifier/scptoolkit-29.txt'],
    ['etw/tracerpt-driver-irp.csv'],
  ])('any chunk size gives the records and skipped lines of the whole text: %s', async (sample) => {
    const path = join(SAMPLES, sample);
    const whole = await parseText(readFileSync(path), undefined, path);
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 4096 }), async (size) => {
        const records: ParsedRecord[] = [];
        const skipped: Skipped[] = [];
        const summary = await parseChunks(readFileChunks(path, size), path, { record: (r) => records.push(r), skipped: (s) => skipped.push(s) });
        expect(summary.format).toBe(whole.summary.format);
        expect(records).toEqual(whole.records);
        expect(skipped).toEqual(whole.skipped);
      }),
      { numRuns: 25 },
    );
  });
});
