/** The decoding core as a library: `import { decodeIoctl, decodeNtStatus, decodeBugcheck } from 'irpscope'` from another package. */
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(fileURLToPath(new URL('..', import.meta.url)));

describe('irpscope as a dependency', () => {
  it('resolves through package.json exports, with types, from another package', () => {
    const consumer = mkdtempSync(join(tmpdir(), 'irpscope-consumer-'));
    mkdirSync(join(consumer, 'node_modules'));
    symlinkSync(root, join(consumer, 'node_modules', 'irpscope'), 'dir');
    writeFileSync(join(consumer, 'package.json'), JSON.stringify({ name: 'consumer', type: 'module', private: true }));
    writeFileSync(join(consumer, 'main.mjs'), [
      "import { decodeIoctl, decodeNtStatus, decodeBugcheck } from 'irpscope';",
      'const i = decodeIoctl(0x2d1400);',
      'const s = decodeNtStatus(0xc0000005);',
      'const b = decodeBugcheck(0xc9, [0x21fn, 0n, 0n, 0n]);',
      'console.log(JSON.stringify([i.names[0].name, s.names[0].name, b.names[0].name]));',
    ].join('\n'));
    const run = spawnSync(process.execPath, ['main.mjs'], { cwd: consumer, encoding: 'utf8' });
    expect(run.stderr).toBe('');
    expect(JSON.parse(run.stdout)).toEqual(['IOCTL_STORAGE_QUERY_PROPERTY', 'STATUS_ACCESS_VIOLATION', 'DRIVER_VERIFIER_IOMANAGER_VIOLATION']);
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { exports: { '.': { types: string } } };
    expect(existsSync(join(root, pkg.exports['.'].types))).toBe(true);
  });
});

