import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MacroTable, type Evaluation, type IncludeRequest } from '../src/decode/cpp/index.js';

/** Shaped like winioctl.h / devioctl.h, including the continuation lines. */
const WINIOCTL = `
#ifndef _DEVIOCTL_
#define _DEVIOCTL_

#define FILE_DEVICE_DISK                0x00000007
#define FILE_DEVICE_KEYBOARD            0x0000000b
#define FILE_DEVICE_MASS_STORAGE        0x0000002d
#define FILE_DEVICE_PHYSICAL_NETCARD    0x00000017
#define FILE_DEVICE_SERIAL_PORT         0x0000001b
#define FILE_DEVICE_SMARTCARD           0x00000031
#define FILE_DEVICE_SOUND               0x0000001d
#define FILE_DEVICE_TRANSPORT           0x00000021
#define FILE_DEVICE_UNKNOWN             0x00000022
#define FILE_DEVICE_USB                 FILE_DEVICE_UNKNOWN

//
// Macro definition for defining IOCTL and FSCTL function control codes.
//
#define CTL_CODE( DeviceType, Function, Method, Access ) (                 \\
    ((DeviceType) << 16) | ((Access) << 14) | ((Function) << 2) | (Method) \\
)

#define DEVICE_TYPE_FROM_CTL_CODE(ctrlCode)     (((DWORD)(ctrlCode & 0xffff0000)) >> 16)

#define METHOD_BUFFERED                 0
#define METHOD_IN_DIRECT                1
#define METHOD_OUT_DIRECT               2
#define METHOD_NEITHER                  3

#define FILE_ANY_ACCESS                 0
#define FILE_SPECIAL_ACCESS    (FILE_ANY_ACCESS)
#define FILE_READ_ACCESS          ( 0x0001 )    // file & pipe
#define FILE_WRITE_ACCESS         ( 0x0002 )    // file & pipe

#endif // _DEVIOCTL_
`;

function tableWith(...headers: string[]): MacroTable {
  const table = new MacroTable();
  headers.forEach((text, index) => {
    const report = table.scan(`header${index}.h`, text);
    expect(report.problems).toEqual([]);
  });
  return table;
}

function valueOf(evaluation: Evaluation): bigint {
  if (!evaluation.ok) throw new Error(`expected a value, got failure: ${evaluation.reason}`);
  return evaluation.value;
}

function reasonOf(evaluation: Evaluation): string {
  if (evaluation.ok) throw new Error(`expected a failure, got ${evaluation.value}`);
  return evaluation.reason;
}

describe('CTL_CODE and its wrappers', () => {
  it('evaluates an IOCTL built with CTL_CODE and reports the CTL_CODE arguments', () => {
    const table = tableWith(
      WINIOCTL,
      '#define IOCTL_X CTL_CODE(FILE_DEVICE_UNKNOWN, 0x801, METHOD_BUFFERED, FILE_ANY_ACCESS)\n',
    );
    const evaluation = table.evaluate('IOCTL_X');
    expect(evaluation).toEqual({
      ok: true,
      value: 0x222004n,
      calls: [
        {
          macro: 'CTL_CODE',
          args: ['FILE_DEVICE_UNKNOWN', '0x801', 'METHOD_BUFFERED', 'FILE_ANY_ACCESS'],
          values: [0x22n, 0x801n, 0n, 0n],
        },
      ],
    });
  });

  it('evaluates real IOCTLs: storage, serial, FSCTL with a nested device type macro', () => {
    const table = tableWith(
      WINIOCTL,
      `
#define IOCTL_STORAGE_BASE FILE_DEVICE_MASS_STORAGE
#define IOCTL_STORAGE_QUERY_PROPERTY   CTL_CODE(IOCTL_STORAGE_BASE, 0x0500, METHOD_BUFFERED, FILE_ANY_ACCESS)
#define IOCTL_SERIAL_SET_BAUD_RATE      CTL_CODE(FILE_DEVICE_SERIAL_PORT, 1,METHOD_BUFFERED,FILE_ANY_ACCESS)
#define FILE_DEVICE_FILE_SYSTEM         0x00000009
#define FSCTL_REQUEST_OPLOCK                CTL_CODE(FILE_DEVICE_FILE_SYSTEM, 144, METHOD_BUFFERED, FILE_ANY_ACCESS)
#define IOCTL_DISK_SET_DRIVE_LAYOUT         CTL_CODE(IOCTL_DISK_BASE, 0x0004, METHOD_BUFFERED, FILE_READ_ACCESS | FILE_WRITE_ACCESS)
#define IOCTL_DISK_BASE                 FILE_DEVICE_DISK
`,
    );
    expect(valueOf(table.evaluate('IOCTL_STORAGE_QUERY_PROPERTY'))).toBe(0x2d1400n);
    expect(valueOf(table.evaluate('IOCTL_SERIAL_SET_BAUD_RATE'))).toBe(0x1b0004n);
    expect(valueOf(table.evaluate('FSCTL_REQUEST_OPLOCK'))).toBe(0x90240n);
    // IOCTL_DISK_BASE is defined after its use: macros are looked up when evaluated, not when defined.
    const layout = table.evaluate('IOCTL_DISK_SET_DRIVE_LAYOUT');
    expect(valueOf(layout)).toBe(0x7c010n);
    expect(layout.ok && layout.calls[0]?.args).toEqual(['IOCTL_DISK_BASE', '0x0004', 'METHOD_BUFFERED', 'FILE_READ_ACCESS | FILE_WRITE_ACCESS']);
    expect(layout.ok && layout.calls[0]?.values).toEqual([7n, 4n, 0n, 3n]);
  });

  it('follows wrapper macros and lists every call outermost first', () => {
    const table = tableWith(
      WINIOCTL,
      `
#define HID_CTL_CODE(id)    \\
    CTL_CODE(FILE_DEVICE_KEYBOARD, (id), METHOD_NEITHER, FILE_ANY_ACCESS)
#define IOCTL_HID_GET_DRIVER_CONFIG             HID_CTL_CODE(100)
`,
    );
    expect(table.evaluate('IOCTL_HID_GET_DRIVER_CONFIG')).toEqual({
      ok: true,
      value: 0xb0193n,
      calls: [
        { macro: 'HID_CTL_CODE', args: ['100'], values: [100n] },
        {
          macro: 'CTL_CODE',
          args: ['FILE_DEVICE_KEYBOARD', '(100)', 'METHOD_NEITHER', 'FILE_ANY_ACCESS'],
          values: [0xbn, 100n, 3n, 0n],
        },
      ],
    });
  });

  it('handles the NDIS, smart card, USB, TDI and sound wrapper styles', () => {
    const table = tableWith(
      WINIOCTL,
      `
#define _NDIS_CONTROL_CODE(request,method) \\
    CTL_CODE(FILE_DEVICE_PHYSICAL_NETCARD, request, method, FILE_ANY_ACCESS)
#define IOCTL_NDIS_QUERY_GLOBAL_STATS   _NDIS_CONTROL_CODE(0, METHOD_OUT_DIRECT)
#define SCARD_CTL_CODE(code)        CTL_CODE(FILE_DEVICE_SMARTCARD, \\
                                            (code), \\
                                            METHOD_BUFFERED, \\
                                            FILE_ANY_ACCESS)
#define IOCTL_SMARTCARD_POWER               SCARD_CTL_CODE( 1)
#define USB_CTL(id) CTL_CODE (FILE_DEVICE_USB,(id), METHOD_BUFFERED, FILE_ANY_ACCESS)
#define USB_GET_NODE_INFORMATION 258
#define IOCTL_USB_GET_NODE_INFORMATION USB_CTL(USB_GET_NODE_INFORMATION)
#define _TDI_CONTROL_CODE(request,method) \\
            CTL_CODE(FILE_DEVICE_TRANSPORT, request, method, FILE_ANY_ACCESS)
#define IOCTL_TDI_ACCEPT                _TDI_CONTROL_CODE( 0, METHOD_BUFFERED )
#define IOCTL_WAVE_BASE 0x0000
#define WAVE_CTL_CODE(subcode, iomethod, access) \\
    CTL_CODE(FILE_DEVICE_SOUND, IOCTL_WAVE_BASE + subcode, iomethod, access)
#define IOCTL_WAVE_SET_VOLUME WAVE_CTL_CODE(0x0007, METHOD_BUFFERED, FILE_WRITE_ACCESS)
`,
    );
    expect(valueOf(table.evaluate('IOCTL_NDIS_QUERY_GLOBAL_STATS'))).toBe(0x170002n);
    expect(valueOf(table.evaluate('IOCTL_SMARTCARD_POWER'))).toBe(0x310004n);
    const usb = table.evaluate('IOCTL_USB_GET_NODE_INFORMATION');
    expect(valueOf(usb)).toBe(0x220408n);
    expect(usb.ok && usb.calls.map((call) => [call.macro, call.args])).toEqual([
      ['USB_CTL', ['USB_GET_NODE_INFORMATION']],
      ['CTL_CODE', ['FILE_DEVICE_USB', '(258)', 'METHOD_BUFFERED', 'FILE_ANY_ACCESS']],
    ]);
    expect(valueOf(table.evaluate('IOCTL_TDI_ACCEPT'))).toBe(0x210000n);
    const wave = table.evaluate('IOCTL_WAVE_SET_VOLUME');
    expect(valueOf(wave)).toBe(0x1d801cn);
    expect(wave.ok && wave.calls[1]?.args[1]).toBe('IOCTL_WAVE_BASE + 0x0007');
    expect(wave.ok && wave.calls[1]?.values[1]).toBe(7n);
  });

  it('takes a character constant as the device type', () => {
    const table = tableWith(WINIOCTL, "#define IOCTL_VIDEO_X CTL_CODE('V', 1, 0, 0)\n");
    const evaluation = table.evaluate('IOCTL_VIDEO_X');
    expect(valueOf(evaluation)).toBe(0x560004n);
    expect(evaluation.ok && evaluation.calls[0]?.values).toEqual([0x56n, 1n, 0n, 0n]);
  });

  it('evaluates arbitrary expression text against the table', () => {
    const table = tableWith(WINIOCTL);
    expect(valueOf(table.evaluateExpression('CTL_CODE(0x22, 0x801, 0, 0)'))).toBe(0x222004n);
    expect(valueOf(table.evaluateExpression('DEVICE_TYPE_FROM_CTL_CODE(0x2d1400)'))).toBe(0x2dn);
    expect(reasonOf(table.evaluateExpression('CTL_CODE(1, 2, 3)'))).toBe(
      'not a constant expression: macro CTL_CODE expects 4 arguments, got 3',
    );
    expect(reasonOf(table.evaluateExpression('CTL_CODE(1, 2, 3, 4'))).toBe(
      'not a constant expression: unterminated call of macro CTL_CODE',
    );
  });
});

describe('status and bugcheck codes', () => {
  const NTSTATUS_HEADER = `
#define STATUS_ACCESS_VIOLATION          ((NTSTATUS)0xC0000005L)    // winnt
#define STATUS_SUCCESS                   ((NTSTATUS)0x00000000L) // ntsubauth
#define STATUS_PENDING                   ((NTSTATUS)0x00000103L)    // winnt
#define DRIVER_IRQL_NOT_LESS_OR_EQUAL    ((ULONG)0x000000D1L)
#define _HRESULT_TYPEDEF_(_sc) ((HRESULT)_sc)
#define E_UNEXPECTED                     _HRESULT_TYPEDEF_(0x8000FFFFL)
#define _NDIS_ERROR_TYPEDEF_(_x) (_x)
#define NDIS_ERROR_CODE_RESOURCE_CONFLICT       _NDIS_ERROR_TYPEDEF_(0xC0001080L)
#define MAKE_HRESULT(sev,fac,code) \\
    ((HRESULT) (((unsigned long)(sev)<<31) | ((unsigned long)(fac)<<16) | ((unsigned long)(code))) )
#define E_MADE MAKE_HRESULT(1, 7, 5)
`;

  it('gives the signed value after a signed 32-bit cast; callers mask to get the 32-bit code', () => {
    const table = tableWith(NTSTATUS_HEADER);
    // value is the C value of ((NTSTATUS)0xC0000005L): NTSTATUS is a signed 32-bit LONG.
    const value = valueOf(table.evaluate('STATUS_ACCESS_VIOLATION'));
    expect(value).toBe(-1073741819n);
    expect(value & 0xffffffffn).toBe(0xc0000005n);
    expect(valueOf(table.evaluate('STATUS_PENDING'))).toBe(0x103n);
    expect(valueOf(table.evaluate('DRIVER_IRQL_NOT_LESS_OR_EQUAL'))).toBe(0xd1n);
  });

  it('evaluates HRESULT and NDIS typedef macros like any other macro', () => {
    const table = tableWith(NTSTATUS_HEADER);
    expect(valueOf(table.evaluate('E_UNEXPECTED'))).toBe(-2147418113n);
    expect(valueOf(table.evaluate('E_UNEXPECTED')) & 0xffffffffn).toBe(0x8000ffffn);
    expect(valueOf(table.evaluate('NDIS_ERROR_CODE_RESOURCE_CONFLICT'))).toBe(0xc0001080n);
    expect(valueOf(table.evaluate('E_MADE')) & 0xffffffffn).toBe(0x80070005n);
  });
});

describe('scanning', () => {
  it('joins CRLF continuation lines, tolerating blanks after the backslash', () => {
    const text = [
      '#define FILE_DEVICE_UNKNOWN 0x22',
      '#define CTL_CODE( DeviceType, Function, Method, Access ) (   \\  ',
      '    ((DeviceType) << 16) | ((Access) << 14) | ((Function) << 2) | (Method) \\',
      ')',
      '#define IOCTL_CRLF \\\t',
      '   CTL_CODE(FILE_DEVICE_UNKNOWN, 0x802, 0, 0)',
      '#define AFTER 1',
      '',
    ].join('\r\n');
    const table = tableWith(text);
    expect(valueOf(table.evaluate('IOCTL_CRLF'))).toBe(0x222008n);
    expect(table.lookup('CTL_CODE')?.body).toBe(
      '( ((DeviceType) << 16) | ((Access) << 14) | ((Function) << 2) | (Method) )',
    );
    expect(table.lookup('IOCTL_CRLF')).toMatchObject({ line: 5, body: 'CTL_CODE(FILE_DEVICE_UNKNOWN, 0x802, 0, 0)' });
    expect(table.lookup('AFTER')?.line).toBe(7);
  });

  it('removes comments inside directives, including multi-line ones, and keeps line numbers physical', () => {
    const table = tableWith(`/* file
   header */
#define A /* inline */ 0x10 // trailing
#define B 0x20 /* a comment that
   continues on the next line */ + 1
  /* before the hash */ #  define C (A|B)
#define S "not // a comment /* either */"
int x = 1; /* a comment hiding
#define HIDDEN 1
*/
#define D '/' // a slash character
`);
    expect(table.lookup('A')).toMatchObject({ body: '0x10', line: 3 });
    expect(table.lookup('B')).toMatchObject({ body: '0x20 + 1', line: 4 });
    expect(valueOf(table.evaluate('C'))).toBe(0x31n);
    expect(table.lookup('C')?.line).toBe(6);
    expect(table.lookup('S')?.body).toBe('"not // a comment /* either */"');
    expect(table.lookup('HIDDEN')).toBeUndefined();
    expect(valueOf(table.evaluate('D'))).toBe(0x2fn);
  });

  it('scans every branch of conditionals, so the last definition read wins', () => {
    const table = tableWith(`
#ifndef _GUARD_H_
#define _GUARD_H_
#if 0
#define ONLY_IN_IF_0 0x123
#define BOTH 1
#elif defined(_WIN64)
#define BOTH 2
#else
#define BOTH 3
#endif
#  pragma once
#error this header is only for drivers
#pragma warning(disable: 4201)
#endif
`);
    expect(valueOf(table.evaluate('ONLY_IN_IF_0'))).toBe(0x123n);
    expect(valueOf(table.evaluate('BOTH'))).toBe(3n);
    expect(table.definitions().filter((definition) => definition.name === 'BOTH').map((definition) => definition.body)).toEqual([
      '1',
      '2',
      '3',
    ]);
  });

  it('honours #undef in order and keeps every definition in definitions()', () => {
    const table = tableWith(`
#define LIMIT 10
#define DOUBLE_LIMIT (LIMIT * 2)
#undef LIMIT
#define GONE 1
#undef GONE
#define LIMIT 20
`);
    expect(valueOf(table.evaluate('DOUBLE_LIMIT'))).toBe(40n);
    expect(table.lookup('GONE')).toBeUndefined();
    expect(reasonOf(table.evaluate('GONE'))).toBe('undefined identifier GONE');
    const limits = table.definitions().filter((definition) => definition.name === 'LIMIT');
    expect(limits.map((definition) => [definition.body, definition.line])).toEqual([
      ['10', 2],
      ['20', 7],
    ]);
    const [older] = limits;
    expect(older && valueOf(table.evaluateDefinition(older))).toBe(10n);
    expect(table.definitions().map((definition) => definition.name)).toEqual(['LIMIT', 'DOUBLE_LIMIT', 'GONE', 'LIMIT']);
  });

  it('records parameters, variadic-ness and the file of each definition', () => {
    const table = new MacroTable();
    table.scan('mine.h', '#define F(a, b) a\n#define V(fmt, ...) fmt\n#define G(x, rest...) x\n#define O (1)\n#define N() 7\n');
    expect(table.lookup('F')).toEqual({ name: 'F', params: ['a', 'b'], variadic: false, body: 'a', file: 'mine.h', line: 1 });
    expect(table.lookup('V')).toMatchObject({ params: ['fmt', '__VA_ARGS__'], variadic: true });
    expect(table.lookup('G')).toMatchObject({ params: ['x', 'rest'], variadic: true });
    expect(table.lookup('O')).toMatchObject({ params: null, body: '(1)' });
    expect(table.lookup('N')).toMatchObject({ params: [], body: '7' });
    expect(valueOf(table.evaluateExpression('N()'))).toBe(7n);
  });

  it('reports problems and keeps scanning', () => {
    const table = new MacroTable();
    const report = table.scan(
      'broken.h',
      `#endif
#define
#define 9BAD 1
#define F(a, 1) a
#define GOOD 1
#if X
#else
#else
#bogus
#if Y
/* never closed`,
    );
    expect(report.problems).toEqual([
      { file: 'broken.h', line: 11, reason: 'unterminated comment' },
      { file: 'broken.h', line: 1, reason: '#endif without #if' },
      { file: 'broken.h', line: 2, reason: 'malformed #define: missing macro name' },
      { file: 'broken.h', line: 3, reason: 'malformed #define: missing macro name' },
      { file: 'broken.h', line: 4, reason: 'malformed #define F: bad parameter "1"' },
      { file: 'broken.h', line: 8, reason: '#else after #else' },
      { file: 'broken.h', line: 9, reason: 'unknown directive #bogus' },
      { file: 'broken.h', line: 6, reason: 'unterminated conditional (#if without #endif)' },
      { file: 'broken.h', line: 10, reason: 'unterminated conditional (#if without #endif)' },
    ]);
    expect(report.definitions).toBe(1);
    expect(valueOf(table.evaluate('GOOD'))).toBe(1n);
  });

  it('follows #include "x.h" through resolveInclude once per file and records unresolved ones', () => {
    const files: Record<string, string> = {
      'drv/sub.h': '#include "main.h"\n#define SUB_BASE 0x800\n#include "missing.h"\n',
      'drv/main.h': '#define MAIN_AGAIN 1\n',
    };
    const requests: IncludeRequest[] = [];
    const table = new MacroTable();
    const report = table.scan(
      'drv/main.h',
      `#include <windows.h>
#include "sub.h"
#  include "sub.h"
#define IOCTL_MINE CTL_CODE(0x8000, SUB_BASE + 1, 0, 0)
#define CTL_CODE(t, f, m, a) (((t) << 16) | ((a) << 14) | ((f) << 2) | (m))
`,
      {
        resolveInclude: (request) => {
          requests.push(request);
          if (request.angled) return null;
          const file = `drv/${request.target}`;
          const text = files[file];
          return text === undefined ? null : { file, text };
        },
      },
    );
    expect(requests).toEqual([
      { target: 'windows.h', angled: true, from: 'drv/main.h' },
      { target: 'sub.h', angled: false, from: 'drv/main.h' },
      { target: 'main.h', angled: false, from: 'drv/sub.h' },
      { target: 'missing.h', angled: false, from: 'drv/sub.h' },
      { target: 'sub.h', angled: false, from: 'drv/main.h' },
    ]);
    expect(report).toEqual({
      file: 'drv/main.h',
      definitions: 3,
      unresolvedIncludes: [
        { target: 'windows.h', line: 1, file: 'drv/main.h' },
        { target: 'missing.h', line: 3, file: 'drv/sub.h' },
      ],
      problems: [],
    });
    expect(table.lookup('SUB_BASE')?.file).toBe('drv/sub.h');
    expect(table.lookup('MAIN_AGAIN')).toBeUndefined(); // main.h was already being scanned: no cycle
    expect(valueOf(table.evaluate('IOCTL_MINE'))).toBe(0x80002004n);
  });

  it('records every include as unresolved when there is no resolver, and expands macro includes', () => {
    const table = new MacroTable();
    const report = table.scan('a.h', '#define HDR "b.h"\n#include HDR\n#include <ntddk.h>\n#include nonsense\n');
    expect(report.unresolvedIncludes).toEqual([
      { target: 'b.h', line: 2, file: 'a.h' },
      { target: 'ntddk.h', line: 3, file: 'a.h' },
    ]);
    expect(report.problems).toEqual([{ file: 'a.h', line: 4, reason: 'malformed #include nonsense' }]);
  });
});

describe('macro expansion', () => {
  it('pastes tokens with ## and rescans the result', () => {
    const table = tableWith(
      WINIOCTL,
      `
#define IOCTL_FOO CTL_CODE(FILE_DEVICE_UNKNOWN, 0x900, METHOD_BUFFERED, FILE_ANY_ACCESS)
#define MK(a) IOCTL_##a
#define PASTED MK(FOO)
#define GLUE(a, b) a ## b
#define HEX GLUE(0x, 1F)
#define EMPTY_LEFT GLUE(, 42)
`,
    );
    const pasted = table.evaluate('PASTED');
    expect(valueOf(pasted)).toBe(0x222400n);
    expect(pasted.ok && pasted.calls.map((call) => call.macro)).toEqual(['MK', 'CTL_CODE']);
    expect(pasted.ok && pasted.calls[0]?.values).toEqual([null]); // FOO alone is not a constant
    expect(valueOf(table.evaluate('HEX'))).toBe(0x1fn);
    expect(valueOf(table.evaluate('EMPTY_LEFT'))).toBe(42n);
    expect(table.expand('MK(FOO)')).toBe('( ((0x00000022) << 16) | ((0) << 14) | ((0x900) << 2) | (0) )');
  });

  it('stringizes with # and treats strings as non-numbers', () => {
    const table = tableWith(`
#define STR(x) #x
#define XSTR(x) STR(x)
#define VALUE 0x10
#define NAME STR(VALUE)
#define WIDE L"device"
#define SIG "SCSIDISK"
`);
    expect(table.expand('STR(VALUE)')).toBe('"VALUE"');
    expect(table.expand('XSTR(VALUE)')).toBe('"0x10"');
    expect(table.expand('STR( a  "q\\"" \'c\' )')).toBe('"a \\"q\\\\\\"\\" \'c\'"');
    expect(reasonOf(table.evaluate('NAME'))).toBe('string literal');
    expect(reasonOf(table.evaluate('WIDE'))).toBe('string literal');
    expect(reasonOf(table.evaluate('SIG'))).toBe('string literal');
  });

  it('expands arguments fully before substitution, except operands of # and ##', () => {
    const table = tableWith(`
#define ONE 1
#define ID(x) x
#define PASTE_ONE(x) x ## ONE
#define TWICE(x) (ID(x) + ID(x))
#define xONE 5
`);
    expect(valueOf(table.evaluateExpression('TWICE(ONE)'))).toBe(2n);
    expect(valueOf(table.evaluateExpression('PASTE_ONE(x)'))).toBe(5n);
    expect(table.evaluateExpression('ID(ID(ONE))')).toEqual({
      ok: true,
      value: 1n,
      calls: [
        { macro: 'ID', args: ['ID(ONE)'], values: [1n] },
        { macro: 'ID', args: ['ONE'], values: [1n] },
      ],
    });
  });

  it('passes parenthesised commas inside one argument and supports __VA_ARGS__', () => {
    const table = tableWith(`
#define FIRST(a, b) (a)
#define ADD3(...) ADD3_(__VA_ARGS__)
#define ADD3_(a, b, c) ((a) + (b) + (c))
#define COUNT_ARGS(fmt, ...) (fmt, ##__VA_ARGS__)
#define OPT(x, ...) (x __VA_OPT__(+ __VA_ARGS__))
`);
    expect(valueOf(table.evaluateExpression('FIRST((1, 2), 3)'))).toBe(2n);
    expect(valueOf(table.evaluateExpression('ADD3(1, (2, 2), 3)'))).toBe(6n);
    expect(table.expand('COUNT_ARGS(7)')).toBe('(7)');
    expect(table.expand('COUNT_ARGS(7, 8, 9)')).toBe('(7, 8, 9)');
    expect(valueOf(table.evaluateExpression('OPT(1)'))).toBe(1n);
    expect(valueOf(table.evaluateExpression('OPT(1, 2)'))).toBe(3n);
  });

  it('lets a macro body end in a function-like name whose arguments follow in the text', () => {
    const table = tableWith(
      WINIOCTL,
      `
#define MY_CTL CTL_CODE
#define IOCTL_SPAN MY_CTL(FILE_DEVICE_UNKNOWN, 0x803, METHOD_NEITHER, FILE_ANY_ACCESS)
#define OPEN_CALL CTL_CODE(FILE_DEVICE_UNKNOWN,
#define IOCTL_OPEN OPEN_CALL 0x804, METHOD_BUFFERED, FILE_ANY_ACCESS)
`,
    );
    expect(valueOf(table.evaluate('IOCTL_SPAN'))).toBe(0x22200fn);
    expect(valueOf(table.evaluate('IOCTL_OPEN'))).toBe(0x222010n);
  });

  it('leaves a function-like macro name without ( alone', () => {
    const table = tableWith(WINIOCTL, '#define ALIAS CTL_CODE\n#define USES_NAME (CTL_CODE + 1)\n');
    expect(table.expand('CTL_CODE + 1')).toBe('CTL_CODE + 1');
    expect(reasonOf(table.evaluate('USES_NAME'))).toBe('function-like macro CTL_CODE used without arguments');
    expect(reasonOf(table.evaluate('ALIAS'))).toBe('function-like macro CTL_CODE used without arguments');
    expect(reasonOf(table.evaluate('CTL_CODE'))).toBe('function-like macro CTL_CODE needs arguments');
  });

  it('does not re-expand a macro inside its own expansion, and fails recursive macros cleanly', () => {
    const table = tableWith(`
#define SELF (SELF + 1)
#define PING PONG
#define PONG (PING)
#define f(x) (x + f(x))
#define USES_F f(2)
#define foo foo
`);
    expect(table.expand('SELF')).toBe('(SELF + 1)');
    expect(reasonOf(table.evaluate('SELF'))).toBe('recursive macro SELF');
    expect(reasonOf(table.evaluate('PING'))).toBe('recursive macro PING');
    expect(table.expand('USES_F')).toBe('(2 + f(2))');
    expect(reasonOf(table.evaluate('USES_F'))).toBe('recursive macro f');
    expect(reasonOf(table.evaluate('foo'))).toBe('recursive macro foo');
  });

  it('gives up on runaway expansions instead of hanging', () => {
    const lines = ['#define X0 1'];
    for (let level = 1; level <= 40; level++) lines.push(`#define X${level} (X${level - 1} + X${level - 1})`);
    const table = tableWith(lines.join('\n'));
    expect(valueOf(table.evaluate('X10'))).toBe(1024n);
    expect(reasonOf(table.evaluate('X40'))).toBe('not a constant expression: expansion too large');
  });

  it('resolves defined(X) and defined X without expanding X', () => {
    const table = new MacroTable({ _WIN64: '1' });
    table.scan('d.h', '#define HAS_BOTH (defined(_WIN64) && defined NOT_THERE)\n#define IS_64 defined _WIN64\n');
    expect(valueOf(table.evaluate('HAS_BOTH'))).toBe(0n);
    expect(valueOf(table.evaluate('IS_64'))).toBe(1n);
    expect(table.expand('defined(_WIN64) + _WIN64')).toBe('defined(_WIN64) + 1');
    expect(table.lookup('_WIN64')).toMatchObject({ name: '_WIN64', body: '1', file: '<predefined>' });
    expect(table.definitions().map((definition) => definition.name)).toEqual(['HAS_BOTH', 'IS_64']);
  });
});

describe('integer constant expressions', () => {
  const table = new MacroTable();
  const value = (text: string): bigint => valueOf(table.evaluateExpression(text));

  it('reads decimal, hex, octal and binary literals with every suffix', () => {
    expect(value('100')).toBe(100n);
    expect(value('0x1F')).toBe(31n);
    expect(value('0X1f')).toBe(31n);
    expect(value('017')).toBe(15n);
    expect(value('0')).toBe(0n);
    expect(value('0b101')).toBe(5n);
    for (const suffix of ['u', 'U', 'l', 'L', 'ul', 'UL', 'lu', 'll', 'LL', 'ull', 'ULL', 'i64', 'ui64', 'I64', 'Ui64']) {
      expect(value(`0x10${suffix}`)).toBe(16n);
    }
    expect(value('0xFFFFFFFFFFFFFFFF')).toBe(0xffffffffffffffffn);
    expect(value('18446744073709551615ull')).toBe(0xffffffffffffffffn);
    expect(reasonOf(table.evaluateExpression('1.5f'))).toBe('not a constant expression: floating-point literal 1.5f');
    expect(reasonOf(table.evaluateExpression('08'))).toBe('not a constant expression: invalid number 08');
    expect(reasonOf(table.evaluateExpression('0x1G'))).toBe('not a constant expression: invalid number 0x1G');
  });

  it('reads character constants', () => {
    expect(value("'V'")).toBe(0x56n);
    expect(value("'m'")).toBe(0x6dn);
    expect(value("'\\0'")).toBe(0n);
    expect(value("'\\x41'")).toBe(0x41n);
    expect(value("'\\''")).toBe(0x27n);
    expect(value("'\\n'")).toBe(10n);
    expect(value("'\\101'")).toBe(0x41n);
    expect(value("'ab'")).toBe(0x6162n);
    expect(value("'ABCD'")).toBe(0x41424344n);
    expect(value("L'x'")).toBe(0x78n);
    expect(value("'\\xFF'")).toBe(-1n); // plain char is signed with MSVC and GCC on x86
  });

  it('applies C precedence, associativity and every operator', () => {
    expect(value('1 + 2 * 3')).toBe(7n);
    expect(value('(1 + 2) * 3')).toBe(9n);
    expect(value('10 - 4 - 3')).toBe(3n);
    expect(value('1 << 4 | 1')).toBe(17n);
    expect(value('7 / 2')).toBe(3n);
    expect(value('-7 / 2')).toBe(-3n);
    expect(value('-7 % 3')).toBe(-1n);
    expect(value('~0')).toBe(-1n);
    expect(value('!5 + !0')).toBe(1n);
    expect(value('+-3')).toBe(-3n);
    expect(value('6 & 3 ^ 1')).toBe(3n);
    expect(value('1 < 2 == 1')).toBe(1n);
    expect(value('3 >= 3 && 2 != 2 || 4 <= 3')).toBe(0n);
    expect(value('0 ? 1 : 2 ? 3 : 4')).toBe(3n);
    expect(value('(1, 2, 3)')).toBe(3n);
    expect(value('0 && 1 / 0')).toBe(0n);
    expect(value('1 || UNKNOWN')).toBe(1n);
    expect(value('-1 < 0u')).toBe(0n); // -1 converts to uintmax_t
    expect(value('-1 >> 4')).toBe(-1n);
    expect(value('0xFFFFFFFFFFFFFFFF + 1')).toBe(0n);
    expect(value('0x7FFFFFFFFFFFFFFF + 1')).toBe(-0x8000000000000000n);
  });

  it('applies the width and signedness of cast types', () => {
    expect(value('(ULONG)-1')).toBe(0xffffffffn);
    expect(value('(DWORD)0x123456789')).toBe(0x23456789n);
    expect(value('(LONG)0xFFFFFFFF')).toBe(-1n);
    expect(value('(HRESULT)0x80004005L')).toBe(-2147467259n);
    expect(value('(UINT)-2')).toBe(0xfffffffen);
    expect(value('(USHORT)0x12345')).toBe(0x2345n);
    expect(value('(WORD)-1')).toBe(0xffffn);
    expect(value('(UCHAR)0x1FF')).toBe(0xffn);
    expect(value('(BYTE)-1')).toBe(0xffn);
    expect(value('(ULONG_PTR)-1')).toBe(0xffffffffffffffffn);
    expect(value('(unsigned long)-1')).toBe(0xffffffffn);
    expect(value('(unsigned int)-1')).toBe(0xffffffffn);
    expect(value('(int)0x80000000')).toBe(-0x80000000n);
    expect(value('(long)0xFFFFFFFF')).toBe(-1n);
    expect(value('(DWORD64)-1')).toBe(0xffffffffffffffffn);
    expect(value('(ULONG64)1 << 40')).toBe(0x10000000000n);
    expect(value('(ULONGLONG)-1')).toBe(0xffffffffffffffffn);
    expect(value('(unsigned __int64)-1')).toBe(0xffffffffffffffffn);
    expect(value('(HANDLE)(LONG_PTR)-1')).toBe(0xffffffffffffffffn);
    expect(value('(HKEY)(ULONG_PTR)((LONG)0x80000002)')).toBe(0xffffffff80000002n);
    expect(value('(void *)0')).toBe(0n);
    expect(value('(const char *)16')).toBe(16n);
    expect(value('static_cast<ULONG>(-1)')).toBe(0xffffffffn);
    // A parenthesised non-macro identifier followed by an operand is a cast to a type we do not know: no-op.
    expect(value('(MY_DRIVER_CODE)0x1234')).toBe(0x1234n);
    expect(value('(MY_DRIVER_CODE)(0x20 | 1)')).toBe(0x21n);
    expect(reasonOf(table.evaluateExpression('(MY_VALUE) - 1'))).toBe('undefined identifier MY_VALUE');
    // Wine's wintab.h has `#define INT(x) HIWORD(x)`; `(INT)` without arguments is still the typedef.
    const wintab = new MacroTable();
    wintab.scan('wintab.h', '#define INT(x) HIWORD(x)\n#define SIZE ((INT)0x80000000)\n');
    expect(valueOf(wintab.evaluate('SIZE'))).toBe(-0x80000000n);
    expect(reasonOf(table.evaluateExpression('(struct _S)0'))).toBe('not a constant expression: cast to struct _S');
    expect(reasonOf(table.evaluateExpression('(double)1'))).toBe('not a constant expression: cast to floating type');
  });

  it('fails with plain, specific reasons', () => {
    const failing = new MacroTable();
    failing.scan(
      'f.h',
      `#define SIZE_OF_HEADER sizeof(MY_HEADER)
#define USES_UNDEFINED (FILE_DEVICE_MINE | 1)
#define DIVIDES (1 / (2 - 2))
#define INITIALIZER { 0x1, 0x2 }
#define FLOATING ( 0.5f )
#define NOTHING
#define SHIFTS (1 << 64)
`,
    );
    expect(reasonOf(failing.evaluate('SIZE_OF_HEADER'))).toBe('uses sizeof');
    expect(reasonOf(failing.evaluate('USES_UNDEFINED'))).toBe('undefined identifier FILE_DEVICE_MINE');
    expect(reasonOf(failing.evaluate('DIVIDES'))).toBe('division by zero');
    expect(reasonOf(failing.evaluate('INITIALIZER'))).toBe("not a constant expression: unexpected '{'");
    expect(reasonOf(failing.evaluate('FLOATING'))).toBe('not a constant expression: floating-point literal 0.5f');
    expect(reasonOf(failing.evaluate('NOTHING'))).toBe('not a constant expression: empty expression');
    expect(reasonOf(failing.evaluate('SHIFTS'))).toBe('not a constant expression: shift count 64 out of range');
    expect(reasonOf(failing.evaluate('NEVER_DEFINED'))).toBe('undefined identifier NEVER_DEFINED');
    expect(reasonOf(failing.evaluateExpression('1 +'))).toBe('not a constant expression: unexpected end of expression');
    expect(reasonOf(failing.evaluateExpression('1 2'))).toBe("not a constant expression: unexpected '2'");
  });
});

describe('memoisation', () => {
  it('returns the memoised evaluation until the table changes', () => {
    const table = new MacroTable();
    table.scan('a.h', '#define BASE 1\n#define DERIVED (BASE + 1)\n');
    const first = table.evaluate('DERIVED');
    expect(table.evaluate('DERIVED')).toBe(first);
    expect(valueOf(first)).toBe(2n);
    table.scan('b.h', '#undef BASE\n#define BASE 10\n');
    expect(valueOf(table.evaluate('DERIVED'))).toBe(11n);
  });
});

describe('properties', () => {
  const int32 = fc.integer({ min: -0x80000000, max: 0x7fffffff });
  const literal = (n: number): string => (n < 0 ? `(-${-n})` : `${n}`);

  it('evaluates binary operators on 32-bit operands like BigInt arithmetic', () => {
    const operators: Record<string, (a: bigint, b: bigint) => bigint | null> = {
      '+': (a, b) => a + b,
      '-': (a, b) => a - b,
      '*': (a, b) => a * b,
      '/': (a, b) => (b === 0n ? null : a / b),
      '%': (a, b) => (b === 0n ? null : a % b),
      '&': (a, b) => a & b,
      '|': (a, b) => a | b,
      '^': (a, b) => a ^ b,
      '<': (a, b) => (a < b ? 1n : 0n),
      '>=': (a, b) => (a >= b ? 1n : 0n),
      '==': (a, b) => (a === b ? 1n : 0n),
      '!=': (a, b) => (a !== b ? 1n : 0n),
      '&&': (a, b) => (a !== 0n && b !== 0n ? 1n : 0n),
      '||': (a, b) => (a !== 0n || b !== 0n ? 1n : 0n),
    };
    fc.assert(
      fc.property(int32, int32, fc.constantFrom(...Object.keys(operators)), (a, b, operator) => {
        const table = new MacroTable();
        table.scan('p.h', `#define X ((${literal(a)}) ${operator} (${literal(b)}))\n`);
        const expected = operators[operator]?.(BigInt(a), BigInt(b));
        const evaluation = table.evaluate('X');
        if (expected === null) expect(evaluation).toEqual({ ok: false, reason: 'division by zero' });
        else expect(evaluation).toEqual({ ok: true, value: expected, calls: [] });
      }),
    );
  });

  it('evaluates shifts of 32-bit operands like BigInt shifts', () => {
    fc.assert(
      fc.property(int32, fc.integer({ min: 0, max: 31 }), fc.boolean(), (a, count, left) => {
        const table = new MacroTable();
        const expected = left ? BigInt(a) << BigInt(count) : BigInt(a) >> BigInt(count);
        expect(valueOf(table.evaluateExpression(`(${literal(a)}) ${left ? '<<' : '>>'} ${count}`))).toBe(expected);
      }),
    );
  });

  it('casts to 32-bit types like BigInt.asIntN / asUintN', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }), (n) => {
        const table = new MacroTable();
        expect(valueOf(table.evaluateExpression(`(ULONG)0x${n.toString(16)}`))).toBe(BigInt.asUintN(32, n));
        expect(valueOf(table.evaluateExpression(`(NTSTATUS)0x${n.toString(16)}`))).toBe(BigInt.asIntN(32, n));
        expect(valueOf(table.evaluateExpression(`(USHORT)0x${n.toString(16)}ull`))).toBe(BigInt.asUintN(16, n));
      }),
    );
  });

  it('CTL_CODE of random fields equals the bit layout and reports the fields', () => {
    const table = tableWith(WINIOCTL);
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 0xffff }),
        fc.integer({ min: 0, max: 0xfff }),
        fc.integer({ min: 0, max: 3 }),
        fc.integer({ min: 0, max: 3 }),
        (device, fn, method, access) => {
          const evaluation = table.evaluateExpression(`CTL_CODE(0x${device.toString(16)}, ${fn}, ${method}, ${access})`);
          const expected = (BigInt(device) << 16n) | (BigInt(access) << 14n) | (BigInt(fn) << 2n) | BigInt(method);
          expect(valueOf(evaluation)).toBe(expected);
          expect(evaluation.ok && evaluation.calls[0]?.values).toEqual([device, fn, method, access].map(BigInt));
        },
      ),
    );
  });

  it('scan never throws on arbitrary text; it reports problems instead', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.string({ unit: 'binary' }), fc.string({ unit: 'binary-ascii' })), (text) => {
        const table = new MacroTable();
        const report = table.scan('fuzz.h', text);
        expect(Array.isArray(report.problems)).toBe(true);
        for (const definition of table.definitions()) table.evaluateDefinition(definition);
      }),
    );
  });

  it('scan, evaluate and expand never throw on header-like text', () => {
    const fragment = fc.constantFrom(
      '#define ', '#undef ', '#include ', '#if ', '#ifdef ', '#else', '#elif ', '#endif', '# ', '#',
      'A', 'B', 'F', 'CTL_CODE', '(', ')', ',', '...', '__VA_ARGS__', '##', '#', '"', "'", 'x', '0x1F', '1',
      '/*', '*/', '//', '\\\n', '\\ \r\n', '\n', '\r\n', ' ', '\t', '<', '>', '+', '-', '*', '/', '?', ':',
      'sizeof', 'defined', '(ULONG)', '\u00e9', '\ud83d\ude00', '\ud800',
    );
    fc.assert(
      fc.property(fc.array(fragment, { maxLength: 60 }), (fragments) => {
        const text = fragments.join('');
        const table = new MacroTable();
        table.scan('fuzz.h', text, { resolveInclude: () => ({ file: 'fuzz.h', text }) });
        for (const definition of table.definitions()) {
          const evaluation = table.evaluateDefinition(definition);
          expect(typeof evaluation.ok).toBe('boolean');
          expect(typeof table.expand(definition.body)).toBe('string');
        }
        expect(typeof table.evaluateExpression(text).ok).toBe('boolean');
        expect(typeof table.expand(text)).toBe('string');
      }),
      { numRuns: 300 },
    );
  });
});
