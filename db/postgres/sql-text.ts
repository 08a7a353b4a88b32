/**
 * SQLite-style parameters -> PostgreSQL literals. The store's SQL is written with `?`, `:name`, `@name` and
 * `$name`; the PostgreSQL connection renders each value as a literal in the statement text before sending it.
 * Literals (not server-side parameters) because a literal takes its type from where it stands, as a SQLite value
 * does: `? IS NULL OR format = ?` works, where an untyped `$1 IS NULL` is refused by the server.
 */

export class ParameterError extends Error {}

type Piece = { kind: 'text'; text: string } | { kind: 'positional' } | { kind: 'named'; name: string };

/** Splits SQL into text and placeholders, leaving strings, quoted names, comments and `::` casts alone. */
export function splitPlaceholders(sql: string): Piece[] {
  const pieces: Piece[] = [];
  let start = 0;
  let i = 0;
  const push = (end: number): void => {
    if (end > start) pieces.push({ kind: 'text', text: sql.slice(start, end) });
  };
  while (i < sql.length) {
    const c = sql[i]!;
    if (c === "'" || c === '"') {
      const close = sql.indexOf(c, i + 1);
      // A doubled quote inside is an escaped quote: the scan simply resumes after it.
      i = close < 0 ? sql.length : close + 1;
      continue;
    }
    if (c === '-' && sql[i + 1] === '-') {
      const end = sql.indexOf('\n', i);
      i = end < 0 ? sql.length : end;
      continue;
    }
    if (c === '/' && sql[i + 1] === '*') {
      const end = sql.indexOf('*/', i + 2);
      i = end < 0 ? sql.length : end + 2;
      continue;
    }
    if (c === ':' && sql[i + 1] === ':') {
      i += 2;
      continue;
    }
    if (c === '?') {
      push(i);
      pieces.push({ kind: 'positional' });
      i += 1;
      start = i;
      continue;
    }
    if (c === ':' || c === '@' || c === '$') {
      const m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(sql.slice(i + 1, i + 65));
      if (m) {
        push(i);
        pieces.push({ kind: 'named', name: m[0] });
        i += 1 + m[0].length;
        start = i;
        continue;
      }
    }
    i += 1;
  }
  push(sql.length);
  return pieces;
}

/** One value as a PostgreSQL literal. */
export function literal(value: unknown): string {
  if (value === null || value === undefined) return 'NULL';
  switch (typeof value) {
    case 'number':
      if (!Number.isFinite(value)) throw new ParameterError(`cannot store ${value} (not a finite number)`);
      // In brackets when negative: "a-?" must not become the comment "a--1".
      return value < 0 ? `(${value})` : String(value);
    case 'bigint':
      return value < 0n ? `(${value})` : String(value);
    case 'string':
      if (value.includes('\u0000')) throw new ParameterError('PostgreSQL text cannot hold a NUL character (U+0000)');
      return `'${value.replace(/'/g, "''")}'`;
    case 'boolean':
      return value ? '1' : '0';
    default:
      if (Buffer.isBuffer(value)) return `'\\x${value.toString('hex')}'::bytea`;
      throw new ParameterError(`cannot bind a value of type ${typeof value}`);
  }
}

function isNamedBag(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !Buffer.isBuffer(value);
}

/** The statement text with every placeholder replaced by its value, as better-sqlite3 binds them. */
export function bindText(pieces: readonly Piece[], params: readonly unknown[]): string {
  const named = params.length > 0 && isNamedBag(params[params.length - 1]) ? (params[params.length - 1] as Record<string, unknown>) : null;
  const positional = (named ? params.slice(0, -1) : params).flat();
  let next = 0;
  let out = '';
  for (const piece of pieces) {
    if (piece.kind === 'text') out += piece.text;
    else if (piece.kind === 'positional') {
      if (next >= positional.length) throw new ParameterError(`too few parameter values were provided (${positional.length})`);
      out += literal(positional[next++]);
    } else {
      if (!named || !(piece.name in named)) throw new ParameterError(`missing named parameter "${piece.name}"`);
      out += literal(named[piece.name]);
    }
  }
  if (next < positional.length) throw new ParameterError(`too many parameter values were provided (${positional.length}, the statement takes ${next})`);
  return out;
}

const CLAUSE_END = /^(LIMIT|OFFSET|FETCH|UNION|INTERSECT|EXCEPT|FOR|WINDOW|ROWS|RANGE|GROUPS|ON|RETURNING)\b/i;

/**
 * Gives every ORDER BY item SQLite's NULL placement (NULLs first when ascending, last when descending; PostgreSQL
 * does the opposite), so both backends return rows in one order. Items that say NULLS FIRST/LAST are left alone.
 */
export function withSqliteNullOrder(sql: string): string {
  let out = '';
  let i = 0;
  const n = sql.length;
  const skipQuoted = (at: number): number => {
    const c = sql[at]!;
    if (c === "'" || c === '"') {
      const close = sql.indexOf(c, at + 1);
      return close < 0 ? n : close + 1;
    }
    if (c === '-' && sql[at + 1] === '-') {
      const end = sql.indexOf('\n', at);
      return end < 0 ? n : end;
    }
    if (c === '/' && sql[at + 1] === '*') {
      const end = sql.indexOf('*/', at + 2);
      return end < 0 ? n : end + 2;
    }
    return at;
  };
  const item = (text: string): string => {
    const trimmed = text.replace(/\s+$/, '');
    const tail = text.slice(trimmed.length);
    if (trimmed === '' || /\bNULLS\s+(FIRST|LAST)$/i.test(trimmed)) return text;
    return `${trimmed}${/\bDESC$/i.test(trimmed) ? ' NULLS LAST' : ' NULLS FIRST'}${tail}`;
  };
  while (i < n) {
    const skipped = skipQuoted(i);
    if (skipped !== i) {
      out += sql.slice(i, skipped);
      i = skipped;
      continue;
    }
    const order = /^ORDER\s+BY\b/i.exec(sql.slice(i, i + 40));
    const before = i === 0 ? ' ' : sql[i - 1]!;
    if (!order || /[A-Za-z0-9_$]/.test(before)) {
      out += sql[i];
      i += 1;
      continue;
    }
    out += order[0];
    i += order[0].length;
    // The items, up to the end of the clause at this depth.
    let depth = 0;
    let start = i;
    let j = i;
    while (j < n) {
      const s = skipQuoted(j);
      if (s !== j) {
        j = s;
        continue;
      }
      const c = sql[j]!;
      if (c === '(') depth += 1;
      else if (c === ')') {
        if (depth === 0) break;
        depth -= 1;
      } else if (depth === 0 && c === ',') {
        out += `${item(sql.slice(start, j))},`;
        start = j + 1;
      } else if (depth === 0 && c === ';') break;
      else if (depth === 0 && /[A-Za-z]/.test(c) && !/[A-Za-z0-9_$.]/.test(sql[j - 1] ?? ' ') && CLAUSE_END.test(sql.slice(j, j + 10))) break;
      j += 1;
    }
    out += item(sql.slice(start, j));
    i = j;
  }
  return out;
}
