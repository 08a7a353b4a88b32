/**
 * A table of #define'd macros read from header text, able to evaluate them as
 * integer constant expressions (IOCTL codes, NTSTATUS values, bugcheck codes).
 *
 * Unlike a compiler, scanning reads every branch of every conditional: a name
 * table wants each name any configuration defines, and the definition read last
 * wins.
 */

import {
  CONDITIONAL_OPENERS,
  IGNORED_DIRECTIVES,
  parseDefine,
  parseIncludeTarget,
  parseUndef,
} from './directives.js';
import { ExpansionFailure, MacroExpander, type MacroSource } from './expander.js';
import { evaluateConstantExpression, type IdentifierContext } from './expression.js';
import type { Evaluation, MacroCall, MacroDefinition, ScanOptions, ScanReport } from './model.js';
import { readDirectiveLines } from './source.js';
import { spell, tokenize, type Token } from './tokens.js';

/**
 * Tokens an expansion may process, on top of a few per input token. Generous for real headers (the
 * deepest SDK constants need a few hundred), small enough to stop runaway expansions fast.
 */
const EVALUATION_TOKEN_BUDGET = 200_000;
const tokenBudget = (input: readonly Token[]): number => EVALUATION_TOKEN_BUDGET + 4 * input.length;
/** Include chains longer than this are certainly a resolver bug, not a header. */
const MAXIMUM_INCLUDE_DEPTH = 200;
const PREDEFINED_FILE = '<predefined>';

interface MutableScanReport {
  file: string;
  definitions: number;
  unresolvedIncludes: { target: string; line: number; file: string }[];
  problems: { file: string; line: number; reason: string }[];
}

interface OpenConditional {
  readonly line: number;
  sawElse: boolean;
}

export class MacroTable {
  private readonly seen: MacroDefinition[] = [];
  private readonly inForce = new Map<string, MacroDefinition>();
  private readonly scannedFiles = new Set<string>();
  private readonly replacements = new WeakMap<MacroDefinition, readonly Token[]>();
  /** Evaluations depend on the whole table, so any scan clears them. */
  private evaluations = new Map<MacroDefinition, Evaluation>();

  private readonly source: MacroSource = {
    lookup: (name) => this.inForce.get(name),
    replacement: (definition) => this.replacement(definition),
  };

  private readonly identifiers: IdentifierContext = {
    explainIdentifier: (token) => {
      const definition = this.inForce.get(token.text);
      if (definition !== undefined && token.hideSet?.has(token.text)) return `recursive macro ${token.text}`;
      if (definition !== undefined && definition.params !== null) return `function-like macro ${token.text} used without arguments`;
      return `undefined identifier ${token.text}`;
    },
  };

  /** Predefined object-like macros (name -> body), e.g. { _WIN64: '1' }. */
  constructor(predefined: Readonly<Record<string, string>> = {}) {
    for (const [name, body] of Object.entries(predefined)) {
      this.inForce.set(name, { name, params: null, variadic: false, body, file: PREDEFINED_FILE, line: 0 });
    }
  }

  /**
   * Reads a header's directives. Conditional blocks are all scanned (every branch), #undef is honoured in
   * order, and includes are followed through resolveInclude once per file (no cycles). Never throws on
   * malformed text: it reports problems instead.
   */
  scan(file: string, text: string, options: ScanOptions = {}): ScanReport {
    this.evaluations = new Map();
    const report: MutableScanReport = { file, definitions: 0, unresolvedIncludes: [], problems: [] };
    this.scanFile(file, text, options, report, 0);
    return report;
  }

  /** Every #define seen, in scan order, including ones later redefined or undefined. */
  definitions(): readonly MacroDefinition[] {
    return this.seen;
  }

  /** The definition currently in force for a name (last one scanned, unless #undef'd after). */
  lookup(name: string): MacroDefinition | undefined {
    return this.inForce.get(name);
  }

  /** Evaluates the definition of `name` currently in force as an integer constant expression. */
  evaluate(name: string): Evaluation {
    const definition = this.inForce.get(name);
    if (definition === undefined) return { ok: false, reason: `undefined identifier ${name}` };
    return this.evaluateDefinition(definition);
  }

  /** Evaluates the body of one specific definition (e.g. an older one), using the table as it stands for everything else. */
  evaluateDefinition(definition: MacroDefinition): Evaluation {
    const memoised = this.evaluations.get(definition);
    if (memoised !== undefined) return memoised;
    let evaluation: Evaluation;
    if (definition.params !== null) {
      evaluation = { ok: false, reason: `function-like macro ${definition.name} needs arguments` };
    } else {
      // The body expands as the macro's own expansion would: with its name painted.
      const hideSet = new Set([definition.name]);
      const body = this.replacement(definition).map((token) => ({ ...token, hideSet }));
      evaluation = this.evaluateTokens(body);
    }
    this.evaluations.set(definition, evaluation);
    return evaluation;
  }

  /** Evaluates arbitrary expression text, e.g. 'CTL_CODE(0x22, 0x801, 0, 0)'. */
  evaluateExpression(text: string): Evaluation {
    return this.evaluateTokens(tokenize(text));
  }

  /** Full macro expansion of text, for messages. Malformed calls and `defined X` are left as written. */
  expand(text: string): string {
    const tokens = tokenize(text);
    const expander = new MacroExpander(this.source, {
      resolveDefined: false,
      strict: false,
      calls: null,
      argumentValue: () => null,
      tokenBudget: tokenBudget(tokens),
    });
    try {
      return spell(expander.expand(tokens));
    } catch (failure) {
      if (failure instanceof ExpansionFailure || failure instanceof RangeError) return text.trim();
      throw failure;
    }
  }

  /** Tokenized replacement lists, cached per definition (they do not depend on the rest of the table). */
  private replacement(definition: MacroDefinition): readonly Token[] {
    let tokens = this.replacements.get(definition);
    if (tokens === undefined) {
      tokens = tokenize(definition.body);
      this.replacements.set(definition, tokens);
    }
    return tokens;
  }

  private evaluateTokens(tokens: readonly Token[]): Evaluation {
    const calls: MacroCall[] = [];
    const expander = new MacroExpander(this.source, {
      resolveDefined: true,
      strict: true,
      calls,
      argumentValue: (argument) => {
        const result = evaluateConstantExpression(argument, this.identifiers);
        return result.ok ? result.value.value : null;
      },
      tokenBudget: tokenBudget(tokens),
    });
    let expanded: Token[];
    try {
      expanded = expander.expand(tokens);
    } catch (failure) {
      if (failure instanceof ExpansionFailure) return { ok: false, reason: failure.reason };
      if (failure instanceof RangeError) return { ok: false, reason: 'not a constant expression: nested too deeply' };
      throw failure;
    }
    const result = evaluateConstantExpression(expanded, this.identifiers);
    if (!result.ok) return result;
    return { ok: true, value: result.value.value, calls };
  }

  private scanFile(file: string, text: string, options: ScanOptions, report: MutableScanReport, depth: number): void {
    this.scannedFiles.add(file);
    const listing = readDirectiveLines(text);
    for (const problem of listing.problems) report.problems.push({ file, ...problem });
    const conditionals: OpenConditional[] = [];
    const problem = (line: number, reason: string): void => {
      report.problems.push({ file, line, reason });
    };

    for (const { line, text: directive } of listing.directives) {
      const keywordMatch = /^[A-Za-z_]\w*/.exec(directive);
      if (keywordMatch === null) {
        // `#` alone is the null directive; `# 12 "file"` is a line marker.
        if (directive !== '' && !/^\d/.test(directive)) problem(line, `malformed directive #${directive}`);
        continue;
      }
      const keyword = keywordMatch[0];
      const rest = directive.slice(keyword.length).trim();
      switch (keyword) {
        case 'define': {
          const parsed = parseDefine(rest);
          if (!parsed.ok) {
            problem(line, parsed.reason);
            break;
          }
          const definition: MacroDefinition = { ...parsed.value, file, line };
          this.seen.push(definition);
          this.inForce.set(definition.name, definition);
          report.definitions++;
          break;
        }
        case 'undef': {
          const parsed = parseUndef(rest);
          if (parsed.ok) this.inForce.delete(parsed.value);
          else problem(line, parsed.reason);
          break;
        }
        case 'include':
        case 'include_next':
        case 'import':
          this.followInclude(file, line, rest, options, report, depth);
          break;
        case 'if':
        case 'ifdef':
        case 'ifndef':
        case 'elif':
        case 'elifdef':
        case 'elifndef':
        case 'else':
        case 'endif':
          this.trackConditional(keyword, rest, line, conditionals, problem);
          break;
        default:
          if (!IGNORED_DIRECTIVES.has(keyword)) problem(line, `unknown directive #${keyword}`);
      }
    }
    for (const open of conditionals) problem(open.line, 'unterminated conditional (#if without #endif)');
  }

  private trackConditional(
    keyword: string,
    rest: string,
    line: number,
    conditionals: OpenConditional[],
    problem: (line: number, reason: string) => void,
  ): void {
    if (CONDITIONAL_OPENERS.has(keyword)) {
      if (keyword !== 'if' && !/^[A-Za-z_$][\w$]*/.test(rest)) problem(line, `malformed #${keyword}: missing macro name`);
      else if (keyword === 'if' && rest === '') problem(line, '#if without an expression');
      conditionals.push({ line, sawElse: false });
      return;
    }
    const innermost = conditionals[conditionals.length - 1];
    if (innermost === undefined) {
      problem(line, `#${keyword} without #if`);
      return;
    }
    if (keyword === 'endif') conditionals.pop();
    else if (innermost.sawElse) problem(line, `#${keyword} after #else`);
    else if (keyword === 'else') innermost.sawElse = true;
  }

  private followInclude(
    from: string,
    line: number,
    rest: string,
    options: ScanOptions,
    report: MutableScanReport,
    depth: number,
  ): void {
    // `#include MACRO` names its header through a macro.
    const include = parseIncludeTarget(rest) ?? parseIncludeTarget(this.expand(rest).replace(/^<\s*(.*?)\s*>/, '<$1>'));
    if (include === null) {
      report.problems.push({ file: from, line, reason: `malformed #include ${rest}` });
      return;
    }
    const resolved = options.resolveInclude?.({ target: include.target, angled: include.angled, from }) ?? null;
    if (resolved === null) {
      report.unresolvedIncludes.push({ target: include.target, line, file: from });
      return;
    }
    if (this.scannedFiles.has(resolved.file)) return;
    if (depth >= MAXIMUM_INCLUDE_DEPTH) {
      report.problems.push({ file: from, line, reason: `includes nested more than ${MAXIMUM_INCLUDE_DEPTH} deep` });
      return;
    }
    this.scanFile(resolved.file, resolved.text, options, report, depth + 1);
  }
}
