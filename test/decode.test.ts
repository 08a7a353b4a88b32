import { describe, expect, it } from 'vitest';
import { decodeBugcheck, decodeIoctl, decodeNtStatus, lookup, CatalogNames, irpMinorNamesOf, irpMajorName } from '../src/index.js';
import { guessKind, parseNumber } from '../src/decode/lookup.js';

const names = (refs: readonly { name: string }[]): string[] => refs.map((r) => r.name);

describe('decodeIoctl', () => {
  it('decodes the seed example 0x222004 field by field', () => {
    const d = decodeIoctl(0x222004);
    expect(d.code).toBe('0x00222004');
    expect(d.deviceType.value).toBe(0x22);
    expect(names(d.deviceType.names)).toContain('FILE_DEVICE_UNKNOWN');
    expect(d.deviceType.range).toBe('microsoft');
    expect(d.deviceType.letter).toBeNull();
    expect(d.access.value).toBe(0);
    expect(names(d.access.names)).toEqual(['FILE_ANY_ACCESS', 'FILE_SPECIAL_ACCESS']);
    expect(d.function.value).toBe(0x801);
    expect(d.function.range).toBe('vendor');
    expect(d.method.value).toBe(0);
    expect(names(d.method.names)).toEqual(['METHOD_BUFFERED']);
    expect(d.names).toEqual([]);
    expect(d.note).toMatch(/^no known name/);
  });

  // Per value, the name most sources define comes first.
  it.each([
    [0x1b0004, ['IOCTL_SERIAL_SET_BAUD_RATE', 'IOCTL_SERIAL_INTERNAL_DO_WAIT_WAKE']],
    [0x220003, ['IOCTL_INTERNAL_USB_SUBMIT_URB', 'SMB_BUS_REQUEST']],
    [0x74818, ['IOCTL_DISK_FIND_NEW_DEVICES', 'IOCTL_TAPE_FIND_NEW_DEVICES']],
    [0x2400c, ['IOCTL_CDROM_PAUSE_AUDIO', 'IOCTL_CDROM_SIMBAD']],
  ])('shows every name of the collision %s', (code, expected) => {
    expect(names(decodeIoctl(code).names)).toEqual(expected);
  });

  it('keeps the sources of each name', () => {
    const baud = decodeIoctl(0x1b0004).names.find((n) => n.name === 'IOCTL_SERIAL_SET_BAUD_RATE')!;
    expect(baud.source).toBe('sdk:shared/ntddser.h');
    expect(baud.sources).toEqual(['sdk:shared/ntddser.h', 'mingw-w64:ntddser.h', 'wine:ddk/ntddser.h']);
    const smb = decodeIoctl(0x220003).names.find((n) => n.name === 'SMB_BUS_REQUEST')!;
    expect(smb.sources).toEqual(['mingw-w64:ddk/smbus.h']);
  });

  it('puts the names that fit the major first, and says why', () => {
    const d = decodeIoctl(0x1b0004, { major: 0x0f });
    expect(names(d.names)).toEqual(['IOCTL_SERIAL_INTERNAL_DO_WAIT_WAKE', 'IOCTL_SERIAL_SET_BAUD_RATE']);
    expect(d.major?.name).toBe('IRP_MJ_INTERNAL_DEVICE_CONTROL');
    expect(d.major?.note).toBe('sent with IRP_MJ_INTERNAL_DEVICE_CONTROL: IOCTL_SERIAL_INTERNAL_DO_WAIT_WAKE listed first, because names with INTERNAL_ are the ones sent between drivers');
    const external = decodeIoctl(0x1b0004, { major: 0x0e });
    expect(names(external.names)).toEqual(['IOCTL_SERIAL_SET_BAUD_RATE', 'IOCTL_SERIAL_INTERNAL_DO_WAIT_WAKE']);
  });

  it("shows an ASCII-letter device type as its letter ('V' volume IOCTLs)", () => {
    const d = decodeIoctl(0x560000);
    expect(d.deviceType.value).toBe(0x56);
    expect(d.deviceType.letter).toBe('V');
    expect(names(d.names)).toEqual(['IOCTL_VOLUME_GET_VOLUME_DISK_EXTENTS']);
    expect(decodeIoctl(0x4d0000).deviceType.letter).toBe('M');
    expect(decodeIoctl(0x6d0000).deviceType.letter).toBe('m');
  });

  it('decodes a vendor code: vendor device type and function, read and write access, METHOD_NEITHER', () => {
    const d = decodeIoctl(0xa000e00f);
    expect(d.deviceType).toMatchObject({ value: 0xa000, range: 'vendor', names: [] });
    expect(d.function).toMatchObject({ value: 0x803, range: 'vendor' });
    expect(d.access.value).toBe(3);
    expect(names(d.access.names)).toEqual(['FILE_READ_ACCESS | FILE_WRITE_ACCESS']);
    expect(names(d.method.names)).toEqual(['METHOD_NEITHER']);
    expect(d.names).toEqual([]);
  });

  it('decodes FSCTLs and IOCTLs known from real pastes', () => {
    expect(names(decodeIoctl(0x2d1400).names)).toEqual(['IOCTL_STORAGE_QUERY_PROPERTY']);
    expect(names(decodeIoctl(0x90240).names)).toEqual(['FSCTL_REQUEST_OPLOCK']);
    const unknown = decodeIoctl(0x1280ce); // !ioctldecode "Unknown IOCTL", FILE_DEVICE_NETWORK, OUT_DIRECT, WRITE, function 0x33
    expect(unknown.names).toEqual([]);
    expect(names(unknown.deviceType.names)).toEqual(['FILE_DEVICE_NETWORK']);
    expect(unknown.function.value).toBe(0x33);
    expect(names(unknown.method.names)).toEqual(['METHOD_OUT_DIRECT', 'METHOD_DIRECT_FROM_HARDWARE']);
    expect(names(unknown.access.names)).toEqual(['FILE_WRITE_ACCESS']);
  });

  it('marks a name the sources disagree on, never picking one silently', () => {
    const sdk = decodeIoctl(0x94264).names.find((n) => n.name === 'FSCTL_OFFLOAD_READ')!;
    expect(sdk.conflict).toEqual({ otherValues: ['0x00090264'] });
    const wine = decodeIoctl(0x90264).names.find((n) => n.name === 'FSCTL_OFFLOAD_READ')!;
    expect(wine.sources).toEqual(['wine:winioctl.h']);
    expect(wine.conflict).toEqual({ otherValues: ['0x00094264'] });
  });

  it('shows catalog names first, with file:line', () => {
    const catalog = new CatalogNames([{ kind: 'ioctl', name: 'IOCTL_MYDRV_START', value: 0x222004, file: '/src/mydrv.h', line: 12 }]);
    expect(decodeIoctl(0x222004, { catalog }).names).toEqual([
      { name: 'IOCTL_MYDRV_START', source: 'catalog:/src/mydrv.h:12', sources: ['catalog:/src/mydrv.h:12'] },
    ]);
  });
});

describe('decodeNtStatus', () => {
  it('decodes 0xC0000005 (error) and 0x80000005 (warning)', () => {
    const av = decodeNtStatus(0xc0000005);
    expect(av).toMatchObject({ code: '0xC0000005', customer: false, reserved: false, codeField: 5 });
    expect(av.severity).toEqual({ value: 3, name: 'STATUS_SEVERITY_ERROR', meaning: 'error: the call failed' });
    expect(names(av.names)).toEqual(['STATUS_ACCESS_VIOLATION']);
    expect(av.facility.value).toBe(0);
    const overflow = decodeNtStatus(0x80000005);
    expect(overflow.severity.name).toBe('STATUS_SEVERITY_WARNING');
    expect(names(overflow.names)).toEqual(['STATUS_BUFFER_OVERFLOW']);
  });

  it('names the facility and flags a customer status', () => {
    const rpc = decodeNtStatus(0xc0020001);
    expect(names(rpc.facility.names)).toEqual(['FACILITY_RPC_RUNTIME']);
    expect(names(rpc.names)).toEqual(['RPC_NT_INVALID_STRING_BINDING']);
    const vendor = decodeNtStatus(0xe0010001);
    expect(vendor.customer).toBe(true);
    expect(vendor.facility.names).toEqual([]);
    expect(vendor.note).toBe('no known name: the customer bit is set, so this is a vendor-defined status');
  });
});

describe('decodeBugcheck', () => {
  it('0xC9 sub-code 0x9 carries an IOCTL in Arg3, decoded', () => {
    const d = decodeBugcheck(0xc9, [0x9n, 0xffffe0012b4c8010n, 0x2d1400n, 0n]);
    expect(names(d.names)).toEqual(['DRIVER_VERIFIER_IOMANAGER_VIOLATION']);
    expect(d.cases).toEqual([{ argument: 1, value: '0x00000009', title: 'IoBuildDeviceIoControlRequest given a bad buffer' }]);
    const arg3 = d.parameters[2]!;
    expect(arg3.kind).toBe('ioctl');
    expect(arg3.value).toBe('0x00000000002D1400');
    expect(arg3.decoded?.kind).toBe('ioctl');
    expect(names(arg3.decoded && 'names' in arg3.decoded ? arg3.decoded.names : [])).toEqual(['IOCTL_STORAGE_QUERY_PROPERTY']);
    expect(d.parameters[1]!.value).toBe('0xFFFFE0012B4C8010');
  });

  it('follows nested cases (0x10D Arg1 0x6, Arg2 0x3)', () => {
    const d = decodeBugcheck(0x10d, [0x6n, 0x3n, 0x24f58130f798n, 0xffffdb0a7eaa3010n]);
    expect(d.cases.map((c) => [c.argument, c.value])).toEqual([[1, '0x00000006'], [2, '0x00000003']]);
    expect(names(d.names)).toEqual(['WDF_VIOLATION']);
  });

  it('decodes a sign-extended NTSTATUS argument (0x3B Arg1)', () => {
    const d = decodeBugcheck(0x3b, [0xc0000005n, 0xfffff80175cfc208n, 0xffffb386ac2ec150n, 0n]);
    expect(d.parameters[0]!.kind).toBe('ntstatus');
    const decoded = d.parameters[0]!.decoded;
    expect(decoded && 'names' in decoded ? names(decoded.names) : []).toEqual(['STATUS_ACCESS_VIOLATION']);
  });

  it('names 0xC4 and 0x139, which mingw-w64 alone lacks', () => {
    expect(decodeBugcheck(0xc4).names.map((n) => [n.name, n.source])).toEqual([['DRIVER_VERIFIER_DETECTED_VIOLATION', 'sdk:shared/bugcodes.h']]);
    expect(names(decodeBugcheck(0x139).names)).toEqual(['KERNEL_SECURITY_CHECK_FAILURE']);
  });

  it('shows general meanings when the sub-code matches no case, and says so', () => {
    const d = decodeBugcheck(0xc4, [0xdeadn, 0n, 0n, 0n]);
    expect(d.cases).toEqual([]);
    expect(d.note).toBe('the sub-code argument matches no documented case: the general meanings are shown');
  });
});

describe('IRP majors and minors', () => {
  it('names majors, including the filter pseudo major 0xFF', () => {
    expect(irpMajorName(0x0e)).toBe('IRP_MJ_DEVICE_CONTROL');
    expect(irpMajorName(0xff)).toBe('IRP_MJ_ACQUIRE_FOR_SECTION_SYNCHRONIZATION');
  });
  it('names minors only under their major', () => {
    expect(names(irpMinorNamesOf(0x1b, 0))).toEqual(['IRP_MN_START_DEVICE']);
    expect(names(irpMinorNamesOf(0x16, 0))).toEqual(['IRP_MN_WAIT_WAKE']);
    expect(irpMinorNamesOf(0x0e, 0)).toEqual([]);
  });
});

describe('lookup: input forms and the guess', () => {
  it('reads WinDbg number forms', () => {
    expect(parseNumber('0x222004')).toEqual({ ok: true, value: 0x222004n });
    expect(parseNumber('222004')).toEqual({ ok: true, value: 0x222004n });
    expect(parseNumber('0n2236420')).toEqual({ ok: true, value: 0x222004n });
    expect(parseNumber('ffffcf07`04d3caf0')).toEqual({ ok: true, value: 0xffffcf0704d3caf0n });
    expect(parseNumber('0xC0000005L')).toEqual({ ok: true, value: 0xc0000005n });
    expect(parseNumber('0x12g').ok).toBe(false);
  });

  it('looks names up in reverse', () => {
    const r = lookup('IOCTL_STORAGE_QUERY_PROPERTY');
    expect(r.ok && r.decoding.code).toBe('0x002D1400');
    expect(r.ok && r.decoding.guess).toBe('the name IOCTL_STORAGE_QUERY_PROPERTY is in the IOCTL table');
    const s = lookup('STATUS_INVALID_HANDLE');
    expect(s.ok && [s.decoding.kind, s.decoding.code]).toEqual(['ntstatus', '0xC0000008']);
    const u = lookup('IOCTL_NOPE');
    expect(u).toEqual({ ok: false, reason: 'unknown name "IOCTL_NOPE": no header in the tables and no catalog entry defines it' });
  });

  it('guesses the kind of a bare number and says why', () => {
    expect(guessKind(0xc9n).kind).toBe('bugcheck');
    expect(guessKind(0x222004n).kind).toBe('ioctl');
    expect(guessKind(0xc0000005n).kind).toBe('ntstatus');
    expect(guessKind(0xffffffffc0000008n)).toEqual({ kind: 'ntstatus', reason: 'a sign-extended 32-bit value, as WinDbg prints an NTSTATUS held in a 64-bit register' });
    const r = lookup('ffffffffc0000008');
    expect(r.ok && [r.decoding.kind, r.decoding.code]).toEqual(['ntstatus', '0xC0000008']);
  });

  it('refuses values that cannot be what was asked, with a reason', () => {
    expect(lookup('1ffffffff', { as: 'ioctl' })).toEqual({ ok: false, reason: '"1ffffffff" is wider than 32 bits: an IOCTL has 32 bits' });
  });
});
