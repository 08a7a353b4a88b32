import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ctlCode, decodeBugcheck, decodeIoctl, decodeNtStatus, lookup, splitIoctl } from '../src/index.js';
import { sortDecodings } from '../src/cli/decode-command.js';
import type { Decoding } from '../src/decode/lookup.js';

const u32 = fc.integer({ min: 0, max: 0xffffffff });

describe('decoder properties', () => {
  it('decoding then re-encoding the fields gives the code back, for every 32-bit value', () => {
    fc.assert(fc.property(u32, (code) => {
      const d = decodeIoctl(code);
      const again = ctlCode({ deviceType: d.deviceType.value, function: d.function.value, method: d.method.value, access: d.access.value });
      expect(again).toBe(code);
      expect(splitIoctl(code)).toEqual({ deviceType: d.deviceType.value, function: d.function.value, method: d.method.value, access: d.access.value });
      expect(d.code).toBe(`0x${code.toString(16).toUpperCase().padStart(8, '0')}`);
    }), { numRuns: 2000 });
  });

  it('the edge values round-trip too', () => {
    for (const code of [0, 1, 0x7fffffff, 0x80000000, 0xffffffff, 0x10000, 0xffff]) {
      const d = decodeIoctl(code);
      expect(ctlCode({ deviceType: d.deviceType.value, function: d.function.value, method: d.method.value, access: d.access.value })).toBe(code);
    }
  });

  it('no decoder throws on any 32-bit value, and every field stays in range', () => {
    fc.assert(fc.property(u32, fc.array(fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }), { maxLength: 4 }), (code, args) => {
      const s = decodeNtStatus(code);
      expect(s.severity.value).toBeGreaterThanOrEqual(0);
      expect(s.severity.value).toBeLessThanOrEqual(3);
      expect(s.facility.value).toBeLessThanOrEqual(0xfff);
      const b = decodeBugcheck(code, args);
      expect(b.parameters).toHaveLength(4);
      const i = decodeIoctl(code, { major: code & 0xff });
      expect(i.function.value).toBeLessThanOrEqual(0xfff);
    }), { numRuns: 1000 });
  });

  it('lookup never throws on any string: it decodes or gives a reason', () => {
    fc.assert(fc.property(fc.oneof(fc.string(), fc.string({ unit: 'grapheme' }), fc.stringMatching(/^(0x|0n)?[0-9a-fA-F`]{0,20}$/)), (text) => {
      const r = lookup(text);
      if (r.ok) expect(r.decoding.input).toBe(text);
      else expect(r.reason.length).toBeGreaterThan(0);
    }), { numRuns: 2000 });
  });

  it('a list sorted by device,function is ordered', () => {
    fc.assert(fc.property(fc.array(u32, { maxLength: 60 }), (codes) => {
      const decodings = codes.map((c) => ({ ...decodeIoctl(c), input: String(c), guess: null }) as Decoding);
      const sorted = sortDecodings(decodings, ['device', 'function']);
      expect(sorted).toHaveLength(codes.length);
      for (let k = 1; k < sorted.length; k++) {
        const a = sorted[k - 1]!;
        const b = sorted[k]!;
        if (a.kind !== 'ioctl' || b.kind !== 'ioctl') throw new Error('not an ioctl');
        const order = a.deviceType.value - b.deviceType.value || a.function.value - b.function.value;
        expect(order).toBeLessThanOrEqual(0);
      }
      expect(sorted.map((d) => d.value).sort()).toEqual([...codes].sort());
    }), { numRuns: 300 });
  });
});
