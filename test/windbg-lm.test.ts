/**
 * The lm v shape of the WinDbg parser (`lmvm`, `lm vm`, `lmDvm`): golden records over the fixtures in
 * test/fixtures/windbg/lm/ (built from the documented layout: no real lm output exists in the corpus, see
 * SOURCES.md there), damaged variants, and a property that the parser never throws and accounts for every line.
 */
import { readFileSync } from 'node:fs';
import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { parseText } from '../parsers/pipeline.js';
import type { ModuleVersion, ParsedRecord } from '../src/records/index.js';

const FIXTURES = 'test/fixtures/windbg/lm';
const fixture = (name: string): string => readFileSync(`${FIXTURES}/${name}`, 'utf8');

async function parse(text: string) {
  const result = await parseText(text, 'windbg');
  const account = result.summary.account;
  expect(account.recordLines + account.noiseLines + account.skippedLines).toBe(account.lines);
  expect(account.lines + account.markdownNoise).toBe(result.summary.lines);
  return result;
}

const modules = (records: readonly ParsedRecord[]): ModuleVersion[] => records.filter((r): r is ModuleVersion => r.type === 'moduleVersion');

describe('golden lm v fixtures', () => {
  for (const name of ['lmvm-deferred-x64.txt', 'lm-vm-kernel.txt', 'lmdvm-x86.txt']) {
    it(name, async () => {
      const { records, skipped } = await parse(fixture(name));
      expect(skipped).toEqual([]);
      expect(records).toEqual(JSON.parse(fixture(`${name}.expected.json`)));
    });
  }

  it('lmvm: the facts compare needs, by hand', async () => {
    const { records, summary } = await parse(fixture('lmvm-deferred-x64.txt'));
    expect(summary.account).toMatchObject({ lines: 26, records: 1, recordLines: 22, noiseLines: 4, skippedLines: 0 });
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({
      line: 4, module: 'winfsp_x64', imageName: 'winfsp-x64.sys', fileVersion: '1.5.19251.0', productVersion: '1.5.19251.0', start: '0xFFFFF8015A2B0000',
      end: '0xFFFFF8015A2F1000', checksum: '0x0004D3E2', imageSize: '0x00041000', timestampValue: '0x5D726B31', symbols: 'deferred', unloaded: false,
    });
    expect((records[0] as ModuleVersion).resources.FileVersion).toBe('1.5.19251');
  });

  it('lm vm: five entries at their module lines; the unloaded ones flagged; no line skipped', async () => {
    const { records } = await parse(fixture('lm-vm-kernel.txt'));
    expect(modules(records).map((m) => [m.line, m.module, m.symbols, m.fileVersion, m.unloaded])).toEqual([
      [4, 'nt', 'pdb symbols', '10.0.19041.1288', false],
      [29, 'winfsp_x64', 'export symbols', null, false],
      [39, 'mydrv', 'deferred', null, false],
      [50, 'dump_storport.sys', null, null, true],
      [54, 'dump_dumpfve.sys', null, null, true],
    ]);
    // The reproducible-build hash is read from the front of the line, a timestamp from its parentheses.
    expect(modules(records).map((m) => m.timestampValue)).toEqual(['0x9B1A1B9D', '0x5D726B31', '0xFFFFFFFE', '0x00000000', '0x00000000']);
  });

  it('lmDvm x86: 8-digit addresses zero-extended; resource strings without their header line', async () => {
    const { records } = await parse(fixture('lmdvm-x86.txt'));
    expect(records[0]).toMatchObject({ start: '0x000000008F5A1000', end: '0x000000008F5B9000', fileVersion: '0.11.0.372' });
    expect(Object.keys((records[0] as ModuleVersion).resources)).toEqual(['CompanyName', 'ProductName', 'InternalName', 'OriginalFilename', 'ProductVersion', 'FileVersion',
      'FileDescription', 'LegalCopyright']);
  });
});

describe('damaged lm v text', () => {
  const text = fixture('lmvm-deferred-x64.txt');

  it('CRLF line ends give the same records', async () => {
    const { records, skipped } = await parse(text.replace(/\n/g, '\r\n'));
    expect(skipped).toEqual([]);
    expect(records).toEqual(JSON.parse(fixture('lmvm-deferred-x64.txt.expected.json')));
  });

  it('a markdown quote (> on every line) gives the same records at the same lines', async () => {
    const quoted = text.split('\n').map((l) => (l === '' ? l : `> ${l}`)).join('\n');
    const { records, skipped } = await parse(quoted);
    expect(skipped).toEqual([]);
    expect(records).toEqual(JSON.parse(fixture('lmvm-deferred-x64.txt.expected.json')));
  });

  it('truncated after File version: the entry keeps what was printed, the rest is null', async () => {
    const cut = text.split('\n').slice(0, 11).join('\n');
    const { records, skipped } = await parse(cut);
    expect(skipped).toEqual([]);
    expect(records).toEqual([{
      type: 'moduleVersion', line: 4, module: 'winfsp_x64', start: '0xFFFFF8015A2B0000', end: '0xFFFFF8015A2F1000', symbols: 'deferred', symbolFile: null,
      loadedImageFile: null, mappedImageFile: null, imagePath: '\\SystemRoot\\system32\\drivers\\winfsp-x64.sys', imageName: 'winfsp-x64.sys',
      timestamp: 'Fri Sep  6 14:21:05 2019 (5D726B31)', timestampValue: '0x5D726B31', checksum: '0x0004D3E2', imageSize: '0x00041000', fileVersion: '1.5.19251.0',
      productVersion: null, fileFlags: null, fileOs: null, fileType: null, fileDate: null, translations: null, resources: {}, unloaded: false,
    }]);
  });

  it('a paste that starts below the module line: an entry without module or addresses, from Image path on', async () => {
    const tail = text.split('\n').slice(4).join('\n');
    const { records, skipped } = await parse(tail);
    expect(skipped).toEqual([]);
    expect(modules(records).map((m) => [m.line, m.module, m.start, m.imageName, m.fileVersion])).toEqual([[1, null, null, 'winfsp-x64.sys', '1.5.19251.0']]);
  });

  it('a value that is not what its field holds, and a field printed twice, are skipped with why; the entry stays', async () => {
    const broken = text.replace('    CheckSum:         0004D3E2', '    CheckSum:         0004D3E')
      .replace('    File version:     1.5.19251.0', '    File version:     1.5.19251.0\n    File version:     9.9.9.9');
    const { records, skipped } = await parse(broken);
    expect(skipped).toEqual([
      { line: 9, reason: 'CheckSum: expected 8 hex digits, got "0004D3E"', text: '    CheckSum:         0004D3E' },
      { line: 12, reason: 'a second "File version:" in one module entry', text: '    File version:     9.9.9.9' },
    ]);
    expect(modules(records).map((m) => [m.checksum, m.fileVersion])).toEqual([[null, '1.5.19251.0']]);
  });

  it('a stack row right after the list is not a module line: the block ends and the stack shape takes it', async () => {
    const withStack = `${text}ffffd000\`a1b2c3d0 fffff800\`1234abcd : 00000000\`000000c9 00000000\`00000007 fffff800\`12345678 ffffe001\`2b4c8010 : nt!KeBugCheckEx\n`;
    const { records, skipped } = await parse(withStack);
    expect(skipped).toEqual([]);
    expect(records.map((r) => r.type)).toEqual(['moduleVersion', 'frame']);
  });
});

describe('property: the lm parser never throws and accounts for every line', () => {
  const lines = fixture('lm-vm-kernel.txt').split('\n').concat(fixture('lmdvm-x86.txt').split('\n'));
  it('any selection, order and damage of lm lines', async () => {
    await fc.assert(fc.asyncProperty(
      fc.array(fc.oneof(
        fc.constantFrom(...lines),
        fc.constantFrom(...lines).map((l) => l.slice(0, Math.floor(l.length / 2))),
        fc.string({ maxLength: 40 }),
      ), { maxLength: 40 }),
      fc.constantFrom('\n', '\r\n'),
      async (picked, eol) => {
        const text = picked.join(eol);
        const result = await parseText(text, 'windbg');
        const a = result.summary.account;
        expect(a.recordLines + a.noiseLines + a.skippedLines).toBe(a.lines);
        // Every module record starts on a line of the input that is inside it.
        for (const m of modules(result.records)) expect(m.line).toBeGreaterThanOrEqual(1);
        for (const m of modules(result.records)) expect(m.line).toBeLessThanOrEqual(result.summary.lines);
      },
    ), { numRuns: 200, seed: 7 });
  });
});

describe('parse (human): one line per module entry', () => {
  it('image, file version (or why none), module, symbols and timestamp, at the module line', async () => {
    const { spawnSync } = await import('node:child_process');
    const r = spawnSync(process.execPath, ['dist/src/cli/main.js', 'parse', `${FIXTURES}/lm-vm-kernel.txt`], { encoding: 'utf8', env: { PATH: process.env.PATH ?? '' } });
    expect(r.status).toBe(0);
    expect(r.stdout).toBe([
      `== ${FIXTURES}/lm-vm-kernel.txt  windbg, utf-8`,
      '',
      '-- context',
      'module ntkrnlmp.exe 10.0.19041.1288 (nt, pdb symbols, timestamp 0x9B1A1B9D)  line 4',
      'module winfsp-x64.sys no file version (winfsp_x64, export symbols, timestamp 0x5D726B31)  line 29',
      'module mydrv.sys no file version (mydrv, deferred, timestamp 0xFFFFFFFE)  line 39',
      'module dump_storport.sys unloaded (dump_storport.sys, timestamp 0x00000000)  line 50',
      'module dump_dumpfve.sys unloaded (dump_dumpfve.sys, timestamp 0x00000000)  line 54',
      '',
      '',
    ].join('\n'));
  });
});
