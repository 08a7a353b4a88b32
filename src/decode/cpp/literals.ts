/**
 * Values of integer and character constants, as an MSVC/GCC x64 compiler would
 * see them, but carried in the 64-bit domain `#if` arithmetic uses.
 */

export interface IntegerValue {
  readonly value: bigint;
  /** Unsigned values compare and divide as uintmax_t, like in `#if`. */
  readonly unsigned: boolean;
}

export type LiteralResult = IntegerValue | { readonly error: string };

const INT64_MAX = (1n << 63n) - 1n;
const UINT64_MAX = (1n << 64n) - 1n;

/** Suffixes accepted by MSVC and GCC; the i64 family is Microsoft's. */
const INTEGER_SUFFIXES = new Set([
  '', 'u', 'l', 'ul', 'lu', 'll', 'ull', 'llu',
  'i8', 'i16', 'i32', 'i64', 'ui8', 'ui16', 'ui32', 'ui64', 'z', 'uz', 'zu',
]);

const INTEGER_SHAPE = /^(0[xX][0-9a-fA-F]+|0[bB][01]+|0[0-7]*|[1-9][0-9]*)([a-zA-Z0-9]*)$/;

export function parseIntegerLiteral(text: string): LiteralResult {
  const shape = INTEGER_SHAPE.exec(text);
  if (!shape) {
    const looksFloating = /^0[xX]/.test(text) ? /[.pP]/.test(text) : /[.eE]/.test(text);
    if (looksFloating) return { error: `floating-point literal ${text}` };
    return { error: `invalid number ${text}` };
  }
  const digits = shape[1] ?? '0';
  const suffix = (shape[2] ?? '').toLowerCase();
  if (!INTEGER_SUFFIXES.has(suffix)) {
    if (/^[0-9]+[eE]/.test(text)) return { error: `floating-point literal ${text}` };
    return { error: `invalid number ${text}` };
  }
  let value: bigint;
  if (/^0[bB]/.test(digits)) value = BigInt(digits.toLowerCase());
  else if (/^0[xX]/.test(digits)) value = BigInt(digits);
  else if (digits.length > 1 && digits.startsWith('0')) value = BigInt(`0o${digits.slice(1)}`);
  else value = BigInt(digits);
  if (value > UINT64_MAX) return { error: `integer literal too large ${text}` };
  // As in #if: a value that does not fit intmax_t is uintmax_t.
  return { value, unsigned: suffix.includes('u') || value > INT64_MAX };
}

const SIMPLE_ESCAPES: Readonly<Record<string, number>> = {
  n: 0x0a, t: 0x09, r: 0x0d, a: 0x07, b: 0x08, f: 0x0c, v: 0x0b, e: 0x1b,
  '\\': 0x5c, "'": 0x27, '"': 0x22, '?': 0x3f,
};

/** Code units of a quoted literal body (between the quotes), escapes resolved. */
function decodeCharacters(body: string): number[] | string {
  const units: number[] = [];
  let i = 0;
  while (i < body.length) {
    const ch = body.charAt(i);
    if (ch !== '\\') {
      const codePoint = body.codePointAt(i) ?? 0;
      units.push(codePoint);
      i += codePoint > 0xffff ? 2 : 1;
      continue;
    }
    const escape = body.charAt(i + 1);
    const simple = SIMPLE_ESCAPES[escape];
    if (simple !== undefined) {
      units.push(simple);
      i += 2;
    } else if (/[0-7]/.test(escape)) {
      const octal = /^[0-7]{1,3}/.exec(body.slice(i + 1))?.[0] ?? '0';
      units.push(parseInt(octal, 8));
      i += 1 + octal.length;
    } else if (escape === 'x') {
      const hex = /^[0-9a-fA-F]+/.exec(body.slice(i + 2))?.[0];
      if (hex === undefined) return 'invalid \\x escape';
      units.push(Number(BigInt(`0x${hex}`) & 0xffffffffn));
      i += 2 + hex.length;
    } else if (escape === 'u' || escape === 'U') {
      const width = escape === 'u' ? 4 : 8;
      const hex = body.slice(i + 2, i + 2 + width);
      if (!/^[0-9a-fA-F]+$/.test(hex) || hex.length !== width) return `invalid \\${escape} escape`;
      units.push(parseInt(hex, 16));
      i += 2 + width;
    } else {
      return `unknown escape \\${escape}`;
    }
  }
  return units;
}

/**
 * 'V' -> 0x56; 'ab' -> 0x6162 (multi-character constants are big-endian int, as MSVC and GCC do);
 * '\xFF' -> -1 because plain char is signed on Windows compilers; L'x' -> its code point.
 */
export function parseCharacterLiteral(text: string): LiteralResult {
  const quote = text.indexOf("'");
  const prefix = text.slice(0, quote);
  const units = decodeCharacters(text.slice(quote + 1, -1));
  if (typeof units === 'string') return { error: `${units} in character constant ${text}` };
  if (units.length === 0) return { error: `empty character constant ${text}` };
  if (prefix !== '') {
    // Wide and UTF constants: the value of the (last) character, unsigned.
    return { value: BigInt(units[units.length - 1] ?? 0), unsigned: false };
  }
  if (units.length === 1) {
    return { value: BigInt.asIntN(8, BigInt(units[0] ?? 0)), unsigned: false };
  }
  let value = 0n;
  for (const unit of units) value = (value << 8n) | BigInt(unit & 0xff);
  return { value: BigInt.asIntN(32, value), unsigned: false };
}
