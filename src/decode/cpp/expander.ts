/**
 * Macro expansion after Dave Prosser's algorithm (the one behind C's rules):
 * every token carries a hide set of the macros it came out of, and a macro
 * name whose hide set contains itself is never expanded again ("blue paint").
 * The replacement of a macro is pushed back in front of the remaining input,
 * so a function-like name at the end of a body can take its arguments from
 * the text that follows.
 */

import type { MacroCall, MacroDefinition } from './model.js';
import { spell, stringize, tokenize, type HideSet, type Token } from './tokens.js';

export interface MacroSource {
  lookup(name: string): MacroDefinition | undefined;
  /** Tokenized replacement list of a definition (cached by the caller). */
  replacement(definition: MacroDefinition): readonly Token[];
}

export interface ExpansionSettings {
  /** Replace `defined X` / `defined(X)` by 1 or 0, as inside #if. */
  readonly resolveDefined: boolean;
  /** When true malformed calls fail the expansion; when false they are left as written (for messages). */
  readonly strict: boolean;
  /** Where to record function-like invocations; null to not record. */
  readonly calls: MacroCall[] | null;
  /** Value of one fully expanded argument, for MacroCall.values. */
  readonly argumentValue: (tokens: readonly Token[]) => bigint | null;
  /** Maximum number of tokens the expansion may process before giving up. */
  readonly tokenBudget: number;
}

/** Nesting of argument pre-expansion; real headers nest a handful of calls, hostile text could nest thousands. */
const MAXIMUM_ARGUMENT_NESTING = 256;

export class ExpansionFailure {
  constructor(readonly reason: string) {}
}

/** Stands in for an empty argument next to ## (C11 6.10.3.3); removed before rescanning. */
const PLACEMARKER: Token = { kind: 'other', text: '', spaceBefore: false, hideSet: null };

function isPunctuator(token: Token | undefined, text: string): boolean {
  return token !== undefined && token.kind === 'punctuator' && token.text === text;
}

function withName(hideSet: HideSet | null, name: string): HideSet {
  if (hideSet?.has(name)) return hideSet;
  const result = new Set(hideSet ?? []);
  result.add(name);
  return result;
}

function intersect(a: HideSet | null, b: HideSet | null): HideSet | null {
  if (a === null || b === null) return null;
  if (a === b) return a;
  const result = new Set<string>();
  for (const name of a) if (b.has(name)) result.add(name);
  return result.size === 0 ? null : result;
}

function union(own: HideSet | null, added: HideSet): HideSet {
  if (own === null || own === added) return added;
  let result: Set<string> | null = null;
  for (const name of added) {
    if (!own.has(name)) {
      result ??= new Set(own);
      result.add(name);
    }
  }
  return result ?? own;
}

function pushReversed(stack: Token[], tokens: readonly Token[]): void {
  for (let k = tokens.length - 1; k >= 0; k--) stack.push(tokens[k] as Token);
}

interface CollectedCall {
  readonly args: Token[][];
  readonly closing: Token;
  /** Stack height once the call's tokens are removed. */
  readonly remaining: number;
}

export class MacroExpander {
  private budget: number;
  private calls: MacroCall[] | null;
  private nesting = 0;

  constructor(
    private readonly source: MacroSource,
    private readonly settings: ExpansionSettings,
  ) {
    this.budget = settings.tokenBudget;
    this.calls = settings.calls;
  }

  expand(input: readonly Token[]): Token[] {
    if (this.nesting >= MAXIMUM_ARGUMENT_NESTING) {
      throw new ExpansionFailure('not a constant expression: macro calls nested too deeply');
    }
    this.nesting++;
    try {
      return this.expandAtThisLevel(input);
    } finally {
      this.nesting--;
    }
  }

  private expandAtThisLevel(input: readonly Token[]): Token[] {
    const pending: Token[] = [];
    pushReversed(pending, input);
    const output: Token[] = [];
    while (pending.length > 0) {
      const token = pending.pop() as Token;
      if (--this.budget < 0) throw new ExpansionFailure('not a constant expression: expansion too large');
      if (token.kind !== 'identifier') {
        output.push(token);
        continue;
      }
      if (token.text === 'defined') {
        this.handleDefined(token, pending, output);
        continue;
      }
      if (token.hideSet?.has(token.text)) {
        output.push(token);
        continue;
      }
      const definition = this.source.lookup(token.text);
      if (definition === undefined) {
        output.push(token);
        continue;
      }
      if (definition.params === null) {
        const replacement = this.substitute(definition, [], withName(token.hideSet, token.text), token.spaceBefore);
        pushReversed(pending, replacement);
        continue;
      }
      if (!isPunctuator(pending[pending.length - 1], '(')) {
        output.push(token); // a function-like name without arguments is left alone
        continue;
      }
      const call = this.collectArguments(definition, pending);
      if (call === null) {
        output.push(token);
        continue;
      }
      pending.length = call.remaining;
      const hideSet = withName(intersect(token.hideSet, call.closing.hideSet), token.text);
      // Recorded before the arguments are expanded, so calls come out outermost first.
      let record: { macro: string; args: string[]; values: (bigint | null)[] } | null = null;
      if (this.calls !== null) {
        record = { macro: definition.name, args: call.args.map(spell), values: [] };
        this.calls.push(record);
      }
      const expandedArgs: (Token[] | undefined)[] = [];
      const replacement = this.substitute(definition, call.args, hideSet, token.spaceBefore, expandedArgs);
      if (record !== null) record.values = call.args.map((arg, index) => this.argumentValue(arg, expandedArgs[index]));
      pushReversed(pending, replacement);
    }
    return output;
  }

  private argumentValue(raw: readonly Token[], expanded: readonly Token[] | undefined): bigint | null {
    if (expanded !== undefined) return this.settings.argumentValue(expanded);
    // The argument was only an operand of # or ##: expand it on the side, without recording calls.
    const saved = this.calls;
    this.calls = null;
    try {
      return this.settings.argumentValue(this.expand(raw));
    } catch (failure) {
      if (failure instanceof ExpansionFailure) return null;
      throw failure;
    } finally {
      this.calls = saved;
    }
  }

  /** `defined X` / `defined ( X )`: resolved to 1/0 in expressions, otherwise kept with its operand unexpanded. */
  private handleDefined(token: Token, pending: Token[], output: Token[]): void {
    const operandTokens: Token[] = [];
    let name: Token | undefined;
    const first = pending[pending.length - 1];
    if (first?.kind === 'identifier') {
      name = first;
      operandTokens.push(first);
    } else if (isPunctuator(first, '(') && first !== undefined) {
      const candidate = pending[pending.length - 2];
      const closing = pending[pending.length - 3];
      if (candidate?.kind === 'identifier' && closing !== undefined && isPunctuator(closing, ')')) {
        name = candidate;
        operandTokens.push(first, candidate, closing);
      }
    }
    if (name === undefined) {
      if (this.settings.resolveDefined) throw new ExpansionFailure('not a constant expression: malformed defined');
      output.push(token);
      return;
    }
    pending.length -= operandTokens.length;
    if (this.settings.resolveDefined) {
      const isDefined = this.source.lookup(name.text) !== undefined;
      output.push({ kind: 'number', text: isDefined ? '1' : '0', spaceBefore: token.spaceBefore, hideSet: null });
    } else {
      output.push(token, ...operandTokens);
    }
  }

  /** Reads `( args )` from the top of the stack without consuming it; null when malformed and not strict. */
  private collectArguments(definition: MacroDefinition, pending: Token[]): CollectedCall | null {
    const params = definition.params ?? [];
    const args: Token[][] = [[]];
    let depth = 0;
    for (let index = pending.length - 2; index >= 0; index--) {
      const token = pending[index] as Token;
      // Looking for the closing parenthesis costs like expanding, or nested calls would be quadratic.
      if (--this.budget < 0) throw new ExpansionFailure('not a constant expression: expansion too large');
      if (token.kind === 'punctuator') {
        if (token.text === '(') depth++;
        else if (token.text === ')') {
          if (depth === 0) {
            const problem = this.checkArgumentCount(definition, args);
            if (problem !== null) {
              if (this.settings.strict) throw new ExpansionFailure(problem);
              return null;
            }
            return { args: params.length === 0 ? [] : args, closing: token, remaining: index };
          }
          depth--;
        } else if (token.text === ',' && depth === 0 && !(definition.variadic && args.length === params.length)) {
          args.push([]);
          continue;
        }
      }
      (args[args.length - 1] as Token[]).push(token);
    }
    if (this.settings.strict) throw new ExpansionFailure(`not a constant expression: unterminated call of macro ${definition.name}`);
    return null;
  }

  /** Checks (and for an omitted variadic part, completes) the argument list. */
  private checkArgumentCount(definition: MacroDefinition, args: Token[][]): string | null {
    const expected = definition.params?.length ?? 0;
    if (expected === 0) {
      return args.length === 1 && args[0]?.length === 0 ? null : `not a constant expression: macro ${definition.name} takes no arguments`;
    }
    if (definition.variadic && args.length === expected - 1) args.push([]);
    if (args.length === expected) return null;
    return `not a constant expression: macro ${definition.name} expects ${expected} argument${expected === 1 ? '' : 's'}, got ${args.length}`;
  }

  private substitute(
    definition: MacroDefinition,
    args: readonly Token[][],
    hideSet: HideSet,
    spaceBefore: boolean,
    expandedArgs: (Token[] | undefined)[] = [],
  ): Token[] {
    const body = this.source.replacement(definition);
    const raw = this.substituteTokens(definition, body, args, expandedArgs);
    const result: Token[] = [];
    for (const token of raw) {
      if (token === PLACEMARKER) continue;
      result.push({
        kind: token.kind,
        text: token.text,
        spaceBefore: result.length === 0 ? spaceBefore : token.spaceBefore,
        hideSet: union(token.hideSet, hideSet),
      });
    }
    return result;
  }

  private substituteTokens(
    definition: MacroDefinition,
    body: readonly Token[],
    args: readonly Token[][],
    expandedArgs: (Token[] | undefined)[],
  ): Token[] {
    const params = definition.params;
    const parameterIndex = (token: Token | undefined): number =>
      params === null || token === undefined || token.kind !== 'identifier' ? -1 : params.indexOf(token.text);
    const variadicIndex = definition.variadic && params !== null ? params.length - 1 : -1;
    const respaced = (tokens: readonly Token[], space: boolean): Token[] =>
      tokens.map((token, k) => (k === 0 ? { ...token, spaceBefore: space } : token));

    const out: Token[] = [];
    for (let i = 0; i < body.length; i++) {
      const token = body[i] as Token;
      const next = body[i + 1];

      if (params !== null && isPunctuator(token, '#')) {
        const index = parameterIndex(next);
        if (index >= 0) {
          out.push(stringize(args[index] ?? [], token.spaceBefore));
          i++;
          continue;
        }
      }

      if (isPunctuator(token, '##') && out.length > 0 && next !== undefined) {
        i++;
        const index = parameterIndex(next);
        const right: Token[] = index >= 0 ? (args[index] ?? []) : [next];
        // GNU `, ## __VA_ARGS__`: the comma disappears when there are no variable arguments.
        if (index >= 0 && index === variadicIndex && isPunctuator(out[out.length - 1], ',')) {
          if (right.length === 0) out.pop();
          else out.push(...right);
          continue;
        }
        if (right.length === 0) continue; // pasting a placemarker keeps the left side
        const left = out.pop() as Token;
        if (left === PLACEMARKER) out.push(...right);
        else out.push(...this.paste(left, right[0] as Token), ...right.slice(1));
        continue;
      }

      if (token.kind === 'identifier' && token.text === '__VA_OPT__' && variadicIndex >= 0 && isPunctuator(next, '(')) {
        const end = this.matchingParenthesis(body, i + 1);
        if (end > 0) {
          const variableArgs = args[variadicIndex] ?? [];
          const present = variableArgs.length > 0 && this.expandedArgument(variableArgs, variadicIndex, expandedArgs).length > 0;
          const inner = present ? this.substituteTokens(definition, body.slice(i + 2, end), args, expandedArgs) : [];
          out.push(...(inner.length > 0 ? respaced(inner, token.spaceBefore) : [PLACEMARKER]));
          i = end;
          continue;
        }
      }

      const index = parameterIndex(token);
      if (index >= 0) {
        const arg = args[index] ?? [];
        if (isPunctuator(next, '##')) {
          // Operands of ## are not macro-expanded.
          out.push(...(arg.length === 0 ? [PLACEMARKER] : respaced(arg, token.spaceBefore)));
        } else {
          out.push(...respaced(this.expandedArgument(arg, index, expandedArgs), token.spaceBefore));
        }
        continue;
      }
      out.push(token);
    }
    return out;
  }

  /** Arguments are fully macro-expanded once, on their own, before substitution. */
  private expandedArgument(arg: readonly Token[], index: number, expandedArgs: (Token[] | undefined)[]): Token[] {
    let expanded = expandedArgs[index];
    if (expanded === undefined) {
      expanded = this.expand(arg);
      expandedArgs[index] = expanded;
    }
    return expanded;
  }

  private matchingParenthesis(tokens: readonly Token[], open: number): number {
    let depth = 0;
    for (let k = open; k < tokens.length; k++) {
      const token = tokens[k];
      if (isPunctuator(token, '(')) depth++;
      else if (isPunctuator(token, ')') && --depth === 0) return k;
    }
    return -1;
  }

  /** `a ## b`: the spelling of both re-lexed; an invalid paste keeps both tokens (MSVC is lenient too). */
  private paste(left: Token, right: Token): Token[] {
    const lexed = tokenize(left.text + right.text);
    const single = lexed[0];
    if (lexed.length === 1 && single !== undefined) {
      return [{ kind: single.kind, text: single.text, spaceBefore: left.spaceBefore, hideSet: null }];
    }
    return [left, right];
  }
}
