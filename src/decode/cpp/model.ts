/** Public shapes of the C preprocessor subset (re-exported by index.ts). */

export interface MacroDefinition {
  readonly name: string;
  /**
   * Parameter names; null for an object-like macro. A variadic macro's last
   * parameter is the one that collects the extra arguments: `__VA_ARGS__` for
   * `(a, ...)`, or the GNU name for `(a, rest...)`.
   */
  readonly params: readonly string[] | null;
  readonly variadic: boolean;
  /** Replacement text: comments removed, continuation lines joined, whitespace runs collapsed. */
  readonly body: string;
  readonly file: string;
  /** 1-based line of the #define (0 for predefined macros). */
  readonly line: number;
}

export interface IncludeRequest {
  readonly target: string;
  readonly angled: boolean;
  readonly from: string;
}

export interface ScanOptions {
  /** Return the text of an included file, or null when it cannot be found (then the include is recorded as unresolved, not an error). */
  readonly resolveInclude?: (request: IncludeRequest) => { readonly file: string; readonly text: string } | null;
}

export interface ScanReport {
  readonly file: string;
  /** #defines read by this scan, including those of followed includes. */
  readonly definitions: number;
  /** `file` is the header containing the #include (the scanned file or one it included). */
  readonly unresolvedIncludes: readonly { readonly target: string; readonly line: number; readonly file: string }[];
  readonly problems: readonly { readonly file: string; readonly line: number; readonly reason: string }[];
}

/** Every function-like macro invoked during an expansion, outermost first. */
export interface MacroCall {
  readonly macro: string;
  /** Raw argument text as written at the call site (after substitution of any enclosing macro's parameters). */
  readonly args: readonly string[];
  /** Each argument evaluated on its own; null when it is not a constant expression. */
  readonly values: readonly (bigint | null)[];
}

/**
 * `value` is the C value in the 64-bit #if domain: after a signed 32-bit cast
 * such as (NTSTATUS)0xC0000005L it is negative (-1073741819n); callers that
 * want the 32-bit pattern mask with 0xFFFFFFFFn.
 */
export type Evaluation =
  | { readonly ok: true; readonly value: bigint; readonly calls: readonly MacroCall[] }
  | { readonly ok: false; readonly reason: string };
