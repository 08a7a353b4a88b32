/**
 * `irpscope parse` as a command: the JSON object per file (docs/json.md, "parse"), the human blocks, and output
 * written as the parse goes, so that memory does not grow with the file (records and skipped lines are not held).
 */
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { parseText } from '../parsers/pipeline.js';
import { readFileChunks } from '../src/text/index.js';
import { tracerptLines, writeLines } from '../scripts/gen-tracerpt.js';
import { writeParsedFile } from '../src/cli/parse-command.js';
import { StdoutPieces } from '../src/cli/stdout-pieces.js';
import { styler } from '../src/cli/terminal.js';

const root = resolve(fileURLToPath(new URL('..', import.meta.url)));
const bin = join(root, 'dist', 'src', 'cli', 'main.js');
const CRASH = join(root, 'test', 'fixtures', 'store', 'crash-mydrv.txt');
const TRACE = join(root, 'test', 'fixtures', 'store', 'trace-mydrv.csv');
const KB = join(root, 'test', 'fixtures', 'windbg', 'win-pvdrivers-xenusb-kb-x86.txt');

function irpscope(args: string[], env: Record<string, string> = {}) {
  const r = spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', env: { PATH: process.env.PATH ?? '', ...env }, maxBuffer: 1 << 28 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** The object docs/json.md describes, built from the library's whole-file parse of the same text. */
async function expectedObject(path: string, format?: string): Promise<object> {
  const { summary, records, skipped } = await parseText(readFileSync(path), format, path);
  return {
    path, format: summary.format, formatReason: summary.formatReason, encoding: summary.encoding, records,
    skipped: skipped.map((s) => ({ line: s.line, reason: s.reason })),
    lines: summary.lines,
    counts: { records: records.length, recordLines: summary.account.recordLines, noiseLines: summary.account.noiseLines + summary.account.markdownNoise, skippedLines: summary.account.skippedLines },
    truncatedLastLine: summary.truncatedLastLine,
  };
}

class Collected extends Writable {
  text = '';
  override _write(chunk: Buffer, _encoding: string, done: () => void): void {
    this.text += chunk.toString();
    done();
  }
}

describe('parse --json', () => {
  it('one object per file, one per line, in argument order: every record and skipped line, the counts', async () => {
    const r = irpscope(['parse', CRASH, TRACE, '--json']);
    expect(r.code).toBe(0);
    const lines = r.stdout.split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[2]).toBe('');
    const objects = lines.slice(0, 2).map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(objects[0]).toEqual(await expectedObject(CRASH));
    expect(objects[1]).toEqual(await expectedObject(TRACE));
    // What is known first comes first: the object is written while the file is read.
    expect(Object.keys(objects[0]!)).toEqual(['path', 'format', 'formatReason', 'encoding', 'records', 'skipped', 'lines', 'counts', 'truncatedLastLine']);
    expect((objects[1]!.counts as { records: number }).records).toBeGreaterThan(0);
  });

  it('a file of mostly unknown lines keeps its skipped lines on disk, not in memory, and lists every one', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'irpscope-parse-spool-'));
    const file = join(dir, 'noise.txt');
    // 40 000 lines no shape takes (about 4 MB of skipped-line JSON: past the 1 MB kept in memory), around a real crash.
    const unknown = Array.from({ length: 40_000 }, (_, i) => `line ${i} of something the debugger never printed \u0007`);
    writeFileSync(file, [readFileSync(CRASH, 'utf8'), ...unknown].join('\n'));
    const spool = mkdtempSync(join(tmpdir(), 'irpscope-parse-tmp-'));
    const r = irpscope(['parse', file, '--json', '--format', 'windbg'], { TMPDIR: spool });
    expect(r.code).toBe(0);
    const object = JSON.parse(r.stdout) as { skipped: unknown[]; counts: { skippedLines: number } };
    expect(object).toEqual(await expectedObject(file, 'windbg'));
    expect(object.skipped).toHaveLength(40_000);
    expect(object.counts.skippedLines).toBe(40_000);
    // The temporary file is gone once its lines are printed.
    expect(readdirSync(spool)).toEqual([]);
  });

  it('a file that fails after its object began still ends as one JSON line, with the error', async () => {
    const collected = new Collected();
    // Past the lines format detection reads first, so that the object has begun when the read fails.
    const text = Buffer.from(readFileSync(CRASH, 'utf8').repeat(10));
    async function* failing(): AsyncGenerator<Uint8Array> {
      yield text;
      throw Object.assign(new Error('EIO: i/o error, read'), { code: 'EIO' });
    }
    await expect(writeParsedFile({ path: 'crash.txt', chunks: failing() }, 'auto', true, styler(false), new StdoutPieces(collected))).rejects.toThrow('EIO: i/o error, read');
    expect(collected.text.endsWith('\n')).toBe(true);
    const object = JSON.parse(collected.text) as Record<string, unknown>;
    expect(Object.keys(object)).toEqual(['path', 'format', 'formatReason', 'encoding', 'records', 'skipped', 'error']);
    expect(object.error).toBe('EIO: i/o error, read');
    expect(object.path).toBe('crash.txt');
  });

  it('waits for a slow reader instead of holding the output', async () => {
    // A stdout that answers late: the parse reads its next chunk only once what it wrote was taken.
    let taken = '';
    let mostWaiting = 0;
    const slow = new Writable({
      highWaterMark: 4096,
      write(chunk: Buffer, _encoding, done) {
        taken += chunk.toString();
        mostWaiting = Math.max(mostWaiting, slow.writableLength);
        setTimeout(done, 20);
      },
    });
    const dir = mkdtempSync(join(tmpdir(), 'irpscope-parse-slow-'));
    const file = join(dir, 'trace.csv');
    writeLines(file, tracerptLines(3_000, 5), false);
    const out = new StdoutPieces(slow);
    await writeParsedFile({ path: file, chunks: readFileChunks(file, 16 * 1024) }, 'auto', true, styler(false), out);
    await new Promise<void>((done) => slow.end(done));
    expect(taken.length).toBeGreaterThan(1_000_000);
    expect(mostWaiting).toBeLessThan(256 * 1024);
    expect(JSON.parse(taken)).toEqual(await expectedObject(file));
  });
});

describe('parse progress', () => {
  it('a bar on a terminal stderr while the output goes to a file; then the summary line in its place', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'irpscope-parse-bar-'));
    const out = join(dir, 'out.json');
    // script(1) gives the command a terminal; its stdout is redirected to a file inside that terminal.
    const r = spawnSync('script', ['-qfc', `${process.execPath} ${bin} parse ${TRACE} --json > ${out}`, '/dev/null'], { encoding: 'utf8', env: { PATH: process.env.PATH ?? '' } });
    expect(r.status).toBe(0);
    const screen = r.stdout;
    expect(screen).toMatch(/\r\[#{24}\] 100% 0\.0\/0\.0 MB {2}0 records {2}\d[\d,]* records\/s {2}ETA - {2}/);
    const summary = `${TRACE}: etw-tracerpt`;
    expect(screen).toContain(`\r\u001b[K${summary}`);
    expect(JSON.parse(readFileSync(out, 'utf8'))).toEqual(await expectedObject(TRACE));
  });
});

describe('parse (human)', () => {
  it('a block per incident in input order: the IRP dumped after the crash is in its block, frames capped', () => {
    const r = irpscope(['parse', CRASH], { NO_COLOR: '1' });
    expect(r.code).toBe(0);
    const out = r.stdout.split('\n');
    expect(out[0]).toBe(`== ${CRASH}  verifier, utf-8`);
    const incident = out.indexOf('-- incident 1');
    expect(out.indexOf('-- context')).toBe(2);
    expect(incident).toBeGreaterThan(2);
    expect(out.slice(incident + 1, incident + 4)).toEqual(['     nt!KeBugCheckEx', '     nt!VerifierBugCheckIfAppropriate+0x3c (verifier)', '     mydrv!MyDispatchDeviceControl+0x4a']);
    expect(out.findIndex((l) => l.startsWith('IRP_MJ_DEVICE_CONTROL IRP 0xFFFFE0012B4C8010'))).toBeGreaterThan(incident);
    expect(r.stderr).toBe(`${CRASH}: verifier (found a Driver Verifier bugcheck), utf-8, 80 lines: 15 records from 44 lines, 36 noise, 0 skipped\n`);

    const kb = irpscope(['parse', KB], { NO_COLOR: '1' }).stdout.split('\n');
    expect(kb.filter((l) => /^ {5}\S/.test(l))).toHaveLength(12);
    expect(kb).toContain('  ... 20 more frames (--json for all)');
  });

  it('skipped lines: the first 20 with file:line and reason (control characters made visible), then how many more', () => {
    const dir = mkdtempSync(join(tmpdir(), 'irpscope-parse-human-'));
    const file = join(dir, 'noise.txt');
    writeFileSync(file, [readFileSync(CRASH, 'utf8'), ...Array.from({ length: 25 }, (_, i) => `stray \u001b[31mred\u001b[0m ${i}`)].join('\n'));
    const r = irpscope(['parse', file, '--format', 'windbg'], { NO_COLOR: '1' });
    expect(r.code).toBe(0);
    expect(r.stdout).not.toContain('\u001b');
    const first = readFileSync(CRASH, 'utf8').split('\n').length + 1;
    const out = r.stdout.split('\n');
    const at = out.indexOf('skipped lines (25):');
    expect(at).toBeGreaterThan(0);
    expect(out[at + 1]).toBe(`  ${file}:${first}: not a recognised debugger line: stray \\x1b[31mred\\x1b[0m 0`);
    expect(out[at + 21]).toBe('  ... 5 more (--json lists them all)');
    expect(out.slice(at + 22)).toEqual(['', '']);
  });
});
