/**
 * Preprocessing tokens (C11 6.4) for one logical line of text.
 *
 * The tokenizer never throws: anything it does not recognise becomes an
 * `other` token, so arbitrary header text can always be scanned.
 */

export type TokenKind = 'identifier' | 'number' | 'char' | 'string' | 'punctuator' | 'other';

/** Names that must not be expanded again for this token (Prosser's hide set, the "blue paint"). */
export type HideSet = ReadonlySet<string>;

export interface Token {
  readonly kind: TokenKind;
  readonly text: string;
  /** Whitespace preceded the token; needed for stringizing and for readable expansions. */
  readonly spaceBefore: boolean;
  readonly hideSet: HideSet | null;
}

const THREE_CHAR_PUNCTUATORS = new Set(['...', '<<=', '>>=', '->*']);
const TWO_CHAR_PUNCTUATORS = new Set([
  '->', '++', '--', '<<', '>>', '<=', '>=', '==', '!=', '&&', '||',
  '*=', '/=', '%=', '+=', '-=', '&=', '^=', '|=', '##', '::', '.*',
]);
const ONE_CHAR_PUNCTUATORS = '[](){}.&*+-~!/%<>^|?:;=,#';

/** Prefixes that turn a following quote into a wide / UTF literal (L"x", u8'x', ...). */
const LITERAL_PREFIXES = new Set(['L', 'u', 'U', 'u8']);

function isWhitespace(code: number): boolean {
  // space, \t, \n, \v, \f, \r (a stray \r is what CRLF files leave behind)
  return code === 0x20 || (code >= 0x09 && code <= 0x0d);
}

function isDigit(code: number): boolean {
  return code >= 0x30 && code <= 0x39;
}

function isIdentifierStart(code: number): boolean {
  return (
    (code >= 0x61 && code <= 0x7a) || // a-z
    (code >= 0x41 && code <= 0x5a) || // A-Z
    code === 0x5f || // _
    code === 0x24 || // $ (MSVC and GCC accept it)
    code >= 0x80 // extended characters, accepted like GCC does
  );
}

function isIdentifierPart(code: number): boolean {
  return isIdentifierStart(code) || isDigit(code);
}

/** Index just past a quoted literal starting at `start`, or -1 when it is unterminated on this line. */
function endOfQuoted(text: string, start: number): number {
  const quote = text.charCodeAt(start);
  let i = start + 1;
  while (i < text.length) {
    const code = text.charCodeAt(i);
    if (code === quote) return i + 1;
    if (code === 0x0a) return -1;
    i += code === 0x5c ? 2 : 1; // backslash escapes the next character
  }
  return -1;
}

export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  const length = text.length;
  let i = 0;
  let spaceBefore = false;
  const push = (kind: TokenKind, end: number): void => {
    tokens.push({ kind, text: text.slice(i, end), spaceBefore, hideSet: null });
    spaceBefore = false;
    i = end;
  };

  while (i < length) {
    const code = text.charCodeAt(i);
    if (isWhitespace(code)) {
      spaceBefore = true;
      i++;
      continue;
    }
    const next = i + 1 < length ? text.charCodeAt(i + 1) : -1;
    if (code === 0x2f && next === 0x2a) {
      // block comment: one space
      const end = text.indexOf('*/', i + 2);
      i = end < 0 ? length : end + 2;
      spaceBefore = true;
      continue;
    }
    if (code === 0x2f && next === 0x2f) {
      const end = text.indexOf('\n', i + 2);
      i = end < 0 ? length : end;
      spaceBefore = true;
      continue;
    }
    if (code === 0x5c) {
      // backslash-newline (with tolerated trailing blanks) is a line splice, i.e. nothing
      const splice = /^\\[ \t\f\v\r]*\n/.exec(text.slice(i, i + 64));
      if (splice) {
        i += splice[0].length;
        spaceBefore = true;
        continue;
      }
      push('other', i + 1);
      continue;
    }
    if (isIdentifierStart(code)) {
      let end = i + 1;
      while (end < length && isIdentifierPart(text.charCodeAt(end))) end++;
      const quote = end < length ? text.charCodeAt(end) : -1;
      if ((quote === 0x22 || quote === 0x27) && LITERAL_PREFIXES.has(text.slice(i, end))) {
        const literalEnd = endOfQuoted(text, end);
        if (literalEnd > 0) {
          push(quote === 0x22 ? 'string' : 'char', literalEnd);
          continue;
        }
      }
      push('identifier', end);
      continue;
    }
    if (isDigit(code) || (code === 0x2e && isDigit(next))) {
      // pp-number: digits, letters, dots, and signs directly after an exponent letter
      let end = i + 1;
      while (end < length) {
        const c = text.charCodeAt(end);
        if ((c === 0x2b || c === 0x2d) && /[eEpP]/.test(text.charAt(end - 1))) end++;
        else if (isIdentifierPart(c) || c === 0x2e) end++;
        else break;
      }
      push('number', end);
      continue;
    }
    if (code === 0x22 || code === 0x27) {
      const literalEnd = endOfQuoted(text, i);
      push(literalEnd < 0 ? 'other' : code === 0x22 ? 'string' : 'char', literalEnd < 0 ? i + 1 : literalEnd);
      continue;
    }
    const three = text.slice(i, i + 3);
    if (THREE_CHAR_PUNCTUATORS.has(three)) {
      push('punctuator', i + 3);
      continue;
    }
    if (TWO_CHAR_PUNCTUATORS.has(three.slice(0, 2))) {
      push('punctuator', i + 2);
      continue;
    }
    const single = text.charAt(i);
    if (ONE_CHAR_PUNCTUATORS.includes(single)) {
      push('punctuator', i + 1);
      continue;
    }
    // A lone surrogate half or anything else: keep the whole code point together.
    push('other', i + (code >= 0xd800 && code <= 0xdbff && next >= 0xdc00 && next <= 0xdfff ? 2 : 1));
  }
  return tokens;
}

/** Would writing `left` and `right` with no space between them lex differently? */
function wouldMerge(left: Token, right: Token): boolean {
  const wordLike = (token: Token): boolean => token.kind === 'identifier' || token.kind === 'number';
  if (wordLike(left) && wordLike(right)) return true;
  if (left.kind === 'punctuator' && wordLike(right) && left.text !== '.') return false;
  if (wordLike(left) && right.kind === 'punctuator' && !/^[.+\-]/.test(right.text)) return false;
  const joined = tokenize(left.text + right.text);
  return joined.length !== 2 || joined[0]?.text !== left.text;
}

/** Text of a token sequence with single spaces where the source had whitespace (for messages and raw arguments). */
export function spell(tokens: readonly Token[]): string {
  let text = '';
  let previous: Token | undefined;
  for (const token of tokens) {
    if (previous !== undefined && (token.spaceBefore || wouldMerge(previous, token))) text += ' ';
    text += token.text;
    previous = token;
  }
  return text;
}

/** The `#param` operator: spell the argument and escape quotes and backslashes inside its literals. */
export function stringize(tokens: readonly Token[], spaceBefore: boolean): Token {
  let text = '';
  tokens.forEach((token, index) => {
    if (index > 0 && token.spaceBefore) text += ' ';
    text += token.kind === 'string' || token.kind === 'char' ? token.text.replace(/[\\"]/g, '\\$&') : token.text;
  });
  return { kind: 'string', text: `"${text}"`, spaceBefore, hideSet: null };
}
