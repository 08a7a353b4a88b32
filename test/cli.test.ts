/** Tests of the real CLI binary (dist/src/cli/main.js, built by `npm test` before vitest runs). */
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(fileURLToPath(new URL('..', import.meta.url)));
const bin = join(root, 'dist', 'src', 'cli', 'main.js');
const fixtures = join(root, 'test', 'fixtures', 'catalog');

function irpscope(args: string[], options: { input?: string | Buffer; env?: Record<string, string> } = {}) {
  const home = mkdtempSync(join(tmpdir(), 'irpscope-cli-'));
  const result = spawnSync(process.execPath, [bin, ...args], {
    input: options.input ?? '',
    env: { PATH: process.env.PATH ?? '', IRPSCOPE_HOME: home, ...options.env },
    encoding: 'utf8',
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('irpscope CLI', () => {
  it('was built (npm test builds first)', () => {
    expect(existsSync(bin)).toBe(true);
  });

  it('--help lists the commands with examples and exits 0', () => {
    const r = irpscope(['--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('decode');
    expect(r.stdout).toContain('catalog');
    expect(r.stdout).toContain('Examples:');
    const d = irpscope(['decode', '--help']);
    expect(d.code).toBe(0);
    expect(d.stdout).toContain('irpscope decode 0x222004');
    for (const sub of ['add', 'list', 'remove']) expect(irpscope(['catalog', sub, '--help']).stdout).toContain('Example:');
  });

  it('decode --json prints the documented shape', () => {
    const r = irpscope(['decode', '0x222004', 'c0000005', '--json']);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as Record<string, unknown>[];
    expect(out).toHaveLength(2);
    expect(out[0]).toMatchObject({
      input: '0x222004', kind: 'ioctl', code: '0x00222004', names: [],
      deviceType: { value: 0x22, range: 'microsoft', letter: null },
      function: { value: 0x801, names: [], range: 'vendor' },
      method: { value: 0 },
      access: { value: 0 },
    });
    expect(out[1]).toMatchObject({ input: 'c0000005', kind: 'ntstatus', code: '0xC0000005', customer: false, severity: { value: 3 } });
    expect((out[1]!.names as { name: string }[]).map((n) => n.name)).toEqual(['STATUS_ACCESS_VIOLATION']);
  });

  it('bugcheck with --args explains each parameter', () => {
    const r = irpscope(['decode', '--as', 'bugcheck', 'c9', '--args', '9', 'ffffe001`2b4c8010', '0x2d1400', '0', '--json']);
    expect(r.code).toBe(0);
    const [d] = JSON.parse(r.stdout) as { parameters: { kind: string; value: string; decoded: { names: { name: string }[] } | null }[] }[];
    expect(d!.parameters[1]!.value).toBe('0xFFFFE0012B4C8010');
    expect(d!.parameters[2]!.kind).toBe('ioctl');
    expect(d!.parameters[2]!.decoded!.names.map((n) => n.name)).toEqual(['IOCTL_STORAGE_QUERY_PROPERTY']);
  });

  it('bad input exits 2 and names the value', () => {
    const r = irpscope(['decode', '0x12zz']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('argument 1: 0x12zz');
    expect(r.stdout).toBe('');
    expect(irpscope(['decode', '--as', 'nonsense', '1']).code).toBe(2);
    expect(irpscope(['no-such-command']).code).toBe(2);
    expect(irpscope(['decode']).code).toBe(2);
  });

  it('--file names file:line on a bad line, reads comments, UTF-16 and CRLF', () => {
    const dir = mkdtempSync(join(tmpdir(), 'irpscope-codes-'));
    const good = join(dir, 'codes.txt');
    const text = '# codes from a ticket\r\n0x222004\r\n\r\nIOCTL_STORAGE_QUERY_PROPERTY // by name\r\n';
    writeFileSync(good, Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]));
    const r = irpscope(['decode', '--file', good, '--json']);
    expect(r.code).toBe(0);
    expect((JSON.parse(r.stdout) as { code: string }[]).map((d) => d.code)).toEqual(['0x00222004', '0x002D1400']);
    const bad = join(dir, 'bad.txt');
    writeFileSync(bad, '0x222004\n# fine\nnot-a-code!\n');
    const b = irpscope(['decode', '--file', bad]);
    expect(b.code).toBe(2);
    expect(b.stderr).toContain(`${bad}:3: not-a-code!`);
  });

  it('reads stdin', () => {
    const r = irpscope(['decode', '--json'], { input: '0x220003\n' });
    expect(r.code).toBe(0);
    expect((JSON.parse(r.stdout) as { names: { name: string }[] }[])[0]!.names.map((n) => n.name)).toEqual(['IOCTL_INTERNAL_USB_SUBMIT_URB', 'SMB_BUS_REQUEST']);
  });

  it('colour only when asked for, never with NO_COLOR, and input control characters are escaped', () => {
    expect(irpscope(['decode', '0x222004']).stdout).not.toContain('\u001b[');
    expect(irpscope(['decode', '0x222004'], { env: { FORCE_COLOR: '1' } }).stdout).toContain('\u001b[');
    expect(irpscope(['decode', '0x222004'], { env: { FORCE_COLOR: '1', NO_COLOR: '1' } }).stdout).not.toContain('\u001b[');
    const r = irpscope(['decode', '0x22\u001b[31m']);
    expect(r.code).toBe(2);
    expect(r.stderr).not.toContain('\u001b');
    expect(r.stderr).toContain('\\x1b');
  });

  it('sorts by device type then function', () => {
    const r = irpscope(['decode', '--as', 'ioctl', '2d1400', '1b0004', '220003', '1b0008', '--sort', 'device,function', '--json']);
    expect((JSON.parse(r.stdout) as { code: string }[]).map((d) => d.code)).toEqual(['0x001B0004', '0x001B0008', '0x00220003', '0x002D1400']);
    expect(irpscope(['decode', '1', '--sort', 'colour']).code).toBe(2);
  });

  it('start decodes the bundled samples', () => {
    const r = irpscope(['start']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('IOCTL_INTERNAL_USB_SUBMIT_URB');
    expect(r.stdout).toContain('DRIVER_VERIFIER_IOMANAGER_VIOLATION');
    expect(r.stdout).toContain('STATUS_INVALID_HANDLE');
  });
});

describe('irpscope catalog', () => {
  it('adds a team header, shows its names in decode, lists and removes them', () => {
    const dir = mkdtempSync(join(tmpdir(), 'irpscope-catalog-'));
    const catalog = join(dir, 'catalog.json');
    const env = { IRPSCOPE_CATALOG: catalog };
    const add = irpscope(['catalog', 'add', join(fixtures, 'mydrv_ioctl.h'), '--json'], { env });
    expect(add.code).toBe(0);
    const added = JSON.parse(add.stdout) as { headers: { entries: number; unresolvedIncludes: { target: string }[] }[] };
    expect(added.headers[0]!.entries).toBe(6);
    expect(added.headers[0]!.unresolvedIncludes.map((i) => i.target)).toEqual(['winioctl.h']);

    const list = JSON.parse(irpscope(['catalog', 'list', '--json'], { env }).stdout) as { headers: { entries: { kind: string; name: string; value: number; file: string; line: number }[] }[] };
    expect(list.headers[0]!.entries.map((e) => [e.kind, e.name, e.value.toString(16), e.file.split('/').pop(), e.line])).toEqual([
      ['deviceType', 'FILE_DEVICE_MYDRV', '8337', 'mydrv_base.h', 3],
      ['ioctl', 'IOCTL_MYDRV_GET_VERSION', '83372400', 'mydrv_ioctl.h', 7],
      ['ioctl', 'IOCTL_MYDRV_SET_CONFIG', '8337a404', 'mydrv_ioctl.h', 8],
      ['ioctl', 'IOCTL_MYDRV_READ_RAW', '8337240b', 'mydrv_ioctl.h', 9],
      ['ioctl', 'IOCTL_MYDRV_LEGACY', '222004', 'mydrv_ioctl.h', 11],
      ['ntstatus', 'STATUS_MYDRV_NOT_READY', 'e0010001', 'mydrv_ioctl.h', 13],
    ]);

    const decoded = JSON.parse(irpscope(['decode', '8337a404', 'IOCTL_MYDRV_READ_RAW', '--json'], { env }).stdout) as { names: { name: string; source: string }[]; deviceType: { names: { name: string }[] } }[];
    expect(decoded[0]!.names).toEqual([{ name: 'IOCTL_MYDRV_SET_CONFIG', source: `catalog:${join(fixtures, 'mydrv_ioctl.h')}:8`, sources: [`catalog:${join(fixtures, 'mydrv_ioctl.h')}:8`] }]);
    expect(decoded[0]!.deviceType.names.map((n) => n.name)).toEqual(['FILE_DEVICE_MYDRV']);
    expect(decoded[1]!.names.map((n) => n.name)).toEqual(['IOCTL_MYDRV_READ_RAW']);

    const remove = irpscope(['catalog', 'remove', join(fixtures, 'mydrv_ioctl.h')], { env });
    expect(remove.code).toBe(0);
    expect(remove.stdout).toBe('removed 6 names\n');
    expect(irpscope(['catalog', 'remove', 'IOCTL_NOT_THERE'], { env }).code).toBe(1);
  });

  it('a header that does not evaluate is reported with file:line and nothing in the catalog is lost', () => {
    const dir = mkdtempSync(join(tmpdir(), 'irpscope-catalog-'));
    const catalog = join(dir, 'catalog.json');
    const env = { IRPSCOPE_CATALOG: catalog };
    expect(irpscope(['catalog', 'add', join(fixtures, 'mydrv_ioctl.h')], { env }).code).toBe(0);
    const before = readFileSync(catalog, 'utf8');
    const r = irpscope(['catalog', 'add', join(fixtures, 'broken_ioctl.h')], { env });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`${join(fixtures, 'broken_ioctl.h')}:3: IOCTL_BROKEN_BAD does not evaluate: undefined identifier FILE_DEVICE_NOT_DEFINED_ANYWHERE`);
    expect(r.stderr).toContain('the catalog was not changed');
    expect(readFileSync(catalog, 'utf8')).toBe(before);
    expect(irpscope(['catalog', 'add', join(dir, 'missing.h')], { env }).code).toBe(1);
    expect(readFileSync(catalog, 'utf8')).toBe(before);
  });

  it('refuses a damaged catalog file without overwriting it', () => {
    const dir = mkdtempSync(join(tmpdir(), 'irpscope-catalog-'));
    const catalog = join(dir, 'catalog.json');
    writeFileSync(catalog, '{"version": 1, "headers": [');
    const r = irpscope(['catalog', 'add', join(fixtures, 'mydrv_ioctl.h')], { env: { IRPSCOPE_CATALOG: catalog } });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('the catalog is not valid JSON');
    expect(readFileSync(catalog, 'utf8')).toBe('{"version": 1, "headers": [');
  });
});

describe('pipes', () => {
  it('a reader that stops early ends the run quietly (no EPIPE trace)', () => {
    const r = spawnSync('sh', ['-c', `"${process.execPath}" "${bin}" --help | head -1; "${process.execPath}" "${bin}" decode --file "${join(root, 'samples', 'codes.txt')}" | head -2`], { encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(r.stdout.split('\n')[0]).toBe('Usage: irpscope [options] [command]');
  });
});
