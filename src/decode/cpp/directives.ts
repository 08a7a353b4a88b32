/** Parsing of the directive lines a macro table cares about: #define, #undef, #include. */

export interface DefineDirective {
  readonly name: string;
  readonly params: readonly string[] | null;
  readonly variadic: boolean;
  readonly body: string;
}

export type Parsed<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly reason: string };

const IDENTIFIER = /^[A-Za-z_$][\w$]*/;

/** `text` is what follows `#define`. */
export function parseDefine(text: string): Parsed<DefineDirective> {
  const nameMatch = IDENTIFIER.exec(text);
  if (!nameMatch) return { ok: false, reason: 'malformed #define: missing macro name' };
  const name = nameMatch[0];
  if (name === 'defined') return { ok: false, reason: 'malformed #define: "defined" cannot be a macro name' };
  let rest = text.slice(name.length);
  if (!rest.startsWith('(')) {
    // Object-like; C wants whitespace after the name but compilers only warn.
    return { ok: true, value: { name, params: null, variadic: false, body: rest.trim() } };
  }
  const close = rest.indexOf(')');
  if (close < 0) return { ok: false, reason: `malformed #define ${name}: unterminated parameter list` };
  const list = rest.slice(1, close).trim();
  rest = rest.slice(close + 1);
  const params: string[] = [];
  let variadic = false;
  if (list !== '') {
    const items = list.split(',').map((item) => item.trim());
    for (const [index, item] of items.entries()) {
      const isLast = index === items.length - 1;
      if (item === '...' && isLast) {
        params.push('__VA_ARGS__');
        variadic = true;
      } else if (isLast && /^[A-Za-z_$][\w$]*\s*\.\.\.$/.test(item)) {
        params.push(item.replace(/\s*\.\.\.$/, '')); // GNU named variadic parameter: `args...`
        variadic = true;
      } else if (/^[A-Za-z_$][\w$]*$/.test(item) && item !== '__VA_ARGS__') {
        if (params.includes(item)) return { ok: false, reason: `malformed #define ${name}: duplicate parameter ${item}` };
        params.push(item);
      } else {
        return { ok: false, reason: `malformed #define ${name}: bad parameter "${item}"` };
      }
    }
  }
  return { ok: true, value: { name, params, variadic, body: rest.trim() } };
}

/** `text` is what follows `#undef`. */
export function parseUndef(text: string): Parsed<string> {
  const nameMatch = IDENTIFIER.exec(text);
  if (!nameMatch) return { ok: false, reason: 'malformed #undef: missing macro name' };
  return { ok: true, value: nameMatch[0] };
}

export interface IncludeTarget {
  readonly target: string;
  readonly angled: boolean;
}

/** `"x.h"` or `<x.h>`; null when the text has another shape (it may be a macro to expand). */
export function parseIncludeTarget(text: string): IncludeTarget | null {
  const quoted = /^"([^"]+)"/.exec(text);
  if (quoted?.[1] !== undefined) return { target: quoted[1], angled: false };
  const angled = /^<([^>]+)>/.exec(text);
  if (angled?.[1] !== undefined) return { target: angled[1].trim(), angled: true };
  return null;
}

/** Directives that do not affect the table and are ignored without comment. */
export const IGNORED_DIRECTIVES = new Set([
  'pragma', 'error', 'warning', 'line', 'ident', 'sccs', 'assert', 'unassert', 'using', 'region', 'endregion',
]);

export const CONDITIONAL_OPENERS = new Set(['if', 'ifdef', 'ifndef']);
