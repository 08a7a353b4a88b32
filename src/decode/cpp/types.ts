/**
 * Integer types that appear in casts inside Windows header constants, e.g.
 * `((NTSTATUS)0xC0000005L)` or `((ULONG)0x000000D1L)`. Windows is LLP64:
 * int and long are 32-bit, pointers and *_PTR types are 64-bit.
 */

export type IntegerType =
  | { readonly kind: 'integer'; readonly bits: 8 | 16 | 32 | 64; readonly signed: boolean }
  | { readonly kind: 'bool' };

const signedOf = (bits: 8 | 16 | 32 | 64): IntegerType => ({ kind: 'integer', bits, signed: true });
const unsignedOf = (bits: 8 | 16 | 32 | 64): IntegerType => ({ kind: 'integer', bits, signed: false });
export const POINTER_TYPE: IntegerType = unsignedOf(64);
const BOOL_TYPE: IntegerType = { kind: 'bool' };

function table(entries: Record<string, readonly string[]>): Map<string, IntegerType> {
  const types = new Map<string, IntegerType>();
  const byName: Record<string, IntegerType> = {
    i8: signedOf(8), u8: unsignedOf(8), i16: signedOf(16), u16: unsignedOf(16),
    i32: signedOf(32), u32: unsignedOf(32), i64: signedOf(64), u64: unsignedOf(64),
    pointer: POINTER_TYPE, bool: BOOL_TYPE,
  };
  for (const [shape, names] of Object.entries(entries)) {
    const type = byName[shape];
    if (type === undefined) throw new Error(`unknown type shape ${shape}`);
    for (const name of names) types.set(name, type);
  }
  return types;
}

/** Typedef names of the Windows SDK, the DDK and <stdint.h>, by shape. */
export const TYPEDEF_TYPES: ReadonlyMap<string, IntegerType> = table({
  i8: ['CHAR', 'CCHAR', 'INT8', 'int8_t', 'SCHAR'],
  u8: ['UCHAR', 'BYTE', 'BOOLEAN', 'UINT8', 'uint8_t', 'FCHAR', 'KIRQL', 'KPROCESSOR_MODE'],
  i16: ['SHORT', 'INT16', 'int16_t', 'CSHORT'],
  u16: ['USHORT', 'WORD', 'UINT16', 'uint16_t', 'WCHAR', 'wchar_t', 'ATOM', 'LANGID', 'FSHORT', 'char16_t', 'USAGE'],
  i32: [
    'LONG', 'INT', 'INT32', 'LONG32', 'int32_t', 'NTSTATUS', 'HRESULT', 'SCODE', 'BOOL', 'NDIS_STATUS',
    'KPRIORITY', 'LSTATUS', 'errno_t', 'HFILE', 'WINBOOL', 'RPC_STATUS', 'SECURITY_STATUS', 'NDIS_RW_LOCK_REFCOUNT',
  ],
  u32: [
    'ULONG', 'DWORD', 'UINT', 'UINT32', 'ULONG32', 'DWORD32', 'uint32_t', 'ACCESS_MASK', 'LCID', 'COLORREF',
    'CLONG', 'FLONG', 'DEVICE_TYPE', 'NDIS_OID', 'SECURITY_INFORMATION', 'EXECUTION_STATE', 'LCTYPE',
    'CALTYPE', 'CALID', 'LGRPID', 'MMRESULT', 'MCIERROR', 'FOURCC', 'REGSAM', 'char32_t', 'NET_API_STATUS',
    'DEVPROPTYPE', 'PROPID', 'ULONG_BITS', 'LOGICAL', 'NDIS_PORT_NUMBER', 'FMT_TYPE',
  ],
  i64: [
    'LONGLONG', 'LONG64', 'INT64', 'int64_t', 'LONG_PTR', 'INT_PTR', 'SSIZE_T', 'LPARAM', 'LRESULT',
    'intptr_t', 'ptrdiff_t', 'SHANDLE_PTR', 'intmax_t', 'USN', '__time64_t', 'time_t',
  ],
  u64: [
    'ULONGLONG', 'ULONG64', 'DWORD64', 'UINT64', 'DWORDLONG', 'uint64_t', 'ULONG_PTR', 'UINT_PTR',
    'DWORD_PTR', 'SIZE_T', 'size_t', 'WPARAM', 'uintptr_t', 'KAFFINITY', 'HANDLE_PTR', 'uintmax_t',
  ],
  pointer: [
    'PVOID', 'LPVOID', 'LPCVOID', 'PCVOID', 'HANDLE', 'LPSTR', 'LPCSTR', 'LPWSTR', 'LPCWSTR', 'LPTSTR',
    'LPCTSTR', 'PSTR', 'PCSTR', 'PWSTR', 'PCWSTR', 'PCHAR', 'PUCHAR', 'PWCHAR', 'PBYTE', 'LPBYTE',
    'PULONG', 'PLONG', 'PDWORD', 'LPDWORD', 'PUSHORT', 'LPWORD', 'PSID', 'PSECURITY_DESCRIPTOR',
    'FARPROC', 'PTSTR', 'PCTSTR', 'PZPCSTR', 'PZPCWSTR', 'PULONG_PTR', 'PSIZE_T', 'PKEY_VALUE_PARTIAL_INFORMATION',
  ],
  bool: ['bool', '_Bool'],
});

/** Unknown names with these shapes are handles or pointers (HKEY, HWND, LPFOO...). */
export function looksLikePointerTypedef(name: string): boolean {
  return /^(?:H|LP|LPC)[A-Z][A-Z0-9_]*$/.test(name) && !TYPEDEF_TYPES.has(name);
}

/** Words that may make up a built-in type name in a cast, besides struct/union/enum tags. */
export const TYPE_KEYWORDS = new Set([
  'unsigned', 'signed', 'int', 'long', 'short', 'char', 'void', 'float', 'double',
  '__int8', '__int16', '__int32', '__int64', '__int3264', 'const', 'volatile', '__unaligned', '__ptr64', '__ptr32',
  '_Bool', 'bool', 'wchar_t', '__w64', '_W64', 'UNALIGNED', 'CONST',
]);

const QUALIFIERS = new Set(['const', 'volatile', '__unaligned', '__ptr64', '__ptr32', '__w64', '_W64', 'UNALIGNED', 'CONST']);

export type CastTarget = IntegerType | { readonly kind: 'invalid'; readonly reason: string };

/** Type named by built-in keywords, e.g. ['unsigned', 'long'] -> 32-bit unsigned. */
export function builtinType(words: readonly string[]): CastTarget {
  const core = words.filter((word) => !QUALIFIERS.has(word));
  if (core.includes('float') || core.includes('double')) return { kind: 'invalid', reason: 'cast to floating type' };
  if (core.includes('void')) return { kind: 'invalid', reason: 'cast to void' };
  if (core.includes('_Bool') || core.includes('bool')) return BOOL_TYPE;
  if (core.includes('wchar_t')) return unsignedOf(16);
  const signed = !core.includes('unsigned');
  const longs = core.filter((word) => word === 'long').length;
  let bits: 8 | 16 | 32 | 64 = 32;
  if (core.includes('char') || core.includes('__int8')) bits = 8;
  else if (core.includes('short') || core.includes('__int16')) bits = 16;
  else if (core.includes('__int64') || core.includes('__int3264') || longs >= 2) bits = 64;
  return { kind: 'integer', bits, signed };
}

export function isQualifier(word: string): boolean {
  return QUALIFIERS.has(word);
}
