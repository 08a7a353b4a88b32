/**
 * Integer constant expressions over fully macro-expanded tokens.
 *
 * Arithmetic is that of `#if`: every value is intmax_t or uintmax_t (64-bit,
 * two's complement, wrapping), with the usual conversion to unsigned when one
 * operand is unsigned. Casts apply the target type's width and signedness, so
 * `(NTSTATUS)0xC0000005L` is -1073741819 and `(ULONG)-1` is 0xFFFFFFFF.
 */

import { parseCharacterLiteral, parseIntegerLiteral, type IntegerValue, type LiteralResult } from './literals.js';
import type { Token } from './tokens.js';
import {
  POINTER_TYPE,
  TYPEDEF_TYPES,
  TYPE_KEYWORDS,
  builtinType,
  isQualifier,
  looksLikePointerTypedef,
  type CastTarget,
  type IntegerType,
} from './types.js';

export type ExpressionResult =
  | { readonly ok: true; readonly value: IntegerValue }
  | { readonly ok: false; readonly reason: string };

export interface IdentifierContext {
  /** Reason to give for an identifier that survived expansion, e.g. "undefined identifier FOO". */
  explainIdentifier(token: Token): string;
}

/** Thrown inside the parser only; deliberately not an Error so failing definitions do not pay for stack traces. */
class ExpressionFailure {
  constructor(readonly reason: string) {}
}

const BINARY_PRECEDENCE: Readonly<Record<string, number>> = {
  '*': 10, '/': 10, '%': 10,
  '+': 9, '-': 9,
  '<<': 8, '>>': 8,
  '<': 7, '>': 7, '<=': 7, '>=': 7,
  '==': 6, '!=': 6,
  '&': 5,
  '^': 4,
  '|': 3,
  '&&': 2,
  '||': 1,
};

const CXX_CASTS = new Set(['static_cast', 'reinterpret_cast', 'const_cast']);
const ALIGNOF_OPERATORS = new Set(['alignof', '_Alignof', '__alignof', '__alignof__', '__builtin_offsetof', 'offsetof']);

function normalise(value: bigint, unsigned: boolean): IntegerValue {
  return { value: unsigned ? BigInt.asUintN(64, value) : BigInt.asIntN(64, value), unsigned };
}

function truth(condition: boolean): IntegerValue {
  return { value: condition ? 1n : 0n, unsigned: false };
}

function applyCast(type: IntegerType, operand: IntegerValue): IntegerValue {
  if (type.kind === 'bool') return truth(operand.value !== 0n);
  const value = type.signed ? BigInt.asIntN(type.bits, operand.value) : BigInt.asUintN(type.bits, operand.value);
  // Narrow unsigned types promote to int; 32- and 64-bit unsigned stay unsigned.
  return { value, unsigned: !type.signed && type.bits >= 32 };
}

function literalValue(result: LiteralResult): IntegerValue {
  if ('error' in result) throw new ExpressionFailure(`not a constant expression: ${result.error}`);
  return result;
}

type CastSyntax = { readonly target: CastTarget | 'unknown-type'; readonly end: number } | null;

/** Deeper nesting than any header needs; keeps hostile input off the JavaScript stack limit. */
const MAXIMUM_NESTING = 1000;

class ConstantExpressionParser {
  private position = 0;
  private nesting = 0;

  constructor(
    private readonly tokens: readonly Token[],
    private readonly context: IdentifierContext,
  ) {}

  run(): IntegerValue {
    if (this.tokens.length === 0) throw new ExpressionFailure('not a constant expression: empty expression');
    const value = this.comma(true);
    const leftover = this.tokens[this.position];
    if (leftover !== undefined) this.unexpected(leftover);
    return value;
  }

  private unexpected(token: Token | undefined): never {
    if (token === undefined) throw new ExpressionFailure('not a constant expression: unexpected end of expression');
    if (token.kind === 'string') throw new ExpressionFailure('string literal');
    if (token.kind === 'identifier' && token.text === 'sizeof') throw new ExpressionFailure('uses sizeof');
    throw new ExpressionFailure(`not a constant expression: unexpected '${token.text}'`);
  }

  private isPunctuator(offset: number, text: string): boolean {
    const token = this.tokens[this.position + offset];
    return token !== undefined && token.kind === 'punctuator' && token.text === text;
  }

  private expect(text: string): void {
    if (!this.isPunctuator(0, text)) this.unexpected(this.tokens[this.position]);
    this.position++;
  }

  private comma(active: boolean): IntegerValue {
    let value = this.conditional(active);
    while (this.isPunctuator(0, ',')) {
      this.position++;
      value = this.conditional(active);
    }
    return value;
  }

  private conditional(active: boolean): IntegerValue {
    const condition = this.binary(1, active);
    if (!this.isPunctuator(0, '?')) return condition;
    this.position++;
    const chosen = condition.value !== 0n;
    const whenTrue = this.comma(active && chosen);
    this.expect(':');
    const whenFalse = this.conditional(active && !chosen);
    const unsigned = whenTrue.unsigned || whenFalse.unsigned;
    return normalise(chosen ? whenTrue.value : whenFalse.value, unsigned);
  }

  private binary(minimumPrecedence: number, active: boolean): IntegerValue {
    let left = this.unary(active);
    for (;;) {
      const operator = this.tokens[this.position];
      if (operator === undefined || operator.kind !== 'punctuator') return left;
      const precedence = BINARY_PRECEDENCE[operator.text];
      if (precedence === undefined || precedence < minimumPrecedence) return left;
      this.position++;
      if (operator.text === '&&') {
        const right = this.binary(precedence + 1, active && left.value !== 0n);
        left = truth(left.value !== 0n && right.value !== 0n);
      } else if (operator.text === '||') {
        const right = this.binary(precedence + 1, active && left.value === 0n);
        left = truth(left.value !== 0n || right.value !== 0n);
      } else {
        const right = this.binary(precedence + 1, active);
        left = this.applyBinary(operator.text, left, right, active);
      }
    }
  }

  private applyBinary(operator: string, left: IntegerValue, right: IntegerValue, active: boolean): IntegerValue {
    if (operator === '<<' || operator === '>>') {
      // The result has the left operand's type; the count must be within the 64-bit width.
      const count = right.value;
      if (count < 0n || count >= 64n) {
        if (active) throw new ExpressionFailure(`not a constant expression: shift count ${count} out of range`);
        return normalise(0n, left.unsigned);
      }
      return normalise(operator === '<<' ? left.value << count : left.value >> count, left.unsigned);
    }
    const unsigned = left.unsigned || right.unsigned;
    const a = unsigned ? BigInt.asUintN(64, left.value) : left.value;
    const b = unsigned ? BigInt.asUintN(64, right.value) : right.value;
    switch (operator) {
      case '*': return normalise(a * b, unsigned);
      case '/':
      case '%':
        if (b === 0n) {
          if (active) throw new ExpressionFailure('division by zero');
          return normalise(0n, unsigned);
        }
        return normalise(operator === '/' ? a / b : a % b, unsigned);
      case '+': return normalise(a + b, unsigned);
      case '-': return normalise(a - b, unsigned);
      case '<': return truth(a < b);
      case '>': return truth(a > b);
      case '<=': return truth(a <= b);
      case '>=': return truth(a >= b);
      case '==': return truth(a === b);
      case '!=': return truth(a !== b);
      case '&': return normalise(a & b, unsigned);
      case '^': return normalise(a ^ b, unsigned);
      case '|': return normalise(a | b, unsigned);
      default: throw new ExpressionFailure(`not a constant expression: unexpected '${operator}'`);
    }
  }

  private unary(active: boolean): IntegerValue {
    if (++this.nesting > MAXIMUM_NESTING) throw new ExpressionFailure('not a constant expression: nested too deeply');
    const value = this.unaryOperand(active);
    this.nesting--;
    return value;
  }

  private unaryOperand(active: boolean): IntegerValue {
    const token = this.tokens[this.position];
    if (token === undefined) return this.unexpected(token);
    if (token.kind === 'punctuator') {
      switch (token.text) {
        case '+':
          this.position++;
          return this.unary(active);
        case '-': {
          this.position++;
          const operand = this.unary(active);
          return normalise(-operand.value, operand.unsigned);
        }
        case '~': {
          this.position++;
          const operand = this.unary(active);
          return normalise(~operand.value, operand.unsigned);
        }
        case '!':
          this.position++;
          return truth(this.unary(active).value === 0n);
        case '(': {
          const cast = this.castSyntax();
          if (cast === null) break;
          this.position = cast.end;
          const operand = this.unary(active);
          if (cast.target === 'unknown-type') return operand; // a typedef we do not know: keep the value
          if (cast.target.kind === 'invalid') throw new ExpressionFailure(`not a constant expression: ${cast.target.reason}`);
          return applyCast(cast.target, operand);
        }
        default:
          break;
      }
    } else if (token.kind === 'identifier') {
      if (token.text === 'sizeof') throw new ExpressionFailure('uses sizeof');
      if (ALIGNOF_OPERATORS.has(token.text)) throw new ExpressionFailure(`uses ${token.text}`);
      if (CXX_CASTS.has(token.text)) return this.cxxCast(active);
    }
    return this.primary(active);
  }

  /** Recognises `(type-name)` at the current '(' without consuming it; null when it is a parenthesised expression. */
  private castSyntax(): CastSyntax {
    const close = this.typeNameEnd(this.position + 1, ')');
    if (close < 0) return null;
    const end = close + 1;
    const target = this.typeName(this.position + 1, close);
    if (target !== 'unknown-type') return target === null ? null : { target, end };
    // `(SOMETYPE) x` is only a cast when an operand follows; `(X) - 1` stays an expression.
    const next = this.tokens[end];
    const operandFollows =
      next !== undefined &&
      (next.kind === 'number' || next.kind === 'char' || next.kind === 'string' || next.kind === 'identifier' ||
        (next.kind === 'punctuator' && (next.text === '(' || next.text === '~' || next.text === '!')));
    if (!operandFollows) return null;
    const name = this.tokens[this.position + 1]?.text ?? '';
    return { target: looksLikePointerTypedef(name) ? POINTER_TYPE : 'unknown-type', end };
  }

  /** Index of the `closer` ending a run of identifiers and '*' that starts at `start`, or -1. */
  private typeNameEnd(start: number, closer: string): number {
    for (let index = start; ; index++) {
      const token = this.tokens[index];
      if (token === undefined) return -1;
      if (token.kind === 'punctuator' && token.text === closer) return index;
      if (token.kind !== 'identifier' && !(token.kind === 'punctuator' && token.text === '*')) return -1;
    }
  }

  /**
   * The type named by tokens [start, end): a known type, 'unknown-type' for a lone identifier
   * we cannot classify, or null when these tokens cannot be a type name.
   */
  private typeName(start: number, end: number): CastTarget | 'unknown-type' | null {
    const words: string[] = [];
    let pointer = false;
    for (let index = start; index < end; index++) {
      const token = this.tokens[index] as Token;
      if (token.kind === 'punctuator') pointer = true;
      else if (!pointer || isQualifier(token.text)) words.push(token.text);
      else return null;
    }
    const first = words[0];
    if (first === undefined) return null;
    if (first === 'struct' || first === 'union' || first === 'enum') {
      if (words.length < 2) return null;
      if (pointer) return POINTER_TYPE;
      if (first === 'enum') return { kind: 'integer', bits: 32, signed: true };
      return { kind: 'invalid', reason: `cast to ${first} ${words[1] ?? ''}` };
    }
    const core = words.filter((word) => !isQualifier(word));
    if (core.length === 0) return null;
    if (core.every((word) => TYPE_KEYWORDS.has(word))) return pointer ? POINTER_TYPE : builtinType(words);
    if (core.length !== 1) return null;
    const name = core[0] ?? '';
    // A painted macro name is a recursion, not a type. A function-like macro name left alone
    // (wintab.h's `#define INT(x)`) may well be the typedef of the same name.
    const nameToken = this.tokens.slice(start, end).find((token) => token.text === name);
    if (nameToken?.hideSet?.has(name)) return null;
    const known = TYPEDEF_TYPES.get(name);
    if (known !== undefined) return pointer ? POINTER_TYPE : known;
    if (pointer) return POINTER_TYPE;
    return 'unknown-type';
  }

  /** C++ `static_cast<T>(x)` and friends, as some SDK headers write in their C++ branch. */
  private cxxCast(active: boolean): IntegerValue {
    const keyword = this.tokens[this.position] as Token;
    if (!this.isPunctuator(1, '<')) this.unexpected(keyword);
    const close = this.typeNameEnd(this.position + 2, '>');
    const target = close < 0 ? null : this.typeName(this.position + 2, close);
    if (target === null) throw new ExpressionFailure(`not a constant expression: malformed ${keyword.text}`);
    this.position = close + 1;
    if (!this.isPunctuator(0, '(')) this.unexpected(this.tokens[this.position]);
    const operand = this.primary(active);
    if (target === 'unknown-type') return operand;
    if (target.kind === 'invalid') throw new ExpressionFailure(`not a constant expression: ${target.reason}`);
    return applyCast(target, operand);
  }

  private primary(active: boolean): IntegerValue {
    const token = this.tokens[this.position];
    if (token === undefined) return this.unexpected(token);
    this.position++;
    switch (token.kind) {
      case 'number':
        return literalValue(parseIntegerLiteral(token.text));
      case 'char':
        return literalValue(parseCharacterLiteral(token.text));
      case 'string':
        throw new ExpressionFailure('string literal');
      case 'identifier':
        if (token.text === 'true') return truth(true);
        if (token.text === 'false') return truth(false);
        if (active) throw new ExpressionFailure(this.context.explainIdentifier(token));
        return truth(false);
      case 'punctuator':
        if (token.text === '(') {
          const value = this.comma(active);
          this.expect(')');
          return value;
        }
        return this.unexpected(token);
      default:
        return this.unexpected(token);
    }
  }
}

export function evaluateConstantExpression(tokens: readonly Token[], context: IdentifierContext): ExpressionResult {
  try {
    return { ok: true, value: new ConstantExpressionParser(tokens, context).run() };
  } catch (failure) {
    if (failure instanceof ExpressionFailure) return { ok: false, reason: failure.reason };
    if (failure instanceof RangeError) return { ok: false, reason: 'not a constant expression: nested too deeply' };
    throw failure;
  }
}
